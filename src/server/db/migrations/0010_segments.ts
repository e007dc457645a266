import { type Kysely, sql } from 'kysely';

/**
 * Saved segments (a definition compiled to one query on demand: nothing is materialised or rescanned),
 * the segments each one names (for "a segment that includes itself" and for refusing to delete a
 * segment another one uses), and frozen snapshots: the contact ids matching at one moment, for a send.
 */
const statements = [
  `CREATE TABLE segments (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    name text NOT NULL,
    description text,
    definition jsonb NOT NULL,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE INDEX segments_name_idx ON segments (workspace_id, lower(name), id)`,
  `CREATE TABLE segment_refs (
    workspace_id text NOT NULL,
    segment_id text NOT NULL,
    ref_segment_id text NOT NULL,
    PRIMARY KEY (workspace_id, segment_id, ref_segment_id),
    FOREIGN KEY (workspace_id, segment_id) REFERENCES segments (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, ref_segment_id) REFERENCES segments (workspace_id, id)
  )`,
  `CREATE INDEX segment_refs_ref_idx ON segment_refs (workspace_id, ref_segment_id)`,
  `CREATE TABLE segment_snapshots (
    workspace_id text NOT NULL,
    id text NOT NULL,
    segment_id text NOT NULL,
    purpose text,
    definition jsonb NOT NULL,
    count integer NOT NULL,
    taken_by text,
    taken_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, segment_id) REFERENCES segments (workspace_id, id) ON DELETE CASCADE
  )`,
  `CREATE INDEX segment_snapshots_segment_idx ON segment_snapshots (workspace_id, segment_id, taken_at DESC)`,
  `CREATE TABLE segment_snapshot_members (
    workspace_id text NOT NULL,
    snapshot_id text NOT NULL,
    contact_id text NOT NULL,
    PRIMARY KEY (workspace_id, snapshot_id, contact_id),
    FOREIGN KEY (workspace_id, snapshot_id) REFERENCES segment_snapshots (workspace_id, id) ON DELETE CASCADE
  )`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
