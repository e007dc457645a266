import type { z } from 'zod';
import type {
  OverflowItemDto,
  RepDto,
  RoutingConditionsDto,
  RoutingRuleDto,
  routingRuleCreateSchema,
} from '../../../contracts/lifecycle.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { AppContext } from '../../http/context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as lrepo from './lifecycle.repo.ts';
import * as repo from './lifecycle.routing.repo.ts';

type RuleRow = NonNullable<Awaited<ReturnType<typeof repo.findRule>>>;

function toRuleDto(r: RuleRow): RoutingRuleDto {
  return {
    id: r.id,
    position: r.position,
    name: r.name,
    teamId: r.team_id,
    conditions: r.conditions as RoutingConditionsDto,
    active: r.active,
  };
}

function audit(
  actor: Actor,
  action: string,
  entityType: string,
  entityId: string,
  diff: Record<string, unknown>,
  at: Date,
) {
  return {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action,
    entityType,
    entityId,
    diff,
    at,
  };
}

export async function listRules(ctx: AppContext, actor: Actor): Promise<RoutingRuleDto[]> {
  return (await repo.allRules(ctx.db, actor.workspaceId)).map(toRuleDto);
}

export async function createRule(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof routingRuleCreateSchema>,
): Promise<RoutingRuleDto> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.teamExists(trx, actor.workspaceId, input.teamId))) {
      throw new ValidationError('The routing rule is invalid', { teamId: 'no such team in this workspace' });
    }
    const now = ctx.clock.now();
    const id = newId('rrl', now.getTime());
    await repo.insertRule(trx, {
      workspace_id: actor.workspaceId,
      id,
      position: input.position ?? (await repo.nextRulePosition(trx, actor.workspaceId)),
      name: input.name,
      team_id: input.teamId,
      conditions: JSON.stringify(input.conditions ?? {}),
      active: input.active ?? true,
      created_at: now,
      updated_at: now,
    });
    await appendAudit(
      trx,
      audit(
        actor,
        'routing_rule.created',
        'routing_rule',
        id,
        { name: input.name, teamId: input.teamId },
        now,
      ),
    );
    return toRuleDto((await repo.findRule(trx, actor.workspaceId, id))!);
  });
}

export async function updateRule(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: Partial<z.infer<typeof routingRuleCreateSchema>>,
): Promise<RoutingRuleDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findRule(trx, actor.workspaceId, id);
    if (!before) throw new NotFoundError('Routing rule', id);
    if (patch.teamId && !(await repo.teamExists(trx, actor.workspaceId, patch.teamId))) {
      throw new ValidationError('The routing rule is invalid', { teamId: 'no such team in this workspace' });
    }
    const now = ctx.clock.now();
    await repo.updateRule(trx, actor.workspaceId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.teamId !== undefined ? { team_id: patch.teamId } : {}),
      ...(patch.conditions !== undefined ? { conditions: JSON.stringify(patch.conditions) } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      updated_at: now,
    });
    await appendAudit(
      trx,
      audit(actor, 'routing_rule.updated', 'routing_rule', id, { changed: Object.keys(patch) }, now),
    );
    return toRuleDto((await repo.findRule(trx, actor.workspaceId, id))!);
  });
}

/** Puts the rules in the given order (first match wins); the list must name every rule once. */
export async function reorderRules(ctx: AppContext, actor: Actor, ids: string[]): Promise<RoutingRuleDto[]> {
  await ctx.db.transaction().execute(async (trx) => {
    const existing = new Set(await repo.ruleIds(trx, actor.workspaceId));
    const unknown = ids.filter((id) => !existing.has(id));
    if (unknown.length || ids.length !== existing.size)
      throw new ValidationError('The rule order is invalid', {
        ids: unknown.length
          ? `no such routing rule: ${unknown.join(', ')}`
          : 'must list every routing rule exactly once',
      });
    const now = ctx.clock.now();
    await repo.reorderRules(trx, actor.workspaceId, ids, now);
    await appendAudit(
      trx,
      audit(actor, 'routing_rule.reordered', 'workspace', actor.workspaceId, { ids }, now),
    );
  });
  return listRules(ctx, actor);
}

export async function deleteRule(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findRule(trx, actor.workspaceId, id);
    if (!before) throw new NotFoundError('Routing rule', id);
    await repo.deleteRule(trx, actor.workspaceId, id);
    await appendAudit(
      trx,
      audit(actor, 'routing_rule.deleted', 'routing_rule', id, { name: before.name }, ctx.clock.now()),
    );
  });
}

export async function setTeamManager(
  ctx: AppContext,
  actor: Actor,
  teamId: string,
  managerId: string | null,
) {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.teamExists(trx, actor.workspaceId, teamId))) throw new NotFoundError('Team', teamId);
    if (managerId) {
      const u = await lrepo.findUser(trx, actor.workspaceId, managerId);
      if (!u?.active)
        throw new ValidationError('Cannot set the manager', {
          managerId: 'no such active user in this workspace',
        });
    }
    await repo.setTeamManager(trx, actor.workspaceId, teamId, managerId);
    await appendAudit(trx, audit(actor, 'team.manager_set', 'team', teamId, { managerId }, ctx.clock.now()));
  });
  return { teamId, managerId };
}

