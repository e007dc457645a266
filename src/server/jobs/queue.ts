import type { Transaction } from 'kysely';
import { fromKysely, fromPglite, PgBoss } from 'pg-boss';
import type { DbHandle } from '../db/client.ts';
import type { Database } from '../db/types.ts';

/**
 * The durable job queue: pg-boss on the same database as the data, on both engines.
 * Side effects (e-mail, webhooks) run only in jobs; services enqueue them inside their own
 * transaction with `enqueue(trx, …)`, so a rolled-back change never leaves a job behind.
 */
export interface JobDefinition<T extends object> {
  /** A verb phrase: `purgeExpiredSessions`, `sendSequenceStep`. */
  name: string;
  retryLimit?: number;
  /** Seconds before the first retry; doubles per attempt (exponential backoff). */
  retryDelay?: number;
  /** Recurring jobs only: a cron expression, listed in jobs/schedule.ts. */
  cron?: string;
  run(data: T): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry of jobs whose payload types differ
export type AnyJob = JobDefinition<any>;

export interface QueueOptions {
  pollSeconds: number;
  /** Run handlers in this process (the default `start`), or only enqueue (CLI commands). */
  work: boolean;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  retryCount: number;
  output: unknown;
}

export class JobQueue {
  readonly boss: PgBoss;
  readonly #jobs = new Map<string, AnyJob>();
  readonly #opts: QueueOptions;
  #started = false;

  constructor(handle: DbHandle, opts: QueueOptions) {
    this.#opts = opts;
    if (handle.engine === 'pglite' && handle.pglite) {
      this.boss = new PgBoss({ db: fromPglite(handle.pglite), backend: 'pglite', schema: 'pgboss' });
    } else if (handle.pool) {
      const pool = handle.pool;
      this.boss = new PgBoss({
        db: { executeSql: async (text, values) => pool.query(text, values) },
        schema: 'pgboss',
      });
    } else {
      throw new Error('Database handle has neither PGlite nor a pool');
    }
    // pg-boss reports worker and maintenance errors as events; an unhandled 'error' would crash.
    this.boss.on('error', (err) => console.error(`job queue: ${err.message}`));
  }

  register(...jobs: AnyJob[]): this {
    for (const job of jobs) this.#jobs.set(job.name, job);
    return this;
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.#started = true;
    for (const job of this.#jobs.values()) {
      await this.boss.createQueue(job.name, {
        retryLimit: job.retryLimit ?? 3,
        retryDelay: job.retryDelay ?? 30,
        retryBackoff: true,
      });
      if (job.cron) await this.boss.schedule(job.name, job.cron);
      if (this.#opts.work) {
        await this.boss.work(job.name, { pollingIntervalSeconds: this.#opts.pollSeconds }, async (batch) => {
          for (const item of batch) await job.run(item.data);
        });
      }
    }
  }

  /** Enqueues inside the caller's transaction: the job exists only if that transaction commits. */
  async enqueue<T extends object>(
    trx: Transaction<Database>,
    job: JobDefinition<T>,
    data: T,
  ): Promise<string> {
    this.#assertKnown(job.name);
    const id = await this.boss.send(job.name, data, { db: fromKysely(trx) });
    if (!id) throw new Error(`job ${job.name} was not queued`);
    return id;
  }

  async get(name: string, id: string): Promise<JobInfo | null> {
    const [job] = await this.boss.findJobs(name, { id });
    if (!job) return null;
    return { id: job.id, name: job.name, state: job.state, retryCount: job.retryCount, output: job.output };
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.boss.stop({ graceful: true, close: true, timeout: 5000 });
  }

  #assertKnown(name: string): void {
    if (!this.#jobs.has(name)) throw new Error(`job ${name} is not registered`);
  }
}
