import type { Transaction } from 'kysely';
import type { DealCreate, DealDto, DealListQuery, DealUpdate } from '../../../contracts/deals.ts';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import type { Db } from '../contacts/records.repo.ts';
import {
  checkAssignment,
  defaultAssignment,
  diffOf,
  iso,
  isoOrNull,
  throwIfErrors,
} from '../contacts/records.ts';
import { feedbackFromDealCompetitors, feedbackFromLostDeal } from '../feedback/feedback.service.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { changeStage } from '../lifecycle/lifecycle.service.ts';
import { ensurePartitions } from '../touches/touches.repo.ts';
import { writeTouches } from '../touches/touches.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as stagesRepo from './deals.pipelines.repo.ts';
import { ensureDefaultPipeline, readSettings } from './deals.pipelines.ts';
import * as repo from './deals.repo.ts';

/** Deals: create, change, list, and the one way a deal changes stage ({@link moveDealToStage}). */

export function toDealDto(r: repo.DealRecord): DealDto {
  return {
    id: r.id,
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    stageKey: r.stage_key,
    stageKind: r.stage_kind,
    name: r.name,
    contactId: r.contact_id,
    contactIds: r.contact_ids,
    companyId: r.company_id,
    ownerId: r.owner_id,
    teamId: r.team_id,
    amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
    currency: r.currency,
    expectedCloseOn: r.expected_close_on,
    sourceCampaignId: r.source_campaign_id,
    competitorIds: r.competitor_ids,
    products: r.products.map((p) => ({ productId: p.productId ?? null, name: p.name })),
    lostReason: r.lost_reason,
    lostNote: r.lost_note,
    wonAt: isoOrNull(r.won_at),
    lostAt: isoOrNull(r.lost_at),
    stageChangedAt: iso(r.stage_changed_at),
    externalId: r.external_id,
    custom: r.custom,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** A live deal the actor may see; otherwise 404 (also another workspace's). */
export async function getDeal(ctx: AppContext, actor: Actor, id: string): Promise<DealDto> {
  const row = await repo.findDeal(ctx.db, actor.workspaceId, id, { actor });
  if (!row) throw new NotFoundError('Deal', id);
  return toDealDto(row);
}

async function auditDeal(
  trx: Db,
  a: { workspaceId: string; userId: string | null; label: string },
  id: string,
  action: string,
  diff: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await appendAudit(trx, {
    workspaceId: a.workspaceId,
    actorUserId: a.userId,
    actorLabel: a.label,
    action,
    entityType: 'deal',
    entityId: id,
    diff,
    at,
  });
}

const actorRef = (actor: Actor) => ({
  workspaceId: actor.workspaceId,
  userId: actor.userId,
  label: actor.email,
});

/** Contacts given to a deal: unique, visible, primary first. */
async function checkContacts(
  trx: Db,
  actor: Actor,
  primary: string | null,
  more: string[],
  errors: FieldErrors,
): Promise<repo.DealContactRef[]> {
  const ids = [...new Set([...(primary ? [primary] : []), ...more])];
  const found = await repo.visibleContacts(trx, actor, ids);
  const byId = new Map(found.map((c) => [c.id, c]));
  if (primary && !byId.has(primary)) errors.contactId = 'is not a contact you can see';
  const missing = more.filter((id) => !byId.has(id));
  if (missing.length) errors.contactIds = `not contacts you can see: ${missing.slice(0, 5).join(', ')}`;
  return ids.map((id) => byId.get(id)).filter((c): c is repo.DealContactRef => Boolean(c));
}

async function checkCompetitors(
  trx: Db,
  workspaceId: string,
  ids: string[],
  errors: FieldErrors,
): Promise<string[]> {
  const unique = [...new Set(ids)];
  const known = await repo.competitorsExist(trx, workspaceId, unique);
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length)
    errors.competitorIds = `not competitors of this workspace: ${missing.slice(0, 5).join(', ')}`;
  return unique;
}

/**
 * Creates a deal in a pipeline (default: the workspace's default) at a stage given by id or key
 * (default: the first open stage). Company and source campaign default to the primary contact's
 * company and first-touch campaign; the currency to the reporting currency. A stage of another
 * pipeline, a negative amount, an invisible contact: 400 naming the field, nothing written.
 * Creating a deal directly in a closed stage goes through the same won/lost rules as a move.
 */
export async function createDeal(ctx: AppContext, actor: Actor, input: DealCreate): Promise<DealDto> {
  const now = ctx.clock.now();
  await ensurePartitions(ctx.db, [`${now.toISOString().slice(0, 7)}-01`]);
  return ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const errors: FieldErrors = {};
    const pipeline = input.pipelineId
      ? await stagesRepo.findPipeline(trx, ws, input.pipelineId)
      : await ensureDefaultPipeline(trx, ws, now);
    if (!pipeline) {
      errors.pipelineId = 'is not a pipeline of this workspace';
      throwIfErrors(errors);
    }
    const stages = await stagesRepo.listStages(trx, ws, [pipeline!.id]);
    let stage = stages.find((s) => s.kind === 'open');
    if (input.stageId) {
      stage = stages.find((s) => s.id === input.stageId);
      if (!stage) errors.stageId = `is not a stage of pipeline ${pipeline!.id}`;
    } else if (input.stageKey) {
      stage = stages.find((s) => s.key === input.stageKey);
      if (!stage) errors.stageKey = `is not a stage of pipeline ${pipeline!.id}`;
    }
    const defaults = defaultAssignment(actor);
    const ownerId = input.ownerId !== undefined ? input.ownerId : defaults.ownerId;
    const contacts = await checkContacts(trx, actor, input.contactId ?? null, input.contactIds ?? [], errors);
    const primary = contacts[0];
    const teamId = input.teamId !== undefined ? input.teamId : (defaults.teamId ?? primary?.team_id ?? null);
    await checkAssignment(trx, actor, { ownerId, teamId }, null, errors);
    const competitorIds = await checkCompetitors(trx, ws, input.competitorIds ?? [], errors);
    const settings = await readSettings(trx, ws);
    throwIfErrors(errors);
    // A deal created straight into won or lost starts open and then moves, so the closing rules
    // (amount, lost reason, touches) are the same as for a move.
    const firstOpen = stages.find((s) => s.kind === 'open') ?? stage!;
    const initial = stage && stage.kind === 'open' ? stage : firstOpen;
    const id = newId('deal', now.getTime());
    await repo.insertDeal(
      trx,
      ws,
      id,
      {
        pipeline_id: pipeline!.id,
        stage_id: initial.id,
        name: input.name,
        contact_id: primary?.id ?? null,
        company_id: input.companyId !== undefined ? input.companyId : (primary?.company_id ?? null),
        owner_id: ownerId,
        team_id: teamId,
        amount_minor: input.amountMinor == null ? null : String(input.amountMinor),
        currency: input.currency ?? settings.reportingCurrency,
        expected_close_on: input.expectedCloseOn ?? null,
        source_campaign_id:
          input.sourceCampaignId !== undefined
            ? input.sourceCampaignId
            : (primary?.source_campaign_id ?? null),
        products: (input.products ?? []).map((p) => ({ productId: p.productId ?? null, name: p.name })),
        lost_reason: null,
        lost_note: null,
        won_at: null,
        lost_at: null,
        stage_changed_at: now,
        external_id: null,
        custom: input.custom ?? {},
      },
      { createdBy: actor.userId, at: now },
    );
    await repo.setDealContacts(
      trx,
      ws,
      id,
      contacts.map((c) => c.id),
      now,
    );
    await repo.setDealCompetitors(trx, ws, id, competitorIds, now);
    await repo.insertHistory(trx, ws, {
      id: newId('dsh', now.getTime()),
      dealId: id,
      pipelineId: pipeline!.id,
      fromStageId: null,
      toStageId: initial.id,
      at: now,
      actorId: actor.userId,
      reason: null,
    });
    const created = toDealDto((await repo.findDeal(trx, ws, id))!);
    await auditDeal(trx, actorRef(actor), id, 'create', { name: input.name, stage: created.stageKey }, now);
    if (competitorIds.length) {
      await feedbackFromDealCompetitors(trx, {
        workspaceId: ws,
        deal: created,
        competitorIds,
        actorId: actor.userId,
        at: now,
      });
    }
    if (stage && stage.id !== initial.id) {
      return moveDealToStage(trx, ctx, {
        workspaceId: ws,
        dealId: id,
        stageKey: stage.key,
        actorId: actor.userId,
        lostReason: input.lostReason,
        lostNote: input.lostNote,
      });
    }
    return created;
  });
}

