import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../contacts/records.repo.ts';

/**
 * SQL shared by the reports, and the measured-rates queries the planner reads. Every figure is
 * computed in SQL over the records; this file and the other `reports.*.repo.ts` files hold all of it.
 */

/** Funnel order of the lifecycle stages; side exits count as having been a lead. */
export const STAGE_ORDER = ['lead', 'mql', 'sql', 'opportunity', 'customer'] as const;
export type FunnelStage = (typeof STAGE_ORDER)[number];

/** The funnel rank (1 lead … 5 customer) of a stage column; subscribers are 0. */
export function stageRank(col: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(CASE ${col} WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
    WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END)`;
}

/**
 * The furthest funnel stage a contact ever reached (alias `c`): its current stage, every stage it
 * moved to, and its deals (a deal makes an opportunity, a won deal a customer). Funnels are
 * monotone: reaching a later stage counts as having passed every earlier one.
 */
export const reachedRank = sql<number>`greatest(
  ${stageRank(sql`c.lifecycle_stage`)},
  (SELECT max(${stageRank(sql`lt.to_stage`)}) FROM lifecycle_transitions lt
    WHERE lt.workspace_id = c.workspace_id AND lt.contact_id = c.id),
  (SELECT CASE WHEN bool_or(d.won_at IS NOT NULL) THEN 5 WHEN count(*) > 0 THEN 4 END FROM deals d
    WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id AND d.deleted_at IS NULL))`;

/** Periods [from, to) as SQL `VALUES` rows `(k, lo, hi)`, k the period's index in the list. */
export function windowValues(ws: readonly { from: Date; to: Date }[]) {
  return sql`(VALUES ${sql.join(ws.map((w, k) => sql`(${k}::int, ${w.from}::timestamptz, ${w.to}::timestamptz)`))})`;
}

/**
 * Runs a report query with JIT off, in its own transaction. PostgreSQL's cost estimates for report
 * queries over 1M contacts are far above `jit_above_cost`, so it compiled their expressions on every
 * run: 70–150 ms of the forecast query's ~700 ms and 25 ms of the won-deal statistics, measured as
 * backend CPU time, without making the execution faster. Inside a caller's transaction the query
 * runs as it is, leaving that transaction's settings alone.
 */
export function withoutJit<T>(db: Db, query: (db: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return query(db);
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL jit = off`.execute(trx);
    return query(trx);
  });
}

/** When a contact entered the funnel: its first touch, else its creation. */
export const firstTouchAt = sql<Date>`coalesce(c.first_touch_at, c.created_at)`;

type Moment = Date | RawBuilder<unknown>;

/**
 * Keeps contacts `c` whose lead time (`firstTouchAt`) falls in one of the ranges [from, to). Read
 * through the funnel roll-up's index on lead_at (one row per live contact, kept in the writing
 * transaction): contacts has no index on its first touch time, so that touch batches, which move
 * it, update contacts in place (0075).
 */
export function leadTimeIn(
  workspaceId: string,
  ...ranges: [from: Moment, to: Moment][]
): RawBuilder<unknown> {
  const any = sql.join(
    ranges.map(([from, to]) => sql`(f.lead_at >= ${from} AND f.lead_at < ${to})`),
    sql` OR `,
  );
  return sql`c.id IN (SELECT f.contact_id FROM report_contact_funnel f WHERE f.workspace_id = ${workspaceId} AND (${any}))`;
}

export async function reportingCurrency(db: Db, workspaceId: string): Promise<string> {
  const row = await db
    .selectFrom('workspaces')
    .select('reporting_currency')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return row?.reporting_currency ?? 'USD';
}

export interface CohortStageCounts {
  lead: number;
  mql: number;
  sql: number;
  opportunity: number;
  customer: number;
}

/**
 * How many contacts whose first touch fell in [from, to) ever reached each funnel stage: the funnel
 * report's cohort counts without a breakdown (one computation for both).
 */
export async function cohortStageCounts(
  db: Db,
  workspaceId: string,
  from: Date,
  to: Date,
): Promise<CohortStageCounts> {
  const { cohortCountsAt } = await import('./reports.funnel.repo.ts');
  const [row] = await cohortCountsAt(db, workspaceId, [{ from, to }]);
  return row ?? { lead: 0, mql: 0, sql: 0, opportunity: 0, customer: 0 };
}

export interface WonDealStats {
  won: number;
  converted: number;
  avg_minor: number | null;
  median_cycle_days: number | null;
  median_touches: number | null;
  any_avg_minor: number | null;
}

/**
 * Deals won in [from, to): count, mean amount in the reporting currency (at the won-date rate),
 * median days from the contact's first touch to the win, and the median number of touches of the
 * deal's contact before the win. `any_avg_minor` is the mean of every deal with an amount (a
 * fallback when nothing was won in the period).
 */
export async function wonDealStats(
  db: Db,
  workspaceId: string,
  currency: string,
  from: Date,
  to: Date,
): Promise<WonDealStats> {
  const [row] = await wonDealStatsAt(db, workspaceId, currency, [{ from, to }], true);
  return row!;
}

