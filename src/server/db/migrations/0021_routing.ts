import { type Kysely, sql } from 'kysely';

/**
 * Routing, SLA and playbooks. `lead_assignments` is the history of who got which lead by which rule;
 * at most one assignment per contact is open at a time (a unique partial index), which is what
 * makes "never assigned twice" hold even under concurrent arrivals. The SLA clock of a lead lives
 * on its open assignment. Playbooks are the workspace's own edits; shipped defaults live in code.
 */
const statements = [
  `CREATE TABLE lifecycle_settings (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id)
  )`,
  `CREATE TABLE rep_settings (
    workspace_id text NOT NULL,
    user_id text NOT NULL,
    weight integer NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 100),
    monthly_capacity integer CHECK (monthly_capacity >= 0),
    away_from timestamptz,
    away_until timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE TABLE team_routing (
    workspace_id text NOT NULL,
    team_id text NOT NULL,
    manager_id text,
    PRIMARY KEY (workspace_id, team_id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, manager_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE TABLE routing_rules (
    workspace_id text NOT NULL,
    id text NOT NULL,
    position integer NOT NULL,
    name text NOT NULL,
    team_id text NOT NULL,
    conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
  )`,
  `CREATE INDEX routing_rules_position_idx ON routing_rules (workspace_id, position)`,
  `CREATE TABLE lead_assignments (
    workspace_id text NOT NULL,
    id text NOT NULL,
    contact_id text NOT NULL,
    user_id text,
    team_id text,
    kind text NOT NULL CHECK (kind IN ('rule','account','overflow','manual','unrouted')),
    rule_id text,
    rule_label text NOT NULL,
    previous_owner_id text,
    actor_id text,
    hot boolean NOT NULL DEFAULT false,
    assigned_at timestamptz NOT NULL,
    sla_due_at timestamptz NOT NULL,
    first_sales_touch_at timestamptz,
    breached_at timestamptz,
    ended_at timestamptz,
    end_reason text,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE UNIQUE INDEX lead_assignments_open_uq ON lead_assignments (workspace_id, contact_id) WHERE ended_at IS NULL`,
  `CREATE INDEX lead_assignments_user_month_idx ON lead_assignments (workspace_id, user_id, assigned_at)`,
  `CREATE INDEX lead_assignments_contact_idx ON lead_assignments (workspace_id, contact_id, assigned_at)`,
  // The SLA job reads only open, untouched assignments, by due time: bounded however old the data.
  `CREATE INDEX lead_assignments_sla_idx ON lead_assignments (sla_due_at)
     WHERE ended_at IS NULL AND first_sales_touch_at IS NULL`,
  `CREATE TABLE playbooks (
    workspace_id text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    temperature text NOT NULL CHECK (temperature IN ('cold','warm','hot')),
    countries text[] NOT NULL DEFAULT '{}',
    segment text,
    steps jsonb NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE INDEX playbooks_temperature_idx ON playbooks (workspace_id, temperature)`,
  // The temperature the contact's playbook last ran for: the playbook job picks up owned leads
  // whose temperature moved since, so a warm lead turning hot gets the hot steps once.
  `ALTER TABLE contacts ADD COLUMN playbook_temperature text`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
