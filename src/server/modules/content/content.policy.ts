import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Every signed-in role finds and downloads assets (sales look for material by stage and language). */
export function canReadContent(actor: Actor | null): boolean {
  return actor !== null;
}

/** Uploading, linking and versioning assets: admins and marketing. */
export function canManageContent(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing';
}

/** Creating a tracked share link for a contact: everyone who works records (not `service`). */
export function canShareContent(actor: Actor | null): boolean {
  return actor !== null && actor.role !== 'service';
}
