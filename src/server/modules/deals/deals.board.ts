import type { ActivityInput, BoardDto, BoardQuery, DealTimelineItem } from '../../../contracts/deals.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { iso } from '../contacts/records.ts';
import { findTouches } from '../touches/touches.repo.ts';
import { logTouches, toTouchDto } from '../touches/touches.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { dateOnly } from './deals.currency.ts';
import { ensureDefaultPipeline, getPipeline, readSettings } from './deals.pipelines.ts';
import * as repo from './deals.repo.ts';
import { toDealDto } from './deals.service.ts';

/** The board (kanban columns with sums in the reporting currency), a deal's timeline, activities. */

/**
 * One pipeline as columns: the first `limit` cards of each stage and, over every deal of the
 * stage, the count and the sum in the workspace's reporting currency (open deals at today's rate,
 * closed deals at the rate of their close date). Amounts with no known rate are counted in
 * `unconverted` and left out of the sum rather than guessed.
 */
export async function getBoard(ctx: AppContext, actor: Actor, q: BoardQuery): Promise<BoardDto> {
  const ws = actor.workspaceId;
  const pipelineId =
    q.pipelineId ??
    (await ctx.db.transaction().execute((trx) => ensureDefaultPipeline(trx, ws, ctx.clock.now()))).id;
  const pipeline = await getPipeline(ctx.db, ws, pipelineId);
  const settings = await readSettings(ctx.db, ws);
  const filter = {
    pipelineId,
    ownerId: q.ownerId === 'me' ? actor.userId : q.ownerId === 'none' ? null : q.ownerId,
  };
  const [cards, sums] = await Promise.all([
    repo.boardCards(ctx.db, actor, filter, q.limit),
    repo.boardSums(ctx.db, actor, filter, settings.reportingCurrency, dateOnly(ctx.clock.now())),
  ]);
  const totals = new Map(sums.map((s) => [s.stage_id, s]));
  return {
    pipeline,
    reportingCurrency: settings.reportingCurrency,
    columns: pipeline.stages.map((stage) => {
      const t = totals.get(stage.id) ?? { count: 0, total_minor: 0, unconverted: 0 };
      return {
        stage,
        count: t.count,
        totalMinor: t.total_minor,
        unconverted: t.unconverted,
        deals: cards.filter((c) => c.stage_id === stage.id).map(toDealDto),
      };
    }),
  };
}

/**
 * A deal's timeline, newest first: the touches of its contacts and its stage changes. `before`
 * pages back in time.
 */
export async function dealTimeline(
  ctx: AppContext,
  actor: Actor,
  id: string,
  q: { before?: string | undefined; limit: number },
): Promise<DealTimelineItem[]> {
  const deal = await repo.findDeal(ctx.db, actor.workspaceId, id, { actor });
  if (!deal) throw new NotFoundError('Deal', id);
  const before = q.before ? new Date(q.before) : undefined;
  const [touches, history] = await Promise.all([
    repo.contactTouches(ctx.db, actor.workspaceId, deal.contact_ids, before, q.limit),
    repo.listHistory(ctx.db, actor.workspaceId, id),
  ]);
  const items: DealTimelineItem[] = [
    ...touches.map((t) => {
      const dto = toTouchDto(t);
      return { kind: 'touch' as const, at: dto.occurredAt, id: dto.id, touch: dto };
    }),
    ...history
      .filter((h) => !before || h.at < before)
      .map((h) => ({
        kind: 'stage' as const,
        at: iso(h.at),
        id: h.id,
        stage: {
          id: h.id,
          fromStageId: h.from_stage_id,
          toStageId: h.to_stage_id,
          at: iso(h.at),
          actorId: h.actor_id,
          reason: h.reason,
        },
      })),
  ];
  items.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
  return items.slice(0, q.limit);
}

/**
 * Logs a call, meeting or note on a deal as a sales touch on one of its contacts (default: the
 * primary one), with the outcome and notes in the touch's metadata next to the deal id.
 */
export async function logDealActivity(ctx: AppContext, actor: Actor, id: string, input: ActivityInput) {
  const deal = await repo.findDeal(ctx.db, actor.workspaceId, id, { actor });
  if (!deal) throw new NotFoundError('Deal', id);
  const contactId = input.contactId ?? deal.contact_id;
  if (!contactId || !deal.contact_ids.includes(contactId)) {
    throw new ValidationError('Name a contact of this deal', {
      contactId: deal.contact_ids.length
        ? 'is not a contact of this deal'
        : 'the deal has no contact to log against',
    });
  }
  const [logged] = await logTouches(
    ctx,
    actor,
    [
      {
        contactId,
        type: input.type,
        direction: 'sales',
        ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
        metadata: {
          dealId: deal.id,
          ...(input.outcome ? { outcome: input.outcome } : {}),
          ...(input.notes ? { notes: input.notes } : {}),
        },
      },
    ],
    '',
  );
  const [row] = await findTouches(ctx.db, actor.workspaceId, [logged!.id]);
  return toTouchDto(row!);
}
