import { z } from 'zod';
import { limitSchema } from './common.ts';

/** Voice of the customer: feedback items on contacts and deals, and the competitor registry. */

export const FEEDBACK_TYPES = [
  'objection',
  'feature_request',
  'complaint',
  'praise',
  'competitor_mention',
  'price_feedback',
] as const;
export const feedbackTypeSchema = z.enum(FEEDBACK_TYPES);
export const feedbackSourceSchema = z.enum(['manual', 'deal_lost', 'deal_competitor']);

export const competitorSchema = z.object({
  id: z.string(),
  name: z.string(),
  website: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
});
export type CompetitorDto = z.infer<typeof competitorSchema>;

export const competitorCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  website: z.string().trim().max(300).nullable().optional(),
  notes: z.string().trim().max(2000).nullable().optional(),
});
export type CompetitorCreate = z.infer<typeof competitorCreateSchema>;
export const competitorUpdateSchema = competitorCreateSchema.partial();
export type CompetitorUpdate = z.infer<typeof competitorUpdateSchema>;

export const feedbackSchema = z.object({
  id: z.string(),
  type: feedbackTypeSchema,
  source: feedbackSourceSchema,
  contactId: z.string().nullable(),
  dealId: z.string().nullable(),
  productId: z.string().nullable(),
  productName: z.string().nullable(),
  competitorId: z.string().nullable(),
  lostReason: z.string().nullable(),
  body: z.string(),
  occurredAt: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type FeedbackDto = z.infer<typeof feedbackSchema>;

export const feedbackCreateSchema = z
  .strictObject({
    type: feedbackTypeSchema,
    contactId: z.string().max(64).optional(),
    dealId: z.string().max(64).optional(),
    productId: z.string().max(64).nullable().optional(),
    productName: z.string().trim().max(200).nullable().optional(),
    competitorId: z.string().max(64).nullable().optional(),
    body: z.string().trim().max(5000).default(''),
    occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }).optional(),
  })
  .refine((f) => Boolean(f.contactId || f.dealId), {
    error: 'feedback belongs to a contact or a deal',
    path: ['contactId'],
  });
export type FeedbackCreate = z.infer<typeof feedbackCreateSchema>;

export const feedbackListQuerySchema = z.strictObject({
  type: feedbackTypeSchema.optional(),
  productId: z.string().max(64).optional(),
  product: z.string().trim().max(200).optional(),
  competitorId: z.string().max(64).optional(),
  contactId: z.string().max(64).optional(),
  dealId: z.string().max(64).optional(),
  from: z.iso.date({ error: 'must be a date as YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date as YYYY-MM-DD' }).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type FeedbackListQuery = z.infer<typeof feedbackListQuerySchema>;