export async function teamManagers(ctx: AppContext, actor: Actor) {
  return (await repo.teamManagers(ctx.db, actor.workspaceId)).map((r) => ({
    teamId: r.team_id,
    managerId: r.manager_id,
  }));
}

function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function listReps(ctx: AppContext, actor: Actor): Promise<RepDto[]> {
  const now = ctx.clock.now();
  const rows = await repo.listReps(ctx.db, actor.workspaceId, monthStartUtc(now));
  return rows.map((r) => {
    const from = r.away_from ? new Date(r.away_from) : null;
    const until = r.away_until ? new Date(r.away_until) : null;
    const away = Boolean((from || until) && (!from || from <= now) && (!until || now < until));
    return {
      userId: r.user_id,
      name: r.name,
      email: r.email,
      role: r.role,
      active: r.active,
      teamIds: r.team_ids ?? [],
      weight: r.weight ?? 1,
      monthlyCapacity: r.monthly_capacity,
      routingActive: r.routing_active ?? true,
      awayFrom: from?.toISOString() ?? null,
      awayUntil: until?.toISOString() ?? null,
      away,
      assignedThisMonth: Number(r.assigned),
    };
  });
}

export async function setRepSettings(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: {
    weight?: number | undefined;
    monthlyCapacity?: number | null | undefined;
    routingActive?: boolean | undefined;
  },
) {
  await ctx.db.transaction().execute(async (trx) => {
    const u = await lrepo.findUser(trx, actor.workspaceId, userId);
    if (!u) throw new NotFoundError('User', userId);
    const now = ctx.clock.now();
    await repo.upsertRepSettings(
      trx,
      actor.workspaceId,
      userId,
      {
        ...(input.weight !== undefined ? { weight: input.weight } : {}),
        ...(input.monthlyCapacity !== undefined ? { monthly_capacity: input.monthlyCapacity } : {}),
        ...(input.routingActive !== undefined ? { routing_active: input.routingActive } : {}),
      },
      now,
    );
    await appendAudit(trx, audit(actor, 'rep.routing_set', 'user', userId, { ...input }, now));
  });
  return (await listReps(ctx, actor)).find((r) => r.userId === userId)!;
}

/**
 * A user marks their own absence; admins mark anyone's, sales managers those of their teams (a team
 * they manage or belong to). Routing skips absent reps meanwhile.
 */
export async function setAbsence(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: { awayFrom?: string | null | undefined; awayUntil: string | null },
) {
  await ctx.db.transaction().execute(async (trx) => {
    if (
      userId !== actor.userId &&
      actor.role !== 'admin' &&
      !(
        actor.role === 'sales_manager' &&
        (await repo.sharesTeamWith(trx, actor.workspaceId, actor.userId, userId))
      )
    )
      throw new ForbiddenError("Only admins and the user's team managers mark someone else's absence");
    const u = await lrepo.findUser(trx, actor.workspaceId, userId);
    if (!u) throw new NotFoundError('User', userId);
    const now = ctx.clock.now();
    const awayFrom = input.awayUntil ? (input.awayFrom ? new Date(input.awayFrom) : now) : null;
    const awayUntil = input.awayUntil ? new Date(input.awayUntil) : null;
    await repo.upsertRepSettings(
      trx,
      actor.workspaceId,
      userId,
      { away_from: awayFrom, away_until: awayUntil },
      now,
    );
    await appendAudit(
      trx,
      audit(
        actor,
        'user.absence_set',
        'user',
        userId,
        { awayFrom: awayFrom?.toISOString() ?? null, awayUntil: awayUntil?.toISOString() ?? null },
        now,
      ),
    );
  });
  return (await listReps(ctx, actor)).find((r) => r.userId === userId) ?? null;
}

/**
 * The overflow queues: leads routed to a team manager because no rep of the team was present with
 * spare capacity (or no manager was set, then nobody owns them). Managers hand them on with
 * `POST /api/contacts/:id/assign`.
 */
export async function overflowQueue(ctx: AppContext, actor: Actor): Promise<OverflowItemDto[]> {
  const now = ctx.clock.now();
  const rows = await repo.overflowQueue(ctx.db, actor.workspaceId, visibleTo(actor, 'contacts'), 500);
  return rows.map((r) => ({
    assignmentId: r.assignment_id,
    contactId: r.contact_id,
    name: r.name,
    email: r.email,
    temperature: r.temperature,
    teamId: r.team_id,
    managerId: r.manager_id,
    ruleLabel: r.rule_label,
    assignedAt: new Date(r.assigned_at).toISOString(),
    slaDueAt: new Date(r.sla_due_at).toISOString(),
    breached: r.breached_at !== null || new Date(r.sla_due_at) <= now,
  }));
}
