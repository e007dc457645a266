import type {
  ContactLifecycleDto,
  InboxItemDto,
  NextActionDto,
  Stage,
} from '../../../contracts/lifecycle.ts';
import type { AppContext } from '../../http/context.ts';
import { ForbiddenError, NotFoundError } from '../../lib/errors.ts';
import { type Actor, canAssignToOthers } from '../workspaces/workspaces.policy.ts';
import { nextOpenTasks } from './lifecycle.playbooks.repo.ts';
import { nextAction } from './lifecycle.playbooks.ts';
import * as repo from './lifecycle.repo.ts';
import { assignmentsOf } from './lifecycle.routing.repo.ts';
import { reassignLead, toAssignmentDto } from './lifecycle.routing.ts';
import { changeStage, stageHistory } from './lifecycle.service.ts';
import { getSettings } from './lifecycle.settings.ts';

async function visibleLead(ctx: AppContext, actor: Actor, contactId: string): Promise<repo.LeadRow> {
  const lead = await repo.findVisibleLead(ctx.db, actor, contactId);
  if (!lead) throw new NotFoundError('Contact', contactId);
  return lead;
}

/** The contact page's lifecycle panel: stage, history, owner, SLA, next best action. */
export async function contactLifecycle(
  ctx: AppContext,
  actor: Actor,
  contactId: string,
): Promise<ContactLifecycleDto> {
  const lead = await visibleLead(ctx, actor, contactId);
  const ws = actor.workspaceId;
  const [history, assignments, settings, action] = await Promise.all([
    stageHistory(ctx, ws, contactId),
    assignmentsOf(ctx.db, ws, contactId),
    getSettings(ctx.db, ws),
    nextAction(ctx.db, ws, contactId, lead),
  ]);
  const open = assignments.find((a) => !a.ended_at) ?? assignments[0];
  return {
    contactId,
    stage: lead.lifecycle_stage,
    stageAt: lead.stage_at ? new Date(lead.stage_at).toISOString() : null,
    ownerId: lead.owner_id,
    ownerName: lead.owner_name,
    temperature: lead.temperature ?? 'cold',
    score: Number(lead.score ?? 0),
    touches: Number(lead.touch_count),
    cadenceTarget: settings.cadenceTarget,
    assignment: open ? toAssignmentDto(open) : null,
    nextAction: action,
    history,
    disqualifyReasons: settings.disqualifyReasons,
  };
}

/** A person moves a contact's stage (a move back needs a reason; changeStage enforces it). */
export async function moveStage(
  ctx: AppContext,
  actor: Actor,
  contactId: string,
  to: Stage,
  reason?: string,
): Promise<ContactLifecycleDto> {
  await visibleLead(ctx, actor, contactId);
  await ctx.db.transaction().execute((trx) =>
    changeStage(trx, ctx, {
      workspaceId: actor.workspaceId,
      contactId,
      to,
      cause: 'user',
      actorId: actor.userId,
      reason,
    }),
  );
  return contactLifecycle(ctx, actor, contactId);
}

/**
 * A rep accepts a lead: it becomes an SQL ("a qualified lead is one willing to receive a quotation").
 * Only its owner, or someone who may assign to others, accepts it.
 */
export async function acceptLead(
  ctx: AppContext,
  actor: Actor,
  contactId: string,
): Promise<ContactLifecycleDto> {
  const lead = await visibleLead(ctx, actor, contactId);
  if (lead.owner_id !== actor.userId && !canAssignToOthers(actor)) {
    throw new ForbiddenError('Only the lead owner or a manager can accept this lead');
  }
  return moveStage(ctx, actor, contactId, 'sql');
}

export async function reassign(
  ctx: AppContext,
  actor: Actor,
  contactId: string,
  userId: string,
  reason?: string,
): Promise<ContactLifecycleDto> {
  await visibleLead(ctx, actor, contactId);
  await ctx.db.transaction().execute((trx) =>
    reassignLead(trx, ctx, {
      workspaceId: actor.workspaceId,
      contactId,
      userId,
      actorId: actor.userId,
      reason,
    }),
  );
  return contactLifecycle(ctx, actor, contactId);
}

/** The inbox lists at most this many leads (hottest and most overdue first). */
const INBOX_LIMIT = 200;

function inboxFilter(
  actor: Actor,
  q: { userId?: string | undefined; scope: 'mine' | 'team' },
): repo.InboxFilter {
  if ((q.userId && q.userId !== actor.userId) || q.scope === 'team') {
    if (!canAssignToOthers(actor)) throw new ForbiddenError("Only managers can see other people's leads");
  }
  return q.scope === 'team' && !q.userId ? { visible: true } : { ownerId: q.userId ?? actor.userId };
}

/** How many leads an inbox holds, beyond the ones it lists. */
export async function inboxTotal(
  ctx: AppContext,
  actor: Actor,
  q: { userId?: string | undefined; scope: 'mine' | 'team' },
): Promise<number> {
  return repo.inboxCount(ctx.db, actor, inboxFilter(actor, q));
}

/**
 * The "My leads" inbox: open leads (mql, sql) of one owner, hot first, then by SLA time left, each
 * with its touch count against the cadence target and its next best action. Managers may look at
 * a rep's inbox (`userId`) or at every lead they can see (`scope=team`).
 */
export async function inbox(
  ctx: AppContext,
  actor: Actor,
  q: { userId?: string | undefined; scope: 'mine' | 'team' },
  limit = INBOX_LIMIT,
): Promise<InboxItemDto[]> {
  const rows = await repo.inboxRows(ctx.db, actor, inboxFilter(actor, q), limit);
  const settings = await getSettings(ctx.db, actor.workspaceId);
  const tasks = new Map(
    (
      await nextOpenTasks(
        ctx.db,
        actor.workspaceId,
        rows.map((r) => r.id),
      )
    ).map((t) => [t.contact_id, t]),
  );
  const now = ctx.clock.now().getTime();
  const items: InboxItemDto[] = [];
  for (const r of rows) {
    const t = tasks.get(r.id);
    const action: NextActionDto | null = t
      ? {
          source: 'task',
          taskId: t.id,
          kind: 'task',
          type: t.type,
          title: t.title,
          dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
        }
      : await nextAction(ctx.db, actor.workspaceId, r.id, r);
    const open = r.sla_due_at && !r.first_sales_touch_at;
    items.push({
      contactId: r.id,
      name: r.name,
      email: r.email,
      companyName: r.company_name,
      ownerId: r.owner_id,
      stage: r.lifecycle_stage,
      temperature: r.temperature ?? 'cold',
      score: Number(r.score ?? 0),
      touches: Number(r.touch_count),
      cadenceTarget: settings.cadenceTarget,
      assignedAt: r.assigned_at ? new Date(r.assigned_at).toISOString() : null,
      slaDueAt: r.sla_due_at ? new Date(r.sla_due_at).toISOString() : null,
      slaMinutesLeft: open ? Math.round((new Date(r.sla_due_at!).getTime() - now) / 60_000) : null,
      slaBreached: Boolean(r.breached_at),
      firstSalesTouchAt: r.first_sales_touch_at ? new Date(r.first_sales_touch_at).toISOString() : null,
      nextAction: action,
    });
  }
  return items;
}
