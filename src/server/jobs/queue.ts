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
  /** Where failed attempts are reported (default: stderr). A failure is never silent. */
  log?: (line: string) => void;
}

/** pg-boss keeps its tables in this schema (read by jobs.repo.ts for the admin view). */
export const JOB_SCHEMA = 'pgboss';

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
      this.boss = new PgBoss({ db: fromPglite(handle.pglite), backend: 'pglite', schema: JOB_SCHEMA });
    } else if (handle.pool) {
      const pool = handle.pool;
      this.boss = new PgBoss({
        db: { executeSql: async (text, values) => pool.query(text, values) },
        schema: JOB_SCHEMA,
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

  /** Registers jobs on a queue that may already run (tests, plug-ins): creates their queues and workers. */
  async add(...jobs: AnyJob[]): Promise<void> {
    this.register(...jobs);
    if (this.#started) for (const job of jobs) await this.#install(job);
  }

  /** Names of every registered job. */
  names(): string[] {
    return [...this.#jobs.keys()];
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.#started = true;
    for (const job of this.#jobs.values()) await this.#install(job);
  }

  async #install(job: AnyJob): Promise<void> {
    const retryLimit = job.retryLimit ?? 3;
    await this.boss.createQueue(job.name, {
      retryLimit,
      retryDelay: job.retryDelay ?? 30,
      retryBackoff: true,
    });
    if (job.cron) await this.boss.schedule(job.name, job.cron);
    if (!this.#opts.work) return;
    const log = this.#opts.log ?? ((line: string) => console.error(line));
    await this.boss.work(job.name, { pollingIntervalSeconds: this.#opts.pollSeconds }, async (batch) => {
      for (const item of batch) {
        try {
          await job.run(item.data);
        } catch (err) {
          // pg-boss records the error and schedules the retry; we make sure a person can see it too.
          const attempt = item.retryCount + 1;
          const outcome = attempt > retryLimit ? 'failed for good' : 'will retry';
          const message = err instanceof Error ? err.message : String(err);
          log(`job ${job.name} ${item.id} attempt ${attempt}/${retryLimit + 1} ${outcome}: ${message}`);
          throw err;
        }
      }
    });
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
