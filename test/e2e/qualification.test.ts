import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_MODEL, type ScoringModel } from '../../src/contracts/scoring.ts';
import { sweepSla } from '../../src/server/modules/lifecycle/lifecycle.sla.ts';
import {
  apiCall,
  browserSkipReason,
  E2E_ADMIN,
  type E2EWorld,
  isCI,
  openPage,
  ShiftedClock,
  screenshot,
  setupWorkspace,
  startWorld,
} from './support.ts';

/**
 * The qualification engine end to end, in Chromium against the real server on PGlite: a prospect
 * from a target market fills the hosted web form; the contact page explains the score rule by rule;
 * two more touches make the lead hot, which makes it an MQL routed by territory to the present rep
 * of the DACH team with a call task; it heads that rep's My leads; nobody calls, the server's clock
 * is moved past the hot SLA and the SLA sweep runs; the manager is notified and sees the breach in
 * the SLA report.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the qualification end-to-end tests: ${skipReason}\n`);

const PASSWORD = 'correct-horse-battery';
const MANAGER = { name: 'Max Manager', email: 'max@example.com', password: PASSWORD };
const JONAS = { name: 'Jonas Becker', email: 'jonas@example.com', password: PASSWORD };
const LENA = { name: 'Lena Vogel', email: 'lena@example.com', password: PASSWORD };
const WEI = { name: 'Wei Zhang', email: 'wei@example.com', password: PASSWORD };
const HOUR = 3_600_000;

/** Target markets switched on: DE, AT and CH are worth 15 fit points. */
const MODEL: ScoringModel = {
  ...DEFAULT_SCORING_MODEL,
  fit: DEFAULT_SCORING_MODEL.fit.map((r) =>
    r.id === 'target-market' ? { ...r, enabled: true, values: ['DE', 'AT', 'CH'] } : r,
  ),
};

