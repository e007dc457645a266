import { type Kysely, sql } from 'kysely';

/**
 * Lead scoring: each contact's score and temperature, plus what is needed to keep them current
 * without rescanning: the fit part (rules over fields) and the engagement part (decaying touch
 * points) stored apart, the engagement valued as of score_at, and score_due_at, the moment the
 * decayed score drops below the contact's temperature threshold (null when it never will), so
 * the decay job visits only contacts whose temperature actually changes.
 */
const statements = [
  `ALTER TABLE contacts
     ADD COLUMN score integer NOT NULL DEFAULT 0,
     ADD COLUMN temperature text NOT NULL DEFAULT 'cold',
     ADD COLUMN score_at timestamptz,
     ADD COLUMN score_fit integer NOT NULL DEFAULT 0,
     ADD COLUMN score_engagement double precision NOT NULL DEFAULT 0,
     ADD COLUMN score_due_at timestamptz`,
  `ALTER TABLE contacts ADD CONSTRAINT contacts_temperature_check CHECK (temperature IN ('cold','warm','hot'))`,
  // Only warm and hot contacts with decaying engagement have a due time: a small partial index.
  `CREATE INDEX contacts_score_due_idx ON contacts (score_due_at, workspace_id, id) WHERE score_due_at IS NOT NULL`,
  // One scoring model (fit rules, engagement points, thresholds) per workspace; none saved = defaults.
  `CREATE TABLE scoring_models (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    version integer NOT NULL,
    model jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text,
    PRIMARY KEY (workspace_id)
  )`,
  // A full recompute after a model change: keyset progress (after_id) committed with each batch,
  // so a crashed job resumes where it stopped and no contact is scored twice.
  `CREATE TABLE score_recomputes (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    model_version integer NOT NULL,
    status text NOT NULL CHECK (status IN ('queued','running','done','superseded')),
    total integer NOT NULL DEFAULT 0,
    processed integer NOT NULL DEFAULT 0,
    changed integer NOT NULL DEFAULT 0,
    after_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE INDEX score_recomputes_created_idx ON score_recomputes (workspace_id, created_at DESC)`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
