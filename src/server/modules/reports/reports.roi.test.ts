import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { DrillResultDto, ReportTableDto } from '../../../contracts/reports.ts';
import { newId } from '../../lib/ids.ts';
import { seedDeal, seedWorld, stageIds } from './reports.fixtures.ts';

const Q = 'from=2026-01-01&to=2026-06-30';

forEachBackend('roi and voice of the customer reports', (t) => {
  it('roi per campaign: cost, leads, SQLs, won, attributed revenue (model chosen), cost per lead/SQL, CAC, ROI', async () => {
    const admin = await createWorkspace(t);
    const { c } = await seedWorld(t, admin);
    const res = await admin.api.get<ReportTableDto>(`/api/reports/roi?${Q}&by=campaign&model=linear`);
    expect(res.status).toBe(200);
    const ads = res.body.rows.find((r) => r.campaign === 'Spring ads');
    // Leads c2 (sql) and c3 (won); linear revenue: a third of the 900.00 deal + all of the 300.00 one.
    expect(ads).toEqual({
      campaign: 'Spring ads',
      cost: 10_000,
      leads: 2,
      sqls: 2,
      won: 1,
      revenue: 60_000,
      cost_per_lead: 5_000,
      cost_per_sql: 5_000,
      cac: 10_000,
      roi: 5,
    });
    const none = res.body.rows.find((r) => r.campaign === null);
    expect(none).toMatchObject({ cost: 0, leads: 4, sqls: 2, won: 1, revenue: 60_000, roi: null });
    const first = await admin.api.get<ReportTableDto>(`/api/reports/roi?${Q}&model=first`);
    expect(first.body.rows.find((r) => r.campaign === 'Spring ads')).toMatchObject({ revenue: 30_000 });
    const drill = await admin.api.get<DrillResultDto>(
      `/api/reports/roi/records?${Q}&by=campaign&row=${encodeURIComponent('{"campaign":"Spring ads"}')}&column=sqls`,
    );
    expect(drill.body.items.map((i) => i.id).sort()).toEqual([c[2], c[3]].sort());
    const bad = await admin.api.get<{ error: { fields: Record<string, string> } }>(
      `/api/reports/roi?model=magic`,
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toContain('model');
  });

  it('voice: feedback by type and competitor over time, lost reasons, win rate against each competitor', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const stages = await stageIds(t, admin);
    const acme = newId('comp');
    await sql`INSERT INTO competitors (workspace_id, id, name) VALUES (${ws}, ${acme}, 'Acme')`.execute(
      t.ctx.db,
    );
    const at = (d: string) => new Date(`${d}T10:00:00Z`);
    const deals = [
      await seedDeal(t, ws, stages, {
        contactId: null,
        amountMinor: 100,
        createdAt: at('2026-01-02'),
        wonAt: at('2026-02-01'),
      }),
      await seedDeal(t, ws, stages, {
        contactId: null,
        amountMinor: 100,
        createdAt: at('2026-01-02'),
        lostAt: at('2026-02-02'),
      }),
      await seedDeal(t, ws, stages, {
        contactId: null,
        amountMinor: 100,
        createdAt: at('2026-01-02'),
        lostAt: at('2026-03-02'),
      }),
    ];
    for (const d of deals)
      await sql`INSERT INTO deal_competitors (workspace_id, deal_id, competitor_id) VALUES (${ws}, ${d}, ${acme})`.execute(
        t.ctx.db,
      );
    const fb = async (
      type: string,
      on: string,
      extra: { competitor?: string; reason?: string; deal?: string } = {},
    ) =>
      sql`INSERT INTO feedback_items (workspace_id, id, type, body, occurred_at, competitor_id, lost_reason, deal_id)
        VALUES (${ws}, ${newId('fbk')}, ${type}, 'said so', ${at(on)}, ${extra.competitor ?? null}, ${extra.reason ?? null}, ${extra.deal ?? deals[0]!})`.execute(
        t.ctx.db,
      );
    await fb('objection', '2026-01-10');
    await fb('objection', '2026-02-10');
    await fb('competitor_mention', '2026-02-11', { competitor: acme });
    await fb('price_feedback', '2026-02-02', { reason: 'price', deal: deals[1] });
    await fb('praise', '2025-12-01'); // before the period

    const byType = await admin.api.get<ReportTableDto>(`/api/reports/voice?${Q}&by=type&by=month`);
    expect(byType.body.rows.map((r) => [r.type, r.month, r.items])).toEqual(
      [
        ['objection', '2026-01', 1],
        ['objection', '2026-02', 1],
        ['competitor_mention', '2026-02', 1],
        ['price_feedback', '2026-02', 1],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
    );
    const vs = await admin.api.get<ReportTableDto>(`/api/reports/voice?${Q}&by=competitor`);
    expect(vs.body.rows.find((r) => r.competitor === 'Acme')).toEqual({
      competitor: 'Acme',
      items: 1,
      won: 1,
      lost: 2,
      win_rate: 1 / 3,
    });
    const reasons = await admin.api.get<ReportTableDto>(`/api/reports/voice?${Q}&by=lost_reason`);
    expect(reasons.body.rows.find((r) => r.lost_reason === 'price')).toMatchObject({ items: 1 });
    const drill = await admin.api.get<DrillResultDto>(
      `/api/reports/voice/records?${Q}&by=lost_reason&row=${encodeURIComponent('{"lost_reason":"price"}')}&column=items`,
    );
    expect(drill.body.items).toEqual([expect.objectContaining({ kind: 'deal', id: deals[1] })]);
  });
});
