import type { Transaction } from 'kysely';
import { TASK_TYPES, type TaskDto, type TaskType } from '../../../contracts/lifecycle.ts';
import type { Database, TaskSource } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { type FieldErrors, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import * as lrepo from './lifecycle.repo.ts';
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
  ctx: AppContext,
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
  await repo.insertTask(trx, {
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
  });
  const actor = input.actorId ? await lrepo.findUser(trx, ws, input.actorId) : undefined;
  await appendAudit(trx, {
    workspaceId: ws,
    actorUserId: actor?.id ?? null,
    actorLabel: actor?.email ?? 'system',
    action: 'task.created',
    entityType: 'task',
    entityId: id,
    diff: {
      ownerId: input.ownerId,
      type: input.type,
      contactId: input.contactId ?? null,
      source: input.source ?? 'manual',
    },
    at: now,
  });
  const row = await repo.findTask(trx, ws, id);
  if (!row) throw new NotFoundError('Task', id);
  return toTaskDto(row);
}
