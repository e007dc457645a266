import { expect, it } from 'vitest';
import type { TestUser } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { CompanyDto } from '../../../contracts/companies.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import {
  auditRows,
  type ErrorBody,
  listIds,
  newCompany,
  newContact,
  type SalesWorld,
  salesWorld,
} from './records.fixtures.ts';

const sorted = (ids: string[]) => [...ids].sort();

type Name = 'ownA1' | 'poolA' | 'ownA2' | 'ownB' | 'poolB' | 'poolNone' | 'ownMgr' | 'ownBinA';

/**
 * Records in every visibility situation, made by the admin:
 * ownA1 (repA1's, team A), poolA (no owner, team A), ownA2 (repA2's, no team), ownB (repB's, team B),
 * poolB (no owner, team B), poolNone (no owner, no team), ownMgr (managerA's, no team),
 * ownBinA (repB's, but team A).
 */
function layout(w: SalesWorld): Record<Name, { ownerId: string | null; teamId: string | null }> {
  return {
    ownA1: { ownerId: w.repA1.userId, teamId: w.teamA },
    poolA: { ownerId: null, teamId: w.teamA },
    ownA2: { ownerId: w.repA2.userId, teamId: null },
    ownB: { ownerId: w.repB.userId, teamId: w.teamB },
    poolB: { ownerId: null, teamId: w.teamB },
    poolNone: { ownerId: null, teamId: null },
    ownMgr: { ownerId: w.managerA.userId, teamId: null },
    ownBinA: { ownerId: w.repB.userId, teamId: w.teamA },
  };
}

const ALL: Name[] = ['ownA1', 'poolA', 'ownA2', 'ownB', 'poolB', 'poolNone', 'ownMgr', 'ownBinA'];

function expected(w: SalesWorld): [TestUser, string, Name[]][] {
  return [
    [w.repA1, 'rep of team A', ['ownA1', 'poolA']],
    [w.repA2, 'other rep of team A', ['poolA', 'ownA2']],
    [w.repB, 'rep of team B', ['ownB', 'poolB', 'ownBinA']],
    [w.managerA, 'manager of team A', ['ownA1', 'poolA', 'ownA2', 'ownMgr', 'ownBinA']],
    [w.marketing, 'marketing', ALL],
    [w.service, 'service', ALL],
    [w.admin, 'admin', ALL],
  ];
}

