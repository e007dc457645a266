import { type Kysely, sql, type Transaction } from 'kysely';
import type { MemberStatus } from '../../../contracts/campaigns.ts';
import type { DbHandle } from '../../db/client.ts';
import { rawTransaction } from '../../db/copy.ts';
import type { Database } from '../../db/types.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type ImportStatus = 'pending' | 'staging' | 'merging' | 'completed' | 'validated' | 'failed';

export interface ImportRow {
  workspace_id: string;
  id: string;
  entity: 'contacts' | 'companies' | 'touches' | 'deals';
  file_path: string;
  file_name: string;
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'utf-16le' | 'gb18030' | 'windows-1252';
  delimiter: string;
  has_header: boolean;
  columns: string[];
  mapping: (string | null)[];
  set_values: Record<string, string>;
  options: ImportOptions;
  status: ImportStatus;
  staged_through: number;
  rows_seen: number;
  rows_valid: number;
  inserted: number;
  updated: number;
  skipped: number;
  rejected: number;
  file_bytes: number;
  bytes_read: number;
  error: string | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ImportOptions {
  dedupe: 'skip' | 'update' | 'create';
  /** `all`: any invalid row stops the import and nothing is written; `valid`: import valid rows, report the rest. */
  mode: 'all' | 'valid';
  dryRun: boolean;
  dateOrder?: 'DMY' | 'MDY' | undefined;
  tags: string[];
  campaignId?: string | undefined;
  /** With campaignId on a contacts import: the status each imported contact gets as a member. */
  memberStatus?: MemberStatus | undefined;
  timeZone: string;
}

export async function insertImport(
  db: Db,
  r: Omit<
    ImportRow,
    | 'status'
    | 'staged_through'
    | 'rows_seen'
    | 'rows_valid'
    | 'inserted'
    | 'updated'
    | 'skipped'
    | 'rejected'
    | 'bytes_read'
    | 'error'
    | 'created_at'
    | 'started_at'
    | 'finished_at'
  >,
): Promise<void> {
  await sql`
    INSERT INTO imports (workspace_id, id, entity, file_path, file_name, format, encoding, delimiter, has_header,
                         columns, mapping, set_values, options, file_bytes, created_by)
    VALUES (${r.workspace_id}, ${r.id}, ${r.entity}, ${r.file_path}, ${r.file_name}, ${r.format}, ${r.encoding},
            ${r.delimiter}, ${r.has_header}, ${JSON.stringify(r.columns)}::jsonb, ${JSON.stringify(r.mapping)}::jsonb,
            ${JSON.stringify(r.set_values)}::jsonb, ${JSON.stringify(r.options)}::jsonb, ${r.file_bytes},
            ${r.created_by})`.execute(db);
}

export async function getImport(db: Db, workspaceId: string, id: string): Promise<ImportRow | undefined> {
  const res = await sql<ImportRow>`
    SELECT * FROM imports WHERE workspace_id = ${workspaceId} AND id = ${id}`.execute(db);
  return res.rows[0] ? normalise(res.rows[0]) : undefined;
}

function normalise(r: ImportRow): ImportRow {
  return { ...r, file_bytes: Number(r.file_bytes), bytes_read: Number(r.bytes_read) };
}

export async function listImports(db: Db, workspaceId: string, limit: number): Promise<ImportRow[]> {
  const res = await sql<ImportRow>`
    SELECT * FROM imports WHERE workspace_id = ${workspaceId} ORDER BY created_at DESC, id DESC LIMIT ${limit}`.execute(
    db,
  );
  return res.rows.map(normalise);
}

/** Imports a worker should (re)start: unfinished ones, e.g. after a crash. */
export async function unfinishedImports(db: Db): Promise<{ workspace_id: string; id: string }[]> {
  const res = await sql<{ workspace_id: string; id: string }>`
    SELECT workspace_id, id FROM imports WHERE status IN ('pending', 'staging', 'merging')
    ORDER BY created_at`.execute(db);
  return res.rows;
}

export async function setStatus(
  db: Db,
  workspaceId: string,
  id: string,
  status: ImportStatus,
  extra: { error?: string | null; startedAt?: Date; finishedAt?: Date } = {},
): Promise<void> {
  await sql`
    UPDATE imports SET status = ${status},
      error = CASE WHEN ${extra.error !== undefined} THEN ${extra.error ?? null} ELSE error END,
      started_at = COALESCE(started_at, ${extra.startedAt ?? null}::timestamptz),
      finished_at = COALESCE(${extra.finishedAt ?? null}::timestamptz, finished_at)
    WHERE workspace_id = ${workspaceId} AND id = ${id}`.execute(db);
}

export interface StagedRow {
  rowNumber: number;
  data: Record<string, unknown>;
}
export interface RejectedRow {
  rowNumber: number;
  reason: string;
  cells: (string | null)[];
}
export interface BatchProgress {
  stagedThrough: number;
  rowsSeen: number;
  rowsValid: number;
  rejected: number;
  bytesRead: number;
}

/**
 * Stages one batch: valid rows, rejected rows and the resume point commit together, so a crash
 * between batches resumes after the last committed row and never stages a row twice.
 */
export async function stageBatch(
  dbh: DbHandle,
  workspaceId: string,
  importId: string,
  staged: StagedRow[],
  rejects: RejectedRow[],
  p: BatchProgress,
): Promise<void> {
  await rawTransaction(dbh, async (tx) => {
    await tx.copyRows(
      'import_staging',
      ['workspace_id', 'import_id', 'row_number', 'data'],
      staged.map((r) => [workspaceId, importId, r.rowNumber, JSON.stringify(r.data)]),
    );
    await tx.copyRows(
      'import_rejects',
      ['workspace_id', 'import_id', 'row_number', 'reason', 'cells'],
      rejects.map((r) => [workspaceId, importId, r.rowNumber, r.reason, JSON.stringify(r.cells)]),
    );
    await tx.query(
      `UPDATE imports SET staged_through = $3, rows_seen = $4, rows_valid = $5, rejected = $6, bytes_read = $7,
              status = 'staging'
       WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, importId, p.stagedThrough, p.rowsSeen, p.rowsValid, p.rejected, p.bytesRead],
    );
  });
}

/**
 * Fresh statistics for the staging table before the merge reads it. Autoanalyze runs on its own
 * schedule, so its last sample may hold only an earlier import's rows: the planner then takes this
 * import for one row and joins it by nested loops over every contact (a 100k-row import into a
 * workspace of 100k contacts stalled for over ten minutes that way).
 */
export async function analyzeStaging(db: Db): Promise<void> {
  await sql`ANALYZE import_staging`.execute(db);
}

export async function discardStaging(db: Db, workspaceId: string, importId: string): Promise<void> {
  await sql`DELETE FROM import_staging WHERE workspace_id = ${workspaceId} AND import_id = ${importId}`.execute(
    db,
  );
}

export async function rejectsPage(
  db: Db,
  workspaceId: string,
  importId: string,
  afterRow: number,
  limit: number,
): Promise<{ row_number: number; reason: string; cells: (string | null)[] }[]> {
  const res = await sql<{ row_number: number; reason: string; cells: (string | null)[] }>`
    SELECT row_number, reason, cells FROM import_rejects
    WHERE workspace_id = ${workspaceId} AND import_id = ${importId} AND row_number > ${afterRow}
    ORDER BY row_number LIMIT ${limit}`.execute(db);
  return res.rows;
}

export async function usersByEmail(db: Db, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true)
    .execute();
  return new Map(rows.map((r) => [r.email.toLowerCase(), r.id]));
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  skipped: number;
  rejected: number;
}

export async function customFieldDefs(
  db: Db,
  workspaceId: string,
  entity: 'contact' | 'company',
): Promise<{ key: string; label: string; type: CustomType; options: string[] }[]> {
  const rows = await db
    .selectFrom('custom_fields')
    .select(['key', 'label', 'type', 'options'])
    .where('workspace_id', '=', workspaceId)
    .where('entity', '=', entity)
    .execute();
  return rows.map((r) => ({ key: r.key, label: r.label, type: r.type, options: r.options }));
}

type CustomType = 'text' | 'number' | 'date' | 'select' | 'multi_select' | 'boolean';

export async function finishImport(
  trx: Transaction<Database>,
  workspaceId: string,
  importId: string,
  status: ImportStatus,
  c: MergeCounts,
  now: Date,
): Promise<void> {
  await sql`
    UPDATE imports SET status = ${status}, inserted = ${c.inserted}, updated = ${c.updated}, skipped = ${c.skipped},
           rejected = rejected + ${c.rejected}, finished_at = ${now}::timestamptz, error = NULL
    WHERE workspace_id = ${workspaceId} AND id = ${importId}`.execute(trx);
  await sql`DELETE FROM import_staging WHERE workspace_id = ${workspaceId} AND import_id = ${importId}`.execute(
    trx,
  );
}

/** The channel of a live campaign of the workspace, or null: an import checks its --campaign. */
export async function campaignChannel(db: Db, workspaceId: string, campaignId: string) {
  const row = await db
    .selectFrom('campaigns')
    .select('channel')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', campaignId)
    .executeTakeFirst();
  return row?.channel ?? null;
}
