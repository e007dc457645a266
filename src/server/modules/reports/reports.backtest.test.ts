import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ReportTableDto } from '../../../contracts/reports.ts';
import type { LifecycleStage } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';
import { moveStage, seedContact, seedDeal, stageIds } from './reports.fixtures.ts';
import {
  type ForecastMonth,
  type FunnelRates,
  forecastAtMany,
  MIN_CLOSED_PER_STAGE,
} from './reports.forecast.repo.ts';
import { forecastRatesAt, measuredRates } from './reports.rates.ts';
import { firstTouchAt, stageRank } from './reports.repo.ts';

/**
 * The forecast computes every moment of the backtest in one query (buckets between the moments).
 * This checks it against the straightforward computation, one query per moment with the rates of
 * `measuredRates` (what the forecast did before it was batched), on a varied workspace.
 */

const DAY = 86_400_000;
const at = (s: string) => new Date(`${s}T00:00:00Z`);

/** Deterministic pseudo-random numbers (a linear congruential generator). */
function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** The forecast at one moment, as one query per moment (the reference). */
async function referenceForecastAt(
  db: Db,
  workspaceId: string,
  currency: string,
  asOf: Date,
  months: number,
  r: FunnelRates,
): Promise<ForecastMonth[]> {
  const monthIndex = (col: RawBuilder<unknown>) => sql`(
    (extract(year FROM greatest(${col}, ${asOf}::timestamptz) AT TIME ZONE 'UTC') * 12
      + extract(month FROM greatest(${col}, ${asOf}::timestamptz) AT TIME ZONE 'UTC'))
    - (extract(year FROM ${asOf}::timestamptz AT TIME ZONE 'UTC') * 12 + extract(month FROM ${asOf}::timestamptz AT TIME ZONE 'UTC')))::int`;
  const cycle = sql`make_interval(secs => ${r.cycleDays * 86400})`;
  const res = await sql<ForecastMonth>`
    WITH learned AS (
      SELECT h.to_stage_id AS stage_id, count(DISTINCT d.id) AS closed,
             count(DISTINCT d.id) FILTER (WHERE d.won_at IS NOT NULL) AS won
      FROM deal_stage_history h JOIN deals d ON d.workspace_id = h.workspace_id AND d.id = h.deal_id
      WHERE h.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND h.at < ${asOf}
        AND coalesce(d.won_at, d.lost_at) < ${asOf}
      GROUP BY 1),
    prob AS (
      SELECT s.id, CASE WHEN l.closed >= ${MIN_CLOSED_PER_STAGE} THEN l.won::float8 / l.closed
                        ELSE s.probability / 100.0 END AS p
      FROM pipeline_stages s LEFT JOIN learned l ON l.stage_id = s.id
      WHERE s.workspace_id = ${workspaceId}),
    open_deals AS (
      SELECT d.id, d.created_at, d.expected_close_on,
             tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency}, (${asOf}::timestamptz AT TIME ZONE 'UTC')::date) AS amount,
             coalesce((SELECT h.to_stage_id FROM deal_stage_history h WHERE h.workspace_id = d.workspace_id
                         AND h.deal_id = d.id AND h.at < ${asOf} ORDER BY h.at DESC LIMIT 1), d.stage_id) AS stage_id
      FROM deals d
      WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.created_at < ${asOf}
        AND (d.won_at IS NULL OR d.won_at >= ${asOf}) AND (d.lost_at IS NULL OR d.lost_at >= ${asOf})),
    deal_rows AS (
      SELECT ${monthIndex(sql`coalesce(od.expected_close_on::timestamptz, od.created_at + ${cycle})`)} AS month,
             coalesce(od.amount, ${r.averageDealMinor}) * coalesce(prob.p, 0) AS weighted,
             ${monthIndex(sql`od.created_at + ${cycle}`)} AS fmonth,
             coalesce(od.amount, ${r.averageDealMinor}) * ${r.opportunityToWon} AS funnel
      FROM open_deals od LEFT JOIN prob ON prob.id = od.stage_id),
    leads AS (
      SELECT ${monthIndex(sql`${firstTouchAt} + ${cycle}`)} AS fmonth,
             coalesce((SELECT max(${stageRank(sql`lt.to_stage`)}) FROM lifecycle_transitions lt
                 WHERE lt.workspace_id = c.workspace_id AND lt.contact_id = c.id AND lt.at < ${asOf}), 1) AS rank
      FROM contacts c
      WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
        AND ${firstTouchAt} < ${asOf} AND ${firstTouchAt} >= ${asOf}::timestamptz - interval '365 days'
        AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id
                          AND d.deleted_at IS NULL AND d.created_at < ${asOf})),
    u AS (
      SELECT month, weighted, 0::float8 AS funnel, 1 AS deals, 0 AS leads FROM deal_rows
      UNION ALL SELECT fmonth, 0, funnel, 0, 0 FROM deal_rows
      UNION ALL
      SELECT fmonth, 0, ${r.averageDealMinor} * CASE WHEN rank >= 3 THEN ${r.sqlToWon}::float8
               WHEN rank = 2 THEN ${r.mqlToWon}::float8 ELSE ${r.leadToWon}::float8 END, 0, 1
      FROM leads WHERE rank BETWEEN 1 AND 3)
    SELECT m.month, coalesce(round(sum(u.weighted)), 0)::float8 AS weighted,
           coalesce(round(sum(u.funnel)), 0)::float8 AS funnel,
           coalesce(sum(u.deals), 0)::int AS deals, coalesce(sum(u.leads), 0)::int AS leads
    FROM generate_series(0, ${months - 1}) AS m(month) LEFT JOIN u ON u.month = m.month
    GROUP BY m.month ORDER BY m.month`.execute(db);
  return res.rows;
}

