import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
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
 * The scoring rules page in Chromium against the real server on PGlite: an admin raises the hot
 * threshold, saves, sees the recompute progress, and finds the new value after a reload; a warm
 * threshold above hot comes back from the server as a field error next to the field.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the scoring end-to-end tests: ${skipReason}\n`);

describe.runIf(skipReason && isCI())('scoring end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

describe.skipIf(skipReason !== null)('scoring rules in Chromium', () => {
  let world: E2EWorld;
  let page: Page;

  beforeAll(async () => {
    world = await startWorld();
    ({ page } = await openPage(world));
    await setupWorkspace(page);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  afterEach(async (ctx) => {
    if (page) await screenshot(page, `scoring-${ctx.task.name}`);
  });

  const heading = (name: string) => page.getByRole('heading', { name, exact: true });
  const nav = () => page.locator('.shell-menu');
  // The name may still carry the fading "loading" icon's label right after a save.
  const save = () => page.getByRole('button', { name: /Save$/ });
  const hot = () => page.getByLabel('Hot from', { exact: true });
  const warm = () => page.getByLabel('Warm from', { exact: true });

  it('signs in and opens Scoring rules from the menu', async () => {
    await page.goto('/contacts');
    await heading('Sign in').waitFor();
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Contacts').waitFor();
    await nav().getByText('Qualification', { exact: true }).click();
    await nav().getByRole('link', { name: 'Scoring rules' }).click();
    await heading('Scoring rules').waitFor();
    expect(await hot().inputValue()).toBe('70');
  }, 30_000);

  it('shows the server field error next to the field', async () => {
    await warm().fill('90');
    await save().click();
    await page
      .locator('.ant-form-item-explain-error', { hasText: 'must be above the warm threshold' })
      .waitFor();
    await page.getByTestId('scoring-error').waitFor();
    await warm().fill('40');
  }, 30_000);

  it('saves a new hot threshold, shows the recompute and keeps it after a reload', async () => {
    await hot().fill('75');
    await save().click();
    await page.getByText('Scoring rules saved').waitFor();
    await page.getByTestId('recompute-progress').waitFor();
    await page.getByTestId('recompute-progress').getByText('Done').waitFor({ timeout: 20_000 });
    await page.reload();
    await heading('Scoring rules').waitFor();
    await expect.poll(() => hot().inputValue()).toBe('75');
    expect(await warm().inputValue()).toBe('40');
  }, 60_000);
});
