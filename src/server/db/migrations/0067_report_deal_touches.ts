import { type Kysely, sql } from 'kysely';

/**
 * Attribution roll-up (issue #8: all six attribution models for one year under 2 s at 1M contacts
 * and 10M touches). Attribution credits each won deal's revenue to its contact's counted touches
 * before the win; finding those touches took one index probe per won deal into every monthly touch
 * partition before its win (15–28 of them), about 3 s for a year's wins. `report_deal_touches`
 * holds that join, one row per (live won deal, counted touch of its contact before the win), with
 * the deal's won_at so a period's paths are one index range. It holds no money and no model: the
 * report still reads amounts from deals and computes every model in SQL from these rows.
 *
 * Triggers keep it equal to the join: touches inserted, updated or deleted (statement-level, so an
 * import of a million touches is one join, not a million calls; an UPDATE that moves a touch to
 * another month's partition fires only the UPDATE statement triggers, whose transition tables hold
 * it), and deals inserted, won, un-won, moved to another contact, deleted or restored.
 * reports.rollup.test.ts shows the roll-up equals the raw join, and the report equals the report
 * computed without it, after inserts, updates and deletes on both engines. The existing won deals
 * are filled in once here, set-based.
 */
const COUNTED = `t.type NOT IN ('deal_won', 'deal_lost', 'note')`;
// One path row from a deal d and a touch t.
const pathRow = `d.workspace_id, d.id, d.won_at, t.occurred_at, t.id, t.campaign_id, t.channel, t.type`;
const joinOn = `t.workspace_id = d.workspace_id AND t.contact_id = d.contact_id AND t.occurred_at < d.won_at
    AND ${COUNTED} AND d.won_at IS NOT NULL AND d.deleted_at IS NULL`;

const statements = [
  `CREATE TABLE report_deal_touches (
    workspace_id text NOT NULL,
    deal_id text NOT NULL,
    won_at timestamptz NOT NULL,
    occurred_at timestamptz NOT NULL,
    touch_id text NOT NULL,
    campaign_id text,
    channel text,
    type text NOT NULL,
    PRIMARY KEY (workspace_id, deal_id, occurred_at, touch_id)
  )`,
  // The report reads a period's paths by won_at; touch changes find their rows by touch.
  `CREATE INDEX report_deal_touches_won_idx ON report_deal_touches (workspace_id, won_at)`,
  `CREATE INDEX report_deal_touches_touch_idx ON report_deal_touches (workspace_id, touch_id)`,
  `CREATE FUNCTION tandem_deal_touches_touches_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO report_deal_touches SELECT ${pathRow} FROM new_rows t JOIN deals d ON ${joinOn};
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION tandem_deal_touches_touches_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     DELETE FROM report_deal_touches r USING old_rows o
     WHERE r.workspace_id = o.workspace_id AND r.touch_id = o.id AND r.occurred_at = o.occurred_at;
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION tandem_deal_touches_touches_updated() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     DELETE FROM report_deal_touches r USING old_rows o
     WHERE r.workspace_id = o.workspace_id AND r.touch_id = o.id AND r.occurred_at = o.occurred_at;
     INSERT INTO report_deal_touches SELECT ${pathRow} FROM new_rows t JOIN deals d ON ${joinOn};
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER report_deal_touches_touches_ins AFTER INSERT ON touches
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tandem_deal_touches_touches_inserted()`,
  `CREATE TRIGGER report_deal_touches_touches_del AFTER DELETE ON touches
     REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tandem_deal_touches_touches_deleted()`,
  `CREATE TRIGGER report_deal_touches_touches_upd AFTER UPDATE ON touches
     REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
     EXECUTE FUNCTION tandem_deal_touches_touches_updated()`,
  `CREATE FUNCTION tandem_deal_touches_deals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO report_deal_touches SELECT ${pathRow} FROM new_rows d JOIN touches t ON ${joinOn};
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER report_deal_touches_deals_ins AFTER INSERT ON deals
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tandem_deal_touches_deals_inserted()`,
  // A deal's path is rewritten whole when it is won, un-won, moved or (un)deleted: a few rows.
  `CREATE FUNCTION tandem_deal_touches_deal_changed() RETURNS trigger LANGUAGE plpgsql
   SET plan_cache_mode = force_custom_plan AS $$
   BEGIN
     IF TG_OP <> 'INSERT' THEN
       DELETE FROM report_deal_touches WHERE workspace_id = OLD.workspace_id AND deal_id = OLD.id;
     END IF;
     IF TG_OP <> 'DELETE' AND NEW.won_at IS NOT NULL AND NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL THEN
       INSERT INTO report_deal_touches
       SELECT NEW.workspace_id, NEW.id, NEW.won_at, t.occurred_at, t.id, t.campaign_id, t.channel, t.type
       FROM touches t
       WHERE t.workspace_id = NEW.workspace_id AND t.contact_id = NEW.contact_id AND t.occurred_at < NEW.won_at
         AND ${COUNTED};
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER report_deal_touches_deals_upd AFTER UPDATE ON deals FOR EACH ROW
     WHEN (OLD.won_at IS DISTINCT FROM NEW.won_at OR OLD.contact_id IS DISTINCT FROM NEW.contact_id
        OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.id IS DISTINCT FROM NEW.id
        OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
     EXECUTE FUNCTION tandem_deal_touches_deal_changed()`,
  `CREATE TRIGGER report_deal_touches_deals_del AFTER DELETE ON deals FOR EACH ROW
     EXECUTE FUNCTION tandem_deal_touches_deal_changed()`,
  // The won deals already there, filled in once (in won_at order, so a period's rows sit together).
  `INSERT INTO report_deal_touches
   SELECT ${pathRow} FROM deals d JOIN touches t ON ${joinOn}
   ORDER BY d.workspace_id, d.won_at, d.id`,
  `ANALYZE report_deal_touches`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
