import { sql } from 'kysely';
import { expect, it } from 'vitest';
import {
  ApiClient,
  addUser,
  auditRows,
  createTeam,
  createWorkspace,
  sessionOf,
  type TestUser,
} from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';

const password = 'correct horse battery';

/** Runs `act` and returns the audit rows it added to the workspace. */
async function auditedBy(t: TestBackend, workspaceId: string, act: () => Promise<unknown>) {
  const before = new Set((await auditRows(t, workspaceId)).map((r) => r.id));
  await act();
  return (await auditRows(t, workspaceId)).filter((r) => !before.has(r.id));
}

type Table = 'audit_log' | 'team_members' | 'users' | 'teams' | 'api_tokens' | 'sessions';

/**
 * From now on every write to `table` fails inside the database. `at commit` fails the commit of the
 * transaction that wrote: refusing the audit row that way catches an audit written after the
 * change committed; refusing the change's own table catches an audit written on another
 * connection (it would commit alone and stay behind).
 */
async function refuseWrites(t: TestBackend, table: Table, when: 'immediately' | 'at commit') {
  await sql
    .raw(`CREATE OR REPLACE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'refused by the test'; END $$`)
    .execute(t.ctx.db);
  const trigger =
    when === 'immediately'
      ? `CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON ${table}`
      : `CREATE CONSTRAINT TRIGGER test_refuse AFTER INSERT OR UPDATE ON ${table} DEFERRABLE INITIALLY DEFERRED`;
  await sql.raw(`${trigger} FOR EACH ROW EXECUTE FUNCTION test_refuse()`).execute(t.ctx.db);
}

async function userRow(t: TestBackend, id: string) {
  return t.ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

forEachBackend('audit rows of workspace changes', (t) => {
  it('writes one create row for a new user, naming the admin, e-mail, role and teams', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId);
    let id = '';
    const rows = await auditedBy(t, admin.workspaceId, async () => {
      const res = await admin.api.post<{ id: string }>('/api/users', {
        email: 'New@Example.com',
        name: 'New',
        password,
        role: 'marketing',
        teamIds: [team],
      });
      id = res.body.id;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'create',
      entity_type: 'user',
      entity_id: id,
      actor_user_id: admin.userId,
      actor_label: admin.email,
      diff: { email: 'new@example.com', name: 'New', role: 'marketing', teamIds: [team] },
    });
    expect(JSON.stringify(rows[0]?.diff)).not.toContain(password);
  });

  it('writes one role_change row with from and to for a role change', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const rows = await auditedBy(t, admin.workspaceId, () =>
      admin.api.patch(`/api/users/${rep.userId}`, { role: 'sales_manager' }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'role_change',
      entity_type: 'user',
      entity_id: rep.userId,
      actor_user_id: admin.userId,
      diff: { role: { from: 'sales_rep', to: 'sales_manager' } },
    });
  });

  it('writes a row per kind of change when one patch renames, demotes and deactivates', async () => {
    const admin = await createWorkspace(t);
    const manager = await addUser(t, admin.workspaceId, 'sales_manager');
    await sessionOf(t, manager);
    const rows = await auditedBy(t, admin.workspaceId, () =>
      admin.api.patch(`/api/users/${manager.userId}`, { name: 'Gone', role: 'sales_rep', active: false }),
    );
    expect(rows.map((r) => r.action).sort()).toEqual(['deactivate', 'role_change', 'update']);
    expect(rows.find((r) => r.action === 'deactivate')?.diff).toEqual({
      active: { from: true, to: false },
      sessionsEnded: 1,
      tokensRevoked: 1,
    });
    expect(rows.find((r) => r.action === 'update')?.diff).toEqual({
      name: { from: expect.any(String), to: 'Gone' },
    });
  });

  it('writes one row for a team’s creation and one for its change', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    let id = '';
    const created = await auditedBy(t, admin.workspaceId, async () => {
      id = (await admin.api.post<{ id: string }>('/api/teams', { name: 'North', memberIds: [rep.userId] }))
        .body.id;
    });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      action: 'create',
      entity_type: 'team',
      entity_id: id,
      actor_user_id: admin.userId,
      diff: { name: 'North', memberIds: [rep.userId] },
    });
    const changed = await auditedBy(t, admin.workspaceId, () =>
      admin.api.patch(`/api/teams/${id}`, { name: 'North-East', memberIds: [] }),
    );
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      action: 'update',
      entity_type: 'team',
      entity_id: id,
      diff: { name: { from: 'North', to: 'North-East' }, memberIds: { added: [], removed: [rep.userId] } },
    });
  });

  it('writes one row for a token’s creation and one for its revocation, never the secret', async () => {
    const admin = await createWorkspace(t);
    const session = await sessionOf(t, admin);
    let created = { id: '', token: '' };
    const made = await auditedBy(t, admin.workspaceId, async () => {
      created = (await session.post<{ id: string; token: string }>('/api/tokens', { name: 'CI' })).body;
    });
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      action: 'create',
      entity_type: 'api_token',
      entity_id: created.id,
      actor_user_id: admin.userId,
      diff: { userId: admin.userId, name: 'CI' },
    });
    expect(JSON.stringify(made[0])).not.toContain(created.token.split('.').pop());
    const revoked = await auditedBy(t, admin.workspaceId, () => session.delete(`/api/tokens/${created.id}`));
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({
      action: 'revoke',
      entity_type: 'api_token',
      entity_id: created.id,
      actor_user_id: admin.userId,
      diff: { userId: admin.userId, name: 'CI' },
    });
  });

  it('writes one sign_in row with the caller’s address', async () => {
    const admin = await createWorkspace(t);
    const rows = await auditedBy(t, admin.workspaceId, () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: admin.email, password },
        remoteAddress: '203.0.113.7',
      }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'sign_in',
      entity_type: 'user',
      entity_id: admin.userId,
      actor_user_id: admin.userId,
      ip: '203.0.113.7',
    });
  });
});

