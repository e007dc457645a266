import { sql } from 'kysely';
import type { CustomFieldRow } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';

/** Lookups the compiler needs before it builds a query, and the saved-segment tables. */

export async function workspaceTimeZone(db: Db, workspaceId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('workspaces')
    .select('time_zone')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return row?.time_zone;
}

export async function customFieldsOf(db: Db, workspaceId: string): Promise<CustomFieldRow[]> {
  return db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).execute();
}

/** The columns `contacts` has now (fields added by other modules' migrations appear once they exist). */
export async function contactColumns(db: Db): Promise<Set<string>> {
  const rows = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns
    WHERE table_name = 'contacts' AND table_schema = current_schema()`.execute(db);
  return new Set(rows.rows.map((r) => r.column_name));
}

export async function existingUserIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function existingTeamIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db
    .selectFrom('teams')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function segmentDefinitions(
  db: Db,
  workspaceId: string,
  ids: string[],
): Promise<Map<string, { name: string; definition: unknown }>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('segments')
    .select(['id', 'name', 'definition'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, definition: r.definition }]));
}

/** Whether `campaign_members` exists yet (the campaigns module's migration). */
export async function hasTable(db: Db, table: string): Promise<boolean> {
  const rows = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM information_schema.tables
    WHERE table_name = ${table} AND table_schema = current_schema()`.execute(db);
  return (rows.rows[0]?.n ?? 0) > 0;
}
