import { expect, it } from 'vitest';
import { addUser, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { BackwardsPlanDto, ForwardsPlanDto, PlannerRatesDto } from '../../../contracts/planning.ts';
import type { ErrorBody } from '../contacts/records.fixtures.ts';
import { seedCampaign, seedContact as seedLead } from '../reports/reports.fixtures.ts';
import { seedContact, seedDeal } from './planning.fixtures.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
/** What a workspace with no campaign costs and no won deals has to type in. */
const money = { avgDealMinor: 500_000, costPerLeadMinor: { email: 2_000 } };

forEachBackend('flywheel planner API', (t) => {
  it('uses the source documents’ defaults, labelled, when history is thin; typed figures are not defaults', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const rates = await admin.api.get<PlannerRatesDto>('/api/planning/rates');
    expect(rates.status, JSON.stringify(rates.body)).toBe(200);
    expect(rates.body.quoteToWon).toEqual({ value: 0.2, isDefault: true });
    expect(rates.body.repCapacity).toEqual({ value: 10, isDefault: true });
    expect(rates.body.touchesPerWin).toEqual({ value: 8, isDefault: true });

    // No won deals: no honest default for money, so the planner asks for the field to fill in.
    const noDeal = await admin.api.post<ErrorBody>('/api/planning/backwards', {
      targetMinor: 100_000_000,
      months: 12,
    });
    expect(noDeal.status).toBe(400);
    expect(noDeal.body.error.fields?.['overrides.avgDealMinor']).toMatch(/average deal size/);

    const plan = await admin.api.post<BackwardsPlanDto>('/api/planning/backwards', {
      targetMinor: 100_000_000,
      months: 12,
      overrides: { ...money, leadToQualified: 0.25, qualifiedToQuote: 0.4 },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const p = plan.body;
    expect(p.rates.avgDealMinor).toEqual({ value: 500_000, isDefault: false });
    expect(p.rates.quoteToWon.isDefault).toBe(true);
    expect(p.wins).toBeCloseTo(200); // 1,000,000.00 / 5,000.00
    expect(p.quotes).toBeCloseTo(1000); // 20 % of quotes close (default)
    expect(p.qualifiedLeads).toBeCloseTo(2500);
    expect(p.leads).toBeCloseTo(10_000);
    expect(p.touches).toBeCloseTo(1600); // 8 touches per win (default)
    expect(p.channels).toEqual([
      {
        channel: 'email',
        leads: expect.closeTo(10_000, 6),
        budgetMinor: 20_000_000,
        costPerLeadMinor: 2_000,
        isDefault: false,
      },
    ]);
    expect(p.budgetMinor).toBe(20_000_000);
    expect(p.reps).toBe(21); // 2,500 qualified leads / (12 months × 10 per rep)
  });

  it('plans leads and budget per channel at each channel’s measured cost per lead', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    // Trade shows: 1,000.00 for 2 leads (500.00 a lead); e-mail: 100.00 for 8 leads (12.50 a lead).
    const show = await seedCampaign(t, ws, {
      name: 'Fair',
      channel: 'trade_show',
      costMinor: 100_000,
      on: '2026-03-01',
    });
    const mail = await seedCampaign(t, ws, {
      name: 'Mail',
      channel: 'email',
      costMinor: 10_000,
      on: '2026-03-01',
    });
    for (let i = 0; i < 2; i++) await seedLead(t, ws, { firstTouchAt: daysAgo(100 + i), campaignId: show });
    for (let i = 0; i < 8; i++) await seedLead(t, ws, { firstTouchAt: daysAgo(100 + i), campaignId: mail });
    const rates = (await admin.api.get<PlannerRatesDto>('/api/planning/rates')).body;
    expect(rates.channels.map((c) => [c.channel, c.costPerLeadMinor, c.share, c.isDefault])).toEqual([
      ['email', 1_250, 0.8, false],
      ['trade_show', 50_000, 0.2, false],
    ]);
    const plan = async (costPerLeadMinor?: Record<string, number>) =>
      (
        await admin.api.post<BackwardsPlanDto>('/api/planning/backwards', {
          targetMinor: 100_000_000,
          months: 12,
          overrides: {
            avgDealMinor: 500_000,
            leadToQualified: 0.25,
            qualifiedToQuote: 0.4,
            costPerLeadMinor,
          },
        })
      ).body;
    // 10,000 leads: 8,000 by e-mail at 12.50, 2,000 from trade shows at 500.00.
    const measured = await plan();
    expect(measured.channels.map((c) => [c.channel, Math.round(c.leads), c.budgetMinor])).toEqual([
      ['email', 8_000, 10_000_000],
      ['trade_show', 2_000, 100_000_000],
    ]);
    expect(measured.budgetMinor).toBe(110_000_000);
    // A typed cost replaces that channel's only; the mix stays the measured one.
    const typed = await plan({ trade_show: 25_000 });
    expect(typed.channels.map((c) => [c.channel, c.costPerLeadMinor, c.budgetMinor, c.isDefault])).toEqual([
      ['email', 1_250, 10_000_000, false],
      ['trade_show', 25_000, 50_000_000, false],
    ]);
  });

  it('measures conversion from the workspace’s contacts once there are enough of them', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    // 40 contacts first touched in the last year: 20 stayed leads, 20 reached sql.
    for (let i = 0; i < 40; i++) {
      await seedContact(t, ws, { firstTouchAt: daysAgo(30 + i), stage: i < 20 ? 'lead' : 'sql' });
    }
    const rates = (await admin.api.get<PlannerRatesDto>('/api/planning/rates')).body;
    expect(rates.leadToQualified.isDefault).toBe(false);
    expect(rates.leadToQualified.value).toBeCloseTo(0.5);
    // Another workspace measures nothing of it.
    const other = await createWorkspace(t);
    expect((await other.api.get<PlannerRatesDto>('/api/planning/rates')).body.leadToQualified.isDefault).toBe(
      true,
    );
  });

  it('works forwards month by month, reinvesting a share of last year’s revenue, with the cycle as lag', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    // 12 won deals of 10,000.00 in the last year: 120,000.00, 10,000.00 a month.
    for (let i = 0; i < 12; i++)
      await seedDeal(t, admin, { amountMinor: 1_000_000, wonAt: daysAgo(20 + i * 25) });
    // Deals of another workspace and older deals do not count.
    await seedDeal(t, admin, { amountMinor: 9_999_999, wonAt: daysAgo(400) });
    const other = await createWorkspace(t);
    await seedDeal(t, other, { amountMinor: 7_777_777, wonAt: daysAgo(10) });

    const res = await admin.api.post<ForwardsPlanDto>('/api/planning/forwards', {
      mode: 'reinvest',
      reinvestPercent: 10,
      months: 12,
      overrides: {
        costPerLeadMinor: { email: 1_000 },
        cycleDays: 61,
        leadToQualified: 0.5,
        qualifiedToQuote: 1,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const f = res.body;
    expect(f.lastPeriodRevenueMinor).toBe(12_000_000);
    expect(f.rates.avgDealMinor.value).toBe(1_000_000);
    expect(f.lagMonths).toBe(2);
    expect(f.months).toHaveLength(12);
    expect(f.months[0]!.month).toBe('2026-07');
    // Month 1 reinvests 10 % of the monthly average: 1,000.00 → 100 leads at 10.00.
    expect(f.months[0]!.budgetMinor).toBe(100_000);
    expect(f.months[0]!.leads).toBeCloseTo(100);
    // The first cycle's revenue is the deals in flight; month 3 closes month 1's leads:
    // 100 leads × 0.5 × 1 × 0.2 = 10 orders = 100,000.00.
    expect(f.months[0]!.revenueMinor).toBe(1_000_000);
    expect(f.months[2]!.orders).toBeCloseTo(10);
    expect(f.months[2]!.revenueMinor).toBe(10_000_000);

    const budget = await admin.api.post<ForwardsPlanDto>('/api/planning/forwards', {
      mode: 'budget',
      monthlyBudgetMinor: 500_000,
      months: 24,
      overrides: { costPerLeadMinor: { email: 1_000 } },
    });
    expect(budget.status, JSON.stringify(budget.body)).toBe(200);
    expect(budget.body.months).toHaveLength(24);
    expect(budget.body.months.every((m) => m.budgetMinor === 500_000)).toBe(true);
  });

  it('refuses bad input with 400 naming the field', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const cases: [string, unknown, string][] = [
      ['/api/planning/backwards', { targetMinor: -1, months: 12 }, 'targetMinor'],
      ['/api/planning/backwards', { targetMinor: 100, months: 0 }, 'months'],
      [
        '/api/planning/backwards',
        { targetMinor: 100, months: 12, overrides: { quoteToWon: 1.5 } },
        'overrides.quoteToWon',
      ],
      ['/api/planning/backwards', { targetMinor: 100, months: 12, colour: 'red' }, 'colour'],
      ['/api/planning/forwards', { mode: 'budget', months: 30, monthlyBudgetMinor: 1 }, 'months'],
      ['/api/planning/forwards', { mode: 'budget', months: 12 }, 'monthlyBudgetMinor'],
      ['/api/planning/forwards', { mode: 'reinvest', months: 12 }, 'reinvestPercent'],
      ['/api/planning/forwards', { mode: 'spend', months: 12 }, 'mode'],
    ];
    for (const [url, body, field] of cases) {
      const res = await admin.api.post<ErrorBody>(url, body);
      expect(res.status, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(res.body)).toContain(field);
    }
  });

  it('is for admins, marketing and sales managers; reps and service are refused', async () => {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    for (const role of ['marketing', 'sales_manager'] as const) {
      const u = await addUser(t, ws, role);
      expect((await u.api.get('/api/planning/rates')).status).toBe(200);
    }
    for (const role of ['sales_rep', 'service'] as const) {
      const u = await addUser(t, ws, role);
      expect((await u.api.get('/api/planning/rates')).status).toBe(403);
      expect((await u.api.post('/api/planning/backwards', { targetMinor: 100, months: 12 })).status).toBe(
        403,
      );
    }
  });
});
