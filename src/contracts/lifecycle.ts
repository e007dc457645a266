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

/** Per-workspace lifecycle settings; every key has a shipped default (the source documents' figures). */
export const lifecycleSettingsSchema = z.strictObject({
  disqualifyReasons: z.array(z.string().trim().min(1).max(60)).min(1).max(50),
  slaHours: z
    .number()
    .min(0.25)
    .max(24 * 30),
  /** Warm leads' first-touch SLA; null follows `slaHours` (cold and warm alike). */
  slaWarmHours: z
    .number()
    .min(0.25)
    .max(24 * 30)
    .nullable(),
  slaHotHours: z
    .number()
    .min(0.25)
    .max(24 * 30),
  recycleDays: z.number().int().min(1).max(365),
  cadenceTarget: z.number().int().min(1).max(100),
  monthlyCapacity: z.number().int().min(0).max(100_000),
});
export type LifecycleSettings = z.infer<typeof lifecycleSettingsSchema>;
export const lifecycleSettingsPatchSchema = lifecycleSettingsSchema.partial();

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  disqualifyReasons: [...DEFAULT_DISQUALIFY_REASONS],
  slaHours: 24,
  slaWarmHours: null,
  slaHotHours: 1,
  recycleDays: 14,
  cadenceTarget: 8,
  monthlyCapacity: 10,
};

const codes = z.array(z.string().trim().min(1).max(100)).max(500);
export const routingConditionsSchema = z
  .strictObject({
    countries: codes.optional(),
    regions: codes.optional(),
    industries: codes.optional(),
    minEmployees: z.number().int().min(0).optional(),
    maxEmployees: z.number().int().min(0).optional(),
    products: codes.optional(),
  })
  .refine(
    (c) => c.minEmployees === undefined || c.maxEmployees === undefined || c.minEmployees <= c.maxEmployees,
    { error: 'must not be below minEmployees', path: ['maxEmployees'] },
  );
export type RoutingConditionsDto = z.infer<typeof routingConditionsSchema>;

export const routingRuleSchema = z.object({
  id: z.string(),
  position: z.number(),
  name: z.string(),
  teamId: z.string(),
  conditions: routingConditionsSchema,
  active: z.boolean(),
});
export type RoutingRuleDto = z.infer<typeof routingRuleSchema>;
export const routingRuleCreateSchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'is required' }).max(200),
  teamId: idSchema,
  conditions: routingConditionsSchema.default({}),
  position: z.number().int().min(0).optional(),
  active: z.boolean().optional(),
});
export const routingRuleUpdateSchema = routingRuleCreateSchema.partial();
/** The whole new order of the workspace's routing rules (first match wins), ids first to last. */
export const routingRuleOrderSchema = z.strictObject({
  ids: z
    .array(idSchema)
    .min(1)
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'must not repeat a rule' }),
});

export const teamRoutingSchema = z.strictObject({ managerId: idSchema.nullable() });
export const repSettingsSchema = z.strictObject({
  weight: z.number().int().min(0).max(100).optional(),
  monthlyCapacity: z.number().int().min(0).max(100_000).nullable().optional(),
  /** In the round-robin; false takes a rep out of routing without deactivating the user. */
  routingActive: z.boolean().optional(),
});
export const absenceSchema = z
  .strictObject({
    awayFrom: isoDate.nullable().optional(),
    awayUntil: isoDate.nullable(),
  })
  .refine((a) => !a.awayFrom || !a.awayUntil || new Date(a.awayFrom) < new Date(a.awayUntil), {
    error: 'must be after awayFrom',
    path: ['awayUntil'],
  });

export const repSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.string(),
  active: z.boolean(),
  teamIds: z.array(z.string()),
  weight: z.number(),
  monthlyCapacity: z.number().nullable(),
  routingActive: z.boolean(),
  awayFrom: z.string().nullable(),
  awayUntil: z.string().nullable(),
  away: z.boolean(),
  assignedThisMonth: z.number(),
});
export type RepDto = z.infer<typeof repSchema>;

export const assignmentSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  teamId: z.string().nullable(),
  kind: z.string(),
  ruleLabel: z.string(),
  assignedAt: z.string(),
  slaDueAt: z.string(),
  firstSalesTouchAt: z.string().nullable(),
  breachedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
});
export type AssignmentDto = z.infer<typeof assignmentSchema>;
export const reassignSchema = z.strictObject({
  userId: idSchema,
  reason: z.string().trim().min(1).max(500).optional(),
});

