import { type Kysely, sql } from 'kysely';

/**
 * Lifecycle stages and tasks. The stage lives on the contact (read on every list and inbox), and
 * every move is kept in `lifecycle_transitions` with its cause and actor, because velocity reports
 * are computed from those rows. Tasks are sales' to-do items: manual ones and those a playbook made.
 */
const statements = [
  `ALTER TABLE contacts
     ADD COLUMN lifecycle_stage text NOT NULL DEFAULT 'lead' CHECK (lifecycle_stage IN
       ('subscriber','lead','mql','sql','opportunity','customer','disqualified','recycled')),
     ADD COLUMN stage_at timestamptz`,
  `CREATE INDEX contacts_stage_idx ON contacts (workspace_id, lifecycle_stage, stage_at)`,
  `CREATE TABLE lifecycle_transitions (
    workspace_id text NOT NULL,
    id text NOT NULL,
    contact_id text NOT NULL,
    from_stage text NOT NULL,
    to_stage text NOT NULL,
    cause text NOT NULL CHECK (cause IN ('rule','user','import','system')),
    actor_id text,
    reason text,
    at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
  )`,
  `CREATE INDEX lifecycle_transitions_contact_idx ON lifecycle_transitions (workspace_id, contact_id, at)`,
  `CREATE INDEX lifecycle_transitions_to_idx ON lifecycle_transitions (workspace_id, to_stage, at)`,
  `CREATE TABLE tasks (
    workspace_id text NOT NULL,
    id text NOT NULL,
    contact_id text,
    deal_id text,
    owner_id text NOT NULL,
    type text NOT NULL,
    title text NOT NULL,
    notes text,
    due_at timestamptz,
    remind_at timestamptz,
    reminded_at timestamptz,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
    source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','playbook')),
    playbook_step text,
    created_by text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    done_at timestamptz,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id)
  )`,
  `CREATE INDEX tasks_owner_open_idx ON tasks (workspace_id, owner_id, due_at) WHERE status = 'open'`,
  `CREATE INDEX tasks_contact_idx ON tasks (workspace_id, contact_id, created_at)`,
  `CREATE INDEX tasks_deal_idx ON tasks (workspace_id, deal_id) WHERE deal_id IS NOT NULL`,
  // Reminders due: the bounded reminder job reads only open tasks with an unsent reminder.
  `CREATE INDEX tasks_remind_idx ON tasks (remind_at) WHERE status = 'open' AND reminded_at IS NULL`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
