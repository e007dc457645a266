import { expect, it } from 'vitest';
import { addUser, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { DrillResultDto, ReportTableDto } from '../../../contracts/reports.ts';
import { creditSumsByDeal } from './reports.attribution.repo.ts';
import { seedWorld as world } from './reports.fixtures.ts';

const at = (s: string) => new Date(`${s}T00:00:00Z`);
const Q = 'from=2026-01-01&to=2026-06-30';

forEachBackend('reports', (t) => {
  it('funnel: cohort and period counts by source, conversions, drill-down, CSV', async () => {
    const admin = await createWorkspace(t);
    const { c } = await world(t, admin);
    const res = await admin.api.get<ReportTableDto>(`/api/reports/funnel?${Q}&by=source`);
    expect(res.status).toBe(200);
    const bySource = Object.fromEntries(res.body.rows.map((r) => [r.source, r]));
    expect(bySource.web).toMatchObject({
      lead: 4,
      mql: 2,
      sql: 2,
      opportunity: 2,
      customer: 1,
      lead_to_mql: 0.5,
    });
    expect(bySource.ads).toMatchObject({
      lead: 2,
      mql: 2,
      sql: 2,
      opportunity: 1,
      customer: 1,
      sql_to_opportunity: 0.5,
    });

    // Period mode: entries in February only (c3 mql 3 Feb, c0 won 4 Feb, c3 deal and win, c4–c5 leads).
    const feb = await admin.api.get<ReportTableDto>(
      '/api/reports/funnel?from=2026-02-01&to=2026-02-28&mode=period',
    );
    expect(feb.body.rows).toEqual([
      expect.objectContaining({ lead: 3, mql: 1, sql: 1, opportunity: 1, customer: 2 }),
    ]);

    const drill = await admin.api.get<DrillResultDto>(
      `/api/reports/funnel/records?${Q}&by=source&row=${encodeURIComponent('{"source":"web"}')}&column=sql`,
    );
    expect(drill.status).toBe(200);
    expect(drill.body.total).toBe(2);
    expect(drill.body.items.map((i) => i.id).sort()).toEqual([c[0], c[1]].sort());

    const csv = await admin.api.get<string>(`/api/reports/funnel/csv?${Q}&by=month`);
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'month,lead,mql,sql,opportunity,customer,lead_to_mql,mql_to_sql,sql_to_opportunity,opportunity_to_customer,lead_to_customer',
    );
    expect(lines.slice(1)).toEqual([
      '2026-01,3,3,3,2,1,1,1,0.6666666666666666,0.5,0.3333333333333333',
      expect.stringMatching(/^2026-02,3,1,/),
    ]);
  });

  it('velocity: days from first touch to each stage and in each stage', async () => {
    const admin = await createWorkspace(t);
    await world(t, admin);
    const res = await admin.api.get<ReportTableDto>(`/api/reports/velocity?${Q}`);
    const byStage = Object.fromEntries(res.body.rows.map((r) => [r.stage, r]));
    // mql: c0 2 days, c1 10, c2 40 (1 Mar − 20 Jan), c3 2 → sorted 2, 2, 10, 40.
    expect(byStage.mql).toMatchObject({ reached: 4, to_median: 6, to_mean: 13.5, to_p25: 2, to_p90: 31 });
    // customer: c0 30 days (5 Jan → 4 Feb), c3 24 days (1 Feb → 25 Feb).
    expect(byStage.customer).toMatchObject({ reached: 2, to_median: 27, to_mean: 27, completed: 0 });
    // opportunity time in stage: c0 15 Jan → 4 Feb = 20, c3 5 Feb → 25 Feb = 20; c1 still open.
    expect(byStage.opportunity).toMatchObject({ reached: 3, completed: 2, in_median: 20 });
  });

  it('touches-to-close: won deals by touches before the win, and cohort conversion by bucket', async () => {
    const admin = await createWorkspace(t);
    const { won, one } = await world(t, admin);
    const res = await admin.api.get<ReportTableDto>(`/api/reports/touches-to-close?${Q}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const byBucket = Object.fromEntries(res.body.rows.map((r) => [r.bucket, r]));
    expect(byBucket['3']).toMatchObject({ won_deals: 1, contacts: 1, customers: 1, share_of_won: 0.5 });
    expect(byBucket['1']).toMatchObject({ won_deals: 1, contacts: 1, customers: 1 });
    expect(byBucket['0']).toMatchObject({ won_deals: 0, contacts: 4, customers: 0, conversion: 0 });
    const drill = await admin.api.get<DrillResultDto>(
      `/api/reports/touches-to-close/records?${Q}&row=${encodeURIComponent('{"bucket":"3"}')}&column=won_deals`,
    );
    expect(drill.body.items.map((i) => i.id)).toEqual([won]);
    expect(one).toBeTruthy();
  });

  it('attribution: six models, credits sum to each deal amount, one touch gets 100 %', async () => {
    const admin = await createWorkspace(t);
    const { won, one } = await world(t, admin);
    const p = { from: at('2026-01-01'), to: at('2026-07-01') };
    const sums = await creditSumsByDeal(t.ctx.db, admin.workspaceId, 'USD', p, 7);
    expect(sums.map((s) => s.deal_id).sort()).toEqual([won, one].sort());
    for (const s of sums)
      for (const m of ['first', 'last', 'linear', 'u_shaped', 'w_shaped', 'time_decay'] as const)
        expect(s[m], `${s.deal_id} ${m}`).toBeCloseTo(s.amount, 6);

    const res = await admin.api.get<ReportTableDto>(`/api/reports/attribution?${Q}&by=channel`);
    expect(res.status).toBe(200);
    const ch = Object.fromEntries(res.body.rows.map((r) => [r.channel, r]));
    // The one-touch deal (300.00) goes wholly to ads under every model; the 3-touch deal (900.00):
    // first web, last phone, linear 300 each, U 40/20/40, W: first (web) + lead creation (form, web)
    // + opportunity creation (ad click on 8 Jan, the last touch before the deal) = 0.6/0.3, 0.1 on the call.
    expect(ch.ads).toMatchObject({
      first: 30_000,
      last: 30_000,
      linear: 60_000,
      u_shaped: 48_000,
      w_shaped: 57_000,
    });
    expect(ch.web).toMatchObject({
      first: 90_000,
      last: 0,
      linear: 30_000,
      u_shaped: 36_000,
      w_shaped: 54_000,
    });
    expect(ch.phone).toMatchObject({
      first: 0,
      last: 90_000,
      linear: 30_000,
      u_shaped: 36_000,
      w_shaped: 9_000,
    });
    // Time decay, half-life 7 days, before the 4 Feb win: 30, 27 and 15 days back.
    const w = [30, 27, 15].map((d) => 0.5 ** (d / 7));
    const total = w.reduce((a, b) => a + b, 0);
    expect(ch.phone!.time_decay).toBe(Math.round((90_000 * w[2]!) / total));
    const sumOf = (m: string) => res.body.rows.reduce((s, r) => s + Number(r[m]), 0);
    for (const m of ['first', 'last', 'linear', 'u_shaped', 'w_shaped', 'time_decay'])
      expect(Math.abs(sumOf(m) - 120_000)).toBeLessThanOrEqual(2);

    const drill = await admin.api.get<DrillResultDto>(
      `/api/reports/attribution/records?${Q}&by=channel&row=${encodeURIComponent('{"channel":"ads"}')}&column=linear`,
    );
    const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(drill.body.items.map((i) => [i.id, i.value]).sort(byId)).toEqual(
      [
        [one, 30_000],
        [won, 30_000],
      ].sort(byId),
    );
  });

  it('refuses bad queries with 4xx naming the field, and other roles', async () => {
    const admin = await createWorkspace(t);
    const bad = async (url: string, field: string) => {
      const r = await admin.api.get<{ error: { code: string; fields?: Record<string, string> } }>(url);
      expect(r.status, url).toBe(400);
      expect(Object.keys(r.body.error.fields ?? {}), url).toContain(field);
    };
    await bad('/api/reports/funnel?by=planet', 'by');
    await bad('/api/reports/funnel?from=2026-13-45', 'from');
    await bad('/api/reports/funnel?from=2026-03-01&to=2026-02-01', 'to');
    await bad('/api/reports/attribution?by=country', 'by');
    await bad('/api/reports/funnel/records?column=nothing', 'column');
    expect((await admin.api.get('/api/reports/nope')).status).toBe(400);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    expect((await rep.api.get('/api/reports/funnel')).status).toBe(403);
    const sla = await admin.api.get<ReportTableDto>('/api/reports/sla?by=team');
    expect(sla.status).toBe(200);
    expect(sla.body.columns[0]!.key).toBe('team');
  });
});
