import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { DbHandle } from './client.ts';

/**
 * A transaction below Kysely, for the one thing Kysely cannot do: COPY, the fastest way to load rows
 * (6–8× multi-row INSERT on PostgreSQL, ~3× on PGlite). Used by bulk loaders (imports, demo data).
 * On PGlite it holds PGlite's exclusive transaction lock, so no other statement interleaves.
 */
export interface RawTx {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Loads rows into table(columns) with COPY; values are strings, numbers, booleans or null. */
  copyRows(table: string, columns: string[], rows: CopyValue[][]): Promise<void>;
}

export type CopyValue = string | number | boolean | null;

function copySql(table: string, columns: string[], source: string): string {
  const cols = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
  return `COPY ${table} (${cols}) FROM ${source}`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * COPY's text format: tab between columns, newline between rows, \N for null, and backslash escapes
 * for backslash, tab, newline and CR. Far cheaper to produce than quoted CSV (this is the import
 * hot path).
 */
export function encodeCopyText(rows: CopyValue[][]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (i) out += '\t';
      if (v === null || v === undefined) out += '\\N';
      else if (typeof v === 'string')
        out += /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : v;
      else out += String(v);
    }
    out += '\n';
  }
  return out;
}

export async function rawTransaction<T>(dbh: DbHandle, fn: (tx: RawTx) => Promise<T>): Promise<T> {
  if (dbh.pglite) {
    return dbh.pglite.transaction(async (tx) =>
      fn({
        async query<R>(text: string, params: unknown[] = []) {
          return (await tx.query<R>(text, params)).rows;
        },
        async copyRows(table, columns, rows) {
          if (!rows.length) return;
          await tx.query(copySql(table, columns, `'/dev/blob'`), [], {
            blob: new Blob([encodeCopyText(rows)]),
          });
        },
      }),
    );
  }
  if (!dbh.pool) throw new Error('Database handle has neither PGlite nor a pool');
  const client = await dbh.pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn({
      async query<R>(text: string, params: unknown[] = []) {
        return (await client.query(text, params)).rows as R[];
      },
      async copyRows(table, columns, rows) {
        if (!rows.length) return;
        await pipeline(
          Readable.from([encodeCopyText(rows)]),
          client.query(copyFrom(copySql(table, columns, 'STDIN'))),
        );
      },
    });
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
