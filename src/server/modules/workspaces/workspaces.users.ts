/**
 * Users and the signed-in user's own settings. Kept apart from workspaces.service.ts (sign-in,
 * sessions, tokens) so neither file outgrows a reading.
 */

import type { Updateable } from 'kysely';
import type {
  Me,
  UpdateMe,
  UserCreate,
  UserDto,
  UserListQuery,
  UserUpdate,
} from '../../../contracts/workspaces.ts';
import type { UserRow, UsersTable } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { hashPassword } from './password.ts';
import type { Actor } from './workspaces.policy.ts';
import * as repo from './workspaces.repo.ts';
import { describeMe, insertUserAudited } from './workspaces.service.ts';

type Change = { from: unknown; to: unknown };

function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

export function toUserDto(u: UserRow, teamIds: string[]): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    locale: u.locale,
    timeZone: u.time_zone,
    active: u.active,
    teamIds,
    lastSignInAt: iso(u.last_sign_in_at),
    createdAt: new Date(u.created_at).toISOString(),
  };
}

/** `wholeWorkspace`: the list holds everyone, so read all memberships rather than an IN list of ids. */
async function withTeams(ctx: AppContext, workspaceId: string, users: UserRow[], wholeWorkspace: boolean) {
  const ids = wholeWorkspace ? undefined : users.map((u) => u.id);
  const memberships = await repo.membershipsOf(ctx.db, workspaceId, ids);
  const byUser = new Map<string, string[]>();
  for (const m of memberships) byUser.set(m.user_id, [...(byUser.get(m.user_id) ?? []), m.team_id]);
  return users.map((u) => toUserDto(u, byUser.get(u.id) ?? []));
}

/** Every user of the actor's workspace (optionally only active or inactive ones), by name. */
export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  q: UserListQuery,
): Promise<{ items: UserDto[] }> {
  const users = await repo.listUsers(
    ctx.db,
    actor.workspaceId,
    q.active === undefined ? {} : { active: q.active },
  );
  return { items: await withTeams(ctx, actor.workspaceId, users, true) };
}

/** One user of the actor's workspace; any other id (another workspace's included) is a 404. */
export async function getUser(ctx: AppContext, actor: Actor, id: string): Promise<UserDto> {
  const user = await repo.getUser(ctx.db, actor.workspaceId, id);
  if (!user) throw new NotFoundError('User', id);
  const [dto] = await withTeams(ctx, actor.workspaceId, [user], false);
  if (!dto) throw new NotFoundError('User', id);
  return dto;
}

/** Creates a user (and memberships) with its audit row; 409 with `existingId` if the e-mail is taken. */
export async function createUser(ctx: AppContext, actor: Actor, input: UserCreate): Promise<UserDto> {
  const passwordHash = await hashPassword(input.password);
  const at = ctx.clock.now();
  let id: string;
  try {
    id = await ctx.db
      .transaction()
      .execute((trx) =>
        insertUserAudited(
          trx,
          actor.workspaceId,
          { ...input, passwordHash },
          { userId: actor.userId, label: actor.email, at },
        ),
      );
  } catch (err) {
    // Two admins adding the same e-mail at once: the unique index decides, the answer stays a 409.
    if (!repo.isUniqueViolation(err)) throw err;
    const existing = await repo.findUserByEmail(ctx.db, actor.workspaceId, input.email);
    throw new ConflictError('A user with this e-mail already exists', existing?.id, { email: 'is taken' });
  }
  return getUser(ctx, actor, id);
}

function profileChanges(
  before: UserRow,
  input: { name?: string | undefined; locale?: UserRow['locale'] | undefined; timeZone?: string | undefined },
): { patch: Updateable<UsersTable>; diff: Record<string, Change> } {
  const patch: Updateable<UsersTable> = {};
  const diff: Record<string, Change> = {};
  if (input.name !== undefined && input.name !== before.name) {
    patch.name = input.name;
    diff.name = { from: before.name, to: input.name };
  }
  if (input.locale !== undefined && input.locale !== before.locale) {
    patch.locale = input.locale;
    diff.locale = { from: before.locale, to: input.locale };
  }
  if (input.timeZone !== undefined && input.timeZone !== before.time_zone) {
    patch.time_zone = input.timeZone;
    diff.timeZone = { from: before.time_zone, to: input.timeZone };
  }
  return { patch, diff };
}

