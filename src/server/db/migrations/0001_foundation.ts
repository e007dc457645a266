import { type Kysely, sql } from 'kysely';

/**
 * Foundation: workspaces, users, teams, sessions, API tokens, the append-only audit log,
 * custom fields, companies and contacts. Every key includes workspace_id (Citus-ready).
 */
const statements = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE TABLE workspaces (
    id text PRIMARY KEY,
    name text NOT NULL,
    slug text NOT NULL UNIQUE,
    reporting_currency text NOT NULL DEFAULT 'USD',
    time_zone text NOT NULL DEFAULT 'UTC',
    default_locale text NOT NULL DEFAULT 'en',
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE users (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    email text NOT NULL,
    name text NOT NULL,
    password_hash text,
    role text NOT NULL CHECK (role IN ('admin','marketing','sales_manager','sales_rep','service')),
    locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en','zh-CN')),
    time_zone text NOT NULL DEFAULT 'UTC',
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at timestamptz,
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE UNIQUE INDEX users_email_uq ON users (workspace_id, lower(email))`,
  `CREATE INDEX users_email_idx ON users (lower(email))`,
  `CREATE TABLE teams (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE UNIQUE INDEX teams_name_uq ON teams (workspace_id, lower(name))`,
  `CREATE TABLE team_members (
    workspace_id text NOT NULL,
    team_id text NOT NULL,
    user_id text NOT NULL,
    PRIMARY KEY (workspace_id, team_id, user_id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE INDEX team_members_user_idx ON team_members (workspace_id, user_id)`,
  `CREATE TABLE sessions (
    workspace_id text NOT NULL,
    id text NOT NULL,
    token_hash text NOT NULL,
    user_id text NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ip text,
    user_agent text,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE TABLE api_tokens (
    workspace_id text NOT NULL,
    id text NOT NULL,
    user_id text NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE TABLE audit_log (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    actor_user_id text,
    actor_label text NOT NULL,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id text,
    diff jsonb NOT NULL DEFAULT '{}'::jsonb,
    ip text,
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE INDEX audit_log_at_idx ON audit_log (workspace_id, at DESC, id DESC)`,
  `CREATE INDEX audit_log_entity_idx ON audit_log (workspace_id, entity_type, entity_id, at DESC)`,
  // Append-only by construction: the database itself refuses to change or remove an audit row.
  `CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
   FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`,
  `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
   FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`,
  // Custom field definitions (per workspace and entity); values live in each record's `custom` jsonb.
  `CREATE TABLE custom_fields (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    entity text NOT NULL CHECK (entity IN ('contact','company')),
    key text NOT NULL,
    label text NOT NULL,
    type text NOT NULL CHECK (type IN ('text','number','date','select','multi_select','boolean')),
    options jsonb NOT NULL DEFAULT '[]'::jsonb,
    required boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, entity, key)
  )`,
  // Generated columns keep search and sort keys next to the row so one plain index serves each:
  // search_text (trigram substring search, phone also as bare digits), sort_name (name order),
  // prefix_keys (1- and 2-character prefixes: trigrams cannot serve queries that short).
  `CREATE TABLE companies (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    name text NOT NULL,
    domain text,
    website text,
    industry text,
    employees integer,
    country text,
    phone text,
    owner_id text,
    team_id text,
    tags text[] NOT NULL DEFAULT '{}',
    custom jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    search_text text GENERATED ALWAYS AS (
      lower(name || ' ' || coalesce(domain, '') || ' ' || coalesce(phone, '') || ' ' ||
            coalesce(regexp_replace(phone, '[^0-9]', '', 'g'), ''))
    ) STORED,
    sort_name text GENERATED ALWAYS AS (lower(name)) STORED,
    prefix_keys text[] GENERATED ALWAYS AS (
      ARRAY[left(lower(name), 1), left(lower(name), 2), left(lower(domain), 1), left(lower(domain), 2)]
    ) STORED,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
  )`,
  `CREATE UNIQUE INDEX companies_domain_uq ON companies (workspace_id, lower(domain))
   WHERE deleted_at IS NULL AND domain IS NOT NULL`,
  `CREATE INDEX companies_search_trgm ON companies USING gin (search_text gin_trgm_ops)`,
  `CREATE INDEX companies_prefix_idx ON companies USING gin (prefix_keys)`,
  // Sort indexes cover the live rows only (keyset pages walk them); deleted rows have their own.
  `CREATE INDEX companies_created_idx ON companies (workspace_id, created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX companies_updated_idx ON companies (workspace_id, updated_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX companies_name_idx ON companies (workspace_id, sort_name, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX companies_deleted_idx ON companies (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL`,
  `CREATE INDEX companies_owner_idx ON companies (workspace_id, owner_id)`,
  `CREATE INDEX companies_team_idx ON companies (workspace_id, team_id)`,
  `CREATE INDEX companies_tags_idx ON companies USING gin (tags)`,
  // A finer histogram of search_text lets the planner estimate LIKE '%term%' well enough to choose
  // between walking a sort index (common terms) and the trigram index (rare ones): with the default
  // a rare term was estimated at 1% and a 100k-row walk took over a second.
  `ALTER TABLE companies ALTER COLUMN search_text SET STATISTICS 1000`,
  // company_name is a copy of the linked company's name, kept by the service (same transaction
  // as a rename) so that search over "name, e-mail, phone, company" is one trigram index.
  `CREATE TABLE contacts (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    first_name text,
    last_name text,
    email text,
    phone text,
    title text,
    company_id text,
    company_name text,
    owner_id text,
    team_id text,
    country text,
    language text,
    tags text[] NOT NULL DEFAULT '{}',
    custom jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    search_text text GENERATED ALWAYS AS (
      lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' ||
            coalesce(phone, '') || ' ' || coalesce(regexp_replace(phone, '[^0-9]', '', 'g'), '') || ' ' ||
            coalesce(company_name, ''))
    ) STORED,
    sort_name text GENERATED ALWAYS AS (
      lower(coalesce(last_name, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(email, ''))
    ) STORED,
    sort_email text GENERATED ALWAYS AS (lower(coalesce(email, ''))) STORED,
    prefix_keys text[] GENERATED ALWAYS AS (
      ARRAY[left(lower(first_name), 1), left(lower(first_name), 2), left(lower(last_name), 1),
            left(lower(last_name), 2), left(lower(email), 1), left(lower(email), 2),
            left(lower(company_name), 1), left(lower(company_name), 2)]
    ) STORED,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
  )`,
  `CREATE UNIQUE INDEX contacts_email_uq ON contacts (workspace_id, lower(email))
   WHERE deleted_at IS NULL AND email IS NOT NULL`,
  `CREATE INDEX contacts_search_trgm ON contacts USING gin (search_text gin_trgm_ops)`,
  `CREATE INDEX contacts_prefix_idx ON contacts USING gin (prefix_keys)`,
  `CREATE INDEX contacts_created_idx ON contacts (workspace_id, created_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX contacts_updated_idx ON contacts (workspace_id, updated_at, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX contacts_name_idx ON contacts (workspace_id, sort_name, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX contacts_email_sort_idx ON contacts (workspace_id, sort_email, id) WHERE deleted_at IS NULL`,
  // A whole e-mail address is searched as a prefix of sort_email (dozens of trigrams are slow).
  `CREATE INDEX contacts_email_prefix_idx ON contacts (workspace_id, sort_email text_pattern_ops)`,
  `CREATE INDEX contacts_deleted_idx ON contacts (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL`,
  `CREATE INDEX contacts_company_idx ON contacts (workspace_id, company_id)`,
  `CREATE INDEX contacts_owner_idx ON contacts (workspace_id, owner_id)`,
  `CREATE INDEX contacts_team_idx ON contacts (workspace_id, team_id)`,
  `CREATE INDEX contacts_country_idx ON contacts (workspace_id, country)`,
  `CREATE INDEX contacts_tags_idx ON contacts USING gin (tags)`,
  `ALTER TABLE contacts ALTER COLUMN search_text SET STATISTICS 1000`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
