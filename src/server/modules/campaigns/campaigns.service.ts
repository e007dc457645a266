import type { Transaction } from 'kysely';
import type {
  CalendarEntryDto,
  CalendarQuery,
  CampaignCreate,
  CampaignDetailDto,
  CampaignDto,
  CampaignListQuery,
  CampaignTouchDto,
  CampaignTouchQuery,
  CampaignUpdate,
  CostPerLeadDto,
  MemberAdd,
  MemberAddResultDto,
  MoneyDto,
  PeriodQuery,
} from '../../../contracts/campaigns.ts';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import type { Db } from '../contacts/records.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { compileSegment } from '../segments/segments.compile.ts';
import { getSegment } from '../segments/segments.service.ts';
import { ensureTouchPartitions } from '../touches/touches.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { findMarket } from './campaigns.costs.repo.ts';
import { listMarkets } from './campaigns.costs.ts';
import { addCampaignMembers, statusesOf } from './campaigns.members.ts';
import * as repo from './campaigns.repo.ts';

export { type AddMembersInput, addCampaignMembers } from './campaigns.members.ts';

const ENTITY = 'campaign';

function iso(d: Date | string | null): string | null {
  return d ? new Date(d).toISOString() : null;
}

function money(rows: { currency: string; amount_minor: number }[]): MoneyDto[] {
  return rows.map((r) => ({ currency: r.currency, amountMinor: Number(r.amount_minor) }));
}

export function toCampaignDto(r: repo.CampaignRow, cost: MoneyDto[] = []): CampaignDto {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    channel: r.channel,
    status: r.status,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    parentId: r.parent_id,
    markets: r.markets,
    language: r.language,
    currency: r.currency,
    budgetMinor: r.budget_minor === null ? null : Number(r.budget_minor),
    goalLeads: r.goal_leads,
    goalSqls: r.goal_sqls,
    goalRevenueMinor: r.goal_revenue_minor === null ? null : Number(r.goal_revenue_minor),
    noticeDays: r.notice_days,
    salesNotifiedAt: iso(r.sales_notified_at),
    memberCount: Number(r.member_count),
    cost,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

async function withCost(db: Db, workspaceId: string, rows: repo.CampaignRow[]): Promise<CampaignDto[]> {
  const costs = await repo.costPerCampaign(
    db,
    workspaceId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toCampaignDto(r, money(costs.filter((c) => c.campaign_id === r.id))));
}

/** Checks references a campaign makes: an active owner of the workspace, a parent that is no descendant. */
async function checkRefs(
  trx: Transaction<Database>,
  workspaceId: string,
  selfId: string | null,
  input: { ownerId?: string | null | undefined; parentId?: string | null | undefined },
  dates: { startsOn: string | null; endsOn: string | null },
): Promise<void> {
  const errors: FieldErrors = {};
  if (input.ownerId) {
    const owner = await trx
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', input.ownerId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!owner) errors.ownerId = 'is not an active user of this workspace';
  }
  if (input.parentId) {
    const parent = await repo.findCampaign(trx, workspaceId, input.parentId);
    if (!parent) errors.parentId = 'is not a campaign of this workspace';
    else if (selfId) {
      const below = await repo.descendantIds(trx, workspaceId, selfId);
      if (below.includes(input.parentId))
        errors.parentId =
          'would nest the campaign inside itself (it is this campaign or one nested under it)';
    }
  }
  if (dates.startsOn && dates.endsOn && dates.endsOn < dates.startsOn)
    errors.endsOn = 'must not be before startsOn';
  if (Object.keys(errors).length) throw new ValidationError('Invalid campaign', errors);
}

/** Creates a campaign (marketing and admins). Currency defaults to the workspace's reporting currency. */
export async function createCampaign(
  ctx: AppContext,
  actor: Actor,
  input: CampaignCreate,
): Promise<CampaignDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const startsOn = input.startsOn ?? null;
    const endsOn = input.endsOn ?? null;
    await checkRefs(trx, ws, null, input, { startsOn, endsOn });
    const workspace = await trx
      .selectFrom('workspaces')
      .select('reporting_currency')
      .where('id', '=', ws)
      .executeTakeFirstOrThrow();
    const at = ctx.clock.now();
    const id = newId('cam', at.getTime());
    await repo.insertCampaign(trx, {
      workspace_id: ws,
      id,
      name: input.name,
      description: input.description ?? null,
      channel: input.channel,
      status: input.status ?? 'planned',
      starts_on: startsOn,
      ends_on: endsOn,
      owner_id: input.ownerId === undefined ? actor.userId : input.ownerId,
      parent_id: input.parentId ?? null,
      markets: [...new Set((input.markets ?? []).map((m) => m.toUpperCase()))],
      language: input.language ?? null,
      currency: input.currency ?? workspace.reporting_currency,
      budget_minor: input.budgetMinor ?? null,
      goal_leads: input.goalLeads ?? null,
      goal_sqls: input.goalSqls ?? null,
      goal_revenue_minor: input.goalRevenueMinor ?? null,
      notice_days: input.noticeDays ?? null,
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    const row = (await repo.findCampaign(trx, ws, id))!;
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'create',
      entityType: ENTITY,
      entityId: id,
      diff: {
        name: row.name,
        channel: row.channel,
        status: row.status,
        startsOn,
        endsOn,
        parentId: row.parent_id,
      },
      at,
    });
    return toCampaignDto(row);
  });
}

