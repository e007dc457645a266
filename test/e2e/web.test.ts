import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/web/app/i18n/en.ts';
import { zhCN } from '../../src/web/app/i18n/zh-CN.ts';
import { NAVIGATION } from '../../src/web/app/modules.tsx';
import { seedShowcase } from './showcase.ts';
import {
  apiCall,
  browserSkipReason,
  E2E_ADMIN,
  type E2EWorld,
  isCI,
  openPage,
  ROOT,
  screenshot,
  startWorld,
} from './support.ts';

/**
 * The web app end to end, in Chromium against the real server on PGlite: first-run set-up,
 * sign-in, contacts (create, search, edit, duplicate), companies, the language switch and the
 * "Coming soon" modules. The tests run in order and build on each other, like one user's session.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the web end-to-end tests: ${skipReason}\n`);

describe.runIf(skipReason && isCI())('web end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

const README_SHOT = path.join(ROOT, 'docs', 'screenshots', 'contacts.png');

describe.skipIf(skipReason !== null)('web app in Chromium', () => {
  let world: E2EWorld;
  let page: Page;

  beforeAll(async () => {
    world = await startWorld();
    ({ page } = await openPage(world));
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  afterEach(async (ctx) => {
    if (page) await screenshot(page, ctx.task.name);
  });

  const heading = (name: string) => page.getByRole('heading', { name, exact: true });
  const drawer = (testId: string) => page.getByTestId(testId);

  it('first visit offers to create the workspace and first admin', async () => {
    await page.goto('/');
    await expect.poll(() => heading('Create your workspace and first admin').isVisible()).toBe(true);
    await page.getByLabel('Company or workspace name').fill('Acme Export Co.');
    await page.getByLabel('Your name').fill(E2E_ADMIN.name);
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(E2E_ADMIN.password);
    await page.getByLabel('Repeat the password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    // The home screen is the role's dashboard (an admin sees the loop).
    await heading('Dashboard').waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await expect.poll(() => page.getByText('Acme Export Co.').first().isVisible()).toBe(true);
  }, 60_000);

  it('signs out, and signs in again to the page asked for', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await heading('Sign in').waitFor();
    await page.goto('/companies');
    await heading('Sign in').waitFor();
    expect(page.url()).toContain('next=%2Fcompanies');
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('The e-mail or password is not right.').waitFor();
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Companies').waitFor();
    expect(new URL(page.url()).pathname).toBe('/companies');
  }, 60_000);

  it('lists every module, with the unbuilt ones marked Coming soon', async () => {
    const nav = page.locator('.shell-menu');
    // The menu declares which modules are built; the page must show all of them and mark the rest.
    const top = NAVIGATION.flatMap((g) => g.items);
    const built = top.filter((i) => !i.soon).map((i) => i.key as keyof typeof en.nav);
    const soon = top.filter((i) => i.soon).map((i) => i.key as keyof typeof en.nav);
    expect(built).toEqual(expect.arrayContaining(['contacts', 'companies', 'campaigns', 'pipeline']));
    expect(built).toContain('dashboard');
    expect(soon.length).toBeGreaterThan(0);
    for (const key of [...built, ...soon]) {
      await expect
        .poll(() => nav.getByText(en.nav[key], { exact: true }).isVisible(), { message: key })
        .toBe(true);
    }
    for (const key of soon) {
      const item = nav.getByRole('link').filter({ hasText: en.nav[key] });
      await expect
        .poll(() => item.getByText(en.common.soon, { exact: true }).count(), { message: key })
        .toBe(1);
    }
    expect(await nav.getByText(en.common.soon, { exact: true }).count()).toBe(soon.length);
    const firstSoon = en.nav[soon[0]!];
    await nav.getByRole('link', { name: new RegExp(firstSoon) }).click();
    await heading(firstSoon).waitFor();
    await page.getByText('Coming soon', { exact: true }).waitFor();
    // A plain description, no fake controls or data behind it.
    expect(await page.locator('.shell-content table, .shell-content input').count()).toBe(0);
  }, 30_000);

  it('creates a contact in the drawer', async () => {
    await page.locator('.shell-menu').getByRole('link', { name: 'Contacts' }).click();
    await heading('Contacts').waitFor();
    await page.getByTestId('new-contact').click();
    const form = drawer('contact-form');
    await form.getByLabel('First name').fill('Anna');
    await form.getByLabel('Last name').fill('Schmidt');
    await form.getByLabel('E-mail', { exact: true }).fill('anna.schmidt@nordwind.de');
    await form.getByLabel('Job title').fill('Purchasing manager');
    await form.getByLabel('Tags').fill('trade-show');
    await form.getByLabel('Tags').press('Enter');
    await page.getByTestId('drawer-save').click();
    await page.getByText('Contact Anna Schmidt created').waitFor();
    await page.getByRole('link', { name: 'Anna Schmidt' }).waitFor();
  }, 30_000);

  it('finds the contact with the search box', async () => {
    for (const [firstName, lastName, email] of [
      ['James', 'Miller', 'jmiller@atlantichome.com'],
      ['Wang', 'Fang', 'wang.fang@brightway.cn'],
    ]) {
      await apiCall(page, 'POST', '/api/contacts', { firstName, lastName, email });
    }
    await page.reload();
    await page.getByRole('link', { name: 'James Miller' }).waitFor();
    await page.getByTestId('list-search').fill('schmidt');
    await expect.poll(() => page.getByRole('link', { name: 'James Miller' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Anna Schmidt' }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('schmidt');
    await page.getByTestId('list-search').fill('');
    await page.getByRole('link', { name: 'James Miller' }).waitFor();
    // Sorting is the server's: clicking a header changes the query, and the rows follow.
    await page.getByRole('columnheader', { name: 'E-mail' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('email');
    await expect
      .poll(() => page.locator('.ant-table-tbody tr td:nth-child(2)').allInnerTexts())
      .toEqual(['anna.schmidt@nordwind.de', 'jmiller@atlantichome.com', 'wang.fang@brightway.cn']);
    await page.getByRole('columnheader', { name: 'E-mail' }).click();
    await expect
      .poll(() => page.locator('.ant-table-tbody tr td:nth-child(2)').allInnerTexts())
      .toEqual(['wang.fang@brightway.cn', 'jmiller@atlantichome.com', 'anna.schmidt@nordwind.de']);
    await page.getByTestId('list-search').fill('schmidt');
    await expect.poll(() => page.getByRole('link', { name: 'James Miller' }).count()).toBe(0);
  }, 30_000);

  it('opens the contact and edits it, and the history shows the change', async () => {
    await page.getByRole('link', { name: 'Anna Schmidt' }).click();
    await heading('Anna Schmidt').waitFor();
    await page.getByTestId('edit').click();
    const form = drawer('contact-form');
    await form.getByLabel('Job title').fill('Head of purchasing');
    await page.getByTestId('drawer-save').click();
    await page.getByTestId('contact-details').getByText('Head of purchasing').waitFor();
    await page.getByTestId('history-entry').filter({ hasText: 'Updated' }).first().waitFor();
    await page.getByText('Purchasing manager').first().waitFor(); // the old value, struck through
  }, 30_000);

  it('refuses a duplicate e-mail and links to the existing contact', async () => {
    const existingUrl = page.url();
    await page.goto('/contacts');
    await page.getByTestId('new-contact').click();
    const form = drawer('contact-form');
    await form.getByLabel('First name').fill('Anna');
    await form.getByLabel('E-mail', { exact: true }).fill('ANNA.SCHMIDT@nordwind.de');
    await page.getByTestId('drawer-save').click();
    await page.getByText('This record already exists').waitFor();
    await page.getByTestId('open-existing').click();
    await heading('Anna Schmidt').waitFor();
    expect(page.url()).toBe(existingUrl);
  }, 30_000);

  it('creates a company and links the contact to it', async () => {
    await page.locator('.shell-menu').getByRole('link', { name: 'Companies' }).click();
    await heading('Companies').waitFor();
    await page.getByTestId('new-company').click();
    const form = drawer('company-form');
    await form.getByLabel('Name').fill('Nordwind Maschinenbau GmbH');
    await form.getByLabel('Domain').fill('nordwind.de');
    await form.getByLabel('Industry').fill('Industrial machinery');
    await page.getByTestId('drawer-save').click();
    await page.getByText('Company Nordwind Maschinenbau GmbH created').waitFor();
    await page.getByRole('link', { name: 'Nordwind Maschinenbau GmbH' }).click();
    await heading('Nordwind Maschinenbau GmbH').waitFor();

    await page.getByRole('button', { name: 'Link a contact' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox').fill('anna');
    await page.locator('.ant-select-item-option', { hasText: 'Anna Schmidt' }).click();
    await dialog.getByRole('button', { name: 'Link' }).click();
    await page.getByText('Contact linked').waitFor();
    const contacts = page.getByTestId('company-contacts');
    await contacts.getByRole('link', { name: 'Anna Schmidt' }).click();
    await heading('Anna Schmidt').waitFor();
    await page
      .getByTestId('contact-details')
      .getByRole('link', { name: 'Nordwind Maschinenbau GmbH' })
      .waitFor();
  }, 45_000);

  it('creates a team with a member and renames it in Users & teams', async () => {
    await page.goto('/governance/users');
    await page.getByRole('tab', { name: 'Teams' }).click();
    await page.getByRole('button', { name: 'New team' }).click();
    const dialog = page.locator('.ant-modal-wrap:visible .ant-modal');
    await dialog.getByLabel('Name').fill('Export DACH');
    await dialog.getByLabel('Members').click();
    await page.locator('.ant-select-item-option', { hasText: E2E_ADMIN.name }).click();
    await dialog.locator('.ant-modal-title').click(); // closes the open member list over the buttons
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Team saved').first().waitFor();
    // The Users tab lists teams per user too: look in the Teams tab only.
    const teamRow = (name: string) =>
      page.locator('table', { hasText: 'Team name' }).locator('tbody tr', { hasText: name });
    const row = teamRow('Export DACH');
    await row.getByText(E2E_ADMIN.name).waitFor();

    // Editing opens with the team's values, and a rename keeps its members.
    await row.getByRole('button', { name: 'Edit' }).click();
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Export DACH');
    await dialog.getByLabel('Name').fill('Export DACH & Nordics');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await teamRow('Export DACH & Nordics').getByText(E2E_ADMIN.name).waitFor();
    expect(await teamRow('Export DACH').count()).toBe(1);
  }, 45_000);

  it('switches to Chinese at once, and keeps it for the user', async () => {
    await page.goto('/contacts');
    await heading('Contacts').waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-zh-CN').click();
    await heading('联系人').waitFor();
    const nav = page.locator('.shell-menu');
    await nav.getByRole('link', { name: '公司' }).waitFor();
    await page.getByRole('button', { name: '新建联系人' }).waitFor();
    await page.getByRole('columnheader', { name: '电子邮箱' }).waitFor();
    // Saved on the user: a fresh load (and the API) say zh-CN.
    await expect
      .poll(
        async () =>
          ((await (await page.request.get('/api/me')).json()) as { user: { locale: string } }).user.locale,
      )
      .toBe('zh-CN');
    await page.reload();
    await heading('联系人').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await nav.getByRole('link', { name: zhCN.nav.dashboard }).click();
    await page.getByText(zhCN.dashboard.loop, { exact: true }).waitFor();
  }, 30_000);

  it('takes the README screenshot of the contacts list', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-en').click();
    await heading(en.nav.dashboard).waitFor();
    await seedShowcase(page);
    await page.goto('/contacts');
    await page.getByRole('link', { name: 'Lukas Weber' }).waitFor();
    await page.waitForLoadState('networkidle');
    await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
    await page.mouse.move(0, 0);
    const file = await screenshot(page, 'contacts-list-readme');
    // Written once; delete the file and rerun to refresh it (so test runs leave the tree clean).
    if (!fs.existsSync(README_SHOT)) {
      fs.mkdirSync(path.dirname(README_SHOT), { recursive: true });
      fs.copyFileSync(file, README_SHOT);
    }
    expect(fs.existsSync(README_SHOT)).toBe(true);
  }, 30_000);
});
