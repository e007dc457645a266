import { z } from 'zod';
import { amountMinorSchema } from './deals.ts';
import { inboxItemSchema } from './lifecycle.ts';

/** The planning API: flywheel planner, quotas and attainment, the multi-year plan, the dashboard. */

export const rateValueSchema = z.object({ value: z.number(), isDefault: z.boolean() });
export type RateValueDto = z.infer<typeof rateValueSchema>;

export const channelRateSchema = z.object({
  channel: z.string(),
  costPerLeadMinor: z.number(),
  share: z.number(),
  isDefault: z.boolean(),
});

/** The rates the planner works with; `isDefault` marks the source documents' figures. */
export const plannerRatesSchema = z.object({
  currency: z.string(),
  leadToQualified: rateValueSchema,
  qualifiedToQuote: rateValueSchema,
  quoteToWon: rateValueSchema,
  avgDealMinor: rateValueSchema,
  cycleDays: rateValueSchema,
  repCapacity: rateValueSchema,
  touchesPerWin: rateValueSchema,
  channels: z.array(channelRateSchema),
});
export type PlannerRatesDto = z.infer<typeof plannerRatesSchema>;

const share = z.number({ error: 'must be a number' }).gt(0, { error: 'must be above 0' }).max(1, {
  error: 'must be at most 1',
});

/** What the user types over the measured rates (each one is then no longer a default). */
export const rateOverridesSchema = z.strictObject({
  leadToQualified: share.optional(),
  qualifiedToQuote: share.optional(),
  quoteToWon: share.optional(),
  avgDealMinor: amountMinorSchema.min(1, { error: 'must be above 0' }).optional(),
  cycleDays: z.number().min(0).max(3650).optional(),
  repCapacity: z.number().gt(0, { error: 'must be above 0' }).max(10_000).optional(),
  touchesPerWin: z.number().gt(0, { error: 'must be above 0' }).max(1000).optional(),
  costPerLeadMinor: z.record(z.string().max(40), amountMinorSchema.min(1)).optional(),
});
export type RateOverrides = z.infer<typeof rateOverridesSchema>;

export const backwardsInputSchema = z.strictObject({
  targetMinor: amountMinorSchema.min(1, { error: 'must be above 0' }),
  months: z.number().int().min(1).max(60),
  overrides: rateOverridesSchema.optional(),
});
export type BackwardsInput = z.infer<typeof backwardsInputSchema>;

export const backwardsPlanSchema = z.object({
  rates: plannerRatesSchema,
  targetMinor: z.number(),
  months: z.number(),
  wins: z.number(),
  quotes: z.number(),
  qualifiedLeads: z.number(),
  leads: z.number(),
  touches: z.number(),
  channels: z.array(
    z.object({
      channel: z.string(),
      leads: z.number(),
      budgetMinor: z.number(),
      costPerLeadMinor: z.number(),
      isDefault: z.boolean(),
    }),
  ),
  budgetMinor: z.number(),
  reps: z.number(),
  leadMonthsAhead: z.number(),
});
export type BackwardsPlanDto = z.infer<typeof backwardsPlanSchema>;

export const forwardsInputSchema = z.strictObject({
  mode: z.enum(['budget', 'reinvest']),
  months: z.number().int().min(12, { error: 'must be 12 to 24' }).max(24, { error: 'must be 12 to 24' }),
  monthlyBudgetMinor: amountMinorSchema.optional(),
  reinvestPercent: z.number().min(0).max(100).optional(),
  overrides: rateOverridesSchema.optional(),
});
export type ForwardsInputDto = z.infer<typeof forwardsInputSchema>;

export const forwardsMonthSchema = z.object({
  month: z.string(),
  budgetMinor: z.number(),
  leads: z.number(),
  quotes: z.number(),
  orders: z.number(),
  revenueMinor: z.number(),
});
export const forwardsPlanSchema = z.object({
  rates: plannerRatesSchema,
  lagMonths: z.number(),
  lastPeriodRevenueMinor: z.number(),
  months: z.array(forwardsMonthSchema),
});
export type ForwardsPlanDto = z.infer<typeof forwardsPlanSchema>;

export const yearQuerySchema = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2200).optional(),
});

export const quotaSchema = z.object({
  annualMinor: z.number(),
  quartersMinor: z.array(z.number()),
  status: z.enum(['draft', 'approved']),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
});
export type QuotaDto = z.infer<typeof quotaSchema>;

export const repQuotaSchema = z.object({
  userId: z.string(),
  name: z.string(),
  teamIds: z.array(z.string()),
  capacity: rateValueSchema,
  territory: z.object({ contacts: z.number(), companies: z.number(), factor: z.number() }),
  suggestedMinor: z.number(),
  suggestedQuartersMinor: z.array(z.number()),
  quota: quotaSchema.nullable(),
});
export type RepQuotaDto = z.infer<typeof repQuotaSchema>;

export const quotaBoardSchema = z.object({
  year: z.number(),
  currency: z.string(),
  rates: plannerRatesSchema,
  /** The multi-year plan's revenue target for the year, when there is one. */
  planRevenueMinor: z.number().nullable(),
  reps: z.array(repQuotaSchema),
  teams: z.array(
    z.object({
      teamId: z.string(),
      name: z.string(),
      /** The sum of its members' suggestions, and that split into quarters. */
      suggestedMinor: z.number(),
      suggestedQuartersMinor: z.array(z.number()),
      /** The sum of its members' quotas. */
      quotaMinor: z.number(),
      /** The team's own quota, set and approved by a manager. */
      quota: quotaSchema.nullable(),
    }),
  ),
});
export type QuotaBoardDto = z.infer<typeof quotaBoardSchema>;

