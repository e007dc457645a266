import { expect, it } from 'vitest';
import { addUser, auditRows, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type {
  CalendarEntryDto,
  CampaignDetailDto,
  CampaignDto,
  CampaignMarketDto,
  CostLineDto,
  CostPerLeadDto,
} from '../../../contracts/campaigns.ts';
import { type ErrorBody, newContact, type Page } from '../contacts/records.fixtures.ts';
import { newCampaign } from './campaigns.fixtures.ts';

forEachBackend('campaigns API', (t) => {
  it('creates, reads, changes and deletes a campaign; bad input is a 400 naming each field; audited', async () => {
    const admin = await createWorkspace(t);
    const created = await newCampaign(admin, {
      startsOn: '2026-04-20',
      endsOn: '2026-04-24',
      markets: ['de', 'AT'],
      language: 'de',
      currency: 'EUR',
      budgetMinor: 5_000_000,
      goalLeads: 300,
      goalSqls: 40,
      goalRevenueMinor: 90_000_000,
    });
    expect(created).toMatchObject({
      channel: 'trade_show',
      status: 'planned',
      startsOn: '2026-04-20',
      endsOn: '2026-04-24',
      markets: ['DE', 'AT'],
      ownerId: admin.userId,
      ownerName: 'Admin',
      budgetMinor: 5_000_000,
      goalRevenueMinor: 90_000_000,
      memberCount: 0,
    });
    const bad = await admin.api.post<ErrorBody>('/api/campaigns', {
      name: '',
      channel: 'fax',
      startsOn: '2026-02-30',
      budgetMinor: 1.5,
      currency: 'euro',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {}).sort()).toEqual([
      'budgetMinor',
      'channel',
      'currency',
      'name',
      'startsOn',
    ]);
    const backwards = await admin.api.post<ErrorBody>('/api/campaigns', {
      name: 'x',
      channel: 'email',
      startsOn: '2026-05-02',
      endsOn: '2026-05-01',
      ownerId: 'usr_nobody',
    });
    expect(backwards.body.error.fields).toEqual({
      endsOn: 'must not be before startsOn',
      ownerId: 'is not an active user of this workspace',
    });
    const patched = await admin.api.patch<CampaignDto>(`/api/campaigns/${created.id}`, {
      status: 'active',
      name: 'HM 2026',
    });
    expect(patched.body).toMatchObject({ status: 'active', name: 'HM 2026' });
    const list = await admin.api.get<Page<CampaignDto>>('/api/campaigns?channel=trade_show&market=de');
    expect(list.body.items.map((c) => c.id)).toEqual([created.id]);
    expect((await admin.api.get<Page<CampaignDto>>('/api/campaigns?market=FR')).body.items).toEqual([]);
    expect((await admin.api.delete(`/api/campaigns/${created.id}`)).status).toBe(204);
    expect((await admin.api.get(`/api/campaigns/${created.id}`)).status).toBe(404);
    const actions = (await auditRows(t, admin.workspaceId))
      .filter((r) => r.entity_type === 'campaign')
      .map((r) => r.action);
    expect(actions).toEqual(['create', 'update', 'delete']);
  });

  it('lets everyone read but only marketing and admins write; other workspaces see nothing', async () => {
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const marketing = await addUser(t, admin.workspaceId, 'marketing');
    const service = await addUser(t, admin.workspaceId, 'service');
    const c = await newCampaign(marketing, { name: 'Mailing', channel: 'direct_mail' });
    for (const u of [rep, service]) {
      expect((await u.api.get(`/api/campaigns/${c.id}`)).status).toBe(200);
      expect((await u.api.post('/api/campaigns', { name: 'x', channel: 'email' })).status).toBe(403);
      expect((await u.api.patch(`/api/campaigns/${c.id}`, { name: 'y' })).status).toBe(403);
      expect((await u.api.post(`/api/campaigns/${c.id}/cost-lines`, {})).status).toBe(403);
    }
    expect((await other.api.get(`/api/campaigns/${c.id}`)).status).toBe(404);
    expect((await other.api.patch(`/api/campaigns/${c.id}`, { name: 'z' })).status).toBe(404);
  });

  it('nests campaigns under a program, refuses cycles, and rolls up cost, members and leads', async () => {
    const admin = await createWorkspace(t);
    const program = await newCampaign(admin, { name: 'Europe 2026', channel: 'other', currency: 'EUR' });
    const show = await newCampaign(admin, { name: 'Show', parentId: program.id, currency: 'EUR' });
    const mail = await newCampaign(admin, { name: 'Mail', channel: 'direct_mail', parentId: show.id });
    const cycle = await admin.api.patch<ErrorBody>(`/api/campaigns/${program.id}`, { parentId: mail.id });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.fields?.parentId).toContain('inside itself');
    const line = (id: string, amountMinor: number, incurredOn: string, currency = 'EUR') =>
      admin.api.post<CostLineDto>(`/api/campaigns/${id}/cost-lines`, {
        incurredOn,
        amountMinor,
        currency,
        category: 'booth',
      });
    expect((await line(program.id, 100_00, '2026-01-10')).status).toBe(201);
    expect((await line(show.id, 900_00, '2026-02-10')).status).toBe(201);
    expect((await line(mail.id, 300_00, '2026-03-10')).status).toBe(201);
    expect((await line(mail.id, 50_00, '2026-03-11', 'USD')).status).toBe(201);
    const badLine = await admin.api.post<ErrorBody>(`/api/campaigns/${show.id}/cost-lines`, {
      incurredOn: 'soon',
      amountMinor: -5,
      currency: 'EUR',
      category: 'lunch',
    });
    expect(Object.keys(badLine.body.error.fields ?? {}).sort()).toEqual([
      'amountMinor',
      'category',
      'incurredOn',
    ]);

    // leads: new contacts whose source is the campaign tree (their first touch carried the campaign)
    t.clock.set('2026-03-15T10:00:00Z');
    const c1 = await newContact(admin.api, { email: 'l1@example.com' });
    const c2 = await newContact(admin.api, { email: 'l2@example.com' });
    await admin.api.post(`/api/campaigns/${show.id}/members`, {
      contactIds: [c1.id],
      status: 'visited_booth',
    });
    await admin.api.post(`/api/campaigns/${mail.id}/members`, {
      contactIds: [c1.id, c2.id],
      status: 'invited',
    });

    const detail = await admin.api.get<CampaignDetailDto>(`/api/campaigns/${program.id}`);
    expect(detail.body.children.map((c) => c.name)).toEqual(['Show']);
    expect(detail.body.stats).toMatchObject({
      members: 2,
      leads: 2,
      touches: 3,
      nestedCampaigns: 2,
      cost: [
        { currency: 'EUR', amountMinor: 1300_00 },
        { currency: 'USD', amountMinor: 50_00 },
      ],
      costPerLead: [
        { currency: 'EUR', amountMinor: 650_00 },
        { currency: 'USD', amountMinor: 25_00 },
      ],
    });
    const q1 = await admin.api.get<CostPerLeadDto>(
      `/api/campaigns/${program.id}/cost-per-lead?from=2026-01-01&to=2026-02-28`,
    );
    expect(q1.body).toMatchObject({
      leads: 0,
      cost: [{ currency: 'EUR', amountMinor: 1000_00 }],
      costPerLead: [],
    });
    const march = await admin.api.get<CostPerLeadDto>(
      `/api/campaigns/${show.id}/cost-per-lead?from=2026-03-01&to=2026-03-31`,
    );
    expect(march.body).toMatchObject({
      leads: 2,
      cost: [
        { currency: 'EUR', amountMinor: 300_00 },
        { currency: 'USD', amountMinor: 50_00 },
      ],
      costPerLead: [
        { currency: 'EUR', amountMinor: 150_00 },
        { currency: 'USD', amountMinor: 25_00 },
      ],
    });
    const badPeriod = await admin.api.get<ErrorBody>(
      `/api/campaigns/${show.id}/cost-per-lead?from=2026-03-31&to=2026-03-01`,
    );
    expect(badPeriod.status).toBe(400);
    expect((await admin.api.delete(`/api/campaigns/${program.id}`)).status).toBe(400);
  });

  it('shows the deals its campaign tree sourced, by outcome, and the revenue won in the reporting currency', async () => {
    const admin = await createWorkspace(t);
    t.clock.set('2026-03-15T10:00:00Z');
    const rate = await admin.api.put('/api/exchange-rates', {
      base: 'EUR',
      quote: 'USD',
      onDate: '2026-01-01',
      rate: '1.10',
    });
    expect(rate.status).toBe(200);
    const program = await newCampaign(admin, { name: 'Europe 2026', channel: 'other' });
    const show = await newCampaign(admin, { name: 'Show', parentId: program.id });
    const elsewhere = await newCampaign(admin, { name: 'Elsewhere' });
    const deal = async (
      sourceCampaignId: string,
      amountMinor: number,
      currency: string,
      end?: 'won' | 'lost',
    ) => {
      const res = await admin.api.post<{ id: string }>('/api/deals', {
        name: `Deal ${amountMinor}`,
        amountMinor,
        currency,
        sourceCampaignId,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      if (end) {
        const moved = await admin.api.post(`/api/deals/${res.body.id}/move`, {
          stageKey: end,
          ...(end === 'lost' ? { lostReason: 'competitor' } : {}),
        });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      }
    };
    await deal(show.id, 1000_00, 'EUR', 'won'); // 1,100.00 USD at the January rate
    await deal(program.id, 500_00, 'USD', 'won');
    await deal(show.id, 200_00, 'USD');
    await deal(program.id, 300_00, 'USD', 'lost');
    await deal(elsewhere.id, 9000_00, 'USD', 'won');

    const top = await admin.api.get<CampaignDetailDto>(`/api/campaigns/${program.id}`);
    expect(top.body.stats.deals).toEqual({
      open: 1,
      won: 2,
      lost: 1,
      wonRevenue: { currency: 'USD', amountMinor: 1600_00 },
    });
    const inner = await admin.api.get<CampaignDetailDto>(`/api/campaigns/${show.id}`);
    expect(inner.body.stats.deals).toEqual({
      open: 1,
      won: 1,
      lost: 0,
      wonRevenue: { currency: 'USD', amountMinor: 1100_00 },
    });
    const none = await newCampaign(admin, { name: 'Quiet' });
    const quiet = await admin.api.get<CampaignDetailDto>(`/api/campaigns/${none.id}`);
    expect(quiet.body.stats.deals).toEqual({
      open: 0,
      won: 0,
      lost: 0,
      wonRevenue: { currency: 'USD', amountMinor: 0 },
    });
  });

  it('keeps per-market variants with their own language, content links and cost lines', async () => {
    const admin = await createWorkspace(t);
    const c = await newCampaign(admin, { name: 'Launch', channel: 'promotion', markets: ['DE'] });
    const cn = await admin.api.post<CampaignMarketDto>(`/api/campaigns/${c.id}/markets`, {
      market: 'cn',
      language: 'zh-CN',
      contentLinks: [{ label: '产品手册', url: 'https://example.com/cn.pdf' }],
    });
    expect(cn.status).toBe(201);
    expect(cn.body).toMatchObject({ market: 'CN', language: 'zh-CN' });
    const dup = await admin.api.post<ErrorBody>(`/api/campaigns/${c.id}/markets`, { market: 'CN' });
    expect(dup.status).toBe(409);
    const badLink = await admin.api.post<ErrorBody>(`/api/campaigns/${c.id}/markets`, {
      market: 'FR',
      contentLinks: [{ label: 'x', url: 'javascript:alert(1)' }],
    });
    expect(badLink.status).toBe(400);
    expect(Object.keys(badLink.body.error.fields ?? {})).toEqual(['contentLinks.0.url']);
    const line = await admin.api.post<CostLineDto>(`/api/campaigns/${c.id}/cost-lines`, {
      incurredOn: '2026-06-01',
      amountMinor: 12_345,
      currency: 'CNY',
      category: 'printing',
      marketId: cn.body.id,
    });
    expect(line.body.marketId).toBe(cn.body.id);
    const markets = await admin.api.get<CampaignMarketDto[]>(`/api/campaigns/${c.id}/markets`);
    expect(markets.body[0]!.cost).toEqual([{ currency: 'CNY', amountMinor: 12_345 }]);
    expect((await admin.api.delete(`/api/campaigns/${c.id}/markets/${cn.body.id}`)).status).toBe(409);
    expect((await admin.api.delete(`/api/campaigns/${c.id}/cost-lines/${line.body.id}`)).status).toBe(204);
    expect((await admin.api.delete(`/api/campaigns/${c.id}/markets/${cn.body.id}`)).status).toBe(204);
    const after = await admin.api.get<CampaignDto>(`/api/campaigns/${c.id}`);
    expect((after.body as unknown as CampaignDetailDto).campaign.markets).toEqual(['DE', 'CN']);
  });

  it('shows the calendar of campaigns overlapping a month or quarter, filtered by market and channel', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const march = await newCampaign(admin, {
      name: 'March show',
      startsOn: '2026-03-30',
      endsOn: '2026-04-02',
      markets: ['DE'],
    });
    const april = await newCampaign(admin, {
      name: 'April mail',
      channel: 'direct_mail',
      startsOn: '2026-04-15',
      markets: ['FR'],
    });
    await newCampaign(admin, { name: 'June', channel: 'webinar', startsOn: '2026-06-01' });
    await newCampaign(admin, { name: 'Undated', channel: 'email' });
    const month = await rep.api.get<{ items: CalendarEntryDto[] }>(
      '/api/campaign-calendar?from=2026-04-01&to=2026-04-30',
    );
    expect(month.status).toBe(200);
    expect(month.body.items.map((e) => [e.name, e.startsOn, e.endsOn])).toEqual([
      ['March show', '2026-03-30', '2026-04-02'],
      ['April mail', '2026-04-15', '2026-04-15'],
    ]);
    const quarter = await rep.api.get<{ items: CalendarEntryDto[] }>(
      '/api/campaign-calendar?from=2026-04-01&to=2026-06-30&channel=trade_show',
    );
    expect(quarter.body.items.map((e) => e.id)).toEqual([march.id]);
    const fr = await rep.api.get<{ items: CalendarEntryDto[] }>(
      '/api/campaign-calendar?from=2026-04-01&to=2026-06-30&market=fr',
    );
    expect(fr.body.items.map((e) => e.id)).toEqual([april.id]);
    const bad = await rep.api.get<ErrorBody>('/api/campaign-calendar?from=2026-04-30&to=2026-04-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('to');
  });
});
