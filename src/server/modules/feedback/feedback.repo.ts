import { type SqlBool, sql } from 'kysely';
import type { FeedbackSource, FeedbackType } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { Db } from '../contacts/records.repo.ts';
import { type Actor, seesAllRecords } from '../workspaces/workspaces.policy.ts';

/** SQL for feedback items and the competitor registry. */

export interface CompetitorRow {
  id: string;
  name: string;
  website: string | null;
  notes: string | null;
  created_at: Date;
}

export async function listCompetitors(db: Db, workspaceId: string): Promise<CompetitorRow[]> {
  return db
    .selectFrom('competitors')
    .select(['id', 'name', 'website', 'notes', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy(sql`lower(name)`)
    .execute();
}

export async function findCompetitor(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<CompetitorRow | undefined> {
  return db
    .selectFrom('competitors')
    .select(['id', 'name', 'website', 'notes', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function competitorByName(db: Db, workspaceId: string, name: string, exceptId?: string) {
  let q = db
    .selectFrom('competitors')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}

export async function insertCompetitor(
  db: Db,
  workspaceId: string,
  c: { id: string; name: string; website: string | null; notes: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto('competitors')
    .values({
      workspace_id: workspaceId,
      id: c.id,
      name: c.name,
      website: c.website,
      notes: c.notes,
      created_at: c.at,
      updated_at: c.at,
    })
    .execute();
}

export async function updateCompetitor(
  db: Db,
  workspaceId: string,
  id: string,
  v: { name?: string; website?: string | null; notes?: string | null },
  at: Date,
): Promise<void> {
  await db
    .updateTable('competitors')
    .set({ ...v, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export interface FeedbackRow {
  id: string;
  type: FeedbackType;
  source: FeedbackSource;
  contact_id: string | null;
  deal_id: string | null;
  product_id: string | null;
  product_name: string | null;
  competitor_id: string | null;
  lost_reason: string | null;
  body: string;
  occurred_at: Date;
  created_by: string | null;
  created_at: Date;
}

export type NewFeedback = Omit<FeedbackRow, 'created_at'>;

export async function insertFeedback(
  db: Db,
  workspaceId: string,
  items: NewFeedback[],
  at: Date,
): Promise<void> {
  if (!items.length) return;
  await db
    .insertInto('feedback_items')
    .values(items.map((f) => ({ workspace_id: workspaceId, ...f, created_at: at })))
    .execute();
}

const FEEDBACK_COLUMNS = [
  'id',
  'type',
  'source',
  'contact_id',
  'deal_id',
  'product_id',
  'product_name',
  'competitor_id',
  'lost_reason',
  'body',
  'occurred_at',
  'created_by',
  'created_at',
] as const;

export async function findFeedback(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<FeedbackRow | undefined> {
  return db
    .selectFrom('feedback_items')
    .select(FEEDBACK_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface FeedbackFilter {
  type?: string | undefined;
  productId?: string | undefined;
  product?: string | undefined;
  competitorId?: string | undefined;
  contactId?: string | undefined;
  dealId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: { at: string; id: string } | undefined;
  /** Narrows to feedback on records the actor sees (omitted: every item of the workspace). */
  actor?: Actor | undefined;
  limit: number;
}

/** Newest first; `to` includes the whole day. */
export async function listFeedback(
  db: Db,
  workspaceId: string,
  f: FeedbackFilter,
): Promise<(FeedbackRow & { cursor_at: string })[]> {
  let q = db
    .selectFrom('feedback_items')
    .select([
      ...FEEDBACK_COLUMNS,
      sql<string>`to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'),
    ])
    .where('workspace_id', '=', workspaceId);
  if (f.type) q = q.where('type', '=', f.type as FeedbackType);
  if (f.productId) q = q.where('product_id', '=', f.productId);
  if (f.product) q = q.where(sql<SqlBool>`lower(product_name) = ${f.product.toLowerCase()}`);
  if (f.competitorId) q = q.where('competitor_id', '=', f.competitorId);
  if (f.contactId) q = q.where('contact_id', '=', f.contactId);
  if (f.dealId) q = q.where('deal_id', '=', f.dealId);
  // Day bounds in UTC whatever the session's time zone.
  if (f.from) q = q.where(sql<SqlBool>`occurred_at >= (${f.from}::date)::timestamp AT TIME ZONE 'UTC'`);
  if (f.to) q = q.where(sql<SqlBool>`occurred_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  if (f.actor && !seesAllRecords(f.actor)) {
    const actor = f.actor;
    q =
      q.where(sql<SqlBool>`(EXISTS (SELECT 1 FROM contacts WHERE contacts.workspace_id = feedback_items.workspace_id
        AND contacts.id = feedback_items.contact_id AND ${visibleTo(actor, 'contacts')})
      OR EXISTS (SELECT 1 FROM deals WHERE deals.workspace_id = feedback_items.workspace_id
        AND deals.id = feedback_items.deal_id AND ${visibleTo(actor, 'deals')}))`);
  }
  if (f.before) q = q.where(sql<SqlBool>`(occurred_at, id) < (${f.before.at}::timestamptz, ${f.before.id})`);
  return q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}
