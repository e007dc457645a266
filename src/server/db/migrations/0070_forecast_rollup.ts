import { type Kysely, sql } from 'kysely';

/**
 * Forecast roll-up (issue #8: forecast under 1 s at 1M contacts). The funnel-math forecast and its
 * backtest need, per live contact, when it entered the funnel, when it first made a transition to
 * each rank (any, lead+, mql+, sql+, opportunity+) and when its first live deal was created; read
 * from the records that is a scan of every contact joined to per-contact aggregates of
 * lifecycle_transitions and deals (about 1 s at 1M). The funnel roll-up of 0056 already keeps one
 * row per live contact, refreshed by triggers on exactly those tables, so its table gains these
 * columns instead of a second table with its own triggers: a refresh still probes the transitions
 * and the deals once each (one lateral aggregate each instead of one subquery each), so imports and
 * stage moves pay only for wider rows. reports.rollup.test.ts shows the columns equal the raw
 * computation after inserts, updates and deletes on both engines. A deal's creation time now
 * matters, so the deals update trigger also fires when it changes. The table is rebuilt from the
 * records in one INSERT … SELECT.
 */
const rank = (col: string) => `(CASE ${col} WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
    WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END)`;

const counts = (r: string) =>
  `count(*), count(*) FILTER (WHERE ${r} >= 1), count(*) FILTER (WHERE ${r} >= 2), count(*) FILTER (WHERE ${r} >= 3),
   count(*) FILTER (WHERE ${r} >= 4), count(*) FILTER (WHERE ${r} >= 5)`;

// Per contact: the furthest transition rank and the first transition time at each rank.
const transitionAgg = `max(${rank('lt.to_stage')}) AS rank, min(lt.at) AS a0,
  min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 1) AS a1, min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 2) AS a2,
  min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 3) AS a3, min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 4) AS a4`;
// Per contact: a deal makes 4, a won deal 5; and the first live deal's creation.
const dealAgg = `CASE WHEN count(d.won_at) > 0 THEN 5 WHEN count(*) > 0 THEN 4 END AS rank, min(d.created_at) AS deal_at`;

// A contact's row in report_contact_funnel, in the table's column order (0056's, then this one's).
const contactState = (from: string) => `
  SELECT c.workspace_id, c.id, (coalesce(c.first_touch_at, c.created_at) AT TIME ZONE 'UTC')::date,
         c.source_channel, c.source_campaign_id, greatest(${rank('c.lifecycle_stage')}, t.rank, dl.rank),
         coalesce(c.first_touch_at, c.created_at), t.a0, t.a1, t.a2, t.a3, t.a4, dl.deal_at
  FROM ${from} c
    LEFT JOIN LATERAL (SELECT ${transitionAgg} FROM lifecycle_transitions lt
                       WHERE lt.workspace_id = c.workspace_id AND lt.contact_id = c.id) t ON true
    LEFT JOIN LATERAL (SELECT ${dealAgg} FROM deals d
                       WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id AND d.deleted_at IS NULL) dl ON true`;

/**
 * Every live contact's row, in one statement (hash joins, not one lookup per contact): the
 * migration rebuilds the table with it (an UPDATE of every row would leave it twice its size until
 * a vacuum), the same state the triggers keep (rank as in 0056).
 */
export const fillContactFunnel = `INSERT INTO report_contact_funnel
   SELECT c.workspace_id, c.id, (coalesce(c.first_touch_at, c.created_at) AT TIME ZONE 'UTC')::date,
          c.source_channel, c.source_campaign_id, greatest(${rank('c.lifecycle_stage')}, t.rank, dl.rank),
          coalesce(c.first_touch_at, c.created_at), t.a0, t.a1, t.a2, t.a3, t.a4, dl.deal_at
   FROM contacts c
     LEFT JOIN (SELECT lt.workspace_id, lt.contact_id, ${transitionAgg} FROM lifecycle_transitions lt GROUP BY 1, 2) t
       ON t.workspace_id = c.workspace_id AND t.contact_id = c.id
     LEFT JOIN (SELECT d.workspace_id, d.contact_id, ${dealAgg} FROM deals d
                WHERE d.deleted_at IS NULL AND d.contact_id IS NOT NULL GROUP BY 1, 2) dl
       ON dl.workspace_id = c.workspace_id AND dl.contact_id = c.id
   WHERE c.deleted_at IS NULL`;

