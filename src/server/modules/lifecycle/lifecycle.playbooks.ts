import type { Transaction } from 'kysely';
import type { NextActionDto, PlaybookDto, PlaybookStep } from '../../../contracts/lifecycle.ts';
import type { Database, Temperature } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import { notify } from '../notifications/notifications.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './lifecycle.playbooks.repo.ts';
import type { Db } from './lifecycle.repo.ts';
import type { ClockContext } from './lifecycle.service.ts';
import { createPlaybookTasks } from './lifecycle.tasks.ts';

const HOUR = 3_600_000;

/**
 * The source documents' playbooks, shipped as defaults: cold leads go back to marketing nurture,
 * warm ones get a follow-up call, a sales letter and an invitation, hot ones a one-on-one call, a
 * presentation and a proposal. A workspace's own playbook for a temperature replaces these.
 */
export const DEFAULT_PLAYBOOKS: Record<Temperature, PlaybookStep[]> = {
  cold: [
    { key: 'direct_mail', kind: 'nurture', type: 'letter', title: 'Send direct mail', dueInHours: 72 },
    {
      key: 'promotion',
      kind: 'nurture',
      type: 'email',
      title: 'Include in the next promotion',
      dueInHours: 168,
    },
    { key: 'newsletter', kind: 'nurture', type: 'email', title: 'Add to the newsletter', dueInHours: 168 },
    { key: 'content', kind: 'nurture', type: 'email', title: 'Send relevant content', dueInHours: 336 },
  ],
  warm: [
    { key: 'follow_up_call', kind: 'task', type: 'call', title: 'Follow-up call', dueInHours: 24 },
    { key: 'sales_letter', kind: 'task', type: 'letter', title: 'Send a sales letter', dueInHours: 72 },
    {
      key: 'invitation',
      kind: 'task',
      type: 'invitation',
      title: 'Invite to a seminar or training',
      dueInHours: 168,
    },
  ],
  hot: [
    { key: 'one_on_one_call', kind: 'task', type: 'call', title: 'One-on-one call', dueInHours: 1 },
    { key: 'presentation', kind: 'task', type: 'presentation', title: 'Give a presentation', dueInHours: 72 },
    {
      key: 'proposal',
      kind: 'task',
      type: 'proposal',
      title: 'Send a proposal, quote or contract',
      dueInHours: 120,
    },
  ],
};

type PlaybookRow = Awaited<ReturnType<typeof repo.listPlaybooks>>[number];

function toDto(r: PlaybookRow): PlaybookDto {
  return {
    id: r.id,
    name: r.name,
    temperature: r.temperature,
    countries: r.countries,
    segment: r.segment,
    segmentId: r.segment_id,
    steps: r.steps as PlaybookStep[],
    active: r.active,
    builtIn: false,
  };
}

function builtIn(temperature: Temperature): PlaybookDto {
  return {
    id: null,
    name: `Default ${temperature}`,
    temperature,
    countries: [],
    segment: null,
    segmentId: null,
    steps: DEFAULT_PLAYBOOKS[temperature],
    active: true,
    builtIn: true,
  };
}

/**
 * The playbook for a contact: among the workspace's active playbooks of its temperature, the most
 * specific one that fits (market = the contact's country, segment = one of its tags and/or a saved
 * segment it belongs to, `inSegments`; a playbook with none of these fits everyone); else the
 * shipped default. Segment beats market; ties go to the older playbook.
 */
export function choosePlaybook(
  playbooks: PlaybookDto[],
  temperature: Temperature,
  country: string | null,
  tags: string[],
  inSegments: ReadonlySet<string> = new Set(),
): PlaybookDto {
  const c = country?.toLowerCase() ?? null;
  const tagSet = new Set(tags.map((t) => t.toLowerCase()));
  let best: { p: PlaybookDto; score: number } | null = null;
  for (const p of playbooks) {
    if (!p.active || p.temperature !== temperature) continue;
    const marketOk = !p.countries.length || (c !== null && p.countries.some((x) => x.toLowerCase() === c));
    const segmentOk = !p.segment || tagSet.has(p.segment.toLowerCase());
    const savedOk = !p.segmentId || inSegments.has(p.segmentId);
    if (!marketOk || !segmentOk || !savedOk) continue;
    const score = (p.countries.length ? 1 : 0) + (p.segment ? 2 : 0) + (p.segmentId ? 2 : 0);
    if (!best || score > best.score) best = { p, score };
  }
  return best?.p ?? builtIn(temperature);
}

