import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { forEachBackend } from '../../../../test/harness.ts';
import type { BehaviourCondition, SegmentNode } from '../../../contracts/segments.ts';
import { ValidationError } from '../../lib/errors.ts';
import { compileSegment } from './segments.compile.ts';
import { all, any, type SegmentWorld, segmentWorld, storeSegment } from './segments.fixtures.ts';

const f = (field: string, op: string, value?: unknown) =>
  ({ kind: 'field', field, op, value }) as SegmentNode;

forEachBackend('Segment compiler', (t) => {
  let w: SegmentWorld;
  beforeEach(async () => {
    w = await segmentWorld(t);
  });

  describe('contact fields', () => {
    it('matches text fields case-insensitively, with contains, starts_with and emptiness', async () => {
      expect(await w.names(all(f('email', 'eq', 'eve@example.org')))).toEqual(['eve']);
      expect(await w.names(all(f('email', 'contains', 'ACME')))).toEqual(['ann', 'bob']);
      expect(await w.names(all(f('email', 'starts_with', 'd')))).toEqual(['dan']);
      expect(await w.names(all(f('email', 'not_contains', 'acme')))).toEqual(['cyd', 'dan', 'eve']);
      expect(await w.names(all(f('title', 'is_not_empty')))).toEqual(['cyd']);
      expect(await w.names(all(f('title', 'is_empty')))).toEqual(['ann', 'bob', 'dan', 'eve']);
      expect(await w.names(all(f('email', 'in', ['ANN@acme.example', 'dan@example.org'])))).toEqual([
        'ann',
        'dan',
      ]);
    });

    it('treats an empty value as "not equal" and "not in" (NULL-safe negation)', async () => {
      expect(await w.names(all(f('country', 'neq', 'DE')))).toEqual(['bob', 'dan', 'eve']);
      expect(await w.names(all(f('country', 'not_in', ['DE', 'CN'])))).toEqual(['dan', 'eve']);
      expect(await w.names(all(f('country', 'in', ['de'])))).toEqual(['ann', 'cyd']);
      expect(await w.names(all(f('country', 'is_empty')))).toEqual(['dan', 'eve']);
    });

    it('filters by owner, team and tags', async () => {
      expect(await w.names(all(f('owner', 'eq', w.rep.userId)))).toEqual(['ann']);
      expect(await w.names(all(f('team', 'in', [w.teamId])))).toEqual(['ann']);
      expect(await w.names(all(f('owner', 'is_empty')))).toEqual(['bob', 'cyd', 'dan', 'eve']);
      expect(await w.names(all(f('tags', 'has_any', ['vip'])))).toEqual(['ann', 'dan']);
      expect(await w.names(all(f('tags', 'has_all', ['vip', 'fair-2026'])))).toEqual(['ann']);
      expect(await w.names(all(f('tags', 'has_none', ['vip'])))).toEqual(['bob', 'cyd', 'eve']);
      expect(await w.names(all(f('tags', 'is_empty')))).toEqual(['cyd', 'eve']);
    });

    it('filters by relative and absolute dates', async () => {
      expect(await w.names(all(f('created_at', 'in_last', { amount: 30, unit: 'day' })))).toEqual([
        'cyd',
        'dan',
        'eve',
      ]);
      expect(await w.names(all(f('created_at', 'not_in_last', { amount: 30, unit: 'day' })))).toEqual([
        'ann',
        'bob',
      ]);
      expect(await w.names(all(f('created_at', 'before', '2026-05-01')))).toEqual(['ann']);
      expect(await w.names(all(f('created_at', 'on', '2026-06-13')))).toEqual(['dan']);
      expect(await w.names(all(f('created_at', 'between', ['2026-05-01', '2026-06-05'])))).toEqual([
        'bob',
        'cyd',
      ]);
      expect(await w.names(all(f('created_at', 'after', '2026-06-13')))).toEqual(['eve']);
      expect(await w.names(all(f('created_at', 'in_this', 'month')))).toEqual(['cyd', 'dan', 'eve']);
      expect(await w.names(all(f('last_touch_at', 'is_empty')))).toEqual(['eve']);
      expect(await w.names(all(f('touch_count', 'gte', 3)))).toEqual(['ann', 'cyd']);
    });
  });

  it('filters by lifecycle stage, temperature and score (columns of the lifecycle and scoring modules)', async () => {
    const stage = async (id: string, stage: string, temperature: string, score: number) => {
      await sql`UPDATE contacts SET lifecycle_stage = ${stage} WHERE id = ${id}`.execute(t.ctx.db);
      await sql`INSERT INTO contact_scores (workspace_id, contact_id, temperature, score)
        SELECT workspace_id, id, ${temperature}, ${score} FROM contacts WHERE id = ${id}
        ON CONFLICT (workspace_id, contact_id) DO UPDATE SET temperature = EXCLUDED.temperature, score = EXCLUDED.score`.execute(
        t.ctx.db,
      );
    };
    await stage(w.c.ann!, 'mql', 'hot', 80);
    await stage(w.c.bob!, 'customer', 'warm', 40);
    expect(await w.names(all(f('lifecycle_stage', 'eq', 'mql')))).toEqual(['ann']);
    expect(await w.names(all(f('lifecycle_stage', 'in', ['mql', 'customer'])))).toEqual(['ann', 'bob']);
    expect(await w.names(all(f('temperature', 'in', ['hot', 'warm'])))).toEqual(['ann', 'bob']);
    expect(await w.names(all(f('score', 'gte', 50)))).toEqual(['ann']);
    // Contacts never scored (no contact_scores row) read as 0 and cold, under negation too.
    expect(await w.names(all(f('temperature', 'eq', 'cold')))).toEqual(['cyd', 'dan', 'eve']);
    expect(await w.names(all(f('score', 'lt', 50)))).toEqual(['bob', 'cyd', 'dan', 'eve']);
    expect(await w.names(all(f('temperature', 'neq', 'cold')))).toEqual(['ann', 'bob']);
  });

  describe('custom and company fields', () => {
    it('reads each custom field as its type', async () => {
      expect(await w.names(all(f('custom.budget', 'gt', 1000)))).toEqual(['ann']);
      expect(await w.names(all(f('custom.budget', 'between', [100, 300])))).toEqual(['bob']);
      expect(await w.names(all(f('custom.budget', 'is_empty')))).toEqual(['cyd', 'dan', 'eve']);
      expect(await w.names(all(f('custom.region', 'eq', 'south')))).toEqual(['bob']);
      expect(await w.names(all(f('custom.region', 'neq', 'south')))).toEqual(['ann', 'cyd', 'dan', 'eve']);
      expect(await w.names(all(f('custom.renewal', 'in_last', { amount: 1, unit: 'month' })))).toEqual([
        'ann',
      ]);
      expect(await w.names(all(f('custom.renewal', 'before', '2026-01-01')))).toEqual(['dan']);
      expect(await w.names(all(f('custom.vip', 'is_true')))).toEqual(['ann']);
      expect(await w.names(all(f('custom.vip', 'is_false')))).toEqual(['bob']);
      expect(await w.names(all(f('custom.interests', 'has_any', ['valves'])))).toEqual(['bob']);
      expect(await w.names(all(f('custom.interests', 'has_all', ['pumps'])))).toEqual(['ann', 'bob']);
      expect(await w.names(all(f('custom.interests', 'has_none', ['valves'])))).toEqual([
        'ann',
        'cyd',
        'dan',
        'eve',
      ]);
    });

    it("matches contacts through their company's fields", async () => {
      expect(await w.names(all(f('company.industry', 'eq', 'machinery')))).toEqual(['ann', 'bob']);
      expect(await w.names(all(f('company.employees', 'lt', 100)))).toEqual(['cyd']);
      expect(await w.names(all(f('company.custom.tier', 'eq', 'gold')))).toEqual(['ann', 'bob']);
    });
  });

  describe('behaviour', () => {
    it('counts touches of a type in a period ("at least 2 email clicks in the last 90 days")', async () => {
      const clicks: BehaviourCondition = {
        kind: 'behaviour',
        touchTypes: ['email_click'],
        min: 2,
        period: { type: 'last', amount: 90, unit: 'day' },
      };
      expect(await w.names(all(clicks))).toEqual(['ann', 'cyd']);
      expect(await w.names(all({ ...clicks, min: 3 }))).toEqual(['cyd']);
      expect(await w.names(all({ ...clicks, negate: true }))).toEqual(['bob', 'dan', 'eve']);
      expect(await w.names(all({ kind: 'behaviour', touchTypes: ['email_click'], min: 2 }))).toEqual([
        'ann',
        'bob',
        'cyd',
      ]);
    });

    it('finds visitors of a content link, of one asset, and trade-show visitors of this year', async () => {
      expect(await w.names(all({ kind: 'behaviour', touchTypes: ['content_view'] }))).toEqual(['cyd', 'dan']);
      expect(
        await w.names(
          all({ kind: 'behaviour', touchTypes: ['content_view'], metadata: { assetId: 'ast_2' } }),
        ),
      ).toEqual(['dan']);
      expect(
        await w.names(
          all({ kind: 'behaviour', touchTypes: ['trade_show_scan'], period: { type: 'this', unit: 'year' } }),
        ),
      ).toEqual(['ann']);
      expect(
        await w.names(
          all({
            kind: 'behaviour',
            touchTypes: ['trade_show_scan'],
            period: { type: 'between', from: '2025-01-01', to: '2025-12-31' },
          }),
        ),
      ).toEqual(['dan']);
    });
  });

  describe('groups and membership', () => {
    it('combines nested AND/OR groups', async () => {
      const def = any(
        all(f('country', 'eq', 'DE'), { kind: 'behaviour', touchTypes: ['content_view'] }),
        all(f('tags', 'has_any', ['vip']), f('created_at', 'in_last', { amount: 7, unit: 'day' })),
      );
      expect(await w.names(def)).toEqual(['cyd', 'dan']);
      expect(await w.names(all())).toEqual(['ann', 'bob', 'cyd', 'dan', 'eve']);
      expect(await w.names(all(any(), f('country', 'eq', 'CN')))).toEqual(['bob']);
    });

    it('includes or excludes the members of another saved segment', async () => {
      const germans = await storeSegment(t, w.admin.workspaceId, all(f('country', 'eq', 'DE')));
      expect(await w.names(all({ kind: 'membership', of: 'segment', id: germans }))).toEqual(['ann', 'cyd']);
      expect(await w.names(all({ kind: 'membership', of: 'segment', id: germans, negate: true }))).toEqual([
        'bob',
        'dan',
        'eve',
      ]);
      const nested = await storeSegment(
        t,
        w.admin.workspaceId,
        all({ kind: 'membership', of: 'segment', id: germans }, f('tags', 'has_any', ['vip'])),
        [germans],
      );
      expect(
        await w.names(
          any({ kind: 'membership', of: 'segment', id: nested }, f('email', 'eq', 'eve@example.org')),
        ),
      ).toEqual(['ann', 'eve']);
    });

    it('excludes deleted contacts', async () => {
      const res = await w.admin.api.delete(`/api/contacts/${w.c.eve}`);
      expect(res.status).toBe(200);
      expect(await w.names(all(f('email', 'contains', 'example.org')))).toEqual(['dan']);
    });
  });

  describe('bad definitions', () => {
    async function problem(def: unknown, selfId?: string): Promise<Record<string, string>> {
      try {
        await compileSegment(t.ctx.db, w.admin.workspaceId, def, { selfId });
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).fields ?? {};
      }
      throw new Error('expected a ValidationError');
    }

    it('names an unknown field, a wrong operator and a bad value by their path', async () => {
      expect(await problem(all(f('shoe_size', 'eq', '42')))).toEqual({
        'definition.conditions.0.field': 'names an unknown field "shoe_size"',
      });
      const wrongOp = await problem(any(all(f('custom.budget', 'contains', 'x'))));
      expect(Object.keys(wrongOp)).toEqual(['definition.conditions.0.conditions.0.op']);
      expect(Object.values(wrongOp)[0]).toMatch(
        /"contains" does not apply to custom.budget \(a number field/,
      );
      expect(await problem(all(f('custom.budget', 'gt', 'lots')))).toEqual({
        'definition.conditions.0.value': 'must be a number',
      });
      expect(await problem(all(f('custom.region', 'eq', 'west')))).toEqual({
        'definition.conditions.0.value': '"west" is not one of: north, south',
      });
      expect(await problem(all(f('owner', 'eq', 'usr_nobody')))).toEqual({
        'definition.conditions.0.value': 'names an unknown user usr_nobody',
      });
      expect(await problem(all(f('created_at', 'on', '2026-02-30')))).toEqual({
        'definition.conditions.0.value': 'must be a date as YYYY-MM-DD',
      });
      expect(Object.keys(await problem({ kind: 'group', match: 'some', conditions: [] }))).toEqual([
        'definition.match',
      ]);
      expect(await problem(all({ kind: 'membership', of: 'segment', id: 'seg_missing' }))).toEqual({
        'definition.conditions.0.id': 'names segment seg_missing, which does not exist',
      });
    });

    it('refuses a segment that includes itself, directly or through another segment', async () => {
      const a = await storeSegment(t, w.admin.workspaceId, all(f('country', 'eq', 'DE')));
      expect(await problem(all({ kind: 'membership', of: 'segment', id: a }), a)).toEqual({
        'definition.conditions.0': 'makes the segment include itself',
      });
      const b = await storeSegment(
        t,
        w.admin.workspaceId,
        all({ kind: 'membership', of: 'segment', id: a }),
        [a],
      );
      const through = await problem(
        any(f('country', 'eq', 'CN'), { kind: 'membership', of: 'segment', id: b, negate: true }),
        a,
      );
      expect(through).toEqual({
        'definition.conditions.1': `makes the segment include itself (through ${b})`,
      });
    });
  });

  it('compiles to one SQL statement with no per-contact work', async () => {
    const q = await compileSegment(
      t.ctx.db,
      w.admin.workspaceId,
      all(f('country', 'eq', 'DE'), {
        kind: 'behaviour',
        touchTypes: ['email_click'],
        min: 2,
        period: { type: 'last', amount: 90, unit: 'day' },
      }),
      { now: t.clock.now() },
    );
    const compiled = q.compile();
    expect(compiled.sql.match(/\bselect\b/gi)?.length).toBe(2);
    const counted = await t.ctx.db
      .selectFrom(q.as('s'))
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(counted.n).toBe(2);
  });
});
