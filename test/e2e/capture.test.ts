import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  browserSkipReason,
  E2E_ADMIN,
  type E2EWorld,
  isCI,
  openPage,
  screenshot,
  setupWorkspace,
  startWorld,
} from './support.ts';

/**
 * Lead capture end to end, in Chromium against the real server on PGlite: the import wizard
 * (upload, mapping, date order, review, live progress, rejected rows), the contact timeline with a
 * logged touch, CSV export, and a web form from the builder to a submission on its hosted page
 * that shows up as a contact with a form_submit touch. The tests run in order, like one session.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the lead capture end-to-end tests: ${skipReason}\n`);

/** Three people from a trade show, one with a broken e-mail; dates that could be either order. */
const BADGES_CSV = [
  'E-mail,First Name,Last Name,Company,Country,Signed up,Notes',
  'mei.lin@brightway.cn,Mei,Lin,Shenzhen Brightway Electronics,China,03/04/2026,met at booth 12',
  'carlos@lusitano.pt,Carlos,Pereira,Lusitano Distribuição,Portugal,05/06/2026,wants the catalogue',
  'not-an-email,Bad,Row,Nowhere Ltd,Germany,07/08/2026,',
].join('\n');

/** Chinese headers, as a Chinese exporter's own spreadsheet has them. */
const CHINESE_CSV = [
  '姓名,邮箱,公司,国家',
  '张伟,zhang.wei@haitong.cn,海通贸易,中国',
  '李娜,li.na@haitong.cn,海通贸易,中国',
].join('\n');