/** Changes the given parts of a campaign; audited with before/after of each changed key. */
export async function updateCampaign(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CampaignUpdate,
): Promise<CampaignDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const current = await repo.findCampaign(trx, ws, id, { forUpdate: true });
    if (!current) throw new NotFoundError('Campaign', id);
    const startsOn = input.startsOn !== undefined ? input.startsOn : current.starts_on;
    const endsOn = input.endsOn !== undefined ? input.endsOn : current.ends_on;
    await checkRefs(trx, ws, id, input, { startsOn, endsOn });
    if (input.channel && input.channel !== current.channel && Number(current.member_count) > 0) {
      const allowed = statusesOf(input.channel);
      const used = await repo.membersByStatus(trx, ws, [id]);
      const stranded = used.filter((u) => !allowed.includes(u.status as never)).map((u) => u.status);
      if (stranded.length)
        throw new ValidationError('Invalid campaign', {
          channel: `members have statuses a ${input.channel} campaign does not offer: ${stranded.join(', ')}`,
        });
    }
    const patch: repo.CampaignPatch = {};
    const diff: Record<string, [unknown, unknown]> = {};
    const set = <K extends keyof repo.CampaignPatch>(
      key: K,
      value: repo.CampaignPatch[K],
      before: unknown,
    ) => {
      if (value === undefined) return;
      patch[key] = value;
      if (JSON.stringify(before) !== JSON.stringify(value)) diff[key] = [before, value];
    };
    set('name', input.name, current.name);
    set('description', input.description, current.description);
    set('channel', input.channel, current.channel);
    set('status', input.status, current.status);
    set('starts_on', input.startsOn, current.starts_on);
    set('ends_on', input.endsOn, current.ends_on);
    set('owner_id', input.ownerId, current.owner_id);
    set('parent_id', input.parentId, current.parent_id);
    set('markets', input.markets && [...new Set(input.markets.map((m) => m.toUpperCase()))], current.markets);
    set('language', input.language, current.language);
    set('currency', input.currency, current.currency);
    set('budget_minor', input.budgetMinor, current.budget_minor);
    set('goal_leads', input.goalLeads, current.goal_leads);
    set('goal_sqls', input.goalSqls, current.goal_sqls);
    set('goal_revenue_minor', input.goalRevenueMinor, current.goal_revenue_minor);
    set('notice_days', input.noticeDays, current.notice_days);
    // A new start date is a new launch: sales hear about it again.
    if (diff.starts_on) patch.sales_notified_at = null;
    const at = ctx.clock.now();
    if (Object.keys(diff).length) {
      await repo.updateCampaign(trx, ws, id, { ...patch, updated_at: at });
      await appendAudit(trx, {
        workspaceId: ws,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'update',
        entityType: ENTITY,
        entityId: id,
        diff,
        at,
      });
    }
    const row = (await repo.findCampaign(trx, ws, id))!;
    return (await withCost(trx, ws, [row]))[0]!;
  });
}

