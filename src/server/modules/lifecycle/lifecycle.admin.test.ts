import { expect, it } from 'vitest';
import { addUser, auditRows, createTeam } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type {
  LifecycleSettings,
  OverflowItemDto,
  PlaybookDto,
  RepDto,
  RoutingRuleDto,
  TaskDto,
} from '../../../contracts/lifecycle.ts';
import { all, storeSegment } from '../segments/segments.fixtures.ts';
import { insertContacts, moveTo, ownerCounts, salesFloor } from './lifecycle.fixtures.ts';

type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

/** What the Routing, Playbooks and Lead settings pages need from the server, on both engines. */
forEachBackend('routing and playbook administration', (t) => {
  it('takes a rep out of the round-robin (routingActive) without deactivating them, audit-logged', async () => {
    const { admin, reps, manager } = await salesFloor(t, 2);
    const off = await admin.api.put<RepDto>(`/api/lifecycle/reps/${reps[0]!.userId}`, {
      routingActive: false,
      weight: 3,
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({ routingActive: false, weight: 3, active: true });

    const ids = await insertContacts(t, admin.workspaceId, 4);
    for (const id of ids) await moveTo(t, admin.workspaceId, id, 'mql');
    const counts = await ownerCounts(t, admin.workspaceId);
    expect(counts.get(reps[0]!.userId) ?? 0).toBe(0);
    expect(counts.get(reps[1]!.userId)).toBe(4);
    expect(counts.get(manager.userId) ?? 0).toBe(0);

    const list = await admin.api.get<{ items: RepDto[] }>('/api/lifecycle/reps');
    const byId = new Map(list.body.items.map((r) => [r.userId, r]));
    expect(byId.get(reps[0]!.userId)?.routingActive).toBe(false);
    expect(byId.get(reps[1]!.userId)).toMatchObject({ routingActive: true, assignedThisMonth: 4 });
    const audit = await auditRows(t, admin.workspaceId);
    expect(audit.some((a) => a.action === 'rep.routing_set' && a.entity_id === reps[0]!.userId)).toBe(true);

    // Bad input names the field; a rep may not change routing settings.
    const bad = await admin.api.put<ErrorBody>(`/api/lifecycle/reps/${reps[1]!.userId}`, { weight: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('weight');
    const forbidden = await reps[1]!.api.put(`/api/lifecycle/reps/${reps[1]!.userId}`, {
      routingActive: false,
    });
    expect(forbidden.status).toBe(403);
  });

  it("lists the managers' overflow queues for managers only, and the queue empties on reassignment", async () => {
    const { admin, reps, manager } = await salesFloor(t, 1);
    expect(
      (await admin.api.put(`/api/lifecycle/reps/${reps[0]!.userId}`, { monthlyCapacity: 1 })).status,
    ).toBe(200);
    t.clock.set('2026-05-04T09:00:00Z');
    const [first, second] = await insertContacts(t, admin.workspaceId, 2, { country: 'DE' });
    await moveTo(t, admin.workspaceId, first!, 'mql');
    await moveTo(t, admin.workspaceId, second!, 'mql');

    const queue = await manager.api.get<{ items: OverflowItemDto[] }>('/api/lifecycle/overflow');
    expect(queue.status, JSON.stringify(queue.body)).toBe(200);
    expect(queue.body.items).toHaveLength(1);
    expect(queue.body.items[0]).toMatchObject({
      contactId: second,
      managerId: manager.userId,
      breached: false,
    });
    expect(queue.body.items[0]!.ruleLabel).toContain('overflow');
    expect((await reps[0]!.api.get('/api/lifecycle/overflow')).status).toBe(403);

    // After the SLA window it shows as breached; once handed on it leaves the queue.
    t.clock.advance(25 * 3_600_000);
    const later = await admin.api.get<{ items: OverflowItemDto[] }>('/api/lifecycle/overflow');
    expect(later.body.items[0]?.breached).toBe(true);
    const handed = await manager.api.post(`/api/contacts/${second}/assign`, { userId: reps[0]!.userId });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect((await admin.api.get<{ items: OverflowItemDto[] }>('/api/lifecycle/overflow')).body.items).toEqual(
      [],
    );
  });

  it('lets a user mark their own absence and a manager mark a rep’s, but not a rep another’s', async () => {
    const { admin, reps, manager } = await salesFloor(t, 2);
    t.clock.set('2026-05-04T09:00:00Z');
    const own = await reps[0]!.api.put<RepDto>(`/api/lifecycle/reps/${reps[0]!.userId}/absence`, {
      awayFrom: '2026-05-04T00:00:00Z',
      awayUntil: '2026-05-11T00:00:00Z',
    });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body).toMatchObject({ away: true, awayUntil: '2026-05-11T00:00:00.000Z' });
    const other = await reps[0]!.api.put(`/api/lifecycle/reps/${reps[1]!.userId}/absence`, {
      awayUntil: '2026-05-11T00:00:00Z',
    });
    expect(other.status).toBe(403);
    const byManager = await manager.api.put<RepDto>(`/api/lifecycle/reps/${reps[1]!.userId}/absence`, {
      awayFrom: '2026-05-20T00:00:00Z',
      awayUntil: '2026-05-22T00:00:00Z',
    });
    expect(byManager.status).toBe(200);
    expect(byManager.body).toMatchObject({ away: false, awayFrom: '2026-05-20T00:00:00.000Z' });
    const backwards = await manager.api.put<ErrorBody>(`/api/lifecycle/reps/${reps[1]!.userId}/absence`, {
      awayFrom: '2026-05-22T00:00:00Z',
      awayUntil: '2026-05-20T00:00:00Z',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields).toHaveProperty('awayUntil');
    const audit = await auditRows(t, admin.workspaceId);
    expect(audit.filter((a) => a.action === 'user.absence_set')).toHaveLength(2);
  });

  it('varies a playbook by a saved segment: members get its steps, others the default', async () => {
    const { admin, reps } = await salesFloor(t, 1);
    const segmentId = await storeSegment(
      t,
      admin.workspaceId,
      all({ kind: 'field', field: 'email', op: 'contains', value: 'bigco' }),
    );
    const steps = [
      { key: 'exec_call', kind: 'task', type: 'call', title: 'Call the executive', dueInHours: 48 },
    ];
    const missing = await admin.api.post<ErrorBody>('/api/lifecycle/playbooks', {
      name: 'Key accounts',
      temperature: 'cold',
      segmentId: 'seg_nope',
      steps,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toHaveProperty('segmentId');
    const created = await admin.api.post<PlaybookDto>('/api/lifecycle/playbooks', {
      name: 'Key accounts',
      temperature: 'cold',
      segmentId,
      steps,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ segmentId, builtIn: false });

    const [member] = await insertContacts(t, admin.workspaceId, 1);
    await t.ctx.db
      .updateTable('contacts')
      .set({ email: 'cio@bigco.example' })
      .where('workspace_id', '=', admin.workspaceId)
      .where('id', '=', member!)
      .execute();
    const [other] = await insertContacts(t, admin.workspaceId, 1);
    await moveTo(t, admin.workspaceId, member!, 'mql');
    await moveTo(t, admin.workspaceId, other!, 'mql');
    const tasksOf = async (contactId: string) =>
      (await reps[0]!.api.get<{ items: TaskDto[] }>(`/api/tasks?contactId=${contactId}`)).body.items;
    expect((await tasksOf(member!)).map((x) => x.title)).toEqual(['Call the executive']);
    // Cold leads outside the segment get the shipped nurture steps: no tasks for the rep.
    expect(await tasksOf(other!)).toEqual([]);

    const dup = await admin.api.patch<ErrorBody>(`/api/lifecycle/playbooks/${created.body.id}`, {
      steps: [...steps, steps[0]],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.error.fields).toHaveProperty('steps');
    const cleared = await admin.api.patch<PlaybookDto>(`/api/lifecycle/playbooks/${created.body.id}`, {
      segmentId: null,
    });
    expect(cleared.body.segmentId).toBeNull();
  });

  it('edits the disqualification reasons and SLA settings, with field errors and an audit row', async () => {
    const { admin, reps } = await salesFloor(t, 1);
    const empty = await admin.api.patch<ErrorBody>('/api/lifecycle/settings', { disqualifyReasons: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toHaveProperty('disqualifyReasons');
    const tooFast = await admin.api.patch<ErrorBody>('/api/lifecycle/settings', { slaHours: 0 });
    expect(tooFast.body.error.fields).toHaveProperty('slaHours');
    const ok = await admin.api.patch<LifecycleSettings>('/api/lifecycle/settings', {
      disqualifyReasons: ['no_budget', 'Bought elsewhere'],
      slaHours: 8,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ disqualifyReasons: ['no_budget', 'Bought elsewhere'], slaHours: 8 });
    expect((await reps[0]!.api.patch('/api/lifecycle/settings', { slaHours: 2 })).status).toBe(403);
    const audit = await auditRows(t, admin.workspaceId);
    expect(audit.some((a) => a.action === 'lifecycle.settings_changed')).toBe(true);
    const marketer = await addUser(t, admin.workspaceId, 'marketing');
    const read = await marketer.api.get<LifecycleSettings>('/api/lifecycle/settings');
    expect(read.body.slaHours).toBe(8);
  });

  it('reorders routing rules as a whole list, first match wins, and refuses a partial or foreign list', async () => {
    const { admin, teamId, reps } = await salesFloor(t, 1);
    const otherTeam = await createTeam(t, admin.workspaceId, 'Germany');
    const german = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [otherTeam] });
    const de = await admin.api.post<RoutingRuleDto>('/api/lifecycle/routing-rules', {
      name: 'DACH',
      teamId: otherTeam,
      conditions: { countries: ['DE', 'AT', 'CH'] },
    });
    expect(de.status, JSON.stringify(de.body)).toBe(201);
    const rules = (await admin.api.get<{ items: RoutingRuleDto[] }>('/api/lifecycle/routing-rules')).body
      .items;
    expect(rules.map((r) => r.name)).toEqual(['Everyone', 'DACH']);
    const [first] = await insertContacts(t, admin.workspaceId, 1, { country: 'DE' });
    await moveTo(t, admin.workspaceId, first!, 'mql');
    expect((await ownerCounts(t, admin.workspaceId)).get(reps[0]!.userId)).toBe(1);

    const partial = await admin.api.put<ErrorBody>('/api/lifecycle/routing-rules/order', {
      ids: [de.body.id],
    });
    expect(partial.status).toBe(400);
    expect(partial.body.error.fields).toHaveProperty('ids');
    const foreign = await admin.api.put<ErrorBody>('/api/lifecycle/routing-rules/order', {
      ids: [de.body.id, 'rrl_elsewhere'],
    });
    expect(foreign.body.error.fields?.ids).toContain('rrl_elsewhere');
    const repeated = await admin.api.put<ErrorBody>('/api/lifecycle/routing-rules/order', {
      ids: [de.body.id, de.body.id],
    });
    expect(repeated.status).toBe(400);
    expect((await reps[0]!.api.put('/api/lifecycle/routing-rules/order', { ids: [] })).status).toBe(403);

    const ok = await admin.api.put<{ items: RoutingRuleDto[] }>('/api/lifecycle/routing-rules/order', {
      ids: [de.body.id, rules[0]!.id],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.items.map((r) => [r.name, r.position])).toEqual([
      ['DACH', 0],
      ['Everyone', 1],
    ]);
    const [second] = await insertContacts(t, admin.workspaceId, 1, { country: 'DE' });
    await moveTo(t, admin.workspaceId, second!, 'mql');
    expect((await ownerCounts(t, admin.workspaceId)).get(german.userId)).toBe(1);
    const audit = await auditRows(t, admin.workspaceId);
    expect(audit.some((a) => a.action === 'routing_rule.reordered')).toBe(true);

    // A size band upside down names the field inside the conditions; nothing is stored.
    const upside = await admin.api.post<ErrorBody>('/api/lifecycle/routing-rules', {
      name: 'Mid-market',
      teamId,
      conditions: { minEmployees: 500, maxEmployees: 50 },
    });
    expect(upside.status).toBe(400);
    expect(Object.keys(upside.body.error.fields ?? {}).join()).toContain('maxEmployees');
    const noTeam = await admin.api.post<ErrorBody>('/api/lifecycle/routing-rules', {
      name: 'X',
      teamId: 'team_nope',
    });
    expect(noTeam.body.error.fields).toHaveProperty('teamId');
    expect(
      (await admin.api.get<{ items: RoutingRuleDto[] }>('/api/lifecycle/routing-rules')).body.items,
    ).toHaveLength(2);
  });

  it('lets a sales manager mark absence only in their own teams', async () => {
    const { admin, manager } = await salesFloor(t, 1);
    const elsewhere = await createTeam(t, admin.workspaceId, 'Field sales');
    const outsider = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [elsewhere] });
    const denied = await manager.api.put(`/api/lifecycle/reps/${outsider.userId}/absence`, {
      awayUntil: '2030-01-01T00:00:00Z',
    });
    expect(denied.status).toBe(403);
    const marketer = await addUser(t, admin.workspaceId, 'marketing');
    expect(
      (
        await marketer.api.put(`/api/lifecycle/reps/${outsider.userId}/absence`, {
          awayUntil: '2030-01-01T00:00:00Z',
        })
      ).status,
    ).toBe(403);
    const byAdmin = await admin.api.put<RepDto>(`/api/lifecycle/reps/${outsider.userId}/absence`, {
      awayUntil: '2030-01-01T00:00:00Z',
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.away).toBe(true);
  });

  it('gives warm leads their own first-touch SLA when set, else the general one', async () => {
    const { admin } = await salesFloor(t, 2);
    t.clock.set('2026-05-04T09:00:00Z');
    const warmLead = async () => {
      const [id] = await insertContacts(t, admin.workspaceId, 1);
      await t.ctx.db
        .insertInto('contact_scores')
        .values({ workspace_id: admin.workspaceId, contact_id: id!, score: 25, temperature: 'warm' })
        .execute();
      await moveTo(t, admin.workspaceId, id!, 'mql');
      const row = await t.ctx.db
        .selectFrom('lead_assignments')
        .select('sla_due_at')
        .where('workspace_id', '=', admin.workspaceId)
        .where('contact_id', '=', id!)
        .executeTakeFirstOrThrow();
      return new Date(row.sla_due_at).toISOString();
    };
    expect(await warmLead()).toBe('2026-05-05T09:00:00.000Z');
    const set = await admin.api.patch<LifecycleSettings>('/api/lifecycle/settings', { slaWarmHours: 4 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ slaHours: 24, slaWarmHours: 4, slaHotHours: 1 });
    expect(await warmLead()).toBe('2026-05-04T13:00:00.000Z');
    const bad = await admin.api.patch<ErrorBody>('/api/lifecycle/settings', { slaWarmHours: -2 });
    expect(bad.body.error.fields).toHaveProperty('slaWarmHours');
  });
});