/**
 * `wonDealStats` of several periods in one query (the won deals of their union read once). Without
 * `touches` the median touches (a count per won deal, the costly part) is left out as NULL.
 */
export async function wonDealStatsAt(
  db: Db,
  workspaceId: string,
  currency: string,
  windows: readonly { from: Date; to: Date }[],
  touches: boolean,
): Promise<WonDealStats[]> {
  const lo = new Date(Math.min(...windows.map((w) => w.from.getTime())));
  const hi = new Date(Math.max(...windows.map((w) => w.to.getTime())));
  const r = sql<WonDealStats>`
    WITH w(k, lo, hi) AS ${windowValues(windows)},
    won AS MATERIALIZED (
      SELECT d.id, d.won_at, d.contact_id,
             tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency}, (d.won_at AT TIME ZONE 'UTC')::date) AS amount,
             -- The contact by its key (a join would hash every contact of the workspace).
             extract(epoch FROM d.won_at - (SELECT ${firstTouchAt} FROM contacts c
               WHERE c.workspace_id = d.workspace_id AND c.id = d.contact_id)) / 86400.0 AS cycle_days,
             ${
               touches
                 ? sql`(SELECT count(*) FROM touches t WHERE t.workspace_id = d.workspace_id AND t.contact_id = d.contact_id
                AND t.occurred_at < d.won_at AND t.type NOT IN ('deal_won','deal_lost','note'))`
                 : sql`NULL::bigint`
             } AS touches
      FROM deals d
      WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.won_at >= ${lo} AND d.won_at < ${hi}),
    any_avg AS (
      SELECT avg(tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency},
                 (coalesce(d.won_at, d.created_at) AT TIME ZONE 'UTC')::date))::float8 AS v
      FROM deals d WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.amount_minor IS NOT NULL)
    SELECT w.k, count(won.id)::int AS won, count(won.amount)::int AS converted, avg(won.amount)::float8 AS avg_minor,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY won.cycle_days)::float8 AS median_cycle_days,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY won.touches) FILTER (WHERE won.contact_id IS NOT NULL)::float8 AS median_touches,
           (SELECT v FROM any_avg) AS any_avg_minor
    FROM w LEFT JOIN won ON won.won_at >= w.lo AND won.won_at < w.hi
    GROUP BY w.k ORDER BY w.k`;
  return (await withoutJit(db, (d) => r.execute(d))).rows;
}

export interface ChannelCostRow {
  channel: string;
  cost_minor: number;
  leads: number;
}

/**
 * Per channel: campaign cost incurred in [from, to) (reporting currency, at each line's date) and
 * the leads whose first touch fell in the period. A lead's channel is its first-touch campaign's
 * channel, else its recorded source.
 */
export async function costAndLeadsByChannel(
  db: Db,
  workspaceId: string,
  currency: string,
  from: Date,
  to: Date,
): Promise<ChannelCostRow[]> {
  const r = await sql<ChannelCostRow>`
    WITH cost AS (
      SELECT cam.channel, sum(tandem_to_reporting(l.workspace_id, l.amount_minor, l.currency, ${currency}, l.incurred_on)) AS cost
      FROM campaign_cost_lines l JOIN campaigns cam ON cam.workspace_id = l.workspace_id AND cam.id = l.campaign_id
      WHERE l.workspace_id = ${workspaceId} AND l.incurred_on >= (${from}::timestamptz AT TIME ZONE 'UTC')::date
        AND l.incurred_on < (${to}::timestamptz AT TIME ZONE 'UTC')::date
      GROUP BY cam.channel),
    leads AS (
      SELECT coalesce(cam.channel, c.source_channel, 'unknown') AS channel, count(*) AS leads
      FROM contacts c LEFT JOIN campaigns cam ON cam.workspace_id = c.workspace_id AND cam.id = c.source_campaign_id
      WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
        AND ${leadTimeIn(workspaceId, [from, to])}
      GROUP BY 1)
    SELECT coalesce(cost.channel, leads.channel) AS channel, coalesce(cost.cost, 0)::float8 AS cost_minor,
           coalesce(leads.leads, 0)::int AS leads
    FROM cost FULL JOIN leads ON leads.channel = cost.channel
    ORDER BY 1`.execute(db);
  return r.rows;
}

/** Active sales reps now, and the distinct owners of deals won in the period (a fallback). */
export async function repCounts(
  db: Db,
  workspaceId: string,
  from: Date,
  to: Date,
): Promise<{ reps: number; closers: number }> {
  const r = await sql<{ reps: number; closers: number }>`
    SELECT (SELECT count(*)::int FROM users WHERE workspace_id = ${workspaceId} AND active AND role = 'sales_rep') AS reps,
           (SELECT count(DISTINCT owner_id)::int FROM deals WHERE workspace_id = ${workspaceId} AND deleted_at IS NULL
              AND won_at >= ${from} AND won_at < ${to}) AS closers`.execute(db);
  return r.rows[0]!;
}
