import type { DealDto } from '../../../contracts/deals.ts';
import type {
  CompetitorCreate,
  CompetitorDto,
  CompetitorUpdate,
  FeedbackCreate,
  FeedbackDto,
  FeedbackListQuery,
} from '../../../contracts/feedback.ts';
import type { FeedbackType } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, encodeCursor, type Page } from '../../lib/pagination.ts';
import type { Db } from '../contacts/records.repo.ts';
import { iso, throwIfErrors } from '../contacts/records.ts';
import { findDeal, visibleContacts } from '../deals/deals.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './feedback.repo.ts';

/** Voice of the customer: what customers say, captured on contacts and deals, for marketing. */

export function toCompetitorDto(r: repo.CompetitorRow): CompetitorDto {
  return { id: r.id, name: r.name, website: r.website, notes: r.notes, createdAt: iso(r.created_at) };
}

export function toFeedbackDto(r: repo.FeedbackRow): FeedbackDto {
  return {
    id: r.id,
    type: r.type,
    source: r.source,
    contactId: r.contact_id,
    dealId: r.deal_id,
    productId: r.product_id,
    productName: r.product_name,
    competitorId: r.competitor_id,
    lostReason: r.lost_reason,
    body: r.body,
    occurredAt: iso(r.occurred_at),
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
  };
}

export async function listCompetitors(ctx: AppContext, actor: Actor): Promise<CompetitorDto[]> {
  return (await repo.listCompetitors(ctx.db, actor.workspaceId)).map(toCompetitorDto);
}

/** Adds a competitor to the registry (409 when the name exists, case-insensitive). */
export async function createCompetitor(
  ctx: AppContext,
  actor: Actor,
  input: CompetitorCreate,
): Promise<CompetitorDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await repo.competitorByName(trx, actor.workspaceId, input.name);
    if (taken) throw new ConflictError('A competitor with this name exists', taken.id, { name: 'is taken' });
    const at = ctx.clock.now();
    const id = newId('comp', at.getTime());
    await repo.insertCompetitor(trx, actor.workspaceId, {
      id,
      name: input.name,
      website: input.website ?? null,
      notes: input.notes ?? null,
      at,
    });
    await audit(trx, actor, 'create', 'competitor', id, { name: input.name }, at);
    return toCompetitorDto((await repo.findCompetitor(trx, actor.workspaceId, id))!);
  });
}

export async function updateCompetitor(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CompetitorUpdate,
): Promise<CompetitorDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findCompetitor(trx, actor.workspaceId, id);
    if (!current) throw new NotFoundError('Competitor', id);
    if (input.name) {
      const taken = await repo.competitorByName(trx, actor.workspaceId, input.name, id);
      if (taken)
        throw new ConflictError('A competitor with this name exists', taken.id, { name: 'is taken' });
    }
    const at = ctx.clock.now();
    const values = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    await repo.updateCompetitor(trx, actor.workspaceId, id, values, at);
    await audit(trx, actor, 'update', 'competitor', id, values, at);
    return toCompetitorDto((await repo.findCompetitor(trx, actor.workspaceId, id))!);
  });
}

function audit(
  trx: Db,
  actor: Actor,
  action: string,
  entityType: string,
  id: string,
  diff: Record<string, unknown>,
  at: Date,
) {
  return appendAudit(trx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action,
    entityType,
    entityId: id,
    diff,
    at,
  });
}

/**
 * Records a feedback item on a contact or a deal the actor can see (a deal's primary contact is
 * taken when no contact is named). The competitor must be in the registry.
 */