forEachBackend('forecast backtest in one query', (t) => {
  it('equals the forecast computed moment by moment, with the rates measuredRates gives', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const stages = await stageIds(t, admin);
    await sql`INSERT INTO exchange_rates (workspace_id, base, quote, on_date, rate)
      VALUES (${ws}, 'EUR', 'USD', '2025-01-01', 1.2), (${ws}, 'EUR', 'USD', '2026-02-01', 1.1)`.execute(
      t.ctx.db,
    );
    const r = rng(7);
    const start = at('2025-03-01').getTime();
    const ladder: LifecycleStage[] = ['mql', 'sql', 'opportunity', 'customer'];
    for (let i = 0; i < 70; i++) {
      const first = new Date(start + Math.floor(r() * 420) * DAY + Math.floor(r() * DAY));
      const id = await seedContact(t, ws, { firstTouchAt: first, source: r() < 0.5 ? 'web' : 'ads' });
      const steps = Math.floor(r() * 5);
      let when = first.getTime();
      for (let s = 0; s < steps; s++) {
        when += Math.floor(r() * 40 + 1) * DAY;
        await moveStage(t, ws, id, ladder[s]!, new Date(when));
      }
      if (r() < 0.08) await moveStage(t, ws, id, 'subscriber', new Date(first.getTime() + 3 * DAY));
      if (r() < 0.45) {
        const created = new Date(first.getTime() + Math.floor(r() * 60) * DAY);
        const fate = r();
        const close = new Date(created.getTime() + Math.floor(r() * 90 + 1) * DAY);
        const deal = await seedDeal(t, ws, stages, {
          contactId: r() < 0.9 ? id : null,
          amountMinor: r() < 0.1 ? null : 10_000 + Math.floor(r() * 90) * 1_000,
          currency: r() < 0.25 ? 'EUR' : 'USD',
          createdAt: created,
          wonAt: fate < 0.35 ? close : null,
          lostAt: fate >= 0.35 && fate < 0.6 ? close : null,
          stageKey: fate >= 0.6 && r() < 0.5 ? 'quote_sent' : undefined,
        });
        if (fate >= 0.6 && r() < 0.5) {
          // An open deal moved on later: the forecast at an earlier moment sees its earlier stage.
          const moved = new Date(created.getTime() + Math.floor(r() * 50 + 1) * DAY);
          await t.ctx.db
            .insertInto('deal_stage_history')
            .values({
              workspace_id: ws,
              id: `dsh_${deal}_m`,
              deal_id: deal,
              pipeline_id: stages.negotiation!.pipelineId,
              from_stage_id: null,
              to_stage_id: stages.negotiation!.id,
              at: moved,
            })
            .execute();
          await t.ctx.db
            .updateTable('deals')
            .set({ stage_id: stages.negotiation!.id })
            .where('id', '=', deal)
            .execute();
        }
        if (r() < 0.3)
          await t.ctx.db
            .updateTable('deals')
            .set({ expected_close_on: new Date(close.getTime() + 20 * DAY).toISOString().slice(0, 10) })
            .where('id', '=', deal)
            .execute();
        if (r() < 0.05)
          await t.ctx.db.updateTable('deals').set({ deleted_at: close }).where('id', '=', deal).execute();
      }
    }
    const asOf = new Date('2026-04-17T09:30:00Z');
    const monthStart = (k: number) => new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() + k, 1));
    const moments = [asOf, ...[-5, -4, -3, -2, -1].map(monthStart)];
    const rates = await forecastRatesAt(t.ctx, ws, 'USD', moments);
    const expected: ForecastMonth[][] = [];
    for (const [k, m] of moments.entries()) {
      const measured = await measuredRates(t.ctx, ws, { from: new Date(m.getTime() - 365 * DAY), to: m });
      const c = measured.conversion;
      const want: FunnelRates = {
        leadToWon: c.leadToWon.value,
        mqlToWon: c.mqlToSql.value * c.sqlToOpportunity.value * c.opportunityToWon.value,
        sqlToWon: c.sqlToOpportunity.value * c.opportunityToWon.value,
        opportunityToWon: c.opportunityToWon.value,
        averageDealMinor: measured.averageWonDealMinor.value,
        cycleDays: measured.medianCycleDays.value,
      };
      expect(rates[k]).toEqual(want);
      expected.push(await referenceForecastAt(t.ctx.db, ws, 'USD', m, k === 0 ? 6 : 1, want));
    }
    // Measured, not defaults: the comparison covers the learned side of each figure.
    expect(rates[0]!.cycleDays).not.toBe(90);
    const got = await forecastAtMany(
      t.ctx.db,
      ws,
      'USD',
      moments.map((m, k) => ({ asOf: m, months: k === 0 ? 6 : 1, rates: rates[k]! })),
    );
    expect(got).toEqual(expected);
    expect(expected.flat().some((f) => f.leads > 0 && f.deals > 0)).toBe(true);

    // The report shows the same figures.
    const res = await admin.api.get<ReportTableDto>(
      `/api/reports/forecast?to=${asOf.toISOString()}&months=6`,
    );
    expect(res.status).toBe(200);
    const ahead = res.body.rows.filter((x) => x.section === 'forecast');
    expect(ahead.map((x) => [x.weighted, x.funnel, x.deals, x.leads])).toEqual(
      expected[0]!.map((f) => [f.weighted, f.funnel, f.deals, f.leads]),
    );
  });
});
