import { z } from 'zod';
import { touchTypeSchema } from './touches.ts';

/**
 * A workspace's scoring model: fit rules over contact and company fields (negative points make the
 * negative rules: unsubscribed, competitor, free mail), engagement points per touch type capped per
 * period and decaying with a half-life, and the temperature and MQL thresholds.
 */

/** Fields a fit rule can test. `email_domain` is the part after the @, lower case. */
export const FIT_TEXT_FIELDS = [
  'country',
  'title',
  'language',
  'email_domain',
  'source_channel',
  'company.industry',
  'company.country',
  'company.domain',
] as const;
export const FIT_NUMBER_FIELDS = ['company.employees'] as const;
export const FIT_LIST_FIELDS = ['tags'] as const;
export const FIT_FIELDS = [...FIT_TEXT_FIELDS, ...FIT_NUMBER_FIELDS, ...FIT_LIST_FIELDS] as const;
export type FitField = (typeof FIT_FIELDS)[number];

/**
 * in: equals one of the values (case-insensitive; tags: has one of them); contains: contains one of
 * the values (case-insensitive); between: min ≤ value ≤ max (either bound optional); is_set: has a
 * value; free_mail: the e-mail domain is a public mailbox provider (FREE_MAIL_DOMAINS).
 */
export const FIT_OPS = ['in', 'contains', 'between', 'is_set', 'free_mail'] as const;
export type FitOp = (typeof FIT_OPS)[number];

/** Which operators make sense for which field. */
export function opsForField(field: FitField): readonly FitOp[] {
  if ((FIT_NUMBER_FIELDS as readonly string[]).includes(field)) return ['between', 'is_set'];
  if ((FIT_LIST_FIELDS as readonly string[]).includes(field)) return ['in', 'is_set'];
  if (field === 'email_domain') return ['in', 'contains', 'is_set', 'free_mail'];
  return ['in', 'contains', 'is_set'];
}

/** Public mailbox providers: an address here says little about the buyer's company. */
export const FREE_MAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'yandex.ru',
  'mail.ru',
  'proton.me',
  'protonmail.com',
  'qq.com',
  '163.com',
  '126.com',
  'sina.com',
  'sohu.com',
  'foxmail.com',
  'aliyun.com',
  'yeah.net',
] as const;

const ruleIdSchema = z
  .string()
  .regex(/^[a-z0-9_-]{1,40}$/, { error: 'must be 1–40 lower-case letters, digits, _ or -' });
const pointsSchema = z
  .number()
  .int({ error: 'must be a whole number' })
  .min(-100, { error: 'must be at least -100' })
  .max(100, { error: 'must be at most 100' });

export const fitRuleSchema = z.strictObject({
  id: ruleIdSchema,
  label: z.string().trim().min(1, { error: 'is required' }).max(100),
  enabled: z.boolean().default(true),
  field: z.enum(FIT_FIELDS),
  op: z.enum(FIT_OPS),
  values: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
  min: z.number().nullable().optional(),
  max: z.number().nullable().optional(),
  points: pointsSchema,
});
export type FitRule = z.infer<typeof fitRuleSchema>;

export const engagementRuleSchema = z.strictObject({
  type: touchTypeSchema,
  points: z.number().int().min(0, { error: 'must be 0 or more' }).max(100, { error: 'must be at most 100' }),
  /** Most points this type can earn in one period (counted from the first touches in time order). */
  cap: z.number().int().min(0, { error: 'must be 0 or more' }).max(1000, { error: 'must be at most 1000' }),
});
export type EngagementRule = z.infer<typeof engagementRuleSchema>;

export const scoringModelSchema = z
  .strictObject({
    fit: z.array(fitRuleSchema).max(100),
    engagement: z.strictObject({
      halfLifeDays: z
        .number()
        .min(1, { error: 'must be at least 1 day' })
        .max(3650, { error: 'must be at most 3650 days' }),
      periodDays: z
        .number()
        .int()
        .min(1, { error: 'must be at least 1 day' })
        .max(365, { error: 'must be at most 365 days' }),
      touchTypes: z.array(engagementRuleSchema).max(100),
    }),
    thresholds: z.strictObject({
      warm: z.number().int().min(1).max(100),
      hot: z.number().int().min(1).max(100),
      mql: z.number().int().min(1).max(100),
    }),
  })
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (m.thresholds.warm >= m.thresholds.hot)
      issue(['thresholds', 'hot'], 'must be above the warm threshold');
    const ids = new Set<string>();
    m.fit.forEach((r, i) => {
      if (ids.has(r.id)) issue(['fit', i, 'id'], 'is used by another rule');
      ids.add(r.id);
      if (!opsForField(r.field).includes(r.op))
        issue(['fit', i, 'op'], `must be one of ${opsForField(r.field).join(', ')} for ${r.field}`);
      if (r.enabled && (r.op === 'in' || r.op === 'contains') && r.values.length === 0)
        issue(['fit', i, 'values'], 'needs at least one value');
      if (r.op === 'between') {
        if (r.min == null && r.max == null) issue(['fit', i, 'min'], 'needs a minimum or a maximum');
        if (r.min != null && r.max != null && r.min > r.max) issue(['fit', i, 'max'], 'must be at least min');
      }
    });
    const types = new Set<string>();
    m.engagement.touchTypes.forEach((t, i) => {
      if (types.has(t.type)) issue(['engagement', 'touchTypes', i, 'type'], 'is listed twice');
      types.add(t.type);
    });
  });
