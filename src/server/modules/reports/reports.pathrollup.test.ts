import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import type { AttributionDimension } from '../../../contracts/reports.ts';
import { newId } from '../../lib/ids.ts';
import { attribution, attributionDeals, creditSumsByDeal } from './reports.attribution.repo.ts';
import { seedCampaign, seedContact, seedDeal, seedTouches, stageIds } from './reports.fixtures.ts';
import type { Period } from './reports.funnel.repo.ts';

/**
 * The attribution roll-up (migration 0067: per live won deal, its contact's counted touches before
 * the win, kept by triggers) must equal that join over the records, and the attribution report read
 * from it must equal the report computed from the touch log, after inserts, updates and deletes of
 * touches and deals.
 */

const at = (s: string) => new Date(s);

const BREAKDOWNS: AttributionDimension[][] = [
  [],
  ['channel'],
  ['campaign'],
  ['campaign', 'channel'],
  ['market'],
];
const PERIODS: Period[] = [
  { from: at('2026-01-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') },
  { from: at('2026-02-04T00:00:00Z'), to: at('2026-03-15T12:00:00Z') },
];

const fine = (rows: Record<string, unknown>[]) =>
  rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(6)) : v]),
    ),
  );

async function expectRollupEqualsRaw(t: TestBackend, ws: string) {
  const stored = await sql<Record<string, unknown>>`
    SELECT deal_id, won_at, occurred_at, touch_id, campaign_id, channel, type FROM report_deal_touches
    WHERE workspace_id = ${ws} ORDER BY 1, 3, 4`.execute(t.ctx.db);
  const fresh = await sql<Record<string, unknown>>`
    SELECT d.id AS deal_id, d.won_at, t.occurred_at, t.id AS touch_id, t.campaign_id, t.channel, t.type
    FROM deals d JOIN touches t ON t.workspace_id = d.workspace_id AND t.contact_id = d.contact_id
      AND t.occurred_at < d.won_at AND t.type NOT IN ('deal_won', 'deal_lost', 'note')
    WHERE d.workspace_id = ${ws} AND d.won_at IS NOT NULL AND d.deleted_at IS NULL ORDER BY 1, 3, 4`.execute(
    t.ctx.db,
  );
  expect(stored.rows).toEqual(fresh.rows);
  const raw = { rollup: false };
  for (const p of PERIODS) {
    // Unrounded per-deal sums: float addition in another row order may differ in the last bits.
    expect(fine(await creditSumsByDeal(t.ctx.db, ws, 'USD', p, 7))).toEqual(
      fine(await creditSumsByDeal(t.ctx.db, ws, 'USD', p, 7, raw)),
    );
    for (const by of BREAKDOWNS) {
      const rows = await attribution(t.ctx.db, ws, 'USD', by, p, 7);
      expect(rows).toEqual(await attribution(t.ctx.db, ws, 'USD', by, p, 7, raw));
      for (const row of rows.slice(0, 2)) {
        const cell = Object.fromEntries(by.map((d) => [d, (row[d] as string | null) ?? null]));
        for (const model of ['w_shaped', 'time_decay'] as const)
          expect(await attributionDeals(t.ctx.db, ws, 'USD', by, cell, p, 7, model, 50)).toEqual(
            await attributionDeals(t.ctx.db, ws, 'USD', by, cell, p, 7, model, 50, raw),
          );
      }
    }
  }
}

