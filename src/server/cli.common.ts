import { InvalidArgumentError } from 'commander';
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { type Config, type ConfigOverrides, loadConfig } from './config.ts';
import type { DbHandle } from './db/client.ts';
import type { Database } from './db/types.ts';
import type { AppContext } from './http/context.ts';
import type * as WsRepo from './modules/workspaces/workspaces.repo.ts';

/*
 * What every `tandem` command shares: flags for the data location, opening the database, naming
 * the workspace, one-line output and usage errors. Commands live beside their modules
 * (`<module>.cli.ts`) and build on this. The database modules load only when a command runs.
 */
const dbClient = () => import('./db/client.ts');
const wsRepo = () => import('./modules/workspaces/workspaces.repo.ts');

/** Bad input to a command: one line on stderr, exit code 2, nothing written. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const CLI_ACTOR = 'tandem cli';

export interface DataOpts {
  data?: string;
}

/** Output goes through here so tests and scripts get exactly one line per message. */
export const out = (line: string) => process.stdout.write(`${line}\n`);

export function configFor(opts: DataOpts & { port?: number }): Config {
  const overrides: ConfigOverrides = {};
  if (opts.data) overrides.dataDir = opts.data;
  if (opts.port !== undefined) overrides.port = opts.port;
  return loadConfig(process.env, overrides);
}

export function where(config: Config): string {
  return config.engine === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
}

export async function open(config: Config): Promise<DbHandle> {
  const { openDatabase } = await dbClient();
  return openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: 4 } : { dataDir: config.dataDir },
  );
}

/** Opens and migrates the database for one command, and always closes it. */
export async function withData<T>(
  opts: DataOpts,
  fn: (dbh: DbHandle, config: Config) => Promise<T>,
): Promise<T> {
  const config = configFor(opts);
  const dbh = await open(config);
  try {
    const { migrateToLatest } = await dbClient();
    await migrateToLatest(dbh.db);
    return await fn(dbh, config);
  } finally {
    await dbh.close();
  }
}

export function parseIntIn(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** Validates one flag with a contract schema; the first issue becomes the message. */
export function check<S extends z.ZodType>(flag: string, schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${flag} ${r.error.issues[0]?.message ?? 'is invalid'}`);
  return r.data;
}

export type Workspace = Awaited<ReturnType<typeof WsRepo.listWorkspaces>>[number];

/** The workspace a command is about: named with --workspace, or the only one there is. */
export async function resolveWorkspace(
  db: Kysely<Database> | Transaction<Database>,
  name: string | undefined,
  emailHint?: string,
): Promise<Workspace | null> {
  const repo = await wsRepo();
  const all = await repo.listWorkspaces(db);
  const names = all.map((w) => `"${w.name}"`).join(', ');
  if (name) {
    const wanted = name.toLowerCase();
    const found = all.find((w) => w.slug === wanted || w.name.toLowerCase() === wanted);
    if (!found) {
      throw new UsageError(
        all.length
          ? `no workspace named "${name}" (workspaces: ${names})`
          : `no workspace named "${name}" (there is none yet)`,
      );
    }
    return found;
  }
  if (all.length <= 1) return all[0] ?? null;
  if (emailHint) {
    const users = await repo.findUsersByEmail(db, emailHint);
    if (users.length === 1) return all.find((w) => w.id === users[0]?.workspace_id) ?? null;
    if (users.length === 0) throw new UsageError(`no user ${emailHint} in any workspace`);
  }
  throw new UsageError(`there are ${all.length} workspaces (${names}): choose one with --workspace`);
}

export const dataOption = [
  '--data <dir>',
  'data folder of the embedded database (default ./data; ignored with DATABASE_URL)',
] as const;

export const workspaceOption = [
  '--workspace <name>',
  'workspace name or slug (required when there are several)',
] as const;

/**
 * The service context for a command that works in this process without job workers (jobs it
 * enqueues wait for `tandem start` or `tandem worker`).
 */
export async function commandContext(dbh: DbHandle, config: Config): Promise<AppContext> {
  const { schemaVersion } = await dbClient();
  const { JobQueue } = await import('./jobs/queue.ts');
  const { systemClock } = await import('./lib/clock.ts');
  return {
    config,
    dbh,
    db: dbh.db,
    clock: systemClock,
    queue: new JobQueue(dbh, { pollSeconds: config.jobPollSeconds, work: false }),
    schemaVersion: await schemaVersion(dbh.db),
  };
}
