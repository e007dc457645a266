import type { AuditEntryDto } from '../../../contracts/governance.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, type FieldErrors, ValidationError } from '../../lib/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { pageAudit } from '../governance/governance.service.ts';
import { type Actor, canAssignToOthers } from '../workspaces/workspaces.policy.ts';
import { type Db, findActiveUser, type SearchPlan, type SortColumn, teamExists } from './records.repo.ts';

/** Rules shared by contacts and companies: search parsing, cursors, assignment, diffs, history. */

export function iso(d: Date | string): string {
  return new Date(d).toISOString();
}
export function isoOrNull(d: Date | string | null): string | null {
  return d === null ? null : iso(d);
}

/** Empty text after trimming means "no value". */
export function blankToNull(v: string | null | undefined): string | null | undefined {
  return v === '' ? null : v;
}

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Decides how a free-text query is matched. Phone-like input matches by its digits; terms of three
 * or more characters match anywhere (trigram index); when every term is one or two characters long
 * (trigrams cannot help), each must be the start of a first/last name, e-mail or company name.
 * With `emails` (contacts), a whole e-mail address matches as the start of the contact's e-mail:
 * a trigram search for it would intersect dozens of posting lists for one row.
 */
export function searchPlan(q: string | undefined, opts: { emails?: boolean } = {}): SearchPlan | null {
  const text = q?.trim().toLowerCase();
  if (!text) return null;
  if (opts.emails && EMAIL_LIKE.test(text)) return { mode: 'email', address: text };
  const digits = text.replace(/\D/g, '');
  if (/^\+?[\d\s().\-/]+$/.test(text) && digits.length >= 3) return { mode: 'substring', terms: [digits] };
  const terms = [...new Set(text.split(/\s+/))].slice(0, 8);
  if (terms.every((t) => [...t].length <= 2)) return { mode: 'prefix', terms };
  return { mode: 'substring', terms };
}

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A list cursor carries its sort key, so a cursor from another sort is refused rather than misread. */
export function decodeListCursor(
  raw: string | undefined,
  sort: string,
  column: SortColumn,
): { v: string; id: string } | undefined {
  const c = decodeCursor(raw);
  if (!c) return undefined;
  const prefix = `${sort}|`;
  const value = typeof c.v === 'string' && c.v.startsWith(prefix) ? c.v.slice(prefix.length) : null;
  if (value === null || (column.kind === 'timestamp' && !TIMESTAMP_TEXT.test(value)) || c.id.length > 64) {
    throw new ValidationError('Invalid cursor', {
      cursor: 'is not a cursor this API returned for this sort',
    });
  }
  return { v: value, id: c.id };
}

/** Builds a page from `limit + 1` rows carrying `cursor_v` (the sort value as text). */
export function pageFrom<R extends { id: string; cursor_v: string }, T>(
  rows: R[],
  limit: number,
  sort: string,
  toDto: (r: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toDto),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ v: `${sort}|${last.cursor_v}`, id: last.id }) : null,
  };
}

/** `me`, `none` or a user id → the owner filter (null = unassigned). */
export function ownerFilter(actor: Actor, ownerId: string | undefined): string | null | undefined {
  if (ownerId === undefined) return undefined;
  if (ownerId === 'me') return actor.userId;
  if (ownerId === 'none') return null;
  return ownerId;
}

/** Who owns a new record when the caller says nothing: sales people keep what they create. */
export function defaultAssignment(actor: Actor): { ownerId: string | null; teamId: string | null } {
  const sales = actor.role === 'sales_rep' || actor.role === 'sales_manager';
  return {
    ownerId: sales ? actor.userId : null,
    teamId: sales && actor.teamIds.length === 1 ? (actor.teamIds[0] ?? null) : null,
  };
}

/**
 * Checks an owner/team change. A rep may only assign to themselves (or nobody) and only to their
 * own teams: 403 naming the field. An owner must be an active user, a team a team, of this
 * workspace: otherwise field errors (another workspace's id looks exactly like an unknown one).
 */
