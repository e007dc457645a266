import type { Transaction } from 'kysely';
import type { AssignmentDto, LifecycleSettings } from '../../../contracts/lifecycle.ts';
import type { AssignmentKind, Database, RoutingConditions } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import * as lrepo from './lifecycle.repo.ts';
import * as repo from './lifecycle.routing.repo.ts';
import type { ClockContext } from './lifecycle.service.ts';
import { getSettings } from './lifecycle.settings.ts';

const HOUR = 3_600_000;

/** The first-touch SLA for a lead's temperature (warm follows the general figure unless set). */
export function slaHoursFor(settings: LifecycleSettings, temperature: string | null): number {
  if (temperature === 'hot') return settings.slaHotHours;
  if (temperature === 'warm') return settings.slaWarmHours ?? settings.slaHours;
  return settings.slaHours;
}

export interface RoutedLead {
  assignmentId: string;
  userId: string | null;
  teamId: string | null;
  kind: AssignmentKind;
  ruleLabel: string;
}

function lower(values: string[] | undefined): Set<string> | null {
  return values?.length ? new Set(values.map((v) => v.trim().toLowerCase())) : null;
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v) return v.split(/[,;]/).map((s) => s.trim());
  return [];
}

/**
 * Whether a rule's conditions hold for a lead. Every condition given must hold (an empty rule is a
 * catch-all). Territory: the contact's country (else its company's) or its `custom.region`;
 * product interest: `custom.product_interest` or a `product:<name>` tag.
 */
export function matchesRule(c: RoutingConditions, f: repo.RoutingFacts): boolean {
  const countries = lower(c.countries);
  if (countries) {
    const country = (f.country ?? f.company_country ?? '').toLowerCase();
    if (!countries.has(country)) return false;
  }
  const regions = lower(c.regions);
  if (regions && !regions.has(String(f.custom.region ?? '').toLowerCase())) return false;
  const industries = lower(c.industries);
  if (industries && !industries.has((f.industry ?? '').toLowerCase())) return false;
  if (c.minEmployees !== undefined && (f.employees === null || f.employees < c.minEmployees)) return false;
  if (c.maxEmployees !== undefined && (f.employees === null || f.employees > c.maxEmployees)) return false;
  const products = lower(c.products);
  if (products) {
    const interests = [
      ...asList(f.custom.product_interest),
      ...f.tags.filter((t) => t.startsWith('product:')).map((t) => t.slice('product:'.length)),
    ].map((p) => p.toLowerCase());
    if (!interests.some((p) => products.has(p))) return false;
  }
  return true;
}

function isAway(rep: repo.TeamRep, now: Date): boolean {
  if (!rep.away_until && !rep.away_from) return false;
  const from = rep.away_from ? new Date(rep.away_from).getTime() : Number.NEGATIVE_INFINITY;
  const until = rep.away_until ? new Date(rep.away_until).getTime() : Number.POSITIVE_INFINITY;
  return now.getTime() >= from && now.getTime() < until;
}

/**
 * Weighted round-robin without stored state: the present rep with spare capacity whose share so
 * far this month is lowest relative to their weight gets the lead (ties: higher weight, then id).
 * Over any run of leads each rep's count stays within one of its weighted share.
 */
export function pickRep(reps: repo.TeamRep[], now: Date, defaultCapacity: number): repo.TeamRep | null {
  let best: repo.TeamRep | null = null;
  for (const r of reps) {
    if (r.weight <= 0 || isAway(r, now)) continue;
    if (r.assigned >= (r.capacity ?? defaultCapacity)) continue;
    if (!best) {
      best = r;
      continue;
    }
    const a = r.assigned * best.weight;
    const b = best.assigned * r.weight;
    if (a < b || (a === b && r.weight > best.weight)) best = r;
  }
  return best;
}

function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * Assigns a lead that just became an MQL, in the caller's transaction (the contact row is already
 * locked by changeStage). In order: an existing active owner keeps it; a company with an active
 * owner sends it to that owner (account-based); else the first matching routing rule picks a team,
 * and within it weighted round-robin over present reps with spare monthly capacity; when none has
 * room, the team manager's queue. A lead with an open assignment is never assigned again.
 * Returns null when no rule matches (the lead stays unassigned and the audit log says so).
 */
