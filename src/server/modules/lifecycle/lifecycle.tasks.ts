import type { Insertable, Transaction } from 'kysely';
import {
  type MyDayDto,
  TASK_TYPES,
  type TaskCreate,
  type TaskDto,
  type TaskType,
  type TaskUpdate,
} from '../../../contracts/lifecycle.ts';
import type { Database, TaskSource, TaskStatus } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import {
  ConflictError,
  type FieldErrors,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit, appendAuditMany } from '../governance/governance.repo.ts';
import { type Actor, canAssignToOthers } from '../workspaces/workspaces.policy.ts';
import * as lrepo from './lifecycle.repo.ts';
import type { ClockContext } from './lifecycle.service.ts';
import * as repo from './lifecycle.tasks.repo.ts';

export interface CreateTaskInput {
  workspaceId: string;
  ownerId: string;
  type: TaskType;
  title: string;
  contactId?: string | null | undefined;
  dealId?: string | null | undefined;
  notes?: string | null | undefined;
  dueAt?: Date | null | undefined;
  remindAt?: Date | null | undefined;
  source?: TaskSource | undefined;
  /** The playbook step that made this task (`hot:call`), for playbook tasks. */
  playbookStep?: string | null | undefined;
  /** Who created it (null for the system, e.g. a playbook). */
  actorId?: string | null | undefined;
}

const TYPES: ReadonlySet<string> = new Set(TASK_TYPES);

export function toTaskDto(r: repo.TaskRow): TaskDto {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.id,
    contactId: r.contact_id,
    contactName: r.contact_name,
    dealId: r.deal_id,
    ownerId: r.owner_id,
    type: r.type,
    title: r.title,
    notes: r.notes,
    dueAt: iso(r.due_at),
    remindAt: iso(r.remind_at),
    status: r.status,
    source: r.source,
    playbookStep: r.playbook_step,
    createdAt: new Date(r.created_at).toISOString(),
    doneAt: iso(r.done_at),
  };
}

/**
 * Creates a task in the caller's transaction (deals, quotes and playbooks call this) and audits it.
 * The owner must be an active user of the workspace and the contact, when given, a live contact of
 * it; a reminder may not come after the due date. Bad input is a 400 naming the field.
 */
export async function createTask(
  trx: Transaction<Database>,
  ctx: ClockContext,
  input: CreateTaskInput,
): Promise<TaskDto> {
  const ws = input.workspaceId;
  const errors: FieldErrors = {};
  if (!TYPES.has(input.type)) errors.type = `must be one of ${TASK_TYPES.join(', ')}`;
  const title = input.title.trim();
  if (!title) errors.title = 'is required';
  if (input.dueAt && input.remindAt && input.remindAt > input.dueAt)
    errors.remindAt = 'must not be after the due date';
  const owner = await lrepo.findUser(trx, ws, input.ownerId);
  if (!owner?.active) errors.ownerId = 'no such active user in this workspace';
  if (input.contactId && !(await repo.contactExists(trx, ws, input.contactId))) {
    errors.contactId = 'no such contact in this workspace';
  }
  if (Object.keys(errors).length) throw new ValidationError('The task is invalid; nothing was saved', errors);

  const now = ctx.clock.now();
  const id = newId('tsk', now.getTime());
  const actor = input.actorId ? await lrepo.findUser(trx, ws, input.actorId) : undefined;
  const created = {
    workspace_id: ws,
    id,
    contact_id: input.contactId ?? null,
    deal_id: input.dealId ?? null,
    owner_id: input.ownerId,
    type: input.type,
    title,
    notes: input.notes ?? null,
    due_at: input.dueAt ?? null,
    remind_at: input.remindAt ?? null,
    source: input.source ?? 'manual',
    playbook_step: input.playbookStep ?? null,
    created_by: input.actorId ?? null,
    created_at: now,
    updated_at: now,
  };
  await insertTasksAudited(
    trx,
    [created],
    { userId: actor?.id ?? null, label: actor?.email ?? 'system' },
    now,
  );
  const row = await repo.findTask(trx, ws, id);
  if (!row) throw new NotFoundError('Task', id);
  return toTaskDto(row);
}

/**
 * A playbook's tasks for one lead, in the caller's transaction: the same checks and audit rows as
 * {@link createTask}, with one owner check, one multi-row insert and one audit insert (a touch that
 * makes a lead hot creates its tasks inside the touch's own request). The contact is the caller's
 * live, locked lead.
 */
