import type { Actor } from '../workspaces/workspaces.policy.ts';

/** Every signed-in role reads the catalogue and price lists (reps quote from them). */
export function canReadCatalog(actor: Actor | null): boolean {
  return actor !== null;
}

/** Products and prices are commercial policy: admins and sales managers shape them. */
export function canManageCatalog(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager';
}

/** Quotes are read by everyone who may see the deal (the deal's visibility narrows which). */
export function canReadQuotes(actor: Actor | null): boolean {
  return actor !== null;
}

/** Writing and sending quotes: the sales roles and admins (marketing and service only read). */
export function canWriteQuotes(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'sales_manager' || actor?.role === 'sales_rep';
}

/** Supervision, not trust: only a sales manager decides on a discount above the threshold. */
export function canApproveQuotes(actor: Actor | null): boolean {
  return actor?.role === 'sales_manager';
}

/** The discount threshold and the logo are workspace settings: admins. */
export function canManageQuoteSettings(actor: Actor | null): boolean {
  return actor?.role === 'admin';
}
