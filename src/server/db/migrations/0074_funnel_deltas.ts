import { type Kysely, sql } from 'kysely';

/**
 * The funnel roll-up's per-day counts (0056) were updated inside every transaction that moved a
 * contact: a touch batch that set first touches and stages moved the counts of many days, locking
 * those rows in whatever order its contacts came. Four touch batches in parallel deadlocked on
 * them nearly every time (HTTP 500s in the ingest benchmark). Now a change appends its difference
 * to `report_funnel_delta` (inserts only: nothing to wait for, nothing to deadlock on), readers add
 * the deltas not yet folded in to the daily rows, and `tandem_funnel_compact()` folds them in,
 * one compactor at a time (a job each minute). Per contact nothing changes: each transaction
 * still rewrites only its own contacts' rows in report_contact_funnel. And a contacts UPDATE
 * statement now refreshes its changed contacts set-based, in one statement: a 1,000-touch batch
 * that moved 1,000 first touches spent 0.8 s in per-row refreshes.
 */
const COUNTS = 'contacts, lead, mql, sql, opportunity, customer';

/** A contribution of rank expression `r` times sign `s` (+1 or -1), in COUNTS order. */
const contribution = (s: string, r: string) =>
  `${s}, ${[1, 2, 3, 4, 5].map((k) => `${s} * (${r} >= ${k})::int`).join(', ')}`;

const counts = (r: string) =>
  `count(*), ${[1, 2, 3, 4, 5].map((k) => `count(*) FILTER (WHERE ${r} >= ${k})`).join(', ')}`;

const rank = (col: string) => `(CASE ${col} WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
    WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END)`;

// Per contact: the furthest transition rank and the first transition time at each rank (as 0070).
const transitionAgg = `max(${rank('lt.to_stage')}) AS rank, min(lt.at) AS a0,
  min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 1) AS a1, min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 2) AS a2,
  min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 3) AS a3, min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 4) AS a4`;
const dealAgg = `CASE WHEN count(d.won_at) > 0 THEN 5 WHEN count(*) > 0 THEN 4 END AS rank, min(d.created_at) AS deal_at`;

// A contact's row in report_contact_funnel, in the table's column order (as 0070).
const contactState = (from: string) => `
  SELECT c.workspace_id, c.id, (coalesce(c.first_touch_at, c.created_at) AT TIME ZONE 'UTC')::date,
         c.source_channel, c.source_campaign_id, greatest(${rank('c.lifecycle_stage')}, t.rank, dl.rank),
         coalesce(c.first_touch_at, c.created_at), t.a0, t.a1, t.a2, t.a3, t.a4, dl.deal_at
  FROM ${from} c
    LEFT JOIN LATERAL (SELECT ${transitionAgg} FROM lifecycle_transitions lt
                       WHERE lt.workspace_id = c.workspace_id AND lt.contact_id = c.id) t ON true
    LEFT JOIN LATERAL (SELECT ${dealAgg} FROM deals d
                       WHERE d.workspace_id = c.workspace_id AND d.contact_id = c.id AND d.deleted_at IS NULL) dl ON true`;

/** The rank moves of CTE `o` (as 0073) applied to the contacts' rows and appended as deltas. */
const apply = (times: string[]) => `
     u AS (
       UPDATE report_contact_funnel f SET rank = o.new_rank, ${times.map((c) => `${c} = o.${c}`).join(', ')}
       FROM o WHERE f.workspace_id = o.workspace_id AND f.contact_id = o.contact_id)
     INSERT INTO report_funnel_delta (workspace_id, lead_day, source, campaign_id, ${COUNTS})
     SELECT workspace_id, lead_day, source, campaign_id, 0,
            ${[1, 2, 3, 4, 5].map((k) => `sum((new_rank >= ${k})::int - (old_rank >= ${k})::int)`).join(', ')}
     FROM o WHERE new_rank > old_rank GROUP BY 1, 2, 3, 4;`;

const TRANSITION_TIMES = ['a0', 'a1', 'a2', 'a3', 'a4'];