/** Options of {@link moveDealToStage} beyond the contract's (lost reasons, an id instead of a key). */
export interface MoveDeal {
  workspaceId: string;
  dealId: string;
  /** A stage key of the deal's pipeline (`quote_sent`, `won`, …). */
  stageKey: string;
  actorId: string | null;
  /** Required to reopen a closed deal. */
  reason?: string | null | undefined;
  /** Required when moving to the lost stage: one of the workspace's lost reasons. */
  lostReason?: string | undefined;
  lostNote?: string | null | undefined;
}

/**
 * Moves a deal to a stage of its own pipeline, in the caller's transaction: stage history (time,
 * actor, reason) and an audit row; won sets `won_at` and logs a `deal_won` touch on every contact
 * of the deal; lost needs a reason from the workspace's list, sets `lost_at`, logs `deal_lost` and
 * feeds the voice of the customer; leaving won or lost (reopening) needs a `reason`. Moving to the
 * stage the deal is in changes nothing. The caller has checked the actor may edit the deal.
 * Bad moves throw 400s naming the field (`stageKey`, `amountMinor`, `lostReason`, `reason`).
 */
export async function moveDealToStage(
  trx: Transaction<Database>,
  ctx: AppContext,
  m: MoveDeal,
): Promise<DealDto> {
  const ws = m.workspaceId;
  const deal = await repo.findDeal(trx, ws, m.dealId, { forUpdate: true });
  if (!deal) throw new NotFoundError('Deal', m.dealId);
  const target = await stagesRepo.findStageByKey(trx, ws, deal.pipeline_id, m.stageKey);
  if (!target) {
    throw new ValidationError(`No stage ${m.stageKey} in the deal's pipeline`, {
      stageKey: `is not a stage of pipeline ${deal.pipeline_id}`,
    });
  }
  if (target.id === deal.stage_id) return toDealDto(deal);
  const settings = await readSettings(trx, ws);
  const errors: FieldErrors = {};
  const reopening = deal.stage_kind !== 'open';
  const reason = m.reason?.trim() || null;
  if (reopening && !reason) errors.reason = 'reopening a closed deal needs a reason';
  if (target.kind === 'won' && settings.requireAmountOnWon && deal.amount_minor === null) {
    errors.amountMinor = 'a won deal needs an amount in this workspace';
  }
  if (target.kind === 'lost') {
    if (!m.lostReason) errors.lostReason = `is required: one of ${settings.lostReasons.join(', ')}`;
    else if (!settings.lostReasons.includes(m.lostReason))
      errors.lostReason = `must be one of ${settings.lostReasons.join(', ')}`;
  }
  throwIfErrors(errors);
  const now = ctx.clock.now();
  await repo.updateDeal(
    trx,
    ws,
    deal.id,
    {
      stage_id: target.id,
      stage_changed_at: now,
      won_at: target.kind === 'won' ? now : null,
      lost_at: target.kind === 'lost' ? now : null,
      lost_reason: target.kind === 'lost' ? (m.lostReason ?? null) : null,
      lost_note: target.kind === 'lost' ? m.lostNote?.trim() || null : null,
    },
    now,
  );
  await repo.insertHistory(trx, ws, {
    id: newId('dsh', now.getTime()),
    dealId: deal.id,
    pipelineId: deal.pipeline_id,
    fromStageId: deal.stage_id,
    toStageId: target.id,
    at: now,
    actorId: m.actorId,
    reason: reason ?? (target.kind === 'lost' ? (m.lostReason ?? null) : null),
  });
  const label = m.actorId ? ((await repo.userEmail(trx, ws, m.actorId)) ?? m.actorId) : 'system';
  await auditDeal(
    trx,
    { workspaceId: ws, userId: m.actorId, label },
    deal.id,
    'stage_change',
    {
      stage: { from: deal.stage_key, to: target.key },
      ...(reason ? { reason } : {}),
      ...(target.kind === 'lost' ? { lostReason: m.lostReason } : {}),
    },
    now,
  );
  const moved = toDealDto((await repo.findDeal(trx, ws, deal.id))!);
  if (target.kind === 'won' || target.kind === 'lost') {
    await logClosingTouches(
      trx,
      ctx,
      ws,
      moved,
      target.kind === 'won' ? 'deal_won' : 'deal_lost',
      m.actorId,
      now,
    );
  }
  if (target.kind === 'won') {
    // The deal's people become customers (lifecycle records the transition and its audit row).
    for (const contactId of moved.contactIds) {
      await changeStage(trx, ctx, {
        workspaceId: ws,
        contactId,
        to: 'customer',
        cause: m.actorId ? 'user' : 'system',
        actorId: m.actorId,
        reason: `Deal won: ${moved.name}`,
      });
    }
  }
  if (target.kind === 'lost') {
    await feedbackFromLostDeal(trx, { workspaceId: ws, deal: moved, actorId: m.actorId, at: now });
  }
  return moved;
}

