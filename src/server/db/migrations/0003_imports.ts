import { type Kysely, sql } from 'kysely';

/**
 * CSV/XLSX imports. Rows are validated and staged in batches (each batch commits with the resume
 * point, so a killed import resumes where it stopped), then merged into the target table in one
 * transaction, so nothing is half-imported.
 */
const statements = [
  `CREATE TABLE imports (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    entity text NOT NULL CHECK (entity IN ('contacts','companies','touches')),
    file_path text NOT NULL,
    file_name text NOT NULL,
    format text NOT NULL,
    encoding text NOT NULL,
    delimiter text NOT NULL,
    has_header boolean NOT NULL,
    columns jsonb NOT NULL,
    mapping jsonb NOT NULL,
    set_values jsonb NOT NULL DEFAULT '{}'::jsonb,
    options jsonb NOT NULL DEFAULT '{}'::jsonb,
    status text NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending','staging','merging','completed','validated','failed')),
    staged_through integer NOT NULL DEFAULT 0,
    rows_seen integer NOT NULL DEFAULT 0,
    rows_valid integer NOT NULL DEFAULT 0,
    inserted integer NOT NULL DEFAULT 0,
    updated integer NOT NULL DEFAULT 0,
    skipped integer NOT NULL DEFAULT 0,
    rejected integer NOT NULL DEFAULT 0,
    file_bytes bigint NOT NULL DEFAULT 0,
    bytes_read bigint NOT NULL DEFAULT 0,
    error text,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE INDEX imports_created_idx ON imports (workspace_id, created_at DESC)`,
  `CREATE TABLE import_rejects (
    workspace_id text NOT NULL,
    import_id text NOT NULL,
    row_number integer NOT NULL,
    reason text NOT NULL,
    cells jsonb NOT NULL DEFAULT '[]'::jsonb,
    PRIMARY KEY (workspace_id, import_id, row_number),
    FOREIGN KEY (workspace_id, import_id) REFERENCES imports (workspace_id, id) ON DELETE CASCADE
  )`,
  `CREATE TABLE import_staging (
    workspace_id text NOT NULL,
    import_id text NOT NULL,
    row_number integer NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (workspace_id, import_id, row_number)
  )`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
