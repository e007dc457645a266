import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { Engine } from '../config.ts';
import { migrations } from './migrations/index.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './types.ts';

// int8 (counts, sums) as JS numbers: our counts stay far below 2^53; money columns are handled
// explicitly where they appear.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface DbHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** Set on the embedded engine: pg-boss and raw COPY use it directly. */
  pglite: PGlite | undefined;
  /** Set on PostgreSQL: pg-boss shares it. */
  pool: pg.Pool | undefined;
  close(): Promise<void>;
}

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** Open an existing PGlite data dump (tests clone a migrated template this way). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

/** Opens the embedded database or the PostgreSQL server, failing fast with one clear line. */
export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir, opts.loadDataDir);
}

/**
 * One process per embedded data folder: PGlite has no server to arbitrate, and two processes writing
 * the same files corrupt them. A lock file holds the owner's pid; a lock left by a dead process is
 * taken over.
 */
function acquireDataLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'tandem.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new StartupError(
          `The data folder ${dataDir} is in use by another Tandem process (pid ${pid}); stop it first, or use DATABASE_URL to run several processes`,
        );
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new StartupError(`Cannot lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<DbHandle> {
  if (dataDir) ensureWritableDir(dataDir);
  const release = dataDir ? acquireDataLock(dataDir) : () => undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir: path.join(dataDir, 'pgdata') } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      extensions: { pg_trgm },
    });
  } catch (err) {
    release();
    throw new StartupError(`Cannot open the embedded database in ${dataDir ?? 'memory'}: ${describe(err)}`);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    pglite,
    pool: undefined,
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<DbHandle> {
  // JIT off for every connection: at a million rows the planner's costs pass jit_above_cost, and
  // compiling expressions costs 100-300 ms per statement (a recompute batch, a segment count, a
  // report), more than most of those statements take to run; none runs long enough to repay it.
  // A request waits up to 30 s for a free connection: a burst (hundreds of leads routed at once,
  // each routing transaction queued behind its team's lock) drains in seconds, and failing a
  // request after 5 s of queueing would turn a busy minute into errors.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 30_000,
    options: '-c jit=off',
  });
  // pg emits pool errors for idle clients (server restart); log instead of crashing the process.
  pool.on('error', (err) => console.error(`PostgreSQL connection error: ${err.message}`));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new StartupError(`Cannot reach DATABASE_URL (${redact(url)}): ${describe(err)}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    pglite: undefined,
    pool,
    async close() {
      await db.destroy(); // ends the pool
    },
  };
}

function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK);
  } catch (err) {
    throw new StartupError(`Data folder ${dir} is not readable and writable: ${describe(err)}`);
  }
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return describe(err.errors[0]);
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message ?? String(err);
  return String(err);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'unparseable URL';
  }
}

/**
 * The project's migrator. Modules number their migrations in blocks and land in parallel, so a
 * lower number can arrive after a higher one has run (0056 after 0065): such a migration still runs,
 * in name order among the pending ones, instead of the database refusing to start. Each module's
 * migrations touch its own tables, which is what makes that order safe.
 */
function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
}

/** Applies pending migrations; returns the schema version (number of applied migrations). */
export async function migrateToLatest(db: Kysely<Database>): Promise<number> {
  const { error } = await migrator(db).migrateToLatest();
  if (error) throw new StartupError(`Migration failed: ${describe(error)}`);
  return schemaVersion(db);
}

/** Applies migrations up to and including `name` (for tests of what a later migration does to data). */
export async function migrateTo(db: Kysely<Database>, name: string): Promise<void> {
  const { error } = await migrator(db).migrateTo(name);
  if (error) throw new StartupError(`Migration failed: ${describe(error)}`);
}

export async function schemaVersion(db: Kysely<Database>): Promise<number> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt).length;
}

export const latestSchemaVersion = Object.keys(migrations).length;