/** One `deal_won` / `deal_lost` touch per contact of the deal (sales direction, the deal in metadata). */
async function logClosingTouches(
  trx: Transaction<Database>,
  ctx: AppContext,
  workspaceId: string,
  deal: DealDto,
  type: 'deal_won' | 'deal_lost',
  actorId: string | null,
  at: Date,
): Promise<void> {
  if (!deal.contactIds.length) return;
  // Creates the month's partition in this transaction if the caller did not (quotes, lifecycle).
  await ensurePartitions(trx, [`${at.toISOString().slice(0, 7)}-01`]);
  const contacts = await repo.contactsOf(trx, workspaceId, deal.contactIds);
  await writeTouches(
    trx,
    workspaceId,
    contacts.map((c) => ({
      id: newId('tch', at.getTime()),
      occurredAt: at,
      contactId: c.id,
      companyId: deal.companyId ?? c.company_id,
      campaignId: null,
      userId: actorId,
      type,
      direction: 'sales' as const,
      channel: null,
      metadata: {
        dealId: deal.id,
        dealName: deal.name,
        amountMinor: deal.amountMinor,
        currency: deal.currency,
        ...(type === 'deal_lost' ? { lostReason: deal.lostReason } : {}),
      },
      utm: {},
    })),
    at,
    ctx,
  );
}

