import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../contacts/records.repo.ts';
import { firstTouchAt, stageRank } from './reports.repo.ts';

/**
 * The forecast as it would have been made at one moment (`asOf`): only records that existed then,
 * each deal in the stage it was in then, probabilities learned from deals closed before then. The
 * backtest runs the same query at past month-ends, so what it checks is what the forecast does.
 */

/** Closed deals a stage needs before its learned win rate replaces the configured probability. */
export const MIN_CLOSED_PER_STAGE = 5;

export interface FunnelRates {
  /** Lead, mql and sql → won (the chain of measured conversions). */
  leadToWon: number;
  mqlToWon: number;
  sqlToWon: number;
  opportunityToWon: number;
  averageDealMinor: number;
  cycleDays: number;
}

export interface ForecastMonth {
  month: number;
  weighted: number;
  funnel: number;
  deals: number;
  leads: number;
}

/**
 * Month by month (0 = the month containing `asOf`): the weighted pipeline (open deal amount ×
 * stage probability, landing on its expected close date, else its creation + the cycle) and the
 * funnel-math forecast (open deals × opportunity → won, open leads of the last year × their stage's
 * conversion to won, both × average deal size when a deal has no amount, landing at first touch +
 * the measured cycle). Anything landing before `asOf` lands in month 0.
 */
