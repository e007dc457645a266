import { expect, it } from 'vitest';
import { addUser, auditRows, createTeam, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';

interface Team {
  id: string;
  name: string;
  memberIds: string[];
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; existingId?: string };
}

forEachBackend('teams', (t) => {
  it('lists the workspace’s teams with their members to any signed-in user', async () => {
    const admin = await createWorkspace(t);
    const west = await createTeam(t, admin.workspaceId, 'West');
    const east = await createTeam(t, admin.workspaceId, 'east');
    const rep = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [west] });
    const elsewhere = await createWorkspace(t);
    await createTeam(t, elsewhere.workspaceId, 'Foreign');
    const res = await rep.api.get<{ items: Team[] }>('/api/teams');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: east, name: 'east', memberIds: [] },
      { id: west, name: 'West', memberIds: [rep.userId] },
    ]);
    expect((await rep.api.get<Team>(`/api/teams/${west}`)).body).toEqual({
      id: west,
      name: 'West',
      memberIds: [rep.userId],
    });
  });

  it('lets an admin create a team with members, and forbids everyone else', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const manager = await addUser(t, admin.workspaceId, 'sales_manager');
    const res = await admin.api.post<Team>('/api/teams', {
      name: 'Key accounts',
      memberIds: [rep.userId, manager.userId, rep.userId],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Key accounts' });
    expect(res.body.memberIds.sort()).toEqual([rep.userId, manager.userId].sort());
    expect((await manager.api.get('/api/me')).body).toMatchObject({ user: { teamIds: [res.body.id] } });
    expect((await manager.api.post('/api/teams', { name: 'Mine' })).status).toBe(403);
    expect((await manager.api.patch(`/api/teams/${res.body.id}`, { memberIds: [] })).status).toBe(403);
    expect((await admin.api.get<{ items: Team[] }>('/api/teams')).body.items).toHaveLength(1);
  });

  it('replaces the membership with memberIds and audits who joined and who left', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId, 'Export');
    const a = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [team] });
    const b = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [team] });
    const c = await addUser(t, admin.workspaceId, 'sales_rep');
    const res = await admin.api.patch<Team>(`/api/teams/${team}`, { memberIds: [b.userId, c.userId] });
    expect(res.status).toBe(200);
    expect(res.body.memberIds.sort()).toEqual([b.userId, c.userId].sort());
    expect((await a.api.get('/api/me')).body).toMatchObject({ user: { teamIds: [] } });
    const rows = (await auditRows(t, admin.workspaceId)).filter((r) => r.entity_type === 'team');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'update',
      entity_id: team,
      actor_user_id: admin.userId,
      diff: { memberIds: { added: [c.userId], removed: [a.userId] } },
    });
    const emptied = await admin.api.patch<Team>(`/api/teams/${team}`, { memberIds: [] });
    expect(emptied.body.memberIds).toEqual([]);
  });

  it('refuses an unknown or foreign member id naming memberIds, and changes nothing', async () => {
    const admin = await createWorkspace(t);
    const team = await createTeam(t, admin.workspaceId, 'Export');
    const rep = await addUser(t, admin.workspaceId, 'sales_rep', { teamIds: [team] });
    const stranger = await createWorkspace(t);
    const before = (await auditRows(t, admin.workspaceId)).length;
    const res = await admin.api.patch<ErrorBody>(`/api/teams/${team}`, {
      name: 'Renamed',
      memberIds: [stranger.userId],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ memberIds: expect.stringContaining(stranger.userId) });
    expect((await admin.api.get<Team>(`/api/teams/${team}`)).body).toEqual({
      id: team,
      name: 'Export',
      memberIds: [rep.userId],
    });
    const created = await admin.api.post<ErrorBody>('/api/teams', { name: 'New', memberIds: ['usr_ghost'] });
    expect(created.body.error.fields).toEqual({ memberIds: expect.stringContaining('usr_ghost') });
    expect((await admin.api.get<{ items: Team[] }>('/api/teams')).body.items).toHaveLength(1);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(before);
  });

  it('keeps team names unique per workspace in any letter case, with 409 and the existing id', async () => {
    const admin = await createWorkspace(t);
    const west = await admin.api.post<Team>('/api/teams', { name: 'West Coast' });
    const clash = await admin.api.post<ErrorBody>('/api/teams', { name: 'west coast' });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({
      code: 'conflict',
      existingId: west.body.id,
      fields: { name: 'is taken' },
    });
    const east = await admin.api.post<Team>('/api/teams', { name: 'East' });
    const rename = await admin.api.patch<ErrorBody>(`/api/teams/${east.body.id}`, { name: 'WEST COAST' });
    expect(rename.status).toBe(409);
    expect(rename.body.error.existingId).toBe(west.body.id);
    const recase = await admin.api.patch<Team>(`/api/teams/${west.body.id}`, { name: 'WEST COAST' });
    expect(recase.body.name).toBe('WEST COAST');
    const other = await createWorkspace(t);
    expect((await other.api.post('/api/teams', { name: 'West Coast' })).status).toBe(201);
  });

  it('answers 404 for another workspace’s team, and leaves it alone', async () => {
    const admin = await createWorkspace(t);
    const stranger = await createWorkspace(t);
    const foreign = await createTeam(t, stranger.workspaceId, 'Theirs');
    expect((await admin.api.get(`/api/teams/${foreign}`)).status).toBe(404);
    const res = await admin.api.patch<ErrorBody>(`/api/teams/${foreign}`, { name: 'Ours now' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await stranger.api.get<Team>(`/api/teams/${foreign}`)).body.name).toBe('Theirs');
  });

  it('rejects a bad team body naming each field', async () => {
    const admin = await createWorkspace(t);
    const res = await admin.api.post<ErrorBody>('/api/teams', {
      name: '  ',
      memberIds: 'all',
      colour: 'red',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      name: expect.any(String),
      memberIds: expect.any(String),
      colour: 'is not a known field',
    });
    const team = await createTeam(t, admin.workspaceId);
    const patch = await admin.api.patch<ErrorBody>(`/api/teams/${team}`, { name: 'x'.repeat(81) });
    expect(patch.body.error.fields).toEqual({ name: expect.any(String) });
    expect((await admin.api.get<{ items: Team[] }>('/api/teams')).body.items).toHaveLength(1);
  });
});