/**
 * An admin changes a user. Each kind of change is its own audit row (`update`, `role_change`,
 * `deactivate`, `activate`) so the log can be filtered by what happened. Deactivation ends the
 * user's sessions and revokes their tokens (reactivating does not bring old tokens back); a new
 * password ends their other sessions. The workspace always keeps one active admin.
 */
export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UserUpdate,
): Promise<UserDto> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.lockWorkspaceUsers(trx, actor.workspaceId);
    const before = await repo.getUser(trx, actor.workspaceId, id);
    if (!before) throw new NotFoundError('User', id);
    const { patch, diff } = profileChanges(before, input);
    const roleChanged = input.role !== undefined && input.role !== before.role;
    const activeChanged = input.active !== undefined && input.active !== before.active;

    if (before.role === 'admin' && before.active && (roleChanged || (activeChanged && !input.active))) {
      if ((await repo.countActiveAdmins(trx, actor.workspaceId)) <= 1) {
        const fields: FieldErrors = {};
        if (roleChanged) fields.role = 'cannot demote the last active admin';
        if (activeChanged) fields.active = 'cannot deactivate the last active admin';
        throw new ValidationError('The workspace needs at least one active admin', fields);
      }
    }
    if (passwordHash) patch.password_hash = passwordHash;
    if (roleChanged && input.role) patch.role = input.role;
    if (activeChanged && input.active !== undefined) patch.active = input.active;
    if (Object.keys(patch).length === 0) return;
    await repo.updateUser(trx, actor.workspaceId, id, { ...patch, updated_at: now });

    const audit = (action: string, d: Record<string, unknown>) =>
      appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action,
        entityType: 'user',
        entityId: id,
        diff: d,
        at: now,
      });
    if (passwordHash) {
      const keep = actor.userId === id ? actor.sessionId : null;
      const ended = await repo.deleteSessionsOfUser(trx, actor.workspaceId, id, keep);
      await audit('update', { ...diff, password: { changed: true, sessionsEnded: ended } });
    } else if (Object.keys(diff).length > 0) {
      await audit('update', diff);
    }
    if (roleChanged) await audit('role_change', { role: { from: before.role, to: input.role } });
    if (activeChanged && input.active === false) {
      const sessionsEnded = await repo.deleteSessionsOfUser(trx, actor.workspaceId, id, null);
      const tokensRevoked = await repo.revokeApiTokensOfUser(trx, actor.workspaceId, id, now);
      await audit('deactivate', { active: { from: true, to: false }, sessionsEnded, tokensRevoked });
    } else if (activeChanged) {
      await audit('activate', { active: { from: false, to: true } });
    }
  });
  return getUser(ctx, actor, id);
}

/** The signed-in user's own name, language and time zone (the UI keeps the language here). */
export async function updateMe(
  ctx: AppContext,
  actor: Actor,
  input: UpdateMe,
  csrfToken: string | null,
): Promise<Me> {
  const now = ctx.clock.now();
  const after = await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.getUser(trx, actor.workspaceId, actor.userId);
    if (!before) throw new NotFoundError('User', actor.userId);
    const { patch, diff } = profileChanges(before, input);
    if (Object.keys(patch).length === 0) return before;
    const row = await repo.updateUser(trx, actor.workspaceId, actor.userId, { ...patch, updated_at: now });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'update',
      entityType: 'user',
      entityId: actor.userId,
      diff,
      at: now,
    });
    return row;
  });
  return describeMe(
    ctx,
    { ...actor, name: after.name, locale: after.locale, timeZone: after.time_zone },
    csrfToken,
  );
}
