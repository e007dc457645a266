import { type Kysely, sql } from 'kysely';

/**
 * Funnel roll-up (issue #8: funnel by source and month under 300 ms at 1M contacts). Reading every
 * contact of a year, its transitions and deals, takes seconds at that size; the cohort funnel only
 * needs, per day of first touch, source and first-touch campaign, how many contacts reached each
 * stage. `report_contact_funnel` holds each live contact's key and furthest rank (greatest of its
 * stage, its transitions and its deals: a deal makes 4, a won deal 5), so a change can take the old
 * contribution off; `report_funnel_daily` adds them up. Triggers keep both in step with contacts,
 * lifecycle transitions and deals (a contact insert is one set-based statement, so imports do not
 * pay per row); reports.rollup.test.ts shows the roll-up equals the raw computation after inserts,
 * updates and deletes on both engines. The existing rows are counted in once here.
 */
const rank = (col: string) => `(CASE ${col} WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
    WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END)`;

// Each stage column counts the contacts whose furthest rank reached it.
const counts = (r: string) =>
  `count(*), count(*) FILTER (WHERE ${r} >= 1), count(*) FILTER (WHERE ${r} >= 2), count(*) FILTER (WHERE ${r} >= 3),
   count(*) FILTER (WHERE ${r} >= 4), count(*) FILTER (WHERE ${r} >= 5)`;

// A contact's state: its roll-up key and furthest rank (alias c; ws/id columns of c).
const contactState = `
  SELECT c.workspace_id, c.id, (coalesce(c.first_touch_at, c.created_at) AT TIME ZONE 'UTC')::date,
         c.source_channel, c.source_campaign_id,
         greatest(${rank('c.lifecycle_stage')},
           (SELECT max(${rank('lt.to_stage')}) FROM lifecycle_transitions lt
             WHERE lt.workspace_id = c.workspace_id AND lt.contact_id = c.id),
           (SELECT CASE WHEN count(d.won_at) > 0 THEN 5 WHEN count(*) > 0 THEN 4 END FROM deals d
             WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id AND d.deleted_at IS NULL))`;

