import type { Insertable, Selectable, Transaction, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Database, TaskSource, TaskStatus } from '../../db/types.ts';
import type { Db } from './lifecycle.repo.ts';

export type TaskRow = Selectable<Database['tasks']> & { contact_name: string | null };

const CONTACT_NAME = sql<string | null>`NULLIF(trim(concat_ws(' ', c.first_name, c.last_name)), '')`;

function selectTasks(db: Db, workspaceId: string) {
  return db
    .selectFrom('tasks as t')
    .leftJoin('contacts as c', (j) =>
      j.onRef('c.workspace_id', '=', 't.workspace_id').onRef('c.id', '=', 't.contact_id'),
    )
    .selectAll('t')
    .select(sql<string | null>`COALESCE(${CONTACT_NAME}, c.email)`.as('contact_name'))
    .where('t.workspace_id', '=', workspaceId);
}

export async function insertTasks(
  trx: Transaction<Database>,
  rows: Insertable<Database['tasks']>[],
): Promise<void> {
  if (rows.length) await trx.insertInto('tasks').values(rows).execute();
}

export async function findTask(db: Db, workspaceId: string, id: string): Promise<TaskRow | undefined> {
  return selectTasks(db, workspaceId).where('t.id', '=', id).executeTakeFirst();
}

export async function lockTask(trx: Transaction<Database>, workspaceId: string, id: string) {
  return trx
    .selectFrom('tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateTask(
  trx: Transaction<Database>,
  workspaceId: string,
  id: string,
  set: Updateable<Database['tasks']>,
): Promise<void> {
  await trx
    .updateTable('tasks')
    .set(set)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export interface TaskFilter {
  contactId?: string | undefined;
  dealId?: string | undefined;
  ownerId?: string | undefined;
  status?: TaskStatus | undefined;
  source?: TaskSource | undefined;
  limit: number;
}

export async function listTasks(db: Db, workspaceId: string, f: TaskFilter): Promise<TaskRow[]> {
  let q = selectTasks(db, workspaceId);
  if (f.contactId) q = q.where('t.contact_id', '=', f.contactId);
  if (f.dealId) q = q.where('t.deal_id', '=', f.dealId);
  if (f.ownerId) q = q.where('t.owner_id', '=', f.ownerId);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.source) q = q.where('t.source', '=', f.source);
  return q.orderBy(sql`t.due_at ASC NULLS LAST`).orderBy('t.id').limit(f.limit).execute();
}

/** A user's open tasks (the My day view splits them by due date in the user's time zone). */
export async function openTasksOf(
  db: Db,
  workspaceId: string,
  ownerId: string,
  limit: number,
): Promise<TaskRow[]> {
  return listTasks(db, workspaceId, { ownerId, status: 'open', limit });
}

/**
 * Open tasks whose reminder time has come and was not sent yet, oldest first, at most `limit`,
 * locked and skipped by concurrent workers (the reminder job is bounded and safe to run twice).
 */
export async function claimDueReminders(trx: Transaction<Database>, now: Date, limit: number) {
  return trx
    .selectFrom('tasks')
    .select(['workspace_id', 'id', 'owner_id', 'title', 'contact_id', 'due_at', 'type'])
    .where('status', '=', 'open')
    .where('reminded_at', 'is', null)
    .where('remind_at', '<=', now)
    .orderBy('remind_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markReminded(
  trx: Transaction<Database>,
  rows: { workspace_id: string; id: string }[],
  now: Date,
): Promise<void> {
  for (const r of rows) {
    await trx
      .updateTable('tasks')
      .set({ reminded_at: now })
      .where('workspace_id', '=', r.workspace_id)
      .where('id', '=', r.id)
      .execute();
  }
}

export async function contactExists(db: Db, workspaceId: string, contactId: string): Promise<boolean> {
  const row = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Boolean(row);
}

/** Open playbook tasks of a contact leaving the pipeline are cancelled (a manual task stays). */
export async function cancelPlaybookTasks(
  trx: Transaction<Database>,
  workspaceId: string,
  contactId: string,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('tasks')
    .set({ status: 'cancelled', updated_at: at, done_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('status', '=', 'open')
    .where('source', '=', 'playbook')
    .execute();
}
