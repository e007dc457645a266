import { type Kysely, sql } from 'kysely';

/**
 * Web forms: definitions, their submissions, the consent each submitter was shown, and the secret
 * that signs the fill-time token of a rendered form. Public pages look a form up by its id alone
 * (the URL carries no workspace), hence the plain index on id; ids are 80 random bits plus a time.
 */
const statements = [
  `CREATE TABLE forms (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    name text NOT NULL,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','archived')),
    title jsonb,
    submit_label jsonb,
    fields jsonb NOT NULL,
    consent jsonb,
    success jsonb NOT NULL,
    campaign_id text,
    hand_raise boolean NOT NULL DEFAULT false,
    tags text[] NOT NULL DEFAULT '{}',
    submissions integer NOT NULL DEFAULT 0,
    spam_dropped integer NOT NULL DEFAULT 0,
    last_submission_at timestamptz,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE INDEX forms_public_id_idx ON forms (id)`,
  `CREATE TABLE form_submissions (
    workspace_id text NOT NULL,
    id text NOT NULL,
    form_id text NOT NULL,
    contact_id text NOT NULL,
    contact_created boolean NOT NULL,
    touch_id text,
    data jsonb NOT NULL,
    utm jsonb NOT NULL DEFAULT '{}'::jsonb,
    referrer text,
    page_url text,
    locale text NOT NULL,
    ip text,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, form_id) REFERENCES forms (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
  )`,
  `CREATE INDEX form_submissions_form_idx ON form_submissions (workspace_id, form_id, id DESC)`,
  `CREATE INDEX form_submissions_contact_idx ON form_submissions (workspace_id, contact_id)`,
  // The consent record is evidence: the exact text shown, in the language shown, and the answer.
  `CREATE TABLE consents (
    workspace_id text NOT NULL,
    id text NOT NULL,
    contact_id text NOT NULL,
    source text NOT NULL DEFAULT 'form',
    form_id text,
    submission_id text,
    text text NOT NULL,
    locale text NOT NULL,
    granted boolean NOT NULL,
    ip text,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, form_id) REFERENCES forms (workspace_id, id),
    FOREIGN KEY (workspace_id, submission_id) REFERENCES form_submissions (workspace_id, id)
  )`,
  `CREATE INDEX consents_contact_idx ON consents (workspace_id, contact_id, created_at DESC)`,
  `CREATE INDEX consents_submission_idx ON consents (workspace_id, submission_id)`,
  `CREATE FUNCTION consents_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'consents are append-only' USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE TRIGGER consents_no_update_delete BEFORE UPDATE OR DELETE ON consents
   FOR EACH ROW EXECUTE FUNCTION consents_are_append_only()`,
  // Signs the fill-time token of rendered forms; generated on first use, never leaves the database.
  `CREATE TABLE form_secrets (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    secret text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id)
  )`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