export async function createFeedback(
  ctx: AppContext,
  actor: Actor,
  input: FeedbackCreate,
): Promise<FeedbackDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const errors: FieldErrors = {};
    const deal = input.dealId ? await findDeal(trx, ws, input.dealId, { actor }) : undefined;
    if (input.dealId && !deal) errors.dealId = 'is not a deal you can see';
    const contactId = input.contactId ?? deal?.contact_id ?? null;
    if (input.contactId) {
      const [c] = await visibleContacts(trx, actor, [input.contactId]);
      if (!c) errors.contactId = 'is not a contact you can see';
    }
    if (input.competitorId && !(await repo.findCompetitor(trx, ws, input.competitorId))) {
      errors.competitorId = 'is not a competitor of this workspace';
    }
    const now = ctx.clock.now();
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
    if (occurredAt.getTime() > now.getTime() + 5 * 60_000) errors.occurredAt = 'is in the future';
    throwIfErrors(errors);
    const id = newId('fbk', now.getTime());
    await repo.insertFeedback(
      trx,
      ws,
      [
        {
          id,
          type: input.type,
          source: 'manual',
          contact_id: contactId,
          deal_id: deal?.id ?? null,
          product_id: input.productId ?? null,
          product_name: input.productName ?? null,
          competitor_id: input.competitorId ?? null,
          lost_reason: null,
          body: input.body,
          occurred_at: occurredAt,
          created_by: actor.userId,
        },
      ],
      now,
    );
    await audit(trx, actor, 'create', 'feedback', id, { type: input.type }, now);
    return toFeedbackDto((await repo.findFeedback(trx, ws, id))!);
  });
}

/** Feedback the actor may see, newest first, filterable by type, product, competitor and period. */
export async function listFeedback(
  ctx: AppContext,
  actor: Actor,
  q: FeedbackListQuery,
): Promise<Page<FeedbackDto>> {
  if (q.from && q.to && q.from > q.to) throw new ValidationError('Invalid period', { to: 'is before from' });
  const cursor = decodeCursor(q.cursor);
  const rows = await repo.listFeedback(ctx.db, actor.workspaceId, {
    type: q.type,
    productId: q.productId,
    product: q.product,
    competitorId: q.competitorId,
    contactId: q.contactId,
    dealId: q.dealId,
    from: q.from,
    to: q.to,
    before: cursor ? { at: String(cursor.v), id: cursor.id } : undefined,
    actor,
    limit: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map(toFeedbackDto),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ v: last.cursor_at, id: last.id }) : null,
  };
}

/** What a lost reason says, as a feedback type. */
const TYPE_OF_LOST_REASON: Record<string, FeedbackType> = {
  price: 'price_feedback',
  no_budget: 'price_feedback',
  competitor: 'competitor_mention',
};

/**
 * A lost deal feeds the voice of the customer: one item with its lost reason and note (one per
 * competitor of the deal when the reason is the competition), in the move's transaction.
 */
export async function feedbackFromLostDeal(
  trx: Db,
  e: { workspaceId: string; deal: DealDto; actorId: string | null; at: Date },
): Promise<void> {
  const reason = e.deal.lostReason ?? 'other';
  const type = TYPE_OF_LOST_REASON[reason] ?? 'objection';
  const product = e.deal.products[0];
  const competitors: (string | null)[] =
    type === 'competitor_mention' && e.deal.competitorIds.length
      ? e.deal.competitorIds
      : [e.deal.competitorIds[0] ?? null];
  await repo.insertFeedback(
    trx,
    e.workspaceId,
    competitors.map((competitorId) => ({
      id: newId('fbk', e.at.getTime()),
      type,
      source: 'deal_lost' as const,
      contact_id: e.deal.contactId,
      deal_id: e.deal.id,
      product_id: product?.productId ?? null,
      product_name: product?.name ?? null,
      competitor_id: competitorId,
      lost_reason: reason,
      body: e.deal.lostNote ?? '',
      occurred_at: e.at,
      created_by: e.actorId,
    })),
    e.at,
  );
}

/** Competitors named on a deal become competitor mentions (one per newly named competitor). */
export async function feedbackFromDealCompetitors(
  trx: Db,
  e: { workspaceId: string; deal: DealDto; competitorIds: string[]; actorId: string | null; at: Date },
): Promise<void> {
  const product = e.deal.products[0];
  await repo.insertFeedback(
    trx,
    e.workspaceId,
    e.competitorIds.map((competitorId) => ({
      id: newId('fbk', e.at.getTime()),
      type: 'competitor_mention' as const,
      source: 'deal_competitor' as const,
      contact_id: e.deal.contactId,
      deal_id: e.deal.id,
      product_id: product?.productId ?? null,
      product_name: product?.name ?? null,
      competitor_id: competitorId,
      lost_reason: null,
      body: '',
      occurred_at: e.at,
      created_by: e.actorId,
    })),
    e.at,
  );
}
