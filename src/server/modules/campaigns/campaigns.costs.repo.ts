import { type Insertable, sql } from 'kysely';
import type { CampaignCostLinesTable, CampaignMarketsTable } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';

export interface CostLineRow {
  id: string;
  campaign_id: string;
  market_id: string | null;
  incurred_on: string;
  amount_minor: number;
  currency: string;
  category: string;
  description: string | null;
  created_by: string | null;
  created_at: Date;
}

export async function insertCostLine(db: Db, row: Insertable<CampaignCostLinesTable>): Promise<void> {
  await db.insertInto('campaign_cost_lines').values(row).execute();
}

/** Cost lines of a campaign, by date (the campaign's shared lines and its markets' own). */
export async function listCostLines(
  db: Db,
  workspaceId: string,
  campaignId: string,
  id?: string,
): Promise<CostLineRow[]> {
  let q = db
    .selectFrom('campaign_cost_lines')
    .select([
      'id',
      'campaign_id',
      'market_id',
      sql<string>`to_char(incurred_on, 'YYYY-MM-DD')`.as('incurred_on'),
      sql<number>`amount_minor::float8`.as('amount_minor'),
      'currency',
      'category',
      'description',
      'created_by',
      'created_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId);
  if (id) q = q.where('id', '=', id);
  return q.orderBy('incurred_on').orderBy('id').execute();
}

export async function deleteCostLine(
  db: Db,
  workspaceId: string,
  campaignId: string,
  id: string,
): Promise<number> {
  const res = await db
    .deleteFrom('campaign_cost_lines')
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export type MarketRow = {
  id: string;
  campaign_id: string;
  market: string;
  language: string | null;
  name: string | null;
  content_links: { label: string; url: string }[];
  notes: string | null;
  created_at: Date;
  updated_at: Date;
};

export async function insertMarket(db: Db, row: Insertable<CampaignMarketsTable>): Promise<void> {
  await db.insertInto('campaign_markets').values(row).execute();
}

export async function updateMarket(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Partial<Insertable<CampaignMarketsTable>>,
): Promise<void> {
  await db
    .updateTable('campaign_markets')
    .set(patch)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function listMarkets(db: Db, workspaceId: string, campaignId: string): Promise<MarketRow[]> {
  return db
    .selectFrom('campaign_markets')
    .select([
      'id',
      'campaign_id',
      'market',
      'language',
      'name',
      'content_links',
      'notes',
      'created_at',
      'updated_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .orderBy('market')
    .execute();
}

export async function findMarket(
  db: Db,
  workspaceId: string,
  campaignId: string,
  id: string,
): Promise<MarketRow | undefined> {
  return db
    .selectFrom('campaign_markets')
    .select([
      'id',
      'campaign_id',
      'market',
      'language',
      'name',
      'content_links',
      'notes',
      'created_at',
      'updated_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findMarketByCode(
  db: Db,
  workspaceId: string,
  campaignId: string,
  market: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('campaign_markets')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where('market', '=', market)
    .executeTakeFirst();
}

/** Whether anything still points at a market (its cost lines or members). */
export async function marketInUse(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const row = await sql<{ used: boolean }>`
    SELECT EXISTS (SELECT 1 FROM campaign_cost_lines WHERE workspace_id = ${workspaceId} AND market_id = ${id})
        OR EXISTS (SELECT 1 FROM campaign_members WHERE workspace_id = ${workspaceId} AND market_id = ${id}) AS used`.execute(
    db,
  );
  return Boolean(row.rows[0]?.used);
}

export async function deleteMarket(db: Db, workspaceId: string, id: string): Promise<void> {
  await db
    .deleteFrom('campaign_markets')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Cost per market variant and currency, for the markets tab. */
export async function costPerMarket(
  db: Db,
  workspaceId: string,
  campaignId: string,
): Promise<{ market_id: string; currency: string; amount_minor: number }[]> {
  const rows = await db
    .selectFrom('campaign_cost_lines')
    .select(['market_id', 'currency', sql<number>`sum(amount_minor)::float8`.as('amount_minor')])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where('market_id', 'is not', null)
    .groupBy(['market_id', 'currency'])
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({
    market_id: r.market_id!,
    currency: r.currency,
    amount_minor: Number(r.amount_minor),
  }));
}
