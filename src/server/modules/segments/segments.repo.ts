import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { CustomFieldRow, Database } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';

/** Lookups the compiler needs before it builds a query, and the saved-segment tables. */

export async function workspaceTimeZone(db: Db, workspaceId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('workspaces')
    .select('time_zone')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return row?.time_zone;
}

export async function customFieldsOf(db: Db, workspaceId: string): Promise<CustomFieldRow[]> {
  return db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).execute();
}

export async function existingUserIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function existingTeamIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('teams')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function segmentDefinitions(
  db: Db,
  workspaceId: string,
  ids: string[],
): Promise<Map<string, { name: string; definition: unknown }>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('segments')
    .select(['id', 'name', 'definition'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, definition: r.definition }]));
}

// ---- saved segments -------------------------------------------------------------------------------

export interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  definition: unknown;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const SEGMENT_COLUMNS = [
  'id',
  'name',
  'description',
  'definition',
  'created_by',
  'created_at',
  'updated_at',
] as const;

export async function findSegment(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<SegmentRow | undefined> {
  let q = db
    .selectFrom('segments')
    .select(SEGMENT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertSegment(
  db: Db,
  s: {
    workspaceId: string;
    id: string;
    name: string;
    description: string | null;
    definition: unknown;
    createdBy: string;
    at: Date;
  },
): Promise<SegmentRow> {
  return db
    .insertInto('segments')
    .values({
      workspace_id: s.workspaceId,
      id: s.id,
      name: s.name,
      description: s.description,
      definition: JSON.stringify(s.definition),
      created_by: s.createdBy,
      created_at: s.at,
      updated_at: s.at,
    })
    .returning(SEGMENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateSegment(
  db: Db,
  workspaceId: string,
  id: string,
  patch: { name?: string; description?: string | null; definition?: unknown },
  at: Date,
): Promise<SegmentRow> {
  return db
    .updateTable('segments')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.definition !== undefined ? { definition: JSON.stringify(patch.definition) } : {}),
      updated_at: at,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(SEGMENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function deleteSegment(db: Db, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('segments').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Replaces the list of segments a segment names. */
export async function setRefs(db: Db, workspaceId: string, id: string, refs: string[]): Promise<void> {
  await db
    .deleteFrom('segment_refs')
    .where('workspace_id', '=', workspaceId)
    .where('segment_id', '=', id)
    .execute();
  if (!refs.length) return;
  await db
    .insertInto('segment_refs')
    .values(refs.map((ref) => ({ workspace_id: workspaceId, segment_id: id, ref_segment_id: ref })))
    .execute();
}

/** Segments that name this one (it cannot be deleted while they do). */
export async function referrers(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('segment_refs')
    .innerJoin('segments', (j) =>
      j
        .onRef('segments.workspace_id', '=', 'segment_refs.workspace_id')
        .onRef('segments.id', '=', 'segment_refs.segment_id'),
    )
    .select(['segments.id', 'segments.name'])
    .where('segment_refs.workspace_id', '=', workspaceId)
    .where('segment_refs.ref_segment_id', '=', id)
    .orderBy('segments.name')
    .execute();
}

export async function listSegments(
  db: Db,
  workspaceId: string,
  f: { q: string | undefined; after: { v: string; id: string } | undefined; limit: number },
): Promise<(SegmentRow & { cursor_v: string })[]> {
  let q = db
    .selectFrom('segments')
    .select(SEGMENT_COLUMNS)
    .select(sql<string>`lower(name)`.as('cursor_v'))
    .where('workspace_id', '=', workspaceId);
  if (f.q)
    q = q.where(
      sql<boolean>`lower(name) LIKE ${`%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`,
    );
  if (f.after) q = q.where(sql<boolean>`(lower(name), id) > (${f.after.v}, ${f.after.id})`);
  return q.orderBy(sql`lower(name)`).orderBy('id').limit(f.limit).execute();
}

/** How many contacts a compiled condition matches among those the caller may see. */
export async function countMatching(
  db: Kysely<Database>,
  workspaceId: string,
  condition: Expression<SqlBool>,
  visible: Expression<SqlBool>,
): Promise<number> {
  const row = await db
    .selectFrom('contacts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('contacts.workspace_id', '=', workspaceId)
    .where('contacts.deleted_at', 'is', null)
    .where(visible)
    .where(condition)
    .executeTakeFirstOrThrow();
  return row.n;
}

// ---- snapshots ------------------------------------------------------------------------------------

export interface SnapshotRow {
  id: string;
  segment_id: string;
  purpose: string | null;
  count: number;
  taken_by: string | null;
  taken_at: Date;
}

/** Freezes the ids a compiled segment matches now, in one INSERT … SELECT; returns the count. */
export async function insertSnapshot(
  db: Db,
  s: {
    workspaceId: string;
    id: string;
    segmentId: string;
    purpose: string | null;
    definition: unknown;
    takenBy: string;
    at: Date;
    condition: Expression<SqlBool>;
  },
): Promise<SnapshotRow> {
  await db
    .insertInto('segment_snapshots')
    .values({
      workspace_id: s.workspaceId,
      id: s.id,
      segment_id: s.segmentId,
      purpose: s.purpose,
      definition: JSON.stringify(s.definition),
      count: 0,
      taken_by: s.takenBy,
      taken_at: s.at,
    })
    .execute();
  const inserted = await db
    .insertInto('segment_snapshot_members')
    .columns(['workspace_id', 'snapshot_id', 'contact_id'])
    .expression(
      db
        .selectFrom('contacts')
        .select([sql<string>`${s.workspaceId}`.as('w'), sql<string>`${s.id}`.as('s'), 'contacts.id'])
        .where('contacts.workspace_id', '=', s.workspaceId)
        .where('contacts.deleted_at', 'is', null)
        .where(s.condition),
    )
    .executeTakeFirst();
  return db
    .updateTable('segment_snapshots')
    .set({ count: Number(inserted.numInsertedOrUpdatedRows ?? 0) })
    .where('workspace_id', '=', s.workspaceId)
    .where('id', '=', s.id)
    .returning(['id', 'segment_id', 'purpose', 'count', 'taken_by', 'taken_at'])
    .executeTakeFirstOrThrow();
}

export async function listSnapshots(db: Db, workspaceId: string, segmentId: string): Promise<SnapshotRow[]> {
  return db
    .selectFrom('segment_snapshots')
    .select(['id', 'segment_id', 'purpose', 'count', 'taken_by', 'taken_at'])
    .where('workspace_id', '=', workspaceId)
    .where('segment_id', '=', segmentId)
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The contact ids frozen in a snapshot, as a select (for a send: `insert … select`, counts). */
export function snapshotMembers(db: Db, workspaceId: string, snapshotId: string) {
  return db
    .selectFrom('segment_snapshot_members')
    .select('contact_id')
    .where('workspace_id', '=', workspaceId)
    .where('snapshot_id', '=', snapshotId);
}
