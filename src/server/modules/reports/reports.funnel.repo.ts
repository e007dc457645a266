import { type RawBuilder, sql } from 'kysely';
import type { Dimension } from '../../../contracts/reports.ts';
import type { Db } from '../contacts/records.repo.ts';
import { dimensionFilter, dimensionSelect, firstCampaignJoin } from './reports.dims.repo.ts';
import { type CohortStageCounts, firstTouchAt, leadTimeIn, STAGE_ORDER, stageRank } from './reports.repo.ts';

/**
 * Funnel and velocity: both read each contact's journey, the moment it entered each funnel stage.
 * A stage's entry is its first lifecycle transition to it (a deal's creation for opportunity, its
 * win for customer, whichever is earlier); a contact that skipped a stage passed it when it entered
 * the next one it reached, so entries are monotone and a later stage counts every earlier one.
 */

export interface FunnelRow {
  [dim: string]: string | number | null;
  lead: number;
  mql: number;
  sql: number;
  opportunity: number;
  customer: number;
}

export interface Period {
  from: Date;
  to: Date;
}

/**
 * The journeys CTE body: one row per live contact with its dimensions, furthest rank and stage
 * entries (`lead_at` … `customer_at`, NULL when not reached). `cohortOnly` keeps the contacts whose
 * first touch fell in the period (the cohort), else every contact.
 */
function journeys(
  workspaceId: string,
  by: Dimension[],
  p: Period,
  cohortOnly: boolean,
  extra: RawBuilder<unknown>,
) {
  const raw = (stage: string) => sql.raw(`t.${stage}_at`);
  const eff = (k: number) => {
    const later = STAGE_ORDER.slice(k).map((s) =>
      s === 'opportunity'
        ? sql`least(t.opportunity_at, dl.opportunity_at)`
        : s === 'customer'
          ? sql`least(t.customer_at, dl.customer_at)`
          : raw(s),
    );
    return sql`CASE WHEN greatest(b.rank_now, t.rank, dl.rank) >= ${k + 1} THEN least(${sql.join(later)}) END`;
  };
  return sql`
    base AS (
      SELECT c.id, c.workspace_id, ${dimensionSelect(by)} ${firstTouchAt} AS lead_at,
             ${stageRank(sql`c.lifecycle_stage`)} AS rank_now
      FROM contacts c ${firstCampaignJoin}
      WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
        ${cohortOnly ? sql`AND ${leadTimeIn(workspaceId, [p.from, p.to])}` : sql``} ${extra}),
    t AS (
      SELECT lt.contact_id, max(${stageRank(sql`lt.to_stage`)}) AS rank,
             min(lt.at) FILTER (WHERE lt.to_stage = 'mql') AS mql_at,
             min(lt.at) FILTER (WHERE lt.to_stage = 'sql') AS sql_at,
             min(lt.at) FILTER (WHERE lt.to_stage = 'opportunity') AS opportunity_at,
             min(lt.at) FILTER (WHERE lt.to_stage = 'customer') AS customer_at
      FROM lifecycle_transitions lt JOIN base ON base.id = lt.contact_id
      WHERE lt.workspace_id = ${workspaceId}
      GROUP BY lt.contact_id),
    dl AS (
      SELECT d.contact_id, CASE WHEN count(d.won_at) > 0 THEN 5 ELSE 4 END AS rank,
             min(d.created_at) AS opportunity_at, min(d.won_at) AS customer_at
      FROM deals d JOIN base ON base.id = d.contact_id
      WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL
      GROUP BY d.contact_id),
    j AS (
      SELECT b.*, greatest(b.rank_now, t.rank, dl.rank) AS rank,
             b.lead_at AS lead_at_eff, ${eff(1)} AS mql_at, ${eff(2)} AS sql_at,
             ${eff(3)} AS opportunity_at, ${eff(4)} AS customer_at
      FROM base b LEFT JOIN t ON t.contact_id = b.id LEFT JOIN dl ON dl.contact_id = b.id)`;
}

const dimCols = (by: Dimension[]) =>
  by.length
    ? sql`${sql.join(
        by.map((d) => sql.ref(d)),
        sql`, `,
      )},`
    : sql``;
const groupOrder = (by: Dimension[]) => {
  const cols = by.map((d) => sql.ref(d));
  return cols.length ? sql`GROUP BY ${sql.join(cols)} ORDER BY ${sql.join(cols)}` : sql``;
};
const inPeriod = (col: string, p: Period) => sql`${sql.ref(col)} >= ${p.from} AND ${sql.ref(col)} < ${p.to}`;

