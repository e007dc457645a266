import { type Kysely, sql } from 'kysely';

/**
 * Routing and playbook administration. `rep_settings.routing_active` takes a rep out of the
 * round-robin without deactivating the user (they keep working their own leads). A playbook can
 * vary by a saved segment (`segment_id`) besides a market and a tag; no foreign key, on purpose:
 * deleting a segment must not fail or silently widen a playbook, so a playbook whose segment is
 * gone simply never matches (the Playbooks page shows it as a deleted segment).
 */
const statements = [
  `ALTER TABLE rep_settings ADD COLUMN routing_active boolean NOT NULL DEFAULT true`,
  `ALTER TABLE playbooks ADD COLUMN segment_id text`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
