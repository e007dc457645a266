import { expect, it } from 'vitest';
import { addUser, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { DashboardDto } from '../../../contracts/planning.ts';
import type { ErrorBody } from '../contacts/records.fixtures.ts';
import { seedCampaign, seedContact } from '../reports/reports.fixtures.ts';
import { periods } from './planning.dashboard.ts';
import { seedDeal, seedContact as seedLead } from './planning.fixtures.ts';

const NOW = new Date('2026-05-15T12:00:00Z');

it('compares this period so far with the whole previous one', () => {
  const q = periods(NOW, 'quarter');
  expect(q.current.from.toISOString()).toBe('2026-04-01T00:00:00.000Z');
  expect(q.previous).toEqual({
    from: new Date('2026-01-01T00:00:00Z'),
    to: new Date('2026-04-01T00:00:00Z'),
  });
  const m = periods(new Date('2026-01-10T00:00:00Z'), 'month');
  expect(m.previous).toEqual({
    from: new Date('2025-12-01T00:00:00Z'),
    to: new Date('2026-01-01T00:00:00Z'),
  });
});

forEachBackend('role dashboards', (t) => {
  it('shows the owner the loop, marketing the channels and a rep their inbox, quota and pipeline', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const marketing = await addUser(t, ws, 'marketing');
    const rep = await addUser(t, ws, 'sales_rep');
    const email = await seedCampaign(t, ws, {
      name: 'Spring mail',
      channel: 'email',
      costMinor: 100_000,
      on: '2026-04-10',
    });
    for (let i = 0; i < 4; i++) {
      await seedContact(t, ws, { firstTouchAt: new Date(`2026-04-1${i}T09:00:00Z`), campaignId: email });
    }
    for (let i = 0; i < 2; i++)
      await seedContact(t, ws, { firstTouchAt: new Date(`2026-02-0${i + 1}T09:00:00Z`) });
    await seedDeal(t, admin, {
      amountMinor: 1_000_000,
      ownerId: rep.userId,
      wonAt: new Date('2026-04-20T10:00:00Z'),
    });
    await seedDeal(t, admin, { amountMinor: 500_000, wonAt: new Date('2026-02-20T10:00:00Z') });
    await seedDeal(t, admin, { amountMinor: 300_000, ownerId: rep.userId });
    // The rep's inbox: an open mql they own; someone else's lead and their own customer are not in it
    // (first touched last year: outside both periods the loop compares).
    const waiting = await seedLead(t, ws, {
      firstTouchAt: new Date('2025-06-01T09:00:00Z'),
      stage: 'mql',
      ownerId: rep.userId,
    });
    await seedLead(t, ws, {
      firstTouchAt: new Date('2025-06-01T09:00:00Z'),
      stage: 'mql',
      ownerId: admin.userId,
    });
    await seedLead(t, ws, {
      firstTouchAt: new Date('2025-06-01T09:00:00Z'),
      stage: 'customer',
      ownerId: rep.userId,
    });
    await admin.api.put(`/api/planning/quotas/2026/${rep.userId}`, { annualMinor: 8_000_000, approve: true });

    const owner = await admin.api.get<DashboardDto>('/api/planning/dashboard');
    expect(owner.status, JSON.stringify(owner.body)).toBe(200);
    expect(owner.body.view).toBe('owner');
    expect(owner.body.loop).toEqual({
      current: { spendMinor: 100_000, leads: 4, quotes: 0, orders: 1, revenueMinor: 1_000_000 },
      previous: { spendMinor: 0, leads: 2, quotes: 0, orders: 1, revenueMinor: 500_000 },
    });
    expect(owner.body.channels).toBeNull();
    expect(owner.body.mine).toBeNull();

    const mkt = (await marketing.api.get<DashboardDto>('/api/planning/dashboard')).body;
    expect(mkt.view).toBe('marketing');
    expect(mkt.channels).toEqual([
      {
        channel: 'email',
        leads: 4,
        previousLeads: 0,
        costPerLeadMinor: 25_000,
        previousCostPerLeadMinor: null,
      },
      {
        channel: 'unknown',
        leads: 0,
        previousLeads: 2,
        costPerLeadMinor: null,
        previousCostPerLeadMinor: 0 /* leads, no spend */,
      },
    ]);

    const mine = (await rep.api.get<DashboardDto>('/api/planning/dashboard')).body;
    expect(mine.view).toBe('rep');
    expect(mine.loop).toBeNull();
    expect(mine.mine?.quota).toMatchObject({
      userId: rep.userId,
      quotaMinor: 2_000_000,
      wonMinor: 1_000_000,
    });
    expect(mine.mine?.pipeline).toEqual([{ stage: 'Qualified', deals: 1, amountMinor: 300_000 }]);
    expect(mine.mine?.inbox.total).toBe(1);
    expect(mine.mine?.inbox.items.map((i) => [i.contactId, i.stage])).toEqual([[waiting, 'mql']]);
    // More leads than the dashboard lists: it shows five, and counts them all.
    for (let i = 0; i < 6; i++)
      await seedLead(t, ws, {
        firstTouchAt: new Date('2025-06-01T09:00:00Z'),
        stage: i % 2 ? 'sql' : 'mql',
        ownerId: rep.userId,
      });
    const more = (await rep.api.get<DashboardDto>('/api/planning/dashboard')).body;
    expect(more.mine?.inbox.total).toBe(7);
    expect(more.mine?.inbox.items).toHaveLength(5);

    // Another workspace sees none of it; a bad period names the field.
    const other = await createWorkspace(t);
    const theirs = (await other.api.get<DashboardDto>('/api/planning/dashboard')).body;
    expect(theirs.loop?.current).toEqual({ spendMinor: 0, leads: 0, quotes: 0, orders: 0, revenueMinor: 0 });
    const bad = await admin.api.get<ErrorBody>('/api/planning/dashboard?period=decade');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {})).toContain('period');
  });
});
