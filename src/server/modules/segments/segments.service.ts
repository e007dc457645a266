import type { ContactDto, ContactListQuery } from '../../../contracts/contacts.ts';
import type {
  SegmentCreate,
  SegmentDefinition,
  SegmentDto,
  SegmentFieldDto,
  SegmentListQuery,
  SegmentSnapshotDto,
  SegmentUpdate,
} from '../../../contracts/segments.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import { exportCsv } from '../capture/capture.export.ts';
import { listContacts } from '../contacts/contacts.service.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { compileSegmentCondition } from './segments.compile.ts';
import { fieldCatalogue, operatorsFor } from './segments.fields.ts';
import * as repo from './segments.repo.ts';

const ENTITY = 'segment';

export function toSegmentDto(r: repo.SegmentRow): SegmentDto {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    definition: r.definition as SegmentDefinition,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function toSnapshotDto(r: repo.SnapshotRow): SegmentSnapshotDto {
  return {
    id: r.id,
    segmentId: r.segment_id,
    purpose: r.purpose,
    count: r.count,
    takenAt: r.taken_at.toISOString(),
    takenBy: r.taken_by,
  };
}

/** The saved segments a definition names directly (kept in segment_refs). */
function directRefs(def: SegmentDefinition): string[] {
  const out = new Set<string>();
  const walk = (g: SegmentDefinition) => {
    for (const n of g.conditions) {
      if (n.kind === 'group') walk(n);
      else if (n.kind === 'membership' && n.of === 'segment') out.add(n.id);
    }
  };
  walk(def);
  return [...out];
}

function audit(actor: Actor, action: string, entityId: string, diff: Record<string, unknown>, at: Date) {
  return {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action,
    entityType: ENTITY,
    entityId,
    diff,
    at,
  };
}

async function mustFind(ctx: AppContext, actor: Actor, id: string): Promise<repo.SegmentRow> {
  const row = await repo.findSegment(ctx.db, actor.workspaceId, id);
  if (!row) throw new NotFoundError('Segment', id);
  return row;
}

/** Creates a saved segment after compiling its definition (a bad one is a 400 naming the path). */
export async function createSegment(
  ctx: AppContext,
  actor: Actor,
  input: SegmentCreate,
): Promise<SegmentDto> {
  const at = ctx.clock.now();
  const id = newId('seg', at.getTime());
  return ctx.db.transaction().execute(async (trx) => {
    await compileSegmentCondition(trx, actor.workspaceId, input.definition, { now: at, selfId: id });
    const row = await repo.insertSegment(trx, {
      workspaceId: actor.workspaceId,
      id,
      name: input.name,
      description: input.description ?? null,
      definition: input.definition,
      createdBy: actor.userId,
      at,
    });
    await repo.setRefs(trx, actor.workspaceId, id, directRefs(input.definition));
    await appendAudit(
      trx,
      audit(actor, 'create', id, { name: input.name, definition: input.definition }, at),
    );
    return toSegmentDto(row);
  });
}

export async function getSegment(ctx: AppContext, actor: Actor, id: string): Promise<SegmentDto> {
  return toSegmentDto(await mustFind(ctx, actor, id));
}

/** Changes a segment; a definition that would include the segment itself (also via others) is a 400. */
export async function updateSegment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: SegmentUpdate,
): Promise<SegmentDto> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findSegment(trx, actor.workspaceId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('Segment', id);
    if (input.definition) {
      await compileSegmentCondition(trx, actor.workspaceId, input.definition, { now: at, selfId: id });
    }
    const row = await repo.updateSegment(trx, actor.workspaceId, id, input, at);
    if (input.definition) await repo.setRefs(trx, actor.workspaceId, id, directRefs(input.definition));
    const diff: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== current.name)
      diff.name = { from: current.name, to: input.name };
    if (input.description !== undefined && input.description !== current.description)
      diff.description = { from: current.description, to: input.description };
    if (input.definition) diff.definition = { from: current.definition, to: input.definition };
    await appendAudit(trx, audit(actor, 'update', id, diff, at));
    return toSegmentDto(row);
  });
}

/** Deletes a segment no other segment names (409 listing those that do). */
export async function deleteSegment(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findSegment(trx, actor.workspaceId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('Segment', id);
    const users = await repo.referrers(trx, actor.workspaceId, id);
    if (users.length) {
      throw new ConflictError(
        `Segment "${current.name}" is used by ${users.map((u) => `"${u.name}" (${u.id})`).join(', ')}; change those first`,
      );
    }
    await repo.deleteSegment(trx, actor.workspaceId, id);
    await appendAudit(trx, audit(actor, 'delete', id, { name: current.name }, at));
  });
}

