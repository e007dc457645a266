import { type Expression, type SqlBool, sql } from 'kysely';
import type { CustomValues, DealProduct, StageKind } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { Db } from '../contacts/records.repo.ts';
import type { TouchRow } from '../touches/touches.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

/** SQL for deals, their contacts and competitors, and their stage history. */

export interface DealRecord {
  id: string;
  pipeline_id: string;
  stage_id: string;
  stage_key: string;
  stage_kind: StageKind;
  name: string;
  contact_id: string | null;
  contact_ids: string[];
  company_id: string | null;
  owner_id: string | null;
  team_id: string | null;
  /** bigint as text: exact whatever the driver. */
  amount_minor: string | null;
  currency: string;
  expected_close_on: string | null;
  source_campaign_id: string | null;
  competitor_ids: string[];
  products: DealProduct[];
  lost_reason: string | null;
  lost_note: string | null;
  won_at: Date | null;
  lost_at: Date | null;
  stage_changed_at: Date;
  external_id: string | null;
  custom: CustomValues;
  created_at: Date;
  updated_at: Date;
}

/** The writable columns of a deal. */
export interface DealValues {
  pipeline_id: string;
  stage_id: string;
  name: string;
  contact_id: string | null;
  company_id: string | null;
  owner_id: string | null;
  team_id: string | null;
  amount_minor: string | null;
  currency: string;
  expected_close_on: string | null;
  source_campaign_id: string | null;
  products: DealProduct[];
  lost_reason: string | null;
  lost_note: string | null;
  won_at: Date | null;
  lost_at: Date | null;
  stage_changed_at: Date;
  external_id: string | null;
  custom: CustomValues;
}

function dealSelect(db: Db, workspaceId: string) {
  return db
    .selectFrom('deals')
    .innerJoin('pipeline_stages as st', (j) =>
      j.onRef('st.workspace_id', '=', 'deals.workspace_id').onRef('st.id', '=', 'deals.stage_id'),
    )
    .select([
      'deals.id',
      'deals.pipeline_id',
      'deals.stage_id',
      'st.key as stage_key',
      'st.kind as stage_kind',
      'deals.name',
      'deals.contact_id',
      'deals.company_id',
      'deals.owner_id',
      'deals.team_id',
      sql<string | null>`deals.amount_minor::text`.as('amount_minor'),
      'deals.currency',
      sql<string | null>`to_char(deals.expected_close_on, 'YYYY-MM-DD')`.as('expected_close_on'),
      'deals.source_campaign_id',
      'deals.products',
      'deals.lost_reason',
      'deals.lost_note',
      'deals.won_at',
      'deals.lost_at',
      'deals.stage_changed_at',
      'deals.external_id',
      'deals.custom',
      'deals.created_at',
      'deals.updated_at',
      sql<
        string[]
      >`coalesce((SELECT array_agg(dc.contact_id ORDER BY dc.is_primary DESC, dc.created_at, dc.contact_id)
        FROM deal_contacts dc WHERE dc.workspace_id = deals.workspace_id AND dc.deal_id = deals.id), '{}')`.as(
        'contact_ids',
      ),
      sql<string[]>`coalesce((SELECT array_agg(x.competitor_id ORDER BY x.created_at, x.competitor_id)
        FROM deal_competitors x WHERE x.workspace_id = deals.workspace_id AND x.deal_id = deals.id), '{}')`.as(
        'competitor_ids',
      ),
    ])
    .where('deals.workspace_id', '=', workspaceId)
    .where('deals.deleted_at', 'is', null);
}

/**
 * One live deal. With an actor, visibility applies (an invisible deal is simply not found);
 * without one (internal callers that already checked), any deal of the workspace.
 */
export async function findDeal(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { actor?: Actor | undefined; forUpdate?: boolean } = {},
): Promise<DealRecord | undefined> {
  let q = dealSelect(db, workspaceId).where('deals.id', '=', id);
  if (opts.actor) q = q.where(visibleTo(opts.actor, 'deals'));
  if (opts.forUpdate) q = q.forUpdate('deals');
  return q.executeTakeFirst();
}

