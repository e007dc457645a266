import { type Kysely, sql } from 'kysely';

/**
 * SQL helpers for the reports module: every report is computed in SQL, and money of several
 * currencies must be added up in the workspace's reporting currency at the rate of the day (the
 * same rule as `convertMinor` in deals.currency.ts: the latest rate on or before the day, in either
 * direction of the pair, the stored direction first). Functions keep that rule in one place instead
 * of a copy in every report query. A missing rate gives NULL, which reports count as unconverted.
 */
const statements = [
  `CREATE FUNCTION tandem_minor_digits(currency text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
     SELECT CASE WHEN currency IN ('JPY','KRW','VND','CLP','ISK') THEN 0
                 WHEN currency IN ('BHD','KWD','OMR','TND') THEN 3 ELSE 2 END
   $$`,
  `CREATE FUNCTION tandem_fx_rate(ws text, from_cur text, to_cur text, on_day date) RETURNS numeric
   LANGUAGE sql STABLE AS $$
     SELECT CASE WHEN from_cur = to_cur THEN 1::numeric ELSE (
       SELECT CASE WHEN r.base = from_cur THEN r.rate ELSE 1 / r.rate END
       FROM exchange_rates r
       WHERE r.workspace_id = ws
         AND ((r.base = from_cur AND r.quote = to_cur) OR (r.base = to_cur AND r.quote = from_cur))
         AND r.on_date <= on_day
       ORDER BY r.on_date DESC, (r.base <> from_cur)
       LIMIT 1) END
   $$`,
  `CREATE FUNCTION tandem_to_reporting(ws text, amount_minor bigint, from_cur text, to_cur text, on_day date)
   RETURNS numeric LANGUAGE sql STABLE AS $$
     SELECT CASE WHEN amount_minor IS NULL THEN NULL
                 WHEN from_cur = to_cur THEN amount_minor::numeric
                 ELSE round(amount_minor * tandem_fx_rate(ws, from_cur, to_cur, on_day)
                            * power(10::numeric, tandem_minor_digits(to_cur) - tandem_minor_digits(from_cur))) END
   $$`,
  // Reports join a contact's deals by contact; the won-deal scans read won deals by contact.
  `CREATE INDEX IF NOT EXISTS deals_contact_won_idx ON deals (workspace_id, contact_id, won_at)
     WHERE deleted_at IS NULL`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
