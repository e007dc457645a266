import type { Config } from './config.ts';
import { type DbHandle, migrateToLatest, openDatabase } from './db/client.ts';
import { buildApp, type ZApp } from './http/app.ts';
import type { AppContext } from './http/context.ts';
import { JobQueue } from './jobs/queue.ts';
import { allJobs } from './jobs/schedule.ts';
import { type Clock, systemClock } from './lib/clock.ts';

export interface RuntimeOptions {
  /** Run job handlers in this process (default true; `worker.ts` runs them alone). */
  work?: boolean;
  clock?: Clock;
  /** Reuse an open database (tests). */
  dbh?: DbHandle;
  logger?: boolean;
}

export interface Runtime {
  ctx: AppContext;
  app: ZApp;
  close(): Promise<void>;
}

/** Opens the database, migrates, starts the job queue and builds the HTTP app. */
export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const dbh =
    opts.dbh ??
    (await openDatabase(
      config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
    ));
  try {
    const schemaVersion = await migrateToLatest(dbh.db);
    const queue = new JobQueue(dbh, { pollSeconds: config.jobPollSeconds, work: opts.work ?? true });
    const ctx: AppContext = {
      config,
      dbh,
      db: dbh.db,
      clock: opts.clock ?? systemClock,
      queue,
      schemaVersion,
    };
    queue.register(...allJobs(ctx));
    await queue.start();
    const app = await buildApp(ctx, { logger: opts.logger ?? false });
    return {
      ctx,
      app,
      async close() {
        await app.close();
        await queue.stop();
        if (!opts.dbh) await dbh.close();
      },
    };
  } catch (err) {
    if (!opts.dbh) await dbh.close().catch(() => undefined);
    throw err;
  }
}
