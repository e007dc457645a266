import { type Insertable, type Selectable, sql } from 'kysely';
import type { NotificationsTable } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';

export type NotificationRow = Selectable<NotificationsTable>;
export type NewNotification = Insertable<NotificationsTable>;

/**
 * Inserts notifications; a row whose (user, dedupe key) already exists is skipped, so a job that
 * runs twice notifies once. Returns the rows actually written.
 */
export async function insertNotifications(db: Db, rows: NewNotification[]): Promise<NotificationRow[]> {
  if (!rows.length) return [];
  return db
    .insertInto('notifications')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'user_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing(),
    )
    .returningAll()
    .execute();
}

/** One page of a user's notifications, newest first (ids sort by creation time). */
export async function listForUser(
  db: Db,
  workspaceId: string,
  userId: string,
  f: { unread: boolean | undefined; beforeId: string | undefined; limit: number },
): Promise<NotificationRow[]> {
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId);
  if (f.unread === true) q = q.where('read_at', 'is', null);
  if (f.unread === false) q = q.where('read_at', 'is not', null);
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

export async function countUnread(db: Db, workspaceId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the given (or all) unread notifications of one user read; returns how many changed. */
export async function markRead(
  db: Db,
  workspaceId: string,
  userId: string,
  ids: string[] | 'all',
  at: Date,
): Promise<number> {
  let q = db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') {
    if (!ids.length) return 0;
    q = q.where('id', 'in', ids);
  }
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function findForUser(
  db: Db,
  workspaceId: string,
  userId: string,
  id: string,
): Promise<NotificationRow | undefined> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
}
