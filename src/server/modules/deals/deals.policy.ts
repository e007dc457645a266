import type { Actor } from '../workspaces/workspaces.policy.ts';

/**
 * Named policies of the deals routes. Which deals a rep or manager sees and edits is the record
 * visibility rule (`visibleTo(actor, 'deals')`): reps their own and their teams' unassigned deals,
 * managers their teams', admins, marketing and service all.
 */

/** Every signed-in role reads deals (visibility narrows which). */
export function canReadDeals(actor: Actor | null): boolean {
  return actor !== null;
}

/** Creating, changing and moving deals: every role but the read-only `service`. */
export function canWriteDeals(actor: Actor | null): boolean {
  return actor !== null && actor.role !== 'service';
}

/** Pipelines and stages shape everyone's board: admins and sales managers. */
export function canManagePipelines(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager';
}

/** Exchange rates change every report's totals: admins and sales managers. */
export function canManageExchangeRates(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager';
}

/** Workspace-wide deal rules (amount required to win, lost reasons): admins only. */
export function canManageDealSettings(actor: Actor | null): boolean {
  return actor?.role === 'admin';
}