export async function createPlaybookTasks(
  trx: Transaction<Database>,
  ctx: ClockContext,
  input: {
    workspaceId: string;
    ownerId: string;
    contactId: string;
    tasks: { type: string; title: string; dueAt: Date; playbookStep: string }[];
  },
): Promise<number> {
  if (!input.tasks.length) return 0;
  const ws = input.workspaceId;
  const errors: FieldErrors = {};
  input.tasks.forEach((t, i) => {
    if (!TYPES.has(t.type)) errors[`tasks.${i}.type`] = `must be one of ${TASK_TYPES.join(', ')}`;
    if (!t.title.trim()) errors[`tasks.${i}.title`] = 'is required';
  });
  const owner = await lrepo.findUser(trx, ws, input.ownerId);
  if (!owner?.active) errors.ownerId = 'no such active user in this workspace';
  if (Object.keys(errors).length) throw new ValidationError('The task is invalid; nothing was saved', errors);
  const now = ctx.clock.now();
  const rows = input.tasks.map((t) => ({
    workspace_id: ws,
    id: newId('tsk', now.getTime()),
    contact_id: input.contactId,
    deal_id: null,
    owner_id: input.ownerId,
    type: t.type as TaskType,
    title: t.title.trim(),
    notes: null,
    due_at: t.dueAt,
    remind_at: null,
    source: 'playbook' as const,
    playbook_step: t.playbookStep,
    created_by: null,
    created_at: now,
    updated_at: now,
  }));
  await insertTasksAudited(trx, rows, { userId: null, label: 'system' }, now);
  return rows.length;
}

/** Inserts tasks and their `task.created` audit rows: one statement each, whatever the count. */
async function insertTasksAudited(
  trx: Transaction<Database>,
  rows: Insertable<Database['tasks']>[],
  actor: { userId: string | null; label: string },
  at: Date,
): Promise<void> {
  await repo.insertTasks(trx, rows);
  await appendAuditMany(
    trx,
    rows.map((r) => ({
      workspaceId: r.workspace_id,
      actorUserId: actor.userId,
      actorLabel: actor.label,
      action: 'task.created',
      entityType: 'task',
      entityId: r.id,
      diff: {
        ownerId: r.owner_id,
        type: r.type,
        contactId: r.contact_id ?? null,
        source: r.source ?? 'manual',
      },
      at,
    })),
  );
}

/** Roles that see and manage everyone's tasks; others see their own. */
function seesAllTasks(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'sales_manager';
}

async function visibleTask(ctx: AppContext, actor: Actor, id: string): Promise<repo.TaskRow> {
  const row = await repo.findTask(ctx.db, actor.workspaceId, id);
  if (!row || (row.owner_id !== actor.userId && !seesAllTasks(actor))) throw new NotFoundError('Task', id);
  return row;
}

export async function listTasks(
  ctx: AppContext,
  actor: Actor,
  q: {
    contactId?: string | undefined;
    dealId?: string | undefined;
    ownerId?: string | undefined;
    status?: TaskStatus | undefined;
    limit: number;
  },
): Promise<TaskDto[]> {
  // A contact's or deal's tasks are shown on its page to whoever sees it; otherwise one's own.
  const ownerId = q.ownerId ?? (q.contactId || q.dealId || seesAllTasks(actor) ? undefined : actor.userId);
  if (ownerId && ownerId !== actor.userId && !seesAllTasks(actor))
    throw new ForbiddenError("Only managers see other people's tasks");
  const rows = await repo.listTasks(ctx.db, actor.workspaceId, { ...q, ownerId });
  return rows.map(toTaskDto);
}

/** Creates a task from the API: for oneself, or for others when the actor may assign work. */
export async function createTaskFor(ctx: AppContext, actor: Actor, input: TaskCreate): Promise<TaskDto> {
  const ownerId = input.ownerId ?? actor.userId;
  if (ownerId !== actor.userId && !canAssignToOthers(actor))
    throw new ForbiddenError('Only managers can give tasks to others');
  return ctx.db.transaction().execute((trx) =>
    createTask(trx, ctx, {
      workspaceId: actor.workspaceId,
      ownerId,
      type: input.type,
      title: input.title,
      contactId: input.contactId,
      dealId: input.dealId,
      notes: input.notes,
      dueAt: input.dueAt ? new Date(input.dueAt) : null,
      remindAt: input.remindAt ? new Date(input.remindAt) : null,
      actorId: actor.userId,
    }),
  );
}

