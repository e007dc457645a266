import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notifySalesOfLaunches } from '../../src/server/modules/campaigns/campaigns.jobs.ts';
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
 * Campaigns end to end, in Chromium against the real server on PGlite: a trade-show campaign with
 * two cost lines made in the UI, members added and moved to "Visited booth" (a trade_show_scan
 * touch), the campaign page's totals, the calendar, and the launch notice in the header bell.
 * Last, a badge-scan CSV imported into the campaign from its Members tab: the new contacts become
 * members who visited the booth, each with a trade_show_scan touch. The segment builder's live
 * count and the campaign loop are in segments.test.ts, the content share link in content.test.ts.
 */

/** Two badge scans from the booth, as the fair's scanner app exports them. */
const BADGES_CSV = [
  'E-mail,First Name,Last Name,Company,Country',
  'hans.kraft@kraftwerk-gmbh.de,Hans,Kraft,Kraftwerk GmbH,Germany',
  'yuki.sato@sakura-trading.jp,Yuki,Sato,Sakura Trading,Japan',
].join('\n');
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the campaigns end-to-end tests: ${skipReason}\n`);

describe.runIf(skipReason && isCI())('campaigns end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

describe.skipIf(skipReason !== null)('campaigns in Chromium', () => {
  let world: E2EWorld;
  let page: Page;
  const contactIds: string[] = [];
  let campaignUrl = '';

  beforeAll(async () => {
    world = await startWorld();
    ({ page } = await openPage(world));
    await setupWorkspace(page);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  afterEach(async (ctx) => {
    if (page) await screenshot(page, `campaigns-${ctx.task.name}`);
  });

  const heading = (name: string) => page.getByRole('heading', { name, exact: true });
  const nav = () => page.locator('.shell-menu');

  it('signs in and opens Campaigns from the menu', async () => {
    await page.goto('/contacts');
    await heading('Sign in').waitFor();
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Contacts').waitFor();
    await nav().getByText('Campaigns', { exact: true }).click();
    await nav().getByRole('link', { name: 'All campaigns' }).click();
    await heading('Campaigns').waitFor();
  }, 30_000);

  it('creates a trade-show campaign starting in five days', async () => {
    await page.getByRole('button', { name: 'New campaign' }).click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByTestId('campaign-name').fill('Canton Fair 2026');
    const start = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const end = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10);
    await modal.getByPlaceholder('Start date').click();
    await modal.getByPlaceholder('Start date').fill(start);
    await page.keyboard.press('Enter');
    await modal.getByPlaceholder('End date').fill(end);
    await page.keyboard.press('Enter');
    await expect.poll(() => modal.getByPlaceholder('End date').inputValue()).toBe(end);
    await modal.getByLabel('Currency').fill('EUR');
    await modal.getByRole('button', { name: 'Save' }).click();
    await heading('Canton Fair 2026').waitFor();
    campaignUrl = new URL(page.url()).pathname;
    expect(campaignUrl).toMatch(/^\/campaigns\/cam_/);
    await page.getByText('Trade show', { exact: true }).first().waitFor();
  }, 30_000);

  it('adds two cost lines and shows their total', async () => {
    await page.getByRole('tab', { name: 'Cost lines' }).click();
    const form = page.getByTestId('cost-line-form');
    for (const [date, amount, category] of [
      ['2026-03-01', '4500', 'Booth'],
      ['2026-03-02', '1200.50', 'Travel'],
    ] as const) {
      await form.getByPlaceholder('Date').click();
      await form.getByPlaceholder('Date').fill(date);
      await page.keyboard.press('Enter');
      await form.getByLabel('Amount').fill(amount);
      await form.getByLabel('Category').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: category })
        .click();
      await form.getByRole('button', { name: 'Add cost line' }).click();
      await page.getByTestId('cost-lines-table').getByText(category, { exact: true }).waitFor();
    }
    await expect.poll(() => page.getByTestId('campaign-stats').textContent()).toContain('€5,700.50');
  }, 30_000);

  it('adds members and moves one to Visited booth, which logs a trade-show scan', async () => {
    const me = await apiCall<{ user: { id: string } }>(page, 'GET', '/api/me');
    for (const [email, firstName] of [
      ['mei.lin@brightway.cn', 'Mei'],
      ['carlos@lusitano.pt', 'Carlos'],
    ]) {
      const c = await apiCall<{ id: string }>(page, 'POST', '/api/contacts', {
        email,
        firstName,
        ownerId: me.user.id,
      });
      contactIds.push(c.id);
    }
    await page.getByRole('tab', { name: 'Members' }).click();
    await page.getByPlaceholder('Contact ids (comma or space separated)').fill(contactIds.join(' '));
    await page.getByRole('button', { name: 'Add members' }).click();
    await page.getByText('2 added, 0 moved on, 0 unchanged, 0 touches logged').waitFor();
    const table = page.getByTestId('members-table');
    await table.getByText('mei.lin@brightway.cn').waitFor();
    await table.getByLabel('Status of Mei').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Visited booth' })
      .click();
    await page.getByRole('tab', { name: 'Touches' }).click();
    await page.getByTestId('touches-table').getByText('trade_show_scan').waitFor();
    await expect.poll(() => page.getByTestId('campaign-stats').textContent()).toMatch(/Touches\s*1/);
  }, 30_000);

  it('shows the campaign in this month’s or next month’s calendar', async () => {
    await nav().getByRole('link', { name: 'Campaign calendar' }).click();
    await heading('Campaign calendar').waitFor();
    const start = new Date(Date.now() + 5 * 86_400_000);
    if (start.getMonth() !== new Date().getMonth()) {
      await page.getByText('Quarter', { exact: true }).click();
    }
    const calendar = page.getByTestId('campaign-calendar');
    // Quarter view may still miss a start in the next quarter: then the month picker moves on.
    // Waited for, not checked at once: under load the calendar renders its entries late, and an
    // instant check took the month-picker branch for a campaign that was about to show.
    const shown = await calendar
      .getByText('Canton Fair 2026')
      .first()
      .waitFor({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (!shown) {
      await page.getByText('Month', { exact: true }).click();
      await page.getByLabel('Period').click();
      await page.locator('.ant-picker-header-next-btn:visible').click();
      await page.keyboard.press('Escape');
    }
    await calendar.getByRole('link', { name: 'Canton Fair 2026' }).first().waitFor();
  }, 30_000);

  it('tells the owner of the members before the launch, in the bell', async () => {
    const result = await notifySalesOfLaunches(world.runtime.ctx);
    expect(result).toEqual({ campaigns: 1, notifications: 1 });
    await page.reload();
    const bell = page.getByTestId('notification-bell');
    // The page reloads first: on a loaded machine that takes longer than expect.poll's default second.
    await expect
      .poll(() => bell.locator('.ant-scroll-number').getAttribute('title'), { timeout: 10_000 })
      .toBe('1');
    expect(await bell.getAttribute('aria-label')).toBe('Notifications: 1 unread');
    await bell.click();
    const item = page.getByTestId('notification-item');
    await item.getByText(/Canton Fair 2026 starts/).waitFor();
    await item
      .getByText(/Your 2 contacts in its audience: Carlos, Mei|Your 2 contacts in its audience: Mei, Carlos/)
      .waitFor();
    await item.click();
    await heading('Canton Fair 2026').waitFor();
    expect(new URL(page.url()).pathname).toBe(campaignUrl);
  }, 30_000);

  it('imports a badge-scan CSV into the campaign: members who visited the booth, with scans', async () => {
    await page.goto(campaignUrl);
    await heading('Canton Fair 2026').waitFor();
    await page.getByRole('tab', { name: 'Members' }).click();
    await page.getByTestId('members-import').click();
    await heading('New import').waitFor();
    await page.locator('input[type=file]').setInputFiles({
      name: 'canton-fair-badges.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(BADGES_CSV),
    });
    await page.getByTestId('mapping-table').getByText('hans.kraft@kraftwerk-gmbh.de').waitFor();
    await expect.poll(() => page.getByTestId('to-review').isEnabled()).toBe(true);
    await page.getByTestId('to-review').click();
    // The campaign is preselected from the campaign page.
    await page
      .locator('.ant-select', { has: page.locator('#import-campaign') })
      .getByText('Canton Fair 2026')
      .waitFor();
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-status').getByText('Import finished').waitFor({ timeout: 30_000 });

    await page.goto(campaignUrl);
    await heading('Canton Fair 2026').waitFor();
    await page.getByRole('tab', { name: 'Members' }).click();
    const table = page.getByTestId('members-table');
    await table.getByText('hans.kraft@kraftwerk-gmbh.de').waitFor();
    await table.getByText('yuki.sato@sakura-trading.jp').waitFor();
    expect(await table.getByText('Visited booth').count()).toBe(3);
    await page.getByRole('tab', { name: 'Touches' }).click();
    await expect.poll(() => page.getByTestId('touches-table').getByText('trade_show_scan').count()).toBe(3);
    await expect.poll(() => page.getByTestId('campaign-stats').textContent()).toMatch(/Members\s*4/);
  }, 60_000);

  it('shows the deals the campaign sourced and the revenue won', async () => {
    const campaignId = campaignUrl.split('/')[2];
    const won = await apiCall<{ id: string }>(page, 'POST', '/api/deals', {
      name: 'Kraftwerk first order',
      amountMinor: 12_000_00,
      currency: 'USD',
      sourceCampaignId: campaignId,
    });
    await apiCall(page, 'POST', `/api/deals/${won.id}/move`, { stageKey: 'won' });
    await apiCall(page, 'POST', '/api/deals', {
      name: 'Sakura trial',
      amountMinor: 3_000_00,
      currency: 'USD',
      sourceCampaignId: campaignId,
    });
    await page.goto(campaignUrl);
    await heading('Canton Fair 2026').waitFor();
    await expect.poll(() => page.getByTestId('campaign-deals').textContent()).toBe('1 open · 1 won · 0 lost');
    await expect.poll(() => page.getByTestId('campaign-revenue').textContent()).toBe('$12,000.00');
  }, 30_000);
});
