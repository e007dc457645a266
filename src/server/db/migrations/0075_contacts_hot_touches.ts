import { type Kysely, sql } from 'kysely';

/**
 * Every touch batch updates its contacts' touch count, first/last touch and source (touches.repo).
 * Those updates paid for all of the contact's indexes (17, a trigram GIN among them) for two reasons:
 * - `contacts_first_touch_idx` (0056) indexed the first touch time, so a touch earlier than a
 *   contact's first (every new lead's first touch) changed an indexed value;
 * - bulk-loaded pages were full, leaving no room for the new row version on the same page.
 * Either makes an update non-HOT. The reports now find contacts by lead time through the funnel
 * roll-up's own index (report_contact_funnel.lead_at, kept by 0056/0070 in the same transaction),
 * so the contacts index goes; and contacts pages keep 15 % free for updated versions. Existing full
 * pages heal on their own: a non-HOT update moves the row to a page written with this fill factor.
 */
const statements = ['DROP INDEX contacts_first_touch_idx', 'ALTER TABLE contacts SET (fillfactor = 85)'];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
