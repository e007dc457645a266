import { expect, it } from 'vitest';
import { addUser, auditRows, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import type {
  CampaignDetailDto,
  CampaignMemberDto,
  MemberAddResultDto,
} from '../../../contracts/campaigns.ts';
import { type ErrorBody, newContact, type Page } from '../contacts/records.fixtures.ts';
import { newCampaign } from './campaigns.fixtures.ts';
import { addCampaignMembers } from './campaigns.service.ts';

async function touchesOf(t: TestBackend, workspaceId: string, campaignId: string) {
  return t.ctx.db
    .selectFrom('touches' as never)
    .select(['type' as never, 'contact_id' as never, 'channel' as never])
    .where('workspace_id' as never, '=', workspaceId as never)
    .where('campaign_id' as never, '=', campaignId as never)
    .execute() as Promise<{ type: string; contact_id: string; channel: string }[]>;
}

forEachBackend('campaign members', (t) => {
  it('adds members idempotently, never downgrades, and logs a touch once where the status is a contact', async () => {
    const admin = await createWorkspace(t);
    const show = await newCampaign(admin, { startsOn: '2026-04-20', endsOn: '2026-04-24' });
    const a = await newContact(admin.api, { email: 'a@example.com', firstName: 'Ann' });
    const b = await newContact(admin.api, { email: 'b@example.com' });
    const add = (contactIds: string[], status?: string) =>
      t.ctx.db.transaction().execute((trx) =>
        addCampaignMembers(trx, t.ctx, {
          workspaceId: admin.workspaceId,
          campaignId: show.id,
          contactIds,
          status: status as never,
          actorId: admin.userId,
          source: 'import',
        }),
      );
    expect(await add([a.id, b.id, a.id], 'registered')).toEqual({
      added: 2,
      updated: 0,
      unchanged: 0,
      touchesLogged: 0,
    });
    expect(await add([a.id], 'visited_booth')).toEqual({
      added: 0,
      updated: 1,
      unchanged: 0,
      touchesLogged: 1,
    });
    // attended logs the same touch type as a booth visit: not again
    expect(await add([a.id], 'attended')).toEqual({ added: 0, updated: 1, unchanged: 0, touchesLogged: 0 });
    expect(await add([a.id, b.id], 'registered')).toEqual({
      added: 0,
      updated: 0,
      unchanged: 2,
      touchesLogged: 0,
    });
    const touches = await touchesOf(t, admin.workspaceId, show.id);
    expect(touches).toEqual([{ type: 'trade_show_scan', contact_id: a.id, channel: 'trade_show' }]);

    const members = await admin.api.get<Page<CampaignMemberDto>>(`/api/campaigns/${show.id}/members`);
    expect(members.body.items.map((m) => [m.email, m.status, m.source])).toEqual([
      ['a@example.com', 'attended', 'import'],
      ['b@example.com', 'registered', 'import'],
    ]);
    const audit = (await auditRows(t, admin.workspaceId)).filter((r) => r.action === 'add_members');
    expect(audit).toHaveLength(3); // the all-unchanged call writes nothing
    const contact = await t.ctx.db
      .selectFrom('contacts')
      .select(['touch_count', 'source_campaign_id'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(contact).toEqual({ touch_count: 1, source_campaign_id: show.id });
  });

  it('refuses unknown contacts and statuses the channel does not offer, writing nothing', async () => {
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const webinar = await newCampaign(admin, { name: 'Webinar', channel: 'webinar' });
    const a = await newContact(admin.api, { email: 'a@example.com' });
    const foreign = await newContact(other.api, { email: 'f@example.com' });
    const res = await admin.api.post<ErrorBody>(`/api/campaigns/${webinar.id}/members`, {
      contactIds: [a.id, foreign.id],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      'contactIds.1': `no such contact in this workspace: ${foreign.id}`,
    });
    const booth = await admin.api.post<ErrorBody>(`/api/campaigns/${webinar.id}/members`, {
      contactIds: [a.id],
      status: 'visited_booth',
    });
    expect(booth.status).toBe(400);
    expect(booth.body.error.fields?.status).toContain('is not a member status of a webinar campaign');
    const count = await t.ctx.db
      .selectFrom('campaign_members')
      .select(t.ctx.db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    const ok = await admin.api.post<MemberAddResultDto>(`/api/campaigns/${webinar.id}/members`, {
      contactIds: [a.id],
      status: 'attended',
    });
    expect(ok.body).toEqual({ added: 1, updated: 0, unchanged: 0, touchesLogged: 1 });
    expect((await touchesOf(t, admin.workspaceId, webinar.id)).map((x) => x.type)).toEqual(['webinar']);
  });

  it('changes a member status by hand (any direction) and only marketing and admins may', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const seminar = await newCampaign(admin, { name: 'Seminar', channel: 'seminar' });
    const a = await newContact(admin.api, { email: 'a@example.com' });
    await admin.api.post(`/api/campaigns/${seminar.id}/members`, { contactIds: [a.id] });
    const denied = await rep.api.patch(`/api/campaigns/${seminar.id}/members/${a.id}`, {
      status: 'attended',
    });
    expect(denied.status).toBe(403);
    const up = await admin.api.patch<CampaignMemberDto>(`/api/campaigns/${seminar.id}/members/${a.id}`, {
      status: 'attended',
    });
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('attended');
    const down = await admin.api.patch<CampaignMemberDto>(`/api/campaigns/${seminar.id}/members/${a.id}`, {
      status: 'registered',
    });
    expect(down.body.status).toBe('registered');
    await admin.api.patch(`/api/campaigns/${seminar.id}/members/${a.id}`, { status: 'attended' });
    expect((await touchesOf(t, admin.workspaceId, seminar.id)).map((x) => x.type)).toEqual(['seminar']);
    const detail = await rep.api.get<CampaignDetailDto>(`/api/campaigns/${seminar.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.stats).toMatchObject({ members: 1, touches: 1, membersByStatus: { attended: 1 } });
    const gone = await admin.api.delete(`/api/campaigns/${seminar.id}/members/${a.id}`);
    expect(gone.status).toBe(204);
    expect((await admin.api.delete(`/api/campaigns/${seminar.id}/members/${a.id}`)).status).toBe(404);
  });

  it('adds the current contacts of a saved segment as members (source segment); an unknown segment is a 404', async () => {
    const admin = await createWorkspace(t);
    const mail = await newCampaign(admin, { name: 'Mailing', channel: 'direct_mail' });
    await newContact(admin.api, { email: 'de1@example.com', country: 'DE' });
    await newContact(admin.api, { email: 'de2@example.com', country: 'DE' });
    await newContact(admin.api, { email: 'fr@example.com', country: 'FR' });
    const seg = await admin.api.post<{ id: string }>('/api/segments', {
      name: 'Germans',
      definition: {
        kind: 'group',
        match: 'all',
        conditions: [{ kind: 'field', field: 'country', op: 'eq', value: 'DE' }],
      },
    });
    expect(seg.status, JSON.stringify(seg.body)).toBe(201);
    const res = await admin.api.post<MemberAddResultDto>(`/api/campaigns/${mail.id}/members`, {
      segmentId: seg.body.id,
    });
    expect(res.body).toEqual({ added: 2, updated: 0, unchanged: 0, touchesLogged: 0 });
    const members = await admin.api.get<Page<CampaignMemberDto>>(`/api/campaigns/${mail.id}/members`);
    expect(members.body.items.map((m) => [m.email, m.source]).sort()).toEqual([
      ['de1@example.com', 'segment'],
      ['de2@example.com', 'segment'],
    ]);
    expect(
      (await admin.api.post(`/api/campaigns/${mail.id}/members`, { segmentId: 'seg_nothing' })).status,
    ).toBe(404);
  });
});
