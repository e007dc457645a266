import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, Locale, Role, UserRow } from '../../db/types.ts';

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
  t: { workspaceId: string; id: string; userId: string; name: string; tokenHash: string },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      workspace_id: t.workspaceId,
      id: t.id,
      user_id: t.userId,
      name: t.name,
      token_hash: t.tokenHash,
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
    .select(['api_tokens.token_hash', 'api_tokens.id as token_id'])
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
