import { type Kysely, sql } from 'kysely';

/**
 * The funnel roll-up's per-contact refresh (0056) is planned afresh on every call. PL/pgSQL caches
 * a generic plan after a few calls; made while lifecycle_transitions was nearly empty, that plan
 * reads it by sequential scan, and it stays cached while the table grows: a recompute that moved
 * 24,000 contacts to `mql` spent half its time rescanning the transitions once per contact.
 */
const statements = [
  `ALTER FUNCTION tandem_funnel_refresh(text, text) SET plan_cache_mode = force_custom_plan`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
