import { expect, it } from 'vitest';
import { addUser, auditRows, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { PlanDto, QuotaBoardDto } from '../../../contracts/planning.ts';
import type { ErrorBody } from '../contacts/records.fixtures.ts';
import { seedContact, seedDeal } from './planning.fixtures.ts';

const NOW = new Date('2026-05-15T12:00:00Z');

const PLAN = {
  fromYear: 2026,
  toYear: 2028,
  targets: [
    { year: 2026, revenueMinor: 10_000_000, customers: 5, leads: 100 },
    { year: 2026, market: 'CN', revenueMinor: 4_000_000, customers: 2, leads: 40 },
    { year: 2026, product: 'Widget', revenueMinor: 3_000_000, customers: 2, leads: 30 },
    { year: 2026, segment: 'SMB', revenueMinor: 1_000_000, customers: 1, leads: 10 },
    { year: 2027, revenueMinor: 15_000_000, customers: 8, leads: 150 },
  ],
};

forEachBackend('multi-year plan', (t) => {
  it('stores 3–5 year targets per market, segment and product and sets them against actuals', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const cn = await seedContact(t, ws, { firstTouchAt: new Date('2026-02-01T00:00:00Z'), country: 'cn' });
    await seedContact(t, ws, { firstTouchAt: new Date('2025-06-01T00:00:00Z'), country: 'CN' });
    const widgetDeal = await seedDeal(t, admin, {
      amountMinor: 1_000_000,
      wonAt: new Date('2026-03-10T00:00:00Z'),
    });
    await t.ctx.db
      .updateTable('deals')
      .set({ contact_id: cn, products: JSON.stringify([{ productId: null, name: 'Widget' }]) })
      .where('workspace_id', '=', ws)
      .where('id', '=', widgetDeal)
      .execute();
    await seedDeal(t, admin, { amountMinor: 2_000_000, wonAt: new Date('2026-04-02T00:00:00Z') });
    await seedDeal(t, admin, { amountMinor: 9_000_000, wonAt: new Date('2025-12-31T23:00:00Z') });

    const saved = await admin.api.put<PlanDto>('/api/planning/plan', PLAN);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const p = saved.body;
    const cell = (market: string, segment: string, product: string) =>
      p.targets.find(
        (x) => x.year === 2026 && x.market === market && x.segment === segment && x.product === product,
      );
    expect(cell('', '', '')?.actual).toEqual({ revenueMinor: 3_000_000, customers: 2, leads: 1 });
    expect(cell('CN', '', '')?.actual).toEqual({ revenueMinor: 1_000_000, customers: 1, leads: 1 });
    expect(cell('', '', 'Widget')?.actual).toEqual({ revenueMinor: 1_000_000, customers: 1, leads: 1 });
    expect(cell('', 'SMB', '')?.actual).toBeNull();
    expect(p.years).toEqual([
      {
        year: 2026,
        target: { revenueMinor: 10_000_000, customers: 5, leads: 100 },
        actual: { revenueMinor: 3_000_000, customers: 2, leads: 1 },
      },
      {
        year: 2027,
        target: { revenueMinor: 15_000_000, customers: 8, leads: 150 },
        actual: { revenueMinor: 0, customers: 0, leads: 0 },
      },
      {
        year: 2028,
        target: { revenueMinor: 0, customers: 0, leads: 0 },
        actual: { revenueMinor: 0, customers: 0, leads: 0 },
      },
    ]);
    // The current year derives from the plan: its target spread over the months, against won revenue.
    expect(p.currentYear.year).toBe(2026);
    expect(p.currentYear.months).toHaveLength(12);
    expect(p.currentYear.months.reduce((s, m) => s + m.planRevenueMinor, 0)).toBe(10_000_000);
    expect(p.currentYear.months[2]).toEqual({
      month: '2026-03',
      planRevenueMinor: 833_333,
      actualRevenueMinor: 1_000_000,
    });
    expect(p.currentYear.months[3]?.actualRevenueMinor).toBe(2_000_000);
    // So does the quota board's plan figure.
    const board = (await admin.api.get<QuotaBoardDto>('/api/planning/quotas?year=2026')).body;
    expect(board.planRevenueMinor).toBe(10_000_000);

    // Saving again replaces the range; both saves are audited.
    const again = await admin.api.put<PlanDto>('/api/planning/plan', {
      ...PLAN,
      targets: PLAN.targets.slice(4),
    });
    expect(again.body.targets.map((x) => x.year)).toEqual([2027]);
    expect((await auditRows(t, ws)).filter((a) => a.entity_type === 'plan').map((a) => a.action)).toEqual([
      'plan_save',
      'plan_save',
    ]);
    // Another workspace sees none of it.
    const other = await createWorkspace(t);
    const theirs = (await other.api.get<PlanDto>('/api/planning/plan?fromYear=2026&toYear=2028')).body;
    expect(theirs.targets).toEqual([]);
    expect(theirs.years[0]?.actual).toEqual({ revenueMinor: 0, customers: 0, leads: 0 });
  });

  it('refuses a bad plan with 400 naming the field and keeps the old one', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    expect((await admin.api.put('/api/planning/plan', PLAN)).status).toBe(200);
    const t0 = PLAN.targets[0]!;
    const cases: [unknown, string][] = [
      [{ ...PLAN, toYear: 2026 }, 'toYear'],
      [{ ...PLAN, toYear: 2032 }, 'toYear'],
      [{ ...PLAN, targets: [{ ...t0, year: 2030 }] }, 'targets.0.year'],
      [{ ...PLAN, targets: [t0, { ...t0 }] }, 'targets.1'],
      [{ ...PLAN, targets: [{ ...t0, revenueMinor: -1 }] }, 'targets.0.revenueMinor'],
      [{ ...PLAN, targets: [{ ...t0, customers: 1.5 }] }, 'targets.0.customers'],
      [{ ...PLAN, targets: [{ ...t0, region: 'x' }] }, 'targets.0.region'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.api.put<ErrorBody>('/api/planning/plan', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(res.body)).toContain(field);
    }
    const bad = await admin.api.get<ErrorBody>('/api/planning/plan?fromYear=2028&toYear=2026');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {})).toContain('toYear');
    const kept = (await admin.api.get<PlanDto>('/api/planning/plan?fromYear=2026&toYear=2028')).body;
    expect(kept.targets).toHaveLength(PLAN.targets.length);
  });

  it('is edited by admins, marketing and sales managers; reps read it; service neither', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    for (const role of ['marketing', 'sales_manager'] as const) {
      const u = await addUser(t, ws, role);
      expect((await u.api.put('/api/planning/plan', PLAN)).status).toBe(200);
    }
    const rep = await addUser(t, ws, 'sales_rep');
    expect((await rep.api.put('/api/planning/plan', PLAN)).status).toBe(403);
    expect((await rep.api.get('/api/planning/plan')).status).toBe(200);
    const service = await addUser(t, ws, 'service');
    expect((await service.api.get('/api/planning/plan')).status).toBe(403);
  });
});
