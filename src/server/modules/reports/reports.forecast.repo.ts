import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../contacts/records.repo.ts';
import { firstTouchAt, leadTimeIn, stageRank, windowValues, withoutJit } from './reports.repo.ts';

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

export interface ForecastPoint {
  asOf: Date;
  months: number;
  rates: FunnelRates;
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
  const [one] = await forecastAtMany(db, workspaceId, currency, [{ asOf, months, rates: r }]);
  return one ?? [];
}

/**
 * `forecastAt` of several moments in one query (the backtest's month-ends with the forecast ahead),
 * reading each table once instead of once per moment. Learned probabilities and the leads' state
 * at each moment are counted in buckets between the moments (width_bucket): a closed deal counts
 * for a stage when it entered the stage and closed before the moment; a lead's rank then is its
 * furthest transition before the moment, and its landing month follows from which of the
 * "month start − cycle" bounds its first touch passed. Open deals are grouped by stage range, span
 * of moments and landing bucket before they are spread over the moments; leads come from the
 * funnel roll-up (0070).
 * Run with JIT off ({@link withoutJit}).
 */
export async function forecastAtMany(
  db: Db,
  workspaceId: string,
  currency: string,
  points: readonly ForecastPoint[],
): Promise<ForecastMonth[][]> {
  if (!points.length) return [];
  // The leads' buckets among the moments are packed 8 bits each (see lead_p).
  if (points.length > 255) throw new Error('forecastAtMany takes at most 255 moments');
  const pt = sql.join(
    points.map(
      (p, k) => sql`(${k}::int, ${p.asOf}::timestamptz, ${p.months}::int, ${p.rates.leadToWon}::float8,
        ${p.rates.mqlToWon}::float8, ${p.rates.sqlToWon}::float8, ${p.rates.opportunityToWon}::float8,
        ${p.rates.averageDealMinor}::float8, make_interval(secs => ${p.rates.cycleDays * 86400}::float8))`,
    ),
  );
  // The start of the UTC month m months after the one containing the moment.
  const monthStart = (m: RawBuilder<unknown>) =>
    sql`((date_trunc('month', pt.as_of AT TIME ZONE 'UTC') + ${m} * interval '1 month') AT TIME ZONE 'UTC')`;
  // A time's bucket among the moments; never (NULL) is after every moment. The arrays are read
  // through scalar subqueries (evaluated once): taken from a joined row, each call copies the array
  // again, which made these buckets the costliest part at 1M contacts.
  const atBucket = (col: string) =>
    sql`coalesce(width_bucket(${sql.raw(col)}, (SELECT t FROM ta)), (SELECT array_length(t, 1) FROM ta))`;
  const times = points.map((p) => p.asOf.getTime());
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  const query = sql<ForecastMonth & { k: number }>`
    WITH pt(k, as_of, months, lead_w, mql_w, sql_w, opp_w, avg_deal, cycle) AS (VALUES ${pt}),
    ta AS (SELECT array_agg(DISTINCT as_of ORDER BY as_of) AS t FROM pt),
    closed AS (
      SELECT h.to_stage_id AS stage_id, greatest(min(h.at), coalesce(d.won_at, d.lost_at)) AS at,
             d.won_at IS NOT NULL AS won
      FROM deal_stage_history h JOIN deals d ON d.workspace_id = h.workspace_id AND d.id = h.deal_id
      WHERE h.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND coalesce(d.won_at, d.lost_at) IS NOT NULL
      GROUP BY h.to_stage_id, d.id, d.won_at, d.lost_at),
    closed_b AS (
      SELECT stage_id, ${atBucket('closed.at')} AS i, count(*) AS closed, count(*) FILTER (WHERE won) AS won
      FROM closed GROUP BY 1, 2),
    learned AS (
      SELECT pt.k, b.stage_id, sum(b.closed) AS closed, sum(b.won) AS won
      FROM pt CROSS JOIN ta JOIN closed_b b ON b.i < array_position(ta.t, pt.as_of)
      GROUP BY 1, 2),
    prob AS (
      SELECT pt.k, s.id, CASE WHEN l.closed >= ${MIN_CLOSED_PER_STAGE} THEN l.won::float8 / l.closed
                              ELSE s.probability / 100.0 END AS p
      FROM pt CROSS JOIN pipeline_stages s LEFT JOIN learned l ON l.k = pt.k AND l.stage_id = s.id
      WHERE s.workspace_id = ${workspaceId}),
    -- Every UTC month start from the first moment's next month to the last forecast month; per moment
    -- how many of them it passed (s) and its place among the moments (j). A time's forecast month is
    -- how many more month starts it passed.
    gm AS (
      SELECT array_agg(x AT TIME ZONE 'UTC' ORDER BY x) AS b FROM generate_series(
        (SELECT min(date_trunc('month', as_of AT TIME ZONE 'UTC')) + interval '1 month' FROM pt),
        (SELECT max(date_trunc('month', as_of AT TIME ZONE 'UTC') + months * interval '1 month') FROM pt),
        interval '1 month') x),
    ps AS (
      SELECT pt.k, width_bucket(pt.as_of, (SELECT b FROM gm)) AS s, width_bucket(pt.as_of, (SELECT t FROM ta)) AS j
      FROM pt),
    -- A deal without an expected close lands at its creation + the moment's cycle: the month starts
    -- less each moment's cycle cut creation times into buckets (c); per moment and bucket, the month
    -- starts such a deal passed (n).
    uc AS (
      SELECT array_agg(DISTINCT g - pt.cycle ORDER BY g - pt.cycle) AS u
      FROM pt CROSS JOIN unnest((SELECT b FROM gm)) g),
    fm AS (
      SELECT pt.k, c, (SELECT count(*) FROM unnest((SELECT b FROM gm)) g WHERE g - pt.cycle <= (SELECT u FROM uc)[c])::int AS n
      FROM pt CROSS JOIN generate_series(0, (SELECT coalesce(array_length(u, 1), 0) FROM uc)) c),
    hist AS (
      SELECT h.deal_id, h.to_stage_id, h.at, lead(h.at) OVER w AS next_at, row_number() OVER w = 1 AS first
      FROM deal_stage_history h WHERE h.workspace_id = ${workspaceId}
      -- Byte order for the (ASCII) ids: a sort by the database collation cost a fifth more.
      WINDOW w AS (PARTITION BY h.deal_id COLLATE "C" ORDER BY h.at, h.id COLLATE "C")),
    -- Open deals counted once per stage, span of moments (jlo, jhi] it is open in that stage, landing
    -- buckets and currency, then spread over those moments: not one row per deal and moment. A deal
    -- in another currency stays alone (each is converted and rounded at the moment's rate).
    deal_g AS (
      SELECT stage_id, jlo, jhi, e, c, fx_id, currency, sum(amount_minor) AS amount, count(*) AS n,
             count(amount_minor) AS priced
      FROM (
        SELECT coalesce(r.stage_id, d.stage_id) AS stage_id,
               greatest(width_bucket(d.created_at, (SELECT t FROM ta)), coalesce(width_bucket(r.lo, (SELECT t FROM ta)), 0)) AS jlo,
               least(${atBucket('least(d.won_at, d.lost_at)')}, ${atBucket('r.hi')}) AS jhi,
               width_bucket(d.expected_close_on::timestamptz, (SELECT b FROM gm)) AS e,
               width_bucket(d.created_at, (SELECT u FROM uc)) AS c,
               CASE WHEN d.currency IS DISTINCT FROM ${currency} THEN d.id END AS fx_id, d.currency, d.amount_minor
        -- A deal is in a stage at the moments in (lo, hi]: each history row's from its time to the
        -- next row's (r.k 1), the deal's own stage before the first row or, without history, always (2).
        FROM deals d LEFT JOIN hist h ON h.deal_id = d.id
          CROSS JOIN LATERAL (VALUES (1, h.to_stage_id, h.at, h.next_at), (2, NULL, NULL, h.at)) r(k, stage_id, lo, hi)
        WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL
          AND CASE WHEN r.k = 1 THEN h.deal_id IS NOT NULL ELSE h.deal_id IS NULL OR h.first END) x
      WHERE jlo < jhi
      GROUP BY 1, 2, 3, 4, 5, 6, 7),
    deal_rows AS (
      SELECT ps.k, greatest(coalesce(g.e, fm.n) - ps.s, 0) AS month, greatest(fm.n - ps.s, 0) AS fmonth,
             CASE WHEN g.fx_id IS NULL THEN coalesce(g.amount, 0) + (g.n - g.priced) * pt.avg_deal
                  ELSE coalesce(tandem_to_reporting(${workspaceId}, g.amount::bigint, g.currency, ${currency},
                                  (pt.as_of AT TIME ZONE 'UTC')::date), pt.avg_deal) END AS value,
             coalesce(prob.p, 0) AS p, pt.opp_w, g.n
      FROM deal_g g JOIN ps ON ps.j > g.jlo AND ps.j <= g.jhi JOIN pt ON pt.k = ps.k
        JOIN fm ON fm.k = ps.k AND fm.c = g.c
        LEFT JOIN prob ON prob.k = ps.k AND prob.id = g.stage_id),
    tl AS (
      SELECT array_agg(DISTINCT x ORDER BY x) AS t FROM (
        SELECT as_of - interval '365 days' AS x FROM pt UNION ALL SELECT as_of FROM pt
        UNION ALL SELECT ${monthStart(sql`m`)} - pt.cycle FROM pt CROSS JOIN generate_series(1, pt.months) m) s),
    -- Each live contact's funnel entry, first transition to each rank and first deal: the funnel
    -- roll-up keeps them (migration 0070), so no scan of contacts, transitions and deals here. The
    -- buckets of the six times are packed in one number (8 bits each), none for a contact with no
    -- transition and no deal: one grouping key per row is what makes this scan cheap.
    lead_p AS (
      SELECT width_bucket(f.lead_at, (SELECT t FROM tl)) AS il,
             CASE WHEN f.a0 IS NOT NULL OR f.deal_at IS NOT NULL THEN
               ((((${atBucket('f.deal_at')}::bigint * 256 + ${atBucket('f.a0')}) * 256 + ${atBucket('f.a1')}) * 256
                 + ${atBucket('f.a2')}) * 256 + ${atBucket('f.a3')}) * 256 + ${atBucket('f.a4')} END AS x,
             count(*) AS n
      FROM report_contact_funnel f
      -- Leads count only from a year before their moment: bounds the planner can estimate.
      WHERE f.workspace_id = ${workspaceId} AND f.lead_at >= ${first}::timestamptz - interval '365 days'
        AND f.lead_at < ${last}::timestamptz
      GROUP BY 1, 2),
    lead_b AS (
      SELECT il, n, ${sql.join(
        ['id', 'ia0', 'ia1', 'ia2', 'ia3', 'ia4'].map(
          (c, i) =>
            sql`coalesce(x / ${sql.lit(256 ** (5 - i))} % 256, (SELECT array_length(t, 1) FROM ta)) AS ${sql.ref(c)}`,
        ),
      )}
      FROM lead_p),
    lead_rows AS (
      SELECT pt.k, b.n,
             (SELECT count(*) FROM generate_series(1, pt.months) m
               WHERE b.il >= array_position(tl.t, ${monthStart(sql`m`)} - pt.cycle))::int AS fmonth,
             CASE WHEN b.ia4 < j.j THEN 4 WHEN b.ia3 < j.j THEN 3 WHEN b.ia2 < j.j THEN 2
                  WHEN b.ia1 < j.j THEN 1 WHEN b.ia0 < j.j THEN 0 ELSE 1 END AS rank
      FROM pt CROSS JOIN tl CROSS JOIN ta CROSS JOIN LATERAL (SELECT array_position(ta.t, pt.as_of) AS j) j
        JOIN lead_b b ON b.il >= array_position(tl.t, pt.as_of - interval '365 days')
          AND b.il < array_position(tl.t, pt.as_of) AND b.id >= j.j),
    u AS (
      SELECT k, month, sum(value * p) AS weighted, 0::float8 AS funnel, sum(n)::bigint AS deals, 0 AS leads
      FROM deal_rows GROUP BY k, month
      UNION ALL SELECT k, fmonth, 0, sum(value * opp_w), 0, 0 FROM deal_rows GROUP BY k, fmonth
      UNION ALL
      SELECT lr.k, lr.fmonth, 0, pt.avg_deal * CASE WHEN lr.rank >= 3 THEN pt.sql_w
               WHEN lr.rank = 2 THEN pt.mql_w ELSE pt.lead_w END * lr.n, 0, lr.n
      FROM lead_rows lr JOIN pt ON pt.k = lr.k WHERE lr.rank BETWEEN 1 AND 3)
    SELECT pt.k, m.month, coalesce(round(sum(u.weighted)), 0)::float8 AS weighted,
           coalesce(round(sum(u.funnel)), 0)::float8 AS funnel,
           coalesce(sum(u.deals), 0)::int AS deals, coalesce(sum(u.leads), 0)::int AS leads
    FROM pt CROSS JOIN generate_series(0, pt.months - 1) AS m(month) LEFT JOIN u ON u.k = pt.k AND u.month = m.month
    GROUP BY pt.k, m.month ORDER BY pt.k, m.month`;
  const res = await withoutJit(db, (d) => query.execute(d));
  const out: ForecastMonth[][] = points.map(() => []);
  for (const { k, ...row } of res.rows) out[k]!.push(row);
  return out;
}

/** Revenue won in each period, reporting currency at each win's date (one query for all). */
export async function wonRevenueIn(
  db: Db,
  workspaceId: string,
  currency: string,
  windows: readonly { from: Date; to: Date }[],
): Promise<number[]> {
  const r = await sql<{ v: number | null }>`
    SELECT round(sum(tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency},
             (d.won_at AT TIME ZONE 'UTC')::date)))::float8 AS v
    FROM ${windowValues(windows)} AS w(k, lo, hi)
      LEFT JOIN deals d ON d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.won_at >= w.lo AND d.won_at < w.hi
    GROUP BY w.k ORDER BY w.k`.execute(db);
  return r.rows.map((x) => x.v ?? 0);
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
        AND ${leadTimeIn(workspaceId, [sql`${asOf}::timestamptz - interval '365 days'`, asOf])}
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
