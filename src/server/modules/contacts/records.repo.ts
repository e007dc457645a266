import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/types.ts';
import type { OwnedTable } from '../../db/visibility.ts';

/** SQL shared by the contacts and companies repos: keyset pages, search, owner/team checks. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Whether a database error is a unique violation (of one named constraint, if given). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== '23505') return false;
  if (!constraint) return true;
  // pg reports the constraint name; fall back to the message for drivers that do not.
  return e.constraint === constraint || (typeof e.message === 'string' && e.message.includes(constraint));
}

/** A sort key: a column of the table (always paired with `id` as the tie-breaker). */
export interface SortColumn {
  column: string;
  kind: 'timestamp' | 'text';
}

/** The sort value as text, exact to the microsecond for timestamps (a JS Date would lose precision). */
export function sortValueText(table: OwnedTable, s: SortColumn): RawBuilder<string> {
  const ref = sql.ref(`${table}.${s.column}`);
  return s.kind === 'timestamp'
    ? sql<string>`to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : sql<string>`${ref}`;
}

/** Rows strictly after the cursor row in (sort, id) order: a row comparison the sort index serves. */
export function afterCursor(
  table: OwnedTable,
  s: SortColumn,
  order: 'asc' | 'desc',
  cursor: { v: string; id: string },
): Expression<SqlBool> {
  const ref = sql.ref(`${table}.${s.column}`);
  const id = sql.ref(`${table}.id`);
  const value = s.kind === 'timestamp' ? sql`${cursor.v}::timestamptz` : sql`${cursor.v}`;
  return order === 'asc'
    ? sql<SqlBool>`(${ref}, ${id}) > (${value}, ${cursor.id})`
    : sql<SqlBool>`(${ref}, ${id}) < (${value}, ${cursor.id})`;
}

/** How a free-text query is matched (decided by the service from the query's shape). */
export type SearchPlan =
  /** Every term is a substring of search_text (trigram index for terms of 3+ characters). */
  | { mode: 'substring'; terms: string[] }
  /** Every term (1–2 characters) is a prefix of a name, e-mail or company (GIN on prefix_keys). */
  | { mode: 'prefix'; terms: string[] }
  /** A whole e-mail address: a prefix of the contact's e-mail (btree, text_pattern_ops). */
  | { mode: 'email'; address: string };

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function searchCondition(table: OwnedTable, plan: SearchPlan): Expression<SqlBool> {
  if (plan.mode === 'email') {
    return sql<SqlBool>`${sql.ref(`${table}.sort_email`)} LIKE ${`${likeEscape(plan.address)}%`}`;
  }
  if (plan.mode === 'prefix') {
    return sql<SqlBool>`${sql.ref(`${table}.prefix_keys`)} @> ARRAY[${sql.join(plan.terms)}]::text[]`;
  }
  const text = sql.ref(`${table}.search_text`);
  return sql<SqlBool>`(${sql.join(
    plan.terms.map((term) => sql`${text} LIKE ${`%${likeEscape(term)}%`}`),
    sql` AND `,
  )})`;
}

/** An active user of the workspace (owners must be one). */
export async function findActiveUser(
  db: Db,
  workspaceId: string,
  userId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .where('active', '=', true)
    .executeTakeFirst();
}

export async function teamExists(db: Db, workspaceId: string, teamId: string): Promise<boolean> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', teamId)
    .executeTakeFirst();
  return row !== undefined;
}