/**
 * Which of the saved segments that active playbooks of this temperature vary by the contact is in.
 * No query at all when no playbook names a segment (the common case, and the touch hot path).
 */
async function segmentsOf(
  db: Db,
  workspaceId: string,
  contactId: string,
  playbooks: PlaybookDto[],
  temperature: Temperature,
  now?: Date,
): Promise<Set<string>> {
  const ids = [
    ...new Set(
      playbooks
        .filter((p) => p.active && p.temperature === temperature && p.segmentId)
        .map((p) => p.segmentId!),
    ),
  ];
  return ids.length ? repo.contactSegments(db, workspaceId, contactId, ids, now) : new Set();
}

function asTemperature(t: string | null | undefined): Temperature {
  return t === 'hot' || t === 'warm' ? t : 'cold';
}

export async function listPlaybooks(ctx: AppContext, workspaceId: string): Promise<PlaybookDto[]> {
  const own = (await repo.listPlaybooks(ctx.db, workspaceId)).map(toDto);
  const temps: Temperature[] = ['cold', 'warm', 'hot'];
  return [...temps.map(builtIn), ...own];
}

/**
 * Runs the playbook for the contact's current temperature, in the caller's transaction: task steps
 * become tasks for the owner (due `dueInHours` from now), nurture steps notify marketing. A step is
 * never done twice for one contact (its key is kept on the task / as the notification's dedupe key).
 */
export async function applyPlaybook(
  trx: Transaction<Database>,
  ctx: ClockContext,
  input: { workspaceId: string; contactId: string },
): Promise<{ temperature: Temperature; created: number; notified: number } | null> {
  const ws = input.workspaceId;
  const facts = await repo.playbookFacts(trx, ws, input.contactId);
  if (!facts) return null;
  const temperature = asTemperature(facts.temperature);
  const own = (await repo.listPlaybooks(trx, ws)).map(toDto);
  const inSegments = await segmentsOf(trx, ws, input.contactId, own, temperature, ctx.clock.now());
  const playbook = choosePlaybook(own, temperature, facts.country, facts.tags, inSegments);
  const done = await repo.stepsDone(trx, ws, input.contactId);
  const now = ctx.clock.now();
  let notified = 0;
  const tasks: { type: string; title: string; dueAt: Date; playbookStep: string }[] = [];
  for (const step of playbook.steps) {
    const key = `${temperature}:${step.key}`;
    if (step.kind === 'task') {
      if (!facts.owner_id || done.has(key)) continue;
      tasks.push({
        type: step.type,
        title: step.title,
        dueAt: new Date(now.getTime() + step.dueInHours * HOUR),
        playbookStep: key,
      });
    } else {
      const marketing = await repo.marketingUsers(trx, ws);
      if (!marketing.length) continue;
      await notify(trx, {
        workspaceId: ws,
        userIds: marketing,
        kind: 'playbook_nurture',
        title: step.title,
        link: `/contacts/${input.contactId}`,
        data: { contactId: input.contactId, step: key },
        dedupeKey: `nurture:${input.contactId}:${key}`,
        at: now,
      });
      notified++;
    }
  }
  const created = facts.owner_id
    ? await createPlaybookTasks(trx, ctx, {
        workspaceId: ws,
        ownerId: facts.owner_id,
        contactId: input.contactId,
        tasks,
      })
    : 0;
  await repo.setPlaybookTemperature(trx, ws, input.contactId, temperature);
  return { temperature, created, notified };
}

/**
 * The next best action for a contact: its earliest open task, else the first step of its playbook
 * that it has not had yet (a suggestion, not a task).
 */
