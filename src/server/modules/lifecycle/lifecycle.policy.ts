import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Every signed-in role reads stages, inboxes and its own tasks (visibility narrows which). */
export function canReadLifecycle(actor: Actor | null): boolean {
  return actor !== null;
}

/** Moving stages, accepting leads and handling tasks: everyone but the read-only `service` role. */
export function canWorkLeads(actor: Actor | null): boolean {
  return actor !== null && actor.role !== 'service';
}

/** Handing a lead to someone else: admins and sales managers. */
export function canReassignLeads(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager';
}

/** Routing rules, team managers, rep weights and capacities, lifecycle settings: admins and sales managers. */
export function canManageRouting(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager';
}

/** Playbooks shape both sides' work: admins, marketing and sales managers. */
export function canManagePlaybooks(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing' || actor?.role === 'sales_manager';
}

/** The SLA report compares reps: admins and sales managers. */
export function canReadSlaReport(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager';
}

/** Anyone signed in marks their own absence (the service checks whose). */
export function canMarkAbsence(actor: Actor | null): boolean {
  return actor !== null && actor.role !== 'service';
}

/** The team managers' overflow queues: admins and sales managers (who hand those leads on). */
export function canReadOverflowQueue(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager';
}