describe.runIf(skipReason && isCI())('qualification end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

describe.skipIf(skipReason !== null)('qualification: form → score → routed → inbox → SLA breach', () => {
  const clock = new ShiftedClock();
  let world: E2EWorld;
  let context: BrowserContext;
  let page: Page;
  let formId = '';
  let contactId = '';
  let otherLeadId = '';
  const ids: Record<string, string> = {};

  async function signedInPage(user: { email: string; password: string }): Promise<Page> {
    const { page: p } = await openPage(world);
    await p.goto('/sign-in');
    await p.getByLabel('E-mail').fill(user.email);
    await p.getByLabel('Password').fill(user.password);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    return p;
  }

  beforeAll(async () => {
    world = await startWorld({ clock });
    ({ context, page } = await openPage(world));
    await setupWorkspace(page);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  afterEach(async (ctx) => {
    if (page) await screenshot(page, `qualification-${ctx.task.name}`);
  });

  const heading = (p: Page, name: string) => p.getByRole('heading', { name, exact: true });

  it('sets up scoring, two territories with their reps and a manager, and a web form', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Dashboard').waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');

    await apiCall(page, 'PUT', '/api/scoring/model', MODEL);
    for (const [key, u, role] of [
      ['max', MANAGER, 'sales_manager'],
      ['jonas', JONAS, 'sales_rep'],
      ['lena', LENA, 'sales_rep'],
      ['wei', WEI, 'sales_rep'],
    ] as const) {
      const created = await apiCall<{ id: string }>(page, 'POST', '/api/users', { ...u, role });
      ids[key] = created.id;
    }
    const dach = await apiCall<{ id: string }>(page, 'POST', '/api/teams', {
      name: 'DACH',
      memberIds: [ids.max, ids.jonas, ids.lena],
    });
    const asia = await apiCall<{ id: string }>(page, 'POST', '/api/teams', {
      name: 'Asia',
      memberIds: [ids.wei],
    });
    ids.dach = dach.id;
    await apiCall(page, 'PUT', `/api/lifecycle/teams/${dach.id}`, { managerId: ids.max });
    await apiCall(page, 'POST', '/api/lifecycle/routing-rules', {
      name: 'Asia',
      teamId: asia.id,
      conditions: { countries: ['CN', 'JP'] },
    });
    await apiCall(page, 'POST', '/api/lifecycle/routing-rules', {
      name: 'DACH',
      teamId: dach.id,
      conditions: { countries: ['DE', 'AT', 'CH'] },
    });
    // Lena weighs more but is on holiday: routing must skip her.
    await apiCall(page, 'PUT', `/api/lifecycle/reps/${ids.lena}`, { weight: 3 });
    await apiCall(page, 'PUT', `/api/lifecycle/reps/${ids.lena}/absence`, {
      awayUntil: new Date(clock.now().getTime() + 14 * 24 * HOUR).toISOString(),
    });

    const form = await apiCall<{ id: string; hostedPath: string }>(page, 'POST', '/api/forms', {
      name: 'Catalogue request',
      title: { en: 'Request our catalogue', 'zh-CN': '索取产品目录' },
      fields: [
        { target: 'email', required: true },
        { target: 'firstName', required: true },
        { target: 'lastName', required: true },
        { target: 'title', required: false },
        { target: 'company', required: false },
        { target: 'country', required: false },
      ],
      consent: null,
    });
    formId = form.id;
    expect(form.hostedPath).toBe(`/f/${formId}`);

    // A lead Jonas already holds (cold, 24 h SLA): the hot one must come before it in his inbox.
    const other = await apiCall<{ id: string }>(page, 'POST', '/api/contacts', {
      firstName: 'Petra',
      lastName: 'Klein',
      email: 'petra.klein@klein-technik.de',
      country: 'DE',
    });
    otherLeadId = other.id;
    await apiCall(page, 'POST', `/api/contacts/${otherLeadId}/stage`, { to: 'mql' });
  }, 60_000);

  it('takes a submission from a prospect in a target market on the hosted page', async () => {
    const hosted = await context.newPage();
    try {
      await hosted.goto(`/f/${formId}`);
      await hosted.getByRole('heading', { name: 'Request our catalogue' }).waitFor();
      const opened = Date.now();
      await hosted.locator('input[name="email"]').fill('klaus.weber@weber-maschinenbau.de');
      await hosted.locator('input[name="firstName"]').fill('Klaus');
      await hosted.locator('input[name="lastName"]').fill('Weber');
      await hosted.locator('input[name="title"]').fill('Head of Purchasing');
      await hosted.locator('input[name="company"]').fill('Weber Maschinenbau GmbH');
      await hosted.locator('select[name="country"]').selectOption('DE');
      // The server drops submissions sent less than 3 s after the page: wait like a person.
      await hosted.waitForTimeout(Math.max(0, 3_300 - (Date.now() - opened)));
      await hosted.getByRole('button', { name: 'Submit' }).click();
      await hosted.getByText(/thank/i).first().waitFor();
      await screenshot(hosted, 'qualification-hosted-form-thanks');
    } finally {
      await hosted.close();
    }
  }, 30_000);

  it('scores the new contact and explains the score rule by rule on the contact page', async () => {
    await page.goto('/contacts');
    await page.getByRole('link', { name: 'Klaus Weber' }).click();
    await heading(page, 'Klaus Weber').waitFor();
    contactId = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect(contactId).toMatch(/^ctc_/);
    const panel = page.getByTestId('score-panel');
    // 15 (target market) + 10 (decision maker) + 20 (form submission) = 45: warm.
    await expect
      .poll(() => panel.getByTestId('score-value').textContent(), { timeout: 10_000 })
      .toBe('45 · Warm');
    const reasons = await panel.getByTestId('score-reason').allTextContents();
    expect(reasons).toEqual([
      expect.stringMatching(/Country in a target market.*\+15$/),
      expect.stringMatching(/Job title of a decision maker.*\+10$/),
      expect.stringMatching(/form_submit.*\+20 → 20$/),
    ]);
    expect(await page.getByTestId('lifecycle-stage').textContent()).toBe('Lead');
  }, 30_000);

  it('turns hot after two more touches and is routed to the present DACH rep with a call task', async () => {
    await apiCall(page, 'POST', '/api/touches', { contactId, type: 'webinar' });
    await apiCall(page, 'POST', '/api/touches', { contactId, type: 'trade_show_scan' });
    await page.reload();
    const panel = page.getByTestId('score-panel');
    await expect
      .poll(() => panel.getByTestId('score-value').textContent(), { timeout: 10_000 })
      .toBe('75 · Hot');
    expect(await panel.getByTestId('score-reason').count()).toBe(5);
    const lifecycle = page.getByTestId('lifecycle-panel');
    await expect
      .poll(() => page.getByTestId('lifecycle-stage').textContent(), { timeout: 10_000 })
      .toBe('Marketing-qualified');
    await lifecycle.getByText(JONAS.name).first().waitFor();
    expect(await page.getByTestId('next-action').textContent()).toContain('One-on-one call');

    const tasks = await apiCall<{ items: { type: string; ownerId: string; contactId: string }[] }>(
      page,
      'GET',
      `/api/tasks?contactId=${contactId}&ownerId=${ids.jonas}`,
    );
    expect(tasks.items.some((t) => t.type === 'call' && t.ownerId === ids.jonas)).toBe(true);
    await screenshot(page, 'qualification-contact-hot-routed');
  }, 30_000);

  it('heads the rep’s My leads inbox, hot and with an hour to the first touch', async () => {
    const jonas = await signedInPage(JONAS);
    try {
      await jonas.goto('/qualification/leads');
      await heading(jonas, 'My leads').waitFor();
      const rows = jonas.getByTestId('my-leads').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
      const first = rows.nth(0);
      expect(await first.getByRole('link').textContent()).toBe('Klaus Weber');
      const text = (await first.textContent()) ?? '';
      expect(text).toContain('Hot');
      expect(text).toMatch(/(59|60) minutes? left/);
      expect(text).toContain('One-on-one call');
      expect(await rows.nth(1).getByRole('link').textContent()).toBe('Petra Klein');
      // The cold lead's 24 h SLA reads in hours.
      expect(await rows.nth(1).textContent()).toMatch(/2[34] hours left/);
      await screenshot(jonas, 'qualification-my-leads');
    } finally {
      await jonas.context().close();
    }
  }, 30_000);

  it('breaches the hot SLA without a sales touch, and the manager sees it', async () => {
    clock.advance(2 * HOUR);
    await sweepSla(world.runtime.ctx);
    const manager = await signedInPage(MANAGER);
    try {
      await manager.getByTestId('notification-bell').click();
      const item = manager
        .getByTestId('notification-item')
        .filter({ hasText: 'A lead missed its first-touch SLA' });
      await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
      await manager.goto('/qualification/sla');
      await heading(manager, 'SLA report').waitFor();
      const breaches = manager.getByTestId('sla-breaches').locator('tbody tr.ant-table-row');
      await expect.poll(() => breaches.count(), { timeout: 10_000 }).toBe(1);
      expect(await breaches.nth(0).textContent()).toContain('Klaus Weber');
      expect(await breaches.nth(0).textContent()).toContain(JONAS.name);
      await screenshot(manager, 'qualification-sla-report');
    } finally {
      await manager.context().close();
    }
    // The rep's inbox says so too; the cold lead's 24 h clock is still running.
    const jonas = await signedInPage(JONAS);
    try {
      await jonas.goto('/qualification/leads');
      const rows = jonas.getByTestId('my-leads').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
      expect(await rows.nth(0).textContent()).toContain('SLA breached');
      expect(await rows.nth(1).textContent()).not.toContain('SLA breached');
    } finally {
      await screenshot(jonas, 'qualification-my-leads-breached');
      await jonas.context().close();
    }
  }, 45_000);
});