forEachBackend('an audit row and its change commit together', (t) => {
  interface Case {
    name: string;
    /** The table the change itself writes last. */
    table: Table;
    /** Sets the scene (before inserts start failing); returns the act and the check that nothing changed. */
    arrange(admin: TestUser): Promise<{ act(): Promise<{ status: number }>; unchanged(): Promise<void> }>;
  }
  const cases: Case[] = [
    {
      name: 'a new user',
      table: 'users',
      async arrange(admin) {
        return {
          act: () =>
            admin.api.post('/api/users', { email: 'x@example.com', name: 'X', password, role: 'service' }),
          unchanged: async () => {
            const users = await admin.api.get<{ items: unknown[] }>('/api/users');
            expect(users.body.items).toHaveLength(1);
          },
        };
      },
    },
    {
      name: 'a role change',
      table: 'users',
      async arrange(admin) {
        const rep = await addUser(t, admin.workspaceId, 'sales_rep');
        return {
          act: () => admin.api.patch(`/api/users/${rep.userId}`, { role: 'admin' }),
          unchanged: async () => expect((await userRow(t, rep.userId))?.role).toBe('sales_rep'),
        };
      },
    },
    {
      name: 'a deactivation',
      table: 'users',
      async arrange(admin) {
        const rep = await addUser(t, admin.workspaceId, 'sales_rep');
        return {
          act: () => admin.api.patch(`/api/users/${rep.userId}`, { active: false }),
          unchanged: async () => expect((await rep.api.get('/api/me')).status).toBe(200),
        };
      },
    },
    {
      name: 'a team change',
      table: 'teams',
      async arrange(admin) {
        const team = await createTeam(t, admin.workspaceId, 'Before');
        return {
          act: () => admin.api.patch(`/api/teams/${team}`, { name: 'After', memberIds: [admin.userId] }),
          unchanged: async () =>
            expect((await admin.api.get(`/api/teams/${team}`)).body).toEqual({
              id: team,
              name: 'Before',
              memberIds: [],
            }),
        };
      },
    },
    {
      name: 'a new token',
      table: 'api_tokens',
      async arrange(admin) {
        const session = await sessionOf(t, admin);
        return {
          act: () => session.post('/api/tokens', { name: 'doomed' }),
          unchanged: async () =>
            expect(
              (await admin.api.get<{ items: { name: string }[] }>('/api/tokens')).body.items.map(
                (i) => i.name,
              ),
            ).toEqual(['test']),
        };
      },
    },
    {
      name: 'a token revocation',
      table: 'api_tokens',
      async arrange(admin) {
        const [token] = (await admin.api.get<{ items: { id: string }[] }>('/api/tokens')).body.items;
        return {
          act: () => admin.api.delete(`/api/tokens/${token?.id}`),
          unchanged: async () => expect((await admin.api.get('/api/me')).status).toBe(200),
        };
      },
    },
    {
      name: 'a sign-in',
      table: 'sessions',
      async arrange(admin) {
        return {
          act: () => new ApiClient(t.app).post('/api/auth/sign-in', { email: admin.email, password }),
          unchanged: async () => {
            const sessions = await t.ctx.db
              .selectFrom('sessions')
              .select('id')
              .where('user_id', '=', admin.userId)
              .execute();
            expect(sessions).toEqual([]);
            expect((await userRow(t, admin.userId))?.last_sign_in_at).toBeNull();
          },
        };
      },
    },
  ];

  for (const c of cases) {
    it(`leaves ${c.name} undone when its audit row cannot be committed`, async () => {
      const admin = await createWorkspace(t);
      const { act, unchanged } = await c.arrange(admin);
      const before = await auditRows(t, admin.workspaceId);
      await refuseWrites(t, 'audit_log', 'at commit');
      expect((await act()).status).toBe(500);
      await unchanged();
      expect(await auditRows(t, admin.workspaceId)).toEqual(before);
    });

    it(`leaves no audit row for ${c.name} that cannot be committed`, async () => {
      const admin = await createWorkspace(t);
      const { act, unchanged } = await c.arrange(admin);
      const before = await auditRows(t, admin.workspaceId);
      await refuseWrites(t, c.table, 'at commit');
      expect((await act()).status).toBe(500);
      await sql.raw(`DROP TRIGGER test_refuse ON ${c.table}`).execute(t.ctx.db);
      await unchanged();
      expect(await auditRows(t, admin.workspaceId)).toEqual(before);
    });
  }

  it('leaves no audit row (and no rename) when a team change fails after its first statement', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId, 'Before');
    const before = await auditRows(t, admin.workspaceId);
    await refuseWrites(t, 'team_members', 'immediately');
    const res = await admin.api.patch(`/api/teams/${team}`, { name: 'After', memberIds: [admin.userId] });
    expect(res.status).toBe(500);
    expect((await admin.api.get<{ name: string }>(`/api/teams/${team}`)).body.name).toBe('Before');
    expect(await auditRows(t, admin.workspaceId)).toEqual(before);
  });

  it('leaves no audit row (and no user) when adding a user to a team fails', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId);
    const before = await auditRows(t, admin.workspaceId);
    await refuseWrites(t, 'team_members', 'immediately');
    const res = await admin.api.post('/api/users', {
      email: 'x@example.com',
      name: 'X',
      password,
      role: 'sales_rep',
      teamIds: [team],
    });
    expect(res.status).toBe(500);
    expect((await admin.api.get<{ items: unknown[] }>('/api/users')).body.items).toHaveLength(1);
    expect(await auditRows(t, admin.workspaceId)).toEqual(before);
  });
});