export const TEMPERATURES = ['cold', 'warm', 'hot'] as const;
export const temperatureSchema = z.enum(TEMPERATURES);
export const playbookStepSchema = z.strictObject({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,40}$/, { error: 'must be 1-40 of a-z, 0-9, _' }),
  kind: z.enum(['task', 'nurture']),
  type: taskTypeSchema,
  title: z.string().trim().min(1).max(200),
  dueInHours: z
    .number()
    .min(0)
    .max(24 * 90),
});
export type PlaybookStep = z.infer<typeof playbookStepSchema>;
export const playbookSchema = z.object({
  id: z.string().nullable(),
  name: z.string(),
  temperature: temperatureSchema,
  countries: z.array(z.string()),
  segment: z.string().nullable(),
  segmentId: z.string().nullable(),
  steps: z.array(playbookStepSchema),
  active: z.boolean(),
  builtIn: z.boolean(),
});
export type PlaybookDto = z.infer<typeof playbookSchema>;
export const playbookCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1, { error: 'is required' }).max(200),
    temperature: temperatureSchema,
    countries: z.array(z.string().trim().min(1).max(60)).max(300).default([]),
    segment: z.string().trim().min(1).max(100).nullable().default(null),
    segmentId: idSchema.nullable().default(null),
    steps: z.array(playbookStepSchema).min(1, { error: 'needs at least one step' }).max(30),
    active: z.boolean().default(true),
  })
  .refine((p) => new Set(p.steps.map((s) => s.key)).size === p.steps.length, {
    error: 'step keys must be unique',
    path: ['steps'],
  });
export const playbookUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  countries: z.array(z.string().trim().min(1).max(60)).max(300).optional(),
  segment: z.string().trim().min(1).max(100).nullable().optional(),
  segmentId: idSchema.nullable().optional(),
  steps: z
    .array(playbookStepSchema)
    .min(1, { error: 'needs at least one step' })
    .max(30)
    .refine((steps) => new Set(steps.map((s) => s.key)).size === steps.length, {
      error: 'step keys must be unique',
    })
    .optional(),
  active: z.boolean().optional(),
});

/** A lead waiting in a team manager's overflow queue (no rep of the team had room or was present). */
export const overflowItemSchema = z.object({
  assignmentId: z.string(),
  contactId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  temperature: z.string(),
  teamId: z.string().nullable(),
  managerId: z.string().nullable(),
  ruleLabel: z.string(),
  assignedAt: z.string(),
  slaDueAt: z.string(),
  breached: z.boolean(),
});
export type OverflowItemDto = z.infer<typeof overflowItemSchema>;

export const nextActionSchema = z.object({
  source: z.enum(['task', 'playbook']),
  taskId: z.string().nullable(),
  kind: z.enum(['task', 'nurture']),
  type: z.string(),
  title: z.string(),
  dueAt: z.string().nullable(),
});
export type NextActionDto = z.infer<typeof nextActionSchema>;

export const inboxItemSchema = z.object({
  contactId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  companyName: z.string().nullable(),
  ownerId: z.string().nullable(),
  stage: stageSchema,
  temperature: z.string(),
  score: z.number(),
  touches: z.number(),
  cadenceTarget: z.number(),
  assignedAt: z.string().nullable(),
  slaDueAt: z.string().nullable(),
  slaMinutesLeft: z.number().nullable(),
  slaBreached: z.boolean(),
  firstSalesTouchAt: z.string().nullable(),
  nextAction: nextActionSchema.nullable(),
});
export type InboxItemDto = z.infer<typeof inboxItemSchema>;
export const inboxQuerySchema = z.strictObject({
  userId: idSchema.optional(),
  scope: z.enum(['mine', 'team']).default('mine'),
});

export const contactLifecycleSchema = z.object({
  contactId: z.string(),
  stage: stageSchema,
  stageAt: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  temperature: z.string(),
  score: z.number(),
  touches: z.number(),
  cadenceTarget: z.number(),
  assignment: assignmentSchema.nullable(),
  nextAction: nextActionSchema.nullable(),
  history: z.array(transitionSchema),
  disqualifyReasons: z.array(z.string()),
});
export type ContactLifecycleDto = z.infer<typeof contactLifecycleSchema>;

export const slaReportQuerySchema = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
});
const slaRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  assigned: z.number(),
  touched: z.number(),
  avgHoursToFirstTouch: z.number().nullable(),
  medianHoursToFirstTouch: z.number().nullable(),
  breaches: z.number(),
  openBreaches: z.number(),
});
export const slaReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  reps: z.array(slaRowSchema),
  teams: z.array(slaRowSchema),
  breaches: z.array(
    z.object({
      assignmentId: z.string(),
      contactId: z.string(),
      contactName: z.string().nullable(),
      userId: z.string().nullable(),
      userName: z.string().nullable(),
      teamId: z.string().nullable(),
      slaDueAt: z.string(),
      breachedAt: z.string(),
      firstSalesTouchAt: z.string().nullable(),
    }),
  ),
});
export type SlaReportDto = z.infer<typeof slaReportSchema>;
