import { type RawBuilder, sql } from 'kysely';
import {
  ATTRIBUTION_MODELS,
  type AttributionDimension,
  type AttributionModel,
  type Dimension,
} from '../../../contracts/reports.ts';
import type { Db } from '../contacts/records.repo.ts';
import { dimensionFilter, dimensionSelect, firstCampaignJoin, groupByDims } from './reports.dims.repo.ts';
import type { DrillRow, Period } from './reports.funnel.repo.ts';
import { firstTouchAt, leadTimeIn } from './reports.repo.ts';

/**
 * Touches-to-close and multi-touch attribution. A touch counts towards a win when it is a contact
 * with the prospect (not the deal_won/deal_lost bookkeeping touches or a note) of the deal's
 * contact and happened before the win.
 */
const COUNTED = sql`t.type NOT IN ('deal_won', 'deal_lost', 'note')`;

/** Touch-count buckets, in order: 1, 2, 3, 4, 5, 6–8, 9+ (and 0 for records without touches). */
export const TOUCH_BUCKETS = ['0', '1', '2', '3', '4', '5', '6-8', '9+'] as const;
const bucketOf = (n: RawBuilder<unknown>) =>
  sql<string>`CASE WHEN ${n} <= 5 THEN (${n})::text WHEN ${n} <= 8 THEN '6-8' ELSE '9+' END`;

export interface TouchBucketRow {
  [dim: string]: string | number | null;
  bucket: string;
  won_deals: number;
  contacts: number;
  customers: number;
}

/**
 * Won deals in the period by the number of touches of their contact before the win, and the cohort
 * (first touch in the period) by touches before its first win (or before the period's end), with
 * how many of each bucket became customers.
 */
export async function touchesToClose(
  db: Db,
  workspaceId: string,
  by: Dimension[],
  p: Period,
): Promise<TouchBucketRow[]> {
  const dims = by.map((d) => sql.ref(d));
  const keyCols = [...dims, sql.ref('bucket')];
  const r = await sql<TouchBucketRow>`
    WITH won AS (
      SELECT ${dimensionSelect(by)} (SELECT count(*) FROM touches t WHERE t.workspace_id = d.workspace_id
               AND t.contact_id = d.contact_id AND t.occurred_at < d.won_at AND ${COUNTED}) AS n
      FROM deals d JOIN contacts c ON c.workspace_id = d.workspace_id AND c.id = d.contact_id ${firstCampaignJoin}
      WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.won_at >= ${p.from} AND d.won_at < ${p.to}),
    cohort AS (
      SELECT c.id, c.workspace_id, ${dimensionSelect(by)}
             (SELECT min(d.won_at) FROM deals d WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id
                AND d.deleted_at IS NULL AND d.won_at < ${p.to}) AS won_at
      FROM contacts c ${firstCampaignJoin}
      WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
        AND ${leadTimeIn(workspaceId, [p.from, p.to])}),
    cb AS (
      SELECT ${dims.length ? sql`${sql.join(dims)},` : sql``} won_at IS NOT NULL AS won,
             (SELECT count(*) FROM touches t WHERE t.workspace_id = cohort.workspace_id
               AND t.contact_id = cohort.id AND t.occurred_at < coalesce(cohort.won_at, ${p.to}) AND ${COUNTED}) AS n
      FROM cohort),
    -- Both halves side by side: a FULL JOIN on nullable keys is not hash-joinable, so add up a union.
    u AS (
      SELECT ${dims.length ? sql`${sql.join(dims)},` : sql``} ${bucketOf(sql`n`)} AS bucket, 1 AS won_deals, 0 AS contacts, 0 AS customers FROM won
      UNION ALL
      SELECT ${dims.length ? sql`${sql.join(dims)},` : sql``} ${bucketOf(sql`n`)}, 0, 1, won::int FROM cb)
    SELECT ${sql.join(keyCols)}, sum(won_deals)::int AS won_deals, sum(contacts)::int AS contacts,
           sum(customers)::int AS customers
    FROM u GROUP BY ${sql.join(keyCols)}`.execute(db);
  const order = (b: string) => TOUCH_BUCKETS.indexOf(b as (typeof TOUCH_BUCKETS)[number]);
  return r.rows.sort((x, y) => {
    for (const d of by) {
      const c = String(x[d] ?? '').localeCompare(String(y[d] ?? ''));
      if (c) return c;
    }
    return order(x.bucket) - order(y.bucket);
  });
}