export async function insertDeal(
  db: Db,
  workspaceId: string,
  id: string,
  v: DealValues,
  meta: { createdBy: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto('deals')
    .values({
      workspace_id: workspaceId,
      id,
      ...v,
      products: JSON.stringify(v.products),
      custom: JSON.stringify(v.custom),
      created_by: meta.createdBy,
      created_at: meta.at,
      updated_at: meta.at,
    })
    .execute();
}

export async function updateDeal(
  db: Db,
  workspaceId: string,
  id: string,
  v: Partial<DealValues>,
  at: Date,
): Promise<void> {
  const { products, custom, ...rest } = v;
  await db
    .updateTable('deals')
    .set({
      ...rest,
      ...(products !== undefined ? { products: JSON.stringify(products) } : {}),
      ...(custom !== undefined ? { custom: JSON.stringify(custom) } : {}),
      updated_at: at,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Replaces the deal's contacts; the first is the primary one. */
export async function setDealContacts(
  db: Db,
  workspaceId: string,
  dealId: string,
  contactIds: string[],
  at: Date,
): Promise<void> {
  await db
    .deleteFrom('deal_contacts')
    .where('workspace_id', '=', workspaceId)
    .where('deal_id', '=', dealId)
    .execute();
  if (!contactIds.length) return;
  await db
    .insertInto('deal_contacts')
    .values(
      contactIds.map((c, i) => ({
        workspace_id: workspaceId,
        deal_id: dealId,
        contact_id: c,
        is_primary: i === 0,
        created_at: at,
      })),
    )
    .execute();
}

export async function setDealCompetitors(
  db: Db,
  workspaceId: string,
  dealId: string,
  competitorIds: string[],
  at: Date,
): Promise<void> {
  await db
    .deleteFrom('deal_competitors')
    .where('workspace_id', '=', workspaceId)
    .where('deal_id', '=', dealId)
    .execute();
  if (!competitorIds.length) return;
  await db
    .insertInto('deal_competitors')
    .values(
      competitorIds.map((c) => ({
        workspace_id: workspaceId,
        deal_id: dealId,
        competitor_id: c,
        created_at: at,
      })),
    )
    .execute();
}

export async function insertHistory(
  db: Db,
  workspaceId: string,
  h: {
    id: string;
    dealId: string;
    pipelineId: string;
    fromStageId: string | null;
    toStageId: string;
    at: Date;
    actorId: string | null;
    reason: string | null;
  },
): Promise<void> {
  await db
    .insertInto('deal_stage_history')
    .values({
      workspace_id: workspaceId,
      id: h.id,
      deal_id: h.dealId,
      pipeline_id: h.pipelineId,
      from_stage_id: h.fromStageId,
      to_stage_id: h.toStageId,
      at: h.at,
      actor_id: h.actorId,
      reason: h.reason,
    })
    .execute();
}

export interface HistoryRow {
  id: string;
  from_stage_id: string | null;
  to_stage_id: string;
  at: Date;
  actor_id: string | null;
  reason: string | null;
}

export async function listHistory(db: Db, workspaceId: string, dealId: string): Promise<HistoryRow[]> {
  return db
    .selectFrom('deal_stage_history')
    .select(['id', 'from_stage_id', 'to_stage_id', 'at', 'actor_id', 'reason'])
    .where('workspace_id', '=', workspaceId)
    .where('deal_id', '=', dealId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export interface DealFilter {
  q?: string | undefined;
  pipelineId?: string | undefined;
  stageIds?: string[] | undefined;
  status?: 'open' | 'won' | 'lost' | undefined;
  ownerId?: string | null | undefined;
  contactId?: string | undefined;
  companyId?: string | undefined;
  competitorId?: string | undefined;
  closeFrom?: string | undefined;
  closeTo?: string | undefined;
}

function filterConditions(f: DealFilter): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [];
  if (f.q)
    c.push(
      sql<SqlBool>`lower(deals.name) LIKE ${`%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`,
    );
  if (f.pipelineId) c.push(sql<SqlBool>`deals.pipeline_id = ${f.pipelineId}`);
  if (f.stageIds) {
    c.push(
      f.stageIds.length ? sql<SqlBool>`deals.stage_id IN (${sql.join(f.stageIds)})` : sql<SqlBool>`false`,
    );
  }
  if (f.status === 'won') c.push(sql<SqlBool>`deals.won_at IS NOT NULL`);
  if (f.status === 'lost') c.push(sql<SqlBool>`deals.lost_at IS NOT NULL`);
  if (f.status === 'open') c.push(sql<SqlBool>`deals.won_at IS NULL AND deals.lost_at IS NULL`);
  if (f.ownerId === null) c.push(sql<SqlBool>`deals.owner_id IS NULL`);
  else if (f.ownerId) c.push(sql<SqlBool>`deals.owner_id = ${f.ownerId}`);
  if (f.contactId) {
    c.push(sql<SqlBool>`EXISTS (SELECT 1 FROM deal_contacts dc WHERE dc.workspace_id = deals.workspace_id
      AND dc.deal_id = deals.id AND dc.contact_id = ${f.contactId})`);
  }
  if (f.companyId) c.push(sql<SqlBool>`deals.company_id = ${f.companyId}`);
  if (f.competitorId) {
    c.push(sql<SqlBool>`EXISTS (SELECT 1 FROM deal_competitors x WHERE x.workspace_id = deals.workspace_id
      AND x.deal_id = deals.id AND x.competitor_id = ${f.competitorId})`);
  }
  if (f.closeFrom) c.push(sql<SqlBool>`deals.expected_close_on >= ${f.closeFrom}::date`);
  if (f.closeTo) c.push(sql<SqlBool>`deals.expected_close_on <= ${f.closeTo}::date`);
  return c;
}

/** Newest first, keyset on (created_at, id). */
export async function listDeals(
  db: Db,
  actor: Actor,
  f: DealFilter,
  page: { before?: { at: string; id: string } | undefined; limit: number },
): Promise<(DealRecord & { cursor_at: string })[]> {
  let q = dealSelect(db, actor.workspaceId)
    .where(visibleTo(actor, 'deals'))
    .select(
      sql<string>`to_char(deals.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        'cursor_at',
      ),
    );
  for (const cond of filterConditions(f)) q = q.where(cond);
  if (page.before) {
    q = q.where(
      sql<SqlBool>`(deals.created_at, deals.id) < (${page.before.at}::timestamptz, ${page.before.id})`,
    );
  }
  return q.orderBy('deals.created_at', 'desc').orderBy('deals.id', 'desc').limit(page.limit).execute();
}

/** The first `limit` cards of each stage (most recently moved first), in one query. */
export async function boardCards(
  db: Db,
  actor: Actor,
  f: DealFilter & { pipelineId: string },
  limit: number,
): Promise<DealRecord[]> {
  const ranked = dealSelect(db, actor.workspaceId)
    .where(visibleTo(actor, 'deals'))
    .select(
      sql<number>`row_number() OVER (PARTITION BY deals.stage_id ORDER BY deals.stage_changed_at DESC, deals.id DESC)`.as(
        'rn',
      ),
    );
  let q = ranked;
  for (const cond of filterConditions(f)) q = q.where(cond);
  const rows = await db
    .selectFrom(q.as('r'))
    .selectAll()
    .where('r.rn', '<=', limit)
    .orderBy('r.stage_changed_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  return rows as DealRecord[];
}

export interface BoardSumRow {
  stage_id: string;
  count: number;
  /** Reporting-currency sum of the deals whose amount converts. */
  total_minor: number;
  /** Deals with an amount but no rate to convert it (left out of the sum rather than guessed). */
  unconverted: number;
}

/**
 * Per stage: how many deals, and their sum in the reporting currency converted per deal by
 * `tandem_to_reporting`, as the reports and the planner add money up (open deals at today's rate,
 * closed deals at the rate of their close date).
 */
export async function boardSums(
  db: Db,
  actor: Actor,
  f: DealFilter & { pipelineId: string },
  currency: string,
  today: string,
): Promise<BoardSumRow[]> {
  // Converted once per deal in the inner query, then summed and checked for a missing rate.
  let perDeal = db
    .selectFrom('deals')
    .select([
      'deals.stage_id',
      'deals.amount_minor',
      sql<
        number | null
      >`tandem_to_reporting(deals.workspace_id, deals.amount_minor, deals.currency, ${currency},
        coalesce((coalesce(deals.won_at, deals.lost_at) AT TIME ZONE 'UTC')::date, ${today}::date))`.as('v'),
    ])
    .where('deals.workspace_id', '=', actor.workspaceId)
    .where('deals.deleted_at', 'is', null)
    .where(visibleTo(actor, 'deals'));
  for (const cond of filterConditions(f)) perDeal = perDeal.where(cond);
  return db
    .selectFrom(perDeal.as('d'))
    .select([
      'd.stage_id',
      sql<number>`count(*)::int`.as('count'),
      sql<number>`coalesce(round(sum(d.v)), 0)::float8`.as('total_minor'),
      sql<number>`(count(*) FILTER (WHERE d.amount_minor IS NOT NULL AND d.v IS NULL))::int`.as(
        'unconverted',
      ),
    ])
    .groupBy('d.stage_id')
    .execute();
}

/** A user's e-mail for audit labels (null when the id names no user of the workspace). */
export async function userEmail(db: Db, workspaceId: string, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.email ?? null;
}

export async function competitorsExist(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('competitors')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export interface DealContactRef {
  id: string;
  company_id: string | null;
  team_id: string | null;
  source_campaign_id: string | null;
}

/** Live contacts the actor may see, with what a deal takes from them (company, first-touch campaign). */
export async function visibleContacts(db: Db, actor: Actor, ids: string[]): Promise<DealContactRef[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('contacts')
    .select(['contacts.id', 'contacts.company_id', 'contacts.team_id', 'contacts.source_campaign_id'])
    .where('contacts.workspace_id', '=', actor.workspaceId)
    .where('contacts.id', 'in', ids)
    .where('contacts.deleted_at', 'is', null)
    .where(visibleTo(actor, 'contacts'))
    .execute();
}

/** The deal's contacts with their company, for touches (any visibility: the deal was checked). */
export async function contactsOf(db: Db, workspaceId: string, ids: string[]): Promise<DealContactRef[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'company_id', 'team_id', 'source_campaign_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}

export async function softDeleteDeal(db: Db, workspaceId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('deals')
    .set({ deleted_at: at, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** The latest touches of some contacts (a deal's), newest first, before a time if given. */
export async function contactTouches(
  db: Db,
  workspaceId: string,
  contactIds: string[],
  before: Date | undefined,
  limit: number,
): Promise<TouchRow[]> {
  if (!contactIds.length) return [];
  const res = await sql<TouchRow>`
    SELECT * FROM touches
    WHERE workspace_id = ${workspaceId} AND contact_id IN (${sql.join(contactIds)})
      ${before ? sql`AND occurred_at < ${before.toISOString()}::timestamptz` : sql``}
    ORDER BY occurred_at DESC, id DESC
    LIMIT ${limit}`.execute(db);
  return res.rows;
}
