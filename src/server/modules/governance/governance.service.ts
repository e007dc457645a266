import type { AuditEntryDto, AuditQuery } from '../../../contracts/governance.ts';
import type { AuditRow } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { listAudit } from './governance.repo.ts';

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

/** Lists the audit log newest first, filtered; keyset-paginated on (at, id). */
export async function listAuditLog(
  ctx: AppContext,
  actor: Actor,
  q: AuditQuery,
): Promise<Page<AuditEntryDto>> {
  const cursor = decodeCursor(q.cursor);
  const rows = await listAudit(ctx.db, actor.workspaceId, {
    entityType: q.entityType,
    entityId: q.entityId,
    action: q.action,
    actorUserId: q.actorUserId,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    before: cursor ? { at: new Date(String(cursor.v)), id: cursor.id } : undefined,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit).map(toAuditDto);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: last.at, id: last.id }) : null,
  };
}
