import { expect } from 'vitest';
import { type ApiClient, addUser, createTeam, createWorkspace, type TestUser } from '../../../../test/api.ts';
import type { TestBackend } from '../../../../test/harness.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { SegmentDefinition, SegmentNode } from '../../../contracts/segments.ts';
import { newId } from '../../lib/ids.ts';
import { compileSegment } from './segments.compile.ts';

/** Test helpers for the segments suites (not a test file itself). */

export const NOW = '2026-06-15T12:00:00.000Z';
const DAY = 86_400_000;

export function all(...conditions: SegmentNode[]): SegmentDefinition {
  return { kind: 'group', match: 'all', conditions };
}
export function any(...conditions: SegmentNode[]): SegmentDefinition {
  return { kind: 'group', match: 'any', conditions };
}

export async function post<T>(api: ApiClient, url: string, body: unknown): Promise<T> {
  const res = await api.post<T>(url, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

export interface SegmentWorld {
  admin: TestUser;
  rep: TestUser;
  teamId: string;
  /** Contact ids by first name. */
  c: Record<string, string>;
  companyIds: { acme: string; globex: string };
  /** The names matched by a definition, sorted. */
  names: (def: unknown) => Promise<string[]>;
}

/**
 * A small world: five contacts (ann … eve) at two companies with custom fields, tags, owners,
 * created at different days, with touches of several types at known times; plus another workspace
 * whose contacts must never appear.
 */
export async function segmentWorld(t: TestBackend): Promise<SegmentWorld> {
  t.clock.set(NOW);
  const admin = await createWorkspace(t);
  const teamId = await createTeam(t, admin.workspaceId, 'Export');
  const rep = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [teamId] });
  for (const f of [
    { entity: 'contact', key: 'budget', label: 'Budget', type: 'number' },
    { entity: 'contact', key: 'region', label: 'Region', type: 'select', options: ['north', 'south'] },
    { entity: 'contact', key: 'renewal', label: 'Renewal', type: 'date' },
    { entity: 'contact', key: 'vip', label: 'VIP', type: 'boolean' },
    {
      entity: 'contact',
      key: 'interests',
      label: 'Interests',
      type: 'multi_select',
      options: ['pumps', 'valves'],
    },
    { entity: 'company', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] },
  ]) {
    await post(admin.api, '/api/custom-fields', f);
  }
  const acme = await post<{ id: string }>(admin.api, '/api/companies', {
    name: 'Acme',
    industry: 'Machinery',
    employees: 500,
    custom: { tier: 'gold' },
  });
  const globex = await post<{ id: string }>(admin.api, '/api/companies', {
    name: 'Globex',
    industry: 'Chemicals',
    employees: 20,
  });
  const people: [string, Record<string, unknown>, number][] = [
    [
      'ann',
      {
        email: 'ann@acme.example',
        country: 'DE',
        companyId: acme.id,
        ownerId: rep.userId,
        teamId,
        tags: ['vip', 'fair-2026'],
        custom: { budget: 5000, region: 'north', renewal: '2026-06-01', vip: true, interests: ['pumps'] },
      },
      100,
    ],
    [
      'bob',
      {
        email: 'bob@acme.example',
        country: 'CN',
        companyId: acme.id,
        tags: ['fair-2026'],
        custom: { budget: 200, region: 'south', vip: false, interests: ['pumps', 'valves'] },
      },
      40,
    ],
    ['cyd', { email: 'cyd@globex.example', country: 'DE', companyId: globex.id, title: 'Buyer' }, 10],
    [
      'dan',
      { lastName: 'Dan', email: 'dan@example.org', tags: ['vip'], custom: { renewal: '2025-01-10' } },
      2,
    ],
    ['eve', { email: 'EVE@Example.org' }, 0],
  ];
  const c: Record<string, string> = {};
  for (const [name, body, daysAgo] of people) {
    t.clock.set(new Date(Date.parse(NOW) - daysAgo * DAY));
    const dto = await post<ContactDto>(admin.api, '/api/contacts', { firstName: name, ...body });
    c[name] = dto.id;
  }
  t.clock.set(NOW);
  const ago = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString();
  const touches = [
    { contactId: c.ann, type: 'email_click', occurredAt: ago(5) },
    { contactId: c.ann, type: 'email_click', occurredAt: ago(80) },
    { contactId: c.bob, type: 'email_click', occurredAt: ago(3) },
    { contactId: c.bob, type: 'email_click', occurredAt: ago(120) },
    { contactId: c.cyd, type: 'email_click', occurredAt: ago(1) },
    { contactId: c.cyd, type: 'email_click', occurredAt: ago(2) },
    { contactId: c.cyd, type: 'email_click', occurredAt: ago(4) },
    { contactId: c.cyd, type: 'content_view', occurredAt: ago(1), metadata: { assetId: 'ast_1' } },
    { contactId: c.dan, type: 'content_view', occurredAt: ago(7), metadata: { assetId: 'ast_2' } },
    // 2026 trade shows: ann in March, dan in last year's November (not this year).
    { contactId: c.ann, type: 'trade_show_scan', occurredAt: '2026-03-10T09:00:00Z' },
    { contactId: c.dan, type: 'trade_show_scan', occurredAt: '2025-11-20T09:00:00Z' },
  ];
  await post(admin.api, '/api/touches/batch', { touches });
  // Another workspace with a look-alike contact: never part of this workspace's segments.
  const other = await createWorkspace(t);
  await post(other.api, '/api/contacts', { firstName: 'ann', email: 'ann@other.example', country: 'DE' });

  const byId = new Map(Object.entries(c).map(([n, id]) => [id, n]));
  const names = async (def: unknown) => {
    const q = await compileSegment(t.ctx.db, admin.workspaceId, def, { now: t.clock.now() });
    const rows = await q.execute();
    return rows.map((r) => byId.get(r.contact_id) ?? r.contact_id).sort();
  };
  return { admin, rep, teamId, c, companyIds: { acme: acme.id, globex: globex.id }, names };
}

/** Stores a segment row directly (the compile tests do not go through the API). */
export async function storeSegment(
  t: TestBackend,
  workspaceId: string,
  definition: SegmentDefinition,
  refs: string[] = [],
): Promise<string> {
  const id = newId('seg');
  await t.ctx.db
    .insertInto('segments')
    .values({
      workspace_id: workspaceId,
      id,
      name: `S ${id.slice(-4)}`,
      definition: JSON.stringify(definition),
    })
    .execute();
  for (const ref of refs) {
    await t.ctx.db
      .insertInto('segment_refs')
      .values({ workspace_id: workspaceId, segment_id: id, ref_segment_id: ref })
      .execute();
  }
  return id;
}
