import { type Kysely, sql, type Transaction } from 'kysely';
import type { AuditRow, Database } from '../../db/types.ts';
import { newId } from '../../lib/ids.ts';

export interface AuditEntry {
  workspaceId: string;
  actorUserId: string | null;
  /** e-mail, or `system` / `cli` for non-user actors: kept even if the user is later erased. */
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  diff?: Record<string, unknown>;
  ip?: string | null;
  at?: Date;
}

/**
 * Appends one audit row. Always called with the transaction of the change it records, so the
 * change and its audit row commit or vanish together. There is no update or delete here, and a
 * trigger makes the table refuse them anyway.
 */
export async function appendAudit(
  trx: Transaction<Database> | Kysely<Database>,
  e: AuditEntry,
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      workspace_id: e.workspaceId,
      id: newId('aud', e.at?.getTime()),
      ...(e.at ? { at: e.at } : {}),
      actor_user_id: e.actorUserId,
      actor_label: e.actorLabel,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      diff: JSON.stringify(e.diff ?? {}),
      ip: e.ip ?? null,
    })
    .execute();
}

/**
 * Appends many audit rows in one statement (a batch rescoring can change thousands of records),
 * with the same guarantees as appendAudit: always in the transaction of the change.
 */
export async function appendAuditMany(
  trx: Transaction<Database> | Kysely<Database>,
  entries: AuditEntry[],
): Promise<void> {
  if (!entries.length) return;
  const col = <T>(f: (e: AuditEntry) => T) => entries.map(f);
  await sql`
    INSERT INTO audit_log (workspace_id, id, at, actor_user_id, actor_label, action, entity_type, entity_id, diff, ip)
    SELECT * FROM unnest(${col((e) => e.workspaceId)}::text[], ${col((e) => newId('aud', e.at?.getTime()))}::text[],
                         ${col((e) => (e.at ?? new Date()).toISOString())}::timestamptz[],
                         ${col((e) => e.actorUserId)}::text[], ${col((e) => e.actorLabel)}::text[],
                         ${col((e) => e.action)}::text[], ${col((e) => e.entityType)}::text[],
                         ${col((e) => e.entityId)}::text[], ${col((e) => JSON.stringify(e.diff ?? {}))}::jsonb[],
                         ${col((e) => e.ip ?? null)}::text[])`.execute(trx);
}

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  actorUserId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /**
   * Pass `at` as the string {@link AuditPageRow.at_key} gave: microseconds, which a JS Date drops
   * (a Date still works, but can skip rows written less than a millisecond apart).
   */
  before?: { at: string | Date; id: string } | undefined;
  limit: number;
}

export type AuditPageRow = AuditRow & { at_key: string };

/**
 * `at_key` is the row's time to the microsecond: rows written with the database's `now()` differ
 * below the millisecond, and a cursor rounded to milliseconds would skip them.
 */
export async function listAudit(
  db: Kysely<Database>,
  workspaceId: string,
  f: AuditFilter,
): Promise<AuditPageRow[]> {
  let q = db
    .selectFrom('audit_log')
    .selectAll()
    .select(sql<string>`to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_key'))
    .where('workspace_id', '=', workspaceId);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.actorUserId) q = q.where('actor_user_id', '=', f.actorUserId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  const before = f.before;
  if (before) {
    const at = typeof before.at === 'string' ? sql<Date>`${before.at}::timestamptz` : before.at;
    q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', before.id)])]));
  }
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** Failed sign-ins of one user since a time: the per-account brake on password guessing. */
export async function countFailedSignIns(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('entity_type', '=', 'user')
    .where('entity_id', '=', userId)
    .where('action', '=', 'sign_in_failed')
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
