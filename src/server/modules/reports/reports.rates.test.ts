import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addUser, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import { seedCampaign, seedContact, seedDeal, seedTouches, stageIds } from './reports.fixtures.ts';
import { measuredRates, RATE_DEFAULTS } from './reports.rates.ts';

const JAN = new Date('2026-01-01T00:00:00Z');
const APR = new Date('2026-04-01T00:00:00Z');
const day = (n: number) => new Date(JAN.getTime() + n * 86_400_000);

forEachBackend('measured rates', (t) => {
  it('falls back to the source documents’ defaults, labelled, when the workspace has no history', async () => {
    const admin = await createWorkspace(t);
    const r = await measuredRates(t.ctx, admin.workspaceId, { from: JAN, to: APR });
    expect(r.conversion.opportunityToWon).toEqual({ value: 0.2, isDefault: true, sample: 0 });
    expect(r.qualifiedLeadsPerRepPerMonth).toMatchObject({ value: 10, isDefault: true });
    expect(r.touchesToClose).toMatchObject({ value: 8, isDefault: true });
    expect(r.medianCycleDays).toMatchObject({ value: RATE_DEFAULTS.cycleDays, isDefault: true });
    expect(r.leadsPerMonth).toMatchObject({ value: 0, isDefault: false });
  });

  it('measures conversion by cohort, won deal size in the reporting currency, cycle, touches, cost per lead and capacity', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const rep = await addUser(t, ws, 'sales_rep');
    await addUser(t, ws, 'sales_rep');
    const stages = await stageIds(t, admin);
    await sql`INSERT INTO exchange_rates (workspace_id, base, quote, on_date, rate)
      VALUES (${ws}, 'EUR', 'USD', '2026-01-01', 1.5)`.execute(t.ctx.db);
    const ads = await seedCampaign(t, ws, {
      name: 'Ads',
      channel: 'ads',
      costMinor: 60_000,
      on: '2026-01-10',
    });
    await seedCampaign(t, ws, {
      name: 'Show',
      channel: 'trade_show',
      costMinor: 90_000,
      on: '2026-02-10',
      currency: 'EUR',
    });
    // 100 leads in Q1: 60 reach mql, 40 sql, 30 opportunity (a deal), 10 won. 20 came from the ads campaign.
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const stage = i < 10 ? 'customer' : i < 30 ? 'opportunity' : i < 40 ? 'sql' : i < 60 ? 'mql' : 'lead';
      ids.push(
        await seedContact(t, ws, {
          firstTouchAt: day(i % 60),
          stage: stage === 'customer' || stage === 'opportunity' ? 'sql' : stage,
          campaignId: i >= 80 ? ads : null,
          source: 'web',
        }),
      );
    }
    // A contact outside the period does not count.
    await seedContact(t, ws, { firstTouchAt: new Date('2025-12-31T23:00:00Z'), stage: 'customer' });
    for (let i = 0; i < 30; i++) {
      const won = i < 10;
      await seedDeal(t, ws, stages, {
        contactId: ids[i]!,
        amountMinor: i < 5 ? 100_00 : 200_00, // 5 × 100 USD, 5 × 200 EUR = 300 USD, then open deals
        currency: i < 5 ? 'USD' : 'EUR',
        createdAt: day(i % 60),
        wonAt: won ? day((i % 60) + 10 + i) : null,
        ownerId: rep.userId,
      });
    }
    // Touches before the win: deal contacts 0..9 get 3 touches each (one after the win, not counted).
    await seedTouches(
      t,
      ws,
      ids.slice(0, 10).flatMap((c, i) => [
        { contactId: c, at: new Date(day(i % 60).getTime() + 3600_000) },
        {
          contactId: c,
          at: new Date(day(i % 60).getTime() + 7200_000),
          type: 'call',
          direction: 'sales' as const,
        },
        { contactId: c, at: new Date(day((i % 60) + 10 + i).getTime() + 86_400_000) },
      ]),
    );
    const r = await measuredRates(t.ctx, ws, { from: JAN, to: APR });
    expect(r.currency).toBe('USD');
    expect(r.conversion.leadToMql).toEqual({ value: 0.6, isDefault: false, sample: 100 });
    expect(r.conversion.mqlToSql.value).toBeCloseTo(40 / 60, 10);
    expect(r.conversion.sqlToOpportunity.value).toBeCloseTo(30 / 40, 10);
    expect(r.conversion.opportunityToWon).toEqual({ value: 10 / 30, isDefault: false, sample: 30 });
    expect(r.conversion.leadToWon.value).toBeCloseTo(0.1, 10);
    expect(r.averageWonDealMinor).toEqual({ value: 200_00, isDefault: false, sample: 10 });
    // Cycle of won deal i is 10 + i days (first touch at day(i)): median of 10..19 = 14.5.
    expect(r.medianCycleDays).toEqual({ value: 14.5, isDefault: false, sample: 10 });
    expect(r.touchesToClose).toEqual({ value: 2, isDefault: false, sample: 10 });
    const byChannel = Object.fromEntries(r.costPerLeadByChannel.map((c) => [c.channel, c]));
    expect(byChannel.ads).toMatchObject({
      costMinor: 60_000,
      leads: 20,
      costPerLeadMinor: { value: 3000, isDefault: false },
    });
    expect(byChannel.trade_show).toMatchObject({
      costMinor: 135_000,
      leads: 0,
      costPerLeadMinor: { isDefault: true },
    });
    expect(byChannel.web).toMatchObject({ costMinor: 0, leads: 80 });
    expect(r.activeReps).toEqual({ value: 2, isDefault: false, sample: 2 });
    const months = (APR.getTime() - JAN.getTime()) / (30.4375 * 86_400_000);
    expect(r.leadsPerMonth.value).toBeCloseTo(100 / months, 10);
    expect(r.qualifiedLeadsPerRepPerMonth.value).toBeCloseTo(40 / months / 2, 10);
  });
});
