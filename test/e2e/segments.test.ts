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
 * Segments end to end, in Chromium against the real server on PGlite: contacts and touches seeded
 * through the API, a segment built in the UI with one field condition (country is DE) and one
 * behavioural condition (at least 2 email_click touches in the last 90 days), the live count
 * while editing, saving it, and its contacts table with the export button. Then the campaign loop:
 * a snapshot frozen for a send, an e-mail campaign with a German market variant whose members come
 * from the segment, a click recorded as a campaign touch and shown in its results, a second segment
 * built from membership ("not in the campaign"), the workspace launch notice, cancel and delete.
 * E-mail sending itself (templates, SMTP, open/click tracking) does not exist yet: the click arrives
 * through the touch API as a tracker would send it.
 */
const skipReason = browserSkipReason();
if (skipReason && !isCI()) console.warn(`\nSkipping the segments end-to-end tests: ${skipReason}\n`);

const DAY = 86_400_000;

describe.runIf(skipReason && isCI())('segments end-to-end (CI)', () => {
  it('has Chromium installed', () => {
    throw new Error(`CI must run the browser tests: ${skipReason}`);
  });
});

describe.skipIf(skipReason !== null)('segments in Chromium', () => {
  let world: E2EWorld;
  let page: Page;
  const ids: Record<string, string> = {};
  let segmentId = '';
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
    if (page) await screenshot(page, `segments-${ctx.task.name}`);
  });

  const heading = (name: string) => page.getByRole('heading', { name, exact: true });
  const liveCount = () => page.getByTestId('live-count').textContent();
  const option = (title: string) =>
    page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`);

  it('signs in, seeds contacts and touches, and opens Segments from the menu', async () => {
    await page.goto('/contacts');
    await heading('Sign in').waitFor();
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Contacts').waitFor();

    // Expected in the segment: Anna and Dirk (DE, 2+ clicks in 90 days). Not: Bernd (DE, a second
    // click 200 days ago), Claire (FR, 3 clicks), Emil (DE, no touches).
    const seed: [string, string, string, number[]][] = [
      ['anna@example.de', 'Anna', 'DE', [1, 10]],
      ['bernd@example.de', 'Bernd', 'DE', [5, 200]],
      ['claire@example.fr', 'Claire', 'FR', [1, 2, 3]],
      ['dirk@example.de', 'Dirk', 'DE', [3, 30, 60]],
      ['emil@example.de', 'Emil', 'DE', []],
    ];
    const touches: { contactId: string; type: string; occurredAt: string }[] = [];
    for (const [email, firstName, country, daysAgo] of seed) {
      const c = await apiCall<{ id: string }>(page, 'POST', '/api/contacts', { email, firstName, country });
      ids[firstName] = c.id;
      for (const d of daysAgo) {
        touches.push({
          contactId: c.id,
          type: 'email_click',
          occurredAt: new Date(Date.now() - d * DAY).toISOString(),
        });
      }
    }
    const batch = await apiCall<{ created: number }>(page, 'POST', '/api/touches/batch', { touches });
    expect(batch.created).toBe(10);

    await page.locator('.shell-menu').getByRole('link', { name: 'Segments' }).click();
    await heading('Segments').waitFor();
  }, 30_000);

  it('builds a segment and sees the live count while editing', async () => {
    await page.getByRole('button', { name: 'New segment' }).click();
    await heading('New segment').waitFor();
    // The empty definition matches every contact.
    await expect.poll(liveCount).toBe('5');
    await page.getByLabel('Name', { exact: true }).fill('German clickers');

    await page.getByRole('button', { name: 'Field condition' }).click();
    await page.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('combobox', { name: 'Field' }).fill('Country');
    await option('Country').click();
    await page.getByRole('textbox', { name: 'Value' }).fill('DE');
    await expect.poll(liveCount).toBe('4');

    await page.getByRole('button', { name: 'Behaviour condition' }).click();
    // Default: at least 1 email_click in the last 90 days (Anna, Bernd, Dirk).
    await expect.poll(liveCount).toBe('3');
    await page.getByLabel('Number of touches').fill('2');
    await expect.poll(liveCount).toBe('2');

    // No campaign exists yet: a membership condition has nothing to pick, and the count waits for
    // it with a hint instead of showing the server's 400.
    await page.getByRole('button', { name: 'Membership condition' }).click();
    await page.getByTestId('count-waits').waitFor();
    await expect.poll(liveCount).toBe('—');
    expect(await page.getByTestId('count-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Remove condition' }).last().click();
    await expect.poll(liveCount).toBe('2');
    expect(await page.getByTestId('count-waits').count()).toBe(0);
  }, 30_000);

  it('saves the segment and lists its contacts with an export', async () => {
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByText('Segment saved').waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/segments\/seg_/);
    const table = page.getByTestId('segment-contacts');
    await table.getByText('anna@example.de').waitFor();
    await table.getByText('dirk@example.de').waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(2);
    const id = new URL(page.url()).pathname.split('/')[2] ?? '';
    segmentId = id;
    expect(await page.getByTestId('segment-export').getAttribute('href')).toBe(`/api/segments/${id}/export`);
    const csv = await page.request.get(`/api/segments/${id}/export`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toContain('anna@example.de');
    expect(text).not.toContain('bernd@example.de');

    const saved = await apiCall<{ definition: { conditions: unknown[] } }>(
      page,
      'GET',
      `/api/segments/${id}`,
    );
    expect(saved.definition.conditions).toEqual([
      { kind: 'field', field: 'country', op: 'eq', value: 'DE' },
      expect.objectContaining({ kind: 'behaviour', touchTypes: ['email_click'], min: 2 }),
    ]);

    await page.locator('.shell-menu').getByRole('link', { name: 'Segments' }).click();
    await page.getByTestId('segments-table').getByRole('link', { name: 'German clickers' }).waitFor();
  }, 30_000);

  it('freezes a snapshot of the segment for a send', async () => {
    await page.getByRole('link', { name: 'German clickers' }).click();
    await heading('German clickers').waitFor();
    await page.getByLabel('Purpose (e.g. the send it is for)').fill('Spring mailing');
    await page.getByRole('button', { name: 'Freeze a snapshot' }).click();
    await page.getByText('Snapshot frozen: 2 contacts').waitFor();
    const row = page.getByTestId('segment-snapshots').locator('tbody tr.ant-table-row');
    await row.getByText('Spring mailing').waitFor();
    expect(await row.count()).toBe(1);
    const frozen = await apiCall<{ items: { count: number }[] }>(
      page,
      'GET',
      `/api/segments/${segmentId}/snapshots`,
    );
    expect(frozen.items.map((x) => x.count)).toEqual([2]);
  }, 30_000);

  it('targets an e-mail campaign at the segment, with a German market variant', async () => {
    await page.locator('.shell-menu').getByText('Campaigns', { exact: true }).click();
    await page.locator('.shell-menu').getByRole('link', { name: 'All campaigns' }).click();
    await heading('Campaigns').waitFor();
    await page.getByRole('button', { name: 'New campaign' }).click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByTestId('campaign-name').fill('Spring mailing');
    await modal.getByTestId('campaign-channel').click();
    await option('E-mail').click();
    await modal.getByRole('button', { name: 'Save' }).click();
    await heading('Spring mailing').waitFor();
    campaignUrl = new URL(page.url()).pathname;

    await page.getByRole('tab', { name: 'Markets' }).click();
    await page.getByRole('button', { name: 'Add market variant' }).click();
    const form = page.locator('.ant-modal:visible');
    await form.getByLabel('Market', { exact: true }).fill('de');
    await form.getByLabel('Language').fill('de');
    await form.getByLabel('Name in this market').fill('Frühjahrs-Mailing');
    await form.getByRole('button', { name: 'Add a link' }).click();
    await form.getByLabel('Label').fill('Landing page');
    await form.getByLabel('URL').fill('https://example.de/fruehjahr');
    await form.getByRole('button', { name: 'Save' }).click();
    const markets = page.getByTestId('markets-table');
    await markets.getByText('Frühjahrs-Mailing').waitFor();
    await markets.getByRole('cell', { name: 'DE', exact: true }).waitFor();
    expect(await markets.getByRole('link', { name: 'Landing page' }).getAttribute('href')).toBe(
      'https://example.de/fruehjahr',
    );

    await page.getByRole('tab', { name: 'Members' }).click();
    await page.getByTestId('members-segment').click();
    await option('German clickers').click();
    await page.getByRole('button', { name: 'Add members' }).click();
    await page.getByText(/^2 added, 0 moved on, 0 unchanged/).waitFor();
    const members = page.getByTestId('members-table');
    await members.getByText('anna@example.de').waitFor();
    await members.getByText('dirk@example.de').waitFor();
  }, 40_000);

  it('records a click from the campaign as a touch and shows it in the campaign’s results', async () => {
    // No e-mail sender exists yet: the click arrives through the touch API, as a tracker would send it.
    await apiCall(page, 'POST', '/api/touches', {
      contactId: ids.Anna,
      type: 'email_click',
      campaignId: campaignUrl.split('/')[2],
      occurredAt: new Date().toISOString(),
    });
    await page.reload();
    await heading('Spring mailing').waitFor();
    await expect.poll(() => page.getByTestId('campaign-stats').textContent()).toMatch(/Touches\s*1/);
    await page.getByRole('tab', { name: 'Touches' }).click();
    const touches = page.getByTestId('touches-table');
    await touches.getByText('email_click').waitFor();
    await touches.getByRole('link', { name: /Anna/ }).waitFor();
  }, 30_000);

  it('builds a second segment from campaign membership: not in the campaign', async () => {
    await page.locator('.shell-menu').getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('button', { name: 'New segment' }).click();
    await heading('New segment').waitFor();
    await expect.poll(liveCount).toBe('5');
    await page.getByLabel('Name', { exact: true }).fill('Not yet mailed');
    await page.getByRole('button', { name: 'Membership condition' }).click();
    await page.getByRole('combobox', { name: 'Campaign', exact: true }).click();
    await option('Spring mailing').click();
    await expect.poll(liveCount).toBe('2');
    await page.getByRole('combobox', { name: 'In or not in' }).click();
    await option('Not in').click();
    await expect.poll(liveCount).toBe('3');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByText('Segment saved').waitFor();
    const table = page.getByTestId('segment-contacts');
    await table.getByText('bernd@example.de').waitFor();
    expect(await table.getByText('anna@example.de').count()).toBe(0);
  }, 30_000);

  it('sets the workspace launch notice, then cancels and deletes the campaign', async () => {
    await page.locator('.shell-menu').getByRole('link', { name: 'All campaigns' }).click();
    await heading('Campaigns').waitFor();
    await page.getByRole('button', { name: 'Launch notice' }).click();
    const days = page.getByTestId('workspace-notice-days');
    await expect.poll(() => days.inputValue()).toBe('7');
    await days.fill('3');
    await page.locator('.ant-modal:visible').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Launch notice set to 3 days').waitFor();
    expect(await apiCall<{ noticeDays: number }>(page, 'GET', '/api/campaign-settings')).toEqual({
      noticeDays: 3,
    });

    await page.getByRole('link', { name: 'Spring mailing' }).click();
    await heading('Spring mailing').waitFor();
    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: 'Cancel campaign' }).click();
    await page.getByText('Campaign cancelled').waitFor();
    await page.locator('.ant-tag', { hasText: 'Cancelled' }).first().waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: 'Delete' }).click();
    await heading('Campaigns').waitFor();
    await page.getByText('Campaign deleted').waitFor();
    const list = await apiCall<{ items: unknown[] }>(page, 'GET', '/api/campaigns');
    expect(list.items).toEqual([]);
  }, 30_000);
});
