import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DealDto } from '../../src/contracts/deals.ts';
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
 * The pipeline board in Chromium: a deal dragged with the mouse from its column to Won moves (the
 * column sums follow), its contact becomes a customer, and the deal page shows the stage history.
 * Test ids other suites may rely on: `deal-card-<id>`, `board-column-<stageKey>`,
 * `column-total-<stageKey>`, `column-count-<stageKey>`, `deal-stage`.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the pipeline end-to-end tests: ${skipReason}\n`);

describe.skipIf(skipReason !== null)('pipeline board in Chromium', () => {
  let world: E2EWorld;
  let page: Page;

  beforeAll(async () => {
    world = await startWorld();
    ({ page } = await openPage(world, { timezoneId: 'UTC' }));
    await setupWorkspace(page, { timeZone: 'UTC' });
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  afterEach(async (ctx) => {
    if (page) await screenshot(page, `deals-${ctx.task.name}`);
  });

  it('drags a deal to Won: sums move, the contact becomes a customer, the history shows the move', async () => {
    await page.goto('/pipeline');
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Pipeline', exact: true }).waitFor();
    const contact = await apiCall<{ id: string }>(page, 'POST', '/api/contacts', {
      email: 'mei@brightway.cn',
      firstName: 'Mei',
    });
    const deal = await apiCall<DealDto>(page, 'POST', '/api/deals', {
      name: 'Brightway forklifts',
      contactId: contact.id,
      amountMinor: 1_250_000,
    });
    await page.reload();
    const card = page.getByTestId(`deal-card-${deal.id}`);
    await card.waitFor();
    await expect.poll(() => page.getByTestId('column-total-qualified').textContent()).toBe('$12,500.00');
    await expect.poll(() => page.getByTestId('column-total-won').textContent()).toBe('$0.00');

    const from = (await card.boundingBox())!;
    const to = (await page.getByTestId('board-column-won').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 20 });
    await page.mouse.up();

    await page.getByTestId('board-column-won').getByTestId(`deal-card-${deal.id}`).waitFor();
    await expect.poll(() => page.getByTestId('column-total-won').textContent()).toBe('$12,500.00');
    await expect.poll(() => page.getByTestId('column-total-qualified').textContent()).toBe('$0.00');
    const after = await apiCall<DealDto>(page, 'GET', `/api/deals/${deal.id}`);
    expect(after.stageKind).toBe('won');
    const row = await world.runtime.ctx.db
      .selectFrom('contacts')
      .select('lifecycle_stage')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(row.lifecycle_stage).toBe('customer');

    await page.getByRole('link', { name: 'Brightway forklifts' }).click();
    await expect.poll(() => page.getByTestId('deal-stage').textContent()).toBe('Won');
    await page.getByTestId('deal-timeline').getByText('Moved from Qualified to Won').waitFor();
  }, 120_000);
});