/** The stage move an API caller asks for (stage by key or id), with the actor's edit rights checked. */
export async function moveDeal(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: {
    stageKey?: string | undefined;
    stageId?: string | undefined;
    reason?: string | null | undefined;
    lostReason?: string | undefined;
    lostNote?: string | null | undefined;
  },
): Promise<DealDto> {
  const now = ctx.clock.now();
  await ensurePartitions(ctx.db, [`${now.toISOString().slice(0, 7)}-01`]);
  return ctx.db.transaction().execute(async (trx) => {
    const deal = await repo.findDeal(trx, actor.workspaceId, id, { actor, forUpdate: true });
    if (!deal) throw new NotFoundError('Deal', id);
    let stageKey = input.stageKey;
    if (input.stageId) {
      const stage = await stagesRepo.findStage(trx, actor.workspaceId, input.stageId);
      if (!stage || stage.pipeline_id !== deal.pipeline_id) {
        throw new ValidationError('The stage belongs to another pipeline', {
          stageId: `is not a stage of pipeline ${deal.pipeline_id}`,
        });
      }
      stageKey = stage.key;
    }
    if (!stageKey) throw new ValidationError('Name the stage', { stageKey: 'give stageKey or stageId' });
    return moveDealToStage(trx, ctx, {
      workspaceId: actor.workspaceId,
      dealId: id,
      stageKey,
      actorId: actor.userId,
      reason: input.reason,
      lostReason: input.lostReason,
      lostNote: input.lostNote,
    });
  });
}

/**
 * Changes the fields given (null clears). Stage changes go through {@link moveDeal}. Owner and
 * team follow the record assignment rules; the audit row lists the changed fields.
 */
