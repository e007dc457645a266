import { sql } from 'kysely';
import type { Db } from '../contacts/records.repo.ts';

/** SQL for the dated exchange-rate table. */

export interface RateRow {
  base: string;
  quote: string;
  on_date: string;
  rate: string;
  source: 'manual' | 'import';
}

const COLUMNS = [
  'base',
  'quote',
  sql<string>`to_char(on_date, 'YYYY-MM-DD')`.as('on_date'),
  sql<string>`rate::text`.as('rate'),
  'source',
] as const;

/**
 * An amount in minor units of `from` converted to minor units of `to` by `tandem_to_reporting`,
 * the one conversion reports, planning and the board use (the latest rate on or before the day, in
 * either direction of the pair; rounded half away from zero once). Null without such a rate.
 */
export async function convertAmount(
  db: Db,
  workspaceId: string,
  amountMinor: bigint,
  from: string,
  to: string,
  onDate: string,
): Promise<bigint | null> {
  const res = await sql<{ v: string | null }>`
    SELECT tandem_to_reporting(${workspaceId}, ${amountMinor.toString()}::bigint, ${from}, ${to}, ${onDate}::date)::text
      AS v`.execute(db);
  const v = res.rows[0]?.v;
  return v === null || v === undefined ? null : BigInt(v);
}

export async function upsertRates(
  db: Db,
  workspaceId: string,
  rates: { base: string; quote: string; onDate: string; rate: string }[],
  meta: { source: 'manual' | 'import'; createdBy: string | null; at: Date },
): Promise<void> {
  // Chunks keep the bound-parameter count far below the protocol's limit.
  for (let i = 0; i < rates.length; i += 1000) {
    const chunk = rates.slice(i, i + 1000);
    await db
      .insertInto('exchange_rates')
      .values(
        chunk.map((r) => ({
          workspace_id: workspaceId,
          base: r.base,
          quote: r.quote,
          on_date: r.onDate,
          rate: r.rate,
          source: meta.source,
          created_by: meta.createdBy,
          created_at: meta.at,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'base', 'quote', 'on_date']).doUpdateSet((eb) => ({
          rate: eb.ref('excluded.rate'),
          source: eb.ref('excluded.source'),
          created_by: eb.ref('excluded.created_by'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }
}

export async function listRates(
  db: Db,
  workspaceId: string,
  f: { base?: string | undefined; quote?: string | undefined; limit: number },
): Promise<RateRow[]> {
  let q = db.selectFrom('exchange_rates').select(COLUMNS).where('workspace_id', '=', workspaceId);
  if (f.base) q = q.where('base', '=', f.base);
  if (f.quote) q = q.where('quote', '=', f.quote);
  return q
    .orderBy('exchange_rates.on_date', 'desc')
    .orderBy('base')
    .orderBy('quote')
    .limit(f.limit)
    .execute();
}

export async function deleteRate(
  db: Db,
  workspaceId: string,
  key: { base: string; quote: string; onDate: string },
): Promise<boolean> {
  const res = await db
    .deleteFrom('exchange_rates')
    .where('workspace_id', '=', workspaceId)
    .where('base', '=', key.base)
    .where('quote', '=', key.quote)
    .where('on_date', '=', key.onDate)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
