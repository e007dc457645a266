import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, LifecycleStage, TransitionCause } from '../../db/types.ts';
import { visibleTo } from '../../db/visibility.ts';
import { newId } from '../../lib/ids.ts';
import { SCORE, scoreJoin, TEMPERATURE } from '../scoring/scoring.sql.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';

export type Db = Kysely<Database> | Transaction<Database>;

export interface StageRow {
  id: string;
  lifecycle_stage: LifecycleStage;
  stage_at: Date | null;
  owner_id: string | null;
  company_id: string | null;
  deleted_at: Date | null;
}

/** The contact's stage, locked for the rest of the transaction so concurrent moves serialize. */
export async function lockContactStage(
  trx: Transaction<Database>,
  workspaceId: string,
  contactId: string,
): Promise<StageRow | undefined> {
  return trx
    .selectFrom('contacts')
    .select(['id', 'lifecycle_stage', 'stage_at', 'owner_id', 'company_id', 'deleted_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setStage(
  trx: Transaction<Database>,
  workspaceId: string,
  contactId: string,
  stage: LifecycleStage,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('contacts')
    .set({ lifecycle_stage: stage, stage_at: at, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .execute();
}

export interface TransitionInsert {
  workspaceId: string;
  contactId: string;
  from: LifecycleStage;
  to: LifecycleStage;
  cause: TransitionCause;
  actorId: string | null;
  reason: string | null;
  at: Date;
}

export async function insertTransition(trx: Transaction<Database>, t: TransitionInsert): Promise<string> {
  const id = newId('ltr', t.at.getTime());
  await trx
    .insertInto('lifecycle_transitions')
    .values({
      workspace_id: t.workspaceId,
      id,
      contact_id: t.contactId,
      from_stage: t.from,
      to_stage: t.to,
      cause: t.cause,
      actor_id: t.actorId,
      reason: t.reason,
      at: t.at,
    })
    .execute();
  return id;
}

/**
 * Moves many contacts to `mql` at once where they stand before it on the main line (subscriber,
 * lead, recycled), locking their rows; contacts already at or past `mql`, disqualified or deleted
 * are left alone (automation never moves a stage backwards). Returns the contacts moved and the
 * stage each came from. A join on unnest keeps it to index lookups however many ids there are.
 */
export async function promoteToMql(
  trx: Transaction<Database>,
  workspaceId: string,
  contactIds: string[],
  at: Date,
): Promise<{ id: string; from_stage: LifecycleStage }[]> {
  if (!contactIds.length) return [];
  const res = await sql<{ id: string; from_stage: LifecycleStage }>`
    WITH cur AS (
      SELECT c.id, c.lifecycle_stage
      FROM unnest(${contactIds}::text[]) AS u(id)
      JOIN contacts c ON c.workspace_id = ${workspaceId} AND c.id = u.id
      WHERE c.deleted_at IS NULL AND c.lifecycle_stage IN ('subscriber', 'lead', 'recycled')
      FOR UPDATE OF c
    )
    UPDATE contacts c SET lifecycle_stage = 'mql', stage_at = ${at}, updated_at = ${at}
    FROM cur
    WHERE c.workspace_id = ${workspaceId} AND c.id = cur.id
    RETURNING c.id, cur.lifecycle_stage AS from_stage`.execute(trx);
  return res.rows;
}

/** Transition rows for many contacts in one statement (same columns as {@link insertTransition}). */
export async function insertTransitions(trx: Transaction<Database>, rows: TransitionInsert[]): Promise<void> {
  if (!rows.length) return;
  const col = <T>(f: (r: TransitionInsert) => T) => rows.map(f);
  await sql`
    INSERT INTO lifecycle_transitions (workspace_id, id, contact_id, from_stage, to_stage, cause, actor_id, reason, at)
    SELECT * FROM unnest(${col((r) => r.workspaceId)}::text[], ${col((r) => newId('ltr', r.at.getTime()))}::text[],
                         ${col((r) => r.contactId)}::text[], ${col((r) => r.from)}::text[], ${col((r) => r.to)}::text[],
                         ${col((r) => r.cause)}::text[], ${col((r) => r.actorId)}::text[], ${col((r) => r.reason)}::text[],
                         ${col((r) => r.at.toISOString())}::timestamptz[])`.execute(trx);
}

export async function listTransitions(db: Db, workspaceId: string, contactId: string) {
  return db
    .selectFrom('lifecycle_transitions as t')
    .leftJoin('users as u', (j) =>
      j.onRef('u.workspace_id', '=', 't.workspace_id').onRef('u.id', '=', 't.actor_id'),
    )
    .selectAll('t')
    .select('u.name as actor_name')
    .where('t.workspace_id', '=', workspaceId)
    .where('t.contact_id', '=', contactId)
    .orderBy('t.at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
}

export async function findUser(db: Db, workspaceId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'active'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function readSettings(
  db: Db,
  workspaceId: string,
): Promise<Record<string, unknown> | undefined> {
  const row = await db
    .selectFrom('lifecycle_settings')
    .select('settings')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row?.settings;
}

export async function writeSettings(
  trx: Transaction<Database>,
  workspaceId: string,
  settings: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await trx
    .insertInto('lifecycle_settings')
    .values({ workspace_id: workspaceId, settings: JSON.stringify(settings), updated_at: at })
    .onConflict((oc) =>
      oc.column('workspace_id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: at }),
    )
    .execute();
}

export interface LeadRow {
  id: string;
  name: string | null;
  email: string | null;
  company_name: string | null;
  owner_id: string | null;
  owner_name: string | null;
  lifecycle_stage: LifecycleStage;
  stage_at: Date | null;
  temperature: string;
  score: number;
  touch_count: number;
  country: string | null;
  tags: string[];
  assigned_at: Date | null;
  sla_due_at: Date | null;
  first_sales_touch_at: Date | null;
  breached_at: Date | null;
}

const LEAD_COLUMNS = sql`
  contacts.id, COALESCE(NULLIF(trim(concat_ws(' ', contacts.first_name, contacts.last_name)), ''), contacts.email) AS name, contacts.email,
  contacts.company_name, contacts.owner_id, ou.name AS owner_name, contacts.lifecycle_stage, contacts.stage_at, ${TEMPERATURE} AS temperature, ${SCORE} AS score,
  contacts.touch_count, contacts.country, contacts.tags, a.assigned_at, a.sla_due_at, a.first_sales_touch_at, a.breached_at`;

const LEAD_JOINS = sql`
  ${scoreJoin('contacts')}
  LEFT JOIN users ou ON ou.workspace_id = contacts.workspace_id AND ou.id = contacts.owner_id
  LEFT JOIN lead_assignments a ON a.workspace_id = contacts.workspace_id AND a.contact_id = contacts.id AND a.ended_at IS NULL`;

// Unaliased `contacts`: visibleTo() names the table.
/** One live contact the actor may see, with its lifecycle facts; undefined when invisible or gone. */
export async function findVisibleLead(db: Db, actor: Actor, contactId: string): Promise<LeadRow | undefined> {
  const res = await sql<LeadRow>`
    SELECT ${LEAD_COLUMNS} FROM contacts ${LEAD_JOINS}
    WHERE contacts.workspace_id = ${actor.workspaceId} AND contacts.id = ${contactId} AND contacts.deleted_at IS NULL
      AND ${visibleTo(actor, 'contacts')}`.execute(db);
  return res.rows[0];
}

/** Open leads (mql, sql), either one owner's or all the actor can see: hot first, then least SLA time left. */
function inboxWhere(actor: Actor, filter: InboxFilter) {
  const who =
    'ownerId' in filter
      ? sql`contacts.owner_id = ${filter.ownerId}`
      : sql`contacts.owner_id IS NOT NULL AND ${visibleTo(actor, 'contacts')}`;
  return sql`contacts.workspace_id = ${actor.workspaceId} AND contacts.deleted_at IS NULL
      AND contacts.lifecycle_stage IN ('mql','sql') AND ${who}`;
}

export type InboxFilter = { ownerId: string } | { visible: true };

export async function inboxRows(
  db: Db,
  actor: Actor,
  filter: InboxFilter,
  limit: number,
): Promise<LeadRow[]> {
  const res = await sql<LeadRow>`
    SELECT ${LEAD_COLUMNS} FROM contacts ${LEAD_JOINS}
    WHERE ${inboxWhere(actor, filter)}
    ORDER BY (${TEMPERATURE} = 'hot') DESC,
             (a.id IS NOT NULL AND a.first_sales_touch_at IS NULL) DESC,
             a.sla_due_at ASC NULLS LAST, contacts.stage_at DESC NULLS LAST, contacts.id
    LIMIT ${limit}`.execute(db);
  return res.rows;
}

/** How many leads the inbox holds in all (the list itself stops at its limit). */
export async function inboxCount(db: Db, actor: Actor, filter: InboxFilter): Promise<number> {
  const res = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM contacts WHERE ${inboxWhere(actor, filter)}`.execute(db);
  return res.rows[0]!.n;
}
