import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Engine } from '../src/server/config.ts';
import { createApiToken } from '../src/server/modules/workspaces/workspaces.service.ts';
import type { Runtime } from '../src/server/runtime.ts';
import { CLI, ROOT, stats } from './lib.ts';

/**
 * Lead capture figures: a CSV import through `tandem import` (validation, dedupe, resume points)
 * against a raw COPY of the same file into a bare table on the same engine, the import's peak
 * memory, and HTTP batch touch ingest.
 */
const COLUMNS = 'email,first name,last name,phone,company,country,job title,tags';

/** Writes an import file: realistic contacts, 1 % of rows repeating an earlier e-mail. */
export function writeImportFile(file: string, rows: number): void {
  const countries = ['DE', 'US', 'CN', 'BR', 'IN', 'FR', 'GB', 'JP'];
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${COLUMNS}\n`);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const id = i % 100 === 99 ? i - 50 : i;
    buf += `import${id}@lead${id % 5000}.example,First${i},Last${i},+49 30 ${1_000_000 + i},Import Co ${i % 20_000},${countries[i % 8]},Buyer,${i % 3 ? 'fair' : 'web;vip'}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

const BARE = `CREATE TABLE bench_raw_copy (email text, first_name text, last_name text, phone text, company text,
  country text, title text, tags text)`;

/**
 * Inserts the bare table's rows into a copy of contacts that has its columns, defaults and generated
 * columns but no index, trigger or constraint: no validation, no dedupe, no search index. The least
 * any import into contacts costs on top of the raw COPY, printed beside the import's figure.
 */
const FLOOR = `
  INSERT INTO bench_contacts_floor (workspace_id, id, email, first_name, last_name, phone, company_name, country,
                                    title, tags)
  SELECT 'ws', 'ctc_' || row_number() OVER (), email, first_name, last_name, phone, company, country, title,
         string_to_array(tags, ';')
  FROM bench_raw_copy`;

export interface RawCopyFigures {
  /** A raw COPY of the file into a bare table: the speed of light for this engine. */
  copyMs: number;
  /** Then FLOOR; PostgreSQL only (the embedded baseline runs in a database without Tandem's schema). */
  floorMs: number | null;
}

export async function rawCopyMs(
  engine: Engine,
  databaseUrl: string | undefined,
  file: string,
): Promise<RawCopyFigures> {
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('DROP TABLE IF EXISTS bench_raw_copy, bench_contacts_floor');
      await client.query(BARE);
      const start = performance.now();
      await pipeline(
        fs.createReadStream(file),
        client.query(copyFrom('COPY bench_raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)')),
      );
      const copyMs = performance.now() - start;
      await client.query(
        'CREATE TABLE bench_contacts_floor (LIKE contacts INCLUDING DEFAULTS INCLUDING GENERATED)',
      );
      const floorStart = performance.now();
      await client.query(FLOOR);
      const floorMs = performance.now() - floorStart;
      await client.query('DROP TABLE bench_raw_copy, bench_contacts_floor');
      return { copyMs, floorMs };
    } finally {
      await client.end();
    }
  }
  const db = await PGlite.create();
  try {
    await db.exec(BARE);
    const blob = new Blob([fs.readFileSync(file)]);
    const start = performance.now();
    await db.query(`COPY bench_raw_copy FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob });
    return { copyMs: performance.now() - start, floorMs: null };
  } finally {
    await db.close();
  }
}

export interface ImportFigures {
  ms: number;
  rows: number;
  inserted: number;
  peakRssMiB: number;
}

/** Runs `tandem import` as a user would, in its own process (so its peak memory is its own). */
export function cliImport(
  where: { dataDir?: string; databaseUrl?: string },
  workspace: string,
  file: string,
): ImportFigures {
  const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  if (where.databaseUrl) env.DATABASE_URL = where.databaseUrl;
  const argv = [CLI, 'import', 'contacts', file, '--valid-only', '--json', '--workspace', workspace];
  if (where.dataDir) argv.push('--data', where.dataDir);
  const start = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`tandem import failed: ${r.stderr.trim().split('\n').pop()}`);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    rows: number;
    inserted: number;
    peakRssMiB: number;
  };
  return { ms, rows: summary.rows, inserted: summary.inserted, peakRssMiB: summary.peakRssMiB };
}

export interface IngestFigures {
  touchesPerSec: number;
  batchP50: number;
  batchP99: number;
}

/** Posts batches of 1,000 touches over HTTP, four requests in flight, each touch with its own key. */
export async function touchIngest(
  rt: Runtime,
  workspaceId: string,
  userId: string,
  batches: number,
): Promise<IngestFigures> {
  const { token } = await createApiToken(rt.ctx.db, workspaceId, userId, 'bench', {
    userId: null,
    label: 'bench',
  });
  const ids = (
    await sql<{
      id: string;
    }>`SELECT id FROM contacts WHERE workspace_id = ${workspaceId} ORDER BY id LIMIT 20000`.execute(rt.ctx.db)
  ).rows.map((r) => r.id);
  const address = await rt.app.listen({ port: 0, host: '127.0.0.1' });
  const run = Date.now().toString(36);
  const types = ['email_open', 'email_click', 'page_view', 'call'];
  let k = 0;
  const body = () =>
    JSON.stringify({
      touches: Array.from({ length: 1000 }, () => {
        k++;
        return {
          contactId: ids[k % ids.length],
          type: types[k % types.length],
          occurredAt: new Date(Date.UTC(2025, k % 12, 1 + (k % 28), k % 24)).toISOString(),
          idempotencyKey: `${run}-${k}`,
        };
      }),
    });
  const post = async (b: string) => {
    const res = await fetch(`${address}/api/touches/batch`, {
      method: 'POST',
      body: b,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`touch batch: ${res.status} ${await res.text()}`);
  };
  await post(body()); // warm-up: creates the monthly partitions
  const bodies = Array.from({ length: batches }, body);
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < bodies.length) {
        const b = bodies[next++]!;
        const t = performance.now();
        await post(b);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const ms = performance.now() - start;
  const s = stats(latencies);
  return { touchesPerSec: (batches * 1000) / (ms / 1000), batchP50: s.p50, batchP99: s.p99 };
}

export function importFile(dir: string, rows: number): string {
  const file = path.join(dir, `bench-import-${rows}.csv`);
  if (!fs.existsSync(file)) writeImportFile(file, rows);
  return file;
}
