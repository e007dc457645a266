import { type Kysely, sql } from 'kysely';

/**
 * Team quotas: a manager sets and approves a team's annual and quarterly quota alongside its reps'
 * (the team figure is its own target, not only the sum of its members'). Same shape and rules as
 * `quotas` (0060): the quarters add up to the year, approval is recorded with who and when.
 */
const statements = [
  `CREATE TABLE team_quotas (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    team_id text NOT NULL,
    year integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    annual_minor bigint NOT NULL CHECK (annual_minor >= 0),
    q1_minor bigint NOT NULL CHECK (q1_minor >= 0),
    q2_minor bigint NOT NULL CHECK (q2_minor >= 0),
    q3_minor bigint NOT NULL CHECK (q3_minor >= 0),
    q4_minor bigint NOT NULL CHECK (q4_minor >= 0),
    suggested_minor bigint NOT NULL CHECK (suggested_minor >= 0),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','approved')),
    approved_by text,
    approved_at timestamptz,
    updated_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, team_id, year),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id) ON DELETE CASCADE,
    CHECK (annual_minor = q1_minor + q2_minor + q3_minor + q4_minor)
  )`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
