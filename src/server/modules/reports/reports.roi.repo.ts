import { type RawBuilder, sql } from 'kysely';
import type { AttributionDimension, AttributionModel } from '../../../contracts/reports.ts';
import type { Db } from '../contacts/records.repo.ts';
import { creditsCte } from './reports.attribution.repo.ts';
import { dimensionSql, firstCampaignJoin } from './reports.dims.repo.ts';
import type { DrillRow, Period } from './reports.funnel.repo.ts';
import { firstTouchAt, leadTimeIn, reachedRank } from './reports.repo.ts';

/**
 * ROI and the voice of the customer. ROI adds up, per campaign, channel or market: the cost booked
 * in the period, the leads whose first touch fell in it (and how many became SQLs and customers),
 * and the revenue won in the period as the chosen attribution model credits it.
 */

/** The key of a cost line (alias l, campaign cam, market variant cm). */
const COST_KEY: Record<AttributionDimension, RawBuilder<string | null>> = {
  campaign: sql`cam.name`,
  channel: sql`cam.channel`,
  market: sql`coalesce(cm.market, cam.markets[1])`,
};
/** The key of a credited touch (credits cr, the touch's campaign tc): as in attribution. */
const CREDIT_KEY: Record<AttributionDimension, RawBuilder<string | null>> = {
  campaign: sql`tc.name`,
  channel: sql`coalesce(cr.channel, tc.channel)`,
  market: sql`tc.markets[1]`,
};

export interface RoiRow {
  [key: string]: string | number | null;
  cost: number;
  leads: number;
  sqls: number;
  won: number;
  revenue: number;
}

export async function roi(
  db: Db,
  workspaceId: string,
  currency: string,
  by: AttributionDimension,
  p: Period,
  model: AttributionModel,
  halfLifeDays: number,
): Promise<RoiRow[]> {
  const r = await sql<RoiRow>`
    WITH ${creditsCte(workspaceId, currency, p, halfLifeDays)},
    cost AS (
      SELECT ${COST_KEY[by]} AS k, sum(tandem_to_reporting(l.workspace_id, l.amount_minor, l.currency, ${currency}, l.incurred_on)) AS cost
      FROM campaign_cost_lines l JOIN campaigns cam ON cam.workspace_id = l.workspace_id AND cam.id = l.campaign_id
        LEFT JOIN campaign_markets cm ON cm.workspace_id = l.workspace_id AND cm.id = l.market_id
      WHERE l.workspace_id = ${workspaceId} AND l.incurred_on >= (${p.from}::timestamptz AT TIME ZONE 'UTC')::date
        AND l.incurred_on < (${p.to}::timestamptz AT TIME ZONE 'UTC')::date
      GROUP BY 1),
    leads AS (
      SELECT k, count(*) AS leads, count(*) FILTER (WHERE rank >= 3) AS sqls, count(*) FILTER (WHERE rank >= 5) AS won
      FROM (SELECT ${dimensionSql(by)} AS k, ${reachedRank} AS rank
            FROM contacts c ${firstCampaignJoin}
            WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
              AND ${leadTimeIn(workspaceId, [p.from, p.to])}) x
      GROUP BY 1),
    revenue AS (
      SELECT ${CREDIT_KEY[by]} AS k, sum(cr.amount * cr.${sql.ref(model)}) AS revenue
      FROM credits cr LEFT JOIN campaigns tc ON tc.workspace_id = ${workspaceId} AND tc.id = cr.campaign_id
      GROUP BY 1),
    u AS (
      SELECT k, cost, 0 AS leads, 0 AS sqls, 0 AS won, 0 AS revenue FROM cost
      UNION ALL SELECT k, 0, leads, sqls, won, 0 FROM leads
      UNION ALL SELECT k, 0, 0, 0, 0, revenue FROM revenue)
    SELECT k AS ${sql.ref(by)}, round(sum(cost))::float8 AS cost, sum(leads)::int AS leads, sum(sqls)::int AS sqls,
           sum(won)::int AS won, round(sum(revenue))::float8 AS revenue
    FROM u GROUP BY k ORDER BY k NULLS LAST`.execute(db);
  return r.rows;
}

/** The leads (column leads, sqls, won) of one ROI row. */
export async function roiLeads(
  db: Db,
  workspaceId: string,
  by: AttributionDimension,
  key: string | null,
  p: Period,
  column: 'leads' | 'sqls' | 'won',
  limit: number,
): Promise<{ items: DrillRow[]; total: number }> {
  const min = column === 'leads' ? 1 : column === 'sqls' ? 3 : 5;
  const r = await sql<DrillRow & { total: number }>`
    SELECT c.id, coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, c.external_id) AS name,
           ${firstTouchAt} AS at, NULL::float8 AS value, count(*) OVER ()::int AS total
    FROM contacts c ${firstCampaignJoin}
    WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
      AND ${leadTimeIn(workspaceId, [p.from, p.to])}
      AND ${dimensionSql(by)} IS NOT DISTINCT FROM ${key}::text AND ${reachedRank} >= ${min}
    ORDER BY 3, 1 LIMIT ${limit}`.execute(db);
  return { items: r.rows.map(({ total: _, ...x }) => x), total: r.rows[0]?.total ?? 0 };
}

