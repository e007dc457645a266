import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { latestSchemaVersion } from './db/client.ts';

/**
 * The `tandem` command as a user runs it: a child process through bin/tandem.js, checked by exit
 * code and by what it prints. Bad input exits 2 and start-up faults exit 1, each with one line.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/tandem.js');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-cli-'));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_LOG_LEVEL: 'silent', ...extra };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

function tandem(args: string[], extra: Record<string, string | undefined> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: childEnv({ DATABASE_URL: undefined, ...extra }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

/** A migrated embedded data folder, made once and copied per test (a fresh one takes seconds). */
let seeded = '';
let n = 0;
function dataDir(): string {
  const dir = path.join(TMP, `data-${n++}`);
  fs.cpSync(seeded, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  seeded = path.join(TMP, 'seeded');
  const r = await tandem(['migrate', '--data', seeded]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 60_000);

afterAll(() => {
  fs.rmSync(TMP, { recursive: true, force: true });
});

describe('tandem start fails fast with one clear line', () => {
  it('exits 1 when the data folder cannot be used', async () => {
    const blocker = path.join(TMP, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const r = await tandem(['start', '--port', '0', '--data', path.join(blocker, 'data')]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^Tandem could not start: Data folder .*a-file\/data is not readable and writable/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(process.getuid?.() === 0)('exits 1 when the data folder is not readable', async () => {
    const locked = path.join(TMP, 'locked');
    fs.mkdirSync(locked, { mode: 0o000 });
    const r = await tandem(['start', '--port', '0', '--data', locked]);
    fs.chmodSync(locked, 0o700);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('is not readable and writable');
  });

  it('exits 1 when DATABASE_URL cannot be reached', async () => {
    const r = await tandem(['start', '--port', '0'], {
      DATABASE_URL: 'postgres://tandem@127.0.0.1:1/nowhere',
    });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^Tandem could not start: Cannot reach DATABASE_URL .*ECONNREFUSED/);
    expect(r.stdout).toBe('');
  });

  it('exits 1 on an invalid setting, naming it', async () => {
    const r = await tandem(['health', '--data', dataDir()], { TANDEM_SESSION_DAYS: 'forever' });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringContaining('TANDEM_SESSION_DAYS')]);
  });
});

describe('tandem start', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('serves the API until it is stopped, with the token the CLI made', async () => {
    const data = dataDir();
    const add = await tandem([
      'user',
      'add',
      '--email',
      'ana@example.com',
      '--password',
      'correct horse battery',
      '--role',
      'admin',
      '--workspace',
      'Acme',
      '--data',
      data,
    ]);
    expect(add.code).toBe(0);
    const token = (
      await tandem(['token', 'create', '--email', 'ana@example.com', '--data', data])
    ).stdout.trim();

    child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data', data], {
      cwd: ROOT,
      env: childEnv({ DATABASE_URL: undefined }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = child;
    const ready = await new Promise<string>((resolve, reject) => {
      let text = '';
      started.stdout?.on('data', (d) => {
        text += d;
        if (text.includes('\n')) resolve(text);
      });
      started.on('close', (code) => reject(new Error(`exited ${code}`)));
    });
    const url = /ready at (http:\/\/\S+)/.exec(ready)?.[1];
    expect(url).toBeDefined();
    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toEqual({
      status: 'ok',
      engine: 'pglite',
      schemaVersion: latestSchemaVersion,
    });
    const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: 'ana@example.com', role: 'admin' } });

    const exited = new Promise<number | null>((resolve) => started.on('close', resolve));
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  }, 60_000);
});

interface Engine {
  name: 'pglite' | 'postgres';
  args(): Promise<{ args: string[]; env: Record<string, string>; done(): Promise<void> }>;
}

const engines: Engine[] = [
  {
    name: 'pglite',
    args: async () => ({ args: ['--data', dataDir()], env: {}, done: async () => undefined }),
  },
];

