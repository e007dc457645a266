import { expect, it } from 'vitest';
import { addUser, auditRows, createTeam, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { AttainmentDto, QuotaBoardDto, QuotaDto } from '../../../contracts/planning.ts';
import type { ErrorBody } from '../contacts/records.fixtures.ts';
import { seedCompany, seedContact, seedDeal } from './planning.fixtures.ts';
import { evenQuarters, territoryFactors } from './planning.quotas.ts';

const NOW = new Date('2026-05-15T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

it('splits a year into quarters that sum to it and clamps territory factors', () => {
  expect(evenQuarters(10)).toEqual([2, 2, 2, 4]);
  expect(evenQuarters(0)).toEqual([0, 0, 0, 0]);
  expect(territoryFactors([4, 0])).toEqual([1.5, 0.5]);
  expect(territoryFactors([3, 1])).toEqual([1.5, 0.5]);
  expect(territoryFactors([2, 2, 2])).toEqual([1, 1, 1]);
  expect(territoryFactors([0, 0])).toEqual([1, 1]);
});

forEachBackend('quotas and attainment', (t) => {
  async function setUp() {
    t.clock.set(NOW);
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const team = await createTeam(t, ws, 'North');
    const manager = await addUser(t, ws, 'sales_manager', { teamIds: [team] });
    const ann = await addUser(t, ws, 'sales_rep', { teamIds: [team] });
    const bob = await addUser(t, ws, 'sales_rep');
    // Five won deals of 10,000.00 in the last year: a measured average deal size.
    for (let i = 0; i < 5; i++) await seedDeal(t, admin, { amountMinor: 1_000_000, wonAt: daysAgo(200 + i) });
    // Ann's territory: 3 contacts and a company; Bob has none (and a configured capacity of 5).
    for (let i = 0; i < 3; i++) await seedContact(t, ws, { firstTouchAt: daysAgo(500), ownerId: ann.userId });
    await seedCompany(t, ws, ann.userId);
    await t.ctx.db
      .insertInto('rep_settings')
      .values({ workspace_id: ws, user_id: bob.userId, monthly_capacity: 5 })
      .execute();
    return { admin, ws, team, manager, ann, bob };
  }

  it('suggests quotas from capacity × conversion × deal size, adjusted by territory, per rep and team', async () => {
    const { admin, team, ann, bob } = await setUp();
    const res = await admin.api.get<QuotaBoardDto>('/api/planning/quotas?year=2026');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const b = res.body;
    expect(b.rates.avgDealMinor).toEqual({ value: 1_000_000, isDefault: false });
    const byId = new Map(b.reps.map((r) => [r.userId, r]));
    // Ann: 10 qualified leads a month (default) × 12 × 1 (default sql → quote) × 0.2 × 10,000.00
    // = 240,000.00, × 1.5 for a territory of 4 against an average of 2.
    expect(byId.get(ann.userId)).toMatchObject({
      capacity: { value: 10, isDefault: true },
      territory: { contacts: 3, companies: 1, factor: 1.5 },
      suggestedMinor: 36_000_000,
      suggestedQuartersMinor: [9_000_000, 9_000_000, 9_000_000, 9_000_000],
      quota: null,
    });
    // Bob: a configured capacity of 5, half the territory factor floor.
    expect(byId.get(bob.userId)).toMatchObject({
      capacity: { value: 5, isDefault: false },
      territory: { factor: 0.5 },
      suggestedMinor: 6_000_000,
    });
    expect(b.teams).toEqual([
      {
        teamId: team,
        name: 'North',
        suggestedMinor: 36_000_000,
        suggestedQuartersMinor: [9_000_000, 9_000_000, 9_000_000, 9_000_000],
        quotaMinor: 0,
        quota: null,
      },
    ]);
  });

  it('lets managers edit and approve with an audit entry; reps cannot; bad input names the field', async () => {
    const { admin, ws, manager, ann } = await setUp();
    const url = `/api/planning/quotas/2026/${ann.userId}`;
    // A rep cannot approve quotas, not even their own.
    expect((await ann.api.put(url, { annualMinor: 1, approve: true })).status).toBe(403);

    const bad = await manager.api.put<ErrorBody>(url, {
      annualMinor: 1000,
      quartersMinor: [100, 100, 100, 100],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.quartersMinor).toMatch(/sum to annualMinor/);
    for (const [body, field] of [
      [{ annualMinor: -5 }, 'annualMinor'],
      [{ annualMinor: 10, quartersMinor: [1, 2, 3] }, 'quartersMinor'],
      [{ annualMinor: 10, bonus: 1 }, 'bonus'],
    ] as const) {
      const r = await manager.api.put<ErrorBody>(url, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(r.body.error.fields ?? {})).toContain(field);
    }
    expect((await manager.api.put<ErrorBody>('/api/planning/quotas/1900/x', { annualMinor: 1 })).status).toBe(
      400,
    );
    expect(await t.ctx.db.selectFrom('quotas').selectAll().where('workspace_id', '=', ws).execute()).toEqual(
      [],
    );

    const draft = await manager.api.put<QuotaDto>(url, { annualMinor: 4_000_000 });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body).toMatchObject({ annualMinor: 4_000_000, status: 'draft', approvedBy: null });
    expect(draft.body.quartersMinor).toEqual([1_000_000, 1_000_000, 1_000_000, 1_000_000]);
    const ok = await manager.api.put<QuotaDto>(url, {
      annualMinor: 4_000_000,
      quartersMinor: [500_000, 1_000_000, 1_000_000, 1_500_000],
      approve: true,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'approved',
      approvedBy: manager.userId,
      approvedAt: NOW.toISOString(),
    });
    const audit = (await auditRows(t, ws)).filter((a) => a.entity_type === 'quota');
    expect(audit.map((a) => [a.action, a.entity_id, a.actor_user_id])).toEqual([
      ['quota_set', `${ann.userId}/2026`, manager.userId],
      ['quota_approve', `${ann.userId}/2026`, manager.userId],
    ]);
    // An admin may too; the board shows the quota and the team total.
    expect((await admin.api.put(url, { annualMinor: 4_000_000, approve: true })).status).toBe(200);
    const board = (await manager.api.get<QuotaBoardDto>('/api/planning/quotas?year=2026')).body;
    expect(board.reps.find((r) => r.userId === ann.userId)?.quota?.status).toBe('approved');
    expect(board.teams[0]?.quotaMinor).toBe(4_000_000);
    // Only sales reps have quotas: a manager's own id, or an unknown one, is not found.
    expect(
      (await manager.api.put(`/api/planning/quotas/2026/${manager.userId}`, { annualMinor: 1 })).status,
    ).toBe(404);
  });

  it('keeps workspaces apart', async () => {
    const { ann } = await setUp();
    const other = await createWorkspace(t);
    const res = await other.api.put<ErrorBody>(`/api/planning/quotas/2026/${ann.userId}`, { annualMinor: 1 });
    expect(res.status).toBe(404);
    const board = (await other.api.get<QuotaBoardDto>('/api/planning/quotas?year=2026')).body;
    expect(board.reps).toEqual([]);
    expect((await other.api.get<AttainmentDto>('/api/planning/attainment?year=2026')).body.rows).toEqual([]);
  });

  it('shows attainment per rep: quota, won, pipeline and gap, by year or quarter; a rep sees their own', async () => {
    const { admin, manager, ann, bob } = await setUp();
    await manager.api.put(`/api/planning/quotas/2026/${ann.userId}`, {
      annualMinor: 4_000_000,
      quartersMinor: [500_000, 1_000_000, 1_000_000, 1_500_000],
      approve: true,
    });
    await seedDeal(t, admin, {
      amountMinor: 1_200_000,
      ownerId: ann.userId,
      wonAt: new Date('2026-04-10T10:00:00Z'),
    });
    await seedDeal(t, admin, {
      amountMinor: 300_000,
      ownerId: ann.userId,
      wonAt: new Date('2026-02-10T10:00:00Z'),
    });
    await seedDeal(t, admin, {
      amountMinor: 700_000,
      ownerId: ann.userId,
      wonAt: new Date('2025-12-10T10:00:00Z'),
    });
    await seedDeal(t, admin, { amountMinor: 500_000, ownerId: ann.userId });
    await seedDeal(t, admin, { amountMinor: 250_000, ownerId: bob.userId });

    const year = await manager.api.get<AttainmentDto>('/api/planning/attainment?year=2026');
    expect(year.status, JSON.stringify(year.body)).toBe(200);
    const a = year.body.rows.find((r) => r.userId === ann.userId);
    expect(a).toMatchObject({
      quotaMinor: 4_000_000,
      quotaStatus: 'approved',
      wonMinor: 1_500_000,
      pipelineMinor: 500_000,
      gapMinor: 2_500_000,
    });
    expect(year.body.rows.find((r) => r.userId === bob.userId)).toMatchObject({
      quotaMinor: null,
      wonMinor: 0,
      pipelineMinor: 250_000,
      gapMinor: null,
    });
    const q2 = (await manager.api.get<AttainmentDto>('/api/planning/attainment?year=2026&quarter=2')).body;
    expect(q2.rows.find((r) => r.userId === ann.userId)).toMatchObject({
      quotaMinor: 1_000_000,
      wonMinor: 1_200_000,
      gapMinor: -200_000,
    });
    const mine = (await ann.api.get<AttainmentDto>('/api/planning/attainment?year=2026')).body;
    expect(mine.rows.map((r) => r.userId)).toEqual([ann.userId]);
    const myBoard = (await ann.api.get<QuotaBoardDto>('/api/planning/quotas?year=2026')).body;
    expect(myBoard.reps.map((r) => r.userId)).toEqual([ann.userId]);
    expect(myBoard.teams).toEqual([]);
    expect(mine.teams).toEqual([]);
    const bad = await manager.api.get<ErrorBody>('/api/planning/attainment?quarter=5');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {})).toContain('quarter');
  });

  it('sets, approves and audits a team’s own quota by year and quarter, with the team’s attainment', async () => {
    const { admin, team, manager, ann } = await setUp();
    const url = `/api/planning/quotas/2026/teams/${team}`;
    // Reps do not set quotas; quarters must add up; an unknown team is not found.
    expect((await ann.api.put(url, { annualMinor: 1 })).status).toBe(403);
    const uneven = await manager.api.put<ErrorBody>(url, { annualMinor: 10, quartersMinor: [1, 2, 3, 5] });
    expect(uneven.status).toBe(400);
    expect(Object.keys(uneven.body.error.fields ?? {})).toEqual(['quartersMinor']);
    expect(
      (await manager.api.put('/api/planning/quotas/2026/teams/team_nope', { annualMinor: 1 })).status,
    ).toBe(404);
    expect(await t.ctx.db.selectFrom('team_quotas').selectAll().execute()).toEqual([]);

    const draft = await manager.api.put<QuotaDto>(url, { annualMinor: 8_000_000 });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body).toMatchObject({
      quartersMinor: [2_000_000, 2_000_000, 2_000_000, 2_000_000],
      status: 'draft',
    });
    const ok = await manager.api.put<QuotaDto>(url, {
      annualMinor: 8_000_000,
      quartersMinor: [1_000_000, 3_000_000, 2_000_000, 2_000_000],
      approve: true,
    });
    expect(ok.body).toMatchObject({ status: 'approved', approvedBy: manager.userId });
    const audit = (await auditRows(t, admin.workspaceId)).filter((r) => r.entity_type === 'team_quota');
    expect(audit.map((r) => r.action)).toEqual(['team_quota_set', 'team_quota_approve']);

    const board = (await manager.api.get<QuotaBoardDto>('/api/planning/quotas?year=2026')).body;
    const north = board.teams.find((x) => x.teamId === team);
    expect(north?.quota).toMatchObject({ annualMinor: 8_000_000, status: 'approved' });
    expect(north?.suggestedQuartersMinor.reduce((s, x) => s + x, 0)).toBe(north?.suggestedMinor);

    // Ann (in North) won 1,200.00 in Q2 and has 500.00 open: the team's Q2 is 3,000.00 against it.
    await seedDeal(t, admin, {
      amountMinor: 120_000,
      ownerId: ann.userId,
      wonAt: new Date('2026-04-10T10:00:00Z'),
    });
    await seedDeal(t, admin, { amountMinor: 50_000, ownerId: ann.userId });
    const q2 = (await manager.api.get<AttainmentDto>('/api/planning/attainment?year=2026&quarter=2')).body;
    expect(q2.teams).toEqual([
      {
        teamId: team,
        name: 'North',
        quotaMinor: 3_000_000,
        quotaStatus: 'approved',
        wonMinor: 120_000,
        pipelineMinor: 50_000,
        gapMinor: 2_880_000,
      },
    ]);
  });
});
