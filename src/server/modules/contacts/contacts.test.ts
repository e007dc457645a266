import { expect, it } from 'vitest';
import { addUser, createTeam, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { AuditEntryDto } from '../../../contracts/governance.ts';
import { encodeCursor } from '../../lib/pagination.ts';
import { createContact, listContacts } from './contacts.service.ts';
import {
  auditRows,
  type ErrorBody,
  history,
  listIds,
  newCompany,
  newContact,
  type Page,
} from './records.fixtures.ts';

forEachBackend('contacts: create, read, update, delete', (t) => {
  it('creates a contact, reads it back and lists it', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId);
    const company = await newCompany(admin.api, { name: 'Acme Export' });
    const created = await newContact(admin.api, {
      firstName: ' Ada ',
      lastName: 'Lovelace',
      email: 'Ada@Example.com',
      phone: '+44 20 7946 0000',
      title: 'CTO',
      companyId: company.id,
      ownerId: admin.userId,
      teamId: team,
      country: 'GB',
      language: 'en',
      tags: ['vip', 'vip', 'fair-2026'],
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^ctc_/),
      firstName: 'Ada',
      email: 'Ada@Example.com',
      companyId: company.id,
      companyName: 'Acme Export',
      ownerId: admin.userId,
      teamId: team,
      tags: ['vip', 'fair-2026'],
      custom: {},
      deletedAt: null,
    });
    const got = await admin.api.get<ContactDto>(`/api/contacts/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created);
    expect(await listIds(admin.api, '/api/contacts')).toEqual([created.id]);
  });

  it('updates only the fields given, clears a field with null, and audits the changed fields', async () => {
    const admin = await createWorkspace(t);
    const c = await newContact(admin.api, { firstName: 'Ada', email: 'ada@example.com', title: 'CTO' });
    t.clock.advance(1000);
    const res = await admin.api.patch<ContactDto>(`/api/contacts/${c.id}`, {
      lastName: 'Lovelace',
      title: null,
      firstName: 'Ada',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      title: null,
      email: 'ada@example.com',
    });
    expect(res.body.updatedAt).not.toBe(c.updatedAt);
    const rows = await auditRows(t, admin.workspaceId, c.id);
    expect(rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect(rows[1]?.diff).toEqual({
      lastName: { from: null, to: 'Lovelace' },
      title: { from: 'CTO', to: null },
    });
  });

  it('writes nothing for a PATCH that changes nothing', async () => {
    const admin = await createWorkspace(t);
    const c = await newContact(admin.api, { firstName: 'Ada', tags: ['a'] });
    const res = await admin.api.patch<ContactDto>(`/api/contacts/${c.id}`, { firstName: 'Ada', tags: ['a'] });
    expect(res.status).toBe(200);
    expect(res.body.updatedAt).toBe(c.updatedAt);
    expect((await auditRows(t, admin.workspaceId, c.id)).map((r) => r.action)).toEqual(['create']);
  });

  it('hides a soft-deleted contact from get and list; restore brings it back', async () => {
    const admin = await createWorkspace(t);
    const c = await newContact(admin.api, { firstName: 'Ada', email: 'ada@example.com' });
    const del = await admin.api.delete<ContactDto>(`/api/contacts/${c.id}`);
    expect(del.status).toBe(200);
    expect(del.body.deletedAt).not.toBeNull();
    expect((await admin.api.get(`/api/contacts/${c.id}`)).status).toBe(404);
    expect((await admin.api.patch(`/api/contacts/${c.id}`, { title: 'x' })).status).toBe(404);
    expect((await admin.api.delete(`/api/contacts/${c.id}`)).status).toBe(404);
    expect(await listIds(admin.api, '/api/contacts')).toEqual([]);
    expect(await listIds(admin.api, '/api/contacts?deleted=only')).toEqual([c.id]);
    const restored = await admin.api.post<ContactDto>(`/api/contacts/${c.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    expect((await admin.api.get(`/api/contacts/${c.id}`)).status).toBe(200);
    expect(await listIds(admin.api, '/api/contacts')).toEqual([c.id]);
    expect(await listIds(admin.api, '/api/contacts?deleted=only')).toEqual([]);
  });

  it('refuses to restore a contact whose e-mail a live contact took meanwhile (409 with existingId)', async () => {
    const admin = await createWorkspace(t);
    const old = await newContact(admin.api, { email: 'ada@example.com' });
    t.clock.advance(1000);
    await admin.api.delete(`/api/contacts/${old.id}`);
    const taker = await newContact(admin.api, { email: 'ADA@example.com' });
    const res = await admin.api.post<ErrorBody>(`/api/contacts/${old.id}/restore`);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'conflict',
      existingId: taker.id,
      fields: { email: 'is taken' },
    });
    expect(await listIds(admin.api, '/api/contacts?deleted=only')).toEqual([old.id]);
    expect((await auditRows(t, admin.workspaceId, old.id)).map((r) => r.action)).toEqual([
      'create',
      'delete',
    ]);
  });

  it('answers a duplicate e-mail (any letter case) with 409 and the existing id, writing nothing', async () => {
    const admin = await createWorkspace(t);
    const first = await newContact(admin.api, { firstName: 'Ada', email: 'ada@example.com' });
    const dup = await admin.api.post<ErrorBody>('/api/contacts', {
      firstName: 'Other',
      email: 'ADA@Example.COM',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({
      code: 'conflict',
      existingId: first.id,
      fields: { email: 'is taken' },
    });
    expect(await listIds(admin.api, '/api/contacts')).toEqual([first.id]);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(1);
  });

  it('answers an update to another contact’s e-mail with 409 and the existing id', async () => {
    const admin = await createWorkspace(t);
    const a = await newContact(admin.api, { email: 'a@example.com' });
    const b = await newContact(admin.api, { email: 'b@example.com' });
    const res = await admin.api.patch<ErrorBody>(`/api/contacts/${b.id}`, { email: 'A@EXAMPLE.com' });
    expect(res.status).toBe(409);
    expect(res.body.error.existingId).toBe(a.id);
    expect((await admin.api.get<ContactDto>(`/api/contacts/${b.id}`)).body.email).toBe('b@example.com');
    // Changing only the letter case of one's own e-mail is not a duplicate.
    expect((await admin.api.patch(`/api/contacts/${a.id}`, { email: 'A@example.com' })).status).toBe(200);
  });

  it('lets a new contact reuse the e-mail of a deleted one', async () => {
    const admin = await createWorkspace(t);
    const old = await newContact(admin.api, { email: 'ada@example.com' });
    await admin.api.delete(`/api/contacts/${old.id}`);
    const again = await admin.api.post<ContactDto>('/api/contacts', { email: 'ada@example.com' });
    expect(again.status).toBe(201);
  });

  it('lets exactly one of two concurrent creates with the same e-mail succeed', async () => {
    const admin = await createWorkspace(t);
    const [a, b] = await Promise.all([
      admin.api.post<ContactDto & ErrorBody>('/api/contacts', { firstName: 'A', email: 'race@example.com' }),
      admin.api.post<ContactDto & ErrorBody>('/api/contacts', { firstName: 'B', email: 'RACE@example.com' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const winner = a.status === 201 ? a.body : b.body;
    const loser = a.status === 201 ? b.body : a.body;
    expect(loser.error.existingId).toBe(winner.id);
    expect(await listIds(admin.api, '/api/contacts')).toEqual([winner.id]);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(1);
  });

  it('lets exactly one of many concurrent service-level creates win, the rest get the winner’s id', async () => {
    const admin = await createWorkspace(t);
    const actor = {
      workspaceId: admin.workspaceId,
      userId: admin.userId,
      email: admin.email,
      name: 'Admin',
      role: 'admin' as const,
      locale: 'en' as const,
      timeZone: 'UTC',
      teamIds: [],
      via: 'token' as const,
      sessionId: null,
    };
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        createContact(t.ctx, actor, { firstName: `N${i}`, email: 'x@example.com' }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winnerId = (won[0] as PromiseFulfilledResult<ContactDto>).value.id;
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 409, existingId: winnerId });
    }
    expect((await listContacts(t.ctx, actor, {})).items.map((c) => c.id)).toEqual([winnerId]);
  });
});

forEachBackend('contacts: bad input', (t) => {
  it('rejects bad fields naming each one, and writes nothing', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.post<ErrorBody>('/api/contacts', {
      firstName: 'x'.repeat(101),
      email: 'not-an-email',
      phone: 12345,
      country: 'Germany',
      tags: 'vip',
      nickname: 'Ada',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields ?? {}).sort()).toEqual(
      ['country', 'email', 'firstName', 'nickname', 'phone', 'tags'].sort(),
    );
    expect(res.body.error.fields?.nickname).toBe('is not a known field');
    expect(await listIds(admin.api, '/api/contacts')).toEqual([]);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(0);
  });

  it('rejects bad fields on update and leaves the contact as it was', async () => {
    const admin = await createWorkspace(t);
    const c = await newContact(admin.api, { firstName: 'Ada', email: 'ada@example.com' });
    const res = await admin.api.patch<ErrorBody>(`/api/contacts/${c.id}`, {
      email: 'nope',
      country: 'de',
      title: 'x'.repeat(121),
      id: 'ctc_other',
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields ?? {}).sort()).toEqual(['country', 'email', 'id', 'title']);
    expect((await admin.api.get(`/api/contacts/${c.id}`)).body).toEqual(c);
    expect(await auditRows(t, admin.workspaceId, c.id)).toHaveLength(1);
  });

  it('needs a first name, last name or e-mail, also after an update', async () => {
    const admin = await createWorkspace(t);
    const empty = await admin.api.post<ErrorBody>('/api/contacts', { title: 'CEO', firstName: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toHaveProperty('email');
    const c = await newContact(admin.api, { firstName: 'Ada' });
    const cleared = await admin.api.patch<ErrorBody>(`/api/contacts/${c.id}`, { firstName: null });
    expect(cleared.status).toBe(400);
    expect(cleared.body.error.fields).toHaveProperty('email');
  });

  it('rejects a malformed cursor, a cursor of another sort and unknown query fields with 400', async () => {
    const admin = await createWorkspace(t);
    await newContact(admin.api, { firstName: 'A' });
    await newContact(admin.api, { firstName: 'B' });
    const garbage = await admin.api.get<ErrorBody>('/api/contacts?cursor=not-a-cursor');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.fields).toHaveProperty('cursor');
    const forged = encodeCursor({ v: 'createdAt|yesterday', id: 'ctc_x' });
    expect(
      (await admin.api.get<ErrorBody>(`/api/contacts?cursor=${forged}`)).body.error.fields,
    ).toHaveProperty('cursor');
    const byName = await admin.api.get<Page<ContactDto>>('/api/contacts?sort=name&limit=1');
    const mixed = await admin.api.get<ErrorBody>(
      `/api/contacts?sort=createdAt&cursor=${byName.body.nextCursor}`,
    );
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.fields).toHaveProperty('cursor');
    const unknown = await admin.api.get<ErrorBody>('/api/contacts?colour=red&sort=shoeSize&limit=0');
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.error.fields ?? {}).sort()).toEqual(['colour', 'limit', 'sort']);
    const badHistory = await admin.api.get<ErrorBody>(
      `/api/contacts/${byName.body.items[0]?.id}/history?cursor=${encodeCursor({ v: 'x', id: 'y' })}`,
    );
    expect(badHistory.status).toBe(400);
  });

  it('needs the owner to be an active user and the team a team of this workspace', async () => {
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const otherTeam = await createTeam(t, other.workspaceId);
    const gone = await addUser(t, admin.workspaceId, 'sales_rep');
    await t.ctx.db
      .updateTable('users')
      .set({ active: false })
      .where('workspace_id', '=', admin.workspaceId)
      .where('id', '=', gone.userId)
      .execute();
    for (const [body, field] of [
      [{ ownerId: other.userId }, 'ownerId'],
      [{ ownerId: gone.userId }, 'ownerId'],
      [{ ownerId: 'usr_nobody' }, 'ownerId'],
      [{ teamId: otherTeam }, 'teamId'],
    ] as const) {
      const res = await admin.api.post<ErrorBody>('/api/contacts', { firstName: 'Ada', ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.error.fields ?? {})).toEqual([field]);
    }
    expect(await listIds(admin.api, '/api/contacts')).toEqual([]);
  });

  it('links only to a live company of the same workspace', async () => {
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const foreign = await newCompany(other.api, { name: 'Foreign' });
    const gone = await newCompany(admin.api, { name: 'Gone' });
    await admin.api.delete(`/api/companies/${gone.id}`);
    for (const companyId of [foreign.id, gone.id, 'cmp_nothing']) {
      const res = await admin.api.post<ErrorBody>('/api/contacts', { firstName: 'Ada', companyId });
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual({ companyId: expect.any(String) });
    }
    const c = await newContact(admin.api, { firstName: 'Ada' });
    const res = await admin.api.patch<ErrorBody>(`/api/contacts/${c.id}`, { companyId: foreign.id });
    expect(res.status).toBe(400);
    expect(await auditRows(t, admin.workspaceId, c.id)).toHaveLength(1);
  });

  it('treats another workspace’s contact as not found for every operation', async () => {
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const theirs = await newContact(other.api, { firstName: 'Theirs', email: 't@example.com' });
    expect((await admin.api.get(`/api/contacts/${theirs.id}`)).status).toBe(404);
    expect((await admin.api.patch(`/api/contacts/${theirs.id}`, { title: 'x' })).status).toBe(404);
    expect((await admin.api.delete(`/api/contacts/${theirs.id}`)).status).toBe(404);
    expect((await admin.api.post(`/api/contacts/${theirs.id}/restore`)).status).toBe(404);
    expect((await admin.api.get(`/api/contacts/${theirs.id}/history`)).status).toBe(404);
    expect(await listIds(admin.api, '/api/contacts')).toEqual([]);
    // Dedupe is per workspace: the same e-mail is fine here.
    expect((await admin.api.post('/api/contacts', { email: 't@example.com' })).status).toBe(201);
    expect((await other.api.get<ContactDto>(`/api/contacts/${theirs.id}`)).body.title).toBeNull();
  });
});

