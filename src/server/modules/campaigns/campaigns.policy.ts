import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Every role reads campaigns and the calendar: sales must see what marketing plans. */
export function canReadCampaigns(actor: Actor | null): boolean {
  return actor !== null;
}

/** Planning campaigns, their costs, markets and members: marketing and admins. */
export function canManageCampaigns(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing';
}

/** How many days ahead sales hear of a launch is a workspace setting: admins and marketing. */
export function canManageCampaignSettings(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing';
}
