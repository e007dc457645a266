import { z } from 'zod';
import { limitSchema } from './common.ts';

/**
 * Campaigns (`/api/campaigns…`): channel, status, dates, owner, markets, goals, budget, dated cost
 * lines, per-market variants and members with a status suited to the channel. The calendar
 * (`/api/campaign-calendar`) and the workspace's campaign settings live here too.
 */

export const CAMPAIGN_CHANNELS = [
  'email',
  'trade_show',
  'direct_mail',
  'ads',
  'pr',
  'webinar',
  'seminar',
  'content',
  'promotion',
  'referral',
  'other',
] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

export const CAMPAIGN_STATUSES = ['planned', 'active', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const MEMBER_STATUSES = [
  'targeted',
  'invited',
  'registered',
  'attended',
  'visited_booth',
  'responded',
  'converted',
] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** The member statuses each channel offers, in the order a member moves through them. */
export const MEMBER_STATUSES_BY_CHANNEL: Record<CampaignChannel, readonly MemberStatus[]> = {
  email: ['targeted', 'responded', 'converted'],
  trade_show: ['targeted', 'invited', 'registered', 'visited_booth', 'attended', 'converted'],
  direct_mail: ['targeted', 'invited', 'responded', 'converted'],
  ads: ['targeted', 'responded', 'converted'],
  pr: ['targeted', 'responded', 'converted'],
  webinar: ['targeted', 'invited', 'registered', 'attended', 'converted'],
  seminar: ['targeted', 'invited', 'registered', 'attended', 'converted'],
  content: ['targeted', 'responded', 'converted'],
  promotion: ['targeted', 'invited', 'responded', 'converted'],
  referral: ['targeted', 'responded', 'converted'],
  other: ['targeted', 'invited', 'registered', 'attended', 'visited_booth', 'responded', 'converted'],
};

/**
 * Member statuses that are a contact with the prospect, and the touch each logs (once per
 * membership): a badge scanned at the booth, a webinar or seminar attended, a mailing sent, a reply.
 */
export const MEMBER_STATUS_TOUCH: Partial<Record<CampaignChannel, Partial<Record<MemberStatus, string>>>> = {
  trade_show: { visited_booth: 'trade_show_scan', attended: 'trade_show_scan' },
  webinar: { attended: 'webinar' },
  seminar: { attended: 'seminar' },
  direct_mail: { invited: 'direct_mail' },
  email: { responded: 'email_reply' },
  ads: { responded: 'ad_click' },
};

export const COST_CATEGORIES = [
  'booth',
  'travel',
  'printing',
  'media',
  'agency',
  'venue',
  'staff',
  'samples',
  'software',
  'other',
] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

const dateSchema = z.iso.date({ error: 'must be a date (YYYY-MM-DD)' });
const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter ISO currency code such as EUR' });
const minorSchema = z
  .number({ error: 'must be a whole number of minor units (cents)' })
  .int({ error: 'must be a whole number of minor units (cents)' })
  .min(0, { error: 'must not be negative' })
  .max(1e15, { error: 'is too large' });
const marketCodeSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be a country or region code such as DE or EMEA' });
const languageSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { error: 'must be a language code such as en or zh-CN' });

const campaignFields = {
  name: z.string().trim().min(1, { error: 'is required' }).max(200),
  description: z.string().trim().max(5000).nullable().optional(),
  channel: z.enum(CAMPAIGN_CHANNELS, { error: `must be one of ${CAMPAIGN_CHANNELS.join(', ')}` }),
  status: z.enum(CAMPAIGN_STATUSES, { error: `must be one of ${CAMPAIGN_STATUSES.join(', ')}` }).optional(),
  startsOn: dateSchema.nullable().optional(),
  endsOn: dateSchema.nullable().optional(),
  ownerId: z.string().max(64).nullable().optional(),
  parentId: z.string().max(64).nullable().optional(),
  markets: z.array(marketCodeSchema).max(100).optional(),
  language: languageSchema.nullable().optional(),
  currency: currencySchema.optional(),
  budgetMinor: minorSchema.nullable().optional(),
  goalLeads: z.number().int().min(0).max(1e9).nullable().optional(),
  goalSqls: z.number().int().min(0).max(1e9).nullable().optional(),
  goalRevenueMinor: minorSchema.nullable().optional(),
  /** Days before the start that owners of members' contacts are told; null follows the workspace. */
  noticeDays: z.number().int().min(0).max(365).nullable().optional(),
};
export const campaignCreateSchema = z.strictObject(campaignFields);
export type CampaignCreate = z.infer<typeof campaignCreateSchema>;
export const campaignUpdateSchema = z.strictObject(campaignFields).partial();
export type CampaignUpdate = z.infer<typeof campaignUpdateSchema>;

