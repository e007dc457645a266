import { z } from 'zod';
import { limitSchema } from './common.ts';
import { customValuesSchema, optionalText } from './records.ts';
import { touchSchema } from './touches.ts';

/** The sales pipeline API: pipelines, stages, deals, the board, exchange rates, deal settings. */

export const DEFAULT_LOST_REASONS = [
  'price',
  'competitor',
  'timing',
  'no_budget',
  'no_decision',
  'product_fit',
  'other',
] as const;

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter ISO code' });
export const dateOnlySchema = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
export const stageKeySchema = z
  .string()
  .regex(/^[a-z0-9_]{1,40}$/, { error: 'must be 1–40 lower-case letters, digits or _' });
/** Integer minor units (cents); never negative. */
export const amountMinorSchema = z
  .number({ error: 'must be a whole number of minor units' })
  .int({ error: 'must be a whole number of minor units' })
  .min(0, { error: 'must not be negative' })
  .max(Number.MAX_SAFE_INTEGER);

export const stageKindSchema = z.enum(['open', 'won', 'lost']);

export const stageSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  key: z.string(),
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int(),
  kind: stageKindSchema,
});
export type StageDto = z.infer<typeof stageSchema>;

export const pipelineSchema = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  stages: z.array(stageSchema),
});
export type PipelineDto = z.infer<typeof pipelineSchema>;

const stageInputSchema = z.strictObject({
  key: stageKeySchema,
  name: z.string().trim().min(1).max(80),
  probability: z.number().int().min(0).max(100).optional(),
});

/** A new pipeline: its open stages in order (won and lost are always added at the end). */
export const pipelineCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  stages: z.array(stageInputSchema).min(1).max(20).optional(),
});
export type PipelineCreate = z.infer<typeof pipelineCreateSchema>;

/** A new open stage, before the closed stages (or at `position` among the open ones). */
export const stageCreateSchema = stageInputSchema.extend({
  position: z.number().int().min(0).max(100).optional(),
});
export type StageCreate = z.infer<typeof stageCreateSchema>;

export const stageUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  probability: z.number().int().min(0).max(100).optional(),
});
export type StageUpdate = z.infer<typeof stageUpdateSchema>;

export const dealProductSchema = z.strictObject({
  productId: z.string().max(64).nullable().optional(),
  name: z.string().trim().min(1).max(200),
});

export const dealSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  stageId: z.string(),
  stageKey: z.string(),
  stageKind: stageKindSchema,
  name: z.string(),
  contactId: z.string().nullable(),
  contactIds: z.array(z.string()),
  companyId: z.string().nullable(),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  amountMinor: z.number().int().nullable(),
  currency: z.string(),
  expectedCloseOn: z.string().nullable(),
  sourceCampaignId: z.string().nullable(),
  competitorIds: z.array(z.string()),
  products: z.array(z.object({ productId: z.string().nullable(), name: z.string() })),
  lostReason: z.string().nullable(),
  lostNote: z.string().nullable(),
  wonAt: z.string().nullable(),
  lostAt: z.string().nullable(),
  stageChangedAt: z.string(),
  externalId: z.string().nullable(),
  custom: customValuesSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DealDto = z.infer<typeof dealSchema>;

const dealFields = {
  name: z.string().trim().min(1).max(200),
  pipelineId: z.string().max(64).optional(),
  /** A stage of the pipeline, by id or by key (default: its first open stage). */
  stageId: z.string().max(64).optional(),
  stageKey: stageKeySchema.optional(),
  contactId: z.string().max(64).nullable().optional(),
  /** More contacts on the deal besides the primary one. */
  contactIds: z.array(z.string().max(64)).max(50).optional(),
  companyId: z.string().max(64).nullable().optional(),
  ownerId: z.string().max(64).nullable().optional(),
  teamId: z.string().max(64).nullable().optional(),
  amountMinor: amountMinorSchema.nullable().optional(),
  currency: currencySchema.optional(),
  expectedCloseOn: dateOnlySchema.nullable().optional(),
  sourceCampaignId: z.string().max(64).nullable().optional(),
  competitorIds: z.array(z.string().max(64)).max(50).optional(),
  products: z.array(dealProductSchema).max(100).optional(),
  custom: customValuesSchema.optional(),
  /** Only when creating straight into the lost stage. */
  lostReason: z.string().max(40).optional(),
  lostNote: optionalText(2000),
};

export const dealCreateSchema = z.strictObject(dealFields);
export type DealCreate = z.infer<typeof dealCreateSchema>;

/** Stage changes go through the move endpoint (history, won/lost rules), not PATCH. */
export const dealUpdateSchema = z.strictObject({
  name: dealFields.name.optional(),
  contactId: dealFields.contactId,
  contactIds: dealFields.contactIds,
  companyId: dealFields.companyId,
  ownerId: dealFields.ownerId,
  teamId: dealFields.teamId,
  amountMinor: dealFields.amountMinor,
  currency: dealFields.currency,
  expectedCloseOn: dealFields.expectedCloseOn,
  sourceCampaignId: dealFields.sourceCampaignId,
  competitorIds: dealFields.competitorIds,
  products: dealFields.products,
  custom: dealFields.custom,
});
export type DealUpdate = z.infer<typeof dealUpdateSchema>;