export const quotaInputSchema = z.strictObject({
  annualMinor: amountMinorSchema,
  /** Four quarters that sum to the annual figure; when absent the year is split evenly. */
  quartersMinor: z.array(amountMinorSchema).length(4, { error: 'must be four quarters' }).optional(),
  approve: z.boolean().default(false),
});
export type QuotaInput = z.infer<typeof quotaInputSchema>;

export const quotaParamsSchema = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2200),
  userId: z.string().max(64),
});

export const teamQuotaParamsSchema = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2200),
  teamId: z.string().max(64),
});

export const attainmentQuerySchema = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2200).optional(),
  quarter: z.coerce.number().int().min(1).max(4).optional(),
});

export const attainmentRowSchema = z.object({
  userId: z.string(),
  name: z.string(),
  quotaMinor: z.number().nullable(),
  quotaStatus: z.enum(['draft', 'approved']).nullable(),
  wonMinor: z.number(),
  pipelineMinor: z.number(),
  gapMinor: z.number().nullable(),
});
export type AttainmentRowDto = z.infer<typeof attainmentRowSchema>;
export const teamAttainmentRowSchema = attainmentRowSchema
  .omit({ userId: true })
  .extend({ teamId: z.string() });
export const attainmentSchema = z.object({
  year: z.number(),
  quarter: z.number().nullable(),
  currency: z.string(),
  rows: z.array(attainmentRowSchema),
  /** Per team (managers only): the team's own quota against what its members won and have open. */
  teams: z.array(teamAttainmentRowSchema),
});
export type AttainmentDto = z.infer<typeof attainmentSchema>;

const dimension = z.string().trim().max(80);
export const planTargetInputSchema = z.strictObject({
  year: z.number().int().min(2000).max(2200),
  market: dimension.default(''),
  segment: dimension.default(''),
  product: dimension.default(''),
  revenueMinor: amountMinorSchema,
  customers: z.number().int().min(0).max(10_000_000),
  leads: z.number().int().min(0).max(1_000_000_000),
});
export const planInputSchema = z.strictObject({
  fromYear: z.number().int().min(2000).max(2200),
  toYear: z.number().int().min(2000).max(2200),
  targets: z.array(planTargetInputSchema).max(500),
});
export type PlanInput = z.infer<typeof planInputSchema>;

const figures = {
  revenueMinor: z.number(),
  customers: z.number(),
  leads: z.number(),
};
export const planTargetSchema = z.object({
  id: z.string(),
  year: z.number(),
  market: z.string(),
  segment: z.string(),
  product: z.string(),
  ...figures,
  /** What happened for the same cell; null where the cell cannot be measured (segment). */
  actual: z.object(figures).nullable(),
});
export type PlanTargetDto = z.infer<typeof planTargetSchema>;

export const planSchema = z.object({
  currency: z.string(),
  fromYear: z.number(),
  toYear: z.number(),
  targets: z.array(planTargetSchema),
  years: z.array(z.object({ year: z.number(), target: z.object(figures), actual: z.object(figures) })),
  /** The current year's plan, derived from the multi-year plan: month by month against actuals. */
  currentYear: z.object({
    year: z.number(),
    months: z.array(
      z.object({ month: z.string(), planRevenueMinor: z.number(), actualRevenueMinor: z.number() }),
    ),
  }),
});
export type PlanDto = z.infer<typeof planSchema>;

export const planQuerySchema = z.strictObject({
  fromYear: z.coerce.number().int().min(2000).max(2200).optional(),
  toYear: z.coerce.number().int().min(2000).max(2200).optional(),
});

export const dashboardQuerySchema = z.strictObject({
  period: z.enum(['month', 'quarter']).default('quarter'),
});

export const loopFiguresSchema = z.object({
  spendMinor: z.number(),
  leads: z.number(),
  quotes: z.number(),
  orders: z.number(),
  revenueMinor: z.number(),
});
export type LoopFiguresDto = z.infer<typeof loopFiguresSchema>;

export const dashboardSchema = z.object({
  view: z.enum(['owner', 'marketing', 'rep']),
  currency: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  previous: z.object({ from: z.string(), to: z.string() }),
  loop: z.object({ current: loopFiguresSchema, previous: loopFiguresSchema }).nullable(),
  planRevenueMinor: z.number().nullable(),
  channels: z
    .array(
      z.object({
        channel: z.string(),
        leads: z.number(),
        previousLeads: z.number(),
        costPerLeadMinor: z.number().nullable(),
        previousCostPerLeadMinor: z.number().nullable(),
      }),
    )
    .nullable(),
  mine: z
    .object({
      quota: attainmentRowSchema.nullable(),
      pipeline: z.array(z.object({ stage: z.string(), deals: z.number(), amountMinor: z.number() })),
      /** The rep's "My leads" inbox: how many open leads wait, and the first few (hot, then SLA). */
      inbox: z.object({ total: z.number(), items: z.array(inboxItemSchema) }),
    })
    .nullable(),
});
export type DashboardDto = z.infer<typeof dashboardSchema>;
