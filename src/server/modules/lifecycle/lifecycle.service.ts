import type { Transaction } from 'kysely';
import { MAIN_STAGES, type TransitionDto } from '../../../contracts/lifecycle.ts';
import type { Database, LifecycleStage, TransitionCause } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { appendAudit, appendAuditMany } from '../governance/governance.repo.ts';
import { applyPlaybook } from './lifecycle.playbooks.ts';
import * as repo from './lifecycle.repo.ts';
import { endAssignment, openAssignment } from './lifecycle.routing.repo.ts';
import { routeLead } from './lifecycle.routing.ts';
import { getSettings } from './lifecycle.settings.ts';
import { cancelPlaybookTasks } from './lifecycle.tasks.repo.ts';

/**
 * What the write path of lifecycle needs from the app context: only the clock. The touch log, which
 * has no full context where it writes, can call it with its own `now`.
 */
export type ClockContext = Pick<AppContext, 'clock'>;

export interface ChangeStageInput {
  workspaceId: string;
  contactId: string;
  to: LifecycleStage;
  cause: TransitionCause;
  actorId?: string | null | undefined;
  reason?: string | null | undefined;
  /** Audit label when there is no user (defaults to the cause: `rule`, `import`, `system`). */
  actorLabel?: string | undefined;
}

export interface StageChange {
  changed: boolean;
  from: LifecycleStage;
  to: LifecycleStage;
  transitionId: string | null;
}

/**
 * Rank on the main line. `recycled` sits with `lead` (back in marketing's nurture), so a hand-raise
 * or a score can bring a recycled contact forward again; `disqualified` has no rank: only a person
 * with a reason takes a contact out of it.
 */
function rank(stage: LifecycleStage): number | null {
  if (stage === 'recycled') return MAIN_STAGES.indexOf('lead');
  if (stage === 'disqualified') return null;
  return MAIN_STAGES.indexOf(stage);
}

/** Side exits always need a reason: reports and nurture both read it. */
const NEEDS_REASON: ReadonlySet<LifecycleStage> = new Set(['disqualified', 'recycled']);

/**
 * Moves a contact to another lifecycle stage in the caller's transaction, recording the transition
 * (time, cause, actor, reason) and an audit row. The rules:
 * - the same stage is a no-op;
 * - forward moves on the main line are always allowed;
 * - `disqualified` and `recycled` need a reason, whoever asks;
 * - a backward move (or leaving `disqualified`) by a person (`user`) needs a reason, else 400;
 * - a backward move asked by a rule or an import is skipped (returns `changed: false`): stages
 *   never move backwards silently, and automation never moves them backwards at all.
 * The contact row is locked first, so concurrent moves of one contact serialize.
 */
export async function changeStage(
  trx: Transaction<Database>,
  ctx: ClockContext,
  input: ChangeStageInput,
): Promise<StageChange> {
  const { workspaceId, contactId, to, cause } = input;
  const reason = input.reason?.trim() || null;
  const row = await repo.lockContactStage(trx, workspaceId, contactId);
  if (!row || row.deleted_at) throw new NotFoundError('Contact', contactId);
  const from = row.lifecycle_stage;
  const unchanged: StageChange = { changed: false, from, to: from, transitionId: null };
  if (from === to) return unchanged;

  if (NEEDS_REASON.has(to) && !reason) {
    if (cause !== 'user') return unchanged;
    throw new ValidationError(`Moving a contact to ${to} needs a reason`, { reason: 'is required' });
  }
  const fromRank = rank(from);
  const toRank = rank(to);
  const backward = !NEEDS_REASON.has(to) && (fromRank === null || (toRank !== null && toRank < fromRank));
  if (backward) {
    if (cause === 'rule' || cause === 'import') return unchanged;
    if (!reason) {
      throw new ValidationError(`Moving a contact back from ${from} to ${to} needs a reason`, {
        reason: 'is required for a move backwards',
      });
    }
  }

  if (to === 'disqualified' && cause === 'user') {
    const { disqualifyReasons } = await getSettings(trx, workspaceId);
    if (!disqualifyReasons.includes(reason!)) {
      throw new ValidationError('Pick a disqualification reason from the workspace list', {
        reason: `must be one of ${disqualifyReasons.join(', ')}`,
      });
    }
  }

  const at = ctx.clock.now();
  await repo.setStage(trx, workspaceId, contactId, to, at);
  const transitionId = await repo.insertTransition(trx, {
    workspaceId,
    contactId,
    from,
    to,
    cause,
    actorId: input.actorId ?? null,
    reason,
    at,
  });
  const actor = input.actorId ? await repo.findUser(trx, workspaceId, input.actorId) : undefined;
  await appendAudit(trx, {
    workspaceId,
    actorUserId: actor?.id ?? null,
    actorLabel: actor?.email ?? input.actorLabel ?? cause,
    action: 'contact.stage_changed',
    entityType: 'contact',
    entityId: contactId,
    diff: { lifecycleStage: [from, to], cause, ...(reason ? { reason } : {}) },
    at,
  });
  await afterTransition(trx, ctx, { workspaceId, contactId, to, actorId: input.actorId ?? null, at });
  return { changed: true, from, to, transitionId };
}

