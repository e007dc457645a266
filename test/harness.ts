import fs from 'node:fs';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import { type Config, type Engine, loadConfig } from '../src/server/config.ts';
import { type DbHandle, openDatabase } from '../src/server/db/client.ts';
import type { AppContext } from '../src/server/http/context.ts';
import { ManualClock } from '../src/server/lib/clock.ts';
import { createRuntime, type Runtime } from '../src/server/runtime.ts';
import { dbUrl } from './global-setup.ts';
import { adminUrl, withDatabase } from './pg-admin.ts';

let templateBlob: Blob | undefined;
let dbCounter = 0;

/** A fresh database cloned from the migrated template: PGlite dump reload, or CREATE DATABASE … TEMPLATE. */
export async function cloneDatabase(
  engine: Engine,
): Promise<{ dbh: DbHandle; drop: () => Promise<void>; url?: string }> {
  if (engine === 'pglite') {
    templateBlob ??= new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
    const dbh = await openDatabase({ loadDataDir: templateBlob });
    return { dbh, drop: async () => undefined };
  }
  const base = inject('postgresUrl');
  if (!base) throw new Error('PostgreSQL is not configured for tests');
  const name = `tandem_t_${process.pid}_${Date.now().toString(36)}_${dbCounter++}`;
  await withDatabase(adminUrl(base), (c) =>
    c.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`),
  );
  const url = dbUrl(base, name);
  const dbh = await openDatabase({ databaseUrl: url, poolSize: 5 });
  return {
    dbh,
    url,
    drop: () =>
      withDatabase(adminUrl(base), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export function availableEngines(): Engine[] {
  return inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

export interface BackendOptions {
  /** Start job workers in the test process (default false: most tests only enqueue). */
  work?: boolean;
}

/** One test's world: its own database, a running runtime (HTTP app + queue) and a settable clock. */
export class TestBackend {
  readonly engine: Engine;
  readonly clock = new ManualClock(new Date());
  #rt: Runtime | undefined;
  #drop: (() => Promise<void>) | undefined;
  /** PostgreSQL only: the URL of this test's database, for a spawned `tandem` command to share it. */
  databaseUrl: string | undefined;
  readonly #opts: BackendOptions;

  constructor(engine: Engine, opts: BackendOptions = {}) {
    this.engine = engine;
    this.#opts = opts;
  }

  get ctx(): AppContext {
    if (!this.#rt) throw new Error('backend not started');
    return this.#rt.ctx;
  }
  get app(): Runtime['app'] {
    if (!this.#rt) throw new Error('backend not started');
    return this.#rt.app;
  }
  get config(): Config {
    return this.ctx.config;
  }

  async start(): Promise<void> {
    const { dbh, drop, url } = await cloneDatabase(this.engine);
    this.databaseUrl = url;
    this.#drop = async () => {
      await dbh.close();
      await drop();
    };
    const config = loadConfig(
      { TANDEM_JOB_POLL_SECONDS: '0.5', TANDEM_LOG_LEVEL: 'silent' },
      { databaseUrl: this.engine === 'postgres' ? 'postgres://unused' : undefined },
    );
    this.#rt = await createRuntime(config, { dbh, clock: this.clock, work: this.#opts.work ?? false });
  }

  async stop(): Promise<void> {
    await this.#rt?.close();
    await this.#drop?.();
    this.#rt = undefined;
    this.#drop = undefined;
  }
}

/**
 * Runs the same tests on PGlite and on PostgreSQL, each test on a fresh database.
 * Without TANDEM_TEST_DATABASE_URL (outside CI) the PostgreSQL half is skipped, and global setup says why.
 */
export function forEachBackend(
  name: string,
  body: (t: TestBackend) => void,
  opts: BackendOptions = {},
): void {
  for (const engine of availableEngines()) {
    describe(`${name} [${engine}]`, () => {
      const t = new TestBackend(engine, opts);
      beforeEach(async () => {
        await t.start();
      });
      afterEach(async () => {
        await t.stop();
      });
      body(t);
    });
  }
}