forEachBackend('record visibility', (t) => {
  for (const kind of ['contacts', 'companies'] as const) {
    it(`shows each role exactly the ${kind} it may see, in lists and by id (404 otherwise)`, async () => {
      const w = await salesWorld(t);
      const ids = {} as Record<Name, string>;
      for (const name of ALL) {
        const body = { ...layout(w)[name], ...(kind === 'contacts' ? { firstName: name } : { name }) };
        const res = await w.admin.api.post<{ id: string }>(`/api/${kind}`, body);
        expect(res.status).toBe(201);
        ids[name] = res.body.id;
      }
      for (const [user, who, names] of expected(w)) {
        expect(sorted(await listIds(user.api, `/api/${kind}?limit=100`)), who).toEqual(
          sorted(names.map((n) => ids[n])),
        );
        for (const name of ALL) {
          const res = await user.api.get(`/api/${kind}/${ids[name]}`);
          expect(res.status, `${who} GET ${name}`).toBe(names.includes(name) ? 200 : 404);
          const hist = await user.api.get(`/api/${kind}/${ids[name]}/history`);
          expect(hist.status, `${who} history ${name}`).toBe(names.includes(name) ? 200 : 404);
        }
      }
    });
  }

  it('answers writes on a record the caller cannot see with 404, changing nothing', async () => {
    const w = await salesWorld(t);
    const theirs = await newContact(w.admin.api, { firstName: 'B', ownerId: w.repB.userId, teamId: w.teamB });
    expect((await w.repA1.api.patch(`/api/contacts/${theirs.id}`, { title: 'x' })).status).toBe(404);
    expect((await w.repA1.api.delete(`/api/contacts/${theirs.id}`)).status).toBe(404);
    t.clock.advance(1000);
    await w.admin.api.delete(`/api/contacts/${theirs.id}`);
    expect((await w.repA1.api.post(`/api/contacts/${theirs.id}/restore`)).status).toBe(404);
    expect(await listIds(w.repA1.api, '/api/contacts?deleted=only')).toEqual([]);
    expect((await auditRows(t, w.admin.workspaceId, theirs.id)).map((r) => r.action)).toEqual([
      'create',
      'delete',
    ]);
  });

  it('lets service read every record but write none (403)', async () => {
    const w = await salesWorld(t);
    const c = await newContact(w.admin.api, { firstName: 'Ada' });
    const co = await newCompany(w.admin.api, { name: 'Acme' });
    expect((await w.service.api.get(`/api/contacts/${c.id}`)).status).toBe(200);
    expect((await w.service.api.get(`/api/companies/${co.id}/contacts`)).status).toBe(200);
    expect((await w.service.api.post('/api/contacts', { firstName: 'New' })).status).toBe(403);
    expect((await w.service.api.patch(`/api/contacts/${c.id}`, { title: 'x' })).status).toBe(403);
    expect((await w.service.api.delete(`/api/contacts/${c.id}`)).status).toBe(403);
    expect((await w.service.api.post(`/api/contacts/${c.id}/restore`)).status).toBe(403);
    expect((await w.service.api.post('/api/companies', { name: 'New' })).status).toBe(403);
    expect((await w.service.api.patch(`/api/companies/${co.id}`, { name: 'x' })).status).toBe(403);
    expect((await w.service.api.delete(`/api/companies/${co.id}`)).status).toBe(403);
    expect((await w.service.api.post(`/api/companies/${co.id}/restore`)).status).toBe(403);
    expect(await auditRows(t, w.admin.workspaceId)).toHaveLength(2);
  });

  it('gives a sales person’s new record to them (and their only team) unless they say otherwise', async () => {
    const w = await salesWorld(t);
    const own = await newContact(w.repA1.api, { firstName: 'Mine' });
    expect(own).toMatchObject({ ownerId: w.repA1.userId, teamId: w.teamA });
    const pool = await newContact(w.repA1.api, { firstName: 'Pool', ownerId: null });
    expect(pool).toMatchObject({ ownerId: null, teamId: w.teamA });
    expect((await w.repA2.api.get(`/api/contacts/${pool.id}`)).status).toBe(200);
    const byMarketing = await newCompany(w.marketing.api, { name: 'Lead Co' });
    expect(byMarketing).toMatchObject({ ownerId: null, teamId: null });
  });

  it('lets a rep claim an unassigned record of their team, or release their own, but not hand it to another (403 naming ownerId)', async () => {
    const w = await salesWorld(t);
    const pool = await newContact(w.admin.api, { firstName: 'Pool', ownerId: null, teamId: w.teamA });
    t.clock.advance(1000);
    const claimed = await w.repA1.api.patch<ContactDto>(`/api/contacts/${pool.id}`, {
      ownerId: w.repA1.userId,
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.ownerId).toBe(w.repA1.userId);
    expect((await w.repA2.api.get(`/api/contacts/${pool.id}`)).status).toBe(404);
    const handOff = await w.repA1.api.patch<ErrorBody>(`/api/contacts/${pool.id}`, {
      ownerId: w.repA2.userId,
    });
    expect(handOff.status).toBe(403);
    expect(handOff.body.error.fields).toHaveProperty('ownerId');
    const create = await w.repA1.api.post<ErrorBody>('/api/contacts', {
      firstName: 'X',
      ownerId: w.repA2.userId,
    });
    expect(create.status).toBe(403);
    expect(create.body.error.fields).toHaveProperty('ownerId');
    t.clock.advance(1000);
    const released = await w.repA1.api.patch<ContactDto>(`/api/contacts/${pool.id}`, { ownerId: null });
    expect(released.body.ownerId).toBeNull();
    expect((await w.repA2.api.get(`/api/contacts/${pool.id}`)).status).toBe(200);
    const actions = (await auditRows(t, w.admin.workspaceId, pool.id)).map((r) => r.action);
    expect(actions).toEqual(['create', 'owner_change', 'owner_change']);
  });

  it('keeps a rep to their own teams (403 naming teamId)', async () => {
    const w = await salesWorld(t);
    const res = await w.repA1.api.post<ErrorBody>('/api/companies', { name: 'X', teamId: w.teamB });
    expect(res.status).toBe(403);
    expect(res.body.error.fields).toHaveProperty('teamId');
    const mine = await newCompany(w.repA1.api, { name: 'Mine' });
    expect((await w.repA1.api.patch(`/api/companies/${mine.id}`, { teamId: w.teamB })).status).toBe(403);
    expect((await w.repA1.api.patch(`/api/companies/${mine.id}`, { teamId: null })).status).toBe(200);
  });

  it('lets managers, marketing and admins assign records to anyone in the workspace', async () => {
    const w = await salesWorld(t);
    for (const [by, to] of [
      [w.managerA, w.repB],
      [w.marketing, w.repA2],
      [w.admin, w.managerA],
    ] as const) {
      const c = await newContact(by.api, { firstName: 'X', ownerId: to.userId });
      expect(c.ownerId).toBe(to.userId);
      const co = await newCompany(by.api, { name: 'X' });
      const moved = await by.api.patch<CompanyDto>(`/api/companies/${co.id}`, { ownerId: to.userId });
      expect(moved.status).toBe(200);
      expect(moved.body.ownerId).toBe(to.userId);
    }
  });

  it('finds only visible contacts when searching', async () => {
    const w = await salesWorld(t);
    const mine = await newContact(w.admin.api, { firstName: 'Zora', ownerId: w.repA1.userId });
    await newContact(w.admin.api, { firstName: 'Zora', ownerId: w.repB.userId });
    expect(await listIds(w.repA1.api, '/api/contacts?q=zora')).toEqual([mine.id]);
    expect(await listIds(w.repA1.api, '/api/contacts?q=zo')).toEqual([mine.id]);
    expect(await listIds(w.marketing.api, '/api/contacts?q=zora')).toHaveLength(2);
  });

  it('lists a company’s contacts with visibility applied, and 404s for a company the caller cannot see', async () => {
    const w = await salesWorld(t);
    const shared = await newCompany(w.admin.api, { name: 'Shared', ownerId: null, teamId: w.teamA });
    const mine = await newContact(w.admin.api, {
      firstName: 'A',
      companyId: shared.id,
      ownerId: w.repA1.userId,
    });
    await newContact(w.admin.api, { firstName: 'B', companyId: shared.id, ownerId: w.repB.userId });
    const hidden = await newCompany(w.admin.api, { name: 'Hidden', ownerId: w.repB.userId, teamId: w.teamB });
    expect(await listIds(w.repA1.api, `/api/companies/${shared.id}/contacts`)).toEqual([mine.id]);
    expect(await listIds(w.admin.api, `/api/companies/${shared.id}/contacts`)).toHaveLength(2);
    expect((await w.repA1.api.get(`/api/companies/${hidden.id}/contacts`)).status).toBe(404);
  });

  it('refuses to link a contact to a company the rep cannot see', async () => {
    const w = await salesWorld(t);
    const hidden = await newCompany(w.admin.api, { name: 'Hidden', ownerId: w.repB.userId, teamId: w.teamB });
    const res = await w.repA1.api.post<ErrorBody>('/api/contacts', { firstName: 'X', companyId: hidden.id });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('companyId');
  });
});
