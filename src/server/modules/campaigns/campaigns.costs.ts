import type {
  CampaignMarketCreate,
  CampaignMarketDto,
  CampaignMarketUpdate,
  CostLineCreate,
  CostLineDto,
} from '../../../contracts/campaigns.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db } from '../contacts/records.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as costs from './campaigns.costs.repo.ts';
import * as repo from './campaigns.repo.ts';

/** Cost lines and per-market variants of a campaign ("make marketing globally, make sales locally"). */

async function existingCampaign(db: Db, workspaceId: string, id: string, forUpdate = false) {
  const c = await repo.findCampaign(db, workspaceId, id, { forUpdate });
  if (!c) throw new NotFoundError('Campaign', id);
  return c;
}

export function toCostLineDto(r: costs.CostLineRow): CostLineDto {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    marketId: r.market_id,
    incurredOn: r.incurred_on,
    amountMinor: Number(r.amount_minor),
    currency: r.currency,
    category: r.category,
    description: r.description,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function listCostLines(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
): Promise<CostLineDto[]> {
  await existingCampaign(ctx.db, actor.workspaceId, campaignId);
  return (await costs.listCostLines(ctx.db, actor.workspaceId, campaignId)).map(toCostLineDto);
}

/** Adds a dated cost line (the campaign's shared cost, or one market variant's own). Audited. */
export async function addCostLine(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  input: CostLineCreate,
): Promise<CostLineDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    await existingCampaign(trx, ws, campaignId, true);
    if (input.marketId && !(await costs.findMarket(trx, ws, campaignId, input.marketId)))
      throw new ValidationError('Invalid cost line', {
        marketId: 'is not a market variant of this campaign',
      });
    const at = ctx.clock.now();
    const id = newId('ccl', at.getTime());
    await costs.insertCostLine(trx, {
      workspace_id: ws,
      id,
      campaign_id: campaignId,
      market_id: input.marketId ?? null,
      incurred_on: input.incurredOn,
      amount_minor: input.amountMinor,
      currency: input.currency,
      category: input.category,
      description: input.description ?? null,
      created_by: actor.userId,
      created_at: at,
    });
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'add_cost',
      entityType: 'campaign',
      entityId: campaignId,
      diff: {
        costLineId: id,
        amountMinor: input.amountMinor,
        currency: input.currency,
        category: input.category,
        incurredOn: input.incurredOn,
      },
      at,
    });
    const [row] = await costs.listCostLines(trx, ws, campaignId, id);
    return toCostLineDto(row!);
  });
}

export async function removeCostLine(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  id: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    await existingCampaign(trx, ws, campaignId, true);
    const [row] = await costs.listCostLines(trx, ws, campaignId, id);
    if (!row) throw new NotFoundError('Cost line', id);
    await costs.deleteCostLine(trx, ws, campaignId, id);
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'remove_cost',
      entityType: 'campaign',
      entityId: campaignId,
      diff: {
        costLineId: id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
        category: row.category,
      },
      at: ctx.clock.now(),
    });
  });
}

export async function listMarkets(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
): Promise<CampaignMarketDto[]> {
  const ws = actor.workspaceId;
  const rows = await costs.listMarkets(ctx.db, ws, campaignId);
  const spend = await costs.costPerMarket(ctx.db, ws, campaignId);
  return rows.map((r) => toMarketDto(r, spend));
}

function toMarketDto(
  r: costs.MarketRow,
  spend: { market_id: string; currency: string; amount_minor: number }[],
) {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    market: r.market,
    language: r.language,
    name: r.name,
    contentLinks: r.content_links ?? [],
    notes: r.notes,
    cost: spend
      .filter((s) => s.market_id === r.id)
      .map((s) => ({ currency: s.currency, amountMinor: s.amount_minor })),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** Adds a per-market variant (one per market code); its code joins the campaign's markets. Audited. */
export async function addMarket(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  input: CampaignMarketCreate,
): Promise<CampaignMarketDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const campaign = await existingCampaign(trx, ws, campaignId, true);
    const market = input.market.toUpperCase();
    const clash = await costs.findMarketByCode(trx, ws, campaignId, market);
    if (clash)
      throw new ConflictError(`The campaign already has a ${market} variant`, clash.id, {
        market: 'already has a variant',
      });
    const at = ctx.clock.now();
    const id = newId('cmk', at.getTime());
    await costs.insertMarket(trx, {
      workspace_id: ws,
      id,
      campaign_id: campaignId,
      market,
      language: input.language ?? null,
      name: input.name ?? null,
      content_links: JSON.stringify(input.contentLinks ?? []),
      notes: input.notes ?? null,
      created_at: at,
      updated_at: at,
    });
    if (!campaign.markets.includes(market))
      await repo.updateCampaign(trx, ws, campaignId, {
        markets: [...campaign.markets, market],
        updated_at: at,
      });
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'add_market',
      entityType: 'campaign',
      entityId: campaignId,
      diff: { marketId: id, market, language: input.language ?? null },
      at,
    });
    return toMarketDto((await costs.findMarket(trx, ws, campaignId, id))!, []);
  });
}

export async function updateMarket(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  id: string,
  input: CampaignMarketUpdate,
): Promise<CampaignMarketDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    await existingCampaign(trx, ws, campaignId, true);
    const current = await costs.findMarket(trx, ws, campaignId, id);
    if (!current) throw new NotFoundError('Market variant', id);
    const market = input.market?.toUpperCase();
    if (market && market !== current.market) {
      const clash = await costs.findMarketByCode(trx, ws, campaignId, market);
      if (clash)
        throw new ConflictError(`The campaign already has a ${market} variant`, clash.id, {
          market: 'already has a variant',
        });
    }
    const at = ctx.clock.now();
    await costs.updateMarket(trx, ws, id, {
      ...(market ? { market } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.contentLinks !== undefined ? { content_links: JSON.stringify(input.contentLinks) } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      updated_at: at,
    });
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'update_market',
      entityType: 'campaign',
      entityId: campaignId,
      diff: { marketId: id, changed: Object.keys(input) },
      at,
    });
    const spend = await costs.costPerMarket(trx, ws, campaignId);
    return toMarketDto((await costs.findMarket(trx, ws, campaignId, id))!, spend);
  });
}

/** Removes a market variant that no cost line or member points at (409 otherwise). */
export async function removeMarket(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  id: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    await existingCampaign(trx, ws, campaignId, true);
    const current = await costs.findMarket(trx, ws, campaignId, id);
    if (!current) throw new NotFoundError('Market variant', id);
    if (await costs.marketInUse(trx, ws, id))
      throw new ConflictError('The market variant still has cost lines or members; remove those first');
    await costs.deleteMarket(trx, ws, id);
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'remove_market',
      entityType: 'campaign',
      entityId: campaignId,
      diff: { marketId: id, market: current.market },
      at: ctx.clock.now(),
    });
  });
}
