import { z } from 'zod';

/**
 * Reports: every report answers in one table shape (columns + rows) so the API, the CSV export,
 * the CLI and the web chart read them the same way. Drill-down lists the records behind one cell.
 */

export const REPORT_NAMES = [
  'funnel',
  'velocity',
  'touches-to-close',
  'attribution',
  'roi',
  'forecast',
  'voice',
  'sla',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const reportNameSchema = z.enum(REPORT_NAMES, { error: `must be one of ${REPORT_NAMES.join(', ')}` });

/** Dimensions a contact-based report (funnel, velocity, touches-to-close) breaks down by. */
export const CONTACT_DIMENSIONS = [
  'source',
  'campaign',
  'channel',
  'country',
  'market',
  'owner',
  'team',
  'product',
  'segment',
  'month',
] as const;
/** Every dimension; voice of the customer adds the feedback's type, competitor and lost reason. */
export const DIMENSIONS = [...CONTACT_DIMENSIONS, 'type', 'competitor', 'lost_reason'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Dimensions money is credited to (attribution, roi). */
export const ATTRIBUTION_DIMENSIONS = ['campaign', 'channel', 'market'] as const;
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number];

/** Which breakdowns each report offers: the server refuses others, the web page lists these. */
export const REPORT_DIMENSIONS: Record<ReportName, readonly Dimension[]> = {
  funnel: CONTACT_DIMENSIONS,
  velocity: CONTACT_DIMENSIONS,
  'touches-to-close': CONTACT_DIMENSIONS,
  attribution: ATTRIBUTION_DIMENSIONS,
  roi: ATTRIBUTION_DIMENSIONS,
  forecast: [],
  voice: ['type', 'product', 'competitor', 'lost_reason', 'month'],
  sla: ['owner', 'team'],
};

export const ATTRIBUTION_MODELS = ['first', 'last', 'linear', 'u_shaped', 'w_shaped', 'time_decay'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

const dimensionSchema = z.enum(DIMENSIONS, { error: `must be one of ${DIMENSIONS.join(', ')}` });
const dayOrTime = z
  .string()
  .max(40)
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)),
    {
      error: 'must be a date (YYYY-MM-DD) or an ISO date-time',
    },
  );

/** `?by=source&by=month&from=2026-01-01&to=2026-04-01`: dates are UTC days or ISO date-times. */
export const reportQuerySchema = z
  .strictObject({
    by: z
      .union([dimensionSchema, z.array(dimensionSchema).max(3, { error: 'at most 3 dimensions' })])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
    from: dayOrTime.optional(),
    to: dayOrTime.optional(),
    /** Funnel: cohort (contacts whose first touch fell in the period) or period (transitions in it). */
    mode: z.enum(['cohort', 'period'], { error: 'must be cohort or period' }).default('cohort'),
    /** Time-decay attribution half-life in days. */
    halfLifeDays: z.coerce
      .number({ error: 'must be a number of days' })
      .positive({ error: 'must be more than 0' })
      .max(365, { error: 'must be at most 365' })
      .default(7),
    /** Forecast: how many months ahead (and how many past month-ends the backtest replays). */
    months: z.coerce
      .number({ error: 'must be a number of months' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be 1 to 12' })
      .max(12, { error: 'must be 1 to 12' })
      .default(6),
    /** ROI: the attribution model that credits revenue. */
    model: z
      .enum(ATTRIBUTION_MODELS, { error: `must be one of ${ATTRIBUTION_MODELS.join(', ')}` })
      .default('linear'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    error: 'must be after from',
    path: ['to'],
  });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** Drill-down: the report's query plus the cell: its row's dimension values (JSON) and column. */
export const drillQuerySchema = z.strictObject({
  by: reportQuerySchema.shape.by,
  from: dayOrTime.optional(),
  to: dayOrTime.optional(),
  mode: z.enum(['cohort', 'period'], { error: 'must be cohort or period' }).default('cohort'),
  halfLifeDays: z.coerce.number().positive().max(365).default(7),
  model: z.enum(ATTRIBUTION_MODELS).default('linear'),
  months: reportQuerySchema.shape.months,
  column: z.string().min(1).max(40),
  row: z
    .string()
    .max(2000)
    .default('{}')
    .transform((s, c) => {
      try {
        const v: unknown = JSON.parse(s);
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string | null>;
      } catch {}
      c.addIssue({ code: 'custom', message: 'must be a JSON object of dimension values' });
      return z.NEVER;
    }),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type DrillQuery = z.infer<typeof drillQuerySchema>;

export const reportColumnSchema = z.object({
  key: z.string(),
  /** dim: a breakdown value; count; ratio (0..1); money (reporting-currency minor units); days. */
  kind: z.enum(['dim', 'count', 'ratio', 'money', 'days', 'text']),
  /** Whether drill-down lists the records behind this column's numbers. */
  drill: z.boolean(),
});
export type ReportColumnDto = z.infer<typeof reportColumnSchema>;

export const reportTableSchema = z.object({
  report: z.string(),
  from: z.string(),
  to: z.string(),
  by: z.array(z.string()),
  currency: z.string(),
  columns: z.array(reportColumnSchema),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});
export type ReportTableDto = z.infer<typeof reportTableSchema>;

export const drillRecordSchema = z.object({
  kind: z.enum(['contact', 'deal']),
  id: z.string(),
  name: z.string().nullable(),
  at: z.string().nullable(),
  value: z.number().nullable(),
  /** Forecast drill-down: the deal's stage (or the lead's lifecycle stage) and the probability used. */
  stage: z.string().nullable().optional(),
  probability: z.number().nullable().optional(),
});
export const drillResultSchema = z.object({ items: z.array(drillRecordSchema), total: z.number() });
export type DrillResultDto = z.infer<typeof drillResultSchema>;
