import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import type { Dimension } from '../../../contracts/reports.ts';
import { fillContactFunnel } from '../../db/migrations/0070_forecast_rollup.ts';
import type { LifecycleStage } from '../../db/types.ts';
import { newId } from '../../lib/ids.ts';
import { moveStage, seedCampaign, seedContact, seedDeal, stageIds } from './reports.fixtures.ts';
import { compactFunnel, funnel, type Period } from './reports.funnel.repo.ts';

/**
 * The funnel roll-up (migration 0056: per contact its key and furthest rank, per day the counts,
 * kept by triggers) must give what the funnel computes from the records themselves, after inserts,
 * updates and deletes of contacts, lifecycle transitions and deals.
 */

const DAY = 86_400_000;
const at = (s: string) => new Date(s);

const BREAKDOWNS: Dimension[][] = [[], ['source'], ['source', 'month'], ['campaign'], ['channel', 'month']];

async function expectRollupEqualsRaw(t: TestBackend, ws: string) {
  // The stored per-day counts equal a fresh count over the contacts' journeys.
  // Daily rows plus the deltas not yet folded in (0074), as the funnel reads them.
  const stored = await sql<Record<string, unknown>>`
    SELECT lead_day::text AS day, source, campaign_id, sum(contacts)::int AS contacts, sum(lead)::int AS lead,
           sum(mql)::int AS mql, sum(sql)::int AS sql, sum(opportunity)::int AS opportunity,
           sum(customer)::int AS customer
    FROM (SELECT lead_day, source, campaign_id, contacts, lead, mql, sql, opportunity, customer
          FROM report_funnel_daily WHERE workspace_id = ${ws}
          UNION ALL
          SELECT lead_day, source, campaign_id, contacts, lead, mql, sql, opportunity, customer
          FROM report_funnel_delta WHERE workspace_id = ${ws}) s
    GROUP BY 1, 2, 3 HAVING sum(contacts) <> 0 ORDER BY 1, 2, 3`.execute(t.ctx.db);
  const fresh = await sql<Record<string, unknown>>`
    WITH j AS (
      SELECT c.source_channel AS source, c.source_campaign_id AS campaign_id,
             (coalesce(c.first_touch_at, c.created_at) AT TIME ZONE 'UTC')::date AS day,
             greatest(CASE c.lifecycle_stage WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
                        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END,
               (SELECT max(CASE lt.to_stage WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
                        WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END)
                  FROM lifecycle_transitions lt WHERE lt.workspace_id = c.workspace_id AND lt.contact_id = c.id),
               (SELECT CASE WHEN bool_or(d.won_at IS NOT NULL) THEN 5 WHEN count(*) > 0 THEN 4 END FROM deals d
                  WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id AND d.deleted_at IS NULL)) AS rank
      FROM contacts c WHERE c.workspace_id = ${ws} AND c.deleted_at IS NULL)
    SELECT day::text AS day, source, campaign_id, count(*)::int AS contacts,
           count(*) FILTER (WHERE rank >= 1)::int AS lead, count(*) FILTER (WHERE rank >= 2)::int AS mql,
           count(*) FILTER (WHERE rank >= 3)::int AS sql, count(*) FILTER (WHERE rank >= 4)::int AS opportunity,
           count(*) FILTER (WHERE rank >= 5)::int AS customer
    FROM j GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(t.ctx.db);
  expect(stored.rows).toEqual(fresh.rows);
  // Per contact, the forecast's columns (0070) equal the same aggregates over the records.
  const rank = (col: string) => `(CASE ${col} WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
    WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END)`;
  const firstAt = (n: number) =>
    sql.raw(`(SELECT min(lt.at) FROM lifecycle_transitions lt WHERE lt.workspace_id = c.workspace_id
      AND lt.contact_id = c.id AND ${rank('lt.to_stage')} >= ${n}) AS a${n}`);
  const storedTimes = await sql<Record<string, unknown>>`
    SELECT contact_id AS id, lead_at, a0, a1, a2, a3, a4, deal_at FROM report_contact_funnel
    WHERE workspace_id = ${ws} ORDER BY 1`.execute(t.ctx.db);
  const freshTimes = await sql<Record<string, unknown>>`
    SELECT c.id, coalesce(c.first_touch_at, c.created_at) AS lead_at,
           (SELECT min(lt.at) FROM lifecycle_transitions lt WHERE lt.workspace_id = c.workspace_id
              AND lt.contact_id = c.id) AS a0, ${firstAt(1)}, ${firstAt(2)}, ${firstAt(3)}, ${firstAt(4)},
           (SELECT min(d.created_at) FROM deals d WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id
              AND d.deleted_at IS NULL) AS deal_at
    FROM contacts c WHERE c.workspace_id = ${ws} AND c.deleted_at IS NULL ORDER BY 1`.execute(t.ctx.db);
  expect(storedTimes.rows).toEqual(freshTimes.rows);
  // And the funnel read from it equals the funnel read from the records, whole days or not.
  const periods: Period[] = [
    { from: at('2026-01-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') },
    { from: at('2026-01-05T13:00:00Z'), to: at('2026-03-02T06:30:00Z') },
    { from: at('2025-12-31T23:59:00Z'), to: at('2026-02-10T00:00:01Z') },
    { from: at('2026-01-10T01:00:00Z'), to: at('2026-01-10T20:00:00Z') },
  ];
  for (const p of periods)
    for (const by of BREAKDOWNS)
      expect(await funnel(t.ctx.db, ws, by, p, 'cohort')).toEqual(
        await funnel(t.ctx.db, ws, by, p, 'cohort', { rollup: false }),
      );
}

async function deltaRows(t: TestBackend): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM report_funnel_delta`.execute(t.ctx.db);
  return r.rows[0]!.n;
}

