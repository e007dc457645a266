import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { DbHandle } from '../db/client.ts';
import type { Database } from '../db/types.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Clock } from '../lib/clock.ts';

/** Everything a service needs, built once at start-up (or per test). No module-level state. */
export interface AppContext {
  config: Config;
  dbh: DbHandle;
  db: Kysely<Database>;
  clock: Clock;
  queue: JobQueue;
  schemaVersion: number;
}
