import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import { ValidationError } from '../../lib/errors.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { createImport, type ImportRequest, runImport } from './capture.service.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-capture-campaign-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(content: string): string {
  const p = path.join(dir, `${Math.random().toString(36).slice(2)}.csv`);
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

async function campaign(u: TestUser, channel: string): Promise<string> {
  const res = await u.api.post<{ id: string }>('/api/campaigns', { name: `Fair ${channel}`, channel });
  expect(res.status).toBe(201);
  return res.body.id;
}

const BADGES =
  'Email,First name,Company\nli.wei@example.cn,Wei,Acme\nanna@example.de,Anna,Beta\nli.wei@example.cn,Wei,Acme\n';

async function members(t: TestBackend, u: TestUser, campaignId: string) {
  const res = await sql<{ email: string; status: string; source: string }>`
    SELECT c.email, m.status, m.source FROM campaign_members m
    JOIN contacts c ON c.workspace_id = m.workspace_id AND c.id = m.contact_id
    WHERE m.workspace_id = ${u.workspaceId} AND m.campaign_id = ${campaignId} ORDER BY c.email`.execute(
    t.ctx.db,
  );
  return res.rows;
}

async function scans(t: TestBackend, u: TestUser, campaignId: string) {
  const res = await sql<{ email: string; channel: string }>`
    SELECT c.email, t.channel FROM touches t JOIN contacts c ON c.workspace_id = t.workspace_id AND c.id = t.contact_id
    WHERE t.workspace_id = ${u.workspaceId} AND t.campaign_id = ${campaignId} AND t.type = 'trade_show_scan'
    ORDER BY c.email`.execute(t.ctx.db);
  return res.rows;
}

forEachBackend('Import linked to a campaign', (t) => {
  it('turns a trade-show badge list into booth visitors with one scan touch each, existing contacts included', async () => {
    const admin = await createWorkspace(t);
    const fair = await campaign(admin, 'trade_show');
    // Anna was already a contact: a badge scan of her still makes her a member.
    expect(
      (await admin.api.post('/api/contacts', { email: 'anna@example.de', firstName: 'Anna' })).status,
    ).toBe(201);

    const result = await importFile(t, admin, {
      entity: 'contacts',
      filePath: file(BADGES),
      mode: 'valid',
      campaignId: fair,
    });
    expect(result.status).toBe('completed');
    expect([result.inserted, result.skipped, result.rejected]).toEqual([1, 1, 1]);
    expect(await members(t, admin, fair)).toEqual([
      { email: 'anna@example.de', status: 'visited_booth', source: 'import' },
      { email: 'li.wei@example.cn', status: 'visited_booth', source: 'import' },
    ]);
    expect(await scans(t, admin, fair)).toEqual([
      { email: 'anna@example.de', channel: 'trade_show' },
      { email: 'li.wei@example.cn', channel: 'trade_show' },
    ]);

    // The same list again: nobody is added twice and no second scan is logged.
    await importFile(t, admin, {
      entity: 'contacts',
      filePath: file(BADGES),
      mode: 'valid',
      campaignId: fair,
    });
    expect(await members(t, admin, fair)).toHaveLength(2);
    expect(await scans(t, admin, fair)).toHaveLength(2);
  });

  it('adds an e-mail list as targeted members without touches, and a chosen status when given', async () => {
    const admin = await createWorkspace(t);
    const news = await campaign(admin, 'email');
    await importFile(t, admin, {
      entity: 'contacts',
      filePath: file(BADGES),
      mode: 'valid',
      campaignId: news,
    });
    expect((await members(t, admin, news)).map((m) => m.status)).toEqual(['targeted', 'targeted']);
    const hall = await campaign(admin, 'trade_show');
    await importFile(t, admin, {
      entity: 'contacts',
      filePath: file(BADGES),
      mode: 'valid',
      campaignId: hall,
      memberStatus: 'invited',
    });
    expect((await members(t, admin, hall)).map((m) => m.status)).toEqual(['invited', 'invited']);
    expect(await scans(t, admin, hall)).toEqual([]);
  });

  it('refuses an unknown campaign, a company import, and a status the channel lacks, naming the field', async () => {
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const theirs = await campaign(other, 'trade_show');
    const web = await campaign(admin, 'webinar');
    const attempts: [ImportRequest, string][] = [
      [{ entity: 'contacts', filePath: file(BADGES), campaignId: theirs }, 'campaignId'],
      [{ entity: 'companies', filePath: file('Name\nAcme\n'), campaignId: web }, 'campaignId'],
      [
        { entity: 'contacts', filePath: file(BADGES), campaignId: web, memberStatus: 'visited_booth' },
        'memberStatus',
      ],
    ];
    for (const [req, field] of attempts) {
      const err = await createImport(t.ctx, actorOf(admin), req).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(Object.keys((err as ValidationError).fields ?? {})).toEqual([field]);
    }
    const count = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM imports WHERE workspace_id = ${admin.workspaceId}`.execute(t.ctx.db);
    expect(count.rows[0]!.n).toBe(0);
  });

  it('stamps imported touches with the campaign when their rows carry none', async () => {
    const admin = await createWorkspace(t);
    const fair = await campaign(admin, 'trade_show');
    await admin.api.post('/api/contacts', { email: 'anna@example.de' });
    const result = await importFile(t, admin, {
      entity: 'touches',
      filePath: file(
        'contact.email,type,occurred_at\nanna@example.de,trade_show_scan,2026-03-01T10:00:00Z\n',
      ),
      campaignId: fair,
    });
    expect(result.inserted).toBe(1);
    expect(await scans(t, admin, fair)).toHaveLength(1);
  });
});