export async function nextAction(
  db: Db,
  workspaceId: string,
  contactId: string,
  facts?: { temperature: string; country: string | null; tags: string[] },
): Promise<NextActionDto | null> {
  const task = await repo.nextOpenTask(db, workspaceId, contactId);
  if (task) {
    return {
      source: 'task',
      taskId: task.id,
      kind: 'task',
      type: task.type,
      title: task.title,
      dueAt: task.due_at ? new Date(task.due_at).toISOString() : null,
    };
  }
  const f = facts ?? (await repo.playbookFacts(db, workspaceId, contactId));
  if (!f) return null;
  const temperature = asTemperature(f.temperature);
  const own = (await repo.listPlaybooks(db, workspaceId)).map(toDto);
  const inSegments = await segmentsOf(db, workspaceId, contactId, own, temperature);
  const playbook = choosePlaybook(own, temperature, f.country, f.tags, inSegments);
  const done = await repo.stepsDone(db, workspaceId, contactId);
  const step = playbook.steps.find((s) => !done.has(`${temperature}:${s.key}`)) ?? playbook.steps[0];
  if (!step) return null;
  return {
    source: 'playbook',
    taskId: null,
    kind: step.kind,
    type: step.type,
    title: step.title,
    dueAt: null,
  };
}

export interface PlaybookInput {
  name: string;
  temperature: Temperature;
  countries: string[];
  segment: string | null;
  segmentId: string | null;
  steps: PlaybookStep[];
  active: boolean;
}

async function checkSegment(db: Db, workspaceId: string, segmentId: string | null | undefined) {
  if (segmentId && !(await repo.segmentExists(db, workspaceId, segmentId)))
    throw new ValidationError('The playbook is invalid', { segmentId: 'no such segment in this workspace' });
}

export async function createPlaybook(
  ctx: AppContext,
  actor: Actor,
  input: PlaybookInput,
): Promise<PlaybookDto> {
  return ctx.db.transaction().execute(async (trx) => {
    await checkSegment(trx, actor.workspaceId, input.segmentId);
    const now = ctx.clock.now();
    const id = newId('pbk', now.getTime());
    await repo.insertPlaybook(trx, {
      workspace_id: actor.workspaceId,
      id,
      name: input.name,
      temperature: input.temperature,
      countries: input.countries,
      segment: input.segment,
      segment_id: input.segmentId,
      steps: JSON.stringify(input.steps),
      active: input.active,
      created_at: now,
      updated_at: now,
    });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'playbook.created',
      entityType: 'playbook',
      entityId: id,
      diff: { name: input.name, temperature: input.temperature },
      at: now,
    });
    const row = await repo.findPlaybook(trx, actor.workspaceId, id);
    return toDto(row!);
  });
}

export async function updatePlaybook(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: Partial<Omit<PlaybookInput, 'temperature'>>,
): Promise<PlaybookDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findPlaybook(trx, actor.workspaceId, id);
    if (!before) throw new NotFoundError('Playbook', id);
    await checkSegment(trx, actor.workspaceId, patch.segmentId);
    const now = ctx.clock.now();
    await repo.updatePlaybook(trx, actor.workspaceId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.countries !== undefined ? { countries: patch.countries } : {}),
      ...(patch.segment !== undefined ? { segment: patch.segment } : {}),
      ...(patch.segmentId !== undefined ? { segment_id: patch.segmentId } : {}),
      ...(patch.steps !== undefined ? { steps: JSON.stringify(patch.steps) } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      updated_at: now,
    });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'playbook.updated',
      entityType: 'playbook',
      entityId: id,
      diff: { changed: Object.keys(patch) },
      at: now,
    });
    return toDto((await repo.findPlaybook(trx, actor.workspaceId, id))!);
  });
}

export async function deletePlaybook(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findPlaybook(trx, actor.workspaceId, id);
    if (!before) throw new NotFoundError('Playbook', id);
    await repo.deletePlaybook(trx, actor.workspaceId, id);
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'playbook.deleted',
      entityType: 'playbook',
      entityId: id,
      diff: { name: before.name },
      at: ctx.clock.now(),
    });
  });
}
