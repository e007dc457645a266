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
  signedInPage,
  startWorld,
} from './support.ts';

/**
 * Planning end to end, in Chromium against the real server on PGlite: a sales manager plans from a
 * revenue target (thin history, so the rates are labelled defaults) and forward from reinvested
 * revenue with the loop chart; edits a quarter of a rep's quota and a team's quota, approves them
 * and sees the attainment (quota, won, pipeline, gap); saves a multi-year plan target. The rep sees their own quota without approve
 * buttons and cannot open the planner.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the planning end-to-end tests: ${skipReason}\n`);

/** The page renders after lazy chunks and queries: give polls the same time as locators. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 });

const PASSWORD = 'correct-horse-battery';
const REP = { name: 'Rui Rep', email: 'rui@example.com', password: PASSWORD, role: 'sales_rep' };
const MANAGER = { name: 'Mia Manager', email: 'mia@example.com', password: PASSWORD, role: 'sales_manager' };

describe.runIf(skipReason && isCI())('planning end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

describe.skipIf(skipReason !== null)('planning in Chromium', () => {
  let world: E2EWorld;
  const contexts: BrowserContext[] = [];
  let manager: Page;
  let rep: Page;

  async function signedIn(who: { email: string; password: string }): Promise<Page> {
    const { context, page } = await signedInPage(world, who);
    contexts.push(context);
    return page;
  }

  beforeAll(async () => {
    world = await startWorld();
    const first = await openPage(world);
    contexts.push(first.context);
    await setupWorkspace(first.page, { workspaceName: 'Acme Valves 阀门' });
    const admin = await signedIn(E2E_ADMIN);
    const repUser = await apiCall<{ id: string }>(admin, 'POST', '/api/users', REP);
    await apiCall(admin, 'POST', '/api/users', MANAGER);
    // The rep won 10,000.00 this year and has 2,500.00 open.
    const won = await apiCall<{ id: string }>(admin, 'POST', '/api/deals', {
      name: 'Valves for Shanghai',
      ownerId: repUser.id,
      amountMinor: 1_000_000,
      currency: 'USD',
    });
    await apiCall(admin, 'POST', `/api/deals/${won.id}/move`, { stageKey: 'won' });
    await apiCall(admin, 'POST', '/api/deals', {
      name: 'Pumps for Lyon',
      ownerId: repUser.id,
      amountMinor: 250_000,
      currency: 'USD',
    });
    // A lead waiting in the rep's inbox (an mql they own). No campaign brought it: the planner
    // measures one channel, "unknown", with no cost.
    const lead = await apiCall<{ id: string }>(admin, 'POST', '/api/contacts', {
      email: 'li.wei@example.cn',
      firstName: 'Li',
      lastName: 'Wei',
    });
    await world.runtime.ctx.db
      .updateTable('contacts')
      .set({ lifecycle_stage: 'mql', owner_id: repUser.id })
      .where('id', '=', lead.id)
      .execute();
    await apiCall(admin, 'POST', '/api/teams', { name: 'East', memberIds: [repUser.id] });
    manager = await signedIn(MANAGER);
    // The rep signs in through the form: with no `next`, sign-in lands on the home dashboard.
    const opened = await openPage(world);
    contexts.push(opened.context);
    rep = opened.page;
    await rep.goto('/sign-in');
    await rep.getByLabel('E-mail').fill(REP.email);
    await rep.getByLabel('Password').fill(REP.password);
    await rep.getByRole('button', { name: 'Sign in', exact: true }).click();
    await rep.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    expect(new URL(rep.url()).pathname).toBe('/dashboard');
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await world?.close();
  });

  afterEach(async (ctx) => {
    if (manager) await screenshot(manager, `planning-${ctx.task.name}`);
  });

  it('plans backwards from a revenue target, with the default rates labelled', async () => {
    await manager.goto('/planning/planner');
    await poll(() => manager.locator('.planner-rates').getByTestId('default-tag').count()).toBeGreaterThan(2);
    // The form is named: its inputs have ids `backwards_<field>`.
    await manager.locator('#backwards_target').fill('1000000');
    await manager.locator('#backwards_avgDeal').fill('5000');
    // Cost per lead is typed per channel: the measured channel's row, priced at 20.00 a lead.
    expect(await manager.locator('#backwards_channels_0_channel').inputValue()).toBe('unknown');
    await manager.locator('#backwards_channels_0_cost').fill('20');
    await manager.getByTestId('planner-run').click();
    const result = manager.getByTestId('backwards-result');
    await result.waitFor();
    // 200 orders at the default 20 % close → 1,000 quotes → 1,000 qualified leads (default sql → quote 1)
    // → 3,333.3 leads at 30 % lead → qualified (defaults) × 20.00 = 66,666.67; 1,000 / (12 × 10) → 9 reps.
    await poll(() => result.getByTestId('backwards-reps').textContent()).toBe('9');
    expect(await result.getByTestId('backwards-budget').textContent()).toBe('$66,666.67');
    // Leads and budget per channel: all of it from the one channel the workspace has leads from.
    const channel = result.locator('tbody tr', { hasText: 'unknown' });
    expect(await channel.locator('td').nth(3).textContent()).toBe('$66,666.67');
  });

  it('plans forwards month by month and charts the loop', async () => {
    await manager.getByRole('tab', { name: 'From a budget' }).click();
    await manager.locator('#forwards_channels_0_cost').fill('20');
    await manager.getByTestId('forwards-run').click();
    const result = manager.getByTestId('forwards-result');
    await result.waitFor();
    await poll(() => result.locator('tbody tr').count()).toBe(12);
    await poll(() =>
      manager.getByTestId('loop-chart').locator('.recharts-bar-rectangle').count(),
    ).toBeGreaterThan(0);
  });

  it('edits a quarter of a rep’s quota, approves it and shows attainment; the rep sees only their own', async () => {
    await manager.goto('/planning/quotas');
    const row = manager.getByTestId('quota-table').locator('tr', { hasText: 'Rui Rep' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Edit the quota of Rui Rep' }).click();
    // The year splits evenly over the quarters; a quarter typed over makes the year their sum.
    const form = manager.getByTestId('quota-form');
    await form.getByLabel('Annual quota').fill('40000');
    await poll(() => form.getByLabel('Q1').inputValue()).toBe('10000');
    // A quarter other than this one (this quarter's quota is the rep's dashboard figure below).
    const thisQuarter = Math.floor(new Date().getUTCMonth() / 3) + 1;
    const other = thisQuarter === 1 ? 2 : 1;
    await form.getByLabel(`Q${other}`).fill('16000');
    await form.getByLabel(`Q${other}`).blur();
    await poll(() => form.getByLabel('Annual quota').inputValue()).toBe('46000');
    await manager.getByTestId('quota-approve').click();
    await poll(() => row.getByTestId('quota-status').textContent()).toBe('Approved');
    expect(await row.locator('td').nth(4).textContent()).toBe('$46,000.00');
    const att = manager.getByTestId('attainment-table').locator('tr', { hasText: 'Rui Rep' });
    await poll(() => att.locator('td').allTextContents()).toEqual([
      'Rui Rep',
      '$46,000.00',
      '$10,000.00',
      '$2,500.00',
      '$36,000.00',
    ]);
    // The attainment of that quarter shows its quota (nothing was won in it).
    await manager.getByLabel('Quarter').click();
    await manager.locator('.ant-select-dropdown:visible').getByText(`Q${other}`, { exact: true }).click();
    await poll(() => att.locator('td').allTextContents()).toEqual([
      'Rui Rep',
      '$16,000.00',
      '$0.00',
      '$2,500.00',
      '$16,000.00',
    ]);

    await rep.goto('/planning/quotas');
    const mine = rep.getByTestId('quota-table').locator('tbody tr');
    await poll(() => mine.count()).toBe(1);
    expect(await mine.first().textContent()).toContain('Rui Rep');
    expect(await rep.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await rep.goto('/planning/planner');
    await rep.getByText('No access').first().waitFor();
  });

  it('edits and approves a team’s own quota; the team’s attainment shows it', async () => {
    await manager.goto('/planning/quotas');
    const row = manager.getByTestId('team-quota-table').locator('tr', { hasText: 'East' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Edit the quota of East' }).click();
    await manager.getByTestId('quota-form').getByLabel('Annual quota').fill('100000');
    await manager.getByTestId('quota-save').click();
    await poll(() => row.getByTestId('quota-status').textContent()).toBe('Draft');
    await row.getByRole('button', { name: 'Approve' }).click();
    await poll(() => row.getByTestId('quota-status').textContent()).toBe('Approved');
    // Its member Rui won 10,000.00 this year and has 2,500.00 open.
    const att = manager.getByTestId('team-attainment-table').locator('tr', { hasText: 'East' });
    await poll(() => att.locator('td').allTextContents()).toEqual([
      'East',
      '$100,000.00',
      '$10,000.00',
      '$2,500.00',
      '$90,000.00',
    ]);
  });

  it('saves a multi-year plan target and shows it against actuals', async () => {
    await manager.goto('/planning/plan');
    await manager.getByRole('button', { name: 'Add a target' }).click();
    const row = manager.getByTestId('plan-targets').locator('tbody tr').first();
    await row.getByLabel('Revenue').fill('500000');
    await row.getByLabel('Customers').fill('20');
    await manager.getByTestId('plan-save').click();
    const first = manager.getByTestId('plan-years').locator('tbody tr').first();
    await poll(() => first.locator('td').nth(1).textContent()).toBe('$500,000.00');
    expect(await first.locator('td').nth(2).textContent()).toBe('$10,000.00');
  });

  it('opens each role’s home dashboard: the manager the loop, the rep their inbox, quota and pipeline', async () => {
    await manager.goto('/');
    await manager.waitForURL('**/dashboard');
    const loop = manager.getByTestId('dashboard-loop');
    const orders = loop.locator('tr', { hasText: 'Orders' });
    await poll(() => orders.locator('td').nth(1).textContent()).toBe('1');
    expect(await loop.locator('tr', { hasText: 'Revenue' }).locator('td').nth(1).textContent()).toBe(
      '$10,000.00',
    );
    // The loop closes on spend as a share of revenue (no campaign spend yet, no revenue last period).
    expect(await loop.getByTestId('dashboard-reinvest').textContent()).toBe(
      'Marketing spend was 0 % of revenue this period (— last period).',
    );

    // The brand link goes home to the dashboard too.
    await rep.goto('/planning/quotas');
    await rep.locator('.shell-brand').click();
    await rep.waitForURL('**/dashboard');
    // This quarter: a quarter of the 40,000.00 year, all of it won.
    const quota = rep.getByTestId('dashboard-quota');
    await poll(() => quota.locator('.ant-statistic-content').allTextContents()).toEqual([
      '$10,000.00',
      '$10,000.00',
      '$2,500.00',
      '$0.00',
    ]);
    const inbox = rep.getByTestId('dashboard-inbox');
    await inbox.getByText('My inbox: 1 lead waiting').waitFor();
    expect(await inbox.locator('tbody tr').first().textContent()).toContain('Li Wei');
    const pipeline = rep.getByTestId('dashboard-pipeline').locator('tbody tr');
    await poll(() => pipeline.first().locator('td').allTextContents()).toEqual([
      'Qualified',
      '1',
      '$2,500.00',
    ]);
  });
});
