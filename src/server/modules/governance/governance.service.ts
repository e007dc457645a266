import type { AuditEntryDto, AuditQuery } from '../../../contracts/governance.ts';
import type { AuditRow } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { ValidationError } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { type AuditFilter, listAudit } from './governance.repo.ts';

export function toAuditDto(r: AuditRow): AuditEntryDto {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    diff: r.diff,
    ip: r.ip,
  };
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The cursor's position, checked: it reaches SQL as a timestamp, so a forged one must be a 400. */
function cursorPosition(raw: string | undefined): { at: string; id: string } | undefined {
  const c = decodeCursor(raw);
  if (!c) return undefined;
  if (typeof c.v !== 'string' || !CURSOR_TIME.test(c.v) || Number.isNaN(Date.parse(c.v)))
    throw new ValidationError('Invalid cursor', { cursor: 'is not a cursor this API returned' });
  return { at: c.v, id: c.id };
}

/**
 * One page of audit rows, newest first, keyset-paginated on (at, id) to the microsecond. Shared by
 * the audit log and any record's history, so both page the same way.
 */
export async function pageAudit(
  ctx: AppContext,
  workspaceId: string,
  filter: Omit<AuditFilter, 'before' | 'limit'>,
  cursor: string | undefined,
  limit: number,
): Promise<Page<AuditEntryDto>> {
  const rows = await listAudit(ctx.db, workspaceId, {
    ...filter,
    before: cursorPosition(cursor),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toAuditDto),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.at_key, id: last.id }) : null,
  };
}

/** Lists the audit log newest first, filtered. */
export async function listAuditLog(
  ctx: AppContext,
  actor: Actor,
  q: AuditQuery,
): Promise<Page<AuditEntryDto>> {
  return pageAudit(
    ctx,
    actor.workspaceId,
    {
      entityType: q.entityType,
      entityId: q.entityId,
      action: q.action,
      actorUserId: q.actorUserId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    },
    q.cursor,
    q.limit,
  );
}
