import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, '../../cli.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-import-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tandem(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args, '--data', path.join(dir, 'data')], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 120_000,
  });
}

describe('tandem import and export', () => {
  it('finishes an import killed mid-way when run again, with every row exactly once', async () => {
    expect(
      tandem([
        'user',
        'add',
        '--email',
        'admin@example.com',
        '--password',
        'long password 1',
        '--role',
        'admin',
      ]).status,
    ).toBe(0);
    const rows = 60_000;
    const file = path.join(dir, 'leads.csv');
    fs.writeFileSync(
      file,
      `email,first name,country\n${Array.from({ length: rows }, (_, i) => `lead${i}@example.com,Lead ${i},DE`).join('\n')}\n`,
    );
    // Kill -9 the first run as soon as it has committed a batch.
    const first = spawn(
      process.execPath,
      [CLI, 'import', 'contacts', file, '--data', path.join(dir, 'data')],
      {
        env: { ...process.env, DATABASE_URL: '' },
      },
    );
    await new Promise<void>((resolve, reject) => {
      first.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('staged')) {
          first.kill('SIGKILL');
          resolve();
        }
      });
      first.on('exit', () => reject(new Error('the first run ended before it could be killed')));
    });
    await new Promise((r) => first.once('exit', r));

    const second = tandem(['import', 'contacts', file, '--json']);
    expect(second.stderr).toMatch(/Resuming import imp_\w+ after row \d+/);
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout.trim())).toMatchObject({
      status: 'completed',
      rows,
      inserted: rows,
      rejected: 0,
    });

    const exported = tandem(['export', 'contacts', '--out', path.join(dir, 'out.csv')]);
    expect(exported.status).toBe(0);
    const lines = fs.readFileSync(path.join(dir, 'out.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(rows + 1);
    const emails = new Set(lines.slice(1).map((l) => l.split(',')[2]));
    expect(emails.size).toBe(rows);

    const again = tandem(['import', 'contacts', path.join(dir, 'out.csv'), '--json']);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({
      status: 'completed',
      inserted: 0,
      skipped: rows,
    });

    // Deals are an entity of the same importer: dry run, run, export with the importer's headers.
    const deals = path.join(dir, 'deals.csv');
    fs.writeFileSync(
      deals,
      `external_id,contact.email,stage,amount,currency,won_at\n${Array.from(
        { length: 5 },
        (_, i) =>
          `D${i},lead${i}@example.com,${i < 2 ? 'won' : 'qualified'},${i}00.50,EUR,${i < 2 ? '2026-02-01' : ''}`,
      ).join('\n')}\n`,
    );
    const dry = tandem(['import', 'deals', deals, '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout.trim())).toMatchObject({ status: 'validated', rows: 5, inserted: 0 });
    const real = tandem(['import', 'deals', deals, '--json']);
    expect(JSON.parse(real.stdout.trim())).toMatchObject({ status: 'completed', inserted: 5, rejected: 0 });
    expect(tandem(['export', 'deals', '--out', path.join(dir, 'deals-out.csv')]).status).toBe(0);
    const dealLines = fs.readFileSync(path.join(dir, 'deals-out.csv'), 'utf8').trim().split('\n');
    expect(dealLines).toHaveLength(6);
    expect(dealLines[0]).toContain('contact.email,contact.external_id');
    const back = tandem(['import', 'deals', path.join(dir, 'deals-out.csv'), '--json']);
    expect(JSON.parse(back.stdout.trim())).toMatchObject({ status: 'completed', inserted: 0, skipped: 5 });
  }, 240_000);

  it('answers bad input with one line and exit code 2', () => {
    const noFile = tandem(['import', 'contacts', path.join(dir, 'missing.csv')]);
    expect(noFile.status).toBe(2);
    expect(noFile.stderr.trim()).toMatch(/^tandem: no file /);
    const badMap = tandem(['import', 'contacts', path.join(dir, 'leads.csv'), '--map', 'email']);
    expect(badMap.status).toBe(2);
    expect(badMap.stderr.trim()).toBe('tandem: --map email: expected COLUMN=field');
    const badField = tandem(['import', 'contacts', path.join(dir, 'leads.csv'), '--map', 'email=shoeSize']);
    expect(badField.status).toBe(2);
    expect(badField.stderr).toMatch(/shoeSize is not a field of contacts/);
    expect(tandem(['export', 'widgets']).stderr.trim()).toBe(
      'tandem: unknown entity "widgets": use contacts, companies, touches, deals',
    );
  }, 120_000);
});
