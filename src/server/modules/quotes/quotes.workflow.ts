import type { Transaction } from 'kysely';
import type { CustomerAnswer, QuoteDto } from '../../../contracts/quotes.ts';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db } from '../contacts/records.repo.ts';
import { getDeal, moveDealToStage } from '../deals/deals.service.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { changeStage } from '../lifecycle/lifecycle.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import { ensureTouchPartitions, writeTouches } from '../touches/touches.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './quotes.repo.ts';
import { getQuote, quoteLabel } from './quotes.service.ts';
import { bpToPercent } from './quotes.totals.ts';

/** The pipeline stage a sent quote moves its deal to (when the deal is not already past it). */
export const QUOTE_SENT_STAGE = 'quote_sent';

async function audit(
  trx: Db,
  actor: Actor,
  q: repo.QuoteRow,
  action: string,
  diff: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await appendAudit(trx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action,
    entityType: 'quote',
    entityId: q.id,
    diff: { label: quoteLabel(q), ...diff },
    at,
  });
}

async function lockQuote(trx: Db, actor: Actor, id: string): Promise<repo.QuoteRow> {
  const q = await repo.findQuote(trx, actor, id, { forUpdate: true });
  if (!q) throw new NotFoundError('Quote', id);
  return q;
}

/**
 * Asks the sales managers to approve a draft whose effective discount exceeds the workspace
 * threshold: status `pending_approval`, audited, and every active sales manager is notified.
 */
export async function requestApproval(ctx: AppContext, actor: Actor, id: string): Promise<QuoteDto> {
  await ctx.db.transaction().execute(async (trx) => {
    const q = await lockQuote(trx, actor, id);
    if (q.status !== 'draft')
      throw new ConflictError(
        `Only a draft can be submitted for approval (quote is ${q.status})`,
        undefined,
        {
          status: `is ${q.status}`,
        },
      );
    if (q.approval_state !== 'required' && q.approval_state !== 'rejected')
      throw new ConflictError(
        q.approval_state === 'approved'
          ? 'This quote is already approved'
          : `No approval needed: the discount ${bpToPercent(q.effective_discount_bp)} % is within the ${bpToPercent(q.threshold_bp)} % threshold`,
        undefined,
        { approval: `is ${q.approval_state}` },
      );
    const at = ctx.clock.now();
    await repo.updateQuote(trx, actor.workspaceId, id, {
      status: 'pending_approval',
      approval_state: 'pending',
      approval_requested_by: actor.userId,
      approval_requested_at: at,
      approval_decided_by: null,
      approval_decided_at: null,
      approval_comment: null,
      updated_at: at,
    });
    await audit(
      trx,
      actor,
      q,
      'approval_requested',
      {
        effectiveDiscountPercent: bpToPercent(q.effective_discount_bp),
        thresholdPercent: bpToPercent(q.threshold_bp),
        totalMinor: Number(q.total_minor),
        currency: q.currency,
      },
      at,
    );
    await notifyManagers(trx, ctx, actor, q);
  });
  return getQuote(ctx, actor, id);
}

/**
 * Tells the workspace's sales managers a discount waits for their decision (in-app notification, in
 * the request's transaction; one per request thanks to the dedupe key).
 */
async function notifyManagers(
  trx: Transaction<Database>,
  ctx: AppContext,
  actor: Actor,
  q: repo.QuoteRow,
): Promise<void> {
  const managers = (await repo.salesManagerIds(trx, actor.workspaceId)).filter((m) => m !== actor.userId);
  await notify(trx, {
    workspaceId: actor.workspaceId,
    userIds: managers,
    kind: 'quote_approval_requested',
    title: `Approve ${bpToPercent(q.effective_discount_bp)} % discount on quote ${quoteLabel(q)}`,
    body: `${actor.name} asks for approval (threshold ${bpToPercent(q.threshold_bp)} %)`,
    link: `/quotes/${q.id}`,
    data: { quoteId: q.id, effectiveDiscountPercent: bpToPercent(q.effective_discount_bp) },
    dedupeKey: `quote_approval:${q.id}:${ctx.clock.now().getTime()}`,
    at: ctx.clock.now(),
  });
}

/**
 * A sales manager approves or rejects the discount of a pending quote, with a comment (required to
 * reject). Approval returns the quote to `draft` ready to send; rejection returns it to `draft` to
 * rework. The requester cannot decide on their own request.
 */
export async function decideApproval(
  ctx: AppContext,
  actor: Actor,
  id: string,
  decision: 'approved' | 'rejected',
  comment: string | null,
): Promise<QuoteDto> {
  await ctx.db.transaction().execute(async (trx) => {
    const q = await lockQuote(trx, actor, id);
    if (q.status !== 'pending_approval')
      throw new ConflictError(
        `Quote ${quoteLabel(q)} is not waiting for approval (it is ${q.status})`,
        undefined,
        {
          status: `is ${q.status}`,
        },
      );
    if (q.approval_requested_by === actor.userId)
      throw new ForbiddenError('Supervision, not trust: another manager decides on your own request');
    if (decision === 'rejected' && !comment)
      throw new ValidationError('Say why the discount is rejected', { comment: 'is required to reject' });
    const at = ctx.clock.now();
    await repo.updateQuote(trx, actor.workspaceId, id, {
      status: 'draft',
      approval_state: decision,
      approval_decided_by: actor.userId,
      approval_decided_at: at,
      approval_comment: comment,
      updated_at: at,
    });
    await audit(
      trx,
      actor,
      q,
      decision === 'approved' ? 'approval_approved' : 'approval_rejected',
      {
        comment,
        requestedBy: q.approval_requested_by,
        effectiveDiscountPercent: bpToPercent(q.effective_discount_bp),
      },
      at,
    );
  });
  return getQuote(ctx, actor, id);
}

