import { sql } from 'kysely';
import type { Db } from '../contacts/records.repo.ts';

/** SQL of the planning module: deal sums for revenue and attainment, territories, quotas, targets. */

export interface DealSumRow {
  owner_id: string | null;
  currency: string;
  /** Close day (`YYYY-MM-DD`) of won deals; null for open deals (converted at today's rate). */
  day: string | null;
  deals: number;
  amount_minor: string;
}

/** Won deals in [from, to) summed per owner, currency and close day (converted by the caller). */
export async function wonSums(db: Db, ws: string, from: Date, to: Date): Promise<DealSumRow[]> {
  const r = await sql<DealSumRow>`
    SELECT owner_id, currency, to_char(won_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           count(*)::int AS deals, coalesce(sum(amount_minor), 0)::text AS amount_minor
      FROM deals
     WHERE workspace_id = ${ws} AND deleted_at IS NULL AND won_at IS NOT NULL
       AND won_at >= ${from} AND won_at < ${to}
     GROUP BY 1, 2, 3`.execute(db);
  return r.rows;
}

/** Open deals (neither won nor lost) summed per owner and currency. */
export async function openSums(db: Db, ws: string): Promise<DealSumRow[]> {
  const r = await sql<DealSumRow>`
    SELECT owner_id, currency, NULL::text AS day,
           count(*)::int AS deals, coalesce(sum(amount_minor), 0)::text AS amount_minor
      FROM deals
     WHERE workspace_id = ${ws} AND deleted_at IS NULL AND won_at IS NULL AND lost_at IS NULL
     GROUP BY 1, 2`.execute(db);
  return r.rows;
}

export async function reportingCurrency(db: Db, ws: string): Promise<string> {
  const row = await db
    .selectFrom('workspaces')
    .select('reporting_currency')
    .where('id', '=', ws)
    .executeTakeFirstOrThrow();
  return row.reporting_currency;
}

export interface RepRow {
  user_id: string;
  name: string;
  monthly_capacity: number | null;
  contacts: number;
  companies: number;
  team_ids: string[] | null;
}

/**
 * The workspace's active sales reps with their territory: the contacts and companies they own
 * (the records routing gave them), their configured monthly capacity and their teams.
 */
export async function repsWithTerritory(db: Db, ws: string): Promise<RepRow[]> {
  const r = await sql<RepRow>`
    SELECT u.id AS user_id, u.name, rs.monthly_capacity,
           (SELECT count(*)::int FROM contacts c
             WHERE c.workspace_id = u.workspace_id AND c.owner_id = u.id AND c.deleted_at IS NULL) AS contacts,
           (SELECT count(*)::int FROM companies co
             WHERE co.workspace_id = u.workspace_id AND co.owner_id = u.id AND co.deleted_at IS NULL) AS companies,
           (SELECT array_agg(tm.team_id ORDER BY tm.team_id) FROM team_members tm
             WHERE tm.workspace_id = u.workspace_id AND tm.user_id = u.id) AS team_ids
      FROM users u
      LEFT JOIN rep_settings rs ON rs.workspace_id = u.workspace_id AND rs.user_id = u.id
     WHERE u.workspace_id = ${ws} AND u.role = 'sales_rep' AND u.active
     ORDER BY u.name, u.id`.execute(db);
  return r.rows;
}

export async function teams(db: Db, ws: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspace_id', '=', ws)
    .orderBy('name')
    .execute();
}

export async function quotasOfYear(db: Db, ws: string, year: number) {
  return db
    .selectFrom('quotas')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('year', '=', year)
    .execute();
}

export async function findQuota(db: Db, ws: string, userId: string, year: number) {
  return db
    .selectFrom('quotas')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('user_id', '=', userId)
    .where('year', '=', year)
    .executeTakeFirst();
}

export interface QuotaWrite {
  userId: string;
  year: number;
  currency: string;
  quarters: [number, number, number, number];
  suggestedMinor: number;
  approvedBy: string | null;
  at: Date;
  by: string;
}

export async function upsertQuota(db: Db, ws: string, q: QuotaWrite): Promise<void> {
  const [q1, q2, q3, q4] = q.quarters;
  const values = {
    currency: q.currency,
    annual_minor: q1 + q2 + q3 + q4,
    q1_minor: q1,
    q2_minor: q2,
    q3_minor: q3,
    q4_minor: q4,
    suggested_minor: q.suggestedMinor,
    status: q.approvedBy ? ('approved' as const) : ('draft' as const),
    approved_by: q.approvedBy,
    approved_at: q.approvedBy ? q.at : null,
    updated_by: q.by,
    updated_at: q.at,
  };
  await db
    .insertInto('quotas')
    .values({ workspace_id: ws, user_id: q.userId, year: q.year, created_at: q.at, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'year']).doUpdateSet(values))
    .execute();
}

/**
 * The multi-year plan's revenue target for a year: its total row (no market, segment or product)
 * when there is one, otherwise the sum of its cells. Null when the plan has no row for the year.
 */
export async function planRevenueOfYear(db: Db, ws: string, year: number): Promise<number | null> {
  const r = await sql<{ total: string | null }>`
    SELECT coalesce(max(revenue_minor) FILTER (WHERE market = '' AND segment = '' AND product = ''),
                    sum(revenue_minor))::text AS total
      FROM plan_targets WHERE workspace_id = ${ws} AND year = ${year}`.execute(db);
  const total = r.rows[0]?.total;
  return total === null || total === undefined ? null : Number(total);
}
