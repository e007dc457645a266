import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../contacts/records.repo.ts';

/** SQL of the planning module: deal sums for revenue and attainment, territories, quotas, targets. */

/**
 * Money here is added up in SQL with `tandem_to_reporting`, the conversion the reports use (the
 * rate of the won day for won deals, of `today` for open ones; a deal with no known rate is left
 * out), so the planner, quotas and dashboard give the same totals as the reports.
 */
const reporting = (currency: string, day: RawBuilder<unknown>) =>
  sql`tandem_to_reporting(workspace_id, amount_minor, currency, ${currency}, ${day})`;
const wonDay = sql`(won_at AT TIME ZONE 'UTC')::date`;

export interface OwnerSumRow {
  owner_id: string | null;
  deals: number;
  /** Reporting-currency minor units. */
  amount_minor: number;
}

/** Won deals in [from, to) per owner, in the reporting currency at each win's day. */
export async function wonByOwner(
  db: Db,
  ws: string,
  currency: string,
  from: Date,
  to: Date,
): Promise<OwnerSumRow[]> {
  const r = await sql<OwnerSumRow>`
    SELECT owner_id, count(*)::int AS deals, coalesce(round(sum(${reporting(currency, wonDay)})), 0)::float8 AS amount_minor
      FROM deals
     WHERE workspace_id = ${ws} AND deleted_at IS NULL AND won_at IS NOT NULL
       AND won_at >= ${from} AND won_at < ${to}
     GROUP BY 1`.execute(db);
  return r.rows;
}

/** Open deals (neither won nor lost) per owner, in the reporting currency at `today`'s rate. */
export async function openByOwner(
  db: Db,
  ws: string,
  currency: string,
  today: string,
): Promise<OwnerSumRow[]> {
  const r = await sql<OwnerSumRow>`
    SELECT owner_id, count(*)::int AS deals,
           coalesce(round(sum(${reporting(currency, sql`${today}::date`)})), 0)::float8 AS amount_minor
      FROM deals
     WHERE workspace_id = ${ws} AND deleted_at IS NULL AND won_at IS NULL AND lost_at IS NULL
     GROUP BY 1`.execute(db);
  return r.rows;
}

/** Won revenue per UTC month (1–12) of a year, in the reporting currency at each win's day. */
export async function wonByMonth(
  db: Db,
  ws: string,
  currency: string,
  year: number,
): Promise<{ month: number; amount_minor: number }[]> {
  const r = await sql<{ month: number; amount_minor: number }>`
    SELECT extract(month FROM won_at AT TIME ZONE 'UTC')::int AS month,
           coalesce(round(sum(${reporting(currency, wonDay)})), 0)::float8 AS amount_minor
      FROM deals
     WHERE workspace_id = ${ws} AND deleted_at IS NULL AND won_at IS NOT NULL
       AND won_at >= make_timestamptz(${year}, 1, 1, 0, 0, 0, 'UTC')
       AND won_at < make_timestamptz(${year + 1}, 1, 1, 0, 0, 0, 'UTC')
     GROUP BY 1`.execute(db);
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
  /** The rep's user id, or the team's id for a team quota. */
  ownerId: string;
  year: number;
  currency: string;
  quarters: [number, number, number, number];
  suggestedMinor: number;
  approvedBy: string | null;
  at: Date;
  by: string;
}

/** The columns a quota write sets (a rep's or a team's): approval is recorded with who and when. */
function quotaValues(q: QuotaWrite) {
  const [q1, q2, q3, q4] = q.quarters;
  return {
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
}

export async function upsertQuota(db: Db, ws: string, q: QuotaWrite): Promise<void> {
  const values = quotaValues(q);
  await db
    .insertInto('quotas')
    .values({ workspace_id: ws, user_id: q.ownerId, year: q.year, created_at: q.at, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'year']).doUpdateSet(values))
    .execute();
}

