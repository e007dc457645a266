import { describe, expect, it } from 'vitest';
import { addUser, auditRows } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import { insertContacts, moveTo, ownerCounts, salesFloor } from './lifecycle.fixtures.ts';
import type { RoutingFacts, TeamRep } from './lifecycle.routing.repo.ts';
import { matchesRule, pickRep } from './lifecycle.routing.ts';

const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  id: 'ctc_1',
  owner_id: null,
  owner_active: null,
  team_id: null,
  country: 'DE',
  tags: [],
  custom: {},
  company_id: null,
  company_country: null,
  industry: 'Machinery',
  employees: 250,
  company_owner_id: null,
  company_owner_active: null,
  temperature: 'warm',
  ...over,
});

describe('routing rules and the round-robin pick', () => {
  it('matches territory, industry, company size and product interest; an empty rule matches everyone', () => {
    expect(matchesRule({}, facts())).toBe(true);
    expect(matchesRule({ countries: ['de', 'AT'] }, facts())).toBe(true);
    expect(matchesRule({ countries: ['CN'] }, facts())).toBe(false);
    expect(matchesRule({ countries: ['CN'] }, facts({ country: null, company_country: 'CN' }))).toBe(true);
    expect(matchesRule({ regions: ['dach'] }, facts({ custom: { region: 'DACH' } }))).toBe(true);
    expect(matchesRule({ industries: ['machinery'], minEmployees: 200, maxEmployees: 500 }, facts())).toBe(
      true,
    );
    expect(matchesRule({ minEmployees: 1000 }, facts())).toBe(false);
    expect(matchesRule({ products: ['pumps'] }, facts({ tags: ['product:pumps'] }))).toBe(true);
    expect(
      matchesRule({ products: ['pumps'] }, facts({ custom: { product_interest: 'valves, pumps' } })),
    ).toBe(true);
    expect(matchesRule({ products: ['pumps'] }, facts())).toBe(false);
  });

  it('skips absent, zero-weight and full reps, and prefers the lowest share relative to weight', () => {
    const now = new Date('2026-05-10T00:00:00Z');
    const rep = (id: string, weight: number, assigned: number, extra: Partial<TeamRep> = {}): TeamRep => ({
      user_id: id,
      weight,
      capacity: null,
      away_from: null,
      away_until: null,
      assigned,
      ...extra,
    });
    expect(pickRep([rep('a', 1, 1), rep('b', 2, 1)], now, 10)?.user_id).toBe('b');
    expect(pickRep([rep('a', 1, 0), rep('b', 2, 1)], now, 10)?.user_id).toBe('a');
    expect(
      pickRep(
        [
          rep('a', 1, 0, { away_from: new Date('2026-05-01'), away_until: new Date('2026-05-20') }),
          rep('b', 1, 5),
        ],
        now,
        10,
      )?.user_id,
    ).toBe('b');
    expect(pickRep([rep('a', 0, 0), rep('b', 1, 10)], now, 10)).toBeNull();
    expect(pickRep([rep('a', 1, 10, { capacity: 20 })], now, 10)?.user_id).toBe('a');
  });
});

