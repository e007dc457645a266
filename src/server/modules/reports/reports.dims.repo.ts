import { type RawBuilder, sql } from 'kysely';
import type { Dimension } from '../../../contracts/reports.ts';
import { firstTouchAt } from './reports.repo.ts';

/**
 * Breakdown dimensions of a contact (alias `c`, its first-touch campaign joined as `fc` by
 * `firstCampaignJoin`). Each is one text expression, used both to group a report and to select the
 * records behind one of its cells, so the drill-down always lists exactly what was counted.
 */
/** Dimensions of a contact (the voice-of-the-customer ones belong to feedback items). */
export type ContactDimension = Exclude<Dimension, 'type' | 'competitor' | 'lost_reason'>;

const DIMENSION_SQL: Record<ContactDimension, RawBuilder<string | null>> = {
  // The recorded source (an import's origin column, or the first touch's channel).
  source: sql`c.source_channel`,
  campaign: sql`fc.name`,
  // The first-touch campaign's channel, else the recorded source.
  channel: sql`coalesce(fc.channel, c.source_channel)`,
  country: sql`c.country`,
  // A market is the first-touch campaign's first market, else the contact's country.
  market: sql`coalesce(fc.markets[1], c.country)`,
  owner: sql`(SELECT coalesce(u.name, u.email) FROM users u WHERE u.workspace_id = c.workspace_id AND u.id = c.owner_id)`,
  team: sql`(SELECT tm.name FROM teams tm WHERE tm.workspace_id = c.workspace_id AND tm.id = c.team_id)`,
  // The product of the contact's first deal (its first line).
  product: sql`(SELECT d.products->0->>'name' FROM deals d WHERE d.workspace_id = c.workspace_id
    AND d.contact_id = c.id AND d.deleted_at IS NULL ORDER BY d.created_at, d.id LIMIT 1)`,
  // The contact's `segment` custom field (imports map a segment column there).
  segment: sql`c.custom->>'segment'`,
  month: sql`to_char(${firstTouchAt} AT TIME ZONE 'UTC', 'YYYY-MM')`,
};

export function dimensionSql(d: Dimension): RawBuilder<string | null> {
  const expr = DIMENSION_SQL[d as ContactDimension];
  if (!expr) throw new Error(`${d} is not a contact dimension`); // the service checks `by` first
  return expr;
}

export const firstCampaignJoin = sql`LEFT JOIN campaigns fc ON fc.workspace_id = c.workspace_id AND fc.id = c.source_campaign_id`;

/** `expr AS "dim", …` for the SELECT list (an empty list gives nothing). */
export function dimensionSelect(by: Dimension[]): RawBuilder<unknown> {
  if (!by.length) return sql``;
  return sql`${sql.join(
    by.map((d) => sql`${dimensionSql(d)} AS ${sql.ref(d)}`),
    sql`, `,
  )},`;
}

/** `GROUP BY 1, 2` over the leading dimension columns, or nothing. */
export function groupByDims(by: Dimension[], extra = 0): RawBuilder<unknown> {
  const n = by.length + extra;
  if (!n) return sql``;
  return sql`GROUP BY ${sql.raw(Array.from({ length: n }, (_, i) => String(i + 1)).join(', '))}`;
}

/** `AND dim IS NOT DISTINCT FROM value …` for a drill-down's row (null matches the blank group). */
export function dimensionFilter(by: Dimension[], row: Record<string, string | null>): RawBuilder<unknown> {
  if (!by.length) return sql``;
  return sql`${sql.join(
    by.map((d) => sql`AND ${dimensionSql(d)} IS NOT DISTINCT FROM ${row[d] ?? null}::text`),
    sql` `,
  )}`;
}
