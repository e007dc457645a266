import { expect, it } from 'vitest';
import {
  ApiClient,
  addUser,
  auditRows,
  createTeam,
  createWorkspace,
  sessionOf,
  signInClient,
} from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';

interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  locale: string;
  timeZone: string;
  active: boolean;
  teamIds: string[];
  lastSignInAt: string | null;
  createdAt: string;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; existingId?: string };
}

const newUser = {
  email: 'Lin.Wei@Example.com',
  name: 'Lin Wei',
  password: 'a long enough password',
  role: 'sales_rep',
};

forEachBackend('users', (t) => {
  it('lists the workspace’s users with their teams to any signed-in user, and no one from elsewhere', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [team] });
    const other = await createWorkspace(t);
    const res = await rep.api.get<{ items: User[] }>('/api/users');
    expect(res.status).toBe(200);
    expect(res.body.items.map((u) => u.id).sort()).toEqual([admin.userId, rep.userId].sort());
    expect(res.body.items.find((u) => u.id === rep.userId)).toMatchObject({
      email: rep.email,
      role: 'sales_rep',
      active: true,
      teamIds: [team],
      locale: 'en',
    });
    expect(JSON.stringify(res.body)).not.toContain(other.userId);
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password/);
  });

  it('narrows the list to active or inactive users on request', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    expect((await admin.api.patch(`/api/users/${rep.userId}`, { active: false })).status).toBe(200);
    const active = await admin.api.get<{ items: User[] }>('/api/users?active=true');
    expect(active.body.items.map((u) => u.id)).toEqual([admin.userId]);
    const inactive = await admin.api.get<{ items: User[] }>('/api/users?active=false');
    expect(inactive.body.items.map((u) => u.id)).toEqual([rep.userId]);
    expect((await admin.api.get('/api/users?active=maybe')).body).toMatchObject({
      error: { fields: { active: expect.any(String) } },
    });
  });

  it('shows one user, and answers 404 for another workspace’s user as for an unknown id', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const stranger = await createWorkspace(t);
    expect((await rep.api.get<User>(`/api/users/${admin.userId}`)).body).toMatchObject({ id: admin.userId });
    const foreign = await admin.api.get<ErrorBody>(`/api/users/${stranger.userId}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect((await admin.api.get('/api/users/usr_nothing')).status).toBe(404);
    const patched = await admin.api.patch(`/api/users/${stranger.userId}`, { role: 'sales_rep' });
    expect(patched.status).toBe(404);
    expect((await stranger.api.get<User>(`/api/users/${stranger.userId}`)).body.role).toBe('admin');
  });

  it('lets an admin add a user whose password is stored hashed and works for sign-in', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.post<User>('/api/users', { ...newUser, locale: 'zh-CN' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'lin.wei@example.com',
      role: 'sales_rep',
      locale: 'zh-CN',
      active: true,
      teamIds: [],
      lastSignInAt: null,
    });
    const row = await t.ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(newUser.password);
    const me = await (await signInClient(t, 'lin.wei@example.com', newUser.password)).withCsrf.get('/api/me');
    expect(me.body).toMatchObject({ user: { id: res.body.id, role: 'sales_rep' } });
  });

  it('adds a user to teams, and refuses an unknown or foreign team naming teamIds without writing', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId);
    const stranger = await createWorkspace(t);
    const foreignTeam = await createTeam(t, stranger.workspaceId);
    const ok = await admin.api.post<User>('/api/users', { ...newUser, teamIds: [team, team] });
    expect(ok.body.teamIds).toEqual([team]);
    const before = (await auditRows(t, admin.workspaceId)).length;
    const bad = await admin.api.post<ErrorBody>('/api/users', {
      ...newUser,
      email: 'other@example.com',
      teamIds: [team, foreignTeam],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ teamIds: expect.stringContaining(foreignTeam) });
    expect((await admin.api.get<{ items: User[] }>('/api/users')).body.items).toHaveLength(2);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(before);
  });

  it('refuses an e-mail already used in the workspace, in any letter case, with 409 and the existing id', async () => {
    const admin = await createWorkspace(t);
    const first = await admin.api.post<User>('/api/users', newUser);
    const again = await admin.api.post<ErrorBody>('/api/users', {
      ...newUser,
      email: 'LIN.WEI@example.COM',
      name: 'Someone else',
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'conflict',
      existingId: first.body.id,
      fields: { email: 'is taken' },
    });
    const elsewhere = await createWorkspace(t);
    expect((await elsewhere.api.post('/api/users', newUser)).status).toBe(201);
  });

  it('keeps concurrent adds of one e-mail to one user, answering the loser with 409', async () => {
    const admin = await createWorkspace(t);
    const results = await Promise.all([
      admin.api.post<User | ErrorBody>('/api/users', newUser),
      admin.api.post<User | ErrorBody>('/api/users', { ...newUser, email: newUser.email.toUpperCase() }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const users = await admin.api.get<{ items: User[] }>('/api/users');
    expect(users.body.items.filter((u) => u.email === 'lin.wei@example.com')).toHaveLength(1);
  });

  it('rejects a bad user body naming each field, and writes nothing', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.post<ErrorBody>('/api/users', {
      email: 'nope',
      name: '',
      password: 'short',
      role: 'overlord',
      timeZone: 'Mars/Olympus',
      extra: true,
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields ?? {}).sort()).toEqual(
      ['email', 'extra', 'name', 'password', 'role', 'timeZone'].sort(),
    );
    const patch = await admin.api.patch<ErrorBody>(`/api/users/${admin.userId}`, {
      active: 'no',
      email: 'x@y.z',
    });
    expect(patch.body.error.fields).toMatchObject({
      active: expect.any(String),
      email: 'is not a known field',
    });
    expect((await admin.api.get<{ items: User[] }>('/api/users')).body.items).toHaveLength(1);
  });

  it('forbids non-admins to add or change users', async () => {
    const admin = await createWorkspace(t);
    for (const role of ['marketing', 'sales_manager', 'sales_rep', 'service'] as const) {
      const u = await addUser(t, admin.workspaceId, role);
      expect((await u.api.post('/api/users', newUser)).status).toBe(403);
      expect((await u.api.patch(`/api/users/${u.userId}`, { role: 'admin' })).status).toBe(403);
    }
    expect(
      (await admin.api.get<{ items: User[] }>('/api/users')).body.items.every(
        (u) => u.id === admin.userId || u.role !== 'admin',
      ),
    ).toBe(true);
  });

  it('applies a role change to the user’s very next request', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    expect((await rep.api.get('/api/audit-log')).status).toBe(403);
    const res = await admin.api.patch<User>(`/api/users/${rep.userId}`, { role: 'admin', name: 'Promoted' });
    expect(res.body).toMatchObject({ role: 'admin', name: 'Promoted' });
    expect((await rep.api.get('/api/audit-log')).status).toBe(200);
  });

  it('ends a deactivated user’s sessions and stops their tokens, and reactivation does not revive the tokens', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const session = await sessionOf(t, rep);
    expect((await session.get('/api/me')).status).toBe(200);
    const res = await admin.api.patch<User>(`/api/users/${rep.userId}`, { active: false });
    expect(res.body.active).toBe(false);
    expect((await session.get('/api/me')).status).toBe(401);
    expect((await rep.api.get('/api/me')).status).toBe(401);
    const sessions = await t.ctx.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', rep.userId)
      .execute();
    expect(sessions).toHaveLength(0);
    const signIn = await new ApiClient(t.app).post('/api/auth/sign-in', {
      email: rep.email,
      password: 'correct horse battery',
    });
    expect(signIn.status).toBe(401);
    expect((await admin.api.patch<User>(`/api/users/${rep.userId}`, { active: true })).body.active).toBe(
      true,
    );
    expect((await rep.api.get('/api/me')).status).toBe(401);
    expect((await (await sessionOf(t, rep)).get('/api/me')).status).toBe(200);
  });

  it('refuses to let the last active admin demote or deactivate themselves, naming the field', async () => {
    const admin = await createWorkspace(t);
    const demote = await admin.api.patch<ErrorBody>(`/api/users/${admin.userId}`, { role: 'marketing' });
    expect(demote.status).toBe(400);
    expect(demote.body.error.fields).toEqual({ role: expect.any(String) });
    const leave = await admin.api.patch<ErrorBody>(`/api/users/${admin.userId}`, { active: false });
    expect(leave.status).toBe(400);
    expect(leave.body.error.fields).toEqual({ active: expect.any(String) });
    const both = await admin.api.patch<ErrorBody>(`/api/users/${admin.userId}`, {
      active: false,
      role: 'service',
    });
    expect(Object.keys(both.body.error.fields ?? {}).sort()).toEqual(['active', 'role']);
    expect((await admin.api.get<User>(`/api/users/${admin.userId}`)).body).toMatchObject({
      role: 'admin',
      active: true,
    });

    const second = await addUser(t, admin.workspaceId, 'admin');
    expect((await admin.api.patch(`/api/users/${admin.userId}`, { role: 'marketing' })).status).toBe(200);
    expect((await second.api.patch(`/api/users/${second.userId}`, { active: false })).status).toBe(400);
  });

  it('leaves exactly one admin when two admins demote each other at the same moment', async () => {
    const a = await createWorkspace(t);
    const b = await addUser(t, a.workspaceId, 'admin');
    const results = await Promise.all([
      a.api.patch(`/api/users/${b.userId}`, { role: 'sales_manager' }),
      b.api.patch(`/api/users/${a.userId}`, { role: 'sales_manager' }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    // The second one either sees the first committed (400) or finds its own actor demoted (403).
    expect(statuses[0]).toBe(200);
    expect([400, 403]).toContain(statuses[1]);
    const admins = await t.ctx.db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', a.workspaceId)
      .where('role', '=', 'admin')
      .execute();
    expect(admins).toHaveLength(1);
  });

  it('sets a new password that ends the user’s sessions, keeping the admin’s own', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const repSession = await sessionOf(t, rep);
    const adminSession = await sessionOf(t, admin);
    expect(
      (await adminSession.patch(`/api/users/${rep.userId}`, { password: 'brand new secret' })).status,
    ).toBe(200);
    expect((await repSession.get('/api/me')).status).toBe(401);
    expect(
      (await (await signInClient(t, rep.email, 'brand new secret')).withCsrf.get('/api/me')).status,
    ).toBe(200);
    expect(
      (await adminSession.patch(`/api/users/${admin.userId}`, { password: 'admin new secret' })).status,
    ).toBe(200);
    expect((await adminSession.get('/api/me')).status).toBe(200);
    const row = await t.ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', rep.userId)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).not.toContain('brand new secret');
  });

  it('treats a patch that changes nothing as a no-op without an audit row', async () => {
    const admin = await createWorkspace(t);
    const before = (await auditRows(t, admin.workspaceId)).length;
    const res = await admin.api.patch<User>(`/api/users/${admin.userId}`, { role: 'admin', name: 'Admin' });
    expect(res.status).toBe(200);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(before);
  });
});

forEachBackend('one’s own settings', (t) => {
  it('lets any user change their own name, language and time zone, remembered on the next request', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const session = await sessionOf(t, rep);
    const res = await session.patch('/api/me', { name: '林伟', locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { name: '林伟', locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
      csrfToken: expect.any(String),
    });
    expect((await rep.api.get('/api/me')).body).toMatchObject({
      user: { locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
    });
    const audit = (await auditRows(t, admin.workspaceId)).filter(
      (r) => r.entity_id === rep.userId && r.action === 'update',
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_user_id: rep.userId,
      diff: {
        name: { from: expect.any(String), to: '林伟' },
        locale: { from: 'en', to: 'zh-CN' },
        timeZone: { from: 'UTC', to: 'Asia/Shanghai' },
      },
    });
  });

  it('rejects an unknown language, time zone or field (such as role) naming each, and changes nothing', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const before = (await auditRows(t, admin.workspaceId)).length;
    const res = await rep.api.patch<ErrorBody>('/api/me', {
      locale: 'fr',
      timeZone: 'Nowhere/Land',
      role: 'admin',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      locale: expect.any(String),
      timeZone: expect.any(String),
      role: 'is not a known field',
    });
    expect((await rep.api.get('/api/me')).body).toMatchObject({ user: { locale: 'en', role: 'sales_rep' } });
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(before);
  });

  it('refuses a cookie-session change of settings without the CSRF token', async () => {
    const admin = await createWorkspace(t);
    const s = await signInClient(t, admin.email);
    expect((await s.withoutCsrf.patch('/api/me', { locale: 'zh-CN' })).status).toBe(403);
    expect((await s.withCsrf.get('/api/me')).body).toMatchObject({ user: { locale: 'en' } });
  });
});