const pgBase = inject('postgresUrl');
if (pgBase) {
  engines.push({
    name: 'postgres',
    args: async () => {
      const { adminUrl, withDatabase } = await import('../../test/pg-admin.ts');
      const { dbUrl } = await import('../../test/global-setup.ts');
      const db = `tandem_cli_${process.pid}_${n++}`;
      await withDatabase(adminUrl(pgBase), (c) => c.query(`CREATE DATABASE ${db}`));
      return {
        args: [],
        env: { DATABASE_URL: dbUrl(pgBase, db) },
        done: async () => {
          await withDatabase(adminUrl(pgBase), (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
        },
      };
    },
  });
}

describe('tandem health', () => {
  it('reports the embedded engine and schema version 0 on a fresh data folder', async () => {
    const fresh = path.join(TMP, 'fresh');
    const r = await tandem(['health', '--data', fresh]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `ok: engine pglite (embedded database in ${fresh}), schema version 0 of ${latestSchemaVersion} ` +
        `(${latestSchemaVersion} pending: run tandem migrate, or tandem start migrates)\n`,
    );
  }, 60_000);
});

for (const engine of engines) {
  describe(`tandem data commands [${engine.name}]`, () => {
    let ctx: Awaited<ReturnType<Engine['args']>>;
    const run = (args: string[]) => tandem([...args, ...ctx.args], ctx.env);
    const addUser = (email: string, role: string, more: string[] = []) =>
      run(['user', 'add', '--email', email, '--password', 'correct horse battery', '--role', role, ...more]);

    beforeAll(async () => {
      ctx = await engine.args();
    }, 60_000);
    afterAll(async () => ctx.done());

    it('migrates and reports the engine and the latest schema version', async () => {
      expect((await run(['migrate'])).code).toBe(0);
      const r = await run(['health']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`ok: engine ${engine.name}`);
      expect(r.stdout).toContain(`schema version ${latestSchemaVersion} of ${latestSchemaVersion}\n`);
    });

    it('refuses bad input with exit code 2 and one line, writing nothing', async () => {
      const role = await addUser('boss@example.com', 'boss');
      expect(role.code).toBe(2);
      expect(lines(role.stderr)).toEqual([
        'tandem: unknown role "boss": use one of admin, marketing, sales_manager, sales_rep, service',
      ]);
      const missing = await run(['user', 'add', '--email', 'x@example.com', '--role', 'admin']);
      expect(missing.code).toBe(2);
      expect(lines(missing.stderr)).toEqual([
        "tandem: required option '--password <password>' not specified",
      ]);
      const short = await run([
        'user',
        'add',
        '--email',
        'x@example.com',
        '--role',
        'admin',
        '--password',
        'short',
      ]);
      expect(short.code).toBe(2);
      expect(lines(short.stderr)).toHaveLength(1);
      const unknown = await run(['frobnicate']);
      expect(unknown.code).toBe(2);
      const notFirstAdmin = await addUser('rep@example.com', 'sales_rep');
      expect(notFirstAdmin.code).toBe(2);
      expect(notFirstAdmin.stderr).toContain('the first user of a new workspace must be an admin');
      // Nothing was written: there is still no workspace to make a token in.
      const token = await run(['token', 'create', '--email', 'boss@example.com']);
      expect(token.code).toBe(2);
      expect(lines(token.stderr)).toEqual([
        'tandem: there is no workspace yet: add a user first (tandem user add)',
      ]);
    });

    it('adds users, creating the workspace with the first, and prints tokens', async () => {
      const first = await addUser('owner@example.com', 'admin', [
        '--workspace',
        'Acme Export',
        '--name',
        'Olga Owner',
      ]);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toBe('Created workspace "Acme Export" with admin owner@example.com\n');
      const rep = await addUser('rep@example.com', 'sales_rep');
      expect(rep.stdout).toBe('Added sales_rep rep@example.com to workspace "Acme Export"\n');
      const again = await addUser('REP@example.com', 'sales_rep');
      expect(again.code).toBe(2);
      expect(lines(again.stderr)).toEqual(['tandem: A user with this e-mail already exists: email is taken']);

      const token = await run(['token', 'create', '--email', 'rep@example.com', '--name', 'laptop']);
      expect(token.code).toBe(0);
      expect(token.stdout).toMatch(/^tdm_ws_[0-9a-z]+\.tok_[0-9a-z]+\.[\w-]+\n$/);
      const nobody = await run(['token', 'create', '--email', 'nobody@example.com']);
      expect(nobody.code).toBe(2);
      expect(lines(nobody.stderr)).toEqual(['tandem: no user nobody@example.com in workspace "Acme Export"']);
    });

    it('generates a demo workspace, then needs --workspace to tell the workspaces apart', async () => {
      const demo = await run(['demo', '--contacts', '300', '--seed', '3', '--workspace', 'Demo Co']);
      expect(demo.code).toBe(0);
      expect(lines(demo.stdout)).toEqual([
        expect.stringMatching(
          /^Demo workspace "Demo Co" \(demo-co\) ready in [\d.]+ s on the .*: 4 teams, \d+ users, 25 companies, 300 contacts\.$/,
        ),
        'Sign in as admin@demo-co.example with the password "demo password".',
      ]);
      const twice = await run(['demo', '--contacts', '10', '--workspace', 'demo co']);
      expect(twice.code).toBe(2);
      expect(lines(twice.stderr)).toHaveLength(1);

      const ambiguous = await addUser('new@example.com', 'marketing');
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toMatch(
        /^tandem: there are 2 workspaces \(.*\): choose one with --workspace\n$/,
      );
      const wrong = await addUser('new@example.com', 'marketing', ['--workspace', 'Nope']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/^tandem: no workspace named "Nope"/);
      const right = await addUser('new@example.com', 'marketing', ['--workspace', 'demo-co']);
      expect(right.stdout).toBe('Added marketing new@example.com to workspace "Demo Co"\n');
      // The wrong attempt wrote nothing: the user exists only where the right one put it.
      const inAcme = await run([
        'token',
        'create',
        '--email',
        'new@example.com',
        '--workspace',
        'Acme Export',
      ]);
      expect(inAcme.code).toBe(2);
      const demoAdmin = await run(['token', 'create', '--email', 'admin@demo-co.example']);
      expect(demoAdmin.code).toBe(0);
    }, 60_000);
  });
}

if (pgBase) {
  describe('tandem worker', () => {
    it('runs the job workers alone on PostgreSQL until it is stopped', async () => {
      const pg = await engines.find((e) => e.name === 'postgres')!.args();
      try {
        const child = spawn(process.execPath, [BIN, 'worker'], {
          cwd: ROOT,
          env: childEnv(pg.env),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const exited = new Promise<number | null>((resolve) =>
          child.on('close', (code, sig) => {
            console.log('DEBUG', code, sig, err);
            resolve(code);
          }),
        );
        let err = '';
        child.stderr.on('data', (d) => {
          err += d;
        });
        const line = await new Promise<string>((resolve, reject) => {
          let text = '';
          child.stdout.on('data', (d) => {
            text += d;
            if (text.includes('\n')) resolve(text);
          });
          child.on('close', (code) => reject(new Error(`worker exited ${code}`)));
        });
        expect(line).toMatch(/^Tandem worker is running \d+ job types on PostgreSQL/);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        await pg.done();
      }
    }, 60_000);
  });
}

describe('the tandem binary', () => {
  it('prints help and exits 0', async () => {
    const r = await tandem(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['start', 'worker', 'migrate', 'health', 'user', 'token', 'demo'])
      expect(r.stdout).toContain(cmd);
  });

  it('refuses to run a separate worker on the embedded database', async () => {
    const r = await tandem(['worker']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('needs PostgreSQL');
  });
});
