import { z } from 'zod';
import { limitSchema } from './common.ts';

/**
 * Products, price lists and quotes. Money is integer minor units of the quote's or price list's
 * currency; percentages travel as numbers with up to two decimals (12.5 = 12.5 %) and are stored
 * as basis points. Quantities allow three decimals (2.5 kg).
 */
const text = (max: number) => z.string().trim().min(1, { error: 'is required' }).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter ISO currency code such as EUR' });
const minorSchema = z
  .number()
  .int({ error: 'must be a whole number of minor units (cents)' })
  .min(0, { error: 'must not be negative' })
  .max(Number.MAX_SAFE_INTEGER);
/** 0–100 with at most two decimals. */
export const percentSchema = z
  .number()
  .min(0, { error: 'must not be negative' })
  .max(100, { error: 'must be at most 100 %' })
  .refine((n) => Number.isInteger(Math.round(n * 100 * 1e6) / 1e6), {
    error: 'at most two decimals',
  });
export const quantitySchema = z
  .number()
  .positive({ error: 'must be greater than zero' })
  .max(1_000_000_000)
  .refine((n) => Number.isInteger(Math.round(n * 1000 * 1e6) / 1e6), {
    error: 'at most three decimals',
  });
const dateSchema = z.iso.date({ error: 'must be a date (YYYY-MM-DD)' });

// ---- products ----
export const productSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  unit: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProductDto = z.infer<typeof productSchema>;

const productFields = {
  sku: z
    .string()
    .trim()
    .min(1, { error: 'is required' })
    .max(64)
    .regex(/^[A-Za-z0-9._\-/]+$/, { error: 'letters, digits and . _ - / only' }),
  name: text(200),
  description: optionalText(2000),
  unit: z.string().trim().min(1).max(20).optional(),
  active: z.boolean().optional(),
};
export const productCreateSchema = z.strictObject(productFields);
export type ProductCreate = z.infer<typeof productCreateSchema>;
export const productUpdateSchema = z.strictObject(productFields).partial();
export type ProductUpdate = z.infer<typeof productUpdateSchema>;
export const productListQuerySchema = z.strictObject({
  q: z.string().max(100).optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type ProductListQuery = z.infer<typeof productListQuerySchema>;

// ---- price lists ----
export const priceListItemSchema = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  unit: z.string(),
  unitPriceMinor: z.number().int(),
});
export type PriceListItemDto = z.infer<typeof priceListItemSchema>;

export const priceListSchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  market: z.string().nullable(),
  active: z.boolean(),
  itemCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PriceListDto = z.infer<typeof priceListSchema>;
export const priceListDetailSchema = priceListSchema.extend({ items: z.array(priceListItemSchema) });
export type PriceListDetailDto = z.infer<typeof priceListDetailSchema>;

export const priceListCreateSchema = z.strictObject({
  name: text(200),
  currency: currencySchema,
  market: optionalText(100),
  active: z.boolean().optional(),
});
export type PriceListCreate = z.infer<typeof priceListCreateSchema>;
export const priceListUpdateSchema = z.strictObject({
  name: text(200).optional(),
  market: optionalText(100),
  active: z.boolean().optional(),
});
export type PriceListUpdate = z.infer<typeof priceListUpdateSchema>;
/** Sets (upserts) prices; `unitPriceMinor: null` removes the product from the list. */
export const priceListItemsPutSchema = z.strictObject({
  items: z
    .array(z.strictObject({ productId: z.string().max(64), unitPriceMinor: minorSchema.nullable() }))
    .min(1)
    .max(1000),
});
export type PriceListItemsPut = z.infer<typeof priceListItemsPutSchema>;

// ---- quotes ----
export const QUOTE_STATUSES = [
  'draft',
  'pending_approval',
  'sent',
  'accepted',
  'rejected',
  'expired',
] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export const APPROVAL_STATES = ['not_needed', 'required', 'pending', 'approved', 'rejected'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const quoteLineSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  productId: z.string().nullable(),
  sku: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  unit: z.string(),
  quantity: z.number(),
  unitPriceMinor: z.number().int(),
  discountPercent: z.number(),
  taxRatePercent: z.number(),
  grossMinor: z.number().int(),
  discountMinor: z.number().int(),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
});
export type QuoteLineDto = z.infer<typeof quoteLineSchema>;

