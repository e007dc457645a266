import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addUser, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import { appendAudit } from './governance.repo.ts';

interface Entry {
  id: string;
  at: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; fields?: Record<string, string> };
}

const T0 = new Date('2026-03-01T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

forEachBackend('the audit log', (t) => {
  /** Five known rows at known times, plus whatever the factories wrote (earlier, at real time). */
  async function seed() {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const row = (at: Date, action: string, entityType: string, entityId: string, actor: string | null) =>
      appendAudit(t.ctx.db, {
        workspaceId: admin.workspaceId,
        actorUserId: actor,
        actorLabel: actor ?? 'system',
        action,
        entityType,
        entityId,
        at,
      });
    await row(minutes(0), 'create', 'contact', 'ctc_1', admin.userId);
    await row(minutes(1), 'update', 'contact', 'ctc_1', rep.userId);
    await row(minutes(2), 'update', 'contact', 'ctc_2', rep.userId);
    await row(minutes(3), 'export', 'contact', 'ctc_2', admin.userId);
    await row(minutes(4), 'create', 'team', 'team_1', null);
    return { admin, rep };
  }

  async function page(api: { get<T>(url: string): Promise<{ status: number; body: T }> }, query: string) {
    const res = await api.get<Page>(`/api/audit-log?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('filters by entity type, entity id, action, actor and a half-open time range', async () => {
    const { admin, rep } = await seed();
    const actions = (p: Page) => p.items.map((i) => `${i.action}:${i.entityId}`);
    expect(actions(await page(admin.api, 'entityType=team'))).toEqual(['create:team_1']);
    expect(actions(await page(admin.api, 'entityType=contact&entityId=ctc_2'))).toEqual([
      'export:ctc_2',
      'update:ctc_2',
    ]);
    expect(actions(await page(admin.api, 'action=update&entityType=contact'))).toEqual([
      'update:ctc_2',
      'update:ctc_1',
    ]);
    expect(actions(await page(admin.api, `actorUserId=${rep.userId}&entityType=contact`))).toEqual([
      'update:ctc_2',
      'update:ctc_1',
    ]);
    const range = `from=${encodeURIComponent(minutes(1).toISOString())}&to=${encodeURIComponent(minutes(3).toISOString())}`;
    expect(actions(await page(admin.api, range))).toEqual(['update:ctc_2', 'update:ctc_1']);
    const offset = `from=${encodeURIComponent('2026-03-01T11:03:00+01:00')}&entityType=contact`;
    expect(actions(await page(admin.api, offset))).toEqual(['export:ctc_2']);
  });

  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const { admin } = await seed();
    const all = await page(admin.api, 'limit=500');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(admin.api, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(2);
      seen.push(...p.items.map((i) => i.id));
      cursor = p.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(all.items.map((i) => i.id));
    expect(new Set(seen).size).toBe(seen.length);
    const times = all.items.map((i) => Date.parse(i.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('pages through rows less than a millisecond apart, and rows sharing one instant', async () => {
    const admin = await createWorkspace(t);
    const stamps = ['.123456', '.123400', '.123300', '.123300', '.123300', '.122999'];
    for (const [i, frac] of stamps.entries()) {
      await sql`INSERT INTO audit_log (workspace_id, id, at, actor_label, action, entity_type, entity_id)
                VALUES (${admin.workspaceId}, ${`aud_micro_${i}`}, ${`2026-03-01T10:00:00${frac}Z`}::timestamptz,
                        'system', 'micro', 'probe', ${String(i)})`.execute(t.ctx.db);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 20; n++) {
      const p: Page = await page(admin.api, `action=micro&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...p.items.map((i) => i.entityId ?? ''));
      cursor = p.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['0', '1', '4', '3', '2', '5']);
  });

  it('shows only the caller’s workspace', async () => {
    const { admin } = await seed();
    const other = await createWorkspace(t);
    const mine = await page(admin.api, 'limit=500');
    const theirs = await page(other.api, 'limit=500');
    const mineIds = new Set(mine.items.map((i) => i.id));
    expect(theirs.items.length).toBeGreaterThan(0);
    expect(theirs.items.some((i) => mineIds.has(i.id))).toBe(false);
    expect((await page(other.api, 'entityType=contact')).items).toEqual([]);
  });

  it('rejects an unknown filter, a bad date or a forged cursor with 400 naming the field', async () => {
    const { admin } = await seed();
    const unknown = await admin.api.get<ErrorBody>('/api/audit-log?who=me&from=yesterday&limit=0');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual({
      who: 'is not a known field',
      from: expect.any(String),
      limit: expect.any(String),
    });
    const forged = Buffer.from(JSON.stringify({ v: 'not a time', id: 'aud_x' })).toString('base64url');
    for (const cursor of ['garbage', forged]) {
      const res = await admin.api.get<ErrorBody>(`/api/audit-log?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual({ cursor: expect.any(String) });
    }
  });

  it('refuses raw SQL that updates, deletes or truncates audit rows', async () => {
    const { admin } = await seed();
    const before = await t.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(before.length).toBeGreaterThan(0);
    await expect(sql`UPDATE audit_log SET action = 'tampered'`.execute(t.ctx.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(
      sql`DELETE FROM audit_log WHERE workspace_id = ${admin.workspaceId}`.execute(t.ctx.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.ctx.db.transaction().execute((trx) => sql`DELETE FROM audit_log`.execute(trx)),
    ).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    expect(await t.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute()).toEqual(before);
  });
});
