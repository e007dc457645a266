import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { addUser, createWorkspace } from '../../../test/api.ts';
import { dbUrl } from '../../../test/global-setup.ts';
import { availableEngines, forEachBackend } from '../../../test/harness.ts';
import { adminUrl, withDatabase } from '../../../test/pg-admin.ts';
import { type Config, loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { createRuntime } from '../runtime.ts';
import type { JobDto } from './jobs.routes.ts';
import type { JobDefinition } from './queue.ts';

/** Polls until `check` returns a value (not undefined/false), or fails after `ms`. */
async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Payload {
  n: number;
  workspaceId?: string;
}

function recordingJob(name: string, runs: number[]): JobDefinition<Payload> {
  return {
    name,
    retryLimit: 0,
    retryDelay: 1,
    run: async (data) => {
      runs.push(data.n);
    },
  };
}

forEachBackend(
  'background jobs',
  (t) => {
    it('runs a job that was enqueued in a committed transaction', async () => {
      const runs: number[] = [];
      const job = recordingJob('recordRun', runs);
      await t.ctx.queue.add(job);
      const id = await t.ctx.db.transaction().execute((trx) => t.ctx.queue.enqueue(trx, job, { n: 1 }));
      await waitFor(() => runs.length === 1);
      const info = await waitFor(async () => {
        const j = await t.ctx.queue.get(job.name, id);
        return j?.state === 'completed' ? j : undefined;
      });
      expect(info.retryCount).toBe(0);
      expect(runs).toEqual([1]);
    });

    it('never creates a job whose transaction rolled back', async () => {
      const runs: number[] = [];
      const job = recordingJob('recordRun', runs);
      await t.ctx.queue.add(job);
      let rolledBackId = '';
      await expect(
        t.ctx.db.transaction().execute(async (trx) => {
          rolledBackId = await t.ctx.queue.enqueue(trx, job, { n: 1 });
          throw new Error('the change failed after the enqueue');
        }),
      ).rejects.toThrow('the change failed');
      expect(rolledBackId).not.toBe('');
      expect(await t.ctx.queue.get(job.name, rolledBackId)).toBeNull();
      // A later, committed job runs; the rolled-back one, older, would have run before it.
      await t.ctx.db.transaction().execute((trx) => t.ctx.queue.enqueue(trx, job, { n: 2 }));
      await waitFor(() => runs.length >= 1);
      await sleep(1200);
      expect(runs).toEqual([2]);
    });

    it('retries a failing job with exponential backoff, then records it as failed, logs it and lists it for admins', async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const admin = await createWorkspace(t);
      const attempts: number[] = [];
      const job: JobDefinition<Payload> = {
        name: 'failAlways',
        retryLimit: 2,
        retryDelay: 1,
        run: async () => {
          attempts.push(Date.now());
          throw new Error('the mail server said no');
        },
      };
      await t.ctx.queue.add(job);
      const id = await t.ctx.db
        .transaction()
        .execute((trx) => t.ctx.queue.enqueue(trx, job, { n: 1, workspaceId: admin.workspaceId }));
      const info = await waitFor(async () => {
        const j = await t.ctx.queue.get(job.name, id);
        return j?.state === 'failed' ? j : undefined;
      }, 25_000);
      const logged = errors.mock.calls.map((c) => String(c[0]));
      errors.mockRestore();

      expect(attempts).toHaveLength(3);
      expect(info.retryCount).toBe(2);
      const [a0 = 0, a1 = 0, a2 = 0] = attempts;
      // pg-boss backoff: retryDelay · 2^n/2 · (1 + jitter): the 1st retry waits 1–2 s, the 2nd 2–4 s.
      expect(a1 - a0).toBeGreaterThanOrEqual(950);
      expect(a2 - a1).toBeGreaterThanOrEqual(1950);

      expect(logged.filter((l) => l.includes(`job failAlways ${id}`))).toHaveLength(3);
      expect(logged).toContain(`job failAlways ${id} attempt 3/3 failed for good: the mail server said no`);

      const res = await admin.api.get<{ items: JobDto[] }>('/api/jobs?state=failed');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      const listed = res.body.items[0]!;
      expect(listed).toMatchObject({
        id,
        name: 'failAlways',
        state: 'failed',
        retryCount: 2,
        retryLimit: 2,
        error: 'the mail server said no',
      });
      expect(Date.parse(listed.createdAt)).toBeLessThanOrEqual(Date.parse(listed.completedAt ?? ''));
      expect(listed.startedAt).not.toBeNull();
    });

    it('shows failed jobs only to admins, and only their own workspace’s', async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const a = await createWorkspace(t);
      const b = await createWorkspace(t);
      const rep = await addUser(t, a.workspaceId, 'sales_rep');
      const job: JobDefinition<Payload> = {
        name: 'failOnce',
        retryLimit: 0,
        run: async () => {
          throw new Error('broken');
        },
      };
      await t.ctx.queue.add(job);
      const id = await t.ctx.db
        .transaction()
        .execute((trx) => t.ctx.queue.enqueue(trx, job, { n: 1, workspaceId: a.workspaceId }));
      await waitFor(async () => (await t.ctx.queue.get(job.name, id))?.state === 'failed');
      errors.mockRestore();

      const ofA = await a.api.get<{ items: JobDto[] }>('/api/jobs?state=failed');
      expect(ofA.body.items.map((j) => j.id)).toEqual([id]);
      const ofB = await b.api.get<{ items: JobDto[] }>('/api/jobs?state=failed');
      expect(ofB.body.items).toEqual([]);
      expect((await rep.api.get('/api/jobs?state=failed')).status).toBe(403);
      expect((await a.api.get('/api/jobs?state=exploded')).status).toBe(400);
    });
  },
  { work: true },
);

