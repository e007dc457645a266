import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addUser, createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import { applyContactAggregates } from './touches.repo.ts';

interface Touch {
  id: string;
  contactId: string;
  type: string;
  direction: string;
  channel: string | null;
  occurredAt: string;
}

async function newContact(u: TestUser, email: string): Promise<string> {
  const res = await u.api.post<{ id: string }>('/api/contacts', { email, firstName: 'Li', lastName: 'Wei' });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function contactRow(u: TestUser, t: { ctx: { db: import('kysely').Kysely<never> } }, id: string) {
  const res = await sql<{
    touch_count: number;
    first_touch_at: Date | null;
    last_touch_at: Date | null;
    source_channel: string | null;
    source_utm_source: string | null;
    source_referrer: string | null;
  }>`SELECT touch_count, first_touch_at, last_touch_at, source_channel, source_utm_source, source_referrer
     FROM contacts WHERE workspace_id = ${u.workspaceId} AND id = ${id}`.execute(t.ctx.db);
  return res.rows[0]!;
}

forEachBackend('touches', (t) => {
  it('logs a touch and lets the first touch set the contact source once', async () => {
    const admin = await createWorkspace(t);
    const id = await newContact(admin, 'li@example.cn');
    const first = await admin.api.post<{ touch: Touch; duplicate: boolean }>('/api/touches', {
      contactId: id,
      type: 'form_submit',
      occurredAt: '2026-03-01T10:00:00Z',
      utm: { source: 'linkedin', medium: 'social', referrer: 'https://www.linkedin.com/' },
    });
    expect(first.status).toBe(201);
    expect(first.body.touch).toMatchObject({
      contactId: id,
      type: 'form_submit',
      direction: 'marketing',
      channel: 'web',
    });
    const later = await admin.api.post('/api/touches', {
      contactEmail: 'LI@example.cn',
      type: 'email_click',
      occurredAt: '2026-03-05T10:00:00Z',
      utm: { source: 'newsletter' },
    });
    expect(later.status).toBe(201);
    const row = await contactRow(admin, t as never, id);
    expect(row.touch_count).toBe(2);
    expect(row.source_channel).toBe('web');
    expect(row.source_utm_source).toBe('linkedin');
    expect(row.source_referrer).toBe('https://www.linkedin.com/');
    expect(new Date(row.first_touch_at!).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(new Date(row.last_touch_at!).toISOString()).toBe('2026-03-05T10:00:00.000Z');
  });

  it('treats a repeated idempotency key as a no-op that returns the original touch', async () => {
    const admin = await createWorkspace(t);
    const id = await newContact(admin, 'a@example.com');
    const body = {
      contactId: id,
      type: 'call',
      idempotencyKey: 'crm-call-42',
      occurredAt: '2026-02-02T09:00:00Z',
    };
    const a = await admin.api.post<{ touch: Touch; duplicate: boolean }>('/api/touches', body);
    const b = await admin.api.post<{ touch: Touch; duplicate: boolean }>('/api/touches', {
      ...body,
      occurredAt: '2026-02-03T09:00:00Z',
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ duplicate: true, touch: { id: a.body.touch.id, direction: 'sales' } });
    expect((await contactRow(admin, t as never, id)).touch_count).toBe(1);
  });

  it('logs a batch of 1,000 touches in one call, counting duplicates inside and across batches', async () => {
    const admin = await createWorkspace(t);
    const ids = [await newContact(admin, 'x1@example.com'), await newContact(admin, 'x2@example.com')];
    const touches = Array.from({ length: 1000 }, (_, i) => ({
      contactId: ids[i % 2],
      type: i % 3 === 0 ? 'email_open' : 'page_view',
      occurredAt: new Date(Date.UTC(2025, i % 12, 1 + (i % 27), 12)).toISOString(),
      idempotencyKey: `k${i % 990}`, // the last 10 repeat earlier keys
    }));
    const res = await admin.api.post<{ created: number; duplicates: number; items: { id: string }[] }>(
      '/api/touches/batch',
      { touches },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 990, duplicates: 10 });
    expect(res.body.items[995]!.id).toBe(res.body.items[5]!.id);
    const again = await admin.api.post<{ created: number; duplicates: number }>('/api/touches/batch', {
      touches: touches.slice(0, 50),
    });
    expect(again.body).toMatchObject({ created: 0, duplicates: 50 });
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM touches`.execute(t.ctx.db);
    expect(count.rows[0]!.n).toBe(990);
    const parts = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'touches'::regclass`.execute(t.ctx.db);
    expect(parts.rows[0]!.n).toBe(12);
    // New partitions are analyzed once they hold rows (not left to autovacuum's next round).
    const unanalyzed = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'touches'::regclass AND c.reltuples < 0`.execute(t.ctx.db);
    expect(unanalyzed.rows[0]!.n).toBe(0);
  });

  it.skipIf(t.engine !== 'postgres')(
    'takes parallel batches over the same contacts without failing one (first touches moved across days)',
    async () => {
      const admin = await createWorkspace(t);
      const ws = admin.workspaceId;
      await sql`INSERT INTO contacts (workspace_id, id, email, custom, created_at)
        SELECT ${ws}, 'ctc_par' || g, 'par' || g || '@example.com', '{}'::jsonb,
               timestamptz '2026-01-01' + g * interval '7 hours'
        FROM generate_series(1, 300) g`.execute(t.ctx.db);
      const ids = Array.from({ length: 300 }, (_, i) => `ctc_par${i + 1}`);
      // Four batches, each over every contact in its own order and with its own days: each one moves
      // the first touch (so the funnel day) of contacts the others move too.
      const batch = (b: number) => {
        const order = [...ids.slice(b * 75), ...ids.slice(0, b * 75)];
        return (b % 2 ? order.reverse() : order).map((id, i) => ({
          contactId: id,
          type: 'page_view',
          occurredAt: new Date(Date.UTC(2025, (i + b) % 12, 1 + ((i * 7 + b * 3) % 27), 10)).toISOString(),
        }));
      };
      const results = await Promise.all(
        [0, 1, 2, 3].map((b) =>
          admin.api.post<{ created: number }>('/api/touches/batch', { touches: batch(b) }),
        ),
      );
      expect(results.map((r) => [r.status, r.body.created])).toEqual(Array(4).fill([200, 300]));
      const n = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM touches WHERE workspace_id = ${ws}`.execute(t.ctx.db);
      expect(n.rows[0]!.n).toBe(1200);
      // The funnel roll-up still counts each contact once, on the day of its earliest touch.
      const days = await sql<{ n: number; wrong: number }>`
        SELECT (SELECT coalesce(sum(contacts), 0) FROM (
                  SELECT contacts FROM report_funnel_daily WHERE workspace_id = ${ws}
                  UNION ALL SELECT contacts FROM report_funnel_delta WHERE workspace_id = ${ws}) s)::int AS n,
               (SELECT count(*) FROM report_contact_funnel f JOIN contacts c ON c.workspace_id = f.workspace_id
                  AND c.id = f.contact_id WHERE f.workspace_id = ${ws}
                  AND f.lead_day <> (c.first_touch_at AT TIME ZONE 'UTC')::date)::int AS wrong`.execute(
        t.ctx.db,
      );
      expect(days.rows[0]).toEqual({ n: 300, wrong: 0 });
    },
  );

  it('rejects a whole batch naming the bad item, and writes nothing', async () => {
    const admin = await createWorkspace(t);
    const id = await newContact(admin, 'ok@example.com');
    const res = await admin.api.post('/api/touches/batch', {
      touches: [
        { contactId: id, type: 'call' },
        { contactId: 'ctc_nope', type: 'call' },
        { contactId: id, type: 'fax' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { fields: { 'touches.2.type': expect.any(String) } } });
    const res2 = await admin.api.post('/api/touches/batch', {
      touches: [
        { contactId: id, type: 'call' },
        { contactId: 'ctc_nope', type: 'other:fair_visit' },
      ],
    });
    expect(res2.status).toBe(400);
    expect(res2.body).toMatchObject({
      error: { fields: { 'touches.1.contactId': 'no such contact in this workspace' } },
    });
    const tooMany = await admin.api.post('/api/touches/batch', {
      touches: Array.from({ length: 1001 }, () => ({ contactId: id, type: 'call' })),
    });
    expect(tooMany.status).toBe(400);
    expect((await contactRow(admin, t as never, id)).touch_count).toBe(0);
  });

  it("never logs a touch on another workspace's contact", async () => {
    const a = await createWorkspace(t);
    const b = await createWorkspace(t);
    const theirs = await newContact(b, 'theirs@example.com');
    const res = await a.api.post('/api/touches', { contactId: theirs, type: 'call' });
    expect(res.status).toBe(400);
    expect((await a.api.get(`/api/contacts/${theirs}/timeline`)).status).toBe(404);
  });

  it('forbids the service role to log touches', async () => {
    const admin = await createWorkspace(t);
    const service = await addUser(t, admin.workspaceId, 'service');
    const id = await newContact(admin, 's@example.com');
    expect((await service.api.post('/api/touches', { contactId: id, type: 'note' })).status).toBe(403);
  });

  it('shows one timeline of touches and changes, newest first, filterable and paginated', async () => {
    const admin = await createWorkspace(t);
    const id = await newContact(admin, 'tl@example.com');
    await admin.api.patch(`/api/contacts/${id}`, { title: 'Buyer' });
    const now = Date.now();
    for (let i = 0; i < 5; i++) {
      await admin.api.post('/api/touches', {
        contactId: id,
        type: i % 2 ? 'call' : 'email_open',
        occurredAt: new Date(now - (5 - i) * 60_000).toISOString(),
      });
    }
    const all = await admin.api.get<{ items: { kind: string; at: string }[]; nextCursor: string | null }>(
      `/api/contacts/${id}/timeline?limit=50`,
    );
    expect(all.status).toBe(200);
    const kinds = all.body.items.map((i) => i.kind);
    expect(kinds.filter((k) => k === 'touch')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'change').length).toBeGreaterThanOrEqual(2); // create + update
    const ats = all.body.items.map((i) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);

    const calls = await admin.api.get<{ items: { touch: Touch }[] }>(
      `/api/contacts/${id}/timeline?type=call`,
    );
    expect(calls.body.items.map((i) => i.touch.type)).toEqual(['call', 'call']);
    const sales = await admin.api.get<{ items: { touch: Touch }[] }>(
      `/api/contacts/${id}/timeline?direction=sales`,
    );
    expect(sales.body.items).toHaveLength(2);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await admin.api.get(
        `/api/contacts/${id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i) => (i as unknown as { id: string }).id));
  });

  it('updates contacts in place when touches move their counts, first touch and source (no index covers them)', async () => {
    const admin = await createWorkspace(t);
    const ids = [
      await newContact(admin, 'hot1@example.cn'),
      await newContact(admin, 'hot2@example.cn'),
      await newContact(admin, 'hot3@example.cn'),
    ];
    const at = new Date('2026-01-05T08:00:00Z');
    // An update that changes an indexed value (0056 indexed the first touch time) or finds its
    // page full is not HOT: every one of contacts' indexes gets a new entry, per touched contact.
    const counts = await t.ctx.db.transaction().execute(async (trx) => {
      await applyContactAggregates(
        trx as never,
        admin.workspaceId,
        ids.map((contactId) => ({
          contactId,
          count: 2,
          firstAt: at,
          lastAt: at,
          source: {
            channel: 'event',
            campaignId: null,
            utmSource: 'fair',
            utmMedium: null,
            utmCampaign: null,
            referrer: null,
          },
        })),
        at,
      );
      const r = await sql<{ upd: number; hot: number }>`
        SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables
        WHERE relname = 'contacts'`.execute(trx);
      return r.rows[0]!;
    });
    expect(counts).toEqual({ upd: 3, hot: 3 });
    const row = await contactRow(admin, t as never, ids[0]!);
    expect(row).toMatchObject({
      touch_count: 2,
      first_touch_at: at,
      source_channel: 'event',
      source_utm_source: 'fair',
    });
  });
});
