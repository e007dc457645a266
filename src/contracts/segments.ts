import { z } from 'zod';
import { limitSchema } from './common.ts';
import { touchTypeSchema } from './touches.ts';

/**
 * A segment definition: nested AND/OR groups of conditions, compiled by the server to ONE SQL query
 * (src/server/modules/segments/segments.compile.ts). The same JSON is taken by the API, the CLI
 * (`tandem segment count FILE.json`) and campaign audiences.
 *
 * Conditions:
 * - `field`: a contact field (`country`, `owner`, `created_at`, `custom.<key>`, …) or a field of the
 *   contact's company (`company.industry`, `company.custom.<key>`, …) with an operator that suits the
 *   field's type (see FIELD_OPERATORS) and a value whose shape suits the operator;
 * - `membership`: in (or not in) a campaign, optionally with member statuses, or a saved segment;
 * - `behaviour`: at least `min` touches of some types, optionally in a period, of a campaign, or with
 *   metadata (`{ "assetId": "ast_…" }` for a content link).
 * The structure is checked here; fields, operators and values are checked against the workspace
 * (custom field types, select options, segment references) when compiling: a 400 names the path.
 */

export const FIELD_TYPES = [
  'text',
  'number',
  /** A calendar date (custom date fields, YYYY-MM-DD). */
  'date',
  /** A moment (created_at, last_touch_at, …); calendar dates are read in the workspace time zone. */
  'datetime',
  /** One value from a list (country, lifecycle stage, temperature, select custom fields). */
  'enum',
  /** A set of values (tags, multi_select custom fields). */
  'multi',
  'boolean',
  /** A user id (owner). */
  'user',
  /** A team id. */
  'team',
] as const;
export type SegmentFieldType = (typeof FIELD_TYPES)[number];

export const FIELD_OPERATORS = {
  text: ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'is_not_empty'],
  date: ['on', 'before', 'after', 'between', 'in_last', 'not_in_last', 'in_this', 'is_empty', 'is_not_empty'],
  datetime: [
    'on',
    'before',
    'after',
    'between',
    'in_last',
    'not_in_last',
    'in_this',
    'is_empty',
    'is_not_empty',
  ],
  enum: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  multi: ['has_any', 'has_all', 'has_none', 'is_empty', 'is_not_empty'],
  boolean: ['is_true', 'is_false', 'is_empty', 'is_not_empty'],
  user: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  team: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
} as const satisfies Record<SegmentFieldType, readonly string[]>;

export const OPERATORS = [
  'eq',
  'neq',
  'contains',
  'not_contains',
  'starts_with',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'on',
  'before',
  'after',
  'in_last',
  'not_in_last',
  'in_this',
  'has_any',
  'has_all',
  'has_none',
  'is_true',
  'is_false',
  'is_empty',
  'is_not_empty',
] as const;
export const operatorSchema = z.enum(OPERATORS);
export type SegmentOperator = z.infer<typeof operatorSchema>;

/** What value each operator takes: `none` (no value), one scalar, a list, a pair, a relative span, a unit. */
export type OperatorValueKind = 'none' | 'scalar' | 'list' | 'pair' | 'relative' | 'unit';
export const OPERATOR_VALUE: Record<SegmentOperator, OperatorValueKind> = {
  eq: 'scalar',
  neq: 'scalar',
  contains: 'scalar',
  not_contains: 'scalar',
  starts_with: 'scalar',
  in: 'list',
  not_in: 'list',
  gt: 'scalar',
  gte: 'scalar',
  lt: 'scalar',
  lte: 'scalar',
  between: 'pair',
  on: 'scalar',
  before: 'scalar',
  after: 'scalar',
  in_last: 'relative',
  not_in_last: 'relative',
  in_this: 'unit',
  has_any: 'list',
  has_all: 'list',
  has_none: 'list',
  is_true: 'none',
  is_false: 'none',
  is_empty: 'none',
  is_not_empty: 'none',
};

export const relativeUnitSchema = z.enum(['day', 'week', 'month', 'year']);
export const calendarUnitSchema = z.enum(['month', 'quarter', 'year']);
/** "the last 30 days": a span back from now. */
export const relativeSpanSchema = z.strictObject({
  amount: z.int().min(1).max(10_000),
  unit: relativeUnitSchema,
});
export type RelativeSpan = z.infer<typeof relativeSpanSchema>;

const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date as YYYY-MM-DD' });
const scalar = z.union([z.string().max(2000), z.number(), z.boolean()]);

/** The value of a field condition; its shape is checked against the operator when compiling. */
export const conditionValueSchema = z.union([
  scalar,
  z.array(z.union([z.string().max(2000), z.number()])).max(1000),
  relativeSpanSchema,
]);
export type ConditionValue = z.infer<typeof conditionValueSchema>;

/** A period for behaviour: the last N units, this calendar month/quarter/year, or between two dates. */
export const periodSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('last'), amount: z.int().min(1).max(10_000), unit: relativeUnitSchema }),
  z.strictObject({ type: z.literal('this'), unit: calendarUnitSchema }),
  z.strictObject({ type: z.literal('between'), from: dateText, to: dateText }),
]);
export type Period = z.infer<typeof periodSchema>;

