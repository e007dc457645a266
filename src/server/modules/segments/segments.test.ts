import { beforeEach, describe, expect, it } from 'vitest';
import { auditRows } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { SegmentDto, SegmentFieldDto, SegmentSnapshotDto } from '../../../contracts/segments.ts';
import { all, any, type SegmentWorld, segmentWorld } from './segments.fixtures.ts';

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const germans = all({ kind: 'field', field: 'country', op: 'eq', value: 'DE' });

forEachBackend('Segments API', (t) => {
  let w: SegmentWorld;
  beforeEach(async () => {
    w = await segmentWorld(t);
  });

  async function create(body: Record<string, unknown>): Promise<SegmentDto> {
    const res = await w.admin.api.post<SegmentDto>('/api/segments', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  it('saves, lists, changes and deletes segments, with audit rows', async () => {
    const seg = await create({ name: 'Germany', definition: germans });
    expect(seg.definition).toEqual(germans);
    const list = await w.admin.api.get<Page<SegmentDto>>('/api/segments?q=germ');
    expect(list.body.items.map((s) => s.id)).toEqual([seg.id]);
    const changed = await w.admin.api.patch<SegmentDto>(`/api/segments/${seg.id}`, {
      name: 'Germany VIPs',
      definition: all(...germans.conditions, { kind: 'field', field: 'tags', op: 'has_any', value: ['vip'] }),
    });
    expect(changed.status).toBe(200);
    expect((await w.admin.api.get<{ count: number }>(`/api/segments/${seg.id}/count`)).body.count).toBe(1);
    expect((await w.admin.api.delete(`/api/segments/${seg.id}`)).status).toBe(204);
    expect((await w.admin.api.get(`/api/segments/${seg.id}`)).status).toBe(404);
    const actions = (await auditRows(t, w.admin.workspaceId))
      .filter((r) => r.entity_type === 'segment')
      .map((r) => r.action);
    expect(actions).toEqual(['create', 'update', 'delete']);
  });

  it('counts an unsaved definition live, within what the caller may see', async () => {
    const def = any(germans, { kind: 'behaviour', touchTypes: ['content_view'] });
    const admin = await w.admin.api.post<{ count: number }>('/api/segments/count', { definition: def });
    expect(admin.body).toEqual({ count: 3 });
    // The rep sees only ann (owned) among the matches.
    const rep = await w.rep.api.post<{ count: number }>('/api/segments/count', { definition: def });
    expect(rep.body).toEqual({ count: 1 });
  });

  it('answers a bad definition with a 400 naming the condition and the problem', async () => {
    const unknown = await w.admin.api.post<ErrorBody>('/api/segments/count', {
      definition: all(any({ kind: 'field', field: 'shoe', op: 'eq', value: 'x' })),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual({
      'definition.conditions.0.conditions.0.field': 'names an unknown field "shoe"',
    });
    expect(unknown.body.error.message).toContain('definition.conditions.0.conditions.0.field');
    const wrongOp = await w.admin.api.post<ErrorBody>('/api/segments', {
      name: 'x',
      definition: all({ kind: 'field', field: 'tags', op: 'gt', value: 3 }),
    });
    expect(wrongOp.status).toBe(400);
    expect(Object.keys(wrongOp.body.error.fields ?? {})).toEqual(['definition.conditions.0.op']);
    const structural = await w.admin.api.post<ErrorBody>('/api/segments/count', {
      definition: {
        kind: 'group',
        match: 'all',
        conditions: [{ kind: 'field', field: 'email', op: 'resembles' }],
      },
    });
    expect(structural.status).toBe(400);
    expect((await w.admin.api.get<Page<SegmentDto>>('/api/segments')).body.items).toEqual([]);
  });

  it('refuses to save a segment that includes itself, directly or through another', async () => {
    const a = await create({ name: 'A', definition: germans });
    const b = await create({ name: 'B', definition: all({ kind: 'membership', of: 'segment', id: a.id }) });
    const direct = await w.admin.api.patch<ErrorBody>(`/api/segments/${a.id}`, {
      definition: all({ kind: 'membership', of: 'segment', id: a.id }),
    });
    expect(direct.status).toBe(400);
    expect(direct.body.error.fields).toEqual({
      'definition.conditions.0': 'makes the segment include itself',
    });
    const through = await w.admin.api.patch<ErrorBody>(`/api/segments/${a.id}`, {
      definition: any(...germans.conditions, { kind: 'membership', of: 'segment', id: b.id }),
    });
    expect(through.status).toBe(400);
    expect(through.body.error.fields).toEqual({
      'definition.conditions.1': `makes the segment include itself (through ${b.id})`,
    });
    const stillA = await w.admin.api.get<SegmentDto>(`/api/segments/${a.id}`);
    expect(stillA.body.definition).toEqual(germans);
    // A segment another one names cannot be deleted.
    const del = await w.admin.api.delete<ErrorBody>(`/api/segments/${a.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('"B"');
  });

  it("lists a segment's contacts with the contact list's sorts and cursors, and exports them as CSV", async () => {
    const seg = await create({
      name: 'Acme',
      definition: all({ kind: 'field', field: 'company.name', op: 'eq', value: 'Acme' }),
    });
    const first = await w.admin.api.get<Page<ContactDto>>(
      `/api/segments/${seg.id}/contacts?sort=email&order=asc&limit=1`,
    );
    expect(first.body.items.map((c) => c.firstName)).toEqual(['ann']);
    expect(first.body.nextCursor).not.toBeNull();
    const next = await w.admin.api.get<Page<ContactDto>>(
      `/api/segments/${seg.id}/contacts?sort=email&order=asc&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(next.body.items.map((c) => c.firstName)).toEqual(['bob']);
    const csv = await w.admin.api.get<string>(`/api/segments/${seg.id}/export`);
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^tandemId,externalId,email/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[2])
        .sort(),
    ).toEqual(['ann@acme.example', 'bob@acme.example']);
    const exportRow = (await auditRows(t, w.admin.workspaceId)).find((r) => r.action === 'export');
    expect(exportRow?.diff).toMatchObject({ rows: 2, segmentId: seg.id });
    // A rep exports only what they may see.
    const repCsv = await w.rep.api.get<string>(`/api/segments/${seg.id}/export`);
    expect(repCsv.body.trim().split('\n')).toHaveLength(2);
  });

  it('freezes a snapshot that later changes leave alone', async () => {
    const seg = await create({ name: 'Germany', definition: germans });
    const snap = await w.admin.api.post<SegmentSnapshotDto>(`/api/segments/${seg.id}/snapshots`, {
      purpose: 'June mailing',
    });
    expect(snap.status).toBe(201);
    expect(snap.body.count).toBe(2);
    await w.admin.api.patch(`/api/contacts/${w.c.bob}`, { country: 'DE' });
    expect((await w.admin.api.get<{ count: number }>(`/api/segments/${seg.id}/count`)).body.count).toBe(3);
    const ids = await t.ctx.db
      .selectFrom('segment_snapshot_members')
      .select('contact_id')
      .where('snapshot_id', '=', snap.body.id)
      .execute();
    expect(ids.map((r) => r.contact_id).sort()).toEqual([w.c.ann, w.c.cyd].sort());
    const list = await w.admin.api.get<{ items: SegmentSnapshotDto[] }>(`/api/segments/${seg.id}/snapshots`);
    expect(list.body.items.map((s) => s.purpose)).toEqual(['June mailing']);
    expect((await w.rep.api.post(`/api/segments/${seg.id}/snapshots`, {})).status).toBe(403);
  });

  it('offers the fields of the workspace with their operators, custom ones included', async () => {
    const res = await w.admin.api.get<{ items: SegmentFieldDto[] }>('/api/segments/fields');
    const byName = new Map(res.body.items.map((f) => [f.field, f]));
    expect(byName.get('custom.region')).toMatchObject({
      type: 'enum',
      options: ['north', 'south'],
      custom: true,
    });
    expect(byName.get('company.custom.tier')?.entity).toBe('company');
    expect(byName.get('created_at')?.operators).toContain('in_last');
    expect(byName.get('lifecycle_stage')?.options).toContain('mql');
  });

  describe('permissions', () => {
    it('lets reps read and count but not define segments; workspaces never see each other', async () => {
      expect((await w.rep.api.post('/api/segments', { name: 'x', definition: germans })).status).toBe(403);
      const seg = await create({ name: 'Germany', definition: germans });
      expect((await w.rep.api.get(`/api/segments/${seg.id}`)).status).toBe(200);
      const repContacts = await w.rep.api.get<Page<ContactDto>>(`/api/segments/${seg.id}/contacts`);
      expect(repContacts.body.items.map((c) => c.firstName)).toEqual(['ann']);
    });
  });
});
