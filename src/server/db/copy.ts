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
  /** Loads CSV text (RFC 4180, no header) into table(columns). */
  copyCsv(table: string, columns: string[], csv: string): Promise<void>;
}

function copySql(table: string, columns: string[], source: string): string {
  const cols = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
  return `COPY ${table} (${cols}) FROM ${source} WITH (FORMAT csv)`;
}

export async function rawTransaction<T>(dbh: DbHandle, fn: (tx: RawTx) => Promise<T>): Promise<T> {
  if (dbh.pglite) {
    return dbh.pglite.transaction(async (tx) =>
      fn({
        async query<R>(text: string, params: unknown[] = []) {
          return (await tx.query<R>(text, params)).rows;
        },
        async copyCsv(table, columns, csv) {
          if (!csv) return;
          await tx.query(copySql(table, columns, `'/dev/blob'`), [], { blob: new Blob([csv]) });
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
      async copyCsv(table, columns, csv) {
        if (!csv) return;
        await pipeline(Readable.from([csv]), client.query(copyFrom(copySql(table, columns, 'STDIN'))));
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
