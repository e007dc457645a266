import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import { createImport, runImport } from '../capture/capture.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { exportDeals, importDeals } from './deals.import.ts';

const OLIST = path.resolve(import.meta.dirname, '../../../../../../shared/datasets/olist-marketing-funnel');
const MQL = path.join(OLIST, 'olist_marketing_qualified_leads_dataset.csv');
const CLOSED = path.join(OLIST, 'olist_closed_deals_dataset.csv');
const haveOlist = fs.existsSync(MQL) && fs.existsSync(CLOSED);
if (!haveOlist) console.warn(`\nSkipping the Olist deals import test: the dataset is not at ${OLIST}\n`);

function actorOf(u: { workspaceId: string; userId: string; email: string }): Actor {
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

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

forEachBackend('deals import and export', (t) => {
  it('imports deals linked by contact e-mail or external id, rejects bad rows, skips re-imports, and exports the same headers', async () => {
    const admin = await createWorkspace(t);
    const actor = actorOf(admin);
    await admin.api.post('/api/contacts', { email: 'anna@example.com' });
    const res = await admin.api.post<{ id: string }>('/api/contacts', { firstName: 'Bo' });
    await t.ctx.db
      .updateTable('contacts')
      .set({ external_id: 'X-1' })
      .where('id', '=', res.body.id)
      .execute();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deals-import-'));
    const file = path.join(dir, 'deals.csv');
    fs.writeFileSync(
      file,
      [
        'Deal,contact.email,contact.external_id,stage,amount,currency,won_at,custom.segment,ref',
        'Anna big,anna@example.com,,negotiation,1200.50,EUR,,pet,r1',
        'Bo won,,X-1,,99,USD,2026-01-05 10:00:00,car,r2',
        'Nobody,ghost@example.com,,,,,,,r3',
        'Bad amount,anna@example.com,,,-5,USD,,,r4',
      ].join('\n'),
    );
    const result = await importDeals(t.ctx, actor, file, { map: { Deal: 'name', ref: 'external_id' } });
    expect(result).toMatchObject({ rows: 4, inserted: 2, skipped: 0, rejected: 2 });
    expect(result.errors.map((e) => e.row)).toEqual([4, 5]);
    const again = await importDeals(t.ctx, actor, file, { map: { Deal: 'name', ref: 'external_id' } });
    expect(again).toMatchObject({ inserted: 0, skipped: 2, rejected: 2 });

    const csv = await collect(exportDeals(t.ctx, actor));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        'external_id',
        'stage',
        'amount',
        'currency',
        'won_at',
        'owner',
        'contact.email',
        'contact.external_id',
        'custom.segment',
      ]),
    );
    const byRef = new Map(rows.map((r) => [r.external_id, r]));
    expect(byRef.get('r1')).toMatchObject({
      name: 'Anna big',
      stage: 'negotiation',
      amount: '1200.50',
      currency: 'EUR',
      'contact.email': 'anna@example.com',
      'custom.segment': 'pet',
    });
    expect(byRef.get('r2')).toMatchObject({
      stage: 'won',
      won_at: '2026-01-05T10:00:00Z',
      'contact.external_id': 'X-1',
    });
    // The export reads back: a fresh workspace with the same contacts imports the same deals.
    const other = await createWorkspace(t);
    await other.api.post('/api/contacts', { email: 'anna@example.com' });
    const res2 = await other.api.post<{ id: string }>('/api/contacts', { firstName: 'Bo' });
    await t.ctx.db
      .updateTable('contacts')
      .set({ external_id: 'X-1' })
      .where('id', '=', res2.body.id)
      .execute();
    const exported = path.join(dir, 'export.csv');
    fs.writeFileSync(exported, csv);
    const back = await importDeals(t.ctx, actorOf(other), exported);
    expect(back).toMatchObject({ inserted: 2, rejected: 0 });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!haveOlist)('Olist marketing funnel', () => {
  forEachBackend('deals import of the Olist closed deals', (t) => {
    it('imports the MQLs as contacts and the closed deals as won deals linked to them, counts checked against the CSV', async () => {
      const admin = await createWorkspace(t);
      const actor = actorOf(admin);
      const mqls = parse(fs.readFileSync(MQL), { columns: true }) as { mql_id: string }[];
      const closed = parse(fs.readFileSync(CLOSED), { columns: true }) as {
        mql_id: string;
        won_date: string;
      }[];
      const mqlIds = new Set(mqls.map((m) => m.mql_id));
      const linkable = closed.filter((c) => mqlIds.has(c.mql_id));
      // The dataset as published: 8,000 MQLs, 842 closed deals, every one with its MQL.
      expect([mqlIds.size, closed.length, linkable.length]).toEqual([8000, 842, 842]);

      const importId = await createImport(t.ctx, actor, {
        entity: 'contacts',
        filePath: MQL,
        map: { mql_id: 'externalId', first_contact_date: '', landing_page_id: '', origin: '' },
      });
      const contacts = await runImport(t.ctx, admin.workspaceId, importId);
      expect(contacts.status, contacts.error ?? '').toBe('completed');
      const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts
        WHERE workspace_id = ${admin.workspaceId} AND external_id IS NOT NULL`.execute(t.ctx.db);
      expect(stored.rows[0]!.n).toBe(mqlIds.size);

      const result = await importDeals(t.ctx, actor, CLOSED, {
        map: {
          mql_id: 'contact.external_id',
          seller_id: 'external_id',
          won_date: 'won_at',
          business_segment: 'custom.business_segment',
        },
      });
      expect(result).toMatchObject({
        rows: closed.length,
        inserted: linkable.length,
        rejected: closed.length - linkable.length,
      });
      const counts = await sql<{ won: number; linked: number; customers: number; touches: number }>`
        SELECT (SELECT count(*)::int FROM deals WHERE workspace_id = ${admin.workspaceId} AND won_at IS NOT NULL) AS won,
               (SELECT count(DISTINCT dc.contact_id)::int FROM deal_contacts dc WHERE dc.workspace_id = ${admin.workspaceId}) AS linked,
               (SELECT count(*)::int FROM contacts WHERE workspace_id = ${admin.workspaceId} AND lifecycle_stage = 'customer') AS customers,
               (SELECT count(*)::int FROM touches WHERE workspace_id = ${admin.workspaceId} AND type = 'deal_won') AS touches`.execute(
        t.ctx.db,
      );
      const distinctContacts = new Set(linkable.map((c) => c.mql_id)).size;
      expect(counts.rows[0]).toEqual({
        won: linkable.length,
        linked: distinctContacts,
        customers: distinctContacts,
        touches: linkable.length,
      });
      // The won date is kept exactly (UTC).
      const first = linkable[0]!;
      const row = await sql<{
        won_at: Date;
      }>`SELECT d.won_at FROM deals d JOIN contacts c ON c.workspace_id = d.workspace_id
        AND c.id = d.contact_id WHERE d.workspace_id = ${admin.workspaceId} AND c.external_id = ${first.mql_id} LIMIT 1`.execute(
        t.ctx.db,
      );
      expect(new Date(row.rows[0]!.won_at).toISOString()).toBe(`${first.won_date.replace(' ', 'T')}.000Z`);
    }, 300_000);
  });
});