export async function teamQuotasOfYear(db: Db, ws: string, year: number) {
  return db
    .selectFrom('team_quotas')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('year', '=', year)
    .execute();
}

export async function findTeamQuota(db: Db, ws: string, teamId: string, year: number) {
  return db
    .selectFrom('team_quotas')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('team_id', '=', teamId)
    .where('year', '=', year)
    .executeTakeFirst();
}

export async function upsertTeamQuota(db: Db, ws: string, q: QuotaWrite): Promise<void> {
  const values = quotaValues(q);
  await db
    .insertInto('team_quotas')
    .values({ workspace_id: ws, team_id: q.ownerId, year: q.year, created_at: q.at, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'team_id', 'year']).doUpdateSet(values))
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

export async function planTargets(db: Db, ws: string, fromYear: number, toYear: number) {
  return db
    .selectFrom('plan_targets')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('year', '>=', fromYear)
    .where('year', '<=', toYear)
    .orderBy('year')
    .orderBy('market')
    .orderBy('segment')
    .orderBy('product')
    .execute();
}

export async function deletePlanTargets(
  db: Db,
  ws: string,
  fromYear: number,
  toYear: number,
): Promise<number> {
  const r = await db
    .deleteFrom('plan_targets')
    .where('workspace_id', '=', ws)
    .where('year', '>=', fromYear)
    .where('year', '<=', toYear)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface PlanTargetWrite {
  id: string;
  year: number;
  market: string;
  segment: string;
  product: string;
  currency: string;
  revenueMinor: number;
  customers: number;
  leads: number;
}

export async function insertPlanTargets(db: Db, ws: string, rows: PlanTargetWrite[], by: string, at: Date) {
  if (!rows.length) return;
  await db
    .insertInto('plan_targets')
    .values(
      rows.map((r) => ({
        workspace_id: ws,
        id: r.id,
        year: r.year,
        market: r.market,
        segment: r.segment,
        product: r.product,
        currency: r.currency,
        revenue_minor: r.revenueMinor,
        customers: r.customers,
        leads: r.leads,
        updated_by: by,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}

/** A plan cell to measure: a year and, where not empty, a market (country) and a product. */
export interface Cell {
  year: number;
  market: string;
  product: string;
}

const cellsCte = (cells: Cell[]) => sql`
  cells AS (SELECT * FROM unnest(${cells.map((c) => c.year)}::int[], ${cells.map((c) => c.market)}::text[],
                                 ${cells.map((c) => c.product)}::text[]) AS c(year, market, product))`;

/**
 * A deal belongs to a market by its contact's country (else its company's); to a product when a
 * line of its `products` names the product (by name or id).
 */
const dealInCell = sql`
  (c.market = '' OR upper(coalesce(ct.country, co.country, '')) = upper(c.market))
  AND (c.product = '' OR EXISTS (SELECT 1 FROM jsonb_array_elements(d.products) p
                                 WHERE p->>'name' = c.product OR p->>'productId' = c.product))`;

const wonInYear = sql`d.won_at >= make_timestamptz(c.year, 1, 1, 0, 0, 0, 'UTC')
  AND d.won_at < make_timestamptz(c.year + 1, 1, 1, 0, 0, 0, 'UTC')`;

export interface CellRevenueRow extends Cell {
  /** Reporting-currency minor units. */
  amount_minor: number;
}

/** Won revenue per cell, in the reporting currency at each win's day. */
export async function cellRevenue(
  db: Db,
  ws: string,
  currency: string,
  cells: Cell[],
): Promise<CellRevenueRow[]> {
  if (!cells.length) return [];
  const r = await sql<CellRevenueRow>`
    WITH ${cellsCte(cells)}
    SELECT c.year, c.market, c.product,
           coalesce(round(sum(tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency},
             (d.won_at AT TIME ZONE 'UTC')::date))), 0)::float8 AS amount_minor
      FROM cells c
      JOIN deals d ON d.workspace_id = ${ws} AND d.deleted_at IS NULL AND ${wonInYear}
      LEFT JOIN contacts ct ON ct.workspace_id = d.workspace_id AND ct.id = d.contact_id
      LEFT JOIN companies co ON co.workspace_id = d.workspace_id AND co.id = d.company_id
     WHERE ${dealInCell}
     GROUP BY 1, 2, 3`.execute(db);
  return r.rows;
}

export interface CellCountRow extends Cell {
  n: number;
}

/** Customers won per cell: distinct companies (or contacts, for deals without a company). */
export async function cellCustomers(db: Db, ws: string, cells: Cell[]): Promise<CellCountRow[]> {
  if (!cells.length) return [];
  const r = await sql<CellCountRow>`
    WITH ${cellsCte(cells)}
    SELECT c.year, c.market, c.product, count(DISTINCT coalesce(d.company_id, d.contact_id, d.id))::int AS n
      FROM cells c
      JOIN deals d ON d.workspace_id = ${ws} AND d.deleted_at IS NULL AND ${wonInYear}
      LEFT JOIN contacts ct ON ct.workspace_id = d.workspace_id AND ct.id = d.contact_id
      LEFT JOIN companies co ON co.workspace_id = d.workspace_id AND co.id = d.company_id
     WHERE ${dealInCell}
     GROUP BY 1, 2, 3`.execute(db);
  return r.rows;
}

/**
 * New leads per cell: contacts first touched in the year in the market (by country); for a product
 * cell, only those with a deal for the product.
 */
export async function cellLeads(db: Db, ws: string, cells: Cell[]): Promise<CellCountRow[]> {
  if (!cells.length) return [];
  const r = await sql<CellCountRow>`
    WITH ${cellsCte(cells)}
    SELECT c.year, c.market, c.product, count(*)::int AS n
      FROM cells c
      JOIN contacts ct ON ct.workspace_id = ${ws} AND ct.deleted_at IS NULL
       AND ct.first_touch_at >= make_timestamptz(c.year, 1, 1, 0, 0, 0, 'UTC')
       AND ct.first_touch_at < make_timestamptz(c.year + 1, 1, 1, 0, 0, 0, 'UTC')
     WHERE (c.market = '' OR upper(coalesce(ct.country, '')) = upper(c.market))
       AND (c.product = '' OR EXISTS (
             SELECT 1 FROM deals d, jsonb_array_elements(d.products) p
              WHERE d.workspace_id = ct.workspace_id AND d.contact_id = ct.id AND d.deleted_at IS NULL
                AND (p->>'name' = c.product OR p->>'productId' = c.product)))
     GROUP BY 1, 2, 3`.execute(db);
  return r.rows;
}

/** Quotes sent in [from, to). */
export async function quotesSent(db: Db, ws: string, from: Date, to: Date): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM quotes
     WHERE workspace_id = ${ws} AND sent_at >= ${from} AND sent_at < ${to}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export interface StageSumRow {
  stage: string;
  position: number;
  deals: number;
  /** Reporting-currency minor units at `today`'s rate. */
  amount_minor: number;
}

/** One owner's open deals per stage, in pipeline order, in the reporting currency at `today`'s rate. */
export async function openByStage(
  db: Db,
  ws: string,
  ownerId: string,
  currency: string,
  today: string,
): Promise<StageSumRow[]> {
  const r = await sql<StageSumRow>`
    SELECT s.name AS stage, s.position, count(*)::int AS deals,
           coalesce(round(sum(tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, ${currency}, ${today}::date))), 0)::float8 AS amount_minor
      FROM deals d
      JOIN pipeline_stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id
     WHERE d.workspace_id = ${ws} AND d.owner_id = ${ownerId} AND d.deleted_at IS NULL
       AND d.won_at IS NULL AND d.lost_at IS NULL
     GROUP BY s.name, s.position
     ORDER BY s.position, s.name`.execute(db);
  return r.rows;
}
