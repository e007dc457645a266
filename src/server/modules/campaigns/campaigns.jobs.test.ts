import { expect, it } from 'vitest';
import { addUser, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { NotificationPageDto } from '../../../contracts/notifications.ts';
import { allJobs } from '../../jobs/schedule.ts';
import { newContact } from '../contacts/records.fixtures.ts';
import { newCampaign } from './campaigns.fixtures.ts';
import { notifySalesOfLaunches } from './campaigns.jobs.ts';

const DAY = 86_400_000;

forEachBackend('involve sales early', (t) => {
  it('tells each owner of member contacts once, 7 days before a planned start: not at 8, once at 7, never again', async () => {
    const admin = await createWorkspace(t);
    const repA = await addUser(t, admin.workspaceId, 'sales_rep');
    const repB = await addUser(t, admin.workspaceId, 'sales_rep');
    t.clock.set('2026-03-01T09:00:00Z');
    const show = await newCampaign(admin, {
      name: 'Canton Fair',
      startsOn: '2026-03-10',
      endsOn: '2026-03-14',
    });
    const a1 = await newContact(admin.api, {
      email: 'a1@example.com',
      firstName: 'Ann',
      ownerId: repA.userId,
    });
    const a2 = await newContact(admin.api, {
      email: 'a2@example.com',
      firstName: 'Abe',
      ownerId: repA.userId,
    });
    const b1 = await newContact(admin.api, {
      email: 'b1@example.com',
      firstName: 'Bo',
      ownerId: repB.userId,
    });
    const none = await newContact(admin.api, { email: 'n@example.com' });
    const added = await admin.api.post(`/api/campaigns/${show.id}/members`, {
      contactIds: [a1.id, a2.id, b1.id, none.id],
    });
    expect(added.status).toBe(200);

    t.clock.set('2026-03-02T09:00:00Z'); // 8 days before
    expect(await notifySalesOfLaunches(t.ctx)).toEqual({ campaigns: 0, notifications: 0 });
    t.clock.set('2026-03-03T09:00:00Z'); // 7 days before
    expect(await notifySalesOfLaunches(t.ctx)).toEqual({ campaigns: 1, notifications: 2 });
    t.clock.advance(DAY);
    expect(await notifySalesOfLaunches(t.ctx)).toEqual({ campaigns: 0, notifications: 0 });

    const forA = await repA.api.get<NotificationPageDto>('/api/notifications');
    expect(forA.body.items).toHaveLength(1);
    expect(forA.body.items[0]).toMatchObject({
      kind: 'campaign_launch',
      link: `/campaigns/${show.id}`,
      data: { campaignName: 'Canton Fair', startsOn: '2026-03-10', total: 2 },
    });
    expect((forA.body.items[0]!.data.contacts as { name: string }[]).map((c) => c.name).sort()).toEqual([
      'Abe',
      'Ann',
    ]);
    const forB = await repB.api.get<NotificationPageDto>('/api/notifications');
    expect(forB.body.items.map((n) => n.data.total)).toEqual([1]);
    const forAdmin = await admin.api.get<NotificationPageDto>('/api/notifications');
    expect(forAdmin.body.items).toHaveLength(0);
  });

  it('follows the workspace setting and the campaign’s own notice days, and skips campaigns not planned', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    t.clock.set('2026-05-01T12:00:00Z');
    const c = await newContact(admin.api, { email: 'c@example.com', ownerId: rep.userId });
    const set = await admin.api.put('/api/campaign-settings', { noticeDays: 3 });
    expect(set.status).toBe(200);
    const byWorkspace = await newCampaign(admin, { name: 'W', channel: 'webinar', startsOn: '2026-05-05' });
    const ownDays = await newCampaign(admin, {
      name: 'O',
      channel: 'seminar',
      startsOn: '2026-05-12',
      noticeDays: 14,
    });
    const active = await newCampaign(admin, {
      name: 'A',
      channel: 'seminar',
      startsOn: '2026-05-02',
      status: 'active',
    });
    for (const id of [byWorkspace.id, ownDays.id, active.id])
      await admin.api.post(`/api/campaigns/${id}/members`, { contactIds: [c.id] });
    expect(await notifySalesOfLaunches(t.ctx)).toEqual({ campaigns: 1, notifications: 1 }); // O: 11 days ≤ 14
    t.clock.set('2026-05-02T12:00:00Z');
    expect(await notifySalesOfLaunches(t.ctx)).toEqual({ campaigns: 1, notifications: 1 }); // W: 3 days
    const names = (await rep.api.get<NotificationPageDto>('/api/notifications')).body.items.map(
      (n) => n.data.campaignName,
    );
    expect(names).toEqual(['W', 'O']);
    const bad = await admin.api.put<{ error: { fields: Record<string, string> } }>('/api/campaign-settings', {
      noticeDays: -1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('noticeDays');
  });

  it('is a scheduled job in the one list of jobs', () => {
    const job = allJobs(t.ctx).find((j) => j.name === 'notifySalesOfLaunches');
    expect(job?.cron).toBeTruthy();
  });
});
