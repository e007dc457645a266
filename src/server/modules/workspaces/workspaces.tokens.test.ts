import { expect, it } from 'vitest';
import { ApiClient, addUser, createWorkspace, sessionOf } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';

interface Token {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

forEachBackend('API tokens', (t) => {
  it('creates a token from a session, shows the secret once, and the token then authenticates', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const session = await sessionOf(t, rep);
    const res = await session.post<{ id: string; token: string }>('/api/tokens', { name: 'Zapier' });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^tdm_/);
    const viaToken = new ApiClient(t.app, { bearer: res.body.token });
    expect((await viaToken.get('/api/me')).body).toMatchObject({ user: { id: rep.userId } });
    const list = await session.get<{ items: Token[] }>('/api/tokens');
    expect(list.body.items.map((i) => i.name).sort()).toEqual(['Zapier', 'test']);
    expect(list.body.items.find((i) => i.id === res.body.id)).toMatchObject({ userId: rep.userId });
    const secret = res.body.token.split('.').pop() ?? '';
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const stored = await t.ctx.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(secret);
  });

  it('refuses to mint a token with a token, so a leaked token cannot outlive its revocation', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.post<ErrorBody>('/api/tokens', { name: 'successor' });
    expect(res.status).toBe(403);
    expect((await admin.api.get<{ items: Token[] }>('/api/tokens')).body.items).toHaveLength(1);
  });

  it('lists only the caller’s own live tokens', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const mine = await rep.api.get<{ items: Token[] }>('/api/tokens');
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]?.userId).toBe(rep.userId);
    const [token] = mine.body.items;
    expect((await rep.api.delete(`/api/tokens/${token?.id}`)).status).toBe(200);
    const session = await sessionOf(t, rep);
    expect((await session.get<{ items: Token[] }>('/api/tokens')).body.items).toEqual([]);
  });

  it('lets an admin list another user’s tokens, and nobody else', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const manager = await addUser(t, admin.workspaceId, 'sales_manager');
    const theirs = await admin.api.get<{ items: Token[] }>(`/api/tokens?userId=${rep.userId}`);
    expect(theirs.body.items.map((i) => i.userId)).toEqual([rep.userId]);
    expect((await manager.api.get(`/api/tokens?userId=${rep.userId}`)).status).toBe(403);
    const stranger = await createWorkspace(t);
    expect((await admin.api.get(`/api/tokens?userId=${stranger.userId}`)).status).toBe(404);
  });

  it('revokes one’s own token, which then stops working; revoking again changes nothing', async () => {
    const admin = await createWorkspace(t);
    const [token] = (await admin.api.get<{ items: Token[] }>('/api/tokens')).body.items;
    const session = await sessionOf(t, admin);
    expect((await session.delete(`/api/tokens/${token?.id}`)).status).toBe(200);
    expect((await admin.api.get('/api/me')).status).toBe(401);
    expect((await session.delete(`/api/tokens/${token?.id}`)).status).toBe(200);
    const revocations = await t.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'revoke')
      .where('entity_id', '=', token?.id ?? '')
      .execute();
    expect(revocations).toHaveLength(1);
  });

  it('hides another user’s token from a non-admin (404) but lets an admin revoke it', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const manager = await addUser(t, admin.workspaceId, 'sales_manager');
    const [repToken] = (await rep.api.get<{ items: Token[] }>('/api/tokens')).body.items;
    const res = await manager.api.delete<ErrorBody>(`/api/tokens/${repToken?.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await rep.api.get('/api/me')).status).toBe(200);
    expect((await admin.api.delete(`/api/tokens/${repToken?.id}`)).status).toBe(200);
    expect((await rep.api.get('/api/me')).status).toBe(401);
  });

  it('answers 404 to an admin revoking another workspace’s token, which keeps working', async () => {
    const admin = await createWorkspace(t);
    const stranger = await createWorkspace(t);
    const [theirToken] = (await stranger.api.get<{ items: Token[] }>('/api/tokens')).body.items;
    expect((await admin.api.delete(`/api/tokens/${theirToken?.id}`)).status).toBe(404);
    expect((await stranger.api.get('/api/me')).status).toBe(200);
  });

  it('records a token’s last use at most once a minute', async () => {
    const admin = await createWorkspace(t);
    const lastUsed = async () =>
      (
        await t.ctx.db
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('user_id', '=', admin.userId)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    expect(await lastUsed()).toBeNull();
    const first = t.clock.now();
    await admin.api.get('/api/me');
    expect(await lastUsed()).toEqual(first);
    t.clock.advance(59_000);
    await admin.api.get('/api/me');
    expect(await lastUsed()).toEqual(first);
    t.clock.advance(2_000);
    await admin.api.get('/api/me');
    expect(await lastUsed()).toEqual(t.clock.now());
    const listed = await admin.api.get<{ items: Token[] }>('/api/tokens');
    expect(listed.body.items[0]?.lastUsedAt).toBe(t.clock.now().toISOString());
  });

  it('rejects a bad token body or id naming the field, and creates nothing', async () => {
    const admin = await createWorkspace(t);
    const session = await sessionOf(t, admin);
    const res = await session.post<ErrorBody>('/api/tokens', { name: '', scope: 'all' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ name: expect.any(String), scope: 'is not a known field' });
    expect((await session.get<{ items: Token[] }>('/api/tokens')).body.items).toHaveLength(1);
    const badId = await session.delete<ErrorBody>(`/api/tokens/${'x'.repeat(65)}`);
    expect(badId.status).toBe(400);
    expect(badId.body.error.fields).toEqual({ id: expect.any(String) });
  });
});
