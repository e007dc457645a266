import { type Kysely, sql } from 'kysely';

/**
 * Score state moves out of `contacts` into a narrow table of its own. Every rescore (a touch, a
 * field change, the decay job, a full recompute after a rule change) rewrote the contact row, and a
 * rewritten contacts row costs an entry in each of its 17 indexes (trigram and prefix search, sort
 * orders, owner, team, country, e-mail…): at a million contacts a recompute spent nine tenths of its
 * time there. A contact without a row here has never been scored: score 0, cold (readers LEFT JOIN
 * and coalesce, so importing a million contacts writes nothing here). Deleting a contact row
 * (erasure) deletes its score with it.
 */
const statements = [
  `CREATE TABLE contact_scores (
    workspace_id text NOT NULL,
    contact_id text NOT NULL,
    score integer NOT NULL DEFAULT 0,
    temperature text NOT NULL DEFAULT 'cold' CHECK (temperature IN ('cold','warm','hot')),
    fit integer NOT NULL DEFAULT 0,
    engagement double precision NOT NULL DEFAULT 0,
    score_at timestamptz,
    due_at timestamptz,
    PRIMARY KEY (workspace_id, contact_id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id) ON DELETE CASCADE
  )`,
  // Only warm and hot contacts with decaying engagement have a due time: a small partial index.
  `CREATE INDEX contact_scores_due_idx ON contact_scores (due_at, workspace_id, contact_id)
     WHERE due_at IS NOT NULL`,
  `INSERT INTO contact_scores (workspace_id, contact_id, score, temperature, fit, engagement, score_at, due_at)
   SELECT workspace_id, id, score, temperature, score_fit, score_engagement, score_at, score_due_at
   FROM contacts
   WHERE score_at IS NOT NULL OR score <> 0 OR temperature <> 'cold' OR score_fit <> 0 OR score_engagement <> 0`,
  `ALTER TABLE contacts
     DROP COLUMN score, DROP COLUMN temperature, DROP COLUMN score_at, DROP COLUMN score_fit,
     DROP COLUMN score_engagement, DROP COLUMN score_due_at`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
