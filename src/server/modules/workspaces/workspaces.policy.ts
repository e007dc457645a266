import type { Locale, Role } from '../../db/types.ts';

/** Who is calling: resolved once per request from the session cookie or a Bearer token. */
export interface Actor {
  workspaceId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  timeZone: string;
  /** Teams the user belongs to; drives record visibility for sales roles. */
  teamIds: string[];
  via: 'session' | 'token';
  sessionId: string | null;
}

/**
 * A named policy decides, from the actor alone, whether a route may run at all.
 * Record-level rules (a rep and someone else's contact) live in the repo visibility filters.
 */
export type Policy = ((actor: Actor | null) => boolean) & { readonly policyName?: string };

/** Routes anyone may call (health, first-run set-up, sign-in). Rate-limited by IP. */
export function publicAccess(_actor: Actor | null): boolean {
  return true;
}

export function signedIn(actor: Actor | null): boolean {
  return actor !== null;
}

export function isAdmin(actor: Actor | null): boolean {
  return actor?.role === 'admin';
}

/** Every role reads contacts and companies (visibility then narrows which ones). */
export function canReadRecords(actor: Actor | null): boolean {
  return actor !== null;
}

/** `service` reads all and writes none. */
export function canWriteRecords(actor: Actor | null): boolean {
  return actor !== null && actor.role !== 'service';
}

/** Defining custom fields shapes everyone's data: admins and marketing. */
export function canManageCustomFields(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing';
}

/** Creating, changing, deactivating users and shaping teams: admins only. */
export function canManageUsers(actor: Actor | null): boolean {
  return actor?.role === 'admin';
}

export function canManageTeams(actor: Actor | null): boolean {
  return actor?.role === 'admin';
}

/** Every signed-in user reads the workspace's people: the UI needs them for owner and team pickers. */
export function canReadPeople(actor: Actor | null): boolean {
  return actor !== null;
}

/**
 * New API tokens only from a browser session: a leaked token must not be able to mint successors
 * that outlive its own revocation.
 */
export function canCreateApiTokens(actor: Actor | null): boolean {
  return actor?.via === 'session';
}

/** Listing and revoking one's own tokens; which tokens beyond one's own is {@link canManageUsers}. */
export function canUseApiTokens(actor: Actor | null): boolean {
  return actor !== null;
}

export function canReadAuditLog(actor: Actor | null): boolean {
  return actor?.role === 'admin';
}

/** Who may hand a record to another person (reps may only take unowned records themselves). */
export function canAssignToOthers(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'sales_manager' || actor.role === 'marketing';
}

/** Roles that see every record in the workspace. */
export function seesAllRecords(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'marketing' || actor.role === 'service';
}

/** Bulk imports change many records at once: admins, marketing and sales managers. */
export function canImport(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing' || actor?.role === 'sales_manager';
}

/** Every signed-in role reads web forms (and their embed code). */
export function canReadForms(actor: Actor | null): boolean {
  return actor !== null;
}

/** Creating, changing and archiving web forms: admins and marketing. */
export function canManageForms(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing';
}

/** Submissions hold what visitors typed, beyond any record visibility: the forms' owners only. */
export function canReadFormSubmissions(actor: Actor | null): boolean {
  return actor?.role === 'admin' || actor?.role === 'marketing';
}
