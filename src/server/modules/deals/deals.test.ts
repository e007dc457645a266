import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addUser, createTeam, createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import type { DealDto, PipelineDto } from '../../../contracts/deals.ts';
import type { ErrorBody } from '../contacts/records.fixtures.ts';
import { newContact } from '../contacts/records.fixtures.ts';
import { getDeal, moveDealToStage } from './deals.service.ts';

async function newDeal(u: TestUser, body: Record<string, unknown>): Promise<DealDto> {
  const res = await u.api.post<DealDto>('/api/deals', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function counts(t: TestBackend, ws: string) {
  const row = await sql<{
    deals: number;
    history: number;
    touches: number;
    feedback: number;
    audits: number;
  }>`
    SELECT (SELECT count(*)::int FROM deals WHERE workspace_id = ${ws}) AS deals,
           (SELECT count(*)::int FROM deal_stage_history WHERE workspace_id = ${ws}) AS history,
           (SELECT count(*)::int FROM touches WHERE workspace_id = ${ws}) AS touches,
           (SELECT count(*)::int FROM feedback_items WHERE workspace_id = ${ws}) AS feedback,
           (SELECT count(*)::int FROM audit_log WHERE workspace_id = ${ws} AND entity_type = 'deal') AS audits`.execute(
    t.ctx.db,
  );
  return row.rows[0]!;
}

forEachBackend('deals', (t) => {
  it('gives every workspace the default pipeline qualified → quote_sent → negotiation → won | lost with probabilities by order', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.get<PipelineDto[]>('/api/pipelines');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    const [p] = res.body;
    expect(p!.isDefault).toBe(true);
    expect(p!.stages.map((s) => [s.key, s.kind, s.probability])).toEqual([
      ['qualified', 'open', 25],
      ['quote_sent', 'open', 50],
      ['negotiation', 'open', 75],
      ['won', 'won', 100],
      ['lost', 'lost', 0],
    ]);
    // Asking twice does not make a second default pipeline.
    expect((await admin.api.get<PipelineDto[]>('/api/pipelines')).body).toHaveLength(1);
  });

  it('creates a deal with the contact’s company and first-touch campaign, in the reporting currency', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const contact = await newContact(admin.api, { email: 'buyer@example.com' });
    await t.ctx.db
      .updateTable('contacts')
      .set({ source_campaign_id: 'cmp_first' })
      .where('workspace_id', '=', ws)
      .where('id', '=', contact.id)
      .execute();
    const deal = await newDeal(admin, { name: 'Forklifts', contactId: contact.id, amountMinor: 1_250_000 });
    expect(deal).toMatchObject({
      stageKey: 'qualified',
      stageKind: 'open',
      contactId: contact.id,
      contactIds: [contact.id],
      sourceCampaignId: 'cmp_first',
      currency: 'USD',
      amountMinor: 1_250_000,
    });
    expect((await getDeal(t.ctx, { ...actorOf(admin) }, deal.id)).id).toBe(deal.id);
    expect(await counts(t, ws)).toMatchObject({ deals: 1, history: 1, audits: 1 });
  });

  it('moves a deal through stages with history, and won logs a deal_won touch on each contact', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const a = await newContact(admin.api, { email: 'a@example.com' });
    const b = await newContact(admin.api, { email: 'b@example.com' });
    const deal = await newDeal(admin, {
      name: 'Press',
      contactId: a.id,
      contactIds: [b.id],
      amountMinor: 500,
    });
    t.clock.advance(60_000);
    const moved = await t.ctx.db.transaction().execute((trx) =>
      moveDealToStage(trx, t.ctx, {
        workspaceId: ws,
        dealId: deal.id,
        stageKey: 'quote_sent',
        actorId: admin.userId,
      }),
    );
    expect(moved.stageKey).toBe('quote_sent');
    t.clock.advance(60_000);
    const won = await admin.api.post<DealDto>(`/api/deals/${deal.id}/move`, { stageKey: 'won' });
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    expect(won.body.stageKind).toBe('won');
    expect(won.body.wonAt).toBe(t.clock.now().toISOString());
    const history = await t.ctx.db
      .selectFrom('deal_stage_history')
      .select(['to_stage_id', 'actor_id', 'at'])
      .where('workspace_id', '=', ws)
      .where('deal_id', '=', deal.id)
      .orderBy('at')
      .execute();
    expect(history).toHaveLength(3);
    expect(history.every((h) => h.actor_id === admin.userId)).toBe(true);
    const touches = await sql<{
      contact_id: string;
      type: string;
      user_id: string;
      metadata: { dealId: string };
    }>`
      SELECT contact_id, type, user_id, metadata FROM touches WHERE workspace_id = ${ws} ORDER BY contact_id`.execute(
      t.ctx.db,
    );
    expect(touches.rows.map((r) => [r.contact_id, r.type, r.metadata.dealId]).sort()).toEqual(
      [
        [a.id, 'deal_won', deal.id],
        [b.id, 'deal_won', deal.id],
      ].sort(),
    );
    // Both contacts became customers, with the transition recorded by lifecycle.
    const stages = await t.ctx.db
      .selectFrom('contacts')
      .select(['id', 'lifecycle_stage'])
      .where('workspace_id', '=', ws)
      .orderBy('id')
      .execute();
    expect(stages.map((c) => c.lifecycle_stage)).toEqual(['customer', 'customer']);
    // The timeline shows both: the touches of its contacts and its stage changes.
    const tl = await admin.api.get<{ items: { kind: string }[] }>(`/api/deals/${deal.id}/timeline`);
    expect(tl.body.items.filter((i) => i.kind === 'touch')).toHaveLength(2);
    expect(tl.body.items.filter((i) => i.kind === 'stage')).toHaveLength(3);
    // Moving to the stage it is in changes nothing.
    const again = await admin.api.post<DealDto>(`/api/deals/${deal.id}/move`, { stageKey: 'won' });
    expect(again.status).toBe(200);
    expect((await counts(t, ws)).history).toBe(3);
  });

  it('refuses a stage from another pipeline, on create and on move, writing nothing', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const other = await admin.api.post<PipelineDto>('/api/pipelines', {
      name: 'Distributors',
      stages: [{ key: 'intro', name: 'Intro' }],
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const foreignStage = other.body.stages[0]!.id;
    const before = await counts(t, ws);
    const res = await admin.api.post<ErrorBody>('/api/deals', { name: 'X', stageId: foreignStage });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.stageId).toMatch(/not a stage of pipeline/);
    expect(await counts(t, ws)).toEqual(before);

    const deal = await newDeal(admin, { name: 'Y' });
    const mid = await counts(t, ws);
    const move = await admin.api.post<ErrorBody>(`/api/deals/${deal.id}/move`, { stageId: foreignStage });
    expect(move.status).toBe(400);
    expect(move.body.error.fields?.stageId).toMatch(/not a stage of pipeline/);
    const byKey = await admin.api.post<ErrorBody>(`/api/deals/${deal.id}/move`, { stageKey: 'intro' });
    expect(byKey.status).toBe(400);
    expect(byKey.body.error.fields?.stageKey).toMatch(/not a stage of pipeline/);
    expect(await counts(t, ws)).toEqual(mid);
    expect((await admin.api.get<DealDto>(`/api/deals/${deal.id}`)).body.stageKey).toBe('qualified');
    // The database refuses it too, whatever the code above does.
    await expect(
      t.ctx.db.updateTable('deals').set({ stage_id: foreignStage }).where('id', '=', deal.id).execute(),
    ).rejects.toThrow();
  });

  it('refuses negative amounts with a 400 naming the field', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.post<ErrorBody>('/api/deals', { name: 'Neg', amountMinor: -1 });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/amountMinor/);
    expect((await counts(t, admin.workspaceId)).deals).toBe(0);
    const deal = await newDeal(admin, { name: 'Ok', amountMinor: 10 });
    const patch = await admin.api.patch<ErrorBody>(`/api/deals/${deal.id}`, { amountMinor: -5 });
    expect(patch.status).toBe(400);
    expect((await admin.api.get<DealDto>(`/api/deals/${deal.id}`)).body.amountMinor).toBe(10);
  });

  it('refuses to win a deal without an amount when the workspace requires one, and nothing is written', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const contact = await newContact(admin.api, { email: 'c@example.com' });
    const deal = await newDeal(admin, { name: 'No amount', contactId: contact.id });
    // Not required by default: a second deal wins without an amount.
    const free = await newDeal(admin, { name: 'Free', contactId: contact.id });
    expect((await admin.api.post(`/api/deals/${free.id}/move`, { stageKey: 'won' })).status).toBe(200);
    const set = await admin.api.patch('/api/deal-settings', { requireAmountOnWon: true });
    expect(set.status).toBe(200);
    const before = await counts(t, ws);
    const res = await admin.api.post<ErrorBody>(`/api/deals/${deal.id}/move`, { stageKey: 'won' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.amountMinor).toMatch(/needs an amount/);
    expect(await counts(t, ws)).toEqual(before);
    const direct = await admin.api.post<ErrorBody>('/api/deals', { name: 'Direct', stageKey: 'won' });
    expect(direct.status).toBe(400);
    expect(await counts(t, ws)).toEqual(before);
    await admin.api.patch(`/api/deals/${deal.id}`, { amountMinor: 100 });
    expect((await admin.api.post(`/api/deals/${deal.id}/move`, { stageKey: 'won' })).status).toBe(200);
  });

  it('needs a lost reason from the list to lose a deal, and feeds the voice of the customer', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const contact = await newContact(admin.api, { email: 'l@example.com' });
    const comp = await admin.api.post<{ id: string }>('/api/competitors', { name: 'Rival Co' });
    expect(comp.status).toBe(201);
    const deal = await newDeal(admin, {
      name: 'Lost one',
      contactId: contact.id,
      competitorIds: [comp.body.id],
      products: [{ name: 'Widget' }],
    });
    const missing = await admin.api.post<ErrorBody>(`/api/deals/${deal.id}/move`, { stageKey: 'lost' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields?.lostReason).toMatch(/required/);
    const bad = await admin.api.post<ErrorBody>(`/api/deals/${deal.id}/move`, {
      stageKey: 'lost',
      lostReason: 'weather',
    });
    expect(bad.status).toBe(400);
    const lost = await admin.api.post<DealDto>(`/api/deals/${deal.id}/move`, {
      stageKey: 'lost',
      lostReason: 'competitor',
      lostNote: 'They were cheaper',
    });
    expect(lost.status, JSON.stringify(lost.body)).toBe(200);
    expect(lost.body).toMatchObject({
      stageKind: 'lost',
      lostReason: 'competitor',
      lostNote: 'They were cheaper',
    });
    const items = await t.ctx.db
      .selectFrom('feedback_items')
      .select(['type', 'source', 'competitor_id', 'lost_reason', 'product_name', 'body'])
      .where('workspace_id', '=', ws)
      .orderBy('source')
      .execute();
    expect(items).toEqual([
      {
        type: 'competitor_mention',
        source: 'deal_competitor',
        competitor_id: comp.body.id,
        lost_reason: null,
        product_name: 'Widget',
        body: '',
      },
      {
        type: 'competitor_mention',
        source: 'deal_lost',
        competitor_id: comp.body.id,
        lost_reason: 'competitor',
        product_name: 'Widget',
        body: 'They were cheaper',
      },
    ]);
    const touches = await sql<{ type: string }>`SELECT type FROM touches WHERE workspace_id = ${ws}`.execute(
      t.ctx.db,
    );
    expect(touches.rows.map((r) => r.type)).toEqual(['deal_lost']);
  });

  it('reopens a closed deal only with a reason, recorded in the history and audit log', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const deal = await newDeal(admin, { name: 'Reopen', amountMinor: 1 });
    await admin.api.post(`/api/deals/${deal.id}/move`, { stageKey: 'won' });
    const before = await counts(t, ws);
    const res = await admin.api.post<ErrorBody>(`/api/deals/${deal.id}/move`, { stageKey: 'negotiation' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.reason).toMatch(/needs a reason/);
    expect(await counts(t, ws)).toEqual(before);
    const ok = await admin.api.post<DealDto>(`/api/deals/${deal.id}/move`, {
      stageKey: 'negotiation',
      reason: 'Customer cancelled the order',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ stageKey: 'negotiation', wonAt: null, lostAt: null });
    const last = await t.ctx.db
      .selectFrom('deal_stage_history')
      .select('reason')
      .where('workspace_id', '=', ws)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.reason).toBe('Customer cancelled the order');
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'diff'])
      .where('workspace_id', '=', ws)
      .where('entity_id', '=', deal.id)
      .where('action', '=', 'stage_change')
      .execute();
    expect(audit.map((a) => (a.diff as { reason?: string }).reason ?? null)).toContain(
      'Customer cancelled the order',
    );
  });

  it('lets reps see and move only the deals visibility allows; managers see their team’s; service cannot write', async () => {
    const admin = await createWorkspace(t);
    const ws = admin.workspaceId;
    const teamA = await createTeam(t, ws);
    const teamB = await createTeam(t, ws);
    const repA = await addUser(t, ws, 'sales_rep', { teamIds: [teamA] });
    const repB = await addUser(t, ws, 'sales_rep', { teamIds: [teamB] });
    const mgrA = await addUser(t, ws, 'sales_manager', { teamIds: [teamA] });
    const service = await addUser(t, ws, 'service');
    const mine = await newDeal(repA, { name: 'RepA deal' });
    expect(mine).toMatchObject({ ownerId: repA.userId, teamId: teamA });
    const theirs = await newDeal(repB, { name: 'RepB deal' });
    expect((await repA.api.get(`/api/deals/${theirs.id}`)).status).toBe(404);
    expect((await repA.api.post(`/api/deals/${theirs.id}/move`, { stageKey: 'negotiation' })).status).toBe(
      404,
    );
    expect((await repA.api.patch(`/api/deals/${theirs.id}`, { name: 'Mine now' })).status).toBe(404);
    const listA = await repA.api.get<{ items: DealDto[] }>('/api/deals');
    expect(listA.body.items.map((d) => d.id)).toEqual([mine.id]);
    const listMgr = await mgrA.api.get<{ items: DealDto[] }>('/api/deals');
    expect(listMgr.body.items.map((d) => d.id)).toEqual([mine.id]);
    const listAdmin = await admin.api.get<{ items: DealDto[] }>('/api/deals');
    expect(listAdmin.body.items.map((d) => d.id).sort()).toEqual([mine.id, theirs.id].sort());
    expect((await mgrA.api.post(`/api/deals/${mine.id}/move`, { stageKey: 'negotiation' })).status).toBe(200);
    expect((await service.api.get(`/api/deals/${mine.id}`)).status).toBe(200);
    expect((await service.api.post(`/api/deals/${mine.id}/move`, { stageKey: 'won' })).status).toBe(403);
    // Another workspace never sees it.
    const other = await createWorkspace(t);
    expect((await other.api.get(`/api/deals/${mine.id}`)).status).toBe(404);
    // A rep may not hand a deal to someone else.
    const give = await repA.api.patch<ErrorBody>(`/api/deals/${mine.id}`, { ownerId: repB.userId });
    expect(give.status).toBe(403);
  });

  it('adds pipelines and stages: a new stage goes before won/lost with a probability between its neighbours', async () => {
    const admin = await createWorkspace(t);
    const [p] = (await admin.api.get<PipelineDto[]>('/api/pipelines')).body;
    const res = await admin.api.post<PipelineDto>(`/api/pipelines/${p!.id}/stages`, {
      key: 'demo',
      name: 'Demo',
      position: 1,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.stages.map((s) => [s.key, s.position, s.probability])).toEqual([
      ['qualified', 0, 25],
      ['demo', 1, 38],
      ['quote_sent', 2, 50],
      ['negotiation', 3, 75],
      ['won', 4, 100],
      ['lost', 5, 0],
    ]);
    const dup = await admin.api.post(`/api/pipelines/${p!.id}/stages`, { key: 'demo', name: 'Again' });
    expect(dup.status).toBe(409);
    const reserved = await admin.api.post<ErrorBody>(`/api/pipelines/${p!.id}/stages`, {
      key: 'won',
      name: 'Won2',
    });
    expect(reserved.status).toBe(400);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    expect((await rep.api.post('/api/pipelines', { name: 'Mine' })).status).toBe(403);
  });
});

function actorOf(u: TestUser) {
  return {
    workspaceId: u.workspaceId,
    userId: u.userId,
    email: u.email,
    name: 'x',
    role: u.role,
    locale: 'en' as const,
    timeZone: 'UTC',
    teamIds: [],
    via: 'token' as const,
    sessionId: null,
  };
}