const statements = [
  `CREATE TABLE report_funnel_delta (
    workspace_id text NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    lead_day date NOT NULL,
    source text,
    campaign_id text,
    contacts integer NOT NULL,
    lead integer NOT NULL,
    mql integer NOT NULL,
    sql integer NOT NULL,
    opportunity integer NOT NULL,
    customer integer NOT NULL,
    PRIMARY KEY (workspace_id, id)
  )`,
  `CREATE INDEX report_funnel_delta_day_idx ON report_funnel_delta (workspace_id, lead_day)`,
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
       INSERT INTO report_funnel_delta (workspace_id, lead_day, source, campaign_id, ${COUNTS})
       VALUES (ws, o.lead_day, o.source, o.campaign_id, ${contribution('-1', 'o.rank')});
       DELETE FROM report_contact_funnel WHERE workspace_id = ws AND contact_id = cid;
     END IF;
     IF has THEN
       INSERT INTO report_contact_funnel VALUES (n.*);
       INSERT INTO report_funnel_delta (workspace_id, lead_day, source, campaign_id, ${COUNTS})
       VALUES (ws, n.lead_day, n.source, n.campaign_id, ${contribution('1', 'n.rank')});
     END IF;
   END $$`,
  `CREATE OR REPLACE FUNCTION tandem_funnel_contacts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     WITH n AS (
       INSERT INTO report_contact_funnel ${contactState('new_rows')} WHERE c.deleted_at IS NULL
       ON CONFLICT (workspace_id, contact_id) DO NOTHING
       RETURNING *)
     INSERT INTO report_funnel_delta (workspace_id, lead_day, source, campaign_id, ${COUNTS})
     SELECT workspace_id, lead_day, source, campaign_id, ${counts('rank')} FROM n GROUP BY 1, 2, 3, 4;
     RETURN NULL;
   END $$`,
  `CREATE OR REPLACE FUNCTION tandem_funnel_deals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     WITH n AS (
       SELECT workspace_id, contact_id, CASE WHEN count(won_at) > 0 THEN 5 ELSE 4 END AS rank,
              min(created_at) AS deal_at
       FROM new_rows WHERE contact_id IS NOT NULL AND deleted_at IS NULL GROUP BY 1, 2),
     o AS (
       SELECT f.workspace_id, f.contact_id, f.lead_day, f.source, f.campaign_id, f.rank AS old_rank,
              greatest(f.rank, n.rank) AS new_rank, least(f.deal_at, n.deal_at) AS deal_at
       FROM report_contact_funnel f JOIN n ON n.workspace_id = f.workspace_id AND n.contact_id = f.contact_id
       WHERE n.rank > f.rank OR f.deal_at IS NULL OR n.deal_at < f.deal_at),
     ${apply(['deal_at'])}
     RETURN NULL;
   END $$`,
  `CREATE OR REPLACE FUNCTION tandem_funnel_transitions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     WITH n AS (
       SELECT workspace_id, contact_id, max(${rank('to_stage')}) AS rank, min(at) AS a0,
              ${[1, 2, 3, 4].map((r) => `min(at) FILTER (WHERE ${rank('to_stage')} >= ${r}) AS a${r}`).join(', ')}
       FROM new_rows GROUP BY 1, 2),
     o AS (
       SELECT f.workspace_id, f.contact_id, f.lead_day, f.source, f.campaign_id, f.rank AS old_rank,
              greatest(f.rank, n.rank) AS new_rank,
              ${TRANSITION_TIMES.map((c) => `least(f.${c}, n.${c}) AS ${c}`).join(', ')}
       FROM report_contact_funnel f JOIN n ON n.workspace_id = f.workspace_id AND n.contact_id = f.contact_id
       WHERE (f.rank, ${TRANSITION_TIMES.map((c) => `f.${c}`).join(', ')}) IS DISTINCT FROM
             (greatest(f.rank, n.rank), ${TRANSITION_TIMES.map((c) => `least(f.${c}, n.${c})`).join(', ')})),
     ${apply(TRANSITION_TIMES)}
     RETURN NULL;
   END $$`,
  // A contacts UPDATE statement (a touch batch setting first touches, a recompute moving stages)
  // refreshes its changed contacts in one statement instead of one call per row: the new states
  // upserted, the contacts gone deleted, the net differences appended as deltas.
  `CREATE FUNCTION tandem_funnel_contacts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     WITH ch AS (
       SELECT n.workspace_id, n.id FROM new_rows n JOIN old_rows o ON o.workspace_id = n.workspace_id AND o.id = n.id
       WHERE (o.first_touch_at, o.created_at, o.source_channel, o.source_campaign_id, o.lifecycle_stage, o.deleted_at)
             IS DISTINCT FROM (n.first_touch_at, n.created_at, n.source_channel, n.source_campaign_id, n.lifecycle_stage,
                               n.deleted_at)
       UNION
       SELECT o.workspace_id, o.id FROM old_rows o
       WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.workspace_id = o.workspace_id AND n.id = o.id)
       UNION
       SELECT n.workspace_id, n.id FROM new_rows n
       WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.workspace_id = n.workspace_id AND o.id = n.id)),
     n (workspace_id, contact_id, lead_day, source, campaign_id, rank, lead_at, a0, a1, a2, a3, a4, deal_at) AS (
       ${contactState('(SELECT c0.* FROM contacts c0 JOIN ch ON ch.workspace_id = c0.workspace_id AND ch.id = c0.id)')}
       WHERE c.deleted_at IS NULL),
     o AS (
       SELECT f.* FROM report_contact_funnel f JOIN ch ON ch.workspace_id = f.workspace_id AND ch.id = f.contact_id),
     up AS (
       INSERT INTO report_contact_funnel SELECT * FROM n
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET lead_day = EXCLUDED.lead_day, source = EXCLUDED.source,
         campaign_id = EXCLUDED.campaign_id, rank = EXCLUDED.rank, lead_at = EXCLUDED.lead_at, a0 = EXCLUDED.a0,
         a1 = EXCLUDED.a1, a2 = EXCLUDED.a2, a3 = EXCLUDED.a3, a4 = EXCLUDED.a4, deal_at = EXCLUDED.deal_at),
     gone AS (
       DELETE FROM report_contact_funnel f USING o
       WHERE f.workspace_id = o.workspace_id AND f.contact_id = o.contact_id
         AND NOT EXISTS (SELECT 1 FROM n WHERE n.workspace_id = o.workspace_id AND n.contact_id = o.contact_id))
     INSERT INTO report_funnel_delta (workspace_id, lead_day, source, campaign_id, ${COUNTS})
     SELECT workspace_id, lead_day, source, campaign_id, sum(contacts), sum(lead), sum(mql), sum(sql),
            sum(opportunity), sum(customer)
     FROM (SELECT workspace_id, lead_day, source, campaign_id, ${contribution('-1', 'rank')} FROM o
           UNION ALL
           SELECT workspace_id, lead_day, source, campaign_id, ${contribution('1', 'rank')} FROM n)
          AS x (workspace_id, lead_day, source, campaign_id, ${COUNTS})
     GROUP BY 1, 2, 3, 4
     HAVING sum(contacts) <> 0 OR sum(lead) <> 0 OR sum(mql) <> 0 OR sum(sql) <> 0 OR sum(opportunity) <> 0
         OR sum(customer) <> 0;
     RETURN NULL;
   END $$`,
  `DROP TRIGGER report_funnel_contacts_upd ON contacts`,
  `CREATE TRIGGER report_funnel_contacts_upd AFTER UPDATE ON contacts
     REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
     EXECUTE FUNCTION tandem_funnel_contacts_updated()`,
  // Folds every committed delta into the daily rows; the advisory lock keeps it to one at a time
  // (the daily rows then have one writer, so nothing deadlocks on them). Returns the day rows written.
  `CREATE FUNCTION tandem_funnel_compact() RETURNS integer LANGUAGE plpgsql AS $$
   DECLARE
     written integer;
   BEGIN
     PERFORM pg_advisory_xact_lock(hashtext('tandem_funnel_compact'));
     WITH moved AS (DELETE FROM report_funnel_delta RETURNING *)
     INSERT INTO report_funnel_daily AS f
     SELECT workspace_id, lead_day, source, campaign_id, sum(contacts), sum(lead), sum(mql), sum(sql),
            sum(opportunity), sum(customer)
     FROM moved GROUP BY 1, 2, 3, 4
     ON CONFLICT ON CONSTRAINT report_funnel_daily_key DO UPDATE SET contacts = f.contacts + EXCLUDED.contacts,
       lead = f.lead + EXCLUDED.lead, mql = f.mql + EXCLUDED.mql, sql = f.sql + EXCLUDED.sql,
       opportunity = f.opportunity + EXCLUDED.opportunity, customer = f.customer + EXCLUDED.customer;
     GET DIAGNOSTICS written = ROW_COUNT;
     DELETE FROM report_funnel_daily WHERE contacts = 0;
     RETURN written;
   END $$`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
