import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Named policies of the voice-of-the-customer routes. */

/** Every signed-in role reads feedback (narrowed to the records each sees) and the competitor list. */
export function canReadFeedback(actor: Actor | null): boolean {
  return actor !== null;
}

/** Every role captures what customers say, customer service included. */
export function canCaptureFeedback(actor: Actor | null): boolean {
  return actor !== null;
}

/** The competitor registry is shared reference data: admins, marketing and sales managers keep it. */
export function canManageCompetitors(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing' || actor?.role === 'sales_manager';
}