forEachBackend('lead routing', (t) => {
  it('spreads 1,000 leads over 5 reps by weight, skipping the absent rep, each within one of its share', async () => {
    const floor = await salesFloor(t, 5);
    const { admin, reps } = floor;
    const weights = [1, 2, 3, 4, 5];
    for (const [i, r] of reps.entries()) {
      const res = await admin.api.put(`/api/lifecycle/reps/${r.userId}`, {
        weight: weights[i],
        monthlyCapacity: 1000,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // The weight-5 rep is away this month: the other four share by 1:2:3:4.
    t.clock.set('2026-05-02T08:00:00Z');
    const away = await reps[4]!.api.put(`/api/lifecycle/reps/${reps[4]!.userId}/absence`, {
      awayUntil: '2026-06-01T00:00:00Z',
    });
    expect(away.status, JSON.stringify(away.body)).toBe(200);

    const ids = await insertContacts(t, admin.workspaceId, 1000);
    for (const id of ids) await moveTo(t, admin.workspaceId, id, 'mql');

    const counts = await ownerCounts(t, admin.workspaceId);
    const expected = [100, 200, 300, 400, 0];
    for (const [i, r] of reps.entries()) {
      expect(Math.abs((counts.get(r.userId) ?? 0) - expected[i]!), `rep ${i}`).toBeLessThanOrEqual(1);
    }
    expect(counts.get(floor.manager.userId) ?? 0).toBe(0);
    const owners = await t.ctx.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', admin.workspaceId)
      .where('owner_id', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(owners.n)).toBe(0);
  }, 240_000);

  it('respects the monthly capacity (default 10), overflows to the manager, and starts afresh next month', async () => {
    const { admin, manager, reps } = await salesFloor(t, 3);
    t.clock.set('2026-05-20T08:00:00Z');
    const ids = await insertContacts(t, admin.workspaceId, 35);
    for (const id of ids) await moveTo(t, admin.workspaceId, id, 'mql');
    let counts = await ownerCounts(t, admin.workspaceId);
    for (const r of reps) expect(counts.get(r.userId)).toBe(10);
    expect(counts.get(manager.userId)).toBe(5);
    const overflow = await t.ctx.db
      .selectFrom('lead_assignments')
      .select(['kind', 'rule_label'])
      .where('workspace_id', '=', admin.workspaceId)
      .where('user_id', '=', manager.userId)
      .execute();
    expect(overflow.every((o) => o.kind === 'overflow' && o.rule_label.includes('overflow'))).toBe(true);

    t.clock.set('2026-06-01T08:00:00Z');
    const more = await insertContacts(t, admin.workspaceId, 3);
    for (const id of more) await moveTo(t, admin.workspaceId, id, 'mql');
    counts = await ownerCounts(t, admin.workspaceId);
    for (const r of reps) expect(counts.get(r.userId)).toBe(11);
  });

  it('sends a lead whose company has an owner to that owner, and audit-logs every assignment with its rule', async () => {
    const { admin, reps, teamId } = await salesFloor(t, 2);
    const company = await admin.api.post<{ id: string }>('/api/companies', {
      name: 'Kunshan Pumps',
      ownerId: reps[1]!.userId,
    });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
    const [viaAccount] = await insertContacts(t, admin.workspaceId, 1, { company_id: company.body.id });
    const [viaRule] = await insertContacts(t, admin.workspaceId, 1);
    await moveTo(t, admin.workspaceId, viaAccount!, 'mql');
    await moveTo(t, admin.workspaceId, viaRule!, 'mql');

    const owner = async (id: string) =>
      await t.ctx.db
        .selectFrom('contacts')
        .select(['owner_id', 'team_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect((await owner(viaAccount!)).owner_id).toBe(reps[1]!.userId);
    expect(await owner(viaRule!)).toEqual({ owner_id: reps[0]!.userId, team_id: teamId });

    const audit = (await auditRows(t, admin.workspaceId)).filter((a) => a.action === 'lead.assigned');
    expect(audit.map((a) => [a.entity_id, (a.diff as { rule: string }).rule])).toEqual([
      [viaAccount, 'account owner'],
      [viaRule, 'rule: Everyone'],
    ]);

    // A manager reassigns: the old assignment ends, a new one starts, and the log says who and why.
    const moved = await floorReassign(admin, viaRule!, reps[1]!.userId);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await owner(viaRule!)).owner_id).toBe(reps[1]!.userId);
    const re = (await auditRows(t, admin.workspaceId)).find((a) => a.action === 'lead.reassigned');
    expect(re?.diff).toMatchObject({
      ownerId: [reps[0]!.userId, reps[1]!.userId],
      rule: 'manual reassignment',
      reason: 'Speaks German',
    });
    const rows = await t.ctx.db
      .selectFrom('lead_assignments')
      .selectAll()
      .where('contact_id', '=', viaRule!)
      .orderBy('assigned_at')
      .execute();
    expect(rows.map((r) => [r.user_id, r.end_reason])).toEqual([
      [reps[0]!.userId, 'reassigned'],
      [reps[1]!.userId, null],
    ]);
  });

  it('never assigns a lead twice nor leaves one unassigned when requests race', async () => {
    const { admin, reps } = await salesFloor(t, 5);
    const weights = [1, 1, 2, 2, 4];
    for (const [i, r] of reps.entries()) {
      await admin.api.put(`/api/lifecycle/reps/${r.userId}`, { weight: weights[i], monthlyCapacity: 1000 });
    }
    const ids = await insertContacts(t, admin.workspaceId, 100);
    // Every lead is made an MQL by two requests at once, all 200 requests in flight together.
    const results = await Promise.all(
      ids.flatMap((id) => [1, 2].map(() => admin.api.post(`/api/contacts/${id}/stage`, { to: 'mql' }))),
    );
    expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    const perContact = await t.ctx.db
      .selectFrom('lead_assignments')
      .select(['contact_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', admin.workspaceId)
      .groupBy('contact_id')
      .execute();
    expect(perContact).toHaveLength(100);
    expect(perContact.every((r) => Number(r.n) === 1)).toBe(true);
    const unowned = await t.ctx.db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', admin.workspaceId)
      .where('owner_id', 'is', null)
      .execute();
    expect(unowned).toEqual([]);
    const counts = await ownerCounts(t, admin.workspaceId);
    const expected = [10, 10, 20, 20, 40];
    for (const [i, r] of reps.entries()) {
      expect(Math.abs((counts.get(r.userId) ?? 0) - expected[i]!), `rep ${i}`).toBeLessThanOrEqual(1);
    }
  }, 120_000);

  it('leaves a lead unassigned (and says so in the audit log) when no rule matches', async () => {
    const { admin } = await salesFloor(t, 1, { countries: ['CN'] });
    const [id] = await insertContacts(t, admin.workspaceId, 1, { country: 'DE' });
    await moveTo(t, admin.workspaceId, id!, 'mql');
    const audit = (await auditRows(t, admin.workspaceId)).map((a) => a.action);
    expect(audit).toContain('lead.unrouted');
    expect(await ownerCounts(t, admin.workspaceId)).toEqual(new Map());
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    expect(rep.userId).toBeTruthy();
  });
});

async function floorReassign(
  admin: { api: { post: (u: string, b: unknown) => Promise<{ status: number; body: unknown }> } },
  contactId: string,
  userId: string,
) {
  return admin.api.post(`/api/contacts/${contactId}/assign`, { userId, reason: 'Speaks German' });
}
