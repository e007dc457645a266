import { type Insertable, sql } from 'kysely';
import type {
  CampaignMemberSource,
  CampaignMemberStatus,
  CampaignMembersTable,
  CampaignsTable,
} from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { Db } from '../contacts/records.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

/** A campaign as read: dates as 'YYYY-MM-DD' text, money as numbers, with owner name and counts. */
export interface CampaignRow {
  workspace_id: string;
  id: string;
  name: string;
  description: string | null;
  channel: CampaignsTable['channel'];
  status: CampaignsTable['status']['__select__'];
  starts_on: string | null;
  ends_on: string | null;
  owner_id: string | null;
  owner_name: string | null;
  parent_id: string | null;
  markets: string[];
  language: string | null;
  currency: string;
  budget_minor: number | null;
  goal_leads: number | null;
  goal_sqls: number | null;
  goal_revenue_minor: number | null;
  notice_days: number | null;
  sales_notified_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  member_count: number;
}

export type NewCampaign = Insertable<CampaignsTable>;
export type CampaignPatch = Partial<Omit<NewCampaign, 'workspace_id' | 'id' | 'created_at' | 'created_by'>>;

function campaignSelect(db: Db) {
  return db
    .selectFrom('campaigns as c')
    .leftJoin('users as u', (j) =>
      j.onRef('u.workspace_id', '=', 'c.workspace_id').onRef('u.id', '=', 'c.owner_id'),
    )
    .select([
      'c.workspace_id',
      'c.id',
      'c.name',
      'c.description',
      'c.channel',
      'c.status',
      sql<string | null>`to_char(c.starts_on, 'YYYY-MM-DD')`.as('starts_on'),
      sql<string | null>`to_char(c.ends_on, 'YYYY-MM-DD')`.as('ends_on'),
      'c.owner_id',
      'u.name as owner_name',
      'c.parent_id',
      'c.markets',
      'c.language',
      'c.currency',
      sql<number | null>`c.budget_minor::float8`.as('budget_minor'),
      'c.goal_leads',
      'c.goal_sqls',
      sql<number | null>`c.goal_revenue_minor::float8`.as('goal_revenue_minor'),
      'c.notice_days',
      'c.sales_notified_at',
      'c.created_by',
      'c.created_at',
      'c.updated_at',
      sql<number>`(SELECT count(*)::int FROM campaign_members m
                   WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id)`.as('member_count'),
    ])
    .where('c.deleted_at', 'is', null);
}

export async function insertCampaign(db: Db, row: NewCampaign): Promise<void> {
  const { markets, ...rest } = row;
  await db
    .insertInto('campaigns')
    .values({ ...rest, markets: sql<string[]>`${markets ?? []}::text[]` })
    .execute();
}