/**
 * What entering a stage sets off: an MQL is routed to its owner and gets its playbook; leaving the
 * pipeline (disqualified, recycled) closes the open assignment and cancels open playbook tasks.
 */
async function afterTransition(
  trx: Transaction<Database>,
  ctx: ClockContext,
  e: { workspaceId: string; contactId: string; to: LifecycleStage; actorId: string | null; at: Date },
): Promise<void> {
  if (e.to === 'mql') {
    await routeNewMql(trx, ctx, e.workspaceId, e.contactId);
    return;
  }
  if (e.to === 'disqualified' || e.to === 'recycled') {
    const open = await openAssignment(trx, e.workspaceId, e.contactId);
    if (open) await endAssignment(trx, e.workspaceId, open.id, e.at, e.to);
    await cancelPlaybookTasks(trx, e.workspaceId, e.contactId, e.at);
  }
}

/** An MQL's hand-off: routed to its owner, whose playbook then starts. The contact row is locked. */
async function routeNewMql(
  trx: Transaction<Database>,
  ctx: ClockContext,
  workspaceId: string,
  contactId: string,
): Promise<void> {
  const routed = await routeLead(trx, ctx, { workspaceId, contactId });
  if (routed?.userId) await applyPlaybook(trx, ctx, { workspaceId, contactId });
}

export interface RouteMqlsData {
  workspaceId: string;
  contactIds: string[];
}

/** The routing job's name and payload, for enqueueing (the worker's definition is in lifecycle.jobs.ts). */
export const routeMqlsJobRef: JobDefinition<RouteMqlsData> = {
  name: 'routeNewMqls',
  run: async () => undefined,
};

/**
 * Many contacts reach the MQL threshold at once (a full recompute after a rule change): they become
 * `mql` set-based, with a transition row and an audit row each, in the caller's transaction (the
 * same rules as {@link changeStage}: only forward moves, never out of `disqualified`). Routing is
 * per lead by nature (weighted round-robin over the reps' current counts), so it runs right after
 * in a job enqueued in the same transaction: {@link routeMqls}. Returns the contacts moved.
 */
export async function promoteToMql(
  trx: Transaction<Database>,
  ctx: AppContext,
  input: { workspaceId: string; contactIds: string[]; actorLabel: string },
): Promise<string[]> {
  const at = ctx.clock.now();
  const moved = await repo.promoteToMql(trx, input.workspaceId, input.contactIds, at);
  if (!moved.length) return [];
  await repo.insertTransitions(
    trx,
    moved.map((m) => ({
      workspaceId: input.workspaceId,
      contactId: m.id,
      from: m.from_stage,
      to: 'mql' as const,
      cause: 'rule' as const,
      actorId: null,
      reason: null,
      at,
    })),
  );
  await appendAuditMany(
    trx,
    moved.map((m) => ({
      workspaceId: input.workspaceId,
      actorUserId: null,
      actorLabel: input.actorLabel,
      action: 'contact.stage_changed',
      entityType: 'contact',
      entityId: m.id,
      diff: { lifecycleStage: [m.from_stage, 'mql'], cause: 'rule' },
      at,
    })),
  );
  const ids = moved.map((m) => m.id);
  for (let i = 0; i < ids.length; i += ROUTE_CHUNK) {
    await ctx.queue.enqueue(trx, routeMqlsJobRef, {
      workspaceId: input.workspaceId,
      contactIds: ids.slice(i, i + ROUTE_CHUNK),
    });
  }
  return ids;
}

/** Leads per routing job (each routed in its own short transaction). */
const ROUTE_CHUNK = 1000;

/**
 * Routes leads that became `mql` in bulk, each in its own transaction (a rep's count is read under
 * the team lock, as for a single lead). Safe to run twice: a lead with an open assignment keeps it,
 * and one that moved on (or was deleted) meanwhile is skipped. Returns how many were looked at.
 */
export async function routeMqls(ctx: AppContext, data: RouteMqlsData): Promise<number> {
  for (const contactId of data.contactIds) {
    await ctx.db.transaction().execute(async (trx) => {
      const row = await repo.lockContactStage(trx, data.workspaceId, contactId);
      if (!row || row.deleted_at || row.lifecycle_stage !== 'mql') return;
      await routeNewMql(trx, ctx, data.workspaceId, contactId);
    });
  }
  return data.contactIds.length;
}

/** A contact's transitions, newest first. The caller has checked the contact is visible. */
export async function stageHistory(
  ctx: AppContext,
  workspaceId: string,
  contactId: string,
): Promise<TransitionDto[]> {
  const rows = await repo.listTransitions(ctx.db, workspaceId, contactId);
  return rows.map((r) => ({
    id: r.id,
    contactId: r.contact_id,
    from: r.from_stage,
    to: r.to_stage,
    cause: r.cause,
    actorId: r.actor_id,
    actorName: r.actor_name,
    reason: r.reason,
    at: new Date(r.at).toISOString(),
  }));
}
