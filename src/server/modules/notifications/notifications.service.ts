import type { Transaction } from 'kysely';
import type {
  MarkReadResultDto,
  NotificationDto,
  NotificationListQuery,
  NotificationPageDto,
} from '../../../contracts/notifications.ts';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor } from '../../lib/pagination.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './notifications.repo.ts';

export interface NotifyInput {
  workspaceId: string;
  userIds: string[];
  /** What happened, as a stable key the UI can pick an icon by (`campaign_launch`, `task_due`, …). */
  kind: string;
  title: string;
  body?: string | null;
  /** A path inside the web app the notification opens. */
  link?: string | null;
  data?: Record<string, unknown>;
  /** A repeated key for the same user is a no-op: jobs that run twice notify once. */
  dedupeKey?: string | null;
  /** When it happened (services pass ctx.clock.now()); defaults to the database's now(). */
  at?: Date;
}

export function toNotificationDto(r: repo.NotificationRow): NotificationDto {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    data: r.data ?? {},
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * Writes an in-app notification for each user, in the caller's transaction (it exists only if the
 * change that caused it commits). Users who are deactivated or not in the workspace are skipped.
 * Returns the notifications actually written (repeats of a dedupe key are left out).
 */
export async function notify(trx: Transaction<Database>, input: NotifyInput): Promise<NotificationDto[]> {
  const wanted = [...new Set(input.userIds)];
  if (!wanted.length) return [];
  const active = await trx
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', input.workspaceId)
    .where('id', 'in', wanted)
    .where('active', '=', true)
    .execute();
  const ms = input.at?.getTime() ?? Date.now();
  const rows = await repo.insertNotifications(
    trx,
    active.map((u) => ({
      workspace_id: input.workspaceId,
      id: newId('ntf', ms),
      user_id: u.id,
      kind: input.kind,
      title: input.title,
      body: input.body ?? null,
      link: input.link ?? null,
      data: JSON.stringify(input.data ?? {}),
      dedupe_key: input.dedupeKey ?? null,
      ...(input.at ? { created_at: input.at } : {}),
    })),
  );
  return rows.map(toNotificationDto);
}

/** The caller's notifications, newest first, with the unread count for the bell. */
export async function listNotifications(
  ctx: AppContext,
  actor: Actor,
  q: NotificationListQuery,
): Promise<NotificationPageDto> {
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.listForUser(ctx.db, actor.workspaceId, actor.userId, {
    unread: q.unread,
    beforeId: cursor?.id,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toNotificationDto),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null,
    unreadCount: await repo.countUnread(ctx.db, actor.workspaceId, actor.userId),
  };
}

/** Marks one of the caller's notifications read (someone else's is a 404). */
export async function markNotificationRead(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<MarkReadResultDto> {
  const found = await repo.findForUser(ctx.db, actor.workspaceId, actor.userId, id);
  if (!found) throw new NotFoundError('Notification', id);
  const updated = await repo.markRead(ctx.db, actor.workspaceId, actor.userId, [id], ctx.clock.now());
  return { updated, unreadCount: await repo.countUnread(ctx.db, actor.workspaceId, actor.userId) };
}

/** Marks every unread notification of the caller read. */
export async function markAllNotificationsRead(ctx: AppContext, actor: Actor): Promise<MarkReadResultDto> {
  const updated = await repo.markRead(ctx.db, actor.workspaceId, actor.userId, 'all', ctx.clock.now());
  return { updated, unreadCount: 0 };
}
