import { expect, it } from 'vitest';
import { addUser, auditRows, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { LifecycleStage } from '../../db/types.ts';
import { AppError } from '../../lib/errors.ts';
import { newContact } from '../contacts/records.fixtures.ts';
import { changeStage, stageHistory } from './lifecycle.service.ts';
import { createTask } from './lifecycle.tasks.ts';

forEachBackend('lifecycle stages and tasks (service contract)', (t) => {
  async function move(
    ws: string,
    contactId: string,
    to: LifecycleStage,
    extra: Record<string, unknown> = {},
  ) {
    return t.ctx.db
      .transaction()
      .execute((trx) => changeStage(trx, t.ctx, { workspaceId: ws, contactId, to, cause: 'user', ...extra }));
  }

  it('starts a contact as a lead and records each forward move with cause, actor and time', async () => {
    const admin = await createWorkspace(t);
    const c = await newContact(admin.api, { email: 'ada@example.com' });
    const row = await t.ctx.db
      .selectFrom('contacts')
      .select('lifecycle_stage')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row.lifecycle_stage).toBe('lead');

    t.clock.set('2026-03-01T10:00:00Z');
    const r1 = await move(admin.workspaceId, c.id, 'mql', { cause: 'rule' });
    expect(r1).toMatchObject({ changed: true, from: 'lead', to: 'mql' });
    t.clock.set('2026-03-02T10:00:00Z');
    await move(admin.workspaceId, c.id, 'sql', { actorId: admin.userId });
    const again = await move(admin.workspaceId, c.id, 'sql', { actorId: admin.userId });
    expect(again.changed).toBe(false);

    const history = await stageHistory(t.ctx, admin.workspaceId, c.id);
    expect(history.map((h) => [h.from, h.to, h.cause, h.actorId, h.at])).toEqual([
      ['mql', 'sql', 'user', admin.userId, '2026-03-02T10:00:00.000Z'],
      ['lead', 'mql', 'rule', null, '2026-03-01T10:00:00.000Z'],
    ]);
    const audit = (await auditRows(t, admin.workspaceId)).filter((a) => a.action === 'contact.stage_changed');
    expect(audit.map((a) => a.actor_label)).toEqual(['rule', admin.email]);
  });

  it('refuses a manual move backwards without a reason, and skips one asked by a rule', async () => {
    const admin = await createWorkspace(t);
    const c = await newContact(admin.api, { email: 'bo@example.com' });
    await move(admin.workspaceId, c.id, 'sql', { actorId: admin.userId });

    const err = await move(admin.workspaceId, c.id, 'lead', { actorId: admin.userId }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).fields).toHaveProperty('reason');

    const byRule = await move(admin.workspaceId, c.id, 'mql', { cause: 'rule' });
    expect(byRule).toMatchObject({ changed: false, from: 'sql', to: 'sql' });

    const back = await move(admin.workspaceId, c.id, 'lead', {
      actorId: admin.userId,
      reason: 'Accepted by mistake',
    });
    expect(back).toMatchObject({ changed: true, from: 'sql', to: 'lead' });
    const history = await stageHistory(t.ctx, admin.workspaceId, c.id);
    expect(history[0]).toMatchObject({ from: 'sql', to: 'lead', reason: 'Accepted by mistake' });
    expect(history).toHaveLength(2);
  });

  it('needs a reason for the side exits, and a rule may bring a recycled contact forward but not a disqualified one', async () => {
    const admin = await createWorkspace(t);
    const a = await newContact(admin.api, { email: 'a@example.com' });
    const b = await newContact(admin.api, { email: 'b@example.com' });
    await expect(move(admin.workspaceId, a.id, 'disqualified')).rejects.toThrow(/reason/);
    await move(admin.workspaceId, a.id, 'disqualified', { reason: 'student' });
    await move(admin.workspaceId, b.id, 'recycled', { cause: 'system', reason: 'no sales touch in 14 days' });

    expect((await move(admin.workspaceId, a.id, 'mql', { cause: 'rule' })).changed).toBe(false);
    expect((await move(admin.workspaceId, b.id, 'mql', { cause: 'rule' })).changed).toBe(true);
    await expect(move(admin.workspaceId, a.id, 'lead')).rejects.toThrow(/reason/);
  });

  it('creates a task for an active user of the workspace, and rejects bad input naming the field', async () => {
    const admin = await createWorkspace(t);
    const rep = await addUser(t, admin.workspaceId, 'sales_rep');
    const c = await newContact(admin.api, { email: 'cy@example.com' });
    t.clock.set('2026-04-01T09:00:00Z');
    const task = await t.ctx.db.transaction().execute((trx) =>
      createTask(trx, t.ctx, {
        workspaceId: admin.workspaceId,
        ownerId: rep.userId,
        contactId: c.id,
        type: 'call',
        title: 'Call about the quote',
        dueAt: new Date('2026-04-02T09:00:00Z'),
        remindAt: new Date('2026-04-02T08:45:00Z'),
        actorId: admin.userId,
      }),
    );
    expect(task).toMatchObject({
      ownerId: rep.userId,
      contactId: c.id,
      contactName: 'cy@example.com',
      type: 'call',
      status: 'open',
      source: 'manual',
      dueAt: '2026-04-02T09:00:00.000Z',
      createdAt: '2026-04-01T09:00:00.000Z',
    });
    expect(task.id).toMatch(/^tsk_/);

    const other = await createWorkspace(t);
    const err = (await t.ctx.db
      .transaction()
      .execute((trx) =>
        createTask(trx, t.ctx, {
          workspaceId: admin.workspaceId,
          ownerId: other.userId,
          contactId: 'ctc_nope',
          type: 'call',
          title: ' ',
          dueAt: new Date('2026-04-02T09:00:00Z'),
          remindAt: new Date('2026-04-03T09:00:00Z'),
        }),
      )
      .catch((e: unknown) => e)) as AppError;
    expect(err.status).toBe(400);
    expect(Object.keys(err.fields ?? {}).sort()).toEqual(['contactId', 'ownerId', 'remindAt', 'title']);
    const count = await t.ctx.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});