describe.runIf(skipReason && isCI())('lead capture end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

describe.skipIf(skipReason !== null)('lead capture in Chromium', () => {
  let world: E2EWorld;
  let context: BrowserContext;
  let page: Page;
  let formUrl = '';
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    world = await startWorld();
    ({ context, page } = await openPage(world, { acceptDownloads: true }));
    await setupWorkspace(page);
  }, 180_000);

  afterAll(async () => {
    if (Object.keys(timings).length) console.info('lead capture e2e timings (ms):', timings);
    await world?.close();
  }, 60_000);

  afterEach(async (ctx) => {
    if (page) await screenshot(page, `capture-${ctx.task.name}`);
  });

  const heading = (name: string) => page.getByRole('heading', { name, exact: true });
  const nav = () => page.locator('.shell-menu');
  /** Waits until no table or card is loading, for a screenshot that shows the data. */
  async function settle(p: Page = page) {
    await p.waitForLoadState('networkidle');
    await expect.poll(() => p.locator('.ant-spin-spinning, .ant-skeleton').count()).toBe(0);
    await p.waitForTimeout(400); // Ant Design fades a table in after loading
  }
  /** Picks an option in an Ant Design select by typing part of its label. */
  async function choose(testId: string, text: string) {
    await page.getByTestId(testId).click();
    await page.keyboard.type(text);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
      .first()
      .click();
  }

  it('signs in as the admin', async () => {
    await page.goto('/contacts');
    await heading('Sign in').waitFor();
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Contacts').waitFor();
    // Lead capture is a real module now: Forms and Imports, no "Soon" tag.
    await nav().getByText('Lead capture', { exact: true }).click();
    await nav().getByRole('link', { name: 'Forms' }).waitFor();
    await nav().getByRole('link', { name: 'Imports' }).waitFor();
    expect(
      await nav()
        .getByRole('link', { name: /Imports/ })
        .getByText('Soon')
        .count(),
    ).toBe(0);
  }, 30_000);

  it('uploads a CSV in the import wizard and maps its columns', async () => {
    await page.getByTestId('import-contacts').click();
    await heading('New import').waitFor();
    expect(await page.getByRole('radio', { name: 'Contacts' }).isChecked()).toBe(true);
    await screenshot(page, 'capture-wizard-step1-upload');
    await page.locator('input[type=file]').setInputFiles({
      name: 'canton-fair-badges.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(BADGES_CSV),
    });
    const mapping = page.getByTestId('mapping-table');
    await mapping.waitFor();
    expect(await page.getByTestId('file-encoding').textContent()).toBe('UTF-8');
    expect(await page.getByTestId('file-delimiter').textContent()).toBe('Comma (,)');
    expect(await mapping.getByTestId('mapping-header').allInnerTexts()).toEqual([
      'E-mail',
      'First Name',
      'Last Name',
      'Company',
      'Country',
      'Signed up',
      'Notes',
    ]);
    // Sample values from the preview, and the suggested fields; unknown headers are left out.
    await mapping.getByText('mei.lin@brightway.cn').waitFor();
    await mapping.getByText('met at booth 12').waitFor();
    expect(await page.getByTestId('map-0').textContent()).toContain('E-mail');
    expect(await page.getByTestId('map-5').textContent()).toContain('Don’t import');
    // "Signed up" is when we first met them: map it by hand; its dates could be either order.
    await choose('map-5', 'First touch');
    const dateOrder = page.getByTestId('date-order');
    await dateOrder.getByText('day-first or month-first').waitFor();
    expect(await page.getByTestId('to-review').isDisabled()).toBe(true);
    await screenshot(page, 'capture-wizard-step2-mapping');
    await dateOrder.getByText('Day first').click();
    await expect.poll(() => page.getByTestId('to-review').isEnabled()).toBe(true);
  }, 30_000);

  it('previews the rows with the bad one flagged, and imports the valid rows', async () => {
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-summary').getByText('1 of the first 3 rows').waitFor();
    const errors = page.getByTestId('preview-table').getByTestId('row-error');
    expect(await errors.allInnerTexts()).toEqual(['E-mail: is not a valid e-mail address']);
    await page.getByText('Import the valid rows and report the rest').click();
    await page.locator('#import-tags').fill('canton-fair-2026');
    await page.locator('#import-tags').press('Enter');
    await screenshot(page, 'capture-wizard-step3-review');
    const started = Date.now();
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-progress-bar').waitFor();
    await screenshot(page, 'capture-wizard-step4-progress');
    await page.getByTestId('import-status').getByText('Import finished').waitFor({ timeout: 30_000 });
    timings.importRun = Date.now() - started;
    const bar = page.locator(
      '[data-testid="import-progress-bar"][aria-valuenow], [data-testid="import-progress-bar"] [aria-valuenow]',
    );
    expect(await bar.first().getAttribute('aria-valuenow')).toBe('100');
    const counts = page.getByTestId('import-counts');
    const stat = async (title: string) =>
      counts
        .locator('.ant-statistic')
        .filter({ hasText: title })
        .locator('.ant-statistic-content')
        .textContent();
    expect(await stat('Created')).toBe('2');
    expect(await stat('Rejected')).toBe('1');
  }, 45_000);

  it('downloads the rejected rows with their reasons', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-rejects').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/-rejected\.csv$/);
    const csv = fs.readFileSync((await download.path()) as string, 'utf8');
    expect(csv).toContain('row,reason,E-mail,First Name,Last Name,Company,Country,Signed up,Notes');
    expect(csv).toContain('4,E-mail: is not a valid e-mail address,not-an-email,Bad,Row');
    expect(csv).not.toContain('mei.lin@brightway.cn');
  }, 30_000);

  it('shows the imported contacts, and exports them as CSV', async () => {
    await page.getByRole('button', { name: 'Open contacts' }).click();
    await heading('Contacts').waitFor();
    await page.getByRole('link', { name: 'Mei Lin' }).waitFor();
    await page.getByRole('link', { name: 'Carlos Pereira' }).waitFor();
    expect(await page.getByText('canton-fair-2026').count()).toBe(2);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-contacts').click(),
    ]);
    expect(download.suggestedFilename()).toBe('contacts.csv');
    const csv = fs.readFileSync((await download.path()) as string, 'utf8');
    expect(csv.split('\n')[0]).toContain('email,firstName,lastName');
    expect(csv).toContain('mei.lin@brightway.cn');
  }, 30_000);

  it('opens an imported contact and logs a meeting on its timeline', async () => {
    await page.getByRole('link', { name: 'Mei Lin' }).click();
    await heading('Mei Lin').waitFor();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('Timeline', { exact: true }).waitFor();
    await page.getByTestId('log-touch').click();
    const modal = page.getByRole('dialog');
    await modal.getByText('Log a touch').waitFor();
    await modal.getByLabel('Type').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Meeting' })
      .click();
    await page
      .getByTestId('touch-note')
      .fill('Met at booth 12; wants 500 units of the X2 charger before June.');
    await screenshot(page, 'capture-log-touch');
    await page.getByTestId('log-touch-save').click();
    await page.getByText('Touch logged').waitFor();
    const touch = timeline.getByTestId('timeline-touch').filter({ hasText: 'Meeting' });
    await touch.waitFor();
    await touch.getByText('wants 500 units').first().waitFor();
    expect(await touch.textContent()).toContain('Sales');
    expect(await touch.textContent()).toContain('by Ada Admin');
    await screenshot(page, 'capture-contact-timeline');
    // Filters are the server's: only changes hides the meeting; only marketing hides it too.
    await page.getByTestId('timeline-kind').getByText('Changes').click();
    await expect.poll(() => timeline.getByTestId('timeline-touch').count()).toBe(0);
    await page.getByTestId('timeline-kind').getByText('Touches').click();
    await touch.waitFor();
    await timeline.getByLabel('Side').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Marketing' })
      .click();
    await expect.poll(() => timeline.getByTestId('timeline-touch').count()).toBe(0);
    await timeline.getByText('Nothing matches these filters.').waitFor();
  }, 30_000);

  it('shows the touches of its contacts on the company timeline, and logs a call for one of them', async () => {
    await nav().getByRole('link', { name: 'Companies' }).click();
    await page.getByRole('link', { name: 'Shenzhen Brightway Electronics' }).click();
    await heading('Shenzhen Brightway Electronics').waitFor();
    const timeline = page.getByTestId('timeline');
    const meeting = timeline.getByTestId('timeline-touch').filter({ hasText: 'Meeting' });
    await meeting.getByRole('link', { name: 'Mei Lin' }).waitFor();
    await page.getByTestId('log-touch').click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('Contact').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Mei Lin' })
      .click();
    await page.getByTestId('touch-note').fill('Called back: sample shipment confirmed.');
    await page.getByTestId('log-touch-save').click();
    await page.getByText('Touch logged').last().waitFor();
    const call = timeline.getByTestId('timeline-touch').filter({ hasText: 'Call' });
    await call.getByText('sample shipment confirmed').first().waitFor();
    await call.getByRole('link', { name: 'Mei Lin' }).waitFor();
    await screenshot(page, 'capture-company-timeline');
  }, 30_000);

  it('imports deals of the imported contacts in the same wizard, the unknown contact flagged', async () => {
    // The pipeline has the same Import and Export buttons as the other lists.
    await page.goto('/pipeline');
    await page.getByTestId('import-deals').click();
    await heading('New import').waitFor();
    expect(await page.getByRole('radio', { name: 'Deals' }).isChecked()).toBe(true);
    await page.locator('input[type=file]').setInputFiles({
      name: 'deals.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'contact.email,Deal Name,Stage,Amount,Currency,Won Date',
          'mei.lin@brightway.cn,Brightway first order,won,12000.00,USD,2026-06-01',
          'ghost@nowhere.example,Ghost deal,won,5,USD,2026-06-01',
        ].join('\n'),
      ),
    });
    await page.getByTestId('mapping-table').waitFor();
    // HubSpot-style deal headers map by themselves.
    expect(await page.getByTestId('map-0').textContent()).toContain('Contact e-mail');
    expect(await page.getByTestId('map-5').textContent()).toContain('Won on');
    await expect.poll(() => page.getByTestId('to-review').isEnabled()).toBe(true);
    await page.getByTestId('to-review').click();
    const errors = page.getByTestId('preview-table').getByTestId('row-error');
    await errors.first().waitFor();
    expect(await errors.allInnerTexts()).toEqual([
      'contact.email: no contact with e-mail ghost@nowhere.example',
    ]);
    await page.getByText('Import the valid rows and report the rest').click();
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-status').getByText('Import finished').waitFor({ timeout: 30_000 });
    const stat = async (title: string) =>
      page
        .getByTestId('import-counts')
        .locator('.ant-statistic')
        .filter({ hasText: title })
        .locator('.ant-statistic-content')
        .textContent();
    expect(await stat('Created')).toBe('1');
    expect(await stat('Rejected')).toBe('1');
    await screenshot(page, 'capture-wizard-deals-done');
    await page.getByRole('button', { name: 'Open the pipeline' }).click();
    await page.getByText('Brightway first order').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-deals').click(),
    ]);
    expect(download.suggestedFilename()).toBe('deals.csv');
    const csv = fs.readFileSync((await download.path()) as string, 'utf8');
    expect(csv.split('\n')[0]).toContain('contact.email,contact.external_id');
    expect(csv).toContain('Brightway first order');
  }, 60_000);

  it('builds a form with labels in both languages, consent and hand-raise', async () => {
    await nav().getByRole('link', { name: 'Forms' }).click();
    await heading('Forms').waitFor();
    await page.getByTestId('new-form').click();
    await heading('New form').waitFor();
    const builder = page.getByTestId('form-builder');
    await builder.getByLabel('Name', { exact: true }).fill('Spring catalogue request');
    await builder.getByLabel('Page title · English').fill('Request our spring catalogue');
    await builder.getByLabel('Page title · 简体中文').fill('索取春季产品目录');
    const fields = page.getByTestId('builder-field');
    expect(await fields.count()).toBe(4);
    await fields.nth(1).getByRole('switch').click(); // first name required
    await fields.nth(3).getByLabel('Label · English').fill('Company name');
    await fields.nth(3).getByLabel('Label · 简体中文').fill('公司名称');
    await page.getByTestId('add-field').click();
    expect(await fields.count()).toBe(5);
    await choose('field-target-4', 'Country');
    await builder.getByLabel('Ask for consent').click();
    await builder
      .getByLabel('Consent text · English')
      .fill('I agree that Acme Export may e-mail me about its products.');
    await builder
      .getByLabel('Consent text · 简体中文')
      .fill('我同意 Acme Export 通过电子邮件向我介绍其产品。');
    await builder.getByLabel('Thank-you message · English').fill('Thanks! The catalogue is on its way.');
    await builder.getByLabel('Thank-you message · 简体中文').fill('谢谢！产品目录即将发送给您。');
    await builder.getByLabel('Campaign id').fill('cmp_spring_2026');
    await builder.getByLabel('Quote or demo request (hand-raise)').click();
    const preview = page.getByTestId('form-preview');
    await preview.getByText('Company name').waitFor();
    await preview.getByText('中文').click();
    await preview.getByText('公司名称').waitFor();
    await preview.getByText('索取春季产品目录').waitFor();
    await screenshot(page, 'capture-form-builder');
    await page.getByTestId('save-form').click();
    await page.getByText('Form Spring catalogue request created').waitFor();
    await heading('Spring catalogue request').waitFor();
    expect(await page.getByTestId('form-fields').textContent()).toContain('Company name');
  }, 45_000);

  it('shows the embed snippet with a copy button', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.baseUrl });
    const code = page.getByTestId('embed-code');
    const formId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await expect.poll(() => code.textContent()).toContain('<script');
    expect(await code.textContent()).toContain(formId);
    await page.getByTestId('copy-embed').click();
    await page.getByText('Copied', { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(formId);
    formUrl = `/f/${formId}`;
  }, 30_000);

  it('takes a submission on the hosted page after a person’s fill time', async () => {
    const [hosted] = await Promise.all([
      context.waitForEvent('page'),
      page.getByTestId('open-hosted').click(),
    ]);
    await hosted.waitForLoadState();
    expect(new URL(hosted.url()).pathname).toBe(formUrl);
    await hosted.getByRole('heading', { name: 'Request our spring catalogue' }).waitFor();
    const opened = Date.now();
    await hosted.locator('input[name="email"]').fill('sofia.rossi@milanoimport.it');
    await hosted.locator('input[name="firstName"]').fill('Sofia');
    await hosted.locator('input[name="lastName"]').fill('Rossi');
    await hosted.locator('input[name="company"]').fill('Milano Import S.r.l.');
    await hosted.locator('select[name="country"]').selectOption('IT');
    await hosted.getByText('I agree that Acme Export may e-mail me').click();
    await screenshot(hosted, 'capture-hosted-form-en');
    // The server drops submissions sent less than 3 s after the page: wait like a person.
    await hosted.waitForTimeout(Math.max(0, 3_300 - (Date.now() - opened)));
    await hosted.getByRole('button', { name: 'Submit' }).click();
    await hosted.getByText('Thanks! The catalogue is on its way.').waitFor();
    await screenshot(hosted, 'capture-hosted-form-thanks');
    await hosted.goto(`${formUrl}?lang=zh-CN`);
    await hosted.getByRole('heading', { name: '索取春季产品目录' }).waitFor();
    await hosted.getByText('公司名称').waitFor();
    await screenshot(hosted, 'capture-hosted-form-zh');
    await hosted.close();
  }, 30_000);

  it('lists the submission, and the new contact has a form_submit touch', async () => {
    await page.reload();
    const subs = page.getByTestId('submissions');
    await subs.getByRole('link', { name: 'sofia.rossi@milanoimport.it' }).waitFor();
    await subs.getByText('New contact').waitFor();
    await subs.getByText('Given').waitFor();
    await settle();
    await screenshot(page, 'capture-form-detail');
    await subs.getByRole('link', { name: 'sofia.rossi@milanoimport.it' }).click();
    await heading('Sofia Rossi').waitFor();
    const touch = page.getByTestId('timeline-touch').filter({ hasText: 'Form submitted' });
    await touch.waitFor();
    expect(await touch.textContent()).toContain('Marketing');
    expect(await touch.textContent()).toContain('Hand-raise');
    await touch.getByRole('link', { name: 'Spring catalogue request' }).waitFor();
    await touch.getByText('Campaign cmp_spring_2026').waitFor();
    await page.getByTestId('contact-details').getByText('Milano Import S.r.l.').waitFor();
    await page.goto('/contacts');
    await page.getByRole('link', { name: 'Sofia Rossi' }).waitFor();
  }, 30_000);

  it('runs the wizard in Chinese: Chinese headers recognised, a dry run writes nothing', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-zh-CN').click();
    await heading('联系人').waitFor();
    await page.getByTestId('import-contacts').click();
    await heading('新建导入').waitFor();
    await page.locator('input[type=file]').setInputFiles({
      name: '海通贸易联系人.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CHINESE_CSV),
    });
    await page.getByTestId('mapping-table').waitFor();
    expect(await page.getByTestId('map-0').textContent()).toContain('姓名');
    expect(await page.getByTestId('map-1').textContent()).toContain('电子邮箱');
    expect(await page.getByTestId('map-2').textContent()).toContain('公司名称');
    await screenshot(page, 'capture-zh-wizard-mapping');
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-summary').getByText('前 2 行看起来没有问题。').waitFor();
    await page.getByText('试运行：检查每一行，但不写入任何数据').click();
    await screenshot(page, 'capture-zh-wizard-review');
    await page.getByTestId('start-import').click();
    await page
      .getByTestId('import-status')
      .getByText('试运行完成：未写入任何数据')
      .waitFor({ timeout: 30_000 });
    await page.getByText('将有 2 行被导入，0 行被拒绝。').waitFor();
    await screenshot(page, 'capture-zh-wizard-dry-run');
    await page.getByRole('button', { name: '全部导入记录' }).click();
    await page.getByTestId('imports-table').getByText('海通贸易联系人.csv').waitFor();
    expect(await page.getByTestId('imports-table').getByText('试运行').count()).toBe(1);
    await settle();
    await screenshot(page, 'capture-zh-imports-list');
    // Nothing was written: the people in the file are not contacts.
    await page.goto('/contacts');
    await page.getByRole('link', { name: 'Sofia Rossi' }).waitFor();
    expect(await page.getByRole('link', { name: '张伟' }).count()).toBe(0);
  }, 45_000);

  it('shows the timeline, forms and builder in Chinese', async () => {
    await page.goto('/contacts');
    await page.getByRole('link', { name: 'Sofia Rossi' }).click();
    await heading('Sofia Rossi').waitFor();
    await page.getByTestId('timeline-touch').filter({ hasText: '提交表单' }).waitFor();
    await page.getByTestId('timeline').getByText('主动询价').waitFor();
    await screenshot(page, 'capture-zh-contact-timeline');
    await page.goto('/capture/forms');
    await heading('表单').waitFor();
    await page.getByRole('link', { name: 'Spring catalogue request' }).waitFor();
    await settle();
    await screenshot(page, 'capture-zh-forms-list');
    await page.getByRole('link', { name: 'Spring catalogue request' }).click();
    await page.getByTestId('submissions').getByText('新联系人').waitFor();
    await settle();
    await screenshot(page, 'capture-zh-form-detail');
    await page.getByTestId('edit-form').click();
    await heading('编辑表单').waitFor();
    await page.getByTestId('form-preview').getByText('公司名称').waitFor();
    await screenshot(page, 'capture-zh-form-builder');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-en').click();
    await heading('Edit form').waitFor();
  }, 30_000);

  it('lets a file with unknown headers be mapped by hand', async () => {
    await page.goto('/capture/imports/new?entity=contacts');
    await page.locator('input[type=file]').setInputFiles({
      name: 'messe-kontakte.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Kontakt;Adresse\nJonas Becker;jonas@becker-technik.de\n'),
    });
    await page.getByTestId('mapping-table').waitFor();
    expect(await page.getByTestId('file-delimiter').textContent()).toBe('Semicolon (;)');
    expect(await page.getByTestId('map-0').textContent()).toContain('Don’t import');
    expect(await page.getByTestId('map-1').textContent()).toContain('Don’t import');
    await page.getByText('Map at least one column to').waitFor();
    expect(await page.getByTestId('to-review').isDisabled()).toBe(true);
    await choose('map-1', 'E-mail');
    await choose('map-0', 'Full name');
    await expect.poll(() => page.getByTestId('to-review').isEnabled()).toBe(true);
    await page.getByTestId('to-review').click();
    await page.getByTestId('review-summary').getByText('The first row looks right.').waitFor();
    expect(await page.getByTestId('preview-table').textContent()).toContain('jonas@becker-technik.de');
  }, 30_000);

  it('hides the import and form-building entry points from a sales rep', async () => {
    const rep = { name: 'Maria Santos', email: 'maria@example.com', password: 'sales-rep-password-1' };
    await apiCall(page, 'POST', '/api/users', { ...rep, role: 'sales_rep' });
    const { context: other, page: p } = await openPage(world);
    try {
      await p.goto('/sign-in');
      await p.getByLabel('E-mail').fill(rep.email);
      await p.getByLabel('Password').fill(rep.password);
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      // Sign-in lands on the rep's home dashboard; Contacts is one click away in the menu.
      await p.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
      await p.locator('.shell-menu').getByRole('link', { name: 'Contacts' }).click();
      await p.getByRole('heading', { name: 'Contacts', exact: true }).waitFor();
      await p.getByTestId('export-contacts').waitFor();
      expect(await p.getByTestId('import-contacts').count()).toBe(0);
      const menu = p.locator('.shell-menu');
      await menu.getByText('Lead capture', { exact: true }).click();
      await menu.getByRole('link', { name: 'Forms' }).click();
      await p.getByRole('link', { name: 'Spring catalogue request' }).waitFor();
      expect(await p.getByTestId('new-form').count()).toBe(0);
      expect(await menu.getByRole('link', { name: 'Imports' }).count()).toBe(0);
      await p.getByRole('link', { name: 'Spring catalogue request' }).click();
      await p.getByTestId('embed-code').waitFor();
      expect(await p.getByTestId('edit-form').count()).toBe(0);
      expect(await p.getByTestId('submissions').count()).toBe(0);
      await p.goto('/capture/imports/new');
      await p.getByText('No access').waitFor();
      await screenshot(p, 'capture-sales-rep-no-imports');
    } finally {
      await other.close();
    }
  }, 30_000);
});
