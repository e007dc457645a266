import { expect, it } from 'vitest';
import { forEachBackend } from '../../../../test/harness.ts';
import type { InboxItemDto, MyDayDto, SlaReportDto, TaskDto } from '../../../contracts/lifecycle.ts';
import { insertContacts, moveTo, salesFloor } from './lifecycle.fixtures.ts';
import { stageHistory } from './lifecycle.service.ts';
import { sendDueReminders, sweepSla } from './lifecycle.sla.ts';

const HOUR = 3_600_000;

forEachBackend('lead SLA, recycling and reminders (moving the clock)', (t) => {
  async function notificationsOf(userId: string, kind: string) {
    return t.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .execute();
  }

  it('breaches the first-touch SLA (24 h, 1 h for hot), notifies the manager, shows in the inbox, and recycles after 14 days', async () => {
    const { admin, manager, reps } = await salesFloor(t, 1);
    const rep = reps[0]!;
    t.clock.set('2026-05-04T08:00:00Z');
    const [slow, touched, hot] = await insertContacts(t, admin.workspaceId, 3);
    await t.ctx.db
      .insertInto('contact_scores')
      .values({ workspace_id: admin.workspaceId, contact_id: hot!, score: 80, temperature: 'hot' })
      .execute();
    for (const id of [slow!, touched!, hot!]) await moveTo(t, admin.workspaceId, id, 'mql');

    // Hot first, then by SLA time left.
    let inbox = await rep.api.get<{ items: InboxItemDto[] }>('/api/lifecycle/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((i) => i.contactId)).toEqual([hot, slow, touched]);
    expect(inbox.body.items[0]).toMatchObject({
      temperature: 'hot',
      slaMinutesLeft: 60,
      slaBreached: false,
      cadenceTarget: 8,
    });
    expect(inbox.body.items[0]!.nextAction).toMatchObject({
      source: 'task',
      type: 'call',
      title: 'One-on-one call',
    });

    t.clock.advance(2 * HOUR);
    const call = await rep.api.post('/api/touches', { contactId: touched, type: 'call' });
    expect(call.status, JSON.stringify(call.body)).toBe(201);
    expect(await sweepSla(t.ctx)).toEqual({ touched: 0, breached: 1, recycled: 0 });
    expect(
      (await notificationsOf(manager.userId, 'sla_breach')).map(
        (n) => (n.data as { contactId: string }).contactId,
      ),
    ).toEqual([hot]);

    t.clock.advance(23 * HOUR);
    // The call already stopped that lead's clock as it was logged (the touch log hook): only one breach.
    expect(await sweepSla(t.ctx)).toEqual({ touched: 0, breached: 1, recycled: 0 });
    // Running again changes nothing and notifies nobody twice.
    expect(await sweepSla(t.ctx)).toEqual({ touched: 0, breached: 0, recycled: 0 });
    expect(await notificationsOf(manager.userId, 'sla_breach')).toHaveLength(2);

    inbox = await rep.api.get<{ items: InboxItemDto[] }>('/api/lifecycle/inbox');
    const byId = new Map(inbox.body.items.map((i) => [i.contactId, i]));
    expect(byId.get(slow!)?.slaBreached).toBe(true);
    expect(byId.get(touched!)?.slaBreached).toBe(false);
    expect(byId.get(touched!)?.firstSalesTouchAt).toBe('2026-05-04T10:00:00.000Z');

    const report = await manager.api.get<SlaReportDto>('/api/lifecycle/sla-report?from=2026-05-01T00:00:00Z');
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.reps).toEqual([
      expect.objectContaining({
        id: rep.userId,
        assigned: 3,
        touched: 1,
        avgHoursToFirstTouch: 2,
        breaches: 2,
        openBreaches: 2,
      }),
    ]);
    expect(report.body.breaches.map((b) => b.contactId).sort()).toEqual([hot, slow].sort());
    expect((await rep.api.get('/api/lifecycle/sla-report')).status).toBe(403);

    t.clock.set('2026-05-18T09:00:00Z');
    expect(await sweepSla(t.ctx)).toEqual({ touched: 0, breached: 0, recycled: 2 });
    const history = await stageHistory(t.ctx, admin.workspaceId, slow!);
    expect(history[0]).toMatchObject({
      from: 'mql',
      to: 'recycled',
      cause: 'system',
      reason: 'no sales touch within 14 days',
    });
    inbox = await rep.api.get<{ items: InboxItemDto[] }>('/api/lifecycle/inbox');
    expect(inbox.body.items.map((i) => i.contactId)).toEqual([touched]);
    const openHotTasks = await t.ctx.db
      .selectFrom('tasks')
      .select('status')
      .where('contact_id', '=', hot!)
      .execute();
    expect(openHotTasks.every((x) => x.status === 'cancelled')).toBe(true);
  });

  it('sends a task reminder once at its time, and sorts My day into overdue, today and upcoming', async () => {
    const { reps } = await salesFloor(t, 1);
    const rep = reps[0]!;
    t.clock.set('2026-05-04T08:00:00Z');
    const mk = async (title: string, dueAt: string, remindAt?: string) => {
      const res = await rep.api.post<TaskDto>('/api/tasks', {
        type: 'call',
        title,
        dueAt,
        ...(remindAt ? { remindAt } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    await mk('Yesterday', '2026-05-03T15:00:00Z');
    const today = await mk('This afternoon', '2026-05-04T15:00:00Z', '2026-05-04T14:45:00Z');
    await mk('Next week', '2026-05-11T09:00:00Z');
    const bad = await rep.api.post('/api/tasks', {
      type: 'fax',
      title: 'x',
      dueAt: '2026-05-04T15:00:00Z',
      remindAt: '2026-05-05T00:00:00Z',
    });
    expect(bad.status).toBe(400);

    const day = await rep.api.get<MyDayDto>('/api/tasks/my-day');
    expect(day.status).toBe(200);
    expect([day.body.overdue, day.body.today, day.body.upcoming].map((l) => l.map((x) => x.title))).toEqual([
      ['Yesterday'],
      ['This afternoon'],
      ['Next week'],
    ]);

    expect(await sendDueReminders(t.ctx)).toBe(0);
    t.clock.set('2026-05-04T14:46:00Z');
    expect(await sendDueReminders(t.ctx)).toBe(1);
    expect(await sendDueReminders(t.ctx)).toBe(0);
    expect((await notificationsOf(rep.userId, 'task_reminder')).map((n) => n.title)).toEqual([
      'This afternoon',
    ]);

    const done = await rep.api.post<TaskDto>(`/api/tasks/${today.id}/complete`);
    expect(done.body).toMatchObject({ status: 'done', doneAt: '2026-05-04T14:46:00.000Z' });
    expect((await rep.api.post(`/api/tasks/${today.id}/cancel`)).status).toBe(409);
  });
});
