import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type {
  ApiTokenCreate,
  ApiTokenDto,
  ApiTokenListQuery,
  Me,
  SetupRequest,
  SignInRequest,
} from '../../../contracts/workspaces.ts';
import type { Database, Locale, Role, UserRow } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../../lib/errors.ts';
import { newId, newSecret } from '../../lib/ids.ts';
import { appendAudit, countFailedSignIns } from '../governance/governance.repo.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { type Actor, canManageUsers } from './workspaces.policy.ts';
import * as repo from './workspaces.repo.ts';

const FAILED_SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILED_SIGN_INS = 10;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

function slugify(name: string): string {
  const ascii = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return ascii || 'workspace';
}

/** Secrets have three dot-separated parts so the lookup key includes the workspace (Citus-ready). */
function splitSecret(raw: string): { workspaceId: string; id: string; secret: string } | null {
  const parts = raw.split('.');
  if (parts.length !== 3 || parts.some((p) => !p || p.length > 128)) return null;
  const [workspaceId, id, secret] = parts as [string, string, string];
  return { workspaceId, id, secret };
}

/** The actor a signed-in user acts as (exported for tools that act as a known user, such as the benchmarks). */
export function toActor(u: UserRow, teamIds: string[], via: Actor['via'], sessionId: string | null): Actor {
  return {
    workspaceId: u.workspace_id,
    userId: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    locale: u.locale,
    timeZone: u.time_zone,
    teamIds,
    via,
    sessionId,
  };
}

export async function needsSetup(ctx: AppContext): Promise<boolean> {
  return (await repo.countUsers(ctx.db)) === 0;
}

async function uniqueSlug(trx: Transaction<Database>, name: string): Promise<string> {
  const base = slugify(name);
  for (let i = 0; ; i++) {
    const slug = i === 0 ? base : `${base}-${i + 1}`;
    if (!(await repo.findWorkspaceBySlug(trx, slug))) return slug;
  }
}

export interface NewUserInput {
  email: string;
  name: string;
  password: string | null;
  /** Hashed before the transaction opens, so scrypt's cost is not spent holding it. */
  passwordHash?: string | undefined;
  role: Role;
  locale?: Locale | undefined;
  timeZone?: string | undefined;
  teamIds?: string[] | undefined;
}

/** Creates a workspace with its first user (an admin, for first-run set-up and `tandem user add`). */
export async function createWorkspaceWithUser(
  trx: Transaction<Database>,
  workspaceName: string,
  user: NewUserInput,
  actorLabel: string,
): Promise<{ workspaceId: string; userId: string }> {
  const workspaceId = newId('ws');
  await repo.insertWorkspace(trx, {
    id: workspaceId,
    name: workspaceName,
    slug: await uniqueSlug(trx, workspaceName),
    ...(user.timeZone ? { timeZone: user.timeZone } : {}),
    ...(user.locale ? { defaultLocale: user.locale } : {}),
  });
  const userId = await insertUserAudited(trx, workspaceId, user, { userId: null, label: actorLabel });
  return { workspaceId, userId };
}

/**
 * Inserts a user, their team memberships and the audit row in the caller's transaction.
 * 409 (with the existing id) if the e-mail is taken in this workspace; 400 naming `teamIds` if a
 * team is not this workspace's.
 */
export async function insertUserAudited(
  trx: Transaction<Database>,
  workspaceId: string,
  user: NewUserInput,
  by: { userId: string | null; label: string; at?: Date },
): Promise<string> {
  const existing = await repo.findUserByEmail(trx, workspaceId, user.email);
  if (existing)
    throw new ConflictError('A user with this e-mail already exists', existing.id, { email: 'is taken' });
  const teamIds = [...new Set(user.teamIds ?? [])];
  const known = await repo.existingIds(trx, 'teams', workspaceId, teamIds);
  const unknown = teamIds.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new ValidationError('Unknown team', { teamIds: `unknown team ids: ${unknown.join(', ')}` });
  const id = newId('usr', by.at?.getTime());
  const passwordHash = user.passwordHash ?? (user.password ? await hashPassword(user.password) : null);
  await repo.insertUser(trx, {
    workspaceId,
    id,
    email: user.email.toLowerCase(),
    name: user.name,
    passwordHash,
    role: user.role,
    ...(user.locale ? { locale: user.locale } : {}),
    ...(user.timeZone ? { timeZone: user.timeZone } : {}),
  });
  await repo.insertMemberships(
    trx,
    workspaceId,
    teamIds.map((teamId) => ({ teamId, userId: id })),
  );
  await appendAudit(trx, {
    workspaceId,
    actorUserId: by.userId,
    actorLabel: by.label,
    action: 'create',
    entityType: 'user',
    entityId: id,
    diff: {
      email: user.email.toLowerCase(),
      name: user.name,
      role: user.role,
      ...(teamIds.length > 0 ? { teamIds } : {}),
    },
    ...(by.at ? { at: by.at } : {}),
  });
  return id;
}

