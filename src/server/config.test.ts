import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTING_NAMES } from './config.ts';

const README = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('configuration', () => {
  it('documents every setting in the README configuration table', () => {
    expect(SETTING_NAMES.length).toBeGreaterThan(5);
    for (const name of SETTING_NAMES) expect(README, name).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
  });

  it('documents the development settings too', () => {
    for (const name of ['TANDEM_TEST_DATABASE_URL', 'TANDEM_BENCH_DATABASE_URL', 'TANDEM_BENCH_SCALE']) {
      expect(README).toContain(`\`${name}\``);
    }
  });

  it('needs no settings: the embedded database in ./data on port 3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', engine: 'pglite', databaseUrl: undefined });
    expect(c.dataDir).toBe(path.resolve('data'));
  });

  it('switches to PostgreSQL with DATABASE_URL, and CLI flags override the environment', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db', TANDEM_PORT: '4000' }, { port: 5000 });
    expect(c).toMatchObject({ engine: 'postgres', port: 5000 });
  });

  it('refuses a bad value with one message naming the setting', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ TANDEM_PORT: '70000' })).toThrow(/^Invalid setting TANDEM_PORT: /);
  });
});