/** Deletes a campaign (kept for history, hidden everywhere); one with nested campaigns is refused. */
export async function deleteCampaign(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const current = await repo.findCampaign(trx, ws, id, { forUpdate: true });
    if (!current) throw new NotFoundError('Campaign', id);
    const children = await repo.childCampaigns(trx, ws, id);
    if (children.length)
      throw new ValidationError('Campaign has nested campaigns', {
        id: `move or delete its ${children.length} nested campaign(s) first`,
      });
    const at = ctx.clock.now();
    await repo.softDeleteCampaign(trx, ws, id, at);
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'delete',
      entityType: ENTITY,
      entityId: id,
      diff: { name: current.name },
      at,
    });
  });
}

/** Newest first; filters by status, channel, market, parent and name. */
export async function listCampaigns(
  ctx: AppContext,
  actor: Actor,
  q: CampaignListQuery,
): Promise<Page<CampaignDto>> {
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.listCampaigns(ctx.db, actor.workspaceId, {
    q: q.q,
    status: q.status,
    channel: q.channel,
    market: q.market?.toUpperCase(),
    parentId: q.parentId,
    beforeId: cursor?.id,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: await withCost(ctx.db, actor.workspaceId, items),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null,
  };
}

function perLead(cost: MoneyDto[], leads: number): MoneyDto[] {
  if (!leads) return [];
  return cost.map((c) => ({ currency: c.currency, amountMinor: Math.round(c.amountMinor / leads) }));
}

/**
 * Cost per lead of a campaign and everything nested under it, for a period: cost lines dated in
 * [from, to] divided by new contacts sourced from those campaigns created in [from, to]. Open ends
 * mean all time. Per currency: amounts in different currencies are not added up here.
 */
export async function costPerLead(
  ctx: AppContext,
  actor: Actor,
  id: string,
  q: PeriodQuery,
): Promise<CostPerLeadDto> {
  if (q.from && q.to && q.to < q.from)
    throw new ValidationError('Invalid period', { to: 'must not be before from' });
  const ids = await repo.descendantIds(ctx.db, actor.workspaceId, id);
  if (!ids.length) throw new NotFoundError('Campaign', id);
  const cost = money(
    await repo.costByCurrency(ctx.db, actor.workspaceId, { campaignIds: ids, from: q.from, to: q.to }),
  );
  const leads = await repo.countLeads(ctx.db, actor.workspaceId, {
    campaignIds: ids,
    from: q.from,
    to: q.to,
  });
  return {
    campaignId: id,
    from: q.from ?? null,
    to: q.to ?? null,
    leads,
    cost,
    costPerLead: perLead(cost, leads),
  };
}

/** The campaign page: the campaign, its parent and nested campaigns, markets and rolled-up results. */
export async function getCampaignDetail(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<CampaignDetailDto> {
  const ws = actor.workspaceId;
  const row = await repo.findCampaign(ctx.db, ws, id);
  if (!row) throw new NotFoundError('Campaign', id);
  const [campaign] = await withCost(ctx.db, ws, [row]);
  const parentRow = row.parent_id ? await repo.findCampaign(ctx.db, ws, row.parent_id) : undefined;
  const children = await withCost(ctx.db, ws, await repo.childCampaigns(ctx.db, ws, id));
  const ids = await repo.descendantIds(ctx.db, ws, id);
  const byStatus = await repo.membersByStatus(ctx.db, ws, ids);
  const cost = money(await repo.costByCurrency(ctx.db, ws, { campaignIds: ids }));
  const leads = await repo.countLeads(ctx.db, ws, { campaignIds: ids });
  const distinctMembers = await repo.countDistinctMembers(ctx.db, ws, ids);
  return {
    campaign: campaign!,
    parent: parentRow ? { id: parentRow.id, name: parentRow.name } : null,
    children,
    markets: await listMarkets(ctx, actor, id),
    stats: {
      members: distinctMembers,
      membersByStatus: Object.fromEntries(byStatus.map((s) => [s.status, s.n])),
      touches: await repo.countTouches(ctx.db, ws, ids),
      leads,
      cost,
      costPerLead: perLead(cost, leads),
      nestedCampaigns: ids.length - 1,
      deals: await repo.sourcedDeals(ctx.db, ws, ids),
    },
    statuses: [...statusesOf(row.channel)],
  };
}

/** Campaigns overlapping [from, to], for the month and quarter calendar (every role). */
export async function campaignCalendar(
  ctx: AppContext,
  actor: Actor,
  q: CalendarQuery,
): Promise<CalendarEntryDto[]> {
  const rows = await repo.calendar(ctx.db, actor.workspaceId, {
    from: q.from,
    to: q.to,
    market: q.market?.toUpperCase(),
    channel: q.channel,
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    channel: r.channel,
    status: r.status,
    startsOn: r.starts_on!,
    endsOn: r.ends_on ?? r.starts_on!,
    markets: r.markets,
    parentId: r.parent_id,
    ownerName: r.owner_name,
  }));
}

/**
 * Adds members through the API: a list of contact ids, or a segment's current contacts (compiled
 * to one query by the segments module, read inside the same transaction).
 */
export async function addMembers(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  input: MemberAdd,
): Promise<MemberAddResultDto> {
  // A segment's current contacts, from its one compiled query (404 if it is not in the workspace).
  const segment = input.segmentId ? await getSegment(ctx, actor, input.segmentId) : undefined;
  await ensureTouchPartitions(ctx, [ctx.clock.now()]);
  return ctx.db.transaction().execute(async (trx) => {
    if (input.marketId && !(await findMarket(trx, actor.workspaceId, campaignId, input.marketId)))
      throw new ValidationError('Invalid members', { marketId: 'is not a market variant of this campaign' });
    return addCampaignMembers(trx, ctx, {
      workspaceId: actor.workspaceId,
      campaignId,
      contactIds: segment
        ? (await (await compileSegment(trx, actor.workspaceId, segment.definition)).execute()).map(
            (r) => r.contact_id,
          )
        : (input.contactIds ?? []),
      status: input.status,
      actorId: actor.userId,
      source: segment ? 'segment' : input.contactIds && input.contactIds.length > 1 ? 'list' : 'manual',
      marketId: input.marketId ?? null,
    });
  });
}

/** Touches logged for a campaign (newest first) on contacts the actor may see. */
export async function campaignTouches(
  ctx: AppContext,
  actor: Actor,
  campaignId: string,
  q: CampaignTouchQuery,
): Promise<Page<CampaignTouchDto>> {
  const campaign = await repo.findCampaign(ctx.db, actor.workspaceId, campaignId);
  if (!campaign) throw new NotFoundError('Campaign', campaignId);
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.campaignTouches(ctx.db, actor, campaignId, {
    before: cursor ? { at: String(cursor.v), id: cursor.id } : undefined,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit).map((r) => ({
    id: r.id,
    contactId: r.contact_id,
    contactName: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || r.contact_id,
    type: r.type,
    direction: r.direction,
    channel: r.channel,
    occurredAt: new Date(r.occurred_at).toISOString(),
    metadata: r.metadata ?? {},
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: last.occurredAt, id: last.id }) : null,
  };
}
