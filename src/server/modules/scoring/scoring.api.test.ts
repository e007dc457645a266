import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addUser, auditRows, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import {
  DEFAULT_SCORING_MODEL,
  type RecomputeDto,
  type ScoreExplanation,
  type ScoringModelDto,
} from '../../../contracts/scoring.ts';
import { recomputeScores } from './scoring.jobs.ts';

forEachBackend('scoring API', (t) => {
  it('serves the defaults, validates a model with field-level 400s, and lets only admins and marketing save', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const got = await rep.api.get<ScoringModelDto>('/api/scoring/model');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      version: 0,
      isDefault: true,
      model: { thresholds: { warm: 40, hot: 70 } },
    });

    expect((await rep.api.put('/api/scoring/model', DEFAULT_SCORING_MODEL)).status).toBe(403);
    const bad = await admin.api.put<{ error: { code: string; fields: Record<string, string> } }>(
      '/api/scoring/model',
      {
        ...DEFAULT_SCORING_MODEL,
        fit: [
          { id: 'a', label: 'Size', field: 'company.employees', op: 'contains', values: ['x'], points: 5 },
          { id: 'a', label: 'Market', field: 'country', op: 'in', values: [], points: 500 },
        ],
        thresholds: { warm: 80, hot: 70, mql: 70 },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['fit.1.points']));
    // Nothing was saved.
    expect((await admin.api.get<ScoringModelDto>('/api/scoring/model')).body.version).toBe(0);
    const bad2 = await admin.api.put<{ error: { fields: Record<string, string> } }>('/api/scoring/model', {
      ...DEFAULT_SCORING_MODEL,
      fit: [
        { id: 'a', label: 'Size', field: 'company.employees', op: 'contains', values: ['x'], points: 5 },
        { id: 'a', label: 'Market', field: 'country', op: 'in', values: [], points: 5 },
      ],
      thresholds: { warm: 80, hot: 70, mql: 70 },
    });
    expect(bad2.status).toBe(400);
    expect(bad2.body.error.fields).toMatchObject({
      'fit.0.op': expect.stringContaining('between'),
      'fit.1.id': 'is used by another rule',
      'fit.1.values': 'needs at least one value',
      'thresholds.hot': 'must be above the warm threshold',
    });
  });

  it('explains a score rule by rule, hides other workspaces’ contacts, and recomputes after a rule change, resuming after a crash', async () => {
    t.clock.set('2026-05-04T10:00:00Z');
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const company = await admin.api.post<{ id: string }>('/api/companies', {
      name: 'Müller GmbH',
      industry: 'Machinery',
      employees: 300,
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await admin.api.post<{ id: string }>('/api/contacts', {
        email: `p${i}@mueller.de`,
        country: i % 2 ? 'DE' : 'FR',
        title: 'Head of Purchasing',
        companyId: company.body.id,
      });
      ids.push(c.body.id);
    }
    await admin.api.post('/api/touches', { contactId: ids[0], type: 'form_submit' });
    const ex = await admin.api.get<ScoreExplanation>(`/api/contacts/${ids[0]}/score`);
    expect(ex.status).toBe(200);
    expect(ex.body).toMatchObject({ score: 40, temperature: 'warm', fit: 20, halfLifeDays: 30 });
    expect(ex.body.reasons.map((r) => [r.kind, r.rule, r.points])).toEqual([
      ['fit', 'company-size', 10],
      ['fit', 'decision-maker', 10],
      ['engagement', 'form_submit', 20],
    ]);
    expect((await other.api.get(`/api/contacts/${ids[0]}/score`)).status).toBe(404);

    // Marketing targets Germany and the machinery industry: a recompute with progress.
    const model = {
      ...DEFAULT_SCORING_MODEL,
      fit: DEFAULT_SCORING_MODEL.fit.map((r) =>
        r.id === 'target-market'
          ? { ...r, enabled: true, values: ['DE'] }
          : r.id === 'target-industry'
            ? { ...r, enabled: true, values: ['machinery'] }
            : r,
      ),
    };
    const saved = await admin.api.put<{ model: ScoringModelDto; recompute: RecomputeDto }>(
      '/api/scoring/model',
      model,
    );
    expect(saved.status).toBe(200);
    expect(saved.body.model.version).toBe(1);
    expect(saved.body.recompute).toMatchObject({ status: 'queued', total: 5, processed: 0 });
    const rcId = saved.body.recompute.id;
    // The worker dies after its first batch of two…
    expect(await recomputeScores(t.ctx, admin.workspaceId, rcId, { batchSize: 2, maxBatches: 1 })).toBe(2);
    const mid = await admin.api.get<{ recompute: RecomputeDto }>('/api/scoring/recomputes/latest');
    expect(mid.body.recompute).toMatchObject({ status: 'running', processed: 2, total: 5 });
    // …and the retry picks up after it: three more, none twice.
    expect(await recomputeScores(t.ctx, admin.workspaceId, rcId, { batchSize: 2 })).toBe(3);
    expect(await recomputeScores(t.ctx, admin.workspaceId, rcId, { batchSize: 2 })).toBe(0);
    const done = await admin.api.get<{ recompute: RecomputeDto }>('/api/scoring/recomputes/latest');
    expect(done.body.recompute).toMatchObject({ status: 'done', processed: 5, total: 5 });

    const rows = await sql<{ id: string; score: number; temperature: string }>`
      SELECT c.id, coalesce(s.score, 0) AS score, coalesce(s.temperature, 'cold') AS temperature
      FROM contacts c LEFT JOIN contact_scores s ON s.workspace_id = c.workspace_id AND s.contact_id = c.id
      WHERE c.workspace_id = ${admin.workspaceId} ORDER BY c.id`.execute(t.ctx.db);
    const byId = new Map(rows.rows.map((r) => [r.id, r]));
    expect(byId.get(ids[0]!)).toMatchObject({ score: 50, temperature: 'warm' }); // FR: 10 + 10 + 10 + 20
    expect(byId.get(ids[1]!)).toMatchObject({ score: 45, temperature: 'warm' }); // DE: 15 + 10 + 10 + 10
    const changes = (await auditRows(t, admin.workspaceId)).filter((r) => r.action === 'temperature_change');
    // ids[0] went cold → warm on its touch; the two German contacts turned warm in the recompute.
    expect(changes.map((c) => c.entity_id).sort()).toEqual([ids[0], ids[1], ids[3]].sort());
    expect((await auditRows(t, admin.workspaceId)).some((r) => r.action === 'scoring_model_update')).toBe(
      true,
    );
  });
});