/**
 * Sends a draft quote: status `sent`, a `quote_sent` touch on its contact, the deal moved to
 * `quote_sent` (unless already further along or closed) and the contact made an `opportunity`, all
 * in one transaction. A quote over the discount threshold needs an approval first (409). E-mail
 * delivery is not part of this: "sent" marks the quote sent and the PDF is downloaded from it.
 */
export async function sendQuote(ctx: AppContext, actor: Actor, id: string): Promise<QuoteDto> {
  const now = ctx.clock.now();
  const seen = await repo.findQuote(ctx.db, actor, id);
  if (!seen) throw new NotFoundError('Quote', id);
  // Read before the transaction: the embedded engine has one connection, held by an open transaction.
  const deal = await getDeal(ctx, actor, seen.deal_id);
  await ensureTouchPartitions(ctx, [now]);
  await ctx.db.transaction().execute(async (trx) => {
    const ws = actor.workspaceId;
    const q = await lockQuote(trx, actor, id);
    if (
      q.status === 'pending_approval' ||
      q.approval_state === 'required' ||
      q.approval_state === 'rejected'
    ) {
      throw new AppError(
        409,
        'approval_required',
        `Quote ${quoteLabel(q)} gives ${bpToPercent(q.effective_discount_bp)} % discount, above the ${bpToPercent(q.threshold_bp)} % threshold: a sales manager must approve it before it is sent`,
        { approval: `is ${q.approval_state}` },
      );
    }
    if (q.status !== 'draft')
      throw new ConflictError(`Quote ${quoteLabel(q)} is ${q.status}; only a draft can be sent`, undefined, {
        status: `is ${q.status}`,
      });
    const lines = await repo.findLines(trx, ws, [id]);
    if (!lines.length)
      throw new ValidationError('An empty quote cannot be sent', { lines: 'add at least one line' });
    const today = now.toISOString().slice(0, 10);
    if (String(q.valid_until).slice(0, 10) < today)
      throw new ValidationError('The quote has expired', { validUntil: 'is in the past: set a new date' });

    await repo.updateQuote(trx, ws, id, {
      status: 'sent',
      sent_at: now,
      sent_by: actor.userId,
      updated_at: now,
    });
    const contactId = q.contact_id ?? deal.contactId;
    if (contactId) {
      await writeTouches(
        trx,
        ws,
        [
          {
            id: newId('tch', now.getTime()),
            occurredAt: now,
            contactId,
            companyId: deal.companyId,
            campaignId: null,
            userId: actor.userId,
            type: 'quote_sent',
            direction: 'sales',
            channel: null,
            metadata: {
              quoteId: q.id,
              label: quoteLabel(q),
              dealId: q.deal_id,
              totalMinor: Number(q.total_minor),
              currency: q.currency,
            },
            utm: {},
          },
        ],
        now,
        ctx,
      );
    }
    if (deal.stageKind === 'open') {
      const stages = await repo.stagePositions(trx, ws, deal.pipelineId);
      const current = stages.find((s) => s.id === deal.stageId);
      const target = stages.find((s) => s.key === QUOTE_SENT_STAGE);
      if (current && target && current.position < target.position) {
        await moveDealToStage(trx, ctx, {
          workspaceId: ws,
          dealId: deal.id,
          stageKey: QUOTE_SENT_STAGE,
          actorId: actor.userId,
          reason: `quote ${quoteLabel(q)} sent`,
        });
      }
    }
    if (contactId) {
      // A rule, not a person: a contact already further along (a customer) is left where it is.
      await changeStage(trx, ctx, {
        workspaceId: ws,
        contactId,
        to: 'opportunity',
        cause: 'rule',
        actorId: actor.userId,
        reason: `quote ${quoteLabel(q)} sent`,
      });
    }
    await audit(
      trx,
      actor,
      q,
      'send',
      { dealId: q.deal_id, contactId, totalMinor: Number(q.total_minor), currency: q.currency },
      now,
    );
  });
  return getQuote(ctx, actor, id);
}

/** Records the customer's answer to a sent quote: `accepted` or `rejected` (audited). */
export async function answerQuote(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CustomerAnswer,
): Promise<QuoteDto> {
  await ctx.db.transaction().execute(async (trx) => {
    const q = await lockQuote(trx, actor, id);
    if (q.status !== 'sent')
      throw new ConflictError(
        `Only a sent quote can be accepted or rejected (it is ${q.status})`,
        undefined,
        {
          status: `is ${q.status}`,
        },
      );
    const at = ctx.clock.now();
    await repo.updateQuote(trx, actor.workspaceId, id, {
      status: input.outcome,
      answered_at: at,
      updated_at: at,
    });
    await audit(
      trx,
      actor,
      q,
      input.outcome === 'accepted' ? 'accept' : 'reject',
      { comment: input.comment ?? null },
      at,
    );
  });
  return getQuote(ctx, actor, id);
}

/** Marks sent quotes past their validity date as expired (a daily job). */
export async function expireQuotes(ctx: AppContext): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const expired = await repo.expireQuotes(trx, now.toISOString().slice(0, 10));
    for (const q of expired) {
      await appendAudit(trx, {
        workspaceId: q.workspace_id,
        actorUserId: null,
        actorLabel: 'system',
        action: 'expire',
        entityType: 'quote',
        entityId: q.id,
        diff: {},
        at: now,
      });
    }
    return expired.length;
  });
}