forEachBackend('funnel roll-up', (t) => {
  it('equals the raw computation after inserts, updates and deletes of contacts, transitions and deals', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const stages = await stageIds(t, admin);
    const ads = await seedCampaign(t, ws, { name: 'Ads', channel: 'ads', costMinor: 1, on: '2026-01-01' });
    const show = await seedCampaign(t, ws, {
      name: 'Show',
      channel: 'trade_show',
      costMinor: 1,
      on: '2026-01-01',
    });
    const stagesOf: LifecycleStage[] = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer'];
    const ids: string[] = [];
    for (let i = 0; i < 24; i++)
      ids.push(
        await seedContact(t, ws, {
          // Some on the edge days of the periods above, some at midnight.
          firstTouchAt: new Date(
            at('2026-01-01T00:00:00Z').getTime() + (i * 4 + (i % 3)) * DAY + (i % 4) * 6 * 3_600_000,
          ),
          stage: stagesOf[i % stagesOf.length],
          source: i % 5 === 0 ? null : i % 2 ? 'web' : 'ads',
          campaignId: i % 3 === 0 ? ads : i % 7 === 0 ? show : null,
        }),
      );
    // Several contacts in one statement (the import path: one set-based trigger per statement).
    await t.ctx.db
      .insertInto('contacts')
      .values(
        [0, 1, 2].map((k) => ({
          workspace_id: ws,
          id: newId('ctc'),
          email: `bulk${k}@example.com`,
          custom: JSON.stringify({}),
          created_at: at(`2026-02-0${k + 1}T10:00:00Z`),
          first_touch_at: k === 2 ? null : at(`2026-01-1${k}T10:00:00Z`),
          lifecycle_stage: 'mql' as const,
          source_channel: 'partner',
        })),
      )
      .execute();
    await moveStage(t, ws, ids[1]!, 'sql', at('2026-01-20T00:00:00Z'));
    await moveStage(t, ws, ids[7]!, 'customer', at('2026-02-01T00:00:00Z'));
    const won = await seedDeal(t, ws, stages, {
      contactId: ids[2]!,
      amountMinor: 100,
      createdAt: at('2026-01-15T00:00:00Z'),
      wonAt: at('2026-02-15T00:00:00Z'),
    });
    const open = await seedDeal(t, ws, stages, {
      contactId: ids[3]!,
      amountMinor: 100,
      createdAt: at('2026-01-16T00:00:00Z'),
    });
    await seedDeal(t, ws, stages, { contactId: null, amountMinor: 5, createdAt: at('2026-01-17T00:00:00Z') });
    await expectRollupEqualsRaw(t, ws);

    // Updates: stage back down (the furthest rank stays), source, campaign, first touch, deals.
    await t.ctx.db
      .updateTable('contacts')
      .set({ lifecycle_stage: 'lead' })
      .where('id', 'in', [ids[1]!, ids[4]!])
      .execute();
    await t.ctx.db
      .updateTable('contacts')
      .set({ source_channel: 'email' })
      .where('id', '=', ids[5]!)
      .execute();
    await t.ctx.db
      .updateTable('contacts')
      .set({ source_campaign_id: show })
      .where('id', '=', ids[6]!)
      .execute();
    await t.ctx.db
      .updateTable('contacts')
      .set({ first_touch_at: at('2026-03-01T03:00:00Z') })
      .where('id', '=', ids[8]!)
      .execute();
    await t.ctx.db.updateTable('deals').set({ won_at: null }).where('id', '=', won).execute();
    await t.ctx.db.updateTable('deals').set({ contact_id: ids[9]! }).where('id', '=', open).execute();
    // Times the forecast reads: a deal's creation, a transition's time, an earlier transition of the
    // same rank (the furthest rank stays, its first time moves).
    await t.ctx.db
      .updateTable('deals')
      .set({ created_at: at('2026-01-02T05:00:00Z') })
      .where('id', '=', open)
      .execute();
    await sql`UPDATE lifecycle_transitions SET at = at - interval '3 days'
      WHERE workspace_id = ${ws} AND contact_id = ${ids[7]!}`.execute(t.ctx.db);
    await moveStage(t, ws, ids[13]!, 'customer', at('2026-02-03T00:00:00Z'));
    await moveStage(t, ws, ids[13]!, 'customer', at('2026-01-25T00:00:00Z'));
    // A column the roll-up ignores.
    await t.ctx.db
      .updateTable('contacts')
      .set({ first_name: 'Renamed' })
      .where('id', '=', ids[10]!)
      .execute();
    await expectRollupEqualsRaw(t, ws);

    // Many rows in one statement (an import, a recompute): folded in by one statement-level trigger
    // each (0073). Two deals of one contact, one won; a deal earlier than a contact's first; a
    // soft-deleted deal; a deal without contact; transitions up and down, two for one contact.
    const deal = (
      contactId: string | null,
      createdAt: string,
      o: { won?: boolean; deleted?: boolean } = {},
    ) => ({
      workspace_id: ws,
      id: newId('deal'),
      pipeline_id: stages.qualified!.pipelineId,
      stage_id: (o.won ? stages.won! : stages.qualified!).id,
      name: 'Bulk',
      custom: JSON.stringify({}),
      products: JSON.stringify([]),
      contact_id: contactId,
      amount_minor: '100',
      currency: 'USD',
      won_at: o.won ? at('2026-03-05T00:00:00Z') : null,
      created_at: at(createdAt),
      deleted_at: o.deleted ? at('2026-03-06T00:00:00Z') : null,
    });
    await t.ctx.db
      .insertInto('deals')
      .values([
        deal(ids[14]!, '2026-02-10T00:00:00Z'),
        deal(ids[14]!, '2026-02-08T00:00:00Z', { won: true }),
        deal(ids[9]!, '2026-01-01T08:00:00Z'),
        deal(ids[15]!, '2026-02-11T00:00:00Z', { deleted: true }),
        deal(null, '2026-02-12T00:00:00Z'),
        deal(ids[16]!, '2026-02-13T00:00:00Z'),
      ])
      .execute();
    const transition = (contactId: string, to: LifecycleStage, when: string) =>
      sql`(${ws}, ${newId('ltr')}, ${contactId}, 'lead', ${to}, 'rule', ${at(when)}::timestamptz)`;
    await sql`INSERT INTO lifecycle_transitions (workspace_id, id, contact_id, from_stage, to_stage, cause, at) VALUES
      ${sql.join([
        transition(ids[17]!, 'mql', '2026-02-01T00:00:00Z'),
        transition(ids[17]!, 'sql', '2026-02-02T00:00:00Z'),
        transition(ids[18]!, 'lead', '2026-02-03T00:00:00Z'),
        transition(ids[13]!, 'mql', '2026-01-20T00:00:00Z'),
        transition(ids[19]!, 'opportunity', '2026-02-04T00:00:00Z'),
      ])}`.execute(t.ctx.db);
    await expectRollupEqualsRaw(t, ws);
    // Folding the deltas in changes no figure and leaves none behind; later changes add new ones.
    expect(await deltaRows(t)).toBeGreaterThan(0);
    expect(await compactFunnel(t.ctx.db)).toBeGreaterThan(0);
    expect(await deltaRows(t)).toBe(0);
    await expectRollupEqualsRaw(t, ws);

    // Deletes: a transition, a deal (soft and hard), a contact (soft and hard).
    await sql`DELETE FROM lifecycle_transitions WHERE workspace_id = ${ws} AND contact_id = ${ids[7]!}`.execute(
      t.ctx.db,
    );
    await t.ctx.db
      .updateTable('deals')
      .set({ deleted_at: at('2026-03-01T00:00:00Z') })
      .where('id', '=', open)
      .execute();
    await sql`DELETE FROM deal_stage_history WHERE workspace_id = ${ws} AND deal_id = ${won}`.execute(
      t.ctx.db,
    );
    await t.ctx.db.deleteFrom('deals').where('id', '=', won).execute();
    await t.ctx.db
      .updateTable('contacts')
      .set({ deleted_at: at('2026-03-01T00:00:00Z') })
      .where('id', '=', ids[11]!)
      .execute();
    await sql`DELETE FROM lifecycle_transitions WHERE workspace_id = ${ws} AND contact_id = ${ids[1]!}`.execute(
      t.ctx.db,
    );
    await t.ctx.db.deleteFrom('contacts').where('id', '=', ids[1]!).execute();
    await expectRollupEqualsRaw(t, ws);
    // The roll-up is not trivially empty.
    const n = await sql<{
      n: number;
    }>`SELECT ((SELECT coalesce(sum(contacts), 0) FROM report_funnel_daily WHERE workspace_id = ${ws})
        + (SELECT coalesce(sum(contacts), 0) FROM report_funnel_delta WHERE workspace_id = ${ws}))::int AS n`.execute(
      t.ctx.db,
    );
    expect(n.rows[0]!.n).toBe(24 + 3 - 2);
    // Deletes folded in: days whose contacts all left have no row.
    await compactFunnel(t.ctx.db);
    await expectRollupEqualsRaw(t, ws);
    const empty = await sql<{ n: number }>`SELECT count(*)::int AS n FROM report_funnel_daily
      WHERE workspace_id = ${ws} AND contacts <= 0`.execute(t.ctx.db);
    expect(empty.rows[0]!.n).toBe(0);
    // The migration's one-statement fill of existing rows gives what the triggers keep.
    await sql`DELETE FROM report_contact_funnel`.execute(t.ctx.db);
    await sql.raw(fillContactFunnel).execute(t.ctx.db);
    await expectRollupEqualsRaw(t, ws);
  });
});