export async function routeLead(
  trx: Transaction<Database>,
  ctx: ClockContext,
  input: { workspaceId: string; contactId: string; actorId?: string | null | undefined },
): Promise<RoutedLead | null> {
  const ws = input.workspaceId;
  const open = await repo.openAssignment(trx, ws, input.contactId);
  if (open) {
    return {
      assignmentId: open.id,
      userId: open.user_id,
      teamId: open.team_id,
      kind: open.kind,
      ruleLabel: open.rule_label,
    };
  }
  const facts = await repo.routingFacts(trx, ws, input.contactId);
  if (!facts) throw new NotFoundError('Contact', input.contactId);
  const now = ctx.clock.now();
  const settings = await getSettings(trx, ws);

  let pick: {
    userId: string | null;
    teamId: string | null;
    kind: AssignmentKind;
    ruleId: string | null;
    label: string;
  };
  if (facts.owner_id && facts.owner_active) {
    pick = {
      userId: facts.owner_id,
      teamId: facts.team_id,
      kind: 'manual',
      ruleId: null,
      label: 'existing owner',
    };
  } else if (facts.company_owner_id && facts.company_owner_active) {
    pick = {
      userId: facts.company_owner_id,
      teamId: facts.team_id,
      kind: 'account',
      ruleId: null,
      label: 'account owner',
    };
  } else {
    const rule = (await repo.activeRules(trx, ws)).find((r) => matchesRule(r.conditions, facts));
    if (!rule) {
      await appendAudit(trx, {
        workspaceId: ws,
        actorUserId: null,
        actorLabel: 'routing',
        action: 'lead.unrouted',
        entityType: 'contact',
        entityId: input.contactId,
        diff: { reason: 'no routing rule matched' },
        at: now,
      });
      return null;
    }
    await repo.lockTeam(trx, ws, rule.team_id);
    const managerId = await repo.teamManager(trx, ws, rule.team_id);
    const reps = await repo.teamReps(trx, ws, rule.team_id, managerId, monthStartUtc(now));
    const rep = pickRep(reps, now, settings.monthlyCapacity);
    pick = rep
      ? {
          userId: rep.user_id,
          teamId: rule.team_id,
          kind: 'rule',
          ruleId: rule.id,
          label: `rule: ${rule.name}`,
        }
      : {
          userId: managerId,
          teamId: rule.team_id,
          kind: 'overflow',
          ruleId: rule.id,
          label: `rule: ${rule.name} (overflow to the manager's queue)`,
        };
  }
  return assign(trx, ctx, {
    workspaceId: ws,
    contactId: input.contactId,
    previousOwnerId: facts.owner_id,
    hot: facts.temperature === 'hot',
    actorId: input.actorId ?? null,
    ...pick,
    slaHours: slaHoursFor(settings, facts.temperature),
    action: 'lead.assigned',
    now,
  });
}

async function assign(
  trx: Transaction<Database>,
  _ctx: ClockContext,
  a: {
    workspaceId: string;
    contactId: string;
    userId: string | null;
    teamId: string | null;
    kind: AssignmentKind;
    ruleId: string | null;
    label: string;
    previousOwnerId: string | null;
    actorId: string | null;
    hot: boolean;
    slaHours: number;
    action: string;
    reason?: string | undefined;
    now: Date;
  },
): Promise<RoutedLead> {
  const assignmentId = await repo.insertAssignment(trx, {
    workspaceId: a.workspaceId,
    contactId: a.contactId,
    userId: a.userId,
    teamId: a.teamId,
    kind: a.kind,
    ruleId: a.ruleId,
    ruleLabel: a.label,
    previousOwnerId: a.previousOwnerId,
    actorId: a.actorId,
    hot: a.hot,
    at: a.now,
    slaDueAt: new Date(a.now.getTime() + a.slaHours * HOUR),
  });
  await repo.setOwner(trx, a.workspaceId, a.contactId, a.userId, a.teamId, a.now);
  const actor = a.actorId ? await lrepo.findUser(trx, a.workspaceId, a.actorId) : undefined;
  await appendAudit(trx, {
    workspaceId: a.workspaceId,
    actorUserId: actor?.id ?? null,
    actorLabel: actor?.email ?? 'routing',
    action: a.action,
    entityType: 'contact',
    entityId: a.contactId,
    diff: {
      ownerId: [a.previousOwnerId, a.userId],
      teamId: a.teamId,
      kind: a.kind,
      rule: a.label,
      ruleId: a.ruleId,
      assignmentId,
      ...(a.reason ? { reason: a.reason } : {}),
    },
    at: a.now,
  });
  return { assignmentId, userId: a.userId, teamId: a.teamId, kind: a.kind, ruleLabel: a.label };
}

/**
 * Hands a lead to another person (a manager's decision): ends the open assignment and opens a new
 * one with a fresh SLA clock; audit-logged with who did it and why.
 */
export async function reassignLead(
  trx: Transaction<Database>,
  ctx: AppContext,
  input: {
    workspaceId: string;
    contactId: string;
    userId: string;
    actorId: string;
    reason?: string | undefined;
  },
): Promise<RoutedLead> {
  const ws = input.workspaceId;
  const now = ctx.clock.now();
  const target = await lrepo.findUser(trx, ws, input.userId);
  if (!target?.active)
    throw new ValidationError('Cannot assign the lead', { userId: 'no such active user in this workspace' });
  const locked = await lrepo.lockContactStage(trx, ws, input.contactId);
  if (!locked || locked.deleted_at) throw new NotFoundError('Contact', input.contactId);
  const facts = await repo.routingFacts(trx, ws, input.contactId);
  const open = await repo.openAssignment(trx, ws, input.contactId);
  if (open) await repo.endAssignment(trx, ws, open.id, now, 'reassigned');
  const settings = await getSettings(trx, ws);
  const hot = facts?.temperature === 'hot';
  const slaHours = slaHoursFor(settings, facts?.temperature ?? null);
  return assign(trx, ctx, {
    workspaceId: ws,
    contactId: input.contactId,
    userId: input.userId,
    teamId: facts?.team_id ?? null,
    kind: 'manual',
    ruleId: null,
    label: 'manual reassignment',
    previousOwnerId: locked.owner_id,
    actorId: input.actorId,
    hot,
    slaHours,
    action: open ? 'lead.reassigned' : 'lead.assigned',
    reason: input.reason,
    now,
  });
}

export function toAssignmentDto(r: Awaited<ReturnType<typeof repo.assignmentsOf>>[number]): AssignmentDto {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.id,
    contactId: r.contact_id,
    userId: r.user_id,
    userName: r.user_name,
    teamId: r.team_id,
    kind: r.kind,
    ruleLabel: r.rule_label,
    assignedAt: new Date(r.assigned_at).toISOString(),
    slaDueAt: new Date(r.sla_due_at).toISOString(),
    firstSalesTouchAt: iso(r.first_sales_touch_at),
    breachedAt: iso(r.breached_at),
    endedAt: iso(r.ended_at),
    endReason: r.end_reason,
  };
}