export const quoteSchema = z.object({
  id: z.string(),
  number: z.string(),
  version: z.number().int(),
  /** Number and version as printed: Q-2026-0001, Q-2026-0001-v2. */
  label: z.string(),
  previousVersionId: z.string().nullable(),
  nextVersionId: z.string().nullable(),
  dealId: z.string(),
  contactId: z.string().nullable(),
  priceListId: z.string().nullable(),
  currency: z.string(),
  status: z.enum(QUOTE_STATUSES),
  title: z.string().nullable(),
  notes: z.string().nullable(),
  validUntil: z.string(),
  discountPercent: z.number(),
  lines: z.array(quoteLineSchema),
  totals: z.object({
    grossMinor: z.number().int(),
    lineDiscountMinor: z.number().int(),
    subtotalMinor: z.number().int(),
    quoteDiscountMinor: z.number().int(),
    taxMinor: z.number().int(),
    totalMinor: z.number().int(),
    effectiveDiscountPercent: z.number(),
  }),
  approval: z.object({
    state: z.enum(APPROVAL_STATES),
    thresholdPercent: z.number(),
    requestedBy: z.string().nullable(),
    requestedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    comment: z.string().nullable(),
  }),
  sentAt: z.string().nullable(),
  sentBy: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type QuoteDto = z.infer<typeof quoteSchema>;

export const quoteLineInputSchema = z.strictObject({
  productId: z.string().max(64).nullable().optional(),
  name: z.string().trim().max(200).optional(),
  description: optionalText(2000),
  unit: z.string().trim().min(1).max(20).optional(),
  quantity: quantitySchema,
  /** Required for free lines; for catalogue lines it defaults to the price list's price. */
  unitPriceMinor: minorSchema.optional(),
  discountPercent: percentSchema.optional(),
  /** The line's tax rate; the quote's `taxRatePercent` when absent. */
  taxRatePercent: percentSchema.optional(),
});
export type QuoteLineInput = z.infer<typeof quoteLineInputSchema>;

const quoteFields = {
  priceListId: z.string().max(64).nullable().optional(),
  currency: currencySchema.optional(),
  title: optionalText(200),
  notes: optionalText(4000),
  validUntil: dateSchema.optional(),
  discountPercent: percentSchema.optional(),
  /** Default tax rate for lines that give none. */
  taxRatePercent: percentSchema.optional(),
  lines: z.array(quoteLineInputSchema).max(200).optional(),
};
export const quoteCreateSchema = z.strictObject({ dealId: z.string().max(64), ...quoteFields });
export type QuoteCreate = z.infer<typeof quoteCreateSchema>;
export const quoteUpdateSchema = z.strictObject(quoteFields);
export type QuoteUpdate = z.infer<typeof quoteUpdateSchema>;

export const quoteListQuerySchema = z.strictObject({
  dealId: z.string().max(64).optional(),
  status: z.enum(QUOTE_STATUSES).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type QuoteListQuery = z.infer<typeof quoteListQuerySchema>;

export const approvalDecisionSchema = z.strictObject({
  comment: z.string().trim().max(2000).optional(),
});
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;
export const approvalRejectSchema = z.strictObject({
  comment: z.string().trim().min(1, { error: 'say why the discount is rejected' }).max(2000),
});
export const customerAnswerSchema = z.strictObject({
  outcome: z.enum(['accepted', 'rejected']),
  comment: z.string().trim().max(2000).optional(),
});
export type CustomerAnswer = z.infer<typeof customerAnswerSchema>;

// ---- settings ----
export const quoteSettingsSchema = z.object({
  discountThresholdPercent: z.number(),
  hasLogo: z.boolean(),
  workspaceName: z.string(),
});
export type QuoteSettingsDto = z.infer<typeof quoteSettingsSchema>;
export const quoteSettingsUpdateSchema = z.strictObject({ discountThresholdPercent: percentSchema });
export type QuoteSettingsUpdate = z.infer<typeof quoteSettingsUpdateSchema>;
