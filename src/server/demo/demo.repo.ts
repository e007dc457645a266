import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/types.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** How a column's values travel: as a typed array parameter, or as text cast on the way in. */
export type ColumnKind = 'text' | 'int' | 'bool' | 'timestamptz' | 'text[]' | 'jsonb';

export interface BulkTable {
  table: string;
  columns: readonly (readonly [name: string, kind: ColumnKind])[];
}

/** Rows per statement: large enough to amortise the round trip, small enough for PGlite's memory. */
export const BATCH_ROWS = 2000;

const PARAM_TYPE: Record<ColumnKind, string> = {
  text: 'text[]',
  int: 'int[]',
  bool: 'bool[]',
  timestamptz: 'timestamptz[]',
  'text[]': 'text[]', // an array literal per row, cast per row below
  jsonb: 'text[]',
};

/**
 * Inserts many rows with one statement per batch: each column travels as one array parameter and
 * `unnest` turns the arrays back into rows. Same SQL on PGlite and PostgreSQL, a fixed number of
 * parameters whatever the batch size (multi-row VALUES would hit the 65,535-parameter limit), and
 * far less parsing than VALUES lists. Values must be in column order.
 */
export async function bulkInsert(db: Db, t: BulkTable, rows: readonly (readonly unknown[])[]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    const arrays = t.columns.map(([, kind], i) => batch.map((row) => encode(kind, row[i])));
    const names = t.columns.map(([name]) => sql.id(name));
    const params = t.columns.map(([, kind], i) => sql`${arrays[i]}::${sql.raw(PARAM_TYPE[kind])}`);
    const selects = t.columns.map(([name, kind]) => {
      const col = sql.ref(`u.${name}`);
      if (kind === 'text[]') return sql`${col}::text[]`;
      if (kind === 'jsonb') return sql`${col}::jsonb`;
      return col;
    });
    await sql`INSERT INTO ${sql.table(t.table)} (${sql.join(names)})
      SELECT ${sql.join(selects)} FROM unnest(${sql.join(params)}) AS u(${sql.join(names)})`.execute(db);
  }
}

function encode(kind: ColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'text[]') return arrayLiteral(v as readonly string[]);
  if (kind === 'jsonb') return JSON.stringify(v);
  if (kind === 'timestamptz') return v instanceof Date ? v.toISOString() : v;
  return v;
}

/** A PostgreSQL array literal: `{"a","b \"c\""}`. */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export async function workspaceNameTaken(db: Db, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('workspaces')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export async function slugTaken(db: Db, slug: string): Promise<boolean> {
  return (
    (await db.selectFrom('workspaces').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined
  );
}

export async function idTaken(db: Db, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('workspaces').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}

/** Fresh planner statistics after a bulk load (benchmarks and the first queries need them). */
export async function analyze(db: Db): Promise<void> {
  await sql`ANALYZE`.execute(db);
}

export const TABLES = {
  workspaces: {
    table: 'workspaces',
    columns: [
      ['id', 'text'],
      ['name', 'text'],
      ['slug', 'text'],
      ['reporting_currency', 'text'],
      ['time_zone', 'text'],
      ['default_locale', 'text'],
      ['created_at', 'timestamptz'],
    ],
  },
  teams: {
    table: 'teams',
    columns: [
      ['workspace_id', 'text'],
      ['id', 'text'],
      ['name', 'text'],
      ['created_at', 'timestamptz'],
    ],
  },
  users: {
    table: 'users',
    columns: [
      ['workspace_id', 'text'],
      ['id', 'text'],
      ['email', 'text'],
      ['name', 'text'],
      ['password_hash', 'text'],
      ['role', 'text'],
      ['locale', 'text'],
      ['time_zone', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
  },
  teamMembers: {
    table: 'team_members',
    columns: [
      ['workspace_id', 'text'],
      ['team_id', 'text'],
      ['user_id', 'text'],
    ],
  },
  customFields: {
    table: 'custom_fields',
    columns: [
      ['workspace_id', 'text'],
      ['id', 'text'],
      ['entity', 'text'],
      ['key', 'text'],
      ['label', 'text'],
      ['type', 'text'],
      ['options', 'jsonb'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
  },
  companies: {
    table: 'companies',
    columns: [
      ['workspace_id', 'text'],
      ['id', 'text'],
      ['name', 'text'],
      ['domain', 'text'],
      ['website', 'text'],
      ['industry', 'text'],
      ['employees', 'int'],
      ['country', 'text'],
      ['phone', 'text'],
      ['owner_id', 'text'],
      ['team_id', 'text'],
      ['tags', 'text[]'],
      ['custom', 'jsonb'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
  },
  contacts: {
    table: 'contacts',
    columns: [
      ['workspace_id', 'text'],
      ['id', 'text'],
      ['first_name', 'text'],
      ['last_name', 'text'],
      ['email', 'text'],
      ['phone', 'text'],
      ['title', 'text'],
      ['company_id', 'text'],
      ['company_name', 'text'],
      ['owner_id', 'text'],
      ['team_id', 'text'],
      ['country', 'text'],
      ['language', 'text'],
      ['tags', 'text[]'],
      ['custom', 'jsonb'],
      ['source_channel', 'text'],
      ['source_set_at', 'timestamptz'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
  },
} as const satisfies Record<string, BulkTable>;
