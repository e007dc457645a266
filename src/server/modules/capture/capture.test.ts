import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { BATCH_ROWS, createImport, type ImportRequest, previewImport, runImport } from './capture.service.ts';

const OLIST = path.resolve(import.meta.dirname, '../../../../../shared/datasets/olist-marketing-funnel');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-capture-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
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

async function contacts(t: TestBackend, u: TestUser) {
  const res = await sql<{
    email: string | null;
    first_name: string | null;
    last_name: string | null;
    external_id: string | null;
    source_channel: string | null;
    first_touch_at: Date | null;
    country: string | null;
    title: string | null;
    company_name: string | null;
    custom: Record<string, unknown>;
    tags: string[];
  }>`SELECT * FROM contacts WHERE workspace_id = ${u.workspaceId} ORDER BY email, external_id`.execute(
    t.ctx.db,
  );
  return res.rows;
}

/** The olist MQL file read independently: plain string splitting (no quotes in this file). */
function readOlistMqls(): { mqlId: string; firstContact: string; landing: string; origin: string }[] {
  const lines = fs
    .readFileSync(path.join(OLIST, 'olist_marketing_qualified_leads_dataset.csv'), 'utf8')
    .trim()
    .split('\n');
  return lines.slice(1).map((l) => {
    const [mqlId, firstContact, landing, origin] = l.replace(/\r$/, '').split(',');
    return { mqlId: mqlId!, firstContact: firstContact!, landing: landing!, origin: origin! };
  });
}