/** Attribution breaks revenue down by the touch's campaign, channel or market. */
const ATTRIBUTION_DIM_SQL: Record<AttributionDimension, RawBuilder<string | null>> = {
  campaign: sql`tc.name`,
  channel: sql`coalesce(cr.channel, tc.channel)`,
  market: sql`tc.markets[1]`,
};

/** Whether to read the won deals' touch paths from the roll-up (migration 0067) or the touch log. */
export interface AttributionOptions {
  rollup?: boolean;
}

/**
 * Each won deal's counted touches before the win, with its place in the deal's path. From the
 * roll-up, a period's paths are one range of report_deal_touches by won_at; from the touch log, one
 * index probe per won deal into every monthly partition before its win (seconds at 10M touches).
 */
function pathsCte(workspaceId: string, p: Period, rollup: boolean) {
  const order = sql`row_number() OVER (PARTITION BY w.deal_id ORDER BY t.occurred_at, t.touch_id) AS i,
             count(*) OVER (PARTITION BY w.deal_id) AS n`;
  if (rollup)
    return sql`
      SELECT w.deal_id, t.touch_id, t.occurred_at, t.campaign_id, t.channel, t.type, w.won_at, w.deal_created_at, w.amount, ${order}
      FROM won w JOIN report_deal_touches t ON t.deal_id = w.deal_id
      WHERE t.workspace_id = ${workspaceId} AND t.won_at >= ${p.from} AND t.won_at < ${p.to}`;
  return sql`
      SELECT w.deal_id, t.touch_id, t.occurred_at, t.campaign_id, t.channel, t.type, w.won_at, w.deal_created_at, w.amount, ${order}
      -- Per won deal, its contact's touches by index (in contact order, so probes share pages):
      -- OFFSET 0 keeps the planner from flattening this into a hash join over every touch.
      FROM (SELECT * FROM won ORDER BY contact_id) w CROSS JOIN LATERAL (
        SELECT t.id AS touch_id, t.occurred_at, t.campaign_id, t.channel, t.type FROM touches t
        WHERE t.workspace_id = ${workspaceId} AND t.contact_id = w.contact_id AND t.occurred_at < w.won_at AND ${COUNTED} OFFSET 0) t`;
}

/**
 * The credits CTEs: `credits` has one row per (won deal, counted touch before the win) with the
 * deal's amount in the reporting currency and each model's share (0..1, summing to 1 per deal). A
 * won deal without touches gets one row without a touch, credited 100 % under every model, so
 * credits always add up to the revenue won.
 */
