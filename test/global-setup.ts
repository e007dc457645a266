import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig, testEnv } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { createRuntime } from '../src/server/runtime.ts';
import { adminUrl, templateName, withDatabase } from './pg-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresUrl: string | null;
    postgresSkipReason: string | null;
    postgresTemplate: string;
  }
}

/**
 * Migrates once per run (schema plus pg-boss's own tables), so each test only clones:
 * a PGlite data dump reloaded per test, and a PostgreSQL template database copied per test.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
  const config = loadConfig({}, { databaseUrl: undefined, dataDir: dir });

  const pg = await openDatabase({});
  const rt = await createRuntime(config, { dbh: pg, work: false });
  await rt.close();
  const dump = await pg.pglite!.dumpDataDir('none');
  await pg.close();
  const templatePath = path.join(dir, 'template.tar');
  fs.writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', templatePath);

  const url = testEnv('TANDEM_TEST_DATABASE_URL') ?? null;
  const template = templateName(`${process.pid}_${Date.now().toString(36)}`);
  project.provide('postgresTemplate', template);
  const ci = testEnv('CI') === 'true' || testEnv('CI') === '1';
  if (!url) {
    const reason =
      'TANDEM_TEST_DATABASE_URL is not set: PostgreSQL tests skip (scripts/pg-cluster.sh starts one)';
    if (ci) throw new Error(`CI needs PostgreSQL: ${reason}`);
    console.warn(`\n${reason}\n`);
    project.provide('postgresUrl', null);
    project.provide('postgresSkipReason', reason);
  } else {
    await withDatabase(adminUrl(url), async (client) => {
      await client.query(`CREATE DATABASE ${template}`);
    });
    const rtPg = await createRuntime(loadConfig({}, { databaseUrl: dbUrl(url, template) }), {
      work: false,
    });
    await rtPg.close();
    project.provide('postgresUrl', url);
    project.provide('postgresSkipReason', null);
  }

  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (url) {
      await withDatabase(adminUrl(url), (c) =>
        c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`),
      ).catch(() => undefined);
    }
  };
}

export function dbUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}
