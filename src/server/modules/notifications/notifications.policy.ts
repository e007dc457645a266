import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Every signed-in user reads and marks their own notifications (never anyone else's). */
export function canUseOwnNotifications(actor: Actor | null): boolean {
  return actor !== null;
}