const statements = [
  // Rebuilt with the new columns (the daily counts stay: the same rows give the same ranks).
  `DROP TABLE report_contact_funnel`,
  `CREATE TABLE report_contact_funnel (
    workspace_id text NOT NULL,
    contact_id text NOT NULL,
    lead_day date NOT NULL,
    source text,
    campaign_id text,
    rank smallint NOT NULL,
    lead_at timestamptz NOT NULL,
    a0 timestamptz,
    a1 timestamptz,
    a2 timestamptz,
    a3 timestamptz,
    a4 timestamptz,
    deal_at timestamptz,
    PRIMARY KEY (workspace_id, contact_id)
  )`,
  // Same as 0056 (+ 0066's plan setting), with the new columns; a change of them alone rewrites the
  // contact's row without touching the daily counts.
  `CREATE OR REPLACE FUNCTION tandem_funnel_refresh(ws text, cid text) RETURNS void LANGUAGE plpgsql
   SET plan_cache_mode = force_custom_plan AS $$
   DECLARE
     o report_contact_funnel%ROWTYPE;
     n report_contact_funnel%ROWTYPE;
     had boolean;
     has boolean;
   BEGIN
     SELECT * INTO o FROM report_contact_funnel WHERE workspace_id = ws AND contact_id = cid;
     had := FOUND;
     ${contactState('contacts')} WHERE c.workspace_id = ws AND c.id = cid AND c.deleted_at IS NULL INTO n;
     has := FOUND;
     IF had AND has AND o.lead_day = n.lead_day AND o.source IS NOT DISTINCT FROM n.source
        AND o.campaign_id IS NOT DISTINCT FROM n.campaign_id AND o.rank = n.rank THEN
       IF (o.lead_at, o.a0, o.a1, o.a2, o.a3, o.a4, o.deal_at)
          IS DISTINCT FROM (n.lead_at, n.a0, n.a1, n.a2, n.a3, n.a4, n.deal_at) THEN
         UPDATE report_contact_funnel SET lead_at = n.lead_at, a0 = n.a0, a1 = n.a1, a2 = n.a2, a3 = n.a3,
           a4 = n.a4, deal_at = n.deal_at
         WHERE workspace_id = ws AND contact_id = cid;
       END IF;
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
  `CREATE OR REPLACE FUNCTION tandem_funnel_contacts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     WITH n AS (
       INSERT INTO report_contact_funnel ${contactState('new_rows')} WHERE c.deleted_at IS NULL
       ON CONFLICT (workspace_id, contact_id) DO NOTHING
       RETURNING *)
     INSERT INTO report_funnel_daily AS f
     SELECT workspace_id, lead_day, source, campaign_id, ${counts('rank')} FROM n GROUP BY 1, 2, 3, 4
     ON CONFLICT ON CONSTRAINT report_funnel_daily_key DO UPDATE SET contacts = f.contacts + EXCLUDED.contacts,
       lead = f.lead + EXCLUDED.lead, mql = f.mql + EXCLUDED.mql, sql = f.sql + EXCLUDED.sql,
       opportunity = f.opportunity + EXCLUDED.opportunity, customer = f.customer + EXCLUDED.customer;
     RETURN NULL;
   END $$`,
  `DROP TRIGGER report_funnel_deals_upd ON deals`,
  `CREATE TRIGGER report_funnel_deals_upd AFTER UPDATE ON deals FOR EACH ROW
     WHEN (OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.won_at IS DISTINCT FROM NEW.won_at
        OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id
        OR OLD.created_at IS DISTINCT FROM NEW.created_at)
     EXECUTE FUNCTION tandem_funnel_row_changed()`,
  fillContactFunnel,
  // The forecast reads a workspace's contacts by when they entered the funnel (built after the fill).
  `CREATE INDEX report_contact_funnel_lead_at_idx ON report_contact_funnel (workspace_id, lead_at)`,
  // Planned from real statistics at once, not from an empty table's until autovacuum comes by.
  `ANALYZE report_contact_funnel`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
