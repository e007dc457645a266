import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../../test/harness.ts';
import { migrateToLatest, openDatabase, StartupError, schemaVersion } from './client.ts';

describe('the embedded data folder', () => {
  it('is opened by one process at a time, and a stale lock is taken over', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lock-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      const second = openDatabase({ dataDir: dir });
      await expect(second).rejects.toBeInstanceOf(StartupError);
      await expect(second).rejects.toThrow(/in use by another Tandem process \(pid \d+\)/);
      await first.close();
      fs.writeFileSync(path.join(dir, 'tandem.lock'), '2147483646'); // a pid no process has
      const again = await openDatabase({ dataDir: dir });
      expect(fs.readFileSync(path.join(dir, 'tandem.lock'), 'utf8')).toBe(String(process.pid));
      await again.close();
      expect(fs.existsSync(path.join(dir, 'tandem.lock'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

forEachBackend('database connections', (t) => {
  it('run every statement with PostgreSQL JIT off, on every pooled connection', async () => {
    if (t.engine !== 'postgres') return; // PGlite is built without JIT
    // Several at once, so that more than one pooled connection answers.
    const rows = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.ctx.db.transaction().execute((trx) => sql<{ jit: string }>`SHOW jit`.execute(trx)),
      ),
    );
    expect(rows.map((r) => r.rows[0]?.jit)).toEqual(['off', 'off', 'off', 'off']);
  });
});

describe('migrations', () => {
  it('runs a migration numbered below ones already applied (modules land in parallel)', async () => {
    const dbh = await openDatabase({});
    try {
      const before = await migrateToLatest(dbh.db);
      // As if 0056 had landed after this database ran 0060 and later.
      await sql`DELETE FROM kysely_migration WHERE name = '0056_report_funnel_rollup'`.execute(dbh.db);
      await sql`DROP FUNCTION tandem_funnel_refresh, tandem_funnel_contacts_inserted, tandem_funnel_row_changed
        CASCADE`.execute(dbh.db);
      await sql`DROP TABLE report_contact_funnel, report_funnel_daily`.execute(dbh.db);
      await sql`DROP INDEX contacts_first_touch_idx`.execute(dbh.db);
      expect(await schemaVersion(dbh.db)).toBe(before - 1);
      expect(await migrateToLatest(dbh.db)).toBe(before);
    } finally {
      await dbh.close();
    }
  });
});