forEachBackend('contacts: audit and history', (t) => {
  it('audits create, update, owner change, delete and restore; history lists them newest first', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const c = await newContact(admin.api, { firstName: 'Ada', email: 'ada@example.com' });
    t.clock.advance(1000);
    await admin.api.patch(`/api/contacts/${c.id}`, { title: 'CTO', ownerId: rep.userId });
    t.clock.advance(1000);
    await admin.api.delete(`/api/contacts/${c.id}`);
    t.clock.advance(1000);
    await admin.api.post(`/api/contacts/${c.id}/restore`);

    const items = await history(admin.api, `/api/contacts/${c.id}/history`);
    expect(items.map((i) => i.action)).toEqual([
      'restore',
      'delete',
      expect.any(String),
      expect.any(String),
      'create',
    ]);
    expect(
      items
        .slice(2, 4)
        .map((i) => i.action)
        .sort(),
    ).toEqual(['owner_change', 'update']);
    const owner = items.find((i) => i.action === 'owner_change');
    expect(owner?.diff).toEqual({ ownerId: { from: null, to: rep.userId } });
    const update = items.find((i) => i.action === 'update');
    expect(update?.diff).toEqual({ title: { from: null, to: 'CTO' } });
    expect(items[4]).toMatchObject({
      actorUserId: admin.userId,
      actorLabel: admin.email,
      entityType: 'contact',
      entityId: c.id,
      diff: { firstName: 'Ada', email: 'ada@example.com' },
    });
  });

  it('pages the history with a cursor, newest first, without repeats', async () => {
    const admin = await createWorkspace(t);
    const c = await newContact(admin.api, { firstName: 'v0' });
    for (let i = 1; i <= 6; i++) {
      t.clock.advance(10);
      await admin.api.patch(`/api/contacts/${c.id}`, { firstName: `v${i}` });
    }
    const seen: AuditEntryDto[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/contacts/${c.id}/history?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await admin.api.get<Page<AuditEntryDto>>(url);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(seen.map((e) => (e.diff.firstName as { to?: string })?.to ?? e.diff.firstName)).toEqual([
      'v6',
      'v5',
      'v4',
      'v3',
      'v2',
      'v1',
      'v0',
    ]);
  });

  it('writes no audit row when a write fails', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const c = await newContact(admin.api, { email: 'ada@example.com', ownerId: rep.userId });
    await newContact(admin.api, { email: 'bob@example.com' });
    const before = (await auditRows(t, admin.workspaceId)).length;
    expect((await admin.api.post('/api/contacts', { email: 'ADA@example.com' })).status).toBe(409);
    expect((await admin.api.patch(`/api/contacts/${c.id}`, { email: 'bob@example.com' })).status).toBe(409);
    expect((await admin.api.patch(`/api/contacts/${c.id}`, { custom: { nope: 1 } })).status).toBe(400);
    expect((await admin.api.patch(`/api/contacts/${c.id}`, { ownerId: 'usr_nobody' })).status).toBe(400);
    expect((await rep.api.patch(`/api/contacts/${c.id}`, { ownerId: admin.userId })).status).toBe(403);
    expect((await admin.api.post('/api/contacts', { email: 'bad' })).status).toBe(400);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(before);
  });
});