export type VoiceDimension = 'type' | 'product' | 'competitor' | 'lost_reason' | 'month';
const VOICE_SQL: Record<VoiceDimension, RawBuilder<string | null>> = {
  type: sql`f.type`,
  product: sql`coalesce(f.product_name, (SELECT pr.name FROM products pr WHERE pr.workspace_id = f.workspace_id AND pr.id = f.product_id))`,
  competitor: sql`(SELECT co.name FROM competitors co WHERE co.workspace_id = f.workspace_id AND co.id = f.competitor_id)`,
  lost_reason: sql`f.lost_reason`,
  month: sql`to_char(f.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
};

/**
 * Feedback items in the period by the dimensions; by competitor alone, also the deals closed in the
 * period with that competitor on them: won, lost and the win rate against it.
 */
export async function voice(
  db: Db,
  workspaceId: string,
  by: VoiceDimension[],
  p: Period,
): Promise<Record<string, string | number | null>[]> {
  const cols = by.map((d) => sql`${VOICE_SQL[d]} AS ${sql.ref(d)}`);
  const items = await sql<Record<string, string | number | null>>`
    SELECT ${sql.join(cols)}, count(*)::int AS items
    FROM feedback_items f
    WHERE f.workspace_id = ${workspaceId} AND f.occurred_at >= ${p.from} AND f.occurred_at < ${p.to}
    GROUP BY ${sql.raw(by.map((_, i) => String(i + 1)).join(', '))}
    ORDER BY ${sql.raw(by.map((_, i) => String(i + 1)).join(', '))}`.execute(db);
  if (by.length !== 1 || by[0] !== 'competitor') return items.rows;
  const deals = await sql<{ competitor: string; won: number; lost: number }>`
    SELECT co.name AS competitor, count(*) FILTER (WHERE d.won_at >= ${p.from} AND d.won_at < ${p.to})::int AS won,
           count(*) FILTER (WHERE d.lost_at >= ${p.from} AND d.lost_at < ${p.to})::int AS lost
    FROM deal_competitors dc JOIN competitors co ON co.workspace_id = dc.workspace_id AND co.id = dc.competitor_id
      JOIN deals d ON d.workspace_id = dc.workspace_id AND d.id = dc.deal_id AND d.deleted_at IS NULL
    WHERE dc.workspace_id = ${workspaceId}
    GROUP BY co.name`.execute(db);
  const byName = new Map<string | null, Record<string, string | number | null>>(
    items.rows.map((r) => [r.competitor as string | null, { ...r, won: 0, lost: 0 }]),
  );
  for (const d of deals.rows) {
    const row = byName.get(d.competitor) ?? { competitor: d.competitor, items: 0 };
    byName.set(d.competitor, { ...row, won: d.won, lost: d.lost });
  }
  return [...byName.values()]
    .filter((r) => Number(r.items) + Number(r.won ?? 0) + Number(r.lost ?? 0) > 0)
    .sort((a, b) => String(a.competitor ?? '~').localeCompare(String(b.competitor ?? '~')));
}

/** The feedback items behind a voice-of-the-customer row. */
export async function voiceItems(
  db: Db,
  workspaceId: string,
  by: VoiceDimension[],
  row: Record<string, string | null>,
  p: Period,
  limit: number,
): Promise<{ items: DrillRow[]; total: number }> {
  const r = await sql<DrillRow & { total: number }>`
    SELECT coalesce(f.contact_id, f.deal_id, f.id) AS id, CASE WHEN f.contact_id IS NULL THEN 'deal' ELSE 'contact' END AS kind,
           left(f.body, 200) AS name, f.occurred_at AS at,
           NULL::float8 AS value, count(*) OVER ()::int AS total
    FROM feedback_items f
    WHERE f.workspace_id = ${workspaceId} AND f.occurred_at >= ${p.from} AND f.occurred_at < ${p.to}
      ${sql.join(
        by.map((d) => sql`AND ${VOICE_SQL[d]} IS NOT DISTINCT FROM ${row[d] ?? null}::text`),
        sql` `,
      )}
    ORDER BY f.occurred_at DESC LIMIT ${limit}`.execute(db);
  return { items: r.rows.map(({ total: _, ...x }) => x), total: r.rows[0]?.total ?? 0 };
}
