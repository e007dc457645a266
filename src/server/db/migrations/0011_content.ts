import { type Kysely, sql } from 'kysely';

/**
 * The content library: assets (a file or a link) with their version history, and tracked share links
 * (one per rep and contact). A share link names the asset, not a version, so a new version keeps old
 * links working. Public pages look a link up by its token alone (the URL carries no workspace).
 */
const statements = [
  `CREATE TABLE content_assets (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    title text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('brochure','presentation','case_study','price_list','catalogue','video','web_page')),
    source text NOT NULL CHECK (source IN ('file','link')),
    product text,
    language text,
    market text,
    funnel_stage text,
    current_version integer NOT NULL DEFAULT 1,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE INDEX content_assets_find_idx ON content_assets (workspace_id, funnel_stage, language, product)`,
  `CREATE TABLE content_versions (
    workspace_id text NOT NULL,
    id text NOT NULL,
    asset_id text NOT NULL,
    version integer NOT NULL,
    file_name text,
    mime text,
    bytes bigint,
    storage_key text,
    url text,
    note text,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, asset_id, version),
    FOREIGN KEY (workspace_id, asset_id) REFERENCES content_assets (workspace_id, id)
  )`,
  `CREATE TABLE content_shares (
    workspace_id text NOT NULL,
    id text NOT NULL,
    token text NOT NULL UNIQUE,
    asset_id text NOT NULL,
    contact_id text NOT NULL,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    views integer NOT NULL DEFAULT 0,
    last_viewed_at timestamptz,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, asset_id) REFERENCES content_assets (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
  )`,
  `CREATE INDEX content_shares_asset_idx ON content_shares (workspace_id, asset_id, created_at DESC)`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
