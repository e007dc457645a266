import { type Kysely, sql } from 'kysely';

/**
 * Routing, the inbox and playbooks read `contacts.score` and `contacts.temperature`, which the
 * scoring module's migration 0015 adds (the shared contract). On a database where 0015 already
 * ran this is a no-op; it only makes the lifecycle module work on its own with the same defaults.
 */
const statements = [
  `ALTER TABLE contacts ADD COLUMN IF NOT EXISTS score integer NOT NULL DEFAULT 0`,
  `ALTER TABLE contacts ADD COLUMN IF NOT EXISTS temperature text NOT NULL DEFAULT 'cold'`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