export const moneySchema = z.object({ currency: z.string(), amountMinor: z.number() });
export type MoneyDto = z.infer<typeof moneySchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  channel: z.enum(CAMPAIGN_CHANNELS),
  status: z.enum(CAMPAIGN_STATUSES),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  parentId: z.string().nullable(),
  markets: z.array(z.string()),
  language: z.string().nullable(),
  currency: z.string(),
  budgetMinor: z.number().nullable(),
  goalLeads: z.number().nullable(),
  goalSqls: z.number().nullable(),
  goalRevenueMinor: z.number().nullable(),
  noticeDays: z.number().nullable(),
  salesNotifiedAt: z.string().nullable(),
  memberCount: z.number(),
  /** The campaign's own cost lines, summed per currency (children not included). */
  cost: z.array(moneySchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CampaignDto = z.infer<typeof campaignSchema>;

export const campaignListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  channel: z.enum(CAMPAIGN_CHANNELS).optional(),
  market: marketCodeSchema.optional(),
  parentId: z.string().max(64).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type CampaignListQuery = z.infer<typeof campaignListQuerySchema>;

export const contentLinkSchema = z.strictObject({
  label: z.string().trim().min(1).max(200),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
});

const marketFields = {
  market: marketCodeSchema,
  language: languageSchema.nullable().optional(),
  name: z.string().trim().max(200).nullable().optional(),
  contentLinks: z.array(contentLinkSchema).max(50).optional(),
  notes: z.string().trim().max(5000).nullable().optional(),
};
export const campaignMarketCreateSchema = z.strictObject(marketFields);
export type CampaignMarketCreate = z.infer<typeof campaignMarketCreateSchema>;
export const campaignMarketUpdateSchema = z.strictObject(marketFields).partial();
export type CampaignMarketUpdate = z.infer<typeof campaignMarketUpdateSchema>;

export const campaignMarketSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  market: z.string(),
  language: z.string().nullable(),
  name: z.string().nullable(),
  contentLinks: z.array(z.object({ label: z.string(), url: z.string() })),
  notes: z.string().nullable(),
  cost: z.array(moneySchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CampaignMarketDto = z.infer<typeof campaignMarketSchema>;

export const costLineCreateSchema = z.strictObject({
  incurredOn: dateSchema,
  amountMinor: minorSchema,
  currency: currencySchema,
  category: z.enum(COST_CATEGORIES, { error: `must be one of ${COST_CATEGORIES.join(', ')}` }),
  description: z.string().trim().max(500).nullable().optional(),
  /** A per-market variant's own cost; null is the campaign's shared cost. */
  marketId: z.string().max(64).nullable().optional(),
});
export type CostLineCreate = z.infer<typeof costLineCreateSchema>;

export const costLineSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  marketId: z.string().nullable(),
  incurredOn: z.string(),
  amountMinor: z.number(),
  currency: z.string(),
  category: z.string(),
  description: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type CostLineDto = z.infer<typeof costLineSchema>;

export const memberAddSchema = z
  .strictObject({
    contactIds: z.array(z.string().max(64)).max(10_000).optional(),
    /** A segment whose current contacts join (needs the segments module). */
    segmentId: z.string().max(64).optional(),
    status: z.enum(MEMBER_STATUSES, { error: `must be one of ${MEMBER_STATUSES.join(', ')}` }).optional(),
    marketId: z.string().max(64).nullable().optional(),
  })
  .refine((b) => Boolean(b.contactIds?.length) !== Boolean(b.segmentId), {
    error: 'give either contactIds (a non-empty list) or segmentId',
    path: ['contactIds'],
  });
export type MemberAdd = z.infer<typeof memberAddSchema>;

export const memberUpdateSchema = z.strictObject({
  status: z.enum(MEMBER_STATUSES, { error: `must be one of ${MEMBER_STATUSES.join(', ')}` }),
});
export type MemberUpdate = z.infer<typeof memberUpdateSchema>;

export const memberAddResultSchema = z.object({
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  touchesLogged: z.number(),
});
export type MemberAddResultDto = z.infer<typeof memberAddResultSchema>;

export const campaignMemberSchema = z.object({
  contactId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  companyName: z.string().nullable(),
  ownerId: z.string().nullable(),
  status: z.enum(MEMBER_STATUSES),
  source: z.string(),
  marketId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CampaignMemberDto = z.infer<typeof campaignMemberSchema>;

export const memberListQuerySchema = z.strictObject({
  status: z.enum(MEMBER_STATUSES).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});
export type MemberListQuery = z.infer<typeof memberListQuerySchema>;

export const periodQuerySchema = z.strictObject({
  from: dateSchema.optional(),
  to: dateSchema.optional(),
});
export type PeriodQuery = z.infer<typeof periodQuerySchema>;

/** Cost per lead of a campaign and everything nested under it, for a period (inclusive dates). */
export const costPerLeadSchema = z.object({
  campaignId: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** New contacts whose source is the campaign or one nested under it, created in the period. */
  leads: z.number(),
  cost: z.array(moneySchema),
  /** Per currency (no conversion): cost divided by leads, rounded to a minor unit; empty with no leads. */
  costPerLead: z.array(moneySchema),
});
export type CostPerLeadDto = z.infer<typeof costPerLeadSchema>;

export const campaignStatsSchema = z.object({
  members: z.number(),
  membersByStatus: z.record(z.string(), z.number()),
  touches: z.number(),
  leads: z.number(),
  /** Own cost lines plus those of nested campaigns, per currency. */
  cost: z.array(moneySchema),
  costPerLead: z.array(moneySchema),
  /** Nested campaigns (all levels) included in the roll-up. */
  nestedCampaigns: z.number(),
  /**
   * Deals whose source campaign is this one or a nested one, by outcome, and the revenue won in
   * the reporting currency (the attribution report credits campaigns by other models too).
   */
  deals: z.object({ open: z.number(), won: z.number(), lost: z.number(), wonRevenue: moneySchema }),
});
export type CampaignStatsDto = z.infer<typeof campaignStatsSchema>;

export const campaignDetailSchema = z.object({
  campaign: campaignSchema,
  parent: z.object({ id: z.string(), name: z.string() }).nullable(),
  children: z.array(campaignSchema),
  markets: z.array(campaignMarketSchema),
  stats: campaignStatsSchema,
  statuses: z.array(z.enum(MEMBER_STATUSES)),
});
export type CampaignDetailDto = z.infer<typeof campaignDetailSchema>;

export const calendarQuerySchema = z
  .strictObject({
    from: dateSchema,
    to: dateSchema,
    market: marketCodeSchema.optional(),
    channel: z.enum(CAMPAIGN_CHANNELS).optional(),
  })
  .refine((q) => q.to >= q.from, { error: 'must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, {
    error: 'the range may span at most 400 days',
    path: ['to'],
  });
export type CalendarQuery = z.infer<typeof calendarQuerySchema>;

export const calendarEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.enum(CAMPAIGN_CHANNELS),
  status: z.enum(CAMPAIGN_STATUSES),
  startsOn: z.string(),
  endsOn: z.string(),
  markets: z.array(z.string()),
  parentId: z.string().nullable(),
  ownerName: z.string().nullable(),
});
export type CalendarEntryDto = z.infer<typeof calendarEntrySchema>;

export const campaignSettingsSchema = z.object({ noticeDays: z.number().int() });
export type CampaignSettingsDto = z.infer<typeof campaignSettingsSchema>;
export const campaignSettingsUpdateSchema = z.strictObject({
  noticeDays: z.number().int().min(0).max(365),
});
export type CampaignSettingsUpdate = z.infer<typeof campaignSettingsUpdateSchema>;

export const campaignTouchSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  contactName: z.string(),
  type: z.string(),
  direction: z.enum(['marketing', 'sales']),
  channel: z.string().nullable(),
  occurredAt: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type CampaignTouchDto = z.infer<typeof campaignTouchSchema>;
export const campaignTouchQuerySchema = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CampaignTouchQuery = z.infer<typeof campaignTouchQuerySchema>;
