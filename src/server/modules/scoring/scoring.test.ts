import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { auditRows, createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import { DEFAULT_SCORING_MODEL, type ScoringModel } from '../../../contracts/scoring.ts';
import { applyScoreDecay, recomputeScores } from './scoring.jobs.ts';
import { explainScore, saveScoringModel } from './scoring.service.ts';

const DAY = 86_400_000;

async function newContact(u: TestUser, body: Record<string, unknown>): Promise<string> {
  const res = await u.api.post<{ id: string }>('/api/contacts', body);
  expect(res.status).toBe(201);
  return res.body.id;
}

async function touch(u: TestUser, contactId: string, type: string, occurredAt: Date | string): Promise<void> {
  const at = typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString();
  const res = await u.api.post('/api/touches', { contactId, type, occurredAt: at });
  expect(res.status).toBe(201);
}

async function scoreRow(t: TestBackend, ws: string, id: string) {
  const res = await sql<{
    score: number;
    temperature: string;
    score_fit: number;
    score_engagement: number;
    score_at: Date | null;
    score_due_at: Date | null;
  }>`SELECT coalesce(s.score, 0) AS score, coalesce(s.temperature, 'cold') AS temperature,
            coalesce(s.fit, 0) AS score_fit, coalesce(s.engagement, 0) AS score_engagement, s.score_at,
            s.due_at AS score_due_at
     FROM contacts c LEFT JOIN contact_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id
     WHERE c.workspace_id = ${ws} AND c.id = ${id}`.execute(t.ctx.db);
  const r = res.rows[0]!;
  return { ...r, score_engagement: Number(r.score_engagement) };
}

function actorOf(u: TestUser) {
  return {
    workspaceId: u.workspaceId,
    userId: u.userId,
    email: u.email,
    name: 'Admin',
    role: u.role,
    locale: 'en' as const,
    timeZone: 'UTC',
    teamIds: [],
    via: 'token' as const,
    sessionId: null,
  };
}

function withTargetMarket(countries: string[]): ScoringModel {
  return {
    ...DEFAULT_SCORING_MODEL,
    fit: DEFAULT_SCORING_MODEL.fit.map((r) =>
      r.id === 'target-market' ? { ...r, enabled: true, values: countries } : r,
    ),
  };
}

forEachBackend('scoring', (t) => {
  it('scores a touch and a field change in the same transaction, and records temperature changes', async () => {
    t.clock.set('2026-03-10T12:00:00Z');
    const admin = await createWorkspace(t);
    const id = await newContact(admin, {
      email: 'li@acme.cn',
      firstName: 'Li',
      title: 'Purchasing Director',
    });
    expect(await scoreRow(t, admin.workspaceId, id)).toMatchObject({
      score: 10,
      score_fit: 10,
      temperature: 'cold',
    });

    await touch(admin, id, 'form_submit', t.clock.now());
    expect(await scoreRow(t, admin.workspaceId, id)).toMatchObject({ score: 30, temperature: 'cold' });
    await touch(admin, id, 'email_reply', t.clock.now());
    const warm = await scoreRow(t, admin.workspaceId, id);
    expect(warm).toMatchObject({ score: 50, temperature: 'warm' });
    expect(warm.score_due_at).not.toBeNull();

    // A field arriving: a title no longer of a decision maker loses the fit points.
    const upd = await admin.api.patch(`/api/contacts/${id}`, { title: 'Intern' });
    expect(upd.status).toBe(200);
    expect(await scoreRow(t, admin.workspaceId, id)).toMatchObject({
      score: 40,
      score_fit: 0,
      temperature: 'warm',
    });

    const changes = (await auditRows(t, admin.workspaceId)).filter((r) => r.action === 'temperature_change');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ entity_type: 'contact', entity_id: id });
    expect(changes[0]!.diff).toMatchObject({
      temperature: { from: 'cold', to: 'warm' },
      score: { from: 30, to: 50 },
    });
    // The change shows in the contact's history (the audit-backed timeline).
    const history = await admin.api.get<{ items: { action: string }[] }>(`/api/contacts/${id}/history`);
    expect(history.body.items.map((i) => i.action)).toContain('temperature_change');
  });

  it('caps points per touch type and period, counting the earliest touches, whatever the arrival order', async () => {
    t.clock.set('2026-03-17T09:00:00Z');
    const admin = await createWorkspace(t);
    const id = await newContact(admin, { email: 'cap@acme.cn' });
    // Page views earn 2 each, at most 10 per 30-day period. Send 8 in one batch, newest first.
    const base = new Date('2026-03-17T00:00:00Z').getTime(); // inside one period
    const batch = Array.from({ length: 8 }, (_, i) => ({
      contactId: id,
      type: 'page_view',
      occurredAt: new Date(base + (8 - i) * 3_600_000).toISOString(),
    }));
    expect((await admin.api.post('/api/touches/batch', { touches: batch })).status).toBe(200);
    const after = await scoreRow(t, admin.workspaceId, id);
    expect(after.score).toBe(10);

    // A late, older page view in the same period displaces the latest capped one: still 10 points,
    // and the stored engagement equals a full recompute from the touch log.
    await touch(admin, id, 'page_view', new Date(base - 3_600_000));
    const incremental = await scoreRow(t, admin.workspaceId, id);
    const ex = await explainScore(t.ctx, admin.workspaceId, id);
    expect(ex.reasons).toEqual([
      expect.objectContaining({ kind: 'engagement', rule: 'page_view', points: 10, touches: 5 }),
    ]);
    expect(incremental.score_engagement).toBeCloseTo(ex.engagement, 0);
    await saveScoringModel(t.ctx, actorOf(admin), DEFAULT_SCORING_MODEL);
    const rc = await sql<{
      id: string;
    }>`SELECT id FROM score_recomputes WHERE workspace_id = ${admin.workspaceId}`.execute(t.ctx.db);
    await recomputeScores(t.ctx, admin.workspaceId, rc.rows[0]!.id);
    const full = await scoreRow(t, admin.workspaceId, id);
    expect(full.score_engagement).toBeCloseTo(incremental.score_engagement, 6);
  });

  it('cools a hot lead after enough half-lives, visiting only contacts that are due', async () => {
    t.clock.set('2026-04-01T00:00:00Z');
    const admin = await createWorkspace(t);
    await saveScoringModel(t.ctx, actorOf(admin), withTargetMarket(['DE']));
    const hot = await newContact(admin, { email: 'hot@acme.de', country: 'DE', title: 'CEO' });
    const cold = await newContact(admin, { email: 'cold@acme.de' });
    for (const type of ['form_submit', 'email_reply', 'meeting'])
      await touch(admin, hot, type, t.clock.now());
    await touch(admin, cold, 'email_open', t.clock.now());
    // fit 15 + 10, engagement 60: 85, hot.
    expect(await scoreRow(t, admin.workspaceId, hot)).toMatchObject({ score: 85, temperature: 'hot' });
    expect((await scoreRow(t, admin.workspaceId, cold)).score_due_at).toBeNull();
    // Reaching the MQL threshold (70) hands the lead to lifecycle, once; cooling never moves it back.
    const stageOf = async (id: string) =>
      (
        await sql<{ lifecycle_stage: string }>`SELECT lifecycle_stage FROM contacts WHERE id = ${id}`.execute(
          t.ctx.db,
        )
      ).rows[0]!.lifecycle_stage;
    expect(await stageOf(hot)).toBe('mql');
    expect(await stageOf(cold)).toBe('lead');

    // Nothing is due yet.
    expect(await applyScoreDecay(t.ctx)).toBe(0);
    // One half-life: 25 + 30 = 55, warm.
    t.clock.advance(30 * DAY);
    expect(await applyScoreDecay(t.ctx)).toBe(1);
    expect(await scoreRow(t, admin.workspaceId, hot)).toMatchObject({ score: 55, temperature: 'warm' });
    // Two more: 25 + 7.5 = 33 (rounded half up from 32.5), cold.
    t.clock.advance(60 * DAY);
    expect(await applyScoreDecay(t.ctx)).toBe(1);
    const cooled = await scoreRow(t, admin.workspaceId, hot);
    expect(cooled).toMatchObject({ score: 33, temperature: 'cold' });
    expect(cooled.score_due_at).toBeNull();
    t.clock.advance(365 * DAY);
    expect(await applyScoreDecay(t.ctx)).toBe(0);

    const temps = (await auditRows(t, admin.workspaceId))
      .filter((r) => r.action === 'temperature_change' && r.entity_id === hot)
      .map((r) => (r.diff as { temperature: { to: string } }).temperature.to);
    expect(temps).toEqual(['warm', 'hot', 'warm', 'cold']);
    expect(await stageOf(hot)).toBe('mql');
    const transitions = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM lifecycle_transitions WHERE contact_id = ${hot} AND to_stage = 'mql' AND cause = 'rule'`.execute(
      t.ctx.db,
    );
    expect(transitions.rows[0]!.n).toBe(1);
    const ex = await explainScore(t.ctx, admin.workspaceId, hot);
    expect(ex).toMatchObject({ score: 25, fit: 25, temperature: 'cold' });
    expect(ex.decay).toBeGreaterThan(59);
  });
});