export const fieldConditionSchema = z.strictObject({
  kind: z.literal('field'),
  /** `email`, `custom.region`, `company.industry`, `company.custom.tier`, … (see the fields endpoint). */
  field: z.string().min(1).max(100),
  op: operatorSchema,
  value: conditionValueSchema.optional(),
});
export type FieldCondition = z.infer<typeof fieldConditionSchema>;

export const membershipConditionSchema = z.discriminatedUnion('of', [
  z.strictObject({
    kind: z.literal('membership'),
    of: z.literal('campaign'),
    id: z.string().min(1).max(64),
    /** Only members with one of these statuses (any status when absent). */
    statuses: z.array(z.string().min(1).max(40)).max(20).optional(),
    /** true: NOT a member. */
    negate: z.boolean().default(false),
  }),
  z.strictObject({
    kind: z.literal('membership'),
    of: z.literal('segment'),
    id: z.string().min(1).max(64),
    negate: z.boolean().default(false),
  }),
]);
/** Written by hand (not z.infer) so that `negate` may be left out by callers building one in code. */
export type MembershipCondition =
  | { kind: 'membership'; of: 'campaign'; id: string; statuses?: string[]; negate?: boolean }
  | { kind: 'membership'; of: 'segment'; id: string; negate?: boolean };

export const behaviourConditionSchema = z.strictObject({
  kind: z.literal('behaviour'),
  /** One touch type or several (any of them counts). */
  touchTypes: z.array(touchTypeSchema).min(1).max(20),
  /** At least this many such touches (default 1). */
  min: z.int().min(1).max(1000).default(1),
  period: periodSchema.optional(),
  campaignId: z.string().min(1).max(64).optional(),
  /** Touch metadata must contain these pairs, e.g. `{ "assetId": "ast_…" }`. */
  metadata: z.record(z.string().max(100), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
  /** true: contacts WITHOUT that many such touches. */
  negate: z.boolean().default(false),
});
/** `min` defaults to 1 and `negate` to false when left out. */
export type BehaviourCondition = Omit<z.infer<typeof behaviourConditionSchema>, 'min' | 'negate'> & {
  min?: number;
  negate?: boolean;
};

export type SegmentCondition = FieldCondition | MembershipCondition | BehaviourCondition;
export interface SegmentGroup {
  kind: 'group';
  match: 'all' | 'any';
  conditions: (SegmentCondition | SegmentGroup)[];
}
export type SegmentNode = SegmentCondition | SegmentGroup;

/** Depth and size bounds keep one definition one reasonable query. */
export const MAX_GROUP_DEPTH = 6;
export const MAX_CONDITIONS = 100;

export const segmentGroupSchema: z.ZodType<SegmentGroup> = z.lazy(() =>
  z.strictObject({
    kind: z.literal('group'),
    match: z.enum(['all', 'any']),
    conditions: z.array(segmentNodeSchema).max(MAX_CONDITIONS),
  }),
) as unknown as z.ZodType<SegmentGroup>;

const segmentNodeSchema: z.ZodType<SegmentNode> = z.lazy(() =>
  z.union([fieldConditionSchema, membershipConditionSchema, behaviourConditionSchema, segmentGroupSchema]),
) as unknown as z.ZodType<SegmentNode>;

/** A whole definition is a group (an empty "all" group matches every live contact). */
export const segmentDefinitionSchema = segmentGroupSchema;
export type SegmentDefinition = SegmentGroup;

// ---- Saved segments API -------------------------------------------------------------------------

export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  definition: segmentDefinitionSchema,
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SegmentDto = z.infer<typeof segmentSchema>;

export const segmentCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).nullable().optional(),
  definition: segmentDefinitionSchema,
});
export type SegmentCreate = z.infer<typeof segmentCreateSchema>;

export const segmentUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  definition: segmentDefinitionSchema.optional(),
});
export type SegmentUpdate = z.infer<typeof segmentUpdateSchema>;

export const segmentListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type SegmentListQuery = z.infer<typeof segmentListQuerySchema>;

export const segmentCountBodySchema = z.strictObject({ definition: segmentDefinitionSchema });
export const segmentCountSchema = z.object({ count: z.number().int() });

/** A field a definition may name, for the builder's field picker. */
export const segmentFieldSchema = z.object({
  field: z.string(),
  type: z.enum(FIELD_TYPES),
  /** `contact` or `company`; custom fields carry their label. */
  entity: z.enum(['contact', 'company']),
  custom: z.boolean(),
  label: z.string().nullable(),
  /** Allowed values for enum/multi fields with a fixed list (empty: free text). */
  options: z.array(z.string()),
  operators: z.array(operatorSchema),
});
export type SegmentFieldDto = z.infer<typeof segmentFieldSchema>;
export const segmentFieldListSchema = z.object({ items: z.array(segmentFieldSchema) });

export const segmentSnapshotSchema = z.object({
  id: z.string(),
  segmentId: z.string(),
  purpose: z.string().nullable(),
  count: z.number().int(),
  takenAt: z.string(),
  takenBy: z.string().nullable(),
});
export type SegmentSnapshotDto = z.infer<typeof segmentSnapshotSchema>;
export const segmentSnapshotCreateSchema = z.strictObject({
  purpose: z.string().trim().max(200).nullable().optional(),
});