export function creditsCte(
  workspaceId: string,
  currency: string,
  p: Period,
  halfLifeDays: number,
  opts: AttributionOptions = {},
) {
  return sql`
    won AS (
      SELECT d.id AS deal_id, d.contact_id, d.won_at, d.created_at AS deal_created_at, d.name AS deal_name,
             tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency}, (d.won_at AT TIME ZONE 'UTC')::date) AS amount
      FROM deals d
      WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.won_at >= ${p.from} AND d.won_at < ${p.to}),
    tp AS (${pathsCte(workspaceId, p, opts.rollup !== false)}),
    -- W-shaped key touches: lead creation is the first form submission (a conversion), opportunity
    -- creation the last touch at or before the deal was created.
    keyed AS (
      SELECT tp.*, (tp.i = 1)::int + coalesce((tp.i = k.lead_i)::int, 0) + coalesce((tp.i = k.opp_i)::int, 0) AS key_roles
      FROM tp JOIN (
        SELECT deal_id, min(i) FILTER (WHERE type = 'form_submit') AS lead_i,
               max(i) FILTER (WHERE occurred_at <= deal_created_at) AS opp_i
        FROM tp GROUP BY deal_id) k ON k.deal_id = tp.deal_id),
    raw AS (
      SELECT keyed.*,
             CASE WHEN n = 1 THEN 1 WHEN n = 2 THEN 0.5 WHEN i = 1 OR i = n THEN 0.4 ELSE 0.2 / (n - 2) END AS u_raw,
             0.3 * key_roles + CASE WHEN key_roles = 0
               THEN 0.1 / sum((key_roles = 0)::int) OVER (PARTITION BY deal_id) ELSE 0 END AS w_raw,
             power(0.5::float8, extract(epoch FROM won_at - occurred_at)::float8 / 86400.0 / ${halfLifeDays}::float8) AS td_raw
      FROM keyed),
    credits AS (
      SELECT r.deal_id, r.touch_id, r.campaign_id, r.channel, r.amount,
             (r.i = 1)::int::float8 AS first, (r.i = r.n)::int::float8 AS last, 1.0::float8 / r.n AS linear,
             r.u_raw::float8 AS u_shaped,
             (r.w_raw / sum(r.w_raw) OVER (PARTITION BY r.deal_id))::float8 AS w_shaped,
             CASE WHEN sum(r.td_raw) OVER (PARTITION BY r.deal_id) > 0
               THEN r.td_raw / sum(r.td_raw) OVER (PARTITION BY r.deal_id) ELSE 1.0 / r.n END AS time_decay
      FROM raw r
      UNION ALL
      SELECT w.deal_id, NULL, NULL, NULL, w.amount, 1, 1, 1, 1, 1, 1
      FROM won w WHERE NOT EXISTS (SELECT 1 FROM tp WHERE tp.deal_id = w.deal_id))`;
}

const modelSums = sql.join(
  ATTRIBUTION_MODELS.map((m) => sql`round(sum(cr.amount * cr.${sql.ref(m)}))::float8 AS ${sql.ref(m)}`),
);

export interface AttributionRow {
  [key: string]: string | number | null;
}

/** Revenue won in the period, credited by all six models side by side, by campaign/channel/market. */
export async function attribution(
  db: Db,
  workspaceId: string,
  currency: string,
  by: AttributionDimension[],
  p: Period,
  halfLifeDays: number,
  opts: AttributionOptions = {},
): Promise<AttributionRow[]> {
  const dims = by.map((d) => sql`${ATTRIBUTION_DIM_SQL[d]} AS ${sql.ref(d)}`);
  const refs = by.map((d) => sql.ref(d));
  const r = await sql<AttributionRow>`
    WITH ${creditsCte(workspaceId, currency, p, halfLifeDays, opts)}
    SELECT ${dims.length ? sql`${sql.join(dims)},` : sql``} count(DISTINCT cr.deal_id)::int AS deals, ${modelSums}
    FROM credits cr LEFT JOIN campaigns tc ON tc.workspace_id = ${workspaceId} AND tc.id = cr.campaign_id
    ${groupByDims(by)} ${refs.length ? sql`ORDER BY ${sql.join(refs)}` : sql``}`.execute(db);
  return r.rows;
}

/** Per won deal: its amount and the sum of its credits under each model (the invariant's check). */
export async function creditSumsByDeal(
  db: Db,
  workspaceId: string,
  currency: string,
  p: Period,
  halfLifeDays: number,
  opts: AttributionOptions = {},
): Promise<({ deal_id: string; amount: number; touches: number } & Record<AttributionModel, number>)[]> {
  const r = await sql<
    { deal_id: string; amount: number; touches: number } & Record<AttributionModel, number>
  >`
    WITH ${creditsCte(workspaceId, currency, p, halfLifeDays, opts)}
    SELECT cr.deal_id, max(cr.amount)::float8 AS amount, count(cr.touch_id)::int AS touches,
           ${sql.join(ATTRIBUTION_MODELS.map((m) => sql`sum(cr.amount * cr.${sql.ref(m)})::float8 AS ${sql.ref(m)}`))}
    FROM credits cr GROUP BY cr.deal_id ORDER BY cr.deal_id`.execute(db);
  return r.rows;
}