/** First-run set-up: only while no user exists anywhere; afterwards a 409. */
export async function setupFirstWorkspace(
  ctx: AppContext,
  input: SetupRequest,
): Promise<{ workspaceId: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    await repo.lockSetup(trx);
    if ((await repo.countUsers(trx)) > 0)
      throw new ConflictError('Tandem is already set up; sign in instead');
    const { workspaceId } = await createWorkspaceWithUser(
      trx,
      input.workspaceName,
      { ...input, role: 'admin' },
      input.email.toLowerCase(),
    );
    return { workspaceId };
  });
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  /** Cookie value: `<workspace>.<session>.<secret>`; only its hash is stored. */
  cookie: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Password sign-in. Every attempt, good or bad, is in the audit log; repeated failures lock out. */
export async function signIn(ctx: AppContext, input: SignInRequest, meta: RequestMeta): Promise<SignedIn> {
  const now = ctx.clock.now();
  let candidates = await repo.findUsersByEmail(ctx.db, input.email);
  if (input.workspace) {
    const w = input.workspace.toLowerCase();
    candidates = candidates.filter((u) => u.workspace_slug === w);
  }
  if (candidates.length > 1) {
    throw new ValidationError('This e-mail belongs to several workspaces', {
      workspace: 'name the workspace to sign in to',
    });
  }
  const user = candidates[0];
  if (!user) {
    await verifyPassword(input.password, await dummyHash()); // same cost as a real check
    throw new UnauthenticatedError('Wrong e-mail or password');
  }
  const failures = await countFailedSignIns(
    ctx.db,
    user.workspace_id,
    user.id,
    new Date(now.getTime() - FAILED_SIGN_IN_WINDOW_MS),
  );
  if (failures >= MAX_FAILED_SIGN_INS) {
    throw new RateLimitedError('Too many failed sign-ins for this account; try again in 15 minutes');
  }
  const ok = user.active && (await verifyPassword(input.password, user.password_hash));
  if (!ok) {
    await appendAudit(ctx.db, {
      workspaceId: user.workspace_id,
      actorUserId: null,
      actorLabel: user.email,
      action: 'sign_in_failed',
      entityType: 'user',
      entityId: user.id,
      ip: meta.ip,
      at: now,
    });
    throw new UnauthenticatedError('Wrong e-mail or password');
  }
  const sessionId = newId('ses', now.getTime());
  const secret = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = new Date(now.getTime() + ctx.config.sessionDays * 86_400_000);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertSession(trx, {
      workspaceId: user.workspace_id,
      id: sessionId,
      tokenHash: sha256(secret),
      userId: user.id,
      csrfToken,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    });
    await repo.markSignedIn(trx, user.workspace_id, user.id, now);
    await appendAudit(trx, {
      workspaceId: user.workspace_id,
      actorUserId: user.id,
      actorLabel: user.email,
      action: 'sign_in',
      entityType: 'user',
      entityId: user.id,
      ip: meta.ip,
      at: now,
    });
  });
  return { cookie: `${user.workspace_id}.${sessionId}.${secret}`, csrfToken, expiresAt };
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword('not-a-real-password');
  return dummy;
}

export async function signOut(ctx: AppContext, actor: Actor): Promise<void> {
  if (actor.sessionId) await repo.deleteSession(ctx.db, actor.workspaceId, actor.sessionId);
}

/** Resolves a session cookie to an actor, with the session's CSRF token; null if invalid. */
export async function authenticateSession(
  ctx: AppContext,
  cookie: string,
): Promise<{ actor: Actor; csrfToken: string } | null> {
  const parts = splitSecret(cookie);
  if (!parts) return null;
  const row = await repo.findLiveSession(ctx.db, parts.workspaceId, parts.id, ctx.clock.now());
  if (!row || !safeEqualHex(row.token_hash, sha256(parts.secret))) return null;
  const teamIds = await repo.teamIdsOf(ctx.db, row.workspace_id, row.id);
  return { actor: toActor(row, teamIds, 'session', row.session_id), csrfToken: row.csrf_token };
}