forEachBackend('CSV and XLSX import', (t) => {
  it('imports the olist MQL file through the generic mapper, blank origins staying blank', async () => {
    const admin = await createWorkspace(t);
    const result = await importFile(t, admin, {
      entity: 'contacts',
      filePath: path.join(OLIST, 'olist_marketing_qualified_leads_dataset.csv'),
      map: { mql_id: 'externalId', landing_page_id: 'custom.landing_page_id' },
    });
    const expected = readOlistMqls();
    expect(result).toMatchObject({ status: 'completed', inserted: expected.length, rejected: 0 });
    const rows = await contacts(t, admin);
    expect(rows).toHaveLength(8000);
    const byId = new Map(rows.map((r) => [r.external_id, r]));
    const blank = expected.filter((e) => e.origin === '');
    const unknown = expected.filter((e) => e.origin === 'unknown');
    expect(blank).toHaveLength(60);
    expect(rows.filter((r) => r.source_channel === null)).toHaveLength(blank.length);
    expect(rows.filter((r) => r.source_channel === 'unknown')).toHaveLength(unknown.length);
    for (const e of expected.slice(0, 200)) {
      const r = byId.get(e.mqlId)!;
      expect(r.source_channel).toBe(e.origin === '' ? null : e.origin);
      expect(new Date(r.first_touch_at!).toISOString()).toBe(`${e.firstContact}T00:00:00.000Z`);
      expect(r.custom.landing_page_id).toBe(e.landing);
    }
  });

  it('resumes a crashed import and ends with every row exactly once', async () => {
    const admin = await createWorkspace(t);
    const rows = Array.from({ length: 12_000 }, (_, i) => `p${i}@example.com,Person ${i}`);
    const p = file('big.csv', `email,name\n${rows.join('\n')}\n`);
    const id = await createImport(t.ctx, actorOf(admin), { entity: 'contacts', filePath: p });
    let batches = 0;
    await expect(
      runImport(t.ctx, admin.workspaceId, id, () => {
        if (++batches === 2) throw new Error('simulated crash');
      }),
    ).rejects.toThrow('simulated crash');
    const mid = await sql<{ staged_through: number; status: string }>`
      SELECT staged_through, status FROM imports WHERE id = ${id}`.execute(t.ctx.db);
    expect(mid.rows[0]).toMatchObject({ status: 'staging' });
    // The listener runs once a batch has committed: two whole batches are staged, not a row more.
    expect(mid.rows[0]!.staged_through).toBe(2 * BATCH_ROWS + 1); // line 1 is the header
    expect((await contacts(t, admin)).length).toBe(0); // nothing merged yet: no half import
    const done = await runImport(t.ctx, admin.workspaceId, id);
    expect(done).toMatchObject({ status: 'completed', inserted: 12_000, rows_seen: 12_000 });
    const emails = (await contacts(t, admin)).map((c) => c.email);
    expect(new Set(emails).size).toBe(12_000);
  });

  it('reads GBK files with Chinese headers, BOMs, semicolons and Windows-1252', async () => {
    const admin = await createWorkspace(t);
    const gbk = Buffer.concat([
      Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xd3, 0xca, 0xcf, 0xe4, 0x2c, 0xb9, 0xfa, 0xbc, 0xd2, 0x0a]), // 姓名,邮箱,国家
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), // 张三
      Buffer.from(',zhang@example.cn,'),
      Buffer.from([0xd6, 0xd0, 0xb9, 0xfa, 0x0a]), // 中国
    ]);
    const preview = await previewImport(t.ctx, actorOf(admin), {
      entity: 'contacts',
      filePath: file('gbk.csv', gbk),
    });
    expect(preview).toMatchObject({ encoding: 'gb18030', columns: ['姓名', '邮箱', '国家'] });
    expect(preview.mapping).toEqual(['fullName', 'email', 'country']);
    await importFile(t, admin, { entity: 'contacts', filePath: file('gbk.csv', gbk) });
    const bom = file(
      'bom.csv',
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('Email;First Name;Job Title\nbom@example.com;Anna;Einkäuferin\n'),
      ]),
    );
    await importFile(t, admin, { entity: 'contacts', filePath: bom });
    const w1252 = file(
      'w.csv',
      Buffer.from([...Buffer.from('email,first name\njose@example.es,Jos'), 0xe9, 0x0a]),
    );
    await importFile(t, admin, { entity: 'contacts', filePath: w1252 });
    const rows = await contacts(t, admin);
    expect(rows.find((r) => r.email === 'zhang@example.cn')).toMatchObject({
      last_name: '张',
      first_name: '三',
      country: 'CN',
    });
    expect(rows.find((r) => r.email === 'bom@example.com')).toMatchObject({
      first_name: 'Anna',
      title: 'Einkäuferin',
    });
    expect(rows.find((r) => r.email === 'jose@example.es')).toMatchObject({ first_name: 'José' });
  });

  it('recognises HubSpot and Salesforce export headers and links companies by name', async () => {
    const admin = await createWorkspace(t);
    const hubspot = file(
      'hubspot.csv',
      'Record ID,First Name,Last Name,Email,Phone Number,Company Name,Country/Region,Job Title\n' +
        '101,Ada,Lovelace,ada@example.com,+44 1,Analytical Engines,United Kingdom,Engineer\n' +
        '102,Charles,Babbage,charles@example.com,,analytical engines,UK,\n',
    );
    const sf = file(
      'sf.csv',
      'Lead ID,First Name,Last Name,Title,Account Name,Mailing Country,Lead Source,Email\n00Q1,Grace,Hopper,Rear Admiral,Navy,USA,Trade Show,grace@example.com\n',
    );
    expect((await importFile(t, admin, { entity: 'contacts', filePath: hubspot })).inserted).toBe(2);
    expect((await importFile(t, admin, { entity: 'contacts', filePath: sf })).inserted).toBe(1);
    const rows = await contacts(t, admin);
    expect(rows.find((r) => r.email === 'ada@example.com')).toMatchObject({
      external_id: '101',
      country: 'GB',
      company_name: 'Analytical Engines',
    });
    expect(rows.find((r) => r.email === 'grace@example.com')).toMatchObject({
      external_id: '00Q1',
      country: 'US',
      source_channel: 'Trade Show',
    });
    const companies = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM companies WHERE workspace_id = ${admin.workspaceId}`.execute(t.ctx.db);
    expect(companies.rows[0]!.n).toBe(2); // "Analytical Engines" once (case-insensitive), "Navy"
  });

  it('applies the dedupe policy: skip, update (blank cells never erase) and create', async () => {
    const admin = await createWorkspace(t);
    await importFile(t, admin, {
      entity: 'contacts',
      filePath: file('a.csv', 'email,first name,job title\nx@example.com,Xi,Buyer\n'),
    });
    const again = 'email,first name,job title\nX@example.com,,Director\nnew@example.com,New,\n';
    expect(await importFile(t, admin, { entity: 'contacts', filePath: file('b.csv', again) })).toMatchObject({
      inserted: 1,
      skipped: 1,
    });
    expect((await contacts(t, admin)).find((r) => r.email === 'x@example.com')).toMatchObject({
      title: 'Buyer',
    });
    expect(
      await importFile(t, admin, { entity: 'contacts', filePath: file('c.csv', again), dedupe: 'update' }),
    ).toMatchObject({ updated: 2, inserted: 0 });
    expect((await contacts(t, admin)).find((r) => r.email === 'x@example.com')).toMatchObject({
      first_name: 'Xi',
      title: 'Director',
    });
    const created = await importFile(t, admin, {
      entity: 'contacts',
      filePath: file('d.csv', again),
      dedupe: 'create',
      mode: 'valid',
    });
    expect(created).toMatchObject({ status: 'completed', inserted: 0, rejected: 2 });
  });

  it('keeps the first of duplicate rows inside one file and reports the others with the row', async () => {
    const admin = await createWorkspace(t);
    const r = await importFile(t, admin, {
      entity: 'contacts',
      filePath: file(
        'dup.csv',
        'email,first name\na@example.com,First\nb@example.com,B\nA@example.com,Again\n',
      ),
    });
    expect(r).toMatchObject({ inserted: 2, rejected: 1 });
    const rejects = await sql<{ row_number: number; reason: string }>`
      SELECT row_number, reason FROM import_rejects WHERE import_id = ${r.id}`.execute(t.ctx.db);
    expect(rejects.rows).toEqual([
      { row_number: 4, reason: 'duplicate of row 2 in this file (same e-mail)' },
    ]);
  });

  it('imports nothing when one row is invalid, unless asked to import the valid rows', async () => {
    const admin = await createWorkspace(t);
    const csv =
      'email,country,first contact date\nok@example.com,DE,2024-01-05\nbad-email,Atlantis,31/31/2024\n';
    const all = await importFile(t, admin, { entity: 'contacts', filePath: file('bad.csv', csv) });
    expect(all.status).toBe('failed');
    expect(all.error).toMatch(/1 of 2 rows are invalid; nothing was imported/);
    expect(await contacts(t, admin)).toHaveLength(0);
    const rejects = await sql<{
      reason: string;
    }>`SELECT reason FROM import_rejects WHERE import_id = ${all.id}`.execute(t.ctx.db);
    expect(rejects.rows[0]!.reason).toMatch(
      /email: is not a valid e-mail address; country: is not a known country; first contact date: is not a real calendar date/,
    );
    const valid = await importFile(t, admin, {
      entity: 'contacts',
      filePath: file('bad.csv', csv),
      mode: 'valid',
    });
    expect(valid).toMatchObject({ status: 'completed', inserted: 1, rejected: 1 });
  });

  it('gives each broken file a clear message instead of a crash', async () => {
    const admin = await createWorkspace(t);
    const fail = async (name: string, content: string | Buffer) => {
      try {
        const r = await importFile(t, admin, {
          entity: 'contacts',
          filePath: file(name, content),
          map: { '1': 'email' },
        });
        return r.error ?? `status ${r.status}`;
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(await fail('empty.csv', '')).toMatch(/empty/);
    expect(await fail('header.csv', 'email,name\n')).toMatch(/no data rows/);
    expect(await fail('binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]))).toMatch(
      /binary file/,
    );
    expect(await fail('quotes.csv', 'email,name\na@example.com,"Ann\nb@example.com,Bob\n')).toMatch(
      /Row 2: .*quote/,
    );
    const big = `email,notes\na@example.com,"${'x'.repeat(10 * 1024 * 1024)}"\n`;
    expect(await fail('bigcell.csv', big)).toMatch(/Row 2: a cell is larger than 1 MB/);
    const ragged = await importFile(t, admin, {
      entity: 'contacts',
      filePath: file('ragged.csv', 'email,name\na@example.com,A,extra,cells\n'),
      mode: 'valid',
    });
    const rr = await sql<{
      reason: string;
    }>`SELECT reason FROM import_rejects WHERE import_id = ${ragged.id}`.execute(t.ctx.db);
    expect(rr.rows[0]!.reason).toBe('has 4 cells but the header has 2');
  });

  it('asks for the day/month order when dates are ambiguous and uses the confirmed one', async () => {
    const admin = await createWorkspace(t);
    const csv = 'email,first contact date\nd@example.com,03/04/2024\n';
    const preview = await previewImport(t.ctx, actorOf(admin), {
      entity: 'contacts',
      filePath: file('amb.csv', csv),
    });
    expect(preview.dateOrder).toBe('ambiguous');
    expect(preview.rows[0]!.error).toMatch(/ambiguous/);
    await importFile(t, admin, { entity: 'contacts', filePath: file('amb.csv', csv), dateOrder: 'DMY' });
    const [c] = await contacts(t, admin);
    expect(new Date(c!.first_touch_at!).toISOString()).toBe('2024-04-03T00:00:00.000Z');
  });

  it('names a bad mapping override', async () => {
    const admin = await createWorkspace(t);
    const p = file('m.csv', 'email,name\na@example.com,A\n');
    await expect(
      previewImport(t.ctx, actorOf(admin), {
        entity: 'contacts',
        filePath: p,
        map: { nope: 'email', name: 'shoeSize' },
      }),
    ).rejects.toMatchObject({
      fields: {
        'map.nope': 'is not a column of this file',
        'map.name': expect.stringMatching(/shoeSize is not a field/),
      },
    });
  });

  it('imports touches linked by contact e-mail or external id into monthly partitions', async () => {
    const admin = await createWorkspace(t);
    await importFile(t, admin, {
      entity: 'contacts',
      filePath: file('c.csv', 'email,external id\nm@example.com,EXT-1\nn@example.com,EXT-2\n'),
    });
    const csv =
      'contact.email,contact.external_id,type,date,channel\n' +
      'm@example.com,,trade_show_scan,2018-05-03 10:00,trade_show\n' +
      ',EXT-2,email_open,2019-01-02,\n' +
      'm@example.com,,call,2018-07-01,\n' +
      'ghost@example.com,,call,2018-07-01,\n';
    const r = await importFile(t, admin, {
      entity: 'touches',
      filePath: file('t.csv', csv),
      map: { 'contact.email': 'contact.email', 'contact.external_id': 'contact.external_id' },
      mode: 'valid',
    });
    expect(r).toMatchObject({ status: 'completed', inserted: 3, rejected: 1 });
    const m = await sql<{ touch_count: number; source_channel: string; first_touch_at: Date }>`
      SELECT touch_count, source_channel, first_touch_at FROM contacts WHERE email = 'm@example.com'
        AND workspace_id = ${admin.workspaceId}`.execute(t.ctx.db);
    expect(m.rows[0]).toMatchObject({ touch_count: 2, source_channel: 'trade_show' });
    const parts = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'touches'::regclass`.execute(t.ctx.db);
    expect(parts.rows[0]!.n).toBe(3);
  });

  it('stops at a dry run with the counts and writes no records', async () => {
    const admin = await createWorkspace(t);
    const r = await importFile(t, admin, {
      entity: 'contacts',
      filePath: file('dry.csv', 'email\na@example.com\nb@example.com\n'),
      dryRun: true,
    });
    expect(r).toMatchObject({ status: 'validated', rows_valid: 2, inserted: 0 });
    expect(await contacts(t, admin)).toHaveLength(0);
  });
});