/** Stage counts by the dimensions: the cohort's furthest stages, or the stage entries in the period. */
export async function funnel(
  db: Db,
  workspaceId: string,
  by: Dimension[],
  p: Period,
  mode: 'cohort' | 'period',
  opts: { rollup?: boolean } = {},
): Promise<FunnelRow[]> {
  if (mode === 'cohort' && opts.rollup !== false && by.every((d) => d in ROLLUP_DIMS)) {
    const rows = await cohortFromRollup(db, workspaceId, by, p);
    if (rows) return rows;
  }
  const counts =
    mode === 'cohort'
      ? cohortCounts
      : sql.join(
          STAGE_ORDER.map(
            (s) =>
              sql`count(*) FILTER (WHERE ${inPeriod(s === 'lead' ? 'lead_at_eff' : `${s}_at`, p)})::int AS ${sql.ref(s)}`,
          ),
        );
  const r = await sql<FunnelRow>`
    WITH ${journeys(workspaceId, by, p, mode === 'cohort', sql``)}
    SELECT ${dimCols(by)} ${counts} FROM j ${groupOrder(by)}`.execute(db);
  return mode === 'cohort' ? r.rows : r.rows.filter((x) => STAGE_ORDER.some((s) => x[s] > 0));
}

const cohortCounts = sql.join(
  STAGE_ORDER.map((s, i) => sql`count(*) FILTER (WHERE rank >= ${i + 1})::int AS ${sql.ref(s)}`),
);

/**
 * The dimensions the daily funnel roll-up (migration 0056) keeps, as expressions over it (alias
 * `d`, its campaign `fc`): each equals the contact dimension of the same name.
 */
const ROLLUP_DIMS: Partial<Record<Dimension, RawBuilder<string | null>>> = {
  source: sql`d.source`,
  campaign: sql`fc.name`,
  channel: sql`coalesce(fc.channel, d.source)`,
  month: sql`to_char(d.lead_day, 'YYYY-MM')`,
};

const DAY_MS = 86_400_000;

/**
 * Folds the funnel deltas into the daily roll-up (tandem_funnel_compact, migration 0074): run by
 * a job each minute, one at a time. Reads are right either way; this keeps the deltas few.
 */
export async function compactFunnel(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`SELECT tandem_funnel_compact() AS n`.execute(db);
  return r.rows[0]!.n;
}

/**
 * The cohort funnel from the roll-up: whole UTC days of the period from `report_funnel_daily` and
 * its pending deltas, the part-days at its ends from the contacts themselves (found by lead time
 * through the roll-up's own lead_at index), added up by the dimensions. Undefined when the period holds no whole day (the
 * caller reads the contacts).
 */
async function cohortFromRollup(
  db: Db,
  workspaceId: string,
  by: Dimension[],
  p: Period,
): Promise<FunnelRow[] | undefined> {
  const firstDay = new Date(Math.ceil(p.from.getTime() / DAY_MS) * DAY_MS);
  const endDay = new Date(Math.floor(p.to.getTime() / DAY_MS) * DAY_MS);
  if (firstDay >= endDay) return undefined;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const edges = sql`AND ${leadTimeIn(workspaceId, [p.from, firstDay], [endDay, p.to])}`;
  const rollDims = by.map((d) => sql`${ROLLUP_DIMS[d]!} AS ${sql.ref(d)}`);
  const sums = STAGE_ORDER.map((s) => sql`sum(${sql.ref(s)})::int AS ${sql.ref(s)}`);
  // The daily rows plus the deltas not yet folded into them (0074).
  const days = (table: 'report_funnel_daily' | 'report_funnel_delta') => sql`
      SELECT ${rollDims.length ? sql`${sql.join(rollDims)},` : sql``}
             d.contacts, ${sql.join(STAGE_ORDER.map((s) => sql`d.${sql.ref(s)}`))}
      FROM ${sql.table(table)} d LEFT JOIN campaigns fc ON fc.workspace_id = d.workspace_id AND fc.id = d.campaign_id
      WHERE d.workspace_id = ${workspaceId} AND d.lead_day >= ${day(firstDay)}::date AND d.lead_day < ${day(endDay)}::date`;
  const r = await sql<FunnelRow>`
    WITH ${journeys(workspaceId, by, p, false, edges)},
    u AS (
      ${days('report_funnel_daily')}
      UNION ALL
      ${days('report_funnel_delta')}
      UNION ALL
      SELECT ${dimCols(by)} count(*) AS contacts, ${cohortCounts}
      FROM j ${by.length ? sql`GROUP BY ${sql.join(by.map((d) => sql.ref(d)))}` : sql``})
    SELECT ${dimCols(by)} ${sql.join(sums)} FROM u
    ${
      // A group whose deltas took every contact out nets to zero contacts: no row, as in the records.
      by.length
        ? sql`GROUP BY ${sql.join(by.map((d) => sql.ref(d)))} HAVING sum(contacts) <> 0
              ORDER BY ${sql.join(by.map((d) => sql.ref(d)))}`
        : sql``
    }`.execute(db);
  return r.rows;
}

/**
 * The funnel's cohort counts (no breakdown) of several periods: `funnel(…, [], period, 'cohort')`
 * of each, so from the daily roll-up; the forecast's backtest needs one per past month-end.
 */
