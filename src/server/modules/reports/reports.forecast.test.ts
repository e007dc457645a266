import { expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { DrillResultDto, ReportTableDto } from '../../../contracts/reports.ts';
import { seedContact, seedDeal, stageIds } from './reports.fixtures.ts';

const at = (s: string) => new Date(`${s}T00:00:00Z`);

forEachBackend('forecast report', (t) => {
  it('weighted pipeline and funnel math month by month, and the backtest against what was won', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const stages = await stageIds(t, admin);
    const prob = await t.ctx.db
      .selectFrom('pipeline_stages')
      .select('probability')
      .where('id', '=', stages.qualified!.id)
      .executeTakeFirstOrThrow();
    const p = prob.probability / 100;
    const a = await seedDeal(t, ws, stages, {
      contactId: null,
      amountMinor: 100_000,
      createdAt: at('2026-03-01'),
    });
    await seedDeal(t, ws, stages, { contactId: null, amountMinor: 50_000, createdAt: at('2026-03-20') });
    const w = await seedDeal(t, ws, stages, {
      contactId: null,
      amountMinor: 30_000,
      createdAt: at('2026-01-10'),
      wonAt: at('2026-03-05'),
    });
    for (const [id, on] of [
      [a, '2026-05-15'],
      [w, '2026-03-20'],
    ] as const)
      await t.ctx.db.updateTable('deals').set({ expected_close_on: on }).where('id', '=', id).execute();
    await seedContact(t, ws, { firstTouchAt: at('2026-03-10'), source: 'web' });

    const res = await admin.api.get<ReportTableDto>('/api/reports/forecast?to=2026-03-31&months=3');
    expect(res.status).toBe(200);
    const rows = Object.fromEntries(res.body.rows.map((r) => [`${r.section} ${r.month}`, r]));
    // Too little history: configured probability, 90-day cycle, 20 % opportunity → won, lead → won
    // 0.5 × 0.6 × 1 × 0.2 = 6 %, average deal size over every deal (60,000).
    expect(rows['forecast 2026-04']).toMatchObject({ weighted: 0, funnel: 0, deals: 0, leads: 0 });
    expect(rows['forecast 2026-05']).toMatchObject({
      weighted: Math.round(100_000 * p),
      funnel: 20_000,
      deals: 1,
    });
    // B lands on creation + 90 days (18 June) both ways; the lead on first touch + 90 days (8 June).
    expect(rows['forecast 2026-06']).toMatchObject({
      weighted: Math.round(50_000 * p),
      funnel: 10_000 + 3_600,
      deals: 1,
      leads: 1,
    });
    // Made at 1 March for March: W was open (qualified, expected 20 March); 300.00 was won.
    expect(rows['backtest 2026-03']).toMatchObject({
      weighted: Math.round(30_000 * p),
      funnel: 0,
      actual: 30_000,
      weighted_error: Math.round(30_000 * p) - 30_000,
      funnel_error: -30_000,
    });
    expect(rows['backtest 2026-01']).toMatchObject({ weighted: 0, actual: 0 });

    // Drill-down: the records behind each figure, with the stage and the probability used; the
    // weighted figure is the sum of amount × probability over the records it lists.
    type Drill = DrillResultDto & { error?: { fields: Record<string, string> } };
    const drill = (section: string, month: string, column: string) =>
      admin.api.get<Drill>(
        `/api/reports/forecast/records?to=2026-03-31&months=3&column=${column}&row=${encodeURIComponent(
          JSON.stringify({ section, month }),
        )}`,
      );
    const may = await drill('forecast', '2026-05', 'weighted');
    expect(may.status, JSON.stringify(may.body)).toBe(200);
    expect(may.body.total).toBe(1);
    expect(may.body.items).toEqual([
      expect.objectContaining({ kind: 'deal', id: a, value: 100_000, stage: 'Qualified', probability: p }),
    ]);
    const sum = (d: DrillResultDto) =>
      Math.round(d.items.reduce((s, x) => s + (x.value ?? 0) * (x.probability ?? 0), 0));
    expect(sum(may.body)).toBe(rows['forecast 2026-05']!.weighted);
    const june = (await drill('forecast', '2026-06', 'funnel')).body;
    expect(june.items.map((x) => [x.kind, x.stage, x.probability])).toEqual([
      ['deal', 'Qualified', 0.2],
      ['contact', 'lead', expect.closeTo(0.06, 10)],
    ]);
    expect(sum(june)).toBe(rows['forecast 2026-06']!.funnel);
    expect((await drill('forecast', '2026-06', 'leads')).body.items.map((x) => x.kind)).toEqual(['contact']);
    expect((await drill('forecast', '2026-06', 'deals')).body.total).toBe(1);
    // The backtest made at 1 March counted W; what was actually won in March is W too.
    const march = (await drill('backtest', '2026-03', 'weighted')).body;
    expect(march.items.map((x) => x.id)).toEqual([w]);
    expect(sum(march)).toBe(rows['backtest 2026-03']!.weighted);
    const won = (await drill('backtest', '2026-03', 'actual')).body;
    expect(won.items.map((x) => [x.id, x.value])).toEqual([[w, 30_000]]);
    const badRow = await drill('soon', '2026-03', 'weighted');
    expect(badRow.status).toBe(400);
    expect(Object.keys(badRow.body.error?.fields ?? {})).toEqual(['row']);
    const badCol = await drill('forecast', '2026-05', 'weighted_error');
    expect(badCol.status).toBe(400);
    expect(Object.keys(badCol.body.error?.fields ?? {})).toEqual(['column']);

    const bad = await admin.api.get<{ error: { fields: Record<string, string> } }>(
      '/api/reports/forecast?months=40',
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toContain('months');
  });
});
