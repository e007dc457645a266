import { type Kysely, sql } from 'kysely';

/**
 * The funnel roll-up's per-contact refresh (0070) read a contact's state in one statement: the
 * contact joined to lateral aggregates of its transitions and deals. With custom plans (0066) that
 * join is planned on every call, and planning was most of a refresh: moving 20,000 contacts to
 * another stage in one UPDATE took 7.7 s with it against 6.6 s before 0070. Three single-table
 * statements (the contact by key, then its transitions, then its deals) plan quickly: 5.7–6.1 s,
 * faster than before 0070 (100k-contact benchmark database, same runs interleaved). Same state, same
 * result; reports.rollup.test.ts covers the refresh after updates and deletes on both engines.
 */
const rank = (col: string) => `(CASE ${col} WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
    WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END)`;

// Per contact: the furthest transition rank and the first transition time at each rank.
const transitionAgg = `max(${rank('lt.to_stage')}) AS rank, min(lt.at) AS a0,
  min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 1) AS a1, min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 2) AS a2,
  min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 3) AS a3, min(lt.at) FILTER (WHERE ${rank('lt.to_stage')} >= 4) AS a4`;
// Per contact: a deal makes 4, a won deal 5; and the first live deal's creation.
const dealAgg = `CASE WHEN count(d.won_at) > 0 THEN 5 WHEN count(*) > 0 THEN 4 END AS rank, min(d.created_at) AS deal_at`;

const statements = [
  `CREATE OR REPLACE FUNCTION tandem_funnel_refresh(ws text, cid text) RETURNS void LANGUAGE plpgsql
   SET plan_cache_mode = force_custom_plan AS $$
   DECLARE
     o report_contact_funnel%ROWTYPE;
     n report_contact_funnel%ROWTYPE;
     t_rank integer;
     d_rank integer;
     had boolean;
     has boolean;
   BEGIN
     SELECT * INTO o FROM report_contact_funnel WHERE workspace_id = ws AND contact_id = cid;
     had := FOUND;
     SELECT c.workspace_id, c.id, (coalesce(c.first_touch_at, c.created_at) AT TIME ZONE 'UTC')::date,
            c.source_channel, c.source_campaign_id, ${rank('c.lifecycle_stage')}, coalesce(c.first_touch_at, c.created_at)
       INTO n.workspace_id, n.contact_id, n.lead_day, n.source, n.campaign_id, n.rank, n.lead_at
       FROM contacts c WHERE c.workspace_id = ws AND c.id = cid AND c.deleted_at IS NULL;
     has := FOUND;
     IF has THEN
       SELECT ${transitionAgg} INTO t_rank, n.a0, n.a1, n.a2, n.a3, n.a4
         FROM lifecycle_transitions lt WHERE lt.workspace_id = ws AND lt.contact_id = cid;
       SELECT ${dealAgg} INTO d_rank, n.deal_at
         FROM deals d WHERE d.workspace_id = ws AND d.contact_id = cid AND d.deleted_at IS NULL;
       n.rank := greatest(n.rank, t_rank, d_rank);
     END IF;
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
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