export async function checkAssignment(
  db: Db,
  actor: Actor,
  next: { ownerId?: string | null | undefined; teamId?: string | null | undefined },
  prev: { ownerId: string | null; teamId: string | null } | null,
  errors: FieldErrors,
): Promise<void> {
  const ownerChanges = next.ownerId !== undefined && next.ownerId !== prev?.ownerId;
  const teamChanges = next.teamId !== undefined && next.teamId !== prev?.teamId;
  if (!canAssignToOthers(actor)) {
    if (ownerChanges && next.ownerId !== null && next.ownerId !== actor.userId) {
      throw new AppError(403, 'forbidden', 'You may only assign records to yourself', {
        ownerId: 'you may only assign records to yourself or leave them unassigned',
      });
    }
    if (teamChanges && next.teamId !== null && !actor.teamIds.includes(next.teamId ?? '')) {
      throw new AppError(403, 'forbidden', 'You may only put records in your own teams', {
        teamId: 'you may only choose one of your own teams',
      });
    }
  }
  if (ownerChanges && next.ownerId && !(await findActiveUser(db, actor.workspaceId, next.ownerId))) {
    errors.ownerId = 'is not an active user of this workspace';
  }
  if (teamChanges && next.teamId && !(await teamExists(db, actor.workspaceId, next.teamId))) {
    errors.teamId = 'is not a team of this workspace';
  }
}

export function throwIfErrors(errors: FieldErrors): void {
  if (Object.keys(errors).length) {
    const list = Object.entries(errors)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ');
    throw new ValidationError(`Invalid input: ${list}`, errors);
  }
}

type Plain = string | number | boolean | null | string[] | undefined;

function same(a: Plain | unknown, b: Plain | unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * `{ field: { from, to } }` for the fields that change; custom values appear as `custom.<key>`.
 * Only keys present in `next` are compared (a PATCH names what it changes).
 */
export function diffOf(
  prev: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(next)) {
    if (to === undefined || key === 'custom') continue;
    if (!same(prev[key], to)) diff[key] = { from: prev[key] ?? null, to };
  }
  const prevCustom = (prev.custom ?? {}) as Record<string, unknown>;
  const nextCustom = next.custom as Record<string, unknown> | undefined;
  if (nextCustom) {
    for (const key of new Set([...Object.keys(prevCustom), ...Object.keys(nextCustom)])) {
      if (!same(prevCustom[key], nextCustom[key]))
        diff[`custom.${key}`] = { from: prevCustom[key] ?? null, to: nextCustom[key] ?? null };
    }
  }
  return diff;
}

/** A record's audit rows, newest first: the audit log's own paging, filtered to one entity. */
export async function auditHistory(
  ctx: AppContext,
  actor: Actor,
  entityType: string,
  entityId: string,
  cursor: string | undefined,
  limit: number,
): Promise<Page<AuditEntryDto>> {
  return pageAudit(ctx, actor.workspaceId, { entityType, entityId }, cursor, limit);
}

/** Appends one audit row about a contact or company, in the caller's transaction. */
export async function auditRecord(
  trx: Db,
  actor: Actor,
  entityType: 'contact' | 'company',
  id: string,
  action: 'create' | 'update' | 'owner_change' | 'delete' | 'restore',
  diff: Record<string, unknown>,
  meta: { ip?: string | null },
  at: Date,
): Promise<void> {
  await appendAudit(trx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action,
    entityType,
    entityId: id,
    diff,
    ip: meta.ip ?? null,
    at,
  });
}

/**
 * Audits an update of a contact or company: the changed fields as one `update` row, and an owner
 * change as its own `owner_change` row (governance filters on it).
 */
export async function auditRecordChange(
  trx: Db,
  actor: Actor,
  entityType: 'contact' | 'company',
  id: string,
  diff: Record<string, { from: unknown; to: unknown }>,
  meta: { ip?: string | null },
  at: Date,
): Promise<void> {
  const { ownerId, ...rest } = diff;
  if (Object.keys(rest).length) await auditRecord(trx, actor, entityType, id, 'update', rest, meta, at);
  if (ownerId) await auditRecord(trx, actor, entityType, id, 'owner_change', { ownerId }, meta, at);
}