export type ScoringModel = z.infer<typeof scoringModelSchema>;

/**
 * Shipped defaults. Target markets, industries and competitors are the workspace's own, so those
 * rules ship disabled with no values; the free-mail penalty is off until a workspace turns it on.
 * MQL at 70 (= hot): a lead goes to sales when it is hot; warm leads get the warm playbook's
 * follow-ups while marketing keeps nurturing them.
 */
export const DEFAULT_SCORING_MODEL: ScoringModel = {
  fit: [
    {
      id: 'target-market',
      label: 'Country in a target market',
      enabled: false,
      field: 'country',
      op: 'in',
      values: [],
      points: 15,
    },
    {
      id: 'target-industry',
      label: 'Company in a target industry',
      enabled: false,
      field: 'company.industry',
      op: 'in',
      values: [],
      points: 10,
    },
    {
      id: 'company-size',
      label: 'Company of 50 to 5,000 employees',
      enabled: true,
      field: 'company.employees',
      op: 'between',
      values: [],
      min: 50,
      max: 5000,
      points: 10,
    },
    {
      id: 'decision-maker',
      label: 'Job title of a decision maker',
      enabled: true,
      field: 'title',
      op: 'contains',
      values: [
        'owner',
        'founder',
        'ceo',
        'chief',
        'director',
        'head',
        'vp',
        'president',
        'manager',
        'buyer',
        'purchas',
        '经理',
        '总监',
        '总裁',
        '采购',
      ],
      points: 10,
    },
    {
      id: 'unsubscribed',
      label: 'Unsubscribed',
      enabled: true,
      field: 'tags',
      op: 'in',
      values: ['unsubscribed'],
      points: -50,
    },
    {
      id: 'competitor',
      label: 'E-mail at a competitor',
      enabled: false,
      field: 'email_domain',
      op: 'in',
      values: [],
      points: -100,
    },
    {
      id: 'free-mail',
      label: 'Free-mail address',
      enabled: false,
      field: 'email_domain',
      op: 'free_mail',
      values: [],
      points: -10,
    },
  ],
  engagement: {
    halfLifeDays: 30,
    periodDays: 30,
    touchTypes: [
      { type: 'form_submit', points: 20, cap: 40 },
      { type: 'email_reply', points: 20, cap: 40 },
      { type: 'meeting', points: 20, cap: 40 },
      { type: 'trade_show_scan', points: 20, cap: 20 },
      { type: 'call', points: 10, cap: 30 },
      { type: 'webinar', points: 10, cap: 20 },
      { type: 'seminar', points: 10, cap: 20 },
      { type: 'content_view', points: 5, cap: 15 },
      { type: 'email_click', points: 5, cap: 15 },
      { type: 'ad_click', points: 3, cap: 9 },
      { type: 'page_view', points: 2, cap: 10 },
      { type: 'email_open', points: 1, cap: 5 },
    ],
  },
  thresholds: { warm: 40, hot: 70, mql: 70 },
};

export const temperatureSchema = z.enum(['cold', 'warm', 'hot']);
export type Temperature = z.infer<typeof temperatureSchema>;

export const scoringModelDtoSchema = z.object({
  model: scoringModelSchema,
  version: z.number().int(),
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type ScoringModelDto = z.infer<typeof scoringModelDtoSchema>;

export const recomputeDtoSchema = z.object({
  id: z.string(),
  modelVersion: z.number().int(),
  status: z.enum(['queued', 'running', 'done', 'superseded']),
  total: z.number().int(),
  processed: z.number().int(),
  changed: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RecomputeDto = z.infer<typeof recomputeDtoSchema>;

export const scoreReasonSchema = z.object({
  kind: z.enum(['fit', 'negative', 'engagement']),
  /** Fit rule id, or the touch type for engagement. */
  rule: z.string(),
  label: z.string(),
  /** Points as earned (engagement: after the per-period cap, before decay). */
  points: z.number(),
  /** Engagement only: points left after decay (what counts now), and how many touches earned them. */
  decayedPoints: z.number().optional(),
  touches: z.number().int().optional(),
});
export type ScoreReason = z.infer<typeof scoreReasonSchema>;

export const scoreExplanationSchema = z.object({
  contactId: z.string(),
  score: z.number().int(),
  temperature: temperatureSchema,
  fit: z.number(),
  engagement: z.number(),
  /** Engagement points lost to decay so far (earned minus what still counts). */
  decay: z.number(),
  halfLifeDays: z.number(),
  thresholds: z.object({ warm: z.number(), hot: z.number(), mql: z.number() }),
  reasons: z.array(scoreReasonSchema),
  at: z.string(),
});
export type ScoreExplanation = z.infer<typeof scoreExplanationSchema>;
