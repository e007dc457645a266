import { describe, expect, it } from 'vitest';
import { ApiClient, addUser, createWorkspace, signInClient } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';

forEachBackend('first-run set-up and sign-in', (t) => {
  it('reports health with the engine and schema version', async () => {
    const res = await new ApiClient(t.app).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', engine: t.engine, schemaVersion: expect.any(Number) });
    expect((res.body as { schemaVersion: number }).schemaVersion).toBeGreaterThanOrEqual(1);
  });

  it('needs set-up until the first admin exists, then refuses a second set-up', async () => {
    const anon = new ApiClient(t.app);
    expect((await anon.get('/api/setup')).body).toEqual({ needsSetup: true });
    const setup = {
      workspaceName: 'Acme Export',
      name: 'Ada',
      email: 'Ada@Example.com',
      password: 'a long password',
    };
    const first = await anon.post('/api/setup', setup);
    expect(first.status).toBe(201);
    expect((await anon.get('/api/setup')).body).toEqual({ needsSetup: false });
    const second = await anon.post('/api/setup', { ...setup, email: 'eve@example.com' });
    expect(second.status).toBe(409);
    const me = await (await signInClient(t, 'ada@example.com', 'a long password')).withCsrf.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: 'ada@example.com', role: 'admin' },
      workspace: { name: 'Acme Export' },
    });
  });

  it('rejects a bad set-up body naming each field, and writes nothing', async () => {
    const res = await new ApiClient(t.app).post('/api/setup', {
      workspaceName: '',
      name: 'A',
      email: 'not-an-email',
      password: 'short',
      extra: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: {
        code: 'validation_failed',
        fields: {
          workspaceName: expect.any(String),
          email: expect.any(String),
          password: expect.any(String),
          extra: 'is not a known field',
        },
      },
    });
    expect((await new ApiClient(t.app).get('/api/setup')).body).toEqual({ needsSetup: true });
  });

  it('answers malformed JSON with a 400 in the one error shape', async () => {
    const res = await new ApiClient(t.app).request('POST', '/api/auth/sign-in', '{"email":', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
  });

  it('refuses a wrong password with 401 and audit-logs the failure', async () => {
    const admin = await createWorkspace(t);
    const res = await new ApiClient(t.app).post('/api/auth/sign-in', {
      email: admin.email,
      password: 'wrong password',
    });
    expect(res.status).toBe(401);
    const log = await admin.api.get<{ items: { action: string }[] }>('/api/audit-log?action=sign_in_failed');
    expect(log.body.items).toHaveLength(1);
  });

  it('locks an account after ten failed sign-ins within 15 minutes', async () => {
    const admin = await createWorkspace(t);
    const anon = new ApiClient(t.app);
    for (let i = 0; i < 10; i++) {
      const r = await anon.request(
        'POST',
        '/api/auth/sign-in',
        { email: admin.email, password: `wrong ${i}` },
        {
          'x-forwarded-for': `10.0.0.${i}`,
        },
      );
      expect([401, 429]).toContain(r.status);
    }
    const locked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: admin.email, password: 'correct horse battery' },
      remoteAddress: '10.9.9.9',
    });
    expect(locked.statusCode).toBe(429);
    t.clock.advance(16 * 60 * 1000);
    const later = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: admin.email, password: 'correct horse battery' },
      remoteAddress: '10.9.9.8',
    });
    expect(later.statusCode).toBe(200);
  });

  it('answers the 11th sign-in from one address within a minute with 429 in the error shape', async () => {
    const admin = await createWorkspace(t);
    const attempt = (remoteAddress: string, email: string, password = 'wrong password') =>
      t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password }, remoteAddress });
    expect(t.config.signInRateLimit).toBe(10);
    for (let i = 0; i < 10; i++) {
      // Unknown e-mails, so the per-account lockout cannot be what answers.
      expect((await attempt('198.51.100.1', `nobody${i}@example.com`)).statusCode).toBe(401);
    }
    const eleventh = await attempt('198.51.100.1', admin.email, 'correct horse battery');
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringMatching(/retry/) },
    });
    expect(eleventh.headers['retry-after']).toBeDefined();
    expect((await attempt('198.51.100.2', admin.email, 'correct horse battery')).statusCode).toBe(200);
  });

  it('requires the CSRF token on cookie-authenticated writes but not on Bearer tokens', async () => {
    const admin = await createWorkspace(t);
    const session = await signInClient(t, admin.email);
    expect((await session.withoutCsrf.get('/api/me')).status).toBe(200);
    const refused = await session.withoutCsrf.post('/api/auth/sign-out');
    expect(refused.status).toBe(403);
    expect((await session.withCsrf.post('/api/auth/sign-out')).status).toBe(200);
    expect((await session.withCsrf.get('/api/me')).status).toBe(401);
    expect((await admin.api.get('/api/me')).status).toBe(200);
  });

  it('answers 401 without credentials and 401 for a forged token', async () => {
    expect((await new ApiClient(t.app).get('/api/me')).status).toBe(401);
    const forged = new ApiClient(t.app, { bearer: 'tdm_ws_x.tok_y.zzz' });
    expect((await forged.get('/api/me')).body).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('forbids the audit log to non-admins', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    expect((await rep.api.get('/api/audit-log')).status).toBe(403);
  });
});

describe('route registration', () => {
  it('refuses to start when an API route has no named policy', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerAuth } = await import('../../http/auth.ts');
    const app = Fastify();
    registerAuth(app, {} as never);
    expect(() => app.get('/api/unguarded', async () => 'x')).toThrow(/has no policy/);
    expect(() => app.get('/api/guarded', { config: { policy: () => true } }, async () => 'x')).not.toThrow();
  });
});

forEachBackend('global rate limit', (t) => {
  it('answers anonymous floods with 429 in the one error shape', async () => {
    let last: { statusCode: number; body: string } | undefined;
    for (let i = 0; i < 305; i++) {
      last = await t.app.inject({ method: 'GET', url: '/api/setup', remoteAddress: '10.1.2.3' });
      if (last.statusCode === 429) break;
    }
    expect(last?.statusCode).toBe(429);
    expect(JSON.parse(last!.body)).toEqual({
      error: { code: 'rate_limited', message: expect.stringMatching(/retry in/) },
    });
    const other = await t.app.inject({ method: 'GET', url: '/api/setup', remoteAddress: '10.1.2.4' });
    expect(other.statusCode).toBe(200);
  });
});

forEachBackend('web app routes', (t) => {
  it('answers a missing asset with 404 and an unknown API route in the error shape', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/index-missing.js' });
    expect(asset.statusCode).toBe(404);
    const api = await new ApiClient(t.app).get('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(api.body).toEqual({ error: { code: 'not_found', message: 'No route GET /api/nothing-here' } });
  });
});

forEachBackend('API documentation', (t) => {
  it('serves OpenAPI at /api/docs describing the resources with their request schemas', async () => {
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    const doc = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    const spec = doc.json() as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>
      >;
    };
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/contacts',
      '/api/companies',
      '/api/users',
      '/api/audit-log',
      '/api/touches/batch',
      '/api/imports',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    const create = spec.paths['/api/contacts']?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(create?.properties ?? {})).toEqual(
      expect.arrayContaining(['email', 'firstName', 'custom']),
    );
  });
});
