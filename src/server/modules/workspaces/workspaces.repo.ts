import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, Locale, Role, UserRow, UsersTable } from '../../db/types.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Serialises first-run set-up so two browsers cannot both create "the first" workspace. */
export async function lockSetup(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(7346001)`.execute(trx);
}

export async function insertWorkspace(
  db: Db,
  w: { id: string; name: string; slug: string; timeZone?: string; defaultLocale?: Locale },
): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({
      id: w.id,
      name: w.name,
      slug: w.slug,
      ...(w.timeZone ? { time_zone: w.timeZone } : {}),
      ...(w.defaultLocale ? { default_locale: w.defaultLocale } : {}),
    })
    .execute();
}

export async function findWorkspaceBySlug(db: Db, slug: string) {
  return db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findWorkspaceByName(db: Db, name: string) {
  return db
    .selectFrom('workspaces')
    .selectAll()
    .where((eb) => eb.or([eb('slug', '=', name), eb(eb.fn('lower', ['name']), '=', name.toLowerCase())]))
    .executeTakeFirst();
}

export async function listWorkspaces(db: Db) {
  return db.selectFrom('workspaces').selectAll().orderBy('created_at').execute();
}

export async function getWorkspace(db: Db, id: string) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Db,
  u: {
    workspaceId: string;
    id: string;
    email: string;
    name: string;
    passwordHash: string | null;
    role: Role;
    locale?: Locale;
    timeZone?: string;
  },
): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      workspace_id: u.workspaceId,
      id: u.id,
      email: u.email,
      name: u.name,
      password_hash: u.passwordHash,
      role: u.role,
      ...(u.locale ? { locale: u.locale } : {}),
      ...(u.timeZone ? { time_zone: u.timeZone } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Users with this e-mail across workspaces (sign-in asks which one only when there are several). */
export async function findUsersByEmail(
  db: Db,
  email: string,
): Promise<(UserRow & { workspace_slug: string })[]> {
  return db
    .selectFrom('users')
    .innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
    .selectAll('users')
    .select('workspaces.slug as workspace_slug')
    .where(sql<string>`lower(users.email)`, '=', email.toLowerCase())
    .execute();
}

export async function findUserByEmail(
  db: Db,
  workspaceId: string,
  email: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function getUser(db: Db, workspaceId: string, id: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function teamIdsOf(db: Db, workspaceId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members')
    .select('team_id')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.team_id);
}

export async function insertSession(
  db: Db,
  s: {
    workspaceId: string;
    id: string;
    tokenHash: string;
    userId: string;
    csrfToken: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      workspace_id: s.workspaceId,
      id: s.id,
      token_hash: s.tokenHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

/** The session with its user, only if unexpired and the user is active. */
export async function findLiveSession(db: Db, workspaceId: string, id: string, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', (j) =>
      j.onRef('users.workspace_id', '=', 'sessions.workspace_id').onRef('users.id', '=', 'sessions.user_id'),
    )
    .select(['sessions.token_hash', 'sessions.csrf_token', 'sessions.id as session_id'])
    .selectAll('users')
    .where('sessions.workspace_id', '=', workspaceId)
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now)
    .where('users.active', '=', true)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function insertApiToken(
  db: Db,
  t: { workspaceId: string; id: string; userId: string; name: string; tokenHash: string; createdAt?: Date },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      workspace_id: t.workspaceId,
      id: t.id,
      user_id: t.userId,
      name: t.name,
      token_hash: t.tokenHash,
      ...(t.createdAt ? { created_at: t.createdAt } : {}),
    })
    .execute();
}

export async function findLiveApiToken(db: Db, workspaceId: string, id: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', (j) =>
      j
        .onRef('users.workspace_id', '=', 'api_tokens.workspace_id')
        .onRef('users.id', '=', 'api_tokens.user_id'),
    )
    .select([
      'api_tokens.token_hash',
      'api_tokens.id as token_id',
      'api_tokens.last_used_at as token_last_used_at',
    ])
    .selectAll('users')
    .where('api_tokens.workspace_id', '=', workspaceId)
    .where('api_tokens.id', '=', id)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.active', '=', true)
    .executeTakeFirst();
}

export async function markSignedIn(db: Db, workspaceId: string, userId: string, at: Date): Promise<void> {
  await db
    .updateTable('users')
    .set({ last_sign_in_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .execute();
}

/** PostgreSQL's unique_violation, raised alike by both engines: the race behind a pre-check. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === '23505';
}

export async function listUsers(db: Db, workspaceId: string, opts: { active?: boolean }): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId);
  if (opts.active !== undefined) q = q.where('active', '=', opts.active);
  return q.orderBy(sql`lower(name)`).orderBy('id').execute();
}

/** Team memberships of some users, or of the whole workspace when no ids are given. */
export async function membershipsOf(
  db: Db,
  workspaceId: string,
  userIds?: string[],
): Promise<{ team_id: string; user_id: string }[]> {
  if (userIds?.length === 0) return [];
  let q = db
    .selectFrom('team_members')
    .select(['team_id', 'user_id'])
    .where('workspace_id', '=', workspaceId);
  if (userIds) q = q.where('user_id', 'in', userIds);
  return q.orderBy('team_id').execute();
}

/**
 * Serialises changes to users' roles and activity within one workspace, so two admins demoting
 * each other at once cannot both pass the "one active admin remains" check.
 */
export async function lockWorkspaceUsers(trx: Transaction<Database>, workspaceId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(7346002, hashtext(${workspaceId}))`.execute(trx);
}

