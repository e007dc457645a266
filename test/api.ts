import type { Role } from '../src/server/db/types.ts';
import type { ZApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/lib/ids.ts';
import {
  createApiToken,
  createWorkspaceWithUser,
  insertUserAudited,
} from '../src/server/modules/workspaces/workspaces.service.ts';
import type { TestBackend } from './harness.ts';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Talks HTTP to the app in-process (fastify.inject): the full stack of hooks, validation and policies. */
export class ApiClient {
  readonly #app: ZApp;
  readonly #auth: { bearer?: string; cookie?: string; csrf?: string };
  constructor(app: ZApp, auth: { bearer?: string; cookie?: string; csrf?: string } = {}) {
    this.#app = app;
    this.#auth = auth;
  }
  async request<T = unknown>(
    method: Method,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const h: Record<string, string> = { ...headers };
    if (this.#auth.bearer) h.authorization = `Bearer ${this.#auth.bearer}`;
    if (this.#auth.cookie) h.cookie = `tandem_session=${this.#auth.cookie}`;
    if (this.#auth.csrf && method !== 'GET') h['x-csrf-token'] = this.#auth.csrf;
    const res = await this.#app.inject({
      method,
      url,
      headers: h,
      ...(body === undefined
        ? {}
        : typeof body === 'string'
          ? { payload: body }
          : { payload: body as object }),
    });
    const text = res.body;
    let parsed: unknown = text;
    if ((res.headers['content-type'] ?? '').toString().includes('json') && text) parsed = JSON.parse(text);
    return { status: res.statusCode, body: parsed as T, headers: res.headers } satisfies ApiResponse<T>;
  }
  get<T = unknown>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = unknown>(url: string, body?: unknown) {
    return this.request<T>('POST', url, body ?? {});
  }
  patch<T = unknown>(url: string, body?: unknown) {
    return this.request<T>('PATCH', url, body ?? {});
  }
  put<T = unknown>(url: string, body?: unknown) {
    return this.request<T>('PUT', url, body ?? {});
  }
  delete<T = unknown>(url: string) {
    return this.request<T>('DELETE', url);
  }
}

export interface TestUser {
  workspaceId: string;
  userId: string;
  email: string;
  role: Role;
  token: string;
  api: ApiClient;
}

let seq = 0;

/** A new workspace with an admin who holds an API token. */
export async function createWorkspace(t: TestBackend, name = `Acme ${++seq}`): Promise<TestUser> {
  const email = `admin${++seq}@example.com`;
  const { workspaceId, userId } = await t.ctx.db
    .transaction()
    .execute((trx) =>
      createWorkspaceWithUser(
        trx,
        name,
        { email, name: 'Admin', password: 'correct horse battery', role: 'admin' },
        'test',
      ),
    );
  return withToken(t, { workspaceId, userId, email, role: 'admin' });
}

/** Adds a user with a role (and team memberships) to a workspace, with an API token. */
export async function addUser(
  t: TestBackend,
  workspaceId: string,
  role: Role,
  opts: { teamIds?: string[]; email?: string } = {},
): Promise<TestUser> {
  const email = opts.email ?? `${role}${++seq}@example.com`;
  const userId = await t.ctx.db
    .transaction()
    .execute((trx) =>
      insertUserAudited(
        trx,
        workspaceId,
        { email, name: `${role} ${seq}`, password: 'correct horse battery', role },
        { userId: null, label: 'test' },
      ),
    );
  for (const teamId of opts.teamIds ?? []) {
    await t.ctx.db
      .insertInto('team_members')
      .values({ workspace_id: workspaceId, team_id: teamId, user_id: userId })
      .execute();
  }
  return withToken(t, { workspaceId, userId, email, role });
}

export async function createTeam(
  t: TestBackend,
  workspaceId: string,
  name = `Team ${++seq}`,
): Promise<string> {
  const id = newId('team');
  await t.ctx.db.insertInto('teams').values({ workspace_id: workspaceId, id, name }).execute();
  return id;
}

async function withToken(t: TestBackend, u: Omit<TestUser, 'token' | 'api'>): Promise<TestUser> {
  const { token } = await createApiToken(t.ctx.db, u.workspaceId, u.userId, 'test', {
    userId: null,
    label: 'test',
  });
  return { ...u, token, api: new ApiClient(t.app, { bearer: token }) };
}

/** Signs in with the password and returns a cookie-session client that sends the CSRF token. */
export async function signInClient(t: TestBackend, email: string, password = 'correct horse battery') {
  const res = await new ApiClient(t.app).post<{ csrfToken: string }>('/api/auth/sign-in', {
    email,
    password,
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = String(res.headers['set-cookie'] ?? '');
  const cookie = /tandem_session=([^;]+)/.exec(setCookie)?.[1];
  if (!cookie) throw new Error('no session cookie');
  return {
    withCsrf: new ApiClient(t.app, { cookie, csrf: res.body.csrfToken }),
    withoutCsrf: new ApiClient(t.app, { cookie }),
    csrfToken: res.body.csrfToken,
    cookie,
  };
}

/** The workspace's audit rows, oldest first, read straight from the table (no API in between). */
export async function auditRows(t: TestBackend, workspaceId: string) {
  return t.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** A cookie session for a test user (most write routes accept a Bearer token too; some need a session). */
export async function sessionOf(t: TestBackend, user: TestUser): Promise<ApiClient> {
  return (await signInClient(t, user.email)).withCsrf;
}
