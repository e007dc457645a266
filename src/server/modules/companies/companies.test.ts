import { expect, it } from 'vitest';
import { addUser, createTeam, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { CompanyDto } from '../../../contracts/companies.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import {
  allPages,
  auditRows,
  type ErrorBody,
  history,
  listIds,
  newCompany,
  newContact,
} from '../contacts/records.fixtures.ts';

const sorted = (ids: string[]) => [...ids].sort();

forEachBackend('companies: create, read, update, delete', (t) => {
  it('creates a company, reads it back and lists it', async () => {
    const admin = await createWorkspace(t);
    const created = await newCompany(admin.api, {
      name: ' Acme Export ',
      domain: 'Acme.COM',
      website: 'https://acme.com/',
      industry: 'Machinery',
      employees: 120,
      country: 'CN',
      phone: '+86 755 1234 5678',
      tags: ['oem'],
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^cmp_/),
      name: 'Acme Export',
      domain: 'acme.com',
      employees: 120,
      ownerId: null,
      tags: ['oem'],
      deletedAt: null,
    });
    expect((await admin.api.get(`/api/companies/${created.id}`)).body).toEqual(created);
    expect(await listIds(admin.api, '/api/companies')).toEqual([created.id]);
  });

  it('updates the fields given, audits the diff, and renames the company on its contacts', async () => {
    const admin = await createWorkspace(t);
    const co = await newCompany(admin.api, { name: 'Acme', industry: 'Tools' });
    const c = await newContact(admin.api, { firstName: 'Ada', companyId: co.id });
    t.clock.advance(1000);
    const res = await admin.api.patch<CompanyDto>(`/api/companies/${co.id}`, {
      name: 'Acme Group',
      industry: null,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Acme Group', industry: null });
    const contact = (await admin.api.get<ContactDto>(`/api/contacts/${c.id}`)).body;
    expect(contact.companyName).toBe('Acme Group');
    expect(contact.updatedAt).toBe(c.updatedAt);
    const rows = await auditRows(t, admin.workspaceId, co.id);
    expect(rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect(rows[1]?.diff).toEqual({
      name: { from: 'Acme', to: 'Acme Group' },
      industry: { from: 'Tools', to: null },
    });
  });

  it('hides a soft-deleted company from get, list and its contacts endpoint; restore brings it back', async () => {
    const admin = await createWorkspace(t);
    const co = await newCompany(admin.api, { name: 'Acme', domain: 'acme.com' });
    const c = await newContact(admin.api, { firstName: 'Ada', companyId: co.id });
    t.clock.advance(1000);
    expect((await admin.api.delete(`/api/companies/${co.id}`)).status).toBe(200);
    expect((await admin.api.get(`/api/companies/${co.id}`)).status).toBe(404);
    expect((await admin.api.get(`/api/companies/${co.id}/contacts`)).status).toBe(404);
    expect(await listIds(admin.api, '/api/companies')).toEqual([]);
    expect(await listIds(admin.api, '/api/companies?deleted=only')).toEqual([co.id]);
    // The contact keeps its link while the company is away.
    expect((await admin.api.get<ContactDto>(`/api/contacts/${c.id}`)).body.companyId).toBe(co.id);
    t.clock.advance(1000);
    expect((await admin.api.post(`/api/companies/${co.id}/restore`)).status).toBe(200);
    expect(await listIds(admin.api, `/api/companies/${co.id}/contacts`)).toEqual([c.id]);
    const actions = (await history(admin.api, `/api/companies/${co.id}/history`)).map((e) => e.action);
    expect(actions).toEqual(['restore', 'delete', 'create']);
  });

  it('answers a duplicate domain (any letter case) with 409 and the existing id, writing nothing', async () => {
    const admin = await createWorkspace(t);
    const first = await newCompany(admin.api, { name: 'Acme', domain: 'acme.com' });
    const dup = await admin.api.post<ErrorBody>('/api/companies', { name: 'Acme 2', domain: 'ACME.com' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ existingId: first.id, fields: { domain: 'is taken' } });
    const other = await newCompany(admin.api, { name: 'Other', domain: 'other.com' });
    const upd = await admin.api.patch<ErrorBody>(`/api/companies/${other.id}`, { domain: 'acme.COM' });
    expect(upd.status).toBe(409);
    expect(upd.body.error.existingId).toBe(first.id);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(2);
    // Companies without a domain never collide.
    await newCompany(admin.api, { name: 'No domain 1' });
    await newCompany(admin.api, { name: 'No domain 2' });
  });

  it('refuses to restore a company whose domain a live company took meanwhile', async () => {
    const admin = await createWorkspace(t);
    const old = await newCompany(admin.api, { name: 'Old', domain: 'acme.com' });
    await admin.api.delete(`/api/companies/${old.id}`);
    const taker = await newCompany(admin.api, { name: 'New', domain: 'acme.com' });
    const res = await admin.api.post<ErrorBody>(`/api/companies/${old.id}/restore`);
    expect(res.status).toBe(409);
    expect(res.body.error.existingId).toBe(taker.id);
  });

  it('lets exactly one of two concurrent creates with the same domain succeed', async () => {
    const admin = await createWorkspace(t);
    const [a, b] = await Promise.all([
      admin.api.post<CompanyDto & ErrorBody>('/api/companies', { name: 'A', domain: 'race.com' }),
      admin.api.post<CompanyDto & ErrorBody>('/api/companies', { name: 'B', domain: 'RACE.com' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const winner = a.status === 201 ? a.body : b.body;
    const loser = a.status === 201 ? b.body : a.body;
    expect(loser.error.existingId).toBe(winner.id);
    expect(await listIds(admin.api, '/api/companies')).toEqual([winner.id]);
  });

  it('rejects bad fields naming each one, and writes nothing', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.post<ErrorBody>('/api/companies', {
      name: '',
      domain: 'not a domain',
      website: 'acme',
      employees: -3,
      country: 'CHN',
      tags: [1],
      revenue: 5,
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields ?? {}).sort()).toEqual(
      ['country', 'domain', 'employees', 'name', 'revenue', 'tags.0', 'website'].sort(),
    );
    const co = await newCompany(admin.api, { name: 'Acme' });
    const upd = await admin.api.patch<ErrorBody>(`/api/companies/${co.id}`, { name: null, employees: 1.5 });
    expect(upd.status).toBe(400);
    expect(Object.keys(upd.body.error.fields ?? {}).sort()).toEqual(['employees', 'name']);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(1);
  });

  it('treats another workspace’s company as not found, and never links to its owner or team', async () => {
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const theirs = await newCompany(other.api, { name: 'Theirs', domain: 'theirs.com' });
    for (const res of [
      await admin.api.get(`/api/companies/${theirs.id}`),
      await admin.api.patch(`/api/companies/${theirs.id}`, { name: 'x' }),
      await admin.api.delete(`/api/companies/${theirs.id}`),
      await admin.api.post(`/api/companies/${theirs.id}/restore`),
      await admin.api.get(`/api/companies/${theirs.id}/history`),
      await admin.api.get(`/api/companies/${theirs.id}/contacts`),
    ]) {
      expect(res.status).toBe(404);
    }
    const otherTeam = await createTeam(t, other.workspaceId);
    const bad = await admin.api.post<ErrorBody>('/api/companies', {
      name: 'X',
      ownerId: other.userId,
      teamId: otherTeam,
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {}).sort()).toEqual(['ownerId', 'teamId']);
    expect((await admin.api.post('/api/companies', { name: 'Ours', domain: 'theirs.com' })).status).toBe(201);
  });

  it('audits an owner change separately from other changes', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const co = await newCompany(admin.api, { name: 'Acme' });
    t.clock.advance(1000);
    await admin.api.patch(`/api/companies/${co.id}`, { ownerId: rep.userId });
    const items = await history(admin.api, `/api/companies/${co.id}/history`);
    expect(items.map((i) => i.action)).toEqual(['owner_change', 'create']);
    expect(items[0]?.diff).toEqual({ ownerId: { from: null, to: rep.userId } });
  });
});

forEachBackend('companies: lists', (t) => {
  it('filters by owner, team, tag, country and deleted', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId);
    const a = await newCompany(admin.api, { name: 'A', ownerId: admin.userId, tags: ['oem'], country: 'DE' });
    const b = await newCompany(admin.api, { name: 'B', teamId: team, tags: ['oem', 'dist'], country: 'CN' });
    const c = await newCompany(admin.api, { name: 'C', teamId: team, country: 'DE' });
    await admin.api.delete(`/api/companies/${c.id}`);
    expect(await listIds(admin.api, '/api/companies?ownerId=me')).toEqual([a.id]);
    expect(await listIds(admin.api, '/api/companies?ownerId=none')).toEqual([b.id]);
    expect(await listIds(admin.api, `/api/companies?teamId=${team}`)).toEqual([b.id]);
    expect(sorted(await listIds(admin.api, '/api/companies?tag=oem'))).toEqual(sorted([a.id, b.id]));
    expect(await listIds(admin.api, '/api/companies?tag=dist')).toEqual([b.id]);
    expect(await listIds(admin.api, '/api/companies?country=DE')).toEqual([a.id]);
    expect(await listIds(admin.api, '/api/companies?country=DE&deleted=only')).toEqual([c.id]);
  });

  it('pages every sort in both orders across three or more pages, with ties, no repeats or gaps', async () => {
    const admin = await createWorkspace(t);
    const made: string[] = [];
    const names = ['Delta', 'Alpha', 'Delta', 'Bravo', 'Alpha', 'Charlie', 'Delta'];
    for (let i = 0; i < 11; i++) {
      if (i % 3 === 0) t.clock.advance(1000);
      made.push((await newCompany(admin.api, { name: names[i % names.length] })).id);
    }
    for (const id of made.slice(0, 5)) {
      t.clock.advance(100);
      await admin.api.patch(`/api/companies/${id}`, { industry: 'x' });
    }
    for (const sort of ['createdAt', 'updatedAt', 'name']) {
      for (const order of ['asc', 'desc']) {
        const whole = await listIds(admin.api, `/api/companies?sort=${sort}&order=${order}&limit=500`);
        const pages = await allPages<CompanyDto>(
          admin.api,
          `/api/companies?sort=${sort}&order=${order}&limit=3`,
        );
        expect(pages.length).toBeGreaterThanOrEqual(4);
        expect(pages.flat().map((c) => c.id)).toEqual(whole);
        expect(sorted(whole)).toEqual(sorted(made));
        if (sort === 'name') {
          const ns = pages.flat().map((c) => c.name);
          expect(ns).toEqual(order === 'asc' ? [...ns].sort() : [...ns].sort().reverse());
        }
      }
    }
  });

  it('searches by name, domain and phone, with prefixes for one or two characters', async () => {
    const admin = await createWorkspace(t);
    const acme = await newCompany(admin.api, {
      name: 'Acme Export',
      domain: 'acme-export.com',
      phone: '+49 30 123456',
    });
    const zen = await newCompany(admin.api, { name: 'Zenith Trading', domain: 'zenith.cn' });
    expect(await listIds(admin.api, '/api/companies?q=export')).toEqual([acme.id]);
    expect(await listIds(admin.api, '/api/companies?q=zenith.cn')).toEqual([zen.id]);
    expect(await listIds(admin.api, '/api/companies?q=ENITH')).toEqual([zen.id]);
    expect(await listIds(admin.api, '/api/companies?q=030%20123')).toEqual([]);
    expect(await listIds(admin.api, '/api/companies?q=30%20123')).toEqual([acme.id]);
    expect(await listIds(admin.api, '/api/companies?q=z')).toEqual([zen.id]);
    expect(await listIds(admin.api, '/api/companies?q=ac')).toEqual([acme.id]);
    expect(await listIds(admin.api, '/api/companies?q=xp')).toEqual([]);
  });
});
