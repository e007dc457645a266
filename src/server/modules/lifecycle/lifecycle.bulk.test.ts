import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { forEachBackend } from '../../../../test/harness.ts';
import { DEFAULT_SCORING_MODEL, type ScoringModel } from '../../../contracts/scoring.ts';
import { recomputeScores } from '../scoring/scoring.jobs.ts';
import { insertContacts, moveTo, ownerCounts, salesFloor } from './lifecycle.fixtures.ts';
import { type RouteMqlsData, routeMqls } from './lifecycle.service.ts';

/** Germany is a target market and MQL starts at 15: a German contact crosses on fit alone. */
const MODEL: ScoringModel = {
  ...DEFAULT_SCORING_MODEL,
  fit: DEFAULT_SCORING_MODEL.fit.map((r) =>
    r.id === 'target-market' ? { ...r, enabled: true, values: ['DE'] } : r,
  ),
  thresholds: { warm: 10, hot: 15, mql: 15 },
};

forEachBackend('lifecycle: MQLs made by a recompute', (t) => {
  it('moves every contact a rule change lifts over the threshold to mql set-based, and a job routes each once', async () => {
    t.clock.set('2026-05-04T10:00:00Z');
    const floor = await salesFloor(t, 2);
    const ws = floor.admin.workspaceId;
    const [lead, recycled, disqualified, sqlStage, deleted, subscriber] = await insertContacts(t, ws, 6, {
      country: 'DE',
    });
    const [french] = await insertContacts(t, ws, 1, { country: 'FR' });
    await moveTo(t, ws, recycled!, 'recycled', 'system', 'no budget');
    await moveTo(t, ws, disqualified!, 'disqualified', 'system', 'student');
    await moveTo(t, ws, sqlStage!, 'sql');
    await moveTo(t, ws, subscriber!, 'subscriber', 'system', 'newsletter only');
    await sql`UPDATE contacts SET deleted_at = now() WHERE workspace_id = ${ws} AND id = ${deleted}`.execute(
      t.ctx.db,
    );

    const saved = await floor.admin.api.put<{ recompute: { id: string } }>('/api/scoring/model', MODEL);
    expect(saved.status).toBe(200);
    await recomputeScores(t.ctx, ws, saved.body.recompute.id, { batchSize: 3 });

    const stages = await sql<{ id: string; lifecycle_stage: string; owner_id: string | null }>`
      SELECT id, lifecycle_stage, owner_id FROM contacts WHERE workspace_id = ${ws}`.execute(t.ctx.db);
    const stage = new Map(stages.rows.map((r) => [r.id, r.lifecycle_stage]));
    expect(stage.get(lead!)).toBe('mql');
    expect(stage.get(recycled!)).toBe('mql');
    expect(stage.get(subscriber!)).toBe('mql');
    // Automation never takes a contact out of disqualified, nor moves one back, nor wakes the deleted.
    expect(stage.get(disqualified!)).toBe('disqualified');
    expect(stage.get(sqlStage!)).toBe('sql');
    expect(stage.get(deleted!)).toBe('lead');
    expect(stage.get(french!)).toBe('lead');
    const moved = await sql<{ contact_id: string; from_stage: string; cause: string }>`
      SELECT contact_id, from_stage, cause FROM lifecycle_transitions
      WHERE workspace_id = ${ws} AND to_stage = 'mql' ORDER BY contact_id`.execute(t.ctx.db);
    expect(moved.rows).toEqual(
      [
        { contact_id: lead, from_stage: 'lead', cause: 'rule' },
        { contact_id: recycled, from_stage: 'recycled', cause: 'rule' },
        { contact_id: subscriber, from_stage: 'subscriber', cause: 'rule' },
      ].sort((a, b) => a.contact_id!.localeCompare(b.contact_id!)),
    );
    const audited = await sql<{ entity_id: string }>`
      SELECT entity_id FROM audit_log WHERE workspace_id = ${ws} AND action = 'contact.stage_changed'
        AND actor_label = 'scoring'`.execute(t.ctx.db);
    expect(audited.rows.map((r) => r.entity_id).sort()).toEqual([lead, recycled, subscriber].sort());

    // Routing is the job's: nobody owns the new MQLs until it runs, then each has one assignment.
    expect((await ownerCounts(t, ws)).size).toBe(0);
    const jobs = await sql<{ data: RouteMqlsData }>`
      SELECT data FROM pgboss.job WHERE name = 'routeNewMqls'`.execute(t.ctx.db);
    const queued = jobs.rows.flatMap((j) => j.data.contactIds);
    expect(queued.sort()).toEqual([lead, recycled, subscriber].sort());
    for (const j of jobs.rows) await routeMqls(t.ctx, j.data);
    for (const j of jobs.rows) await routeMqls(t.ctx, j.data); // a retry routes nobody twice
    const assignments = await sql<{ contact_id: string; user_id: string }>`
      SELECT contact_id, user_id FROM lead_assignments WHERE workspace_id = ${ws} AND ended_at IS NULL`.execute(
      t.ctx.db,
    );
    expect(assignments.rows.map((a) => a.contact_id).sort()).toEqual([lead, recycled, subscriber].sort());
    const reps = new Set(floor.reps.map((r) => r.userId));
    expect(assignments.rows.every((a) => reps.has(a.user_id))).toBe(true);
    const tasks = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tasks WHERE workspace_id = ${ws} AND status = 'open'`.execute(t.ctx.db);
    expect(tasks.rows[0]!.n).toBeGreaterThanOrEqual(3); // each routed lead's playbook started
  });
});
