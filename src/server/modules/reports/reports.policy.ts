import type { Actor } from '../workspaces/workspaces.policy.ts';

/**
 * Reports add up the whole workspace (every rep's and campaign's records), so they are for the
 * roles that steer it: admins, marketing and sales managers. Reps see their own figures elsewhere.
 */
export function canReadReports(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing' || actor?.role === 'sales_manager';
}