describe('queued jobs survive a restart', () => {
  for (const engine of availableEngines()) {
    describe(`[${engine}]`, () => {
      let cleanup: () => Promise<void> = async () => undefined;
      afterEach(async () => cleanup());

      let config: Config;
      let reopen: (work: boolean) => ReturnType<typeof createRuntime>;

      beforeEach(async () => {
        const env = { TANDEM_JOB_POLL_SECONDS: '0.5', TANDEM_LOG_LEVEL: 'silent' } as const;
        if (engine === 'pglite') {
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-jobs-restart-'));
          const template = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
          // Seed the on-disk data folder from the migrated template (a fresh initdb takes seconds).
          const seed = await openDatabase({ dataDir: dir, loadDataDir: template });
          await seed.close();
          config = loadConfig(env, { dataDir: dir, databaseUrl: undefined });
          cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
        } else {
          const base = inject('postgresUrl')!;
          const name = `tandem_t_restart_${process.pid}_${Date.now().toString(36)}`;
          await withDatabase(adminUrl(base), (c) =>
            c.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`),
          );
          config = loadConfig(env, { databaseUrl: dbUrl(base, name) });
          cleanup = async () => {
            await withDatabase(adminUrl(base), (c) =>
              c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
            );
          };
        }
        reopen = (work) => createRuntime(config, { work });
      });

      it('runs a job queued before the restart exactly once after it', async () => {
        const runs: number[] = [];
        const job = recordingJob('recordRun', runs);

        const before = await reopen(false);
        await before.ctx.queue.add(job);
        const id = await before.ctx.db
          .transaction()
          .execute((trx) => before.ctx.queue.enqueue(trx, job, { n: 7 }));
        await sleep(1000); // a worker would have picked it up by now: there is none
        expect(runs).toEqual([]);
        await before.close();

        const after = await reopen(true);
        try {
          await after.ctx.queue.add(job);
          await waitFor(() => runs.length === 1);
          await waitFor(async () => (await after.ctx.queue.get(job.name, id))?.state === 'completed');
          await sleep(1200);
          expect(runs).toEqual([7]);
        } finally {
          await after.close();
        }
      });
    });
  }
});