export async function updateDeal(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: DealUpdate,
): Promise<DealDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const current = await repo.findDeal(trx, ws, id, { actor, forUpdate: true });
    if (!current) throw new NotFoundError('Deal', id);
    const before = toDealDto(current);
    const errors: FieldErrors = {};
    await checkAssignment(
      trx,
      actor,
      { ownerId: input.ownerId, teamId: input.teamId },
      { ownerId: current.owner_id, teamId: current.team_id },
      errors,
    );
    let contactIds: string[] | undefined;
    if (input.contactId !== undefined || input.contactIds !== undefined) {
      const primary = input.contactId !== undefined ? input.contactId : before.contactId;
      const more = input.contactIds ?? before.contactIds.filter((c) => c !== before.contactId);
      contactIds = (await checkContacts(trx, actor, primary, more, errors)).map((c) => c.id);
    }
    const competitorIds =
      input.competitorIds !== undefined
        ? await checkCompetitors(trx, ws, input.competitorIds, errors)
        : undefined;
    if (
      input.amountMinor === null &&
      before.stageKind === 'won' &&
      (await readSettings(trx, ws)).requireAmountOnWon
    ) {
      errors.amountMinor = 'a won deal needs an amount in this workspace';
    }
    throwIfErrors(errors);
    const next: Partial<DealDto> = {
      name: input.name,
      contactId: contactIds ? (contactIds[0] ?? null) : undefined,
      contactIds,
      companyId: input.companyId,
      ownerId: input.ownerId,
      teamId: input.teamId,
      amountMinor: input.amountMinor,
      currency: input.currency,
      expectedCloseOn: input.expectedCloseOn,
      sourceCampaignId: input.sourceCampaignId,
      competitorIds,
      products: input.products?.map((p) => ({ productId: p.productId ?? null, name: p.name })),
      custom: input.custom,
    };
    const diff = diffOf(before as unknown as Record<string, unknown>, next as Record<string, unknown>);
    if (!Object.keys(diff).length) return before;
    const now = ctx.clock.now();
    const values: Partial<repo.DealValues> = {};
    if (next.name !== undefined) values.name = next.name;
    if (contactIds) values.contact_id = contactIds[0] ?? null;
    if (next.companyId !== undefined) values.company_id = next.companyId;
    if (next.ownerId !== undefined) values.owner_id = next.ownerId;
    if (next.teamId !== undefined) values.team_id = next.teamId;
    if (next.amountMinor !== undefined)
      values.amount_minor = next.amountMinor === null ? null : String(next.amountMinor);
    if (next.currency !== undefined) values.currency = next.currency;
    if (next.expectedCloseOn !== undefined) values.expected_close_on = next.expectedCloseOn;
    if (next.sourceCampaignId !== undefined) values.source_campaign_id = next.sourceCampaignId;
    if (next.products !== undefined) values.products = next.products;
    if (next.custom !== undefined) values.custom = next.custom;
    await repo.updateDeal(trx, ws, id, values, now);
    if (contactIds) await repo.setDealContacts(trx, ws, id, contactIds, now);
    if (competitorIds) await repo.setDealCompetitors(trx, ws, id, competitorIds, now);
    const { ownerId, ...rest } = diff;
    if (Object.keys(rest).length) await auditDeal(trx, actorRef(actor), id, 'update', rest, now);
    if (ownerId) await auditDeal(trx, actorRef(actor), id, 'owner_change', { ownerId }, now);
    const after = toDealDto((await repo.findDeal(trx, ws, id))!);
    const added = (competitorIds ?? []).filter((c) => !before.competitorIds.includes(c));
    if (added.length) {
      await feedbackFromDealCompetitors(trx, {
        workspaceId: ws,
        deal: after,
        competitorIds: added,
        actorId: actor.userId,
        at: now,
      });
    }
    return after;
  });
}

/** Soft-deletes a deal (it leaves lists and the board). */
export async function deleteDeal(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findDeal(trx, actor.workspaceId, id, { actor, forUpdate: true });
    if (!current) throw new NotFoundError('Deal', id);
    const now = ctx.clock.now();
    await repo.softDeleteDeal(trx, actor.workspaceId, id, now);
    await auditDeal(trx, actorRef(actor), id, 'delete', { name: current.name }, now);
  });
}

/** A keyset page of the deals the actor may see, newest first, with filters. */
export async function listDeals(ctx: AppContext, actor: Actor, q: DealListQuery): Promise<Page<DealDto>> {
  const cursor = decodeCursor(q.cursor);
  if (cursor && typeof cursor.v !== 'string') {
    throw new ValidationError('Invalid cursor', { cursor: 'is not a cursor this API returned' });
  }
  const rows = await repo.listDeals(
    ctx.db,
    actor,
    {
      q: q.q,
      pipelineId: q.pipelineId,
      stageIds: q.stageId ? [q.stageId] : undefined,
      status: q.status,
      ownerId: q.ownerId === 'me' ? actor.userId : q.ownerId === 'none' ? null : q.ownerId,
      contactId: q.contactId,
      companyId: q.companyId,
      competitorId: q.competitorId,
      closeFrom: q.closeFrom,
      closeTo: q.closeTo,
    },
    { before: cursor ? { at: String(cursor.v), id: cursor.id } : undefined, limit: q.limit + 1 },
  );
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map(toDealDto),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: last.cursor_at, id: last.id }) : null,
  };
}

/** Refuses writes by roles that only read (service). Reps' record limits come from visibility. */
export function assertCanWrite(actor: Actor): void {
  if (actor.role === 'service')
    throw new AppError(403, 'forbidden', 'Your role reads deals but does not change them');
}
