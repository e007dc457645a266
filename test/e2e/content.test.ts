import type { Page } from 'playwright-core';
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
 * The content library end to end, in Chromium against the real server on PGlite: marketing uploads
 * a brochure (a small PDF) in the UI, adds a second version, shares it with a contact (made through
 * the API), the contact opens the link in a separate browser context without a session (the PDF is
 * served) and the contact's timeline shows the "Content viewed" touch.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the content end-to-end tests: ${skipReason}\n`);

/** The smallest file the type check accepts as a PDF (it looks at the magic bytes). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

describe.runIf(skipReason && isCI())('content end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

describe.skipIf(skipReason !== null)('content library in Chromium', () => {
  let world: E2EWorld;
  let page: Page;
  let contactId = '';
  let shareUrl = '';

  beforeAll(async () => {
    world = await startWorld();
    ({ page } = await openPage(world, { permissions: ['clipboard-read', 'clipboard-write'] }));
    await setupWorkspace(page);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  afterEach(async (ctx) => {
    if (page) await screenshot(page, `content-${ctx.task.name}`);
  });

  const heading = (name: string) => page.getByRole('heading', { name, exact: true });
  const nav = () => page.locator('.shell-menu');

  it('signs in and opens the content library from the menu', async () => {
    await page.goto('/contacts');
    await heading('Sign in').waitFor();
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Contacts').waitFor();
    await nav().getByRole('link', { name: 'Content library' }).click();
    await heading('Content library').waitFor();
    expect(new URL(page.url()).pathname).toBe('/content');
  }, 30_000);

  it('uploads a brochure as a PDF file', async () => {
    await page.getByRole('button', { name: 'Add asset' }).click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByLabel('Title').fill('Solar pump brochure');
    await modal.getByTestId('content-file').setInputFiles({
      name: 'solar-pump.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await modal.getByLabel('Product').fill('Solar pump');
    await modal.getByLabel('Language').fill('en');
    await modal.getByLabel('Funnel stage').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Decision' })
      .click();
    await modal.getByRole('button', { name: 'Save' }).click();
    await heading('Solar pump brochure').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/content\/\w+/);
    await page.getByTestId('content-versions').getByText('solar-pump.pdf').waitFor();
  }, 30_000);

  it('adds a second version and keeps the history', async () => {
    await page.getByRole('button', { name: 'New version' }).click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByLabel('File').setInputFiles({
      name: 'solar-pump-v2.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await modal.getByRole('button', { name: 'Save' }).click();
    const versions = page.getByTestId('content-versions');
    await versions.getByText('solar-pump-v2.pdf').waitFor();
    await versions.getByText('solar-pump.pdf', { exact: true }).waitFor();
    await versions.getByText('v2', { exact: true }).waitFor();
  }, 30_000);

  it('finds it in the library by stage and language', async () => {
    await nav().getByRole('link', { name: 'Content library' }).click();
    await heading('Content library').waitFor();
    const table = page.getByTestId('content-table');
    await table.getByText('Solar pump brochure').waitFor();
    await page.getByTestId('filter-stage').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Awareness' })
      .click();
    await table.locator('.ant-empty-description').waitFor();
    await page.getByTestId('filter-stage').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Decision' })
      .click();
    await table.getByText('Solar pump brochure').waitFor();
    await page.getByPlaceholder('Language').fill('de');
    await page.getByPlaceholder('Language').press('Enter');
    await table.locator('.ant-empty-description').waitFor();
    await page.getByPlaceholder('Language').fill('en');
    await page.getByPlaceholder('Language').press('Enter');
    await table.getByRole('link', { name: 'Solar pump brochure' }).click();
    await heading('Solar pump brochure').waitFor();
  }, 30_000);

  it('shares it with a contact and shows a copyable link', async () => {
    const me = await apiCall<{ user: { id: string } }>(page, 'GET', '/api/me');
    const c = await apiCall<{ id: string }>(page, 'POST', '/api/contacts', {
      email: 'mei.lin@brightway.cn',
      firstName: 'Mei',
      lastName: 'Lin',
      ownerId: me.user.id,
    });
    contactId = c.id;
    await page.getByRole('button', { name: 'Share with contact' }).click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByTestId('deal-contact-select').click();
    await page.keyboard.type('Mei');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'mei.lin@brightway.cn' })
      .click();
    await modal.getByLabel('Expires after (days)').fill('30');
    await modal.getByRole('button', { name: 'Create link' }).click();
    const link = modal.getByTestId('share-url');
    await link.waitFor();
    shareUrl = ((await link.textContent()) ?? '').trim();
    expect(shareUrl).toMatch(new RegExp(`^${world.baseUrl}/c/\\S+$`));
    await modal.getByText(/^Expires /).waitFor();
    await modal.locator('.ant-typography-copy').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(shareUrl);
    await modal.getByRole('button', { name: 'Done' }).click();
  }, 30_000);

  it('the contact opens the link without an account and gets the PDF', async () => {
    const stranger = await world.browser.newContext();
    try {
      const res = await stranger.request.get(shareUrl);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toBe('application/pdf');
      expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
      // And in a real tab, as the recipient would open it.
      const tab = await stranger.newPage();
      const nav = await tab.goto(shareUrl);
      expect(nav?.status()).toBe(200);
    } finally {
      await stranger.close();
    }
  }, 30_000);

  it('shows the content view on the contact’s timeline', async () => {
    await page.goto(`/contacts/${contactId}`);
    await heading('Mei Lin').waitFor();
    await page.getByText('Content viewed').first().waitFor();
    await page.getByText('Solar pump brochure').first().waitFor();
  }, 30_000);
});
