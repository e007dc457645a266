import { type Kysely, sql } from 'kysely';

/**
 * The funnel roll-up (0056, 0070) refreshed a contact once per inserted deal and per inserted
 * lifecycle transition: a full recomputation of the contact plus a move of its daily counts, per
 * row. A bulk insert paid that per row: 16,000 deals in one statement took 7.7 s (0.57 s without
 * the trigger) and the 100,000 deals of the 1M reports benchmark about half an hour; a deals import
 * is the same statement. An insert can only raise what a contact has reached (a deal makes rank 4,
 * a won deal 5; a transition its stage's rank) and only make its first times earlier, so one
 * statement per INSERT statement folds the new rows into the stored state: the furthest rank,
 * the first transition per rank, the first deal, and the daily counts by the rank that changed.
 * Deletes and updates keep the per-row refresh. reports.rollup.test.ts checks the result against
 * the raw computation after multi-row inserts on both engines.
 */
const rank = (col: string) => `(CASE ${col} WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
    WHEN 'sql' THEN 3 WHEN 'opportunity' THEN 4 WHEN 'customer' THEN 5 ELSE 1 END)`;

/**
 * Applies the changed rows of CTE `o` (old_rank, new_rank and the new times per contact) to
 * report_contact_funnel and moves the daily counts by the difference of the ranks.
 */
const apply = (times: string[]) => `
     u AS (
       UPDATE report_contact_funnel f SET rank = o.new_rank, ${times.map((c) => `${c} = o.${c}`).join(', ')}
       FROM o WHERE f.workspace_id = o.workspace_id AND f.contact_id = o.contact_id)
     UPDATE report_funnel_daily d SET lead = d.lead + x.lead, mql = d.mql + x.mql, sql = d.sql + x.sql,
       opportunity = d.opportunity + x.opportunity, customer = d.customer + x.customer
     FROM (SELECT workspace_id, lead_day, source, campaign_id,
                  ${[1, 2, 3, 4, 5].map((r) => `sum((new_rank >= ${r})::int - (old_rank >= ${r})::int) AS ${['lead', 'mql', 'sql', 'opportunity', 'customer'][r - 1]}`).join(',\n                  ')}
           FROM o WHERE new_rank > old_rank GROUP BY 1, 2, 3, 4) x
     WHERE d.workspace_id = x.workspace_id AND d.lead_day = x.lead_day
       AND d.source IS NOT DISTINCT FROM x.source AND d.campaign_id IS NOT DISTINCT FROM x.campaign_id;`;

const TRANSITION_TIMES = ['a0', 'a1', 'a2', 'a3', 'a4'];

const statements = [
  `CREATE FUNCTION tandem_funnel_deals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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
  `CREATE FUNCTION tandem_funnel_transitions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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
  `DROP TRIGGER report_funnel_deals_ins_del ON deals`,
  `CREATE TRIGGER report_funnel_deals_del AFTER DELETE ON deals FOR EACH ROW
     EXECUTE FUNCTION tandem_funnel_row_changed()`,
  `CREATE TRIGGER report_funnel_deals_ins AFTER INSERT ON deals
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tandem_funnel_deals_inserted()`,
  `DROP TRIGGER report_funnel_transitions ON lifecycle_transitions`,
  `CREATE TRIGGER report_funnel_transitions AFTER UPDATE OR DELETE ON lifecycle_transitions FOR EACH ROW
     EXECUTE FUNCTION tandem_funnel_row_changed()`,
  `CREATE TRIGGER report_funnel_transitions_ins AFTER INSERT ON lifecycle_transitions
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tandem_funnel_transitions_inserted()`,
];

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the untyped schema of their time
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