export async function forecastAt(
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

/** Revenue won in [from, to), reporting currency at each win's date. */
export async function wonRevenue(
  db: Db,
  workspaceId: string,
  currency: string,
  from: Date,
  to: Date,
): Promise<number> {
  const r = await sql<{ v: number | null }>`
    SELECT round(sum(tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency},
             (d.won_at AT TIME ZONE 'UTC')::date)))::float8 AS v
    FROM deals d WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.won_at >= ${from} AND d.won_at < ${to}`.execute(
    db,
  );
  return r.rows[0]?.v ?? 0;
}

/** One record behind a forecast figure: the amount it counted and the probability applied to it. */
export interface ForecastRecord {
  kind: 'contact' | 'deal';
  id: string;
  name: string | null;
  /** When it lands: expected close (or creation + cycle); first touch + cycle for a lead. */
  at: Date | string | null;
  /** The amount counted (reporting currency; the average deal size where the deal has none). */
  value: number | null;
  /** The deal's stage then, or the lead's lifecycle stage. */
  stage: string | null;
  probability: number | null;
}

/**
 * The records behind one month of {@link forecastAt} (the same rules, the same `asOf`): for
 * `weighted` the open deals landing in the month with their stage probability; for `funnel` the
 * open deals (opportunity → won) and the open leads (their stage's conversion to won) landing in it;
 * for `leads` those leads alone. The sum of value × probability over all of them is the month's figure; the largest come first.
 */
export async function forecastRecords(
  db: Db,
  workspaceId: string,
  currency: string,
  asOf: Date,
  month: number,
  r: FunnelRates,
  which: 'weighted' | 'funnel' | 'leads',
  limit: number,
): Promise<{ items: ForecastRecord[]; total: number }> {
  const monthIndex = (col: RawBuilder<unknown>) => sql`(
    (extract(year FROM greatest(${col}, ${asOf}::timestamptz) AT TIME ZONE 'UTC') * 12
      + extract(month FROM greatest(${col}, ${asOf}::timestamptz) AT TIME ZONE 'UTC'))
    - (extract(year FROM ${asOf}::timestamptz AT TIME ZONE 'UTC') * 12 + extract(month FROM ${asOf}::timestamptz AT TIME ZONE 'UTC')))::int`;
  const cycle = sql`make_interval(secs => ${r.cycleDays * 86400})`;
  const dealLands =
    which === 'weighted'
      ? sql`coalesce(od.expected_close_on::timestamptz, od.created_at + ${cycle})`
      : sql`od.created_at + ${cycle}`;
  const leadRows =
    which !== 'weighted'
      ? sql`UNION ALL
      SELECT 'contact' AS kind, l.id, l.name, l.lands AS at, ${r.averageDealMinor}::float8 AS value,
             CASE l.rank WHEN 1 THEN 'lead' WHEN 2 THEN 'mql' ELSE 'sql' END AS stage,
             CASE WHEN l.rank >= 3 THEN ${r.sqlToWon}::float8 WHEN l.rank = 2 THEN ${r.mqlToWon}::float8
                  ELSE ${r.leadToWon}::float8 END AS probability
      FROM leads l WHERE l.rank BETWEEN 1 AND 3 AND ${monthIndex(sql`l.lands`)} = ${month}`
      : sql``;
  const res = await sql<ForecastRecord & { total: number }>`
    WITH learned AS (
      SELECT h.to_stage_id AS stage_id, count(DISTINCT d.id) AS closed,
             count(DISTINCT d.id) FILTER (WHERE d.won_at IS NOT NULL) AS won
      FROM deal_stage_history h JOIN deals d ON d.workspace_id = h.workspace_id AND d.id = h.deal_id
      WHERE h.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND h.at < ${asOf}
        AND coalesce(d.won_at, d.lost_at) < ${asOf}
      GROUP BY 1),
    prob AS (
      SELECT s.id, s.name, CASE WHEN l.closed >= ${MIN_CLOSED_PER_STAGE} THEN l.won::float8 / l.closed
                        ELSE s.probability / 100.0 END AS p
      FROM pipeline_stages s LEFT JOIN learned l ON l.stage_id = s.id
      WHERE s.workspace_id = ${workspaceId}),
    open_deals AS (
      SELECT d.id, d.name, d.created_at, d.expected_close_on,
             tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency}, (${asOf}::timestamptz AT TIME ZONE 'UTC')::date) AS amount,
             coalesce((SELECT h.to_stage_id FROM deal_stage_history h WHERE h.workspace_id = d.workspace_id
                         AND h.deal_id = d.id AND h.at < ${asOf} ORDER BY h.at DESC LIMIT 1), d.stage_id) AS stage_id
      FROM deals d
      WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.created_at < ${asOf}
        AND (d.won_at IS NULL OR d.won_at >= ${asOf}) AND (d.lost_at IS NULL OR d.lost_at >= ${asOf})),
    leads AS (
      SELECT c.id, coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email) AS name,
             ${firstTouchAt} + ${cycle} AS lands,
             coalesce((SELECT max(${stageRank(sql`lt.to_stage`)}) FROM lifecycle_transitions lt
                 WHERE lt.workspace_id = c.workspace_id AND lt.contact_id = c.id AND lt.at < ${asOf}), 1) AS rank
      FROM contacts c
      WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
        AND ${firstTouchAt} < ${asOf} AND ${firstTouchAt} >= ${asOf}::timestamptz - interval '365 days'
        AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id
                          AND d.deleted_at IS NULL AND d.created_at < ${asOf})),
    rows AS (
      SELECT 'deal' AS kind, od.id, od.name, ${dealLands} AS at,
             coalesce(od.amount, ${r.averageDealMinor})::float8 AS value, prob.name AS stage,
             ${which === 'weighted' ? sql`coalesce(prob.p, 0)` : sql`${r.opportunityToWon}::float8`} AS probability
      FROM open_deals od LEFT JOIN prob ON prob.id = od.stage_id
      WHERE ${monthIndex(dealLands)} = ${month} AND ${which !== 'leads'}
      ${leadRows})
    SELECT kind, id, name, at, value, stage, probability, count(*) OVER ()::int AS total
    FROM rows ORDER BY value * probability DESC, id LIMIT ${limit}`.execute(db);
  return {
    total: res.rows[0]?.total ?? 0,
    items: res.rows.map(({ total: _t, ...x }) => x),
  };
}

/** The deals won in [from, to) behind {@link wonRevenue}, reporting currency at each win's date. */
export async function wonDeals(
  db: Db,
  workspaceId: string,
  currency: string,
  from: Date,
  to: Date,
  limit: number,
): Promise<{ items: ForecastRecord[]; total: number }> {
  const res = await sql<ForecastRecord & { total: number }>`
    SELECT 'deal' AS kind, d.id, d.name, d.won_at AS at,
           round(tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency},
             (d.won_at AT TIME ZONE 'UTC')::date))::float8 AS value,
           s.name AS stage, NULL::float8 AS probability, count(*) OVER ()::int AS total
    FROM deals d LEFT JOIN pipeline_stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id
    WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.won_at >= ${from} AND d.won_at < ${to}
    ORDER BY value DESC NULLS LAST, d.id LIMIT ${limit}`.execute(db);
  return { total: res.rows[0]?.total ?? 0, items: res.rows.map(({ total: _t, ...x }) => x) };
}
