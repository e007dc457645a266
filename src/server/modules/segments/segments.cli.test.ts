import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, '../../cli.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-segment-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tandem(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args, '--data', path.join(dir, 'data')], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 120_000,
  });
}

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('tandem segment count', () => {
  it('prints the count of a definition file, and names a bad condition', { timeout: 180_000 }, () => {
    const add = tandem([
      'user',
      'add',
      '--email',
      'admin@example.com',
      '--password',
      'long password 1',
      '--role',
      'admin',
    ]);
    expect(add.status, add.stderr).toBe(0);
    const csv = write(
      'people.csv',
      'email,country,tags\na@example.com,US,vip\nb@example.com,US,\nc@example.com,CN,vip\n',
    );
    expect(tandem(['import', 'contacts', csv]).status).toBe(0);
    const def = {
      kind: 'group',
      match: 'all',
      conditions: [
        { kind: 'field', field: 'country', op: 'eq', value: 'US' },
        { kind: 'field', field: 'tags', op: 'has_any', value: ['vip'] },
      ],
    };
    const count = tandem(['segment', 'count', write('vip-de.json', def)]);
    expect(count.stderr).toBe('');
    expect(count.stdout).toBe('1\n');
    // The API's body shape ({ "definition": … }) is accepted too.
    const json = tandem([
      'segment',
      'count',
      write('body.json', { definition: { ...def, match: 'any' } }),
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ count: 3 });

    const bad = tandem([
      'segment',
      'count',
      write('bad.json', { ...def, conditions: [{ kind: 'field', field: 'tags', op: 'gt', value: 1 }] }),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /^tandem: Invalid segment definition: definition\.conditions\.0\.op "gt" does not apply to tags/,
    );
    const missing = tandem(['segment', 'count', path.join(dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});
