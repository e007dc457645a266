import { z } from 'zod';
import { idSchema, limitSchema } from './common.ts';

/**
 * Lifecycle stages, transitions and tasks: shapes shared by the server, the web app and the CLI.
 * The main line runs subscriber → customer; `disqualified` and `recycled` are side exits.
 */
export const MAIN_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer'] as const;
export const STAGES = [...MAIN_STAGES, 'disqualified', 'recycled'] as const;
export const stageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof stageSchema>;

export const CAUSES = ['rule', 'user', 'import', 'system'] as const;
export const causeSchema = z.enum(CAUSES);
export type Cause = z.infer<typeof causeSchema>;

/** Shipped disqualification reasons; a workspace edits its own list in the lifecycle settings. */
export const DEFAULT_DISQUALIFY_REASONS = [
  'no_budget',
  'student',
  'competitor',
  'time_waster',
  'no_need',
  'wrong_contact',
] as const;

export const TASK_TYPES = [
  'call',
  'email',
  'meeting',
  'letter',
  'presentation',
  'proposal',
  'follow_up',
  'demo',
  'invitation',
  'todo',
] as const;
export const taskTypeSchema = z.enum(TASK_TYPES, { error: `must be one of ${TASK_TYPES.join(', ')}` });
export type TaskType = z.infer<typeof taskTypeSchema>;
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;

export const transitionSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  from: stageSchema,
  to: stageSchema,
  cause: causeSchema,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
});
export type TransitionDto = z.infer<typeof transitionSchema>;

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO date-time' });

export const stageChangeSchema = z.strictObject({
  to: stageSchema,
  reason: z.string().trim().min(1).max(500).optional(),
});
export const stageReasonSchema = z.strictObject({
  reason: z.string().trim().min(1, { error: 'is required' }).max(500),
});

export const taskSchema = z.object({
  id: z.string(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  dealId: z.string().nullable(),
  ownerId: z.string(),
  type: z.string(),
  title: z.string(),
  notes: z.string().nullable(),
  dueAt: z.string().nullable(),
  remindAt: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  source: z.enum(['manual', 'playbook']),
  playbookStep: z.string().nullable(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
});
export type TaskDto = z.infer<typeof taskSchema>;

export const taskCreateSchema = z
  .strictObject({
    contactId: idSchema.optional(),
    dealId: idSchema.optional(),
    ownerId: idSchema.optional(),
    type: taskTypeSchema,
    title: z.string().trim().min(1, { error: 'is required' }).max(300),
    notes: z.string().max(5000).optional(),
    dueAt: isoDate.optional(),
    remindAt: isoDate.optional(),
  })
  .refine((t) => !t.remindAt || !t.dueAt || new Date(t.remindAt) <= new Date(t.dueAt), {
    error: 'must not be after the due date',
    path: ['remindAt'],
  });
export type TaskCreate = z.infer<typeof taskCreateSchema>;

export const taskUpdateSchema = z.strictObject({
  type: taskTypeSchema.optional(),
  title: z.string().trim().min(1).max(300).optional(),
  notes: z.string().max(5000).nullable().optional(),
  dueAt: isoDate.nullable().optional(),
  remindAt: isoDate.nullable().optional(),
  ownerId: idSchema.optional(),
});
export type TaskUpdate = z.infer<typeof taskUpdateSchema>;

export const taskListQuerySchema = z.strictObject({
  contactId: idSchema.optional(),
  dealId: idSchema.optional(),
  ownerId: idSchema.optional(),
  status: z.enum(TASK_STATUSES).optional(),
  limit: limitSchema,
});

export const myDaySchema = z.object({
  overdue: z.array(taskSchema),
  today: z.array(taskSchema),
  upcoming: z.array(taskSchema),
  undated: z.array(taskSchema),
});
export type MyDayDto = z.infer<typeof myDaySchema>;