forEachBackend('attribution roll-up', (t) => {
  it('equals the raw computation after inserts, updates and deletes of touches and deals', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const stages = await stageIds(t, admin);
    const ads = await seedCampaign(t, ws, {
      name: 'Ads',
      channel: 'ads',
      costMinor: 1,
      on: '2026-01-01',
      markets: ['DE'],
    });
    const show = await seedCampaign(t, ws, {
      name: 'Show',
      channel: 'trade_show',
      costMinor: 1,
      on: '2026-01-01',
    });
    const c: string[] = [];
    for (let i = 0; i < 6; i++)
      c.push(await seedContact(t, ws, { firstTouchAt: at('2026-01-02T00:00:00Z') }));
    const deal = (contact: string | null, created: string, won?: string) =>
      seedDeal(t, ws, stages, {
        contactId: contact,
        amountMinor: 100_000,
        createdAt: at(created),
        wonAt: won ? at(won) : null,
      });
    // Won deals (one contact with two), an open one, one without touches, one without a contact.
    const d0 = await deal(c[0]!, '2026-01-15T00:00:00Z', '2026-02-04T00:00:00Z');
    const d1 = await deal(c[1]!, '2026-02-01T00:00:00Z', '2026-03-10T09:00:00Z');
    const d2 = await deal(c[2]!, '2026-02-01T00:00:00Z');
    const d3 = await deal(c[3]!, '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z');
    const d5 = await deal(c[0]!, '2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z');
    await deal(null, '2026-02-01T00:00:00Z', '2026-02-20T00:00:00Z');
    // Touches after the deals (one statement): before and after wins, bookkeeping ones, ties.
    const tc = await seedTouches(t, ws, [
      { contactId: c[0]!, at: at('2026-01-05T00:00:00Z'), type: 'form_submit', channel: 'web' },
      { contactId: c[0]!, at: at('2026-01-08T00:00:00Z'), type: 'ad_click', campaignId: ads, channel: 'ads' },
      { contactId: c[0]!, at: at('2026-01-08T00:00:00Z'), type: 'email_click', campaignId: show },
      {
        contactId: c[0]!,
        at: at('2026-01-20T00:00:00Z'),
        type: 'call',
        direction: 'sales',
        channel: 'phone',
      },
      { contactId: c[0]!, at: at('2026-01-21T00:00:00Z'), type: 'note', direction: 'sales' },
      {
        contactId: c[0]!,
        at: at('2026-02-10T00:00:00Z'),
        type: 'meeting',
        direction: 'sales',
        channel: 'phone',
      },
      { contactId: c[1]!, at: at('2026-01-10T00:00:00Z'), type: 'page_view', channel: 'web' },
      { contactId: c[1]!, at: at('2026-03-10T09:00:00Z'), type: 'call', direction: 'sales' },
      { contactId: c[1]!, at: at('2026-03-10T08:59:00Z'), type: 'deal_won', direction: 'sales' },
      { contactId: c[2]!, at: at('2026-02-03T00:00:00Z'), type: 'ad_click', campaignId: ads },
      { contactId: c[4]!, at: at('2026-01-12T00:00:00Z'), type: 'form_submit', campaignId: show },
    ]);
    await expectRollupEqualsRaw(t, ws);

    // More touches, one at a time, and several deals in one statement.
    await seedTouches(t, ws, [
      { contactId: c[1]!, at: at('2026-03-01T00:00:00Z'), type: 'webinar', campaignId: show },
    ]);
    await seedTouches(t, ws, [{ contactId: c[0]!, at: at('2026-04-01T00:00:00Z'), type: 'form_submit' }]);
    const pipelineId = stages.won!.pipelineId;
    const bulk = [newId('deal'), newId('deal')];
    await t.ctx.db
      .insertInto('deals')
      .values(
        bulk.map((id, k) => ({
          workspace_id: ws,
          id,
          pipeline_id: pipelineId,
          stage_id: k ? stages.qualified!.id : stages.won!.id,
          name: `Bulk ${k}`,
          custom: JSON.stringify({}),
          products: JSON.stringify([]),
          contact_id: c[k ? 2 : 4]!,
          amount_minor: '50000',
          currency: 'USD',
          won_at: k ? null : at('2026-02-15T00:00:00Z'),
          created_at: at('2026-02-01T00:00:00Z'),
          stage_changed_at: at('2026-02-01T00:00:00Z'),
        })),
      )
      .execute();
    await expectRollupEqualsRaw(t, ws);

    // Deal updates: won, un-won, won earlier, another contact, amount; ignored columns.
    const set = (id: string, v: Record<string, unknown>) =>
      t.ctx.db.updateTable('deals').set(v).where('workspace_id', '=', ws).where('id', '=', id).execute();
    await set(d2, { won_at: at('2026-02-20T00:00:00Z') });
    await set(d1, { won_at: null });
    await set(d0, { won_at: at('2026-01-09T00:00:00Z') });
    await set(d3, { contact_id: c[4]! });
    await set(d5, { amount_minor: '70000', name: 'Renamed' });
    // Touch updates: to another month (another partition), a type no longer counted, another
    // contact, another campaign.
    const tset = (id: string, v: ReturnType<typeof sql>) =>
      sql`UPDATE touches SET ${v} WHERE workspace_id = ${ws} AND id = ${id}`.execute(t.ctx.db);
    await tset(tc[3]!, sql`occurred_at = ${at('2026-03-15T00:00:00Z')}`);
    await tset(tc[0]!, sql`occurred_at = ${at('2026-01-06T00:00:00Z')}, type = 'note'`);
    await tset(tc[6]!, sql`contact_id = ${c[3]!}`);
    await tset(tc[9]!, sql`campaign_id = ${show}, channel = 'events'`);
    await expectRollupEqualsRaw(t, ws);

    // Deletes: touches, a deal soft-deleted then restored, another soft-deleted, one hard-deleted.
    await sql`DELETE FROM touches WHERE workspace_id = ${ws} AND id IN (${tc[1]!}, ${tc[10]!})`.execute(
      t.ctx.db,
    );
    await set(d2, { deleted_at: at('2026-03-01T00:00:00Z') });
    await set(d2, { deleted_at: null });
    await set(d3, { deleted_at: at('2026-03-01T00:00:00Z') });
    await sql`DELETE FROM deal_stage_history WHERE workspace_id = ${ws} AND deal_id = ${bulk[0]!}`.execute(
      t.ctx.db,
    );
    await t.ctx.db.deleteFrom('deals').where('workspace_id', '=', ws).where('id', '=', bulk[0]!).execute();
    await expectRollupEqualsRaw(t, ws);
    // The roll-up is not trivially empty: d0 (won 9 Jan) keeps the show email, d2 the ad click, d5
    // the show email, the meeting, the moved call and the April form.
    const n = await sql<{ deal_id: string; n: number }>`
      SELECT deal_id, count(*)::int AS n FROM report_deal_touches WHERE workspace_id = ${ws}
      GROUP BY deal_id ORDER BY n`.execute(t.ctx.db);
    expect(Object.fromEntries(n.rows.map((r) => [r.deal_id, r.n]))).toEqual({ [d0]: 1, [d2]: 1, [d5]: 4 });
  });
});