export async function updateTask(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: TaskUpdate,
): Promise<TaskDto> {
  await visibleTask(ctx, actor, id);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.lockTask(trx, actor.workspaceId, id);
    if (!before) throw new NotFoundError('Task', id);
    const errors: FieldErrors = {};
    if (before.status !== 'open') errors.status = 'a finished task cannot be changed';
    if (patch.ownerId && patch.ownerId !== before.owner_id) {
      if (!canAssignToOthers(actor) && patch.ownerId !== actor.userId)
        errors.ownerId = 'only managers can hand tasks to others';
      const owner = await lrepo.findUser(trx, actor.workspaceId, patch.ownerId);
      if (!owner?.active) errors.ownerId = 'no such active user in this workspace';
    }
    const due = patch.dueAt === undefined ? before.due_at : patch.dueAt ? new Date(patch.dueAt) : null;
    const remind =
      patch.remindAt === undefined ? before.remind_at : patch.remindAt ? new Date(patch.remindAt) : null;
    if (due && remind && remind > due) errors.remindAt = 'must not be after the due date';
    if (Object.keys(errors).length) throw new ValidationError('The task was not changed', errors);
    const now = ctx.clock.now();
    await repo.updateTask(trx, actor.workspaceId, id, {
      ...(patch.type !== undefined ? { type: patch.type } : {}),
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      ...(patch.ownerId !== undefined ? { owner_id: patch.ownerId } : {}),
      due_at: due,
      remind_at: remind,
      // A moved reminder fires again.
      ...(patch.remindAt !== undefined ? { reminded_at: null } : {}),
      updated_at: now,
    });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'task.updated',
      entityType: 'task',
      entityId: id,
      diff: { changed: Object.keys(patch) },
      at: now,
    });
    return toTaskDto((await repo.findTask(trx, actor.workspaceId, id))!);
  });
}

/** Completes or cancels an open task (finishing twice is a 409, not a silent success). */
export async function finishTask(
  ctx: AppContext,
  actor: Actor,
  id: string,
  status: 'done' | 'cancelled',
): Promise<TaskDto> {
  await visibleTask(ctx, actor, id);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.lockTask(trx, actor.workspaceId, id);
    if (!before) throw new NotFoundError('Task', id);
    if (before.status !== 'open') throw new ConflictError(`The task is already ${before.status}`);
    const now = ctx.clock.now();
    await repo.updateTask(trx, actor.workspaceId, id, { status, done_at: now, updated_at: now });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: status === 'done' ? 'task.completed' : 'task.cancelled',
      entityType: 'task',
      entityId: id,
      diff: { status: ['open', status] },
      at: now,
    });
    return toTaskDto((await repo.findTask(trx, actor.workspaceId, id))!);
  });
}

/** Midnight of the calendar day containing `at` in a time zone, as a UTC instant. */
export function startOfDayIn(at: Date, timeZone: string): Date {
  const ymd = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  let guess = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 2; i++) guess = Date.UTC(y, m - 1, d) - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return local - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * "My day": the user's open tasks (manual and playbook) split into overdue, due today (in the
 * user's time zone), upcoming, and undated.
 */
export async function myDay(ctx: AppContext, actor: Actor, userId?: string): Promise<MyDayDto> {
  const owner = userId ?? actor.userId;
  if (owner !== actor.userId && !seesAllTasks(actor))
    throw new ForbiddenError("Only managers see other people's day");
  const now = ctx.clock.now();
  const dayStart = startOfDayIn(now, actor.timeZone || 'UTC');
  const dayEnd = startOfDayIn(new Date(dayStart.getTime() + 36 * 3_600_000), actor.timeZone || 'UTC');
  const rows = (await repo.openTasksOf(ctx.db, actor.workspaceId, owner, 500)).map(toTaskDto);
  const out: MyDayDto = { overdue: [], today: [], upcoming: [], undated: [] };
  for (const t of rows) {
    if (!t.dueAt) out.undated.push(t);
    else if (new Date(t.dueAt) < now) out.overdue.push(t);
    else if (new Date(t.dueAt) < dayEnd) out.today.push(t);
    else out.upcoming.push(t);
  }
  return out;
}
