import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { addUser, createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { exportCsv } from './capture.export.ts';
import { BATCH_ROWS, createImport, type ImportRequest, previewImport, runImport } from './capture.service.ts';

const OLIST = path.resolve(import.meta.dirname, '../../../../../shared/datasets/olist-marketing-funnel');
const MQL = path.join(OLIST, 'olist_marketing_qualified_leads_dataset.csv');
const CLOSED = path.join(OLIST, 'olist_closed_deals_dataset.csv');
const haveOlist = fs.existsSync(MQL) && fs.existsSync(CLOSED);
if (!haveOlist) console.warn(`\nSkipping the Olist deals import test: the dataset is not at ${OLIST}\n`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-deals-import-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  fs.writeFileSync(p, content);
  return p;
}

function actorOf(u: TestUser): Actor {
  return {
    workspaceId: u.workspaceId,
    userId: u.userId,
    email: u.email,
    name: 'Admin',
    role: 'admin',
    locale: 'en',
    timeZone: 'UTC',
    teamIds: [],
    via: 'token',
    sessionId: null,
  };
}

async function importFile(t: TestBackend, u: TestUser, req: ImportRequest) {
  const id = await createImport(t.ctx, actorOf(u), req);
  return runImport(t.ctx, u.workspaceId, id);
}

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

async function count(t: TestBackend, table: string, ws: string, where = sql`true`): Promise<number> {
  const res = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}
    WHERE workspace_id = ${ws} AND ${where}`.execute(t.ctx.db);
  return res.rows[0]!.n;
}

/** Two contacts: anna@example.com and (external id X-1) Bo. */
async function seedContacts(t: TestBackend, u: TestUser) {
  const r = await importFile(t, u, {
    entity: 'contacts',
    filePath: file('c.csv', 'email,external id,first name\nanna@example.com,,Anna\n,X-1,Bo\n'),
  });
  expect(r.status, r.error ?? '').toBe('completed');
}

const GOOD =
  'Deal,contact.email,contact.external_id,stage,amount,currency,won_at,owner,custom.segment,ref\n' +
  'Anna big,anna@example.com,,negotiation,1200.50,EUR,,OWNER,pet,r1\n' +
  'Bo won,,X-1,,99,USD,2026-01-05 10:00:00,,car,r2\n';

forEachBackend('deals through the generic importer', (t) => {
  it('imports deals linked by contact e-mail or external id, exports the same headers, and reads the export back', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    await seedContacts(t, admin);
    const preview = await previewImport(t.ctx, actorOf(admin), {
      entity: 'deals',
      filePath: file('deals.csv', GOOD.replace('OWNER', rep.email)),
      map: { ref: 'external_id' },
    });
    // Header recognition: Tandem's field names in any spelling, custom.<key> as exported.
    expect(preview.mapping).toEqual([
      'name',
      'contact.email',
      'contact.external_id',
      'stage',
      'amount',
      'currency',
      'wonAt',
      'owner',
      'custom.segment',
      'externalId',
    ]);
    expect(preview.rows.map((r) => r.error)).toEqual([null, null]);
    const result = await importFile(t, admin, {
      entity: 'deals',
      filePath: file('deals.csv', GOOD.replace('OWNER', rep.email)),
      map: { ref: 'external_id' },
    });
    expect(result).toMatchObject({ status: 'completed', inserted: 2, rejected: 0 });
    const bo = await sql<{ lifecycle_stage: string }>`SELECT lifecycle_stage FROM contacts
      WHERE workspace_id = ${admin.workspaceId} AND external_id = 'X-1'`.execute(t.ctx.db);
    expect(bo.rows[0]!.lifecycle_stage).toBe('customer');
    expect(await count(t, 'touches', admin.workspaceId, sql`type = 'deal_won'`)).toBe(1);
    expect(await count(t, 'deal_stage_history', admin.workspaceId)).toBe(2);
    expect(await count(t, 'deal_contacts', admin.workspaceId)).toBe(2);

    const csv = await collect(exportCsv(t.ctx, actorOf(admin), 'deals'));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        'externalId',
        'stage',
        'amount',
        'currency',
        'wonAt',
        'owner',
        'contact.email',
        'contact.external_id',
        'custom.segment',
      ]),
    );
    const byRef = new Map(rows.map((r) => [r.externalId, r]));
    expect(byRef.get('r1')).toMatchObject({
      name: 'Anna big',
      stage: 'negotiation',
      amount: '1200.50',
      currency: 'EUR',
      owner: rep.email,
      'contact.email': 'anna@example.com',
      'custom.segment': 'pet',
    });
    expect(byRef.get('r2')).toMatchObject({
      stage: 'won',
      wonAt: '2026-01-05T10:00:00.000Z',
      'contact.external_id': 'X-1',
    });

    // Round trip: the export, with no --map at all, imports the same deals into a fresh workspace.
    const other = await createWorkspace(t);
    await addUser(t, other.workspaceId, 'sales_rep', { email: rep.email });
    await seedContacts(t, other);
    const exported = file('export.csv', csv);
    const back = await importFile(t, other, { entity: 'deals', filePath: exported });
    expect(back).toMatchObject({ status: 'completed', inserted: 2, rejected: 0 });
    const again = parse(await collect(exportCsv(t.ctx, actorOf(other), 'deals')), {
      columns: true,
    }) as Record<string, string>[];
    const strip = (r: Record<string, string>): Record<string, string> => ({ ...r, createdAt: '' });
    expect(again.map(strip).sort((a, b) => a.externalId!.localeCompare(b.externalId!))).toEqual(
      rows.map(strip).sort((a, b) => a.externalId!.localeCompare(b.externalId!)),
    );
    // The same file again into the same workspace: every deal is recognised and skipped.
    const twice = await importFile(t, other, { entity: 'deals', filePath: exported });
    expect(twice).toMatchObject({ status: 'completed', inserted: 0, skipped: 2 });
    expect(await count(t, 'deals', other.workspaceId)).toBe(2);
  });

  it('rejects bad rows with the field and the problem, and writes nothing unless asked for the valid rows', async () => {
    const admin = await createWorkspace(t);
    await seedContacts(t, admin);
    const created = await admin.api.post<{ id: string }>('/api/pipelines', {
      name: 'Renewals',
      stages: [{ key: 'renewal_due', name: 'Renewal due' }],
    });
    expect(created.status).toBe(201);
    const csv =
      'contact.email,contact.external_id,stage,amount,currency,owner,externalId\n' +
      'anna@example.com,,qualified,10,EUR,,ok1\n' +
      'ghost@example.com,,qualified,10,EUR,,bad-contact\n' +
      ',X-1,qualified,12.345,EUR,,bad-amount\n' +
      ',X-1,renewal_due,5,EUR,,bad-stage\n' +
      'anna@example.com,,qualified,5,EUR,nobody@example.com,bad-owner\n' +
      'anna@example.com,,qualified,-5,EUR,,negative\n';
    const preview = await previewImport(t.ctx, actorOf(admin), {
      entity: 'deals',
      filePath: file('bad.csv', csv),
    });
    expect(preview.rows.map((r) => r.error)).toEqual([
      null,
      'contact.email: no contact with e-mail ghost@example.com',
      expect.stringMatching(/^amount: at most 2 decimal places for EUR/),
      'stage: renewal_due is a stage of pipeline Renewals, not of Sales',
      'owner: no active user with e-mail nobody@example.com',
      'amount: must not be negative',
    ]);
    const all = await importFile(t, admin, { entity: 'deals', filePath: file('bad.csv', csv) });
    expect(all.status).toBe('failed');
    expect(all.error).toMatch(/5 of 6 rows are invalid; nothing was imported/);
    expect(await count(t, 'deals', admin.workspaceId)).toBe(0);
    const rejects = await sql<{ row_number: number; reason: string }>`
      SELECT row_number, reason FROM import_rejects WHERE import_id = ${all.id} ORDER BY row_number`.execute(
      t.ctx.db,
    );
    expect(rejects.rows.map((r) => [r.row_number, r.reason.split(':')[0]])).toEqual([
      [3, 'contact.email'],
      [4, 'amount'],
      [5, 'stage'],
      [6, 'owner'],
      [7, 'amount'],
    ]);
    const valid = await importFile(t, admin, {
      entity: 'deals',
      filePath: file('bad.csv', csv),
      mode: 'valid',
    });
    expect(valid).toMatchObject({ status: 'completed', inserted: 1, rejected: 5 });
    const stored = await sql<{ external_id: string }>`SELECT external_id FROM deals
      WHERE workspace_id = ${admin.workspaceId}`.execute(t.ctx.db);
    expect(stored.rows).toEqual([{ external_id: 'ok1' }]);
    await expect(
      previewImport(t.ctx, actorOf(admin), {
        entity: 'deals',
        filePath: file('bad.csv', csv),
        dedupe: 'update',
      }),
    ).rejects.toMatchObject({ fields: { dedupe: expect.stringMatching(/skip/) } });
  });

  it('stops a dry run with the counts and writes no deal, touch or lifecycle change', async () => {
    const admin = await createWorkspace(t);
    await seedContacts(t, admin);
    const r = await importFile(t, admin, {
      entity: 'deals',
      filePath: file('dry.csv', GOOD.replace('OWNER', '')),
      map: { ref: 'external_id' },
      dryRun: true,
    });
    expect(r).toMatchObject({ status: 'validated', rows_valid: 2, inserted: 0, rejected: 0 });
    expect(await count(t, 'deals', admin.workspaceId)).toBe(0);
    expect(await count(t, 'deal_stage_history', admin.workspaceId)).toBe(0);
    expect(await count(t, 'touches', admin.workspaceId)).toBe(0);
    expect(await count(t, 'contacts', admin.workspaceId, sql`lifecycle_stage = 'customer'`)).toBe(0);
  });

  it('resumes a crashed deals import and ends with every deal exactly once', async () => {
    const admin = await createWorkspace(t);
    const n = 2 * BATCH_ROWS + 200;
    const people = Array.from({ length: n }, (_, i) => `p${i}@example.com`);
    await importFile(t, admin, {
      entity: 'contacts',
      filePath: file('p.csv', `email\n${people.join('\n')}\n`),
    });
    const deals = people.map(
      (e, i) => `D-${i},${e},${i % 10 === 0 ? 'won' : 'qualified'},${i}.00,2025-03-0${(i % 9) + 1}`,
    );
    const p = file('deals.csv', `externalId,contact.email,stage,amount,createdAt\n${deals.join('\n')}\n`);
    const id = await createImport(t.ctx, actorOf(admin), { entity: 'deals', filePath: p });
    let batches = 0;
    await expect(
      runImport(t.ctx, admin.workspaceId, id, () => {
        if (++batches === 2) throw new Error('simulated crash');
      }),
    ).rejects.toThrow('simulated crash');
    const mid = await sql<{ staged_through: number; status: string }>`
      SELECT staged_through, status FROM imports WHERE id = ${id}`.execute(t.ctx.db);
    expect(mid.rows[0]).toMatchObject({ status: 'staging', staged_through: 2 * BATCH_ROWS + 1 });
    expect(await count(t, 'deals', admin.workspaceId)).toBe(0);
    const done = await runImport(t.ctx, admin.workspaceId, id);
    expect(done).toMatchObject({ status: 'completed', inserted: n, rows_seen: n, rejected: 0 });
    const distinct = await sql<{ n: number; d: number }>`SELECT count(*)::int AS n,
      count(DISTINCT external_id)::int AS d FROM deals WHERE workspace_id = ${admin.workspaceId}`.execute(
      t.ctx.db,
    );
    expect(distinct.rows[0]).toEqual({ n, d: n });
    const won = Math.ceil(n / 10);
    expect(await count(t, 'touches', admin.workspaceId, sql`type = 'deal_won'`)).toBe(won);
    expect(await count(t, 'contacts', admin.workspaceId, sql`lifecycle_stage = 'customer'`)).toBe(won);
  }, 300_000);
});

/** The closed deals file read independently: the first five fields carry no quotes in this file. */
function readClosed(): { mqlId: string; wonDate: string }[] {
  const lines = fs.readFileSync(CLOSED, 'utf8').trim().split('\n');
  return lines.slice(1).map((l) => {
    const [mqlId, , , , wonDate] = l.split(',');
    return { mqlId: mqlId!, wonDate: wonDate! };
  });
}

describe.skipIf(!haveOlist)('Olist marketing funnel', () => {
  forEachBackend('deals import of the Olist closed deals', (t) => {
    it('imports the closed deals as won deals linked to their MQL contacts, counts checked against the CSV', async () => {
      const admin = await createWorkspace(t);
      const mqlIds = new Set(
        fs
          .readFileSync(MQL, 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[0]!),
      );
      const closed = readClosed();
      const linkable = closed.filter((c) => mqlIds.has(c.mqlId));
      // The dataset as published: 8,000 MQLs, 842 closed deals, every one with its MQL.
      expect([mqlIds.size, closed.length, linkable.length]).toEqual([8000, 842, 842]);

      const contacts = await importFile(t, admin, {
        entity: 'contacts',
        filePath: MQL,
        map: { mql_id: 'externalId', landing_page_id: 'custom.landing_page_id' },
      });
      expect(contacts).toMatchObject({ status: 'completed', inserted: mqlIds.size });

      // won_date is recognised by itself; the MQL id and the segment are mapped by hand.
      const result = await importFile(t, admin, {
        entity: 'deals',
        filePath: CLOSED,
        map: {
          mql_id: 'contact.external_id',
          seller_id: 'external_id',
          business_segment: 'custom.business_segment',
        },
      });
      expect(result).toMatchObject({
        status: 'completed',
        rows_seen: closed.length,
        inserted: linkable.length,
        rejected: 0,
      });
      const counts = await sql<{ won: number; linked: number; customers: number; touches: number }>`
        SELECT (SELECT count(*)::int FROM deals WHERE workspace_id = ${admin.workspaceId} AND won_at IS NOT NULL) AS won,
               (SELECT count(DISTINCT dc.contact_id)::int FROM deal_contacts dc WHERE dc.workspace_id = ${admin.workspaceId}) AS linked,
               (SELECT count(*)::int FROM contacts WHERE workspace_id = ${admin.workspaceId} AND lifecycle_stage = 'customer') AS customers,
               (SELECT count(*)::int FROM touches WHERE workspace_id = ${admin.workspaceId} AND type = 'deal_won') AS touches`.execute(
        t.ctx.db,
      );
      const distinctContacts = new Set(linkable.map((c) => c.mqlId)).size;
      expect(counts.rows[0]).toEqual({
        won: linkable.length,
        linked: distinctContacts,
        customers: distinctContacts,
        touches: linkable.length,
      });
      // The won date is kept exactly (no zone in the file: workspace time zone, UTC here).
      const first = linkable[0]!;
      const row = await sql<{ won_at: Date }>`SELECT d.won_at FROM deals d JOIN contacts c
        ON c.workspace_id = d.workspace_id AND c.id = d.contact_id
        WHERE d.workspace_id = ${admin.workspaceId} AND c.external_id = ${first.mqlId} LIMIT 1`.execute(
        t.ctx.db,
      );
      expect(new Date(row.rows[0]!.won_at).toISOString()).toBe(`${first.wonDate.replace(' ', 'T')}.000Z`);
    }, 300_000);
  });
});
