import { expect, it } from 'vitest';
import { addUser, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { AttainmentDto, DashboardDto, ForwardsPlanDto } from '../../../contracts/planning.ts';
import type { ReportTableDto } from '../../../contracts/reports.ts';
import { seedDeal } from './planning.fixtures.ts';

const NOW = new Date('2026-07-15T12:00:00Z');
const at = (s: string) => new Date(`${s}T10:00:00Z`);

forEachBackend('planning money across currencies', (t) => {
  it('gives the same won revenue in attainment, the dashboard and the planner as the reports do', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    // Rates change within the quarter: each win converts at the rate of its own day.
    for (const r of [
      { base: 'EUR', quote: 'USD', onDate: '2026-01-01', rate: '1.1' },
      { base: 'EUR', quote: 'USD', onDate: '2026-05-01', rate: '1.2' },
      { base: 'USD', quote: 'JPY', onDate: '2026-01-01', rate: '150' },
    ]) {
      const res = await admin.api.put('/api/exchange-rates', r);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const won = (amountMinor: number, currency: string, day: string) =>
      seedDeal(t, admin, { amountMinor, currency, ownerId: rep.userId, wonAt: at(day) });
    await won(100_000, 'EUR', '2026-04-10'); // 1,000.00 EUR at 1.1 → 1,100.00
    await won(100_000, 'EUR', '2026-05-10'); // at 1.2 → 1,200.00
    await won(50_001, 'USD', '2026-05-20'); // 500.01
    // Two of ¥100,001 on one day: each converts on its own (666.67 twice), as the reports do, not
    // their sum (1,333.35) — adding up per owner, currency and day before converting drifts a cent.
    await won(100_001, 'JPY', '2026-06-02');
    await won(100_001, 'JPY', '2026-06-02');
    await won(100_000, 'CNY', '2026-06-03'); // no CNY rate: left out everywhere
    await seedDeal(t, admin, { amountMinor: 10_000, currency: 'EUR', ownerId: rep.userId }); // open: 120.00
    const expected = 110_000 + 120_000 + 50_001 + 66_667 + 66_667;

    // The reports' figure: the forecast backtest's actual revenue for April, May and June.
    const report = await admin.api.get<ReportTableDto>('/api/reports/forecast?to=2026-06-30&months=3');
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const reported = report.body.rows
      .filter((r) => r.section === 'backtest')
      .reduce((s, r) => s + Number(r.actual), 0);
    expect(reported).toBe(expected);

    const q2 = (await admin.api.get<AttainmentDto>('/api/planning/attainment?year=2026&quarter=2')).body;
    const mine = q2.rows.find((r) => r.userId === rep.userId);
    expect(mine).toMatchObject({ wonMinor: reported, pipelineMinor: 12_000 });

    // The owner's dashboard compares this quarter with the last one: Q2.
    const dash = (await admin.api.get<DashboardDto>('/api/planning/dashboard?period=quarter')).body;
    expect(dash.loop?.previous).toMatchObject({ orders: 6, revenueMinor: reported });
    const repDash = (await rep.api.get<DashboardDto>('/api/planning/dashboard')).body;
    expect(repDash.mine?.pipeline).toEqual([{ stage: 'Qualified', deals: 1, amountMinor: 12_000 }]);

    // The planner's "last period" (the twelve months to now) is the same revenue.
    const fwd = await admin.api.post<ForwardsPlanDto>('/api/planning/forwards', {
      mode: 'reinvest',
      months: 12,
      reinvestPercent: 10,
      overrides: { avgDealMinor: 100_000, costPerLeadMinor: { email: 1_000 } },
    });
    expect(fwd.status, JSON.stringify(fwd.body)).toBe(200);
    expect(fwd.body.lastPeriodRevenueMinor).toBe(reported);
  });
});