export async function countActiveAdmins(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateUser(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Updateable<UsersTable>,
): Promise<UserRow> {
  return db
    .updateTable('users')
    .set(patch)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends a user's sessions (all, or all but one: the admin changing their own password stays in). */
export async function deleteSessionsOfUser(
  db: Db,
  workspaceId: string,
  userId: string,
  keepSessionId: string | null,
): Promise<number> {
  let q = db.deleteFrom('sessions').where('workspace_id', '=', workspaceId).where('user_id', '=', userId);
  if (keepSessionId) q = q.where('id', '!=', keepSessionId);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function existingIds(
  db: Db,
  table: 'users' | 'teams',
  workspaceId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function insertMemberships(
  db: Db,
  workspaceId: string,
  rows: { teamId: string; userId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('team_members')
    .values(rows.map((r) => ({ workspace_id: workspaceId, team_id: r.teamId, user_id: r.userId })))
    .execute();
}

export async function listApiTokens(db: Db, workspaceId: string, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'created_at', 'last_used_at'])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The token row locked for the rest of the transaction, so two revocations audit only once. */
export async function getApiTokenForUpdate(trx: Transaction<Database>, workspaceId: string, id: string) {
  return trx
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'revoked_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function revokeApiToken(db: Db, workspaceId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Revokes every live token of a user; returns how many. */
export async function revokeApiTokensOfUser(
  db: Db,
  workspaceId: string,
  userId: string,
  at: Date,
): Promise<number> {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Records use; the staleness condition keeps concurrent requests from rewriting the same minute. */
export async function touchApiToken(
  db: Db,
  workspaceId: string,
  id: string,
  at: Date,
  staleBefore: Date,
): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}

export interface TeamRow {
  id: string;
  name: string;
}

export async function listTeams(db: Db, workspaceId: string): Promise<TeamRow[]> {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
}

/** With `lock`, concurrent membership replacements of one team queue instead of colliding. */
export async function getTeam(
  db: Db,
  workspaceId: string,
  id: string,
  lock = false,
): Promise<TeamRow | undefined> {
  let q = db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findTeamByName(
  db: Db,
  workspaceId: string,
  name: string,
): Promise<TeamRow | undefined> {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function insertTeam(db: Db, workspaceId: string, id: string, name: string): Promise<void> {
  await db.insertInto('teams').values({ workspace_id: workspaceId, id, name }).execute();
}

export async function renameTeam(db: Db, workspaceId: string, id: string, name: string): Promise<void> {
  await db
    .updateTable('teams')
    .set({ name })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Member ids per team, for some teams or the whole workspace. */
export async function membersOfTeams(
  db: Db,
  workspaceId: string,
  teamIds?: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (teamIds?.length === 0) return out;
  let q = db
    .selectFrom('team_members')
    .select(['team_id', 'user_id'])
    .where('workspace_id', '=', workspaceId);
  if (teamIds) q = q.where('team_id', 'in', teamIds);
  for (const r of await q.orderBy('user_id').execute()) {
    const list = out.get(r.team_id) ?? [];
    list.push(r.user_id);
    out.set(r.team_id, list);
  }
  return out;
}

export async function removeMembers(
  db: Db,
  workspaceId: string,
  teamId: string,
  userIds: string[],
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .deleteFrom('team_members')
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .where('user_id', 'in', userIds)
    .execute();
}
