import { expect, it } from 'vitest';
import { addUser, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { MarkReadResultDto, NotificationPageDto } from '../../../contracts/notifications.ts';
import { notify } from './notifications.service.ts';

forEachBackend('notifications', (t) => {
  it('notifies each user once per dedupe key and lists them newest first with the unread count', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const send = (title: string, dedupeKey?: string) =>
      t.ctx.db.transaction().execute((trx) =>
        notify(trx, {
          workspaceId: admin.workspaceId,
          userIds: [rep.userId, admin.userId, rep.userId],
          kind: 'campaign_launch',
          title,
          body: 'body',
          link: '/campaigns/cam_x',
          data: { n: 1 },
          ...(dedupeKey ? { dedupeKey } : {}),
          at: t.clock.now(),
        }),
      );
    expect(await send('first', 'k1')).toHaveLength(2);
    expect(await send('again', 'k1')).toHaveLength(0);
    t.clock.advance(1000);
    expect(await send('second')).toHaveLength(2);
    const page = await rep.api.get<NotificationPageDto>('/api/notifications');
    expect(page.status).toBe(200);
    expect(page.body.items.map((n) => n.title)).toEqual(['second', 'first']);
    expect(page.body.unreadCount).toBe(2);
    expect(page.body.items[1]).toMatchObject({
      kind: 'campaign_launch',
      link: '/campaigns/cam_x',
      data: { n: 1 },
      readAt: null,
    });
  });

  it('marks one or all read, never another user’s, and skips deactivated users', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const gone = await addUser(t, admin.workspaceId, 'sales_rep');
    await t.ctx.db.updateTable('users').set({ active: false }).where('id', '=', gone.userId).execute();
    const written = await t.ctx.db.transaction().execute((trx) =>
      notify(trx, {
        workspaceId: admin.workspaceId,
        userIds: [rep.userId, gone.userId],
        kind: 'x',
        title: 'a',
      }),
    );
    expect(written).toHaveLength(1);
    await t.ctx.db.transaction().execute((trx) =>
      notify(trx, {
        workspaceId: admin.workspaceId,
        userIds: [rep.userId, admin.userId],
        kind: 'x',
        title: 'b',
      }),
    );
    const mine = await rep.api.get<NotificationPageDto>('/api/notifications');
    const adminsOwn = await admin.api.get<NotificationPageDto>('/api/notifications');
    const foreign = await admin.api.post(`/api/notifications/${mine.body.items[0]!.id}/read`);
    expect(foreign.status).toBe(404);
    const one = await rep.api.post<MarkReadResultDto>(`/api/notifications/${mine.body.items[0]!.id}/read`);
    expect(one.body).toEqual({ updated: 1, unreadCount: 1 });
    const unread = await rep.api.get<NotificationPageDto>('/api/notifications?unread=true');
    expect(unread.body.items.map((n) => n.title)).toEqual(['a']);
    const all = await rep.api.post<MarkReadResultDto>('/api/notifications/read-all');
    expect(all.body).toEqual({ updated: 1, unreadCount: 0 });
    expect((await admin.api.get<NotificationPageDto>('/api/notifications')).body.unreadCount).toBe(
      adminsOwn.body.unreadCount,
    );
    const bad = await rep.api.get<{ error: { fields: Record<string, string> } }>(
      '/api/notifications?unread=maybe',
    );
    expect(bad.status).toBe(400);
  });
});