/** The won deals behind an attribution cell, each with the amount that model credits to the row. */
export async function attributionDeals(
  db: Db,
  workspaceId: string,
  currency: string,
  by: AttributionDimension[],
  row: Record<string, string | null>,
  p: Period,
  halfLifeDays: number,
  model: AttributionModel,
  limit: number,
  opts: AttributionOptions = {},
): Promise<{ items: DrillRow[]; total: number }> {
  const filter = by.map(
    (d) => sql`AND ${ATTRIBUTION_DIM_SQL[d]} IS NOT DISTINCT FROM ${row[d] ?? null}::text`,
  );
  const r = await sql<DrillRow & { total: number }>`
    WITH ${creditsCte(workspaceId, currency, p, halfLifeDays, opts)},
    cell AS (
      SELECT cr.deal_id, sum(cr.amount * cr.${sql.ref(model)})::float8 AS value
      FROM credits cr LEFT JOIN campaigns tc ON tc.workspace_id = ${workspaceId} AND tc.id = cr.campaign_id
      WHERE true ${sql.join(filter, sql` `)}
      GROUP BY cr.deal_id HAVING sum(cr.${sql.ref(model)}) > 0)
    SELECT w.deal_id AS id, w.deal_name AS name, w.won_at AS at, round(cell.value::numeric)::float8 AS value,
           count(*) OVER ()::int AS total
    FROM cell JOIN won w ON w.deal_id = cell.deal_id
    ORDER BY cell.value DESC, w.deal_id LIMIT ${limit}`.execute(db);
  return { items: r.rows.map(({ total: _, ...x }) => x), total: r.rows[0]?.total ?? 0 };
}

/** The won deals (column won_deals) or cohort contacts (contacts, customers) of a touch bucket. */
export async function bucketRecords(
  db: Db,
  workspaceId: string,
  by: Dimension[],
  row: Record<string, string | null>,
  p: Period,
  column: 'won_deals' | 'contacts' | 'customers',
  limit: number,
): Promise<{ items: DrillRow[]; total: number }> {
  const bucket = row.bucket ?? '';
  const r =
    column === 'won_deals'
      ? await sql<DrillRow & { total: number }>`
        SELECT d.id, d.name, d.won_at AS at, NULL::float8 AS value, count(*) OVER ()::int AS total
        FROM deals d JOIN contacts c ON c.workspace_id = d.workspace_id AND c.id = d.contact_id ${firstCampaignJoin}
        WHERE d.workspace_id = ${workspaceId} AND d.deleted_at IS NULL AND d.won_at >= ${p.from} AND d.won_at < ${p.to}
          ${dimensionFilter(by, row)}
          AND ${bucketOf(sql`(SELECT count(*) FROM touches t WHERE t.workspace_id = d.workspace_id
               AND t.contact_id = d.contact_id AND t.occurred_at < d.won_at AND ${COUNTED})`)} = ${bucket}
        ORDER BY d.won_at, d.id LIMIT ${limit}`.execute(db)
      : await sql<DrillRow & { total: number }>`
        WITH cohort AS (
          SELECT c.id, c.workspace_id, coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, c.external_id) AS name,
                 ${firstTouchAt} AS first_at,
                 (SELECT min(d.won_at) FROM deals d WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id
                    AND d.deleted_at IS NULL AND d.won_at < ${p.to}) AS won_at
          FROM contacts c ${firstCampaignJoin}
          WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
            AND ${leadTimeIn(workspaceId, [p.from, p.to])} ${dimensionFilter(by, row)})
        SELECT id, name, first_at AS at, NULL::float8 AS value, count(*) OVER ()::int AS total FROM cohort
        WHERE ${bucketOf(sql`(SELECT count(*) FROM touches t WHERE t.workspace_id = cohort.workspace_id
               AND t.contact_id = cohort.id AND t.occurred_at < coalesce(cohort.won_at, ${p.to}) AND ${COUNTED})`)} = ${bucket}
          ${column === 'customers' ? sql`AND won_at IS NOT NULL` : sql``}
        ORDER BY first_at, id LIMIT ${limit}`.execute(db);
  return { items: r.rows.map(({ total: _, ...x }) => x), total: r.rows[0]?.total ?? 0 };
}
