import { sql } from 'kysely';
import type { Db } from '../contacts/records.repo.ts';

/** SQL of the planning module: deal sums for revenue and attainment, territories, quotas, targets. */

export interface DealSumRow {
  owner_id: string | null;
  currency: string;
  /** Close day (`YYYY-MM-DD`) of won deals; null for open deals (converted at today's rate). */
  day: string | null;
  deals: number;
  amount_minor: string;
}

/** Won deals in [from, to) summed per owner, currency and close day (converted by the caller). */
export async function wonSums(db: Db, ws: string, from: Date, to: Date): Promise<DealSumRow[]> {
  const r = await sql<DealSumRow>`
    SELECT owner_id, currency, to_char(won_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           count(*)::int AS deals, coalesce(sum(amount_minor), 0)::text AS amount_minor
      FROM deals
     WHERE workspace_id = ${ws} AND deleted_at IS NULL AND won_at IS NOT NULL
       AND won_at >= ${from} AND won_at < ${to}
     GROUP BY 1, 2, 3`.execute(db);
  return r.rows;
}

/** Open deals (neither won nor lost) summed per owner and currency. */
export async function openSums(db: Db, ws: string): Promise<DealSumRow[]> {
  const r = await sql<DealSumRow>`
    SELECT owner_id, currency, NULL::text AS day,
           count(*)::int AS deals, coalesce(sum(amount_minor), 0)::text AS amount_minor
      FROM deals
     WHERE workspace_id = ${ws} AND deleted_at IS NULL AND won_at IS NULL AND lost_at IS NULL
     GROUP BY 1, 2`.execute(db);
  return r.rows;
}

export async function reportingCurrency(db: Db, ws: string): Promise<string> {
  const row = await db
    .selectFrom('workspaces')
    .select('reporting_currency')
    .where('id', '=', ws)
    .executeTakeFirstOrThrow();
  return row.reporting_currency;
}
