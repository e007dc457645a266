import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../../test/harness.ts';
import { migrateTo, migrateToLatest, openDatabase, StartupError, schemaVersion } from './client.ts';

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
  it('moves scores out of contacts into contact_scores (0065), and leaves never-scored contacts without a row', async () => {
    const dbh = await openDatabase({});
    try {
      await migrateTo(dbh.db, '0061_team_quotas');
      await sql`INSERT INTO workspaces (id, name, slug) VALUES ('ws_a', 'A', 'a')`.execute(dbh.db);
      await sql`INSERT INTO contacts (workspace_id, id, email, score, temperature, score_fit, score_engagement,
                                      score_at, score_due_at)
        VALUES ('ws_a', 'ctc_hot', 'hot@example.com', 82, 'hot', 30, 52.5, '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'),
               ('ws_a', 'ctc_new', 'new@example.com', 0, 'cold', 0, 0, NULL, NULL)`.execute(dbh.db);
      await migrateToLatest(dbh.db);
      const rows = await sql<Record<string, unknown>>`
        SELECT contact_id, score, temperature, fit, engagement, score_at, due_at FROM contact_scores`.execute(
        dbh.db,
      );
      expect(rows.rows).toEqual([
        {
          contact_id: 'ctc_hot',
          score: 82,
          temperature: 'hot',
          fit: 30,
          engagement: 52.5,
          score_at: new Date('2026-05-01T00:00:00Z'),
          due_at: new Date('2026-06-01T00:00:00Z'),
        },
      ]);
      const cols = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.columns
        WHERE table_name = 'contacts' AND column_name IN ('score', 'temperature', 'score_due_at')`.execute(
        dbh.db,
      );
      expect(cols.rows[0]?.n).toBe(0);
    } finally {
      await dbh.close();
    }
  });

  it('runs a migration numbered below ones already applied (modules land in parallel)', async () => {
    const dbh = await openDatabase({});
    try {
      const before = await migrateToLatest(dbh.db);
      // As if 0061 had landed after this database ran 0065 and later.
      await sql`DELETE FROM kysely_migration WHERE name = '0061_team_quotas'`.execute(dbh.db);
      await sql`DROP TABLE team_quotas`.execute(dbh.db);
      expect(await schemaVersion(dbh.db)).toBe(before - 1);
      expect(await migrateToLatest(dbh.db)).toBe(before);
      const t = await sql<{ n: number }>`SELECT count(*)::int AS n FROM team_quotas`.execute(dbh.db);
      expect(t.rows[0]!.n).toBe(0);
    } finally {
      await dbh.close();
    }
  });
});
