import type { Actor } from '../workspaces/workspaces.policy.ts';

/** The scoring model decides who sales calls first: admins and marketing shape it. */
export function canManageScoring(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing';
}

/** Everyone signed in may read the model (the contact page explains scores with it). */
export function canReadScoring(actor: Actor | null): boolean {
  return actor !== null;
}
