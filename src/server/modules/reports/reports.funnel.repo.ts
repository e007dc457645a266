import { type RawBuilder, sql } from 'kysely';
import type { Dimension } from '../../../contracts/reports.ts';
import type { Db } from '../contacts/records.repo.ts';
import { dimensionFilter, dimensionSelect, firstCampaignJoin } from './reports.dims.repo.ts';
import {
  type CohortStageCounts,
  firstTouchAt,
  STAGE_ORDER,
  stageRank,
  windowValues,
} from './reports.repo.ts';

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
        ${cohortOnly ? sql`AND ${firstTouchAt} >= ${p.from} AND ${firstTouchAt} < ${p.to}` : sql``} ${extra}),
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
): Promise<FunnelRow[]> {
  const counts =
    mode === 'cohort'
      ? sql.join(
          STAGE_ORDER.map((s, i) => sql`count(*) FILTER (WHERE rank >= ${i + 1})::int AS ${sql.ref(s)}`),
        )
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

/**
 * The funnel's cohort counts (no breakdown) of several periods in one pass: the journeys of the
 * union of the periods are counted once into the buckets between the periods' bounds
 * (width_bucket), and each period adds up its buckets. Equals `funnel(…, [], period, 'cohort')`
 * for each period; the forecast's backtest needs one per past month-end.
 */
export async function cohortCountsAt(
  db: Db,
  workspaceId: string,
  windows: readonly Period[],
): Promise<CohortStageCounts[]> {
  if (!windows.length) return [];
  const union = {
    from: new Date(Math.min(...windows.map((w) => w.from.getTime()))),
    to: new Date(Math.max(...windows.map((w) => w.to.getTime()))),
  };
  const counts = STAGE_ORDER.map((s, i) => sql`count(*) FILTER (WHERE j.rank >= ${i + 1}) AS ${sql.ref(s)}`);
  const sums = STAGE_ORDER.map((s) => sql`coalesce(sum(b.${sql.ref(s)}), 0)::int AS ${sql.ref(s)}`);
  const r = await sql<CohortStageCounts & { k: number }>`
    WITH ${journeys(workspaceId, [], union, true, sql``)},
    w(k, lo, hi) AS ${windowValues(windows)},
    th AS (SELECT array_agg(DISTINCT x ORDER BY x) AS t FROM (SELECT lo AS x FROM w UNION ALL SELECT hi FROM w) s),
    b AS (SELECT width_bucket(j.lead_at_eff, th.t) AS i, ${sql.join(counts)} FROM j CROSS JOIN th GROUP BY 1)
    SELECT w.k, ${sql.join(sums)}
    FROM w CROSS JOIN th LEFT JOIN b ON b.i >= array_position(th.t, w.lo) AND b.i < array_position(th.t, w.hi)
    GROUP BY w.k ORDER BY w.k`.execute(db);
  return r.rows.map(({ k: _, ...c }) => c);
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
