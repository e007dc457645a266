import type { Actor } from '../workspaces/workspaces.policy.ts';

/**
 * Named policies of the planning routes. Planning spends marketing money and sets sales targets:
 * the planner is for the people who decide those (admins, marketing, sales managers); quotas are
 * set and approved by sales managers and admins only; everyone but `service` sees attainment and
 * the dashboard (a rep sees their own row, see planning.quotas.ts).
 */

/** The flywheel planner and its measured rates. */
export function canUsePlanner(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing' || actor?.role === 'sales_manager';
}

/** Reading quotas, attainment and the multi-year plan: every role but the read-only `service`. */
export function canReadQuotas(actor: Actor | null): boolean {
  return actor !== null && actor.role !== 'service';
}

/** Editing and approving quotas: sales managers and admins. */
export function canApproveQuotas(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager';
}

/** Reading the multi-year plan against actuals: every role but `service`. */
export function canReadPlan(actor: Actor | null): boolean {
  return actor !== null && actor.role !== 'service';
}

/**
 * The multi-year plan sets the company's targets: marketing owns the 3–5 year strategy, sales
 * managers this year's execution, admins both.
 */
export function canEditPlan(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing' || actor?.role === 'sales_manager';
}

/** The role home dashboard: every signed-in user (what it shows depends on the role). */
export function canSeeDashboard(actor: Actor | null): boolean {
  return actor !== null;
}
