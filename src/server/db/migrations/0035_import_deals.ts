import { type Kysely, sql } from 'kysely';

/**
 * Deals join the generic CSV/XLSX importer: an import's entity may now be `deals`. The check is
 * dropped and added again by its name (PostgreSQL names an inline column check `<table>_<column>_check`).
 */
const statements = [
  `ALTER TABLE imports DROP CONSTRAINT imports_entity_check`,
  `ALTER TABLE imports ADD CONSTRAINT imports_entity_check
     CHECK (entity IN ('contacts','companies','touches','deals'))`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
