import { describe, expect, it } from 'vitest';
import {
  backwards,
  blendedCostPerLead,
  forwards,
  lagMonths,
  type PlannerRates,
  revenuePerBudget,
} from './planning.flywheel.ts';

const measured = (value: number) => ({ value, isDefault: false });

/** 1,000 leads → 250 qualified → 100 quotes → 20 orders of 5,000.00 EUR; 60-day cycle. */
function rates(over: Partial<PlannerRates> = {}): PlannerRates {
  return {
    currency: 'EUR',
    leadToQualified: measured(0.25),
    qualifiedToQuote: measured(0.4),
    quoteToWon: measured(0.2),
    avgDealMinor: measured(500_000),
    cycleDays: measured(61),
    repCapacity: measured(10),
    touchesPerWin: measured(8),
    channels: [
      { channel: 'trade_show', costPerLeadMinor: 20_000, share: 0.25, isDefault: false },
      { channel: 'email', costPerLeadMinor: 2_000, share: 0.75, isDefault: false },
    ],
    ...over,
  };
}

describe('flywheel planner', () => {
  it('works backwards from a revenue target to orders, quotes, leads per channel, budget and reps', () => {
    const plan = backwards(rates(), 100_000_000, 12); // 1,000,000.00 EUR in a year
    expect(plan.wins).toBeCloseTo(200);
    expect(plan.quotes).toBeCloseTo(1000);
    expect(plan.qualifiedLeads).toBeCloseTo(2500);
    expect(plan.leads).toBeCloseTo(10_000);
    expect(plan.touches).toBeCloseTo(1600);
    expect(plan.channels.map((c) => [c.channel, Math.round(c.leads), c.budgetMinor])).toEqual([
      ['trade_show', 2500, 50_000_000],
      ['email', 7500, 15_000_000],
    ]);
    expect(plan.budgetMinor).toBe(65_000_000);
    // 2,500 qualified leads over 12 months at 10 per rep-month: 20.8 → 21 reps.
    expect(plan.reps).toBe(21);
    expect(plan.leadMonthsAhead).toBe(2);
  });

  it('normalises channel shares that do not sum to one, and splits evenly when none are given', () => {
    const uneven = rates({
      channels: [
        { channel: 'a', costPerLeadMinor: 100, share: 2, isDefault: false },
        { channel: 'b', costPerLeadMinor: 300, share: 2, isDefault: false },
      ],
    });
    expect(blendedCostPerLead(uneven.channels)).toBe(200);
    const none = rates({
      channels: [
        { channel: 'a', costPerLeadMinor: 100, share: 0, isDefault: true },
        { channel: 'b', costPerLeadMinor: 300, share: 0, isDefault: true },
      ],
    });
    expect(blendedCostPerLead(none.channels)).toBe(200);
  });

  it('turns the cycle time into whole months of lag', () => {
    expect(lagMonths(0)).toBe(0);
    expect(lagMonths(14)).toBe(0);
    expect(lagMonths(16)).toBe(1);
    expect(lagMonths(61)).toBe(2);
    expect(lagMonths(365)).toBe(12);
  });

  it('forwards: leads arrive with the budget, quotes half a cycle later, orders and revenue one cycle later', () => {
    const r = rates({ cycleDays: measured(122) }); // 4 months
    const months = forwards(r, { mode: 'budget', monthlyBudgetMinor: 6_500_000, months: 12 });
    expect(months).toHaveLength(12);
    // 65,000.00 a month at a blended 65.00 per lead = 1,000 leads a month.
    for (const m of months) expect(m.leads).toBeCloseTo(1000);
    expect(months.map((m) => Math.round(m.quotes))).toEqual([
      0, 0, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
    ]);
    expect(months.map((m) => Math.round(m.orders))).toEqual([0, 0, 0, 0, 20, 20, 20, 20, 20, 20, 20, 20]);
    expect(months[4]!.revenueMinor).toBe(10_000_000);
    expect(months[3]!.revenueMinor).toBe(0);
  });

  it('backwards(forwards(budget)) gives back the budget that produced the revenue', () => {
    const r = rates();
    const lag = lagMonths(r.cycleDays.value);
    const budget = 3_000_000;
    const run = forwards(r, { mode: 'budget', monthlyBudgetMinor: budget, months: 24 });
    // Twelve months of steady state (after the first cycle) need twelve months of budget.
    const revenue = run.slice(lag, lag + 12).reduce((s, m) => s + m.revenueMinor, 0);
    const plan = backwards(r, revenue, 12);
    expect(plan.budgetMinor).toBeGreaterThan(12 * budget - 12);
    expect(plan.budgetMinor).toBeLessThan(12 * budget + 12);
    const leads = run.slice(0, 12).reduce((s, m) => s + m.leads, 0);
    expect(plan.leads).toBeCloseTo(leads, 2); // revenue is rounded to whole minor units each month
  });

  it('forwards(backwards(target)) reaches the target once the pipeline is full', () => {
    const r = rates({ cycleDays: measured(30) });
    const plan = backwards(r, 50_000_000, 12);
    const run = forwards(r, { mode: 'budget', monthlyBudgetMinor: plan.budgetMinor / 12, months: 13 });
    const revenue = run.slice(1, 13).reduce((s, m) => s + m.revenueMinor, 0);
    expect(Math.abs(revenue - 50_000_000)).toBeLessThanOrEqual(12);
  });

  it('reinvesting a share of revenue compounds one cycle at a time', () => {
    const r = rates({ cycleDays: measured(61) });
    const gain = revenuePerBudget(r); // revenue per unit of budget, a cycle later
    expect(gain).toBeCloseTo((0.02 * 500_000) / 6_500);
    const share = 0.3; // 0.3 × 1.538 ≈ 0.46: a shrinking loop
    const run = forwards(r, {
      mode: 'reinvest',
      reinvestShare: share,
      lastPeriodRevenueMinor: 120_000_000,
      lastPeriodMonths: 12,
      months: 24,
    });
    expect(run[0]!.budgetMinor).toBe(3_000_000); // 30 % of last period's 10,000,000 a month
    // Budget in month m is share × revenue(m-1) = share × gain × budget(m-1-lag).
    for (let m = 4; m < 24; m++) {
      const expected = share * gain * run[m - 1 - 2]!.budgetMinor;
      expect(Math.abs(run[m]!.budgetMinor - expected)).toBeLessThanOrEqual(2);
    }
    // A gain above 1/share grows the loop: more budget each cycle.
    const growing = forwards(r, {
      mode: 'reinvest',
      reinvestShare: 0.9,
      lastPeriodRevenueMinor: 120_000_000,
      lastPeriodMonths: 12,
      months: 24,
    });
    expect(0.9 * gain).toBeGreaterThan(1);
    expect(growing[23]!.budgetMinor).toBeGreaterThan(growing[6]!.budgetMinor);
    expect(run[23]!.budgetMinor).toBeLessThan(run[6]!.budgetMinor);
    // In the first cycle the deals in flight (last period's monthly average) fund the loop.
    expect(run[1]!.revenueMinor).toBe(10_000_000);
    expect(run[2]!.budgetMinor).toBe(3_000_000);
    expect(run[2]!.revenueMinor).toBe(Math.round(gain * 3_000_000));
  });

  it('refuses rates that make the funnel meaningless', () => {
    expect(() => backwards(rates({ avgDealMinor: measured(0) }), 1000, 12)).toThrow(/average deal/);
    expect(() => backwards(rates({ quoteToWon: measured(0) }), 1000, 12)).toThrow(/rate/);
    expect(() =>
      forwards(rates({ channels: [] }), { mode: 'budget', monthlyBudgetMinor: 10, months: 12 }),
    ).toThrow(/cost per lead/);
  });
});
