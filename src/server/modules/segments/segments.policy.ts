import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Every role reads segments (the contacts listed are still narrowed by record visibility). */
export function canReadSegments(actor: Actor | null): boolean {
  return actor !== null;
}

/** Defining segments (audiences): admins, marketing and sales managers. */
export function canManageSegments(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing' || actor?.role === 'sales_manager';
}

/** Freezing a snapshot for a send works on the whole workspace: admins and marketing. */
export function canSnapshotSegments(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing';
}
