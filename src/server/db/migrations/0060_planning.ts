import { type Kysely, sql } from 'kysely';

/**
 * Planning: quotas per rep and year (suggested by the planner, edited and approved by a manager)
 * and the multi-year plan's targets per year, market, segment and product. An empty market,
 * segment or product means "all" (a total row), so the unique key works without NULLs.
 */
const statements = [
  `CREATE TABLE quotas (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    user_id text NOT NULL,
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
    PRIMARY KEY (workspace_id, user_id, year),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id),
    CHECK (annual_minor = q1_minor + q2_minor + q3_minor + q4_minor)
  )`,
  `CREATE TABLE plan_targets (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    id text NOT NULL,
    year integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    market text NOT NULL DEFAULT '',
    segment text NOT NULL DEFAULT '',
    product text NOT NULL DEFAULT '',
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    revenue_minor bigint NOT NULL CHECK (revenue_minor >= 0),
    customers integer NOT NULL CHECK (customers >= 0),
    leads integer NOT NULL CHECK (leads >= 0),
    updated_by text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT plan_targets_cell_key UNIQUE (workspace_id, year, market, segment, product)
  )`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