const TOKEN_PREFIX = 'tdm_';
const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves a Bearer API token (`tdm_<workspace>.<token>.<secret>`) to an actor; null if invalid. */
export async function authenticateToken(ctx: AppContext, bearer: string): Promise<Actor | null> {
  if (!bearer.startsWith(TOKEN_PREFIX)) return null;
  const parts = splitSecret(bearer.slice(TOKEN_PREFIX.length));
  if (!parts) return null;
  const row = await repo.findLiveApiToken(ctx.db, parts.workspaceId, parts.id);
  if (!row || !safeEqualHex(row.token_hash, sha256(parts.secret))) return null;
  const now = ctx.clock.now();
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  // A write per request would turn every API read into a write; a minute's resolution is enough.
  if (!row.token_last_used_at || new Date(row.token_last_used_at) < staleBefore) {
    await repo.touchApiToken(ctx.db, row.workspace_id, row.token_id, now, staleBefore);
  }
  const teamIds = await repo.teamIdsOf(ctx.db, row.workspace_id, row.id);
  return toActor(row, teamIds, 'token', null);
}

/** Creates an API token for a user; the plain token is returned once and never stored. */
export async function createApiToken(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
  name: string,
  by: { userId: string | null; label: string; at?: Date },
): Promise<{ id: string; token: string }> {
  const id = newId('tok', by.at?.getTime());
  const secret = newSecret();
  await db.transaction().execute(async (trx) => {
    await repo.insertApiToken(trx, {
      workspaceId,
      id,
      userId,
      name,
      tokenHash: sha256(secret),
      ...(by.at ? { createdAt: by.at } : {}),
    });
    await appendAudit(trx, {
      workspaceId,
      actorUserId: by.userId,
      actorLabel: by.label,
      action: 'create',
      entityType: 'api_token',
      entityId: id,
      diff: { userId, name },
      ...(by.at ? { at: by.at } : {}),
    });
  });
  return { id, token: `${TOKEN_PREFIX}${workspaceId}.${id}.${secret}` };
}

/** The actor's own token for API use; shown once, and audited under the actor's name. */
export async function issueApiToken(
  ctx: AppContext,
  actor: Actor,
  input: ApiTokenCreate,
): Promise<{ id: string; token: string }> {
  return createApiToken(ctx.db, actor.workspaceId, actor.userId, input.name, {
    userId: actor.userId,
    label: actor.email,
    at: ctx.clock.now(),
  });
}

/** Live tokens of the actor, or (admins only) of another user of the workspace. Never the secret. */
export async function listApiTokens(
  ctx: AppContext,
  actor: Actor,
  q: ApiTokenListQuery,
): Promise<{ items: ApiTokenDto[] }> {
  const userId = q.userId ?? actor.userId;
  if (userId !== actor.userId) {
    if (!canManageUsers(actor)) throw new ForbiddenError('Only admins see other users’ tokens');
    if (!(await repo.getUser(ctx.db, actor.workspaceId, userId))) throw new NotFoundError('User', userId);
  }
  const rows = await repo.listApiTokens(ctx.db, actor.workspaceId, userId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      name: r.name,
      createdAt: new Date(r.created_at).toISOString(),
      lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    })),
  };
}

/**
 * Revokes a token: one's own, or any in the workspace for an admin. Someone else's token is a 404
 * to a non-admin, as if it did not exist. Revoking twice is a no-op with one audit row.
 */
export async function revokeApiToken(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const token = await repo.getApiTokenForUpdate(trx, actor.workspaceId, id);
    if (!token || (token.user_id !== actor.userId && !canManageUsers(actor)))
      throw new NotFoundError('API token', id);
    if (token.revoked_at) return;
    const now = ctx.clock.now();
    await repo.revokeApiToken(trx, actor.workspaceId, id, now);
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'revoke',
      entityType: 'api_token',
      entityId: id,
      diff: { userId: token.user_id, name: token.name },
      at: now,
    });
  });
}

export async function describeMe(ctx: AppContext, actor: Actor, csrfToken: string | null): Promise<Me> {
  const ws = await repo.getWorkspace(ctx.db, actor.workspaceId);
  if (!ws) throw new UnauthenticatedError();
  return {
    user: {
      id: actor.userId,
      email: actor.email,
      name: actor.name,
      role: actor.role,
      locale: actor.locale,
      timeZone: actor.timeZone,
      teamIds: actor.teamIds,
    },
    workspace: { id: ws.id, name: ws.name, slug: ws.slug, reportingCurrency: ws.reporting_currency },
    csrfToken,
  };
}