export async function updateCampaign(
  db: Db,
  workspaceId: string,
  id: string,
  patch: CampaignPatch,
): Promise<void> {
  const { markets, ...rest } = patch;
  await db
    .updateTable('campaigns')
    .set({ ...rest, ...(markets !== undefined ? { markets: sql<string[]>`${markets}::text[]` } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function findCampaign(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<CampaignRow | undefined> {
  if (opts.forUpdate) {
    // Lock the row first (FOR UPDATE cannot sit on the outer join of the select list).
    const locked = await db
      .selectFrom('campaigns')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return undefined;
  }
  return campaignSelect(db)
    .where('c.workspace_id', '=', workspaceId)
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function findCampaignsByIds(db: Db, workspaceId: string, ids: string[]): Promise<CampaignRow[]> {
  if (!ids.length) return [];
  return campaignSelect(db).where('c.workspace_id', '=', workspaceId).where('c.id', 'in', ids).execute();
}

export interface CampaignFilter {
  q?: string | undefined;
  status?: string | undefined;
  channel?: string | undefined;
  market?: string | undefined;
  parentId?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
}

type CampaignQuery = ReturnType<typeof campaignSelect>;

function filtered(q: CampaignQuery, f: Omit<CampaignFilter, 'limit' | 'beforeId'>): CampaignQuery {
  let out = q;
  if (f.q) out = out.where(sql<boolean>`c.name ILIKE ${`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  if (f.status) out = out.where('c.status', '=', f.status as CampaignsTable['status']['__select__']);
  if (f.channel) out = out.where('c.channel', '=', f.channel as CampaignsTable['channel']);
  if (f.market) out = out.where(sql<boolean>`${f.market} = ANY(c.markets)`);
  if (f.parentId) out = out.where('c.parent_id', '=', f.parentId);
  return out;
}

/** One page of campaigns, newest first (ids sort by creation time). */
export async function listCampaigns(db: Db, workspaceId: string, f: CampaignFilter): Promise<CampaignRow[]> {
  let q = filtered(campaignSelect(db).where('c.workspace_id', '=', workspaceId), f);
  if (f.beforeId) q = q.where('c.id', '<', f.beforeId);
  return q.orderBy('c.id', 'desc').limit(f.limit).execute();
}

/** Campaigns with dates that overlap [from, to] (a missing end counts as one day). */
export async function calendar(
  db: Db,
  workspaceId: string,
  f: { from: string; to: string; market?: string | undefined; channel?: string | undefined },
): Promise<CampaignRow[]> {
  const q = filtered(campaignSelect(db).where('c.workspace_id', '=', workspaceId), f)
    .where('c.starts_on', 'is not', null)
    .where(sql<boolean>`c.starts_on <= ${f.to}::date`)
    .where(sql<boolean>`coalesce(c.ends_on, c.starts_on) >= ${f.from}::date`);
  return q.orderBy('c.starts_on').orderBy('c.id').limit(2000).execute();
}

/** The campaign and every campaign nested under it, at any depth (ids only). */
export async function descendantIds(db: Db, workspaceId: string, id: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    WITH RECURSIVE tree(id) AS (
      SELECT id FROM campaigns WHERE workspace_id = ${workspaceId} AND id = ${id} AND deleted_at IS NULL
      UNION
      SELECT c.id FROM campaigns c JOIN tree t ON c.parent_id = t.id
      WHERE c.workspace_id = ${workspaceId} AND c.deleted_at IS NULL
    )
    SELECT id FROM tree`.execute(db);
  return rows.rows.map((r) => r.id);
}

export async function childCampaigns(db: Db, workspaceId: string, parentId: string): Promise<CampaignRow[]> {
  return campaignSelect(db)
    .where('c.workspace_id', '=', workspaceId)
    .where('c.parent_id', '=', parentId)
    .orderBy('c.starts_on')
    .orderBy('c.id')
    .execute();
}

export async function softDeleteCampaign(db: Db, workspaceId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({ deleted_at: at, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Sums of cost lines per currency for a set of campaigns, optionally by market or period. */
export async function costByCurrency(
  db: Db,
  workspaceId: string,
  f: { campaignIds: string[]; marketId?: string; from?: string | undefined; to?: string | undefined },
): Promise<{ currency: string; amount_minor: number }[]> {
  if (!f.campaignIds.length) return [];
  let q = db
    .selectFrom('campaign_cost_lines')
    .select(['currency', sql<number>`sum(amount_minor)::float8`.as('amount_minor')])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', 'in', f.campaignIds);
  if (f.marketId) q = q.where('market_id', '=', f.marketId);
  if (f.from) q = q.where(sql<boolean>`incurred_on >= ${f.from}::date`);
  if (f.to) q = q.where(sql<boolean>`incurred_on <= ${f.to}::date`);
  const rows = await q.groupBy('currency').orderBy('currency').execute();
  return rows.map((r) => ({ currency: r.currency, amount_minor: Number(r.amount_minor) }));
}

/** Own cost per campaign and currency, for list pages. */
export async function costPerCampaign(
  db: Db,
  workspaceId: string,
  campaignIds: string[],
): Promise<{ campaign_id: string; currency: string; amount_minor: number }[]> {
  if (!campaignIds.length) return [];
  const rows = await db
    .selectFrom('campaign_cost_lines')
    .select(['campaign_id', 'currency', sql<number>`sum(amount_minor)::float8`.as('amount_minor')])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', 'in', campaignIds)
    .groupBy(['campaign_id', 'currency'])
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({ ...r, amount_minor: Number(r.amount_minor) }));
}

/** New contacts (live) whose source campaign is one of these, created in the period (inclusive, UTC). */
export async function countLeads(
  db: Db,
  workspaceId: string,
  f: { campaignIds: string[]; from?: string | undefined; to?: string | undefined },
): Promise<number> {
  if (!f.campaignIds.length) return 0;
  let q = db
    .selectFrom('contacts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where('source_campaign_id', 'in', f.campaignIds);
  if (f.from) q = q.where(sql<boolean>`created_at >= ${f.from}::date::timestamp AT TIME ZONE 'UTC'`);
  if (f.to) q = q.where(sql<boolean>`created_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface SourcedDeals {
  open: number;
  won: number;
  lost: number;
  /** Won amount in the workspace's reporting currency, each deal converted at its win date. */
  wonRevenue: MoneySum;
}
interface MoneySum {
  currency: string;
  amountMinor: number;
}

/**
 * Live deals whose source campaign is one of these (the first-touch campaign unless set by hand),
 * by outcome, and the revenue won, converted as the reports convert it (tandem_to_reporting).
 */
export async function sourcedDeals(
  db: Db,
  workspaceId: string,
  campaignIds: string[],
): Promise<SourcedDeals> {
  const res = await sql<{
    open: number;
    won: number;
    lost: number;
    revenue: number | null;
    currency: string;
  }>`
    SELECT count(d.id) FILTER (WHERE d.won_at IS NULL AND d.lost_at IS NULL)::int AS open,
           count(d.id) FILTER (WHERE d.won_at IS NOT NULL)::int AS won,
           count(d.id) FILTER (WHERE d.lost_at IS NOT NULL)::int AS lost,
           round(sum(tandem_to_reporting(d.workspace_id, d.amount_minor, d.currency, w.reporting_currency,
                                         (d.won_at AT TIME ZONE 'UTC')::date))
                 FILTER (WHERE d.won_at IS NOT NULL))::float8 AS revenue,
           w.reporting_currency AS currency
    FROM workspaces w
    LEFT JOIN deals d ON d.workspace_id = w.id AND d.deleted_at IS NULL
      AND d.source_campaign_id = ANY(${campaignIds}::text[])
    WHERE w.id = ${workspaceId}
    GROUP BY w.reporting_currency`.execute(db);
  const r = res.rows[0];
  return {
    open: r?.open ?? 0,
    won: r?.won ?? 0,
    lost: r?.lost ?? 0,
    wonRevenue: { currency: r?.currency ?? 'USD', amountMinor: r?.revenue ?? 0 },
  };
}

export async function countTouches(db: Db, workspaceId: string, campaignIds: string[]): Promise<number> {
  if (!campaignIds.length) return 0;
  const row = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM touches
    WHERE workspace_id = ${workspaceId} AND campaign_id IN (${sql.join(campaignIds)})`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

export async function membersByStatus(
  db: Db,
  workspaceId: string,
  campaignIds: string[],
): Promise<{ status: string; n: number }[]> {
  if (!campaignIds.length) return [];
  const rows = await db
    .selectFrom('campaign_members')
    .select(['status', sql<number>`count(DISTINCT contact_id)::int`.as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', 'in', campaignIds)
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

// ---- members ----

export type MemberRow = Pick<CampaignMembersTable, 'contact_id' | 'status' | 'market_id' | 'added_by'> & {
  touched: string[];
};

export async function findMembers(
  db: Db,
  workspaceId: string,
  campaignId: string,
  contactIds: string[],
): Promise<MemberRow[]> {
  if (!contactIds.length) return [];
  return db
    .selectFrom('campaign_members')
    .select(['contact_id', 'status', 'market_id', 'added_by', 'touched'])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where(sql<boolean>`contact_id = ANY(${contactIds}::text[])`)
    .forUpdate()
    .execute();
}

/** Live contacts of the workspace among these ids, with what a touch needs. */
export async function liveContacts(
  db: Db,
  workspaceId: string,
  ids: string[],
): Promise<{ id: string; company_id: string | null }[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'company_id'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where(sql<boolean>`id = ANY(${ids}::text[])`)
    .execute();
}

export interface MemberWrite {
  contactId: string;
  status: CampaignMemberStatus;
  touched: string[];
}

/** Inserts new members (arrays and unnest: a handful of parameters however many rows). */
export async function insertMembers(
  db: Db,
  workspaceId: string,
  campaignId: string,
  rows: MemberWrite[],
  meta: { source: CampaignMemberSource; marketId: string | null; addedBy: string | null; at: Date },
): Promise<void> {
  if (!rows.length) return;
  await sql`
    INSERT INTO campaign_members (workspace_id, campaign_id, contact_id, status, touched, source, market_id,
                                  added_by, created_at, updated_at)
    SELECT ${workspaceId}, ${campaignId}, u.contact_id, u.status,
           CASE WHEN u.touched = '' THEN '{}'::text[] ELSE string_to_array(u.touched, ',') END,
           ${meta.source}, ${meta.marketId}, ${meta.addedBy}, ${meta.at}, ${meta.at}
    FROM unnest(${rows.map((r) => r.contactId)}::text[], ${rows.map((r) => r.status)}::text[],
                ${rows.map((r) => r.touched.join(','))}::text[]) AS u(contact_id, status, touched)`.execute(
    db,
  );
}

/** Changes the status (and the touch types logged) of existing members. */
export async function updateMembers(
  db: Db,
  workspaceId: string,
  campaignId: string,
  rows: MemberWrite[],
  at: Date,
): Promise<void> {
  if (!rows.length) return;
  await sql`
    UPDATE campaign_members m
    SET status = u.status,
        touched = CASE WHEN u.touched = '' THEN '{}'::text[] ELSE string_to_array(u.touched, ',') END,
        updated_at = ${at}
    FROM unnest(${rows.map((r) => r.contactId)}::text[], ${rows.map((r) => r.status)}::text[],
                ${rows.map((r) => r.touched.join(','))}::text[]) AS u(contact_id, status, touched)
    WHERE m.workspace_id = ${workspaceId} AND m.campaign_id = ${campaignId} AND m.contact_id = u.contact_id`.execute(
    db,
  );
}

export async function deleteMember(
  db: Db,
  workspaceId: string,
  campaignId: string,
  contactId: string,
): Promise<number> {
  const res = await db
    .deleteFrom('campaign_members')
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export interface MemberListRow {
  contact_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company_name: string | null;
  owner_id: string | null;
  status: CampaignMemberStatus;
  source: string;
  market_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Members with their contact, in the order they joined; the contact must be live. */
export async function listMembers(
  db: Db,
  workspaceId: string,
  campaignId: string,
  f: {
    status?: string | undefined;
    contactId?: string | undefined;
    after?: { at: string; id: string } | undefined;
    /** Narrows to the contacts this actor may see (sales roles); absent: every member. */
    actor?: Actor | undefined;
    limit: number;
  },
): Promise<MemberListRow[]> {
  let q = db
    .selectFrom('campaign_members as m')
    .innerJoin('contacts', (j) =>
      j.onRef('contacts.workspace_id', '=', 'm.workspace_id').onRef('contacts.id', '=', 'm.contact_id'),
    )
    .select([
      'm.contact_id',
      'contacts.first_name',
      'contacts.last_name',
      'contacts.email',
      'contacts.company_name',
      'contacts.owner_id',
      'm.status',
      'm.source',
      'm.market_id',
      'm.created_at',
      'm.updated_at',
    ])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.campaign_id', '=', campaignId)
    .where('contacts.deleted_at', 'is', null);
  if (f.status) q = q.where('m.status', '=', f.status as CampaignMemberStatus);
  if (f.contactId) q = q.where('m.contact_id', '=', f.contactId);
  if (f.actor) q = q.where(visibleTo(f.actor, 'contacts'));
  if (f.after) {
    const after = f.after;
    q = q.where(sql<boolean>`(m.created_at, m.contact_id) > (${after.at}::timestamptz, ${after.id})`);
  }
  return q.orderBy('m.created_at').orderBy('m.contact_id').limit(f.limit).execute();
}

/** Contacts in any of these campaigns, each counted once. */
export async function countDistinctMembers(
  db: Db,
  workspaceId: string,
  campaignIds: string[],
): Promise<number> {
  if (!campaignIds.length) return 0;
  const row = await db
    .selectFrom('campaign_members')
    .select(sql<number>`count(DISTINCT contact_id)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', 'in', campaignIds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface CampaignTouchRow {
  id: string;
  contact_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  type: string;
  direction: 'marketing' | 'sales';
  channel: string | null;
  occurred_at: Date;
  metadata: Record<string, unknown>;
}

/** Touches of a campaign on contacts the actor may see, newest first (keyset on time and id). */
export async function campaignTouches(
  db: Db,
  actor: Actor,
  campaignId: string,
  f: { before?: { at: string; id: string } | undefined; limit: number },
): Promise<CampaignTouchRow[]> {
  const before = f.before
    ? sql`AND (t.occurred_at, t.id) < (${f.before.at}::timestamptz, ${f.before.id})`
    : sql``;
  const res = await sql<CampaignTouchRow>`
    SELECT t.id, t.contact_id, contacts.first_name, contacts.last_name, contacts.email, t.type, t.direction,
           t.channel, t.occurred_at, t.metadata
    FROM touches t
    JOIN contacts ON contacts.workspace_id = t.workspace_id AND contacts.id = t.contact_id
    WHERE t.workspace_id = ${actor.workspaceId} AND t.campaign_id = ${campaignId}
      AND contacts.deleted_at IS NULL AND ${visibleTo(actor, 'contacts')} ${before}
    ORDER BY t.occurred_at DESC, t.id DESC
    LIMIT ${f.limit}`.execute(db);
  return res.rows;
}

// ---- "involve sales early" ----

export interface DueLaunch {
  workspace_id: string;
  id: string;
  name: string;
  starts_on: string;
}

/**
 * Planned campaigns not yet announced to sales whose start (a date in the workspace's time zone)
 * is today or within their notice period: the campaign's own, else the workspace's, else `fallback`.
 */
export async function dueLaunches(db: Db, now: Date, fallbackDays: number): Promise<DueLaunch[]> {
  const res = await sql<DueLaunch>`
    SELECT c.workspace_id, c.id, c.name, to_char(c.starts_on, 'YYYY-MM-DD') AS starts_on
    FROM campaigns c
    JOIN workspaces w ON w.id = c.workspace_id
    LEFT JOIN campaign_settings s ON s.workspace_id = c.workspace_id
    WHERE c.status = 'planned' AND c.sales_notified_at IS NULL AND c.deleted_at IS NULL
      AND c.starts_on IS NOT NULL
      AND c.starts_on >= (${now}::timestamptz AT TIME ZONE w.time_zone)::date
      AND c.starts_on - (${now}::timestamptz AT TIME ZONE w.time_zone)::date
          <= coalesce(c.notice_days, s.notice_days, ${fallbackDays})
    ORDER BY c.starts_on, c.id
    LIMIT 500`.execute(db);
  return res.rows;
}

export interface OwnedMember {
  owner_id: string;
  contact_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

/** Live member contacts that have an owner, by owner then name. */
export async function ownedMembers(db: Db, workspaceId: string, campaignId: string): Promise<OwnedMember[]> {
  return db
    .selectFrom('campaign_members as m')
    .innerJoin('contacts', (j) =>
      j.onRef('contacts.workspace_id', '=', 'm.workspace_id').onRef('contacts.id', '=', 'm.contact_id'),
    )
    .select([
      'contacts.owner_id',
      'm.contact_id',
      'contacts.first_name',
      'contacts.last_name',
      'contacts.email',
    ])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.campaign_id', '=', campaignId)
    .where('contacts.deleted_at', 'is', null)
    .where('contacts.owner_id', 'is not', null)
    .orderBy('contacts.owner_id')
    .orderBy('contacts.sort_name')
    .execute() as Promise<OwnedMember[]>;
}

export async function markSalesNotified(db: Db, workspaceId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({ sales_notified_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Re-reads a due campaign under a row lock, so two workers never announce it twice. */
export async function lockUnnotified(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('campaigns')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('sales_notified_at', 'is', null)
    .where('status', '=', 'planned')
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return Boolean(row);
}