export async function listSegments(
  ctx: AppContext,
  actor: Actor,
  query: Partial<SegmentListQuery> = {},
): Promise<Page<SegmentDto>> {
  const limit = query.limit ?? 50;
  const c = decodeCursor(query.cursor);
  if (c && typeof c.v !== 'string')
    throw new ValidationError('Invalid cursor', { cursor: 'is not a cursor this API returned' });
  const rows = await repo.listSegments(ctx.db, actor.workspaceId, {
    q: query.q,
    after: c ? { v: c.v as string, id: c.id } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toSegmentDto),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.cursor_v, id: last.id }) : null,
  };
}

/** How many contacts the caller may see match a (saved or unsaved) definition: the builder's live count. */
export async function countDefinition(ctx: AppContext, actor: Actor, definition: unknown): Promise<number> {
  const cond = await compileSegmentCondition(ctx.db, actor.workspaceId, definition, { now: ctx.clock.now() });
  return repo.countMatching(ctx.db, actor.workspaceId, cond, visibleTo(actor, 'contacts'));
}

export async function countSegment(ctx: AppContext, actor: Actor, id: string): Promise<number> {
  const row = await mustFind(ctx, actor, id);
  return countDefinition(ctx, actor, row.definition);
}

/** The segment's contacts with the contact list's columns, sorts and cursors (visibility applies). */
export async function segmentContacts(
  ctx: AppContext,
  actor: Actor,
  id: string,
  query: Partial<ContactListQuery>,
): Promise<Page<ContactDto>> {
  const row = await mustFind(ctx, actor, id);
  const cond = await compileSegmentCondition(ctx.db, actor.workspaceId, row.definition, {
    now: ctx.clock.now(),
  });
  return listContacts(ctx, actor, { ...query, deleted: 'exclude' }, cond);
}

/** The segment's contacts as the contacts CSV (same columns as the contacts export; audited). */
export async function exportSegment(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ name: string; csv: AsyncGenerator<string> }> {
  const row = await mustFind(ctx, actor, id);
  const cond = await compileSegmentCondition(ctx.db, actor.workspaceId, row.definition, {
    now: ctx.clock.now(),
  });
  return {
    name: row.name,
    csv: exportCsv(ctx, actor, 'contacts', { contactFilter: cond, auditDiff: { segmentId: id } }),
  };
}

/** Freezes the ids matching now (whole workspace) for a send; later changes to contacts leave it alone. */
export async function takeSnapshot(
  ctx: AppContext,
  actor: Actor,
  id: string,
  purpose: string | null,
): Promise<SegmentSnapshotDto> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const seg = await repo.findSegment(trx, actor.workspaceId, id);
    if (!seg) throw new NotFoundError('Segment', id);
    const condition = await compileSegmentCondition(trx, actor.workspaceId, seg.definition, { now: at });
    const snap = await repo.insertSnapshot(trx, {
      workspaceId: actor.workspaceId,
      id: newId('sgs', at.getTime()),
      segmentId: id,
      purpose,
      definition: seg.definition,
      takenBy: actor.userId,
      at,
      condition,
    });
    await appendAudit(
      trx,
      audit(actor, 'snapshot', id, { snapshotId: snap.id, count: snap.count, purpose }, at),
    );
    return toSnapshotDto(snap);
  });
}

export async function listSnapshots(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<SegmentSnapshotDto[]> {
  await mustFind(ctx, actor, id);
  return (await repo.listSnapshots(ctx.db, actor.workspaceId, id)).map(toSnapshotDto);
}

/** Contact ids frozen in a snapshot, as one select (campaign sends read it with insert … select). */
export function snapshotContactIds(ctx: AppContext, workspaceId: string, snapshotId: string) {
  return repo.snapshotMembers(ctx.db, workspaceId, snapshotId);
}

/** The fields a definition may name, with their operators: the builder's field picker. */
export async function segmentFields(ctx: AppContext, actor: Actor): Promise<SegmentFieldDto[]> {
  const custom = await repo.customFieldsOf(ctx.db, actor.workspaceId);
  return fieldCatalogue(custom).map((f) => ({
    field: f.field,
    type: f.type,
    entity: f.entity,
    custom: f.custom,
    label: f.label,
    options: [...f.options],
    operators: [...operatorsFor(f.type)],
  }));
}
