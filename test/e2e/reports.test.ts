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
 * Reports end to end, in Chromium against the real server on PGlite: an admin opens Analytics, sees
 * the funnel as a chart and a table, opens the records behind a number, and the CSV export link
 * carries the same query.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the reports end-to-end tests: ${skipReason}\n`);

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 });
const PASSWORD = 'correct-horse-battery';

describe.runIf(skipReason && isCI())('reports end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

describe.skipIf(skipReason !== null)('reports in Chromium', () => {
  let world: E2EWorld;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    world = await startWorld();
    ({ context, page } = await openPage(world, { timezoneId: 'UTC' }));
    await setupWorkspace(page, { workspaceName: 'Acme Valves', timeZone: 'UTC' });
    const signIn = await page.request.post('/api/auth/sign-in', {
      data: { email: E2E_ADMIN.email, password: PASSWORD },
    });
    expect(signIn.status()).toBe(200);
    for (const [email, country] of [
      ['anna@example.de', 'DE'],
      ['bo@example.de', 'DE'],
      ['chloe@example.fr', 'FR'],
    ])
      await apiCall(page, 'POST', '/api/contacts', { email, country });
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await world?.close();
  });

  afterEach(async (ctx) => {
    if (page) await screenshot(page, `reports-${ctx.task.name}`);
  });

  it('shows the funnel as a chart and a table, and the records behind a number', async () => {
    await page.goto('/analytics');
    const table = page.getByTestId('report-table');
    // No source recorded: one "(none)" row with 3 leads.
    const row = table.locator('tbody tr', { hasText: '(none)' });
    await row.waitFor();
    await poll(() => row.locator('td').nth(1).textContent()).toBe('3');
    await poll(() =>
      page.getByTestId('report-chart').locator('.recharts-bar-rectangle').count(),
    ).toBeGreaterThan(0);
    await row.locator('td').nth(1).getByRole('button').click();
    const records = page.getByTestId('report-records');
    await poll(() => records.locator('tbody tr').count()).toBe(3);
    expect(await records.textContent()).toContain('chloe@example.fr');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('report-csv').getAttribute('href')).toBe(
      '/api/reports/funnel/csv?by=source',
    );
    const csv = await page.request.get('/api/reports/funnel/csv?by=country');
    expect((await csv.text()).split('\n').slice(0, 3)).toEqual([
      'country,lead,mql,sql,opportunity,customer,lead_to_mql,mql_to_sql,sql_to_opportunity,opportunity_to_customer,lead_to_customer',
      'DE,2,0,0,0,0,0,,,,0',
      'FR,1,0,0,0,0,0,,,,0',
    ]);
  });

  it('drills from a forecast figure to the open deals behind it, with their stage and probability', async () => {
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 15));
    const month = next.toISOString().slice(0, 7);
    await apiCall(page, 'POST', '/api/deals', {
      name: 'Valves for Hamburg',
      amountMinor: 1_200_000,
      currency: 'USD',
      expectedCloseOn: next.toISOString().slice(0, 10),
    });
    await page.goto('/analytics');
    await page.getByTestId('report-name').click();
    await page.locator('.ant-select-dropdown:visible').getByText('Forecast', { exact: true }).click();
    const row = page.getByTestId('report-table').locator('tbody tr', { hasText: month }).first();
    await row.waitFor();
    // section, month, weighted: the weighted figure of next month opens the deal behind it.
    await row.locator('td').nth(2).getByRole('button').click();
    const records = page.getByTestId('report-records');
    await poll(() => records.locator('tbody tr').count()).toBe(1);
    const cells = await records.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells[0]).toBe('Valves for Hamburg');
    expect(cells[2]).toBe('12,000');
    expect(cells[3]).toBe('Qualified');
    expect(cells[4]).toMatch(/^\d+\.\d %$/);
    await page.keyboard.press('Escape');
  });
});