const statements = [
  `CREATE TABLE report_contact_funnel (
    workspace_id text NOT NULL,
    contact_id text NOT NULL,
    lead_day date NOT NULL,
    source text,
    campaign_id text,
    rank smallint NOT NULL,
    PRIMARY KEY (workspace_id, contact_id)
  )`,
  `CREATE TABLE report_funnel_daily (
    workspace_id text NOT NULL,
    lead_day date NOT NULL,
    source text,
    campaign_id text,
    contacts integer NOT NULL,
    lead integer NOT NULL,
    mql integer NOT NULL,
    sql integer NOT NULL,
    opportunity integer NOT NULL,
    customer integer NOT NULL,
    CONSTRAINT report_funnel_daily_key UNIQUE NULLS NOT DISTINCT (workspace_id, lead_day, source, campaign_id)
  )`,
  // The edges of a period that are not whole UTC days are read from the contacts themselves. The
  // time leads: led by workspace_id the planner took it for plain workspace scans (an import's
  // dedupe went from 9 s to minutes on PGlite).
  `CREATE INDEX contacts_first_touch_idx ON contacts ((coalesce(first_touch_at, created_at)), workspace_id)
     WHERE deleted_at IS NULL`,
  // Recomputes one contact's state and moves its contribution in the daily roll-up.
  `CREATE FUNCTION tandem_funnel_refresh(ws text, cid text) RETURNS void LANGUAGE plpgsql AS $$
   DECLARE
     o report_contact_funnel%ROWTYPE;
     n report_contact_funnel%ROWTYPE;
     had boolean;
     has boolean;
   BEGIN
     SELECT * INTO o FROM report_contact_funnel WHERE workspace_id = ws AND contact_id = cid;
     had := FOUND;
     ${contactState} INTO n FROM contacts c WHERE c.workspace_id = ws AND c.id = cid AND c.deleted_at IS NULL;
     has := FOUND;
     IF had AND has AND o.lead_day = n.lead_day AND o.source IS NOT DISTINCT FROM n.source
        AND o.campaign_id IS NOT DISTINCT FROM n.campaign_id AND o.rank = n.rank THEN
       RETURN;
     END IF;
     IF had THEN
       UPDATE report_funnel_daily SET contacts = contacts - 1, lead = lead - (o.rank >= 1)::int,
         mql = mql - (o.rank >= 2)::int, sql = sql - (o.rank >= 3)::int,
         opportunity = opportunity - (o.rank >= 4)::int, customer = customer - (o.rank >= 5)::int
       WHERE workspace_id = ws AND lead_day = o.lead_day AND source IS NOT DISTINCT FROM o.source
         AND campaign_id IS NOT DISTINCT FROM o.campaign_id;
       DELETE FROM report_funnel_daily WHERE workspace_id = ws AND lead_day = o.lead_day
         AND source IS NOT DISTINCT FROM o.source AND campaign_id IS NOT DISTINCT FROM o.campaign_id AND contacts = 0;
       DELETE FROM report_contact_funnel WHERE workspace_id = ws AND contact_id = cid;
     END IF;
     IF has THEN
       INSERT INTO report_contact_funnel VALUES (n.*);
       INSERT INTO report_funnel_daily AS f VALUES (ws, n.lead_day, n.source, n.campaign_id, 1, (n.rank >= 1)::int,
         (n.rank >= 2)::int, (n.rank >= 3)::int, (n.rank >= 4)::int, (n.rank >= 5)::int)
       ON CONFLICT ON CONSTRAINT report_funnel_daily_key DO UPDATE SET contacts = f.contacts + 1,
         lead = f.lead + EXCLUDED.lead, mql = f.mql + EXCLUDED.mql, sql = f.sql + EXCLUDED.sql,
         opportunity = f.opportunity + EXCLUDED.opportunity, customer = f.customer + EXCLUDED.customer;
     END IF;
   END $$`,
  // New contacts: one set-based statement per INSERT statement (imports insert thousands at once).
  `CREATE FUNCTION tandem_funnel_contacts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     WITH n AS (
       INSERT INTO report_contact_funnel ${contactState} FROM new_rows c WHERE c.deleted_at IS NULL
       ON CONFLICT (workspace_id, contact_id) DO NOTHING
       RETURNING *)
     INSERT INTO report_funnel_daily AS f
     SELECT workspace_id, lead_day, source, campaign_id, ${counts('rank')} FROM n GROUP BY 1, 2, 3, 4
     ON CONFLICT ON CONSTRAINT report_funnel_daily_key DO UPDATE SET contacts = f.contacts + EXCLUDED.contacts,
       lead = f.lead + EXCLUDED.lead, mql = f.mql + EXCLUDED.mql, sql = f.sql + EXCLUDED.sql,
       opportunity = f.opportunity + EXCLUDED.opportunity, customer = f.customer + EXCLUDED.customer;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER report_funnel_contacts_ins AFTER INSERT ON contacts
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tandem_funnel_contacts_inserted()`,
  `CREATE FUNCTION tandem_funnel_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_TABLE_NAME = 'contacts' THEN
       IF TG_OP <> 'INSERT' THEN PERFORM tandem_funnel_refresh(OLD.workspace_id, OLD.id); END IF;
       IF TG_OP = 'UPDATE' AND (NEW.workspace_id, NEW.id) IS DISTINCT FROM (OLD.workspace_id, OLD.id) THEN
         PERFORM tandem_funnel_refresh(NEW.workspace_id, NEW.id);
       END IF;
     ELSE
       IF TG_OP <> 'INSERT' AND OLD.contact_id IS NOT NULL THEN
         PERFORM tandem_funnel_refresh(OLD.workspace_id, OLD.contact_id);
       END IF;
       IF TG_OP <> 'DELETE' AND NEW.contact_id IS NOT NULL
          AND (TG_OP = 'INSERT' OR (NEW.workspace_id, NEW.contact_id) IS DISTINCT FROM (OLD.workspace_id, OLD.contact_id)) THEN
         PERFORM tandem_funnel_refresh(NEW.workspace_id, NEW.contact_id);
       END IF;
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER report_funnel_contacts_upd AFTER UPDATE ON contacts FOR EACH ROW
     WHEN (OLD.first_touch_at IS DISTINCT FROM NEW.first_touch_at OR OLD.created_at IS DISTINCT FROM NEW.created_at
        OR OLD.source_channel IS DISTINCT FROM NEW.source_channel OR OLD.source_campaign_id IS DISTINCT FROM NEW.source_campaign_id
        OR OLD.lifecycle_stage IS DISTINCT FROM NEW.lifecycle_stage OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
        OR OLD.id IS DISTINCT FROM NEW.id OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
     EXECUTE FUNCTION tandem_funnel_row_changed()`,
  `CREATE TRIGGER report_funnel_contacts_del AFTER DELETE ON contacts FOR EACH ROW
     EXECUTE FUNCTION tandem_funnel_row_changed()`,
  `CREATE TRIGGER report_funnel_transitions AFTER INSERT OR UPDATE OR DELETE ON lifecycle_transitions FOR EACH ROW
     EXECUTE FUNCTION tandem_funnel_row_changed()`,
  `CREATE TRIGGER report_funnel_deals_ins_del AFTER INSERT OR DELETE ON deals FOR EACH ROW
     EXECUTE FUNCTION tandem_funnel_row_changed()`,
  `CREATE TRIGGER report_funnel_deals_upd AFTER UPDATE ON deals FOR EACH ROW
     WHEN (OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.won_at IS DISTINCT FROM NEW.won_at
        OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
     EXECUTE FUNCTION tandem_funnel_row_changed()`,
  // The records already there, counted in once (hash joins, not one lookup per contact).
  `INSERT INTO report_contact_funnel
   SELECT c.workspace_id, c.id, (coalesce(c.first_touch_at, c.created_at) AT TIME ZONE 'UTC')::date,
          c.source_channel, c.source_campaign_id, greatest(${rank('c.lifecycle_stage')}, t.rank, dl.rank)
   FROM contacts c
     LEFT JOIN (SELECT workspace_id, contact_id, max(${rank('to_stage')}) AS rank FROM lifecycle_transitions
                GROUP BY 1, 2) t ON t.workspace_id = c.workspace_id AND t.contact_id = c.id
     LEFT JOIN (SELECT workspace_id, contact_id, CASE WHEN count(won_at) > 0 THEN 5 ELSE 4 END AS rank FROM deals
                WHERE deleted_at IS NULL AND contact_id IS NOT NULL GROUP BY 1, 2) dl
       ON dl.workspace_id = c.workspace_id AND dl.contact_id = c.id
   WHERE c.deleted_at IS NULL`,
  `INSERT INTO report_funnel_daily
   SELECT workspace_id, lead_day, source, campaign_id, ${counts('rank')} FROM report_contact_funnel GROUP BY 1, 2, 3, 4`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