export async function cohortCountsAt(
  db: Db,
  workspaceId: string,
  windows: readonly Period[],
): Promise<CohortStageCounts[]> {
  const rows = await Promise.all(windows.map((w) => funnel(db, workspaceId, [], w, 'cohort')));
  return rows.map(([r]) => ({
    lead: r?.lead ?? 0,
    mql: r?.mql ?? 0,
    sql: r?.sql ?? 0,
    opportunity: r?.opportunity ?? 0,
    customer: r?.customer ?? 0,
  }));
}

export interface VelocityRow {
  [dim: string]: string | number | null;
  stage: string;
  reached: number;
  to_mean: number | null;
  to_p25: number | null;
  to_median: number | null;
  to_p75: number | null;
  to_p90: number | null;
  completed: number;
  in_mean: number | null;
  in_p25: number | null;
  in_median: number | null;
  in_p75: number | null;
  in_p90: number | null;
}

const stats = (prefix: string, col: RawBuilder<unknown>) =>
  sql.join(
    [
      sql`avg(${col})::float8 AS ${sql.ref(`${prefix}_mean`)}`,
      ...(
        [
          [0.25, 'p25'],
          [0.5, 'median'],
          [0.75, 'p75'],
          [0.9, 'p90'],
        ] as const
      ).map(
        ([q, n]) =>
          sql`percentile_cont(${sql.lit(q)}) WITHIN GROUP (ORDER BY ${col})::float8 AS ${sql.ref(`${prefix}_${n}`)}`,
      ),
    ],
    sql`, `,
  );

/** Days from first touch to each stage, and days spent in it (to the next stage), of the cohort. */
export async function velocity(
  db: Db,
  workspaceId: string,
  by: Dimension[],
  p: Period,
): Promise<VelocityRow[]> {
  const days = (a: string, b: string) => sql`extract(epoch FROM ${sql.raw(b)} - ${sql.raw(a)}) / 86400.0`;
  const r = await sql<VelocityRow>`
    WITH ${journeys(workspaceId, by, p, true, sql``)}
    SELECT ${dimCols(by)} s.stage, count(*)::int AS reached, ${stats('to', sql`s.to_days`)},
           count(s.in_days)::int AS completed, ${stats('in', sql`s.in_days`)}
    FROM j CROSS JOIN LATERAL (VALUES
      (1, 'lead', 0::float8, ${days('j.lead_at_eff', 'j.mql_at')}),
      (2, 'mql', ${days('j.lead_at_eff', 'j.mql_at')}, ${days('j.mql_at', 'j.sql_at')}),
      (3, 'sql', ${days('j.lead_at_eff', 'j.sql_at')}, ${days('j.sql_at', 'j.opportunity_at')}),
      (4, 'opportunity', ${days('j.lead_at_eff', 'j.opportunity_at')}, ${days('j.opportunity_at', 'j.customer_at')}),
      (5, 'customer', ${days('j.lead_at_eff', 'j.customer_at')}, NULL::float8)
    ) AS s(ord, stage, to_days, in_days)
    WHERE j.rank >= s.ord
    GROUP BY ${sql.join([...by.map((d) => sql.ref(d)), sql`s.ord`, sql`s.stage`])}
    ORDER BY ${sql.join([...by.map((d) => sql.ref(d)), sql`s.ord`])}`.execute(db);
  return r.rows;
}

export interface DrillRow {
  id: string;
  /** When a drill lists records of both kinds. */
  kind?: 'contact' | 'deal';
  name: string | null;
  at: Date | null;
  value: number | null;
}

/**
 * The contacts behind a funnel or velocity cell: those of the row's dimension values that reached
 * `stage` (cohort), or entered it in the period (period mode).
 */
export async function journeyContacts(
  db: Db,
  workspaceId: string,
  by: Dimension[],
  row: Record<string, string | null>,
  p: Period,
  mode: 'cohort' | 'period',
  stage: (typeof STAGE_ORDER)[number],
  limit: number,
): Promise<{ items: DrillRow[]; total: number }> {
  const k = STAGE_ORDER.indexOf(stage) + 1;
  const at = stage === 'lead' ? 'lead_at_eff' : `${stage}_at`;
  const where = mode === 'cohort' ? sql`j.rank >= ${k}` : inPeriod(at, p);
  const r = await sql<DrillRow & { total: number }>`
    WITH ${journeys(workspaceId, by, p, mode === 'cohort', dimensionFilter(by, row))}
    SELECT j.id, coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, c.external_id) AS name,
           ${sql.ref(`j.${at}`)} AS at, NULL::float8 AS value, count(*) OVER ()::int AS total
    FROM j JOIN contacts c ON c.workspace_id = j.workspace_id AND c.id = j.id
    WHERE ${where}
    ORDER BY ${sql.ref(`j.${at}`)}, j.id LIMIT ${limit}`.execute(db);
  return { items: r.rows.map(({ total: _, ...x }) => x), total: r.rows[0]?.total ?? 0 };
}
