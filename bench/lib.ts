import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { type Engine, loadConfig, testEnv } from '../src/server/config.ts';
import type { Actor } from '../src/server/modules/workspaces/workspaces.policy.ts';
import { findUserByEmail, teamIdsOf } from '../src/server/modules/workspaces/workspaces.repo.ts';
import { toActor } from '../src/server/modules/workspaces/workspaces.service.ts';
import { createRuntime, type Runtime } from '../src/server/runtime.ts';
import { adminUrl, withDatabase } from '../test/pg-admin.ts';

/**
 * Measurement helpers shared by every benchmark: timing, percentiles, spawning the server until
 * it answers, throwaway databases on either engine, and the result table. Numbers, not pass/fail.
 */
export const ROOT = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(ROOT, 'src/server/cli.ts');

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of samples (milliseconds). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sum / Math.max(1, sorted.length),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Runs `fn` once and returns its result and how long it took (ms). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * Runs `fn(i)` `n` times in sequence after `warmup` unmeasured runs; returns the samples and the
 * wall time of the measured runs (for rows per second).
 */
export async function sample(
  n: number,
  fn: (i: number) => Promise<unknown>,
  warmup = 3,
): Promise<{ samples: number[]; totalMs: number }> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return { samples, totalMs: performance.now() - start };
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Peak resident memory of another process (Linux /proc), in MiB, or NaN where unknown. */
export function childPeakRssMiB(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export interface StartResult {
  /** Spawn to the first 200 from /api/health. */
  ms: number;
  /** Peak RSS of the server process once ready. */
  rssMiB: number;
}

/**
 * Starts `tandem start` as a child process (as a user would) and measures the time until
 * /api/health answers 200; then stops it. `where` is `--data DIR` or a DATABASE_URL.
 */
export async function measureStartup(where: {
  dataDir?: string;
  databaseUrl?: string;
}): Promise<StartResult> {
  const port = await freePort();
  const args = [CLI, 'start', '--port', String(port)];
  if (where.dataDir) args.push('--data', where.dataDir);
  const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  if (where.databaseUrl) env.DATABASE_URL = where.databaseUrl;
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  let exited = false;
  const done = new Promise<void>((resolve) =>
    child.on('close', () => {
      exited = true;
      resolve();
    }),
  );
  try {
    for (;;) {
      if (exited) throw new Error(`tandem start exited: ${stderr.trim()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000)
        throw new Error('tandem start did not become ready in 120 s');
      await new Promise((r) => setTimeout(r, 25));
    }
    const ms = performance.now() - started;
    return { ms, rssMiB: childPeakRssMiB(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await done;
  }
}

export interface Store {
  engine: Engine;
  /** Where the runtime and the CLI find it. */
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

let storeCounter = 0;

/** A new, empty database on the engine: a temp data folder, or a new database on the server. */
export async function newStore(engine: Engine, serverUrl: string | undefined): Promise<Store> {
  if (engine === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-'));
    return {
      engine,
      dataDir: dir,
      databaseUrl: undefined,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!serverUrl) throw new Error('PostgreSQL benchmarks need TANDEM_BENCH_DATABASE_URL or DATABASE_URL');
  const name = `tandem_bench_${process.pid}_${Date.now().toString(36)}_${storeCounter++}`;
  await withDatabase(adminUrl(serverUrl), (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    engine,
    dataDir: undefined,
    databaseUrl: u.toString(),
    drop: () =>
      withDatabase(adminUrl(serverUrl), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/**
 * A store kept by an earlier `--keep` run (same server, named database, or the PGlite folder), for
 * `--reuse NAME`: measured again without generating it anew, and never dropped by the run.
 */
export function keptStore(engine: Engine, pgUrl: string | undefined, name: string): Store {
  if (engine === 'pglite') return { engine, dataDir: name, databaseUrl: undefined, drop: async () => {} };
  if (!pgUrl) throw new Error('PostgreSQL benchmarks need TANDEM_BENCH_DATABASE_URL or DATABASE_URL');
  if (!/^tandem_bench_\w+$/.test(name)) throw new Error(`--reuse takes a tandem_bench_… database name`);
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return { engine, dataDir: undefined, databaseUrl: u.toString(), drop: async () => {} };
}

/** What `--reuse` takes to measure a kept store again. */
export function keptName(store: Store): string {
  return store.dataDir ?? new URL(store.databaseUrl ?? '').pathname.slice(1);
}

/** The server settings a PostgreSQL figure depends on, printed with it ("embedded" on PGlite). */
export async function serverSettings(rt: Runtime): Promise<string> {
  if (rt.ctx.config.databaseUrl === undefined) return 'embedded';
  const res = await sql<{ name: string; setting: string }>`
    SELECT name, current_setting(name) AS setting FROM unnest(ARRAY['shared_buffers', 'work_mem']) AS name`.execute(
    rt.ctx.db,
  );
  return res.rows.map((r) => `${r.name} ${r.setting}`).join(', ');
}

/** The actor a benchmark measures as: a user of the workspace, found by e-mail, as a token would sign in. */
export async function adminActor(rt: Runtime, workspaceId: string, email: string): Promise<Actor> {
  const u = await findUserByEmail(rt.ctx.db, workspaceId, email);
  if (!u) throw new Error(`no user ${email}`);
  return toActor(u, await teamIdsOf(rt.ctx.db, workspaceId, u.id), 'token', null);
}

/** The PostgreSQL server benchmarks create their databases on, if any. */
export function benchServerUrl(): string | undefined {
  return testEnv('TANDEM_BENCH_DATABASE_URL') ?? loadConfig().databaseUrl;
}

/** The runtime (no job workers unless asked) on a store, as `tandem start` would open it. */
export function openStore(store: Store, work = false): Promise<Runtime> {
  const config = loadConfig(
    { TANDEM_LOG_LEVEL: 'silent' },
    store.databaseUrl
      ? { databaseUrl: store.databaseUrl }
      : { dataDir: store.dataDir, databaseUrl: undefined },
  );
  return createRuntime(config, { work });
}

/** A fixed-width table for the terminal. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: (string | number)[]) =>
    r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Numbers for people: ms with one decimal under 100, whole numbers above. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(1);
}

export function writeResults(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

/** A progress line on stderr (overwritten in place on a terminal). */
export function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}
