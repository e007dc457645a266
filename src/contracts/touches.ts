import { z } from 'zod';
import { emailSchema, limitSchema } from './common.ts';

export const TOUCH_TYPES = [
  'email_sent',
  'email_open',
  'email_click',
  'email_reply',
  'form_submit',
  'page_view',
  'content_view',
  'trade_show_scan',
  'call',
  'meeting',
  'letter',
  'seminar',
  'webinar',
  'direct_mail',
  'ad_click',
  'quote_sent',
  'deal_won',
  'deal_lost',
  'note',
] as const;
export type BuiltInTouchType = (typeof TOUCH_TYPES)[number];

/** A built-in type, or a workspace's own `other:<name>`. */
export const touchTypeSchema = z.union([
  z.enum(TOUCH_TYPES),
  z.string().regex(/^other:[a-z0-9_]{1,40}$/, { error: 'must be a known touch type or other:<name>' }),
]);
export const directionSchema = z.enum(['marketing', 'sales']);
export type Direction = z.infer<typeof directionSchema>;

/** Which side of the loop a touch belongs to when the caller does not say. */
export const DEFAULT_DIRECTION: Record<BuiltInTouchType, Direction> = {
  email_sent: 'marketing',
  email_open: 'marketing',
  email_click: 'marketing',
  email_reply: 'marketing',
  form_submit: 'marketing',
  page_view: 'marketing',
  content_view: 'marketing',
  trade_show_scan: 'marketing',
  call: 'sales',
  meeting: 'sales',
  letter: 'sales',
  seminar: 'marketing',
  webinar: 'marketing',
  direct_mail: 'marketing',
  ad_click: 'marketing',
  quote_sent: 'sales',
  deal_won: 'sales',
  deal_lost: 'sales',
  note: 'sales',
};

export const utmSchema = z.strictObject({
  source: z.string().trim().max(200).nullable().optional(),
  medium: z.string().trim().max(200).nullable().optional(),
  campaign: z.string().trim().max(200).nullable().optional(),
  referrer: z.string().trim().max(2000).nullable().optional(),
});

const metadataSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((m) => JSON.stringify(m).length <= 16_384, { error: 'must be at most 16 KB as JSON' });

export const touchInputSchema = z
  .strictObject({
    contactId: z.string().max(64).optional(),
    contactEmail: emailSchema.optional(),
    contactExternalId: z.string().trim().min(1).max(200).optional(),
    type: touchTypeSchema,
    direction: directionSchema.optional(),
    channel: z.string().trim().min(1).max(40).optional(),
    occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }).optional(),
    companyId: z.string().max(64).nullable().optional(),
    campaignId: z.string().max(64).nullable().optional(),
    userId: z.string().max(64).nullable().optional(),
    utm: utmSchema.optional(),
    metadata: metadataSchema.optional(),
    idempotencyKey: z.string().trim().min(1).max(200).optional(),
  })
  .refine((t) => Boolean(t.contactId || t.contactEmail || t.contactExternalId), {
    error: 'name the contact by contactId, contactEmail or contactExternalId',
    path: ['contactId'],
  });
export type TouchInput = z.infer<typeof touchInputSchema>;

export const touchBatchSchema = z.strictObject({
  touches: z.array(touchInputSchema).min(1).max(1000, { error: 'at most 1,000 touches per batch' }),
});

export const touchSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  companyId: z.string().nullable(),
  campaignId: z.string().nullable(),
  userId: z.string().nullable(),
  type: z.string(),
  direction: directionSchema,
  channel: z.string().nullable(),
  occurredAt: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TouchDto = z.infer<typeof touchSchema>;

export const touchResultSchema = z.object({ touch: touchSchema, duplicate: z.boolean() });
export const touchBatchResultSchema = z.object({
  items: z.array(z.object({ id: z.string(), duplicate: z.boolean() })),
  created: z.number().int(),
  duplicates: z.number().int(),
});

export const timelineQuerySchema = z.strictObject({
  kind: z.enum(['all', 'touch', 'change']).default('all'),
  type: touchTypeSchema.optional(),
  direction: directionSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type TimelineQuery = z.infer<typeof timelineQuerySchema>;

export const timelineItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('touch'), at: z.string(), id: z.string(), touch: touchSchema }),
  z.object({
    kind: z.literal('change'),
    at: z.string(),
    id: z.string(),
    change: z.object({
      action: z.string(),
      actorLabel: z.string(),
      entityType: z.string(),
      entityId: z.string().nullable(),
      diff: z.record(z.string(), z.unknown()),
    }),
  }),
]);
export type TimelineItem = z.infer<typeof timelineItemSchema>;