export const dealMoveSchema = z.strictObject({
  stageKey: stageKeySchema.optional(),
  stageId: z.string().max(64).optional(),
  /** Required to reopen a closed deal. */
  reason: optionalText(1000),
  /** Required when the target stage is `lost`: one of the workspace's lost reasons. */
  lostReason: z.string().max(40).optional(),
  lostNote: optionalText(2000),
});
export type DealMove = z.infer<typeof dealMoveSchema>;

export const dealListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  pipelineId: z.string().max(64).optional(),
  stageId: z.string().max(64).optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  ownerId: z.string().max(64).optional(),
  contactId: z.string().max(64).optional(),
  companyId: z.string().max(64).optional(),
  competitorId: z.string().max(64).optional(),
  closeFrom: dateOnlySchema.optional(),
  closeTo: dateOnlySchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type DealListQuery = z.infer<typeof dealListQuerySchema>;

export const boardQuerySchema = z.strictObject({
  pipelineId: z.string().max(64).optional(),
  ownerId: z.string().max(64).optional(),
  /** Cards per column (the sums always cover every deal of the column). */
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type BoardQuery = z.infer<typeof boardQuerySchema>;

export const boardColumnSchema = z.object({
  stage: stageSchema,
  count: z.number().int(),
  /** Sum of the column in the reporting currency, minor units. */
  totalMinor: z.number().int(),
  /** Deals whose currency had no rate for their date: left out of totalMinor. */
  unconverted: z.number().int(),
  deals: z.array(dealSchema),
});
export const boardSchema = z.object({
  pipeline: pipelineSchema,
  reportingCurrency: z.string(),
  columns: z.array(boardColumnSchema),
});
export type BoardDto = z.infer<typeof boardSchema>;

export const dealSettingsSchema = z.object({
  requireAmountOnWon: z.boolean(),
  lostReasons: z.array(z.string()),
  reportingCurrency: z.string(),
});
export type DealSettingsDto = z.infer<typeof dealSettingsSchema>;
export const dealSettingsUpdateSchema = z.strictObject({
  requireAmountOnWon: z.boolean().optional(),
  lostReasons: z.array(stageKeySchema).min(1).max(30).optional(),
});
export type DealSettingsUpdate = z.infer<typeof dealSettingsUpdateSchema>;

export const exchangeRateSchema = z.object({
  base: z.string(),
  quote: z.string(),
  onDate: z.string(),
  rate: z.string(),
  source: z.enum(['manual', 'import']),
});
export type ExchangeRateDto = z.infer<typeof exchangeRateSchema>;
export const rateTextSchema = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,12})?$/, { error: 'must be a positive decimal number' })
  .refine((v) => Number(v) > 0, { error: 'must be greater than zero' });
export const exchangeRateInputSchema = z
  .strictObject({ base: currencySchema, quote: currencySchema, onDate: dateOnlySchema, rate: rateTextSchema })
  .refine((r) => r.base !== r.quote, { error: 'must differ from base', path: ['quote'] });
export type ExchangeRateInput = z.infer<typeof exchangeRateInputSchema>;
export const exchangeRateListQuerySchema = z.strictObject({
  base: currencySchema.optional(),
  quote: currencySchema.optional(),
  limit: limitSchema,
});
export const exchangeRateImportSchema = z.strictObject({ csv: z.string().min(1).max(5_000_000) });
export const exchangeRateImportResultSchema = z.object({ imported: z.number().int() });

export const stageHistorySchema = z.object({
  id: z.string(),
  fromStageId: z.string().nullable(),
  toStageId: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  reason: z.string().nullable(),
});
export type StageHistoryDto = z.infer<typeof stageHistorySchema>;

export const dealTimelineItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('touch'), at: z.string(), id: z.string(), touch: touchSchema }),
  z.object({ kind: z.literal('stage'), at: z.string(), id: z.string(), stage: stageHistorySchema }),
]);
export type DealTimelineItem = z.infer<typeof dealTimelineItemSchema>;
export const dealTimelineQuerySchema = z.strictObject({
  before: z.iso.datetime({ offset: true }).optional(),
  limit: limitSchema,
});

export const ACTIVITY_TYPES = ['call', 'meeting', 'note'] as const;
export const activityInputSchema = z.strictObject({
  type: z.enum(ACTIVITY_TYPES),
  contactId: z.string().max(64).optional(),
  outcome: z.string().trim().max(80).optional(),
  notes: z.string().trim().max(5000).optional(),
  occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }).optional(),
});
export type ActivityInput = z.infer<typeof activityInputSchema>;
