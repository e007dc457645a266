import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The one Database interface every query is typed against. Mirrors the migrations. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;

export type Role = 'admin' | 'marketing' | 'sales_manager' | 'sales_rep' | 'service';
export const ROLES: readonly Role[] = ['admin', 'marketing', 'sales_manager', 'sales_rep', 'service'];
export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

export interface WorkspacesTable {
  id: string;
  name: string;
  slug: string;
  reporting_currency: Generated<string>;
  time_zone: Generated<string>;
  default_locale: Generated<string>;
  created_at: GeneratedTimestamp;
  // Migration 0030: quote settings.
  quote_discount_threshold_bp: Generated<number>;
  logo_file: string | null;
  logo_type: string | null;
}

export interface UsersTable {
  workspace_id: string;
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  role: Role;
  locale: Generated<Locale>;
  time_zone: Generated<string>;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  last_sign_in_at: NullableTimestamp;
}

export interface TeamsTable {
  workspace_id: string;
  id: string;
  name: string;
  created_at: GeneratedTimestamp;
}

export interface TeamMembersTable {
  workspace_id: string;
  team_id: string;
  user_id: string;
}

export interface SessionsTable {
  workspace_id: string;
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  workspace_id: string;
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: GeneratedTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditLogTable {
  workspace_id: string;
  id: string;
  at: GeneratedTimestamp;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  diff: Json<Record<string, unknown>>;
  ip: string | null;
}

export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multi_select' | 'boolean';
export const CUSTOM_FIELD_TYPES: readonly CustomFieldType[] = [
  'text',
  'number',
  'date',
  'select',
  'multi_select',
  'boolean',
];
export type CustomFieldEntity = 'contact' | 'company';

export interface CustomFieldsTable {
  workspace_id: string;
  id: string;
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  options: Json<string[]>;
  required: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export type CustomValues = Record<string, string | number | boolean | string[] | null>;

export interface CompaniesTable {
  workspace_id: string;
  id: string;
  name: string;
  domain: string | null;
  website: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  phone: string | null;
  owner_id: string | null;
  team_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom: Json<CustomValues>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: NullableTimestamp;
  // Generated columns (read-only): kept by PostgreSQL so search and sort use plain indexes.
  search_text: ColumnType<string, never, never>;
  sort_name: ColumnType<string, never, never>;
  prefix_keys: ColumnType<(string | null)[], never, never>;
}

export interface ContactsTable {
  workspace_id: string;
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  company_id: string | null;
  /** Copy of the linked company's name, kept by the service (search and display without a join). */
  company_name: string | null;
  owner_id: string | null;
  team_id: string | null;
  country: string | null;
  language: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom: Json<CustomValues>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: NullableTimestamp;
  // Generated columns (read-only): kept by PostgreSQL so search and sort use plain indexes.
  search_text: ColumnType<string, never, never>;
  sort_name: ColumnType<string, never, never>;
  sort_email: ColumnType<string, never, never>;
  prefix_keys: ColumnType<(string | null)[], never, never>;
  // Migration 0002: where the contact came from, and touch aggregates kept by the touch log.
  external_id: string | null;
  source_channel: string | null;
  source_campaign_id: string | null;
  source_utm_source: string | null;
  source_utm_medium: string | null;
  source_utm_campaign: string | null;
  source_referrer: string | null;
  source_set_at: NullableTimestamp;
  first_touch_at: NullableTimestamp;
  last_touch_at: NullableTimestamp;
  touch_count: Generated<number>;
  // Score state lives in contact_scores (migration 0065).
  // Migration 0020 (lifecycle): the current stage and when it was entered.
  lifecycle_stage: Generated<LifecycleStage>;
  stage_at: NullableTimestamp;
  // Migration 0021: the temperature the contact's playbook last ran for.
  playbook_temperature: string | null;
}

/** Migration 0065: a contact's score state (no row: never scored, score 0, cold); see scoring.repo.ts. */
export interface ContactScoresTable {
  workspace_id: string;
  contact_id: string;
  score: Generated<number>;
  temperature: Generated<'cold' | 'warm' | 'hot'>;
  fit: Generated<number>;
  engagement: Generated<number>;
  score_at: NullableTimestamp;
  due_at: NullableTimestamp;
}

/** Migration 0020: lifecycle stages, their transitions, and tasks. */
export type LifecycleStage =
  | 'subscriber'
  | 'lead'
  | 'mql'
  | 'sql'
  | 'opportunity'
  | 'customer'
  | 'disqualified'
  | 'recycled';
export type TransitionCause = 'rule' | 'user' | 'import' | 'system';

export interface LifecycleTransitionsTable {
  workspace_id: string;
  id: string;
  contact_id: string;
  from_stage: LifecycleStage;
  to_stage: LifecycleStage;
  cause: TransitionCause;
  actor_id: string | null;
  reason: string | null;
  at: Timestamp;
}

/** Migration 0021: routing, SLA, playbooks. */
export interface LifecycleSettingsTable {
  workspace_id: string;
  settings: Json<Record<string, unknown>>;
  updated_at: GeneratedTimestamp;
}

export interface RepSettingsTable {
  workspace_id: string;
  user_id: string;
  weight: Generated<number>;
  monthly_capacity: number | null;
  away_from: NullableTimestamp;
  away_until: NullableTimestamp;
  routing_active: Generated<boolean>;
  updated_at: GeneratedTimestamp;
}

export interface TeamRoutingTable {
  workspace_id: string;
  team_id: string;
  manager_id: string | null;
}

export interface RoutingConditions {
  countries?: string[];
  regions?: string[];
  industries?: string[];
  minEmployees?: number;
  maxEmployees?: number;
  products?: string[];
}

export interface RoutingRulesTable {
  workspace_id: string;
  id: string;
  position: number;
  name: string;
  team_id: string;
  conditions: Json<RoutingConditions>;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export type AssignmentKind = 'rule' | 'account' | 'overflow' | 'manual' | 'unrouted';

export interface LeadAssignmentsTable {
  workspace_id: string;
  id: string;
  contact_id: string;
  user_id: string | null;
  team_id: string | null;
  kind: AssignmentKind;
  rule_id: string | null;
  rule_label: string;
  previous_owner_id: string | null;
  actor_id: string | null;
  hot: Generated<boolean>;
  assigned_at: Timestamp;
  sla_due_at: Timestamp;
  first_sales_touch_at: NullableTimestamp;
  breached_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  end_reason: string | null;
}

export type Temperature = 'cold' | 'warm' | 'hot';

export interface PlaybookStepDef {
  key: string;
  kind: 'task' | 'nurture';
  type: string;
  title: string;
  dueInHours: number;
}

export interface PlaybooksTable {
  workspace_id: string;
  id: string;
  name: string;
  temperature: Temperature;
  countries: ColumnType<string[], string[] | undefined, string[]>;
  segment: string | null;
  segment_id: string | null;
  steps: Json<PlaybookStepDef[]>;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export type TaskStatus = 'open' | 'done' | 'cancelled';
export type TaskSource = 'manual' | 'playbook';

export interface TasksTable {
  workspace_id: string;
  id: string;
  contact_id: string | null;
  deal_id: string | null;
  owner_id: string;
  type: string;
  title: string;
  notes: string | null;
  due_at: NullableTimestamp;
  remind_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
  status: Generated<TaskStatus>;
  source: Generated<TaskSource>;
  playbook_step: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  done_at: NullableTimestamp;
}

/** Migration 0004: web forms (definitions are validated by src/contracts/forms.ts). */
export type FormStatus = 'active' | 'archived';
export type LocalizedText = Partial<Record<Locale, string>>;

export interface FormFieldDef {
  target: string;
  label: LocalizedText | null;
  placeholder: LocalizedText | null;
  required: boolean;
}

export interface FormConsentDef {
  required: boolean;
  text: LocalizedText;
}

export type FormSuccessDef =
  | { kind: 'message'; message: LocalizedText | null }
  | { kind: 'redirect'; url: string };

export interface FormsTable {
  workspace_id: string;
  id: string;
  name: string;
  status: Generated<FormStatus>;
  title: Json<LocalizedText | null>;
  submit_label: Json<LocalizedText | null>;
  fields: Json<FormFieldDef[]>;
  consent: Json<FormConsentDef | null>;
  success: Json<FormSuccessDef>;
  campaign_id: string | null;
  hand_raise: Generated<boolean>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  submissions: Generated<number>;
  spam_dropped: Generated<number>;
  last_submission_at: NullableTimestamp;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface FormSubmissionsTable {
  workspace_id: string;
  id: string;
  form_id: string;
  contact_id: string;
  contact_created: boolean;
  touch_id: string | null;
  data: Json<Record<string, string | string[] | boolean>>;
  utm: Json<Record<string, string>>;
  referrer: string | null;
  page_url: string | null;
  locale: string;
  ip: string | null;
  user_agent: string | null;
  created_at: GeneratedTimestamp;
}

export interface ConsentsTable {
  workspace_id: string;
  id: string;
  contact_id: string;
  source: Generated<string>;
  form_id: string | null;
  submission_id: string | null;
  text: string;
  locale: string;
  granted: boolean;
  ip: string | null;
  user_agent: string | null;
  created_at: GeneratedTimestamp;
}

export interface FormSecretsTable {
  workspace_id: string;
  secret: string;
  created_at: GeneratedTimestamp;
}

/** Migration 0005: campaigns, their markets, cost lines and members; notifications. */
export type CampaignChannel =
  | 'email'
  | 'trade_show'
  | 'direct_mail'
  | 'ads'
  | 'pr'
  | 'webinar'
  | 'seminar'
  | 'content'
  | 'promotion'
  | 'referral'
  | 'other';
export type CampaignStatus = 'planned' | 'active' | 'completed' | 'cancelled';
export type CampaignMemberStatus =
  | 'targeted'
  | 'invited'
  | 'registered'
  | 'attended'
  | 'visited_booth'
  | 'responded'
  | 'converted';
export type CampaignMemberSource = 'manual' | 'segment' | 'import' | 'list';
/** `date` columns: the campaigns repo selects them as 'YYYY-MM-DD' text (drivers would make local Dates). */
type DateOnly = ColumnType<string, string, string>;
type NullableDateOnly = ColumnType<string | null, string | null | undefined, string | null>;
/** bigint money columns: read through Number() (minor units stay far below 2^53). */
type Bigint = ColumnType<number, number | bigint | string, number | bigint | string>;
type NullableBigint = ColumnType<
  number | null,
  number | bigint | string | null | undefined,
  number | bigint | string | null
>;

export interface CampaignsTable {
  workspace_id: string;
  id: string;
  name: string;
  description: string | null;
  channel: CampaignChannel;
  status: Generated<CampaignStatus>;
  starts_on: NullableDateOnly;
  ends_on: NullableDateOnly;
  owner_id: string | null;
  parent_id: string | null;
  markets: ColumnType<string[], string[] | undefined, string[]>;
  language: string | null;
  currency: string;
  budget_minor: NullableBigint;
  goal_leads: number | null;
  goal_sqls: number | null;
  goal_revenue_minor: NullableBigint;
  notice_days: number | null;
  sales_notified_at: NullableTimestamp;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: NullableTimestamp;
}

export interface CampaignContentLink {
  label: string;
  url: string;
}

export interface CampaignMarketsTable {
  workspace_id: string;
  id: string;
  campaign_id: string;
  market: string;
  language: string | null;
  name: string | null;
  content_links: Json<CampaignContentLink[]>;
  notes: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface CampaignCostLinesTable {
  workspace_id: string;
  id: string;
  campaign_id: string;
  market_id: string | null;
  incurred_on: DateOnly;
  amount_minor: Bigint;
  currency: string;
  category: string;
  description: string | null;
  created_by: string | null;
  created_at: GeneratedTimestamp;
}

export interface CampaignMembersTable {
  workspace_id: string;
  campaign_id: string;
  contact_id: string;
  status: CampaignMemberStatus;
  source: Generated<CampaignMemberSource>;
  market_id: string | null;
  touched: ColumnType<string[], string[] | undefined, string[]>;
  added_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface CampaignSettingsTable {
  workspace_id: string;
  notice_days: Generated<number>;
  updated_at: GeneratedTimestamp;
}

export interface NotificationsTable {
  workspace_id: string;
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  data: Json<Record<string, unknown>>;
  dedupe_key: string | null;
  read_at: NullableTimestamp;
  created_at: GeneratedTimestamp;
}

/** Migration 0030: the product catalogue and price lists. bigint columns read as numbers (pg) or strings: read them with Number(). */
type Minor = ColumnType<number | string, number | bigint | string, number | bigint | string>;

export interface ProductsTable {
  workspace_id: string;
  id: string;
  sku: string;
  name: string;
  description: string | null;
  unit: Generated<string>;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface PriceListsTable {
  workspace_id: string;
  id: string;
  name: string;
  currency: string;
  market: string | null;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface PriceListItemsTable {
  workspace_id: string;
  price_list_id: string;
  product_id: string;
  unit_price_minor: Minor;
  updated_at: GeneratedTimestamp;
}

/** Migration 0031: quotes, their lines and the workspace's gap-free number sequence. */
export interface QuotesTable {
  workspace_id: string;
  id: string;
  number: string;
  version: number;
  previous_version_id: string | null;
  next_version_id: string | null;
  deal_id: string;
  contact_id: string | null;
  price_list_id: string | null;
  currency: string;
  status: string;
  title: string | null;
  notes: string | null;
  valid_until: ColumnType<string, string, string>;
  discount_bp: number;
  gross_minor: Minor;
  line_discount_minor: Minor;
  subtotal_minor: Minor;
  quote_discount_minor: Minor;
  tax_minor: Minor;
  total_minor: Minor;
  effective_discount_bp: number;
  threshold_bp: number;
  approval_state: string;
  approval_requested_by: string | null;
  approval_requested_at: NullableTimestamp;
  approval_decided_by: string | null;
  approval_decided_at: NullableTimestamp;
  approval_comment: string | null;
  sent_at: NullableTimestamp;
  sent_by: string | null;
  answered_at: NullableTimestamp;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface QuoteLinesTable {
  workspace_id: string;
  quote_id: string;
  id: string;
  position: number;
  product_id: string | null;
  sku: string | null;
  name: string;
  description: string | null;
  unit: string;
  quantity_milli: Minor;
  unit_price_minor: Minor;
  discount_bp: number;
  tax_bp: number;
  gross_minor: Minor;
  discount_minor: Minor;
  net_minor: Minor;
  tax_minor: Minor;
}

export interface QuoteNumberSequencesTable {
  workspace_id: string;
  year: number;
  last_value: number;
}

/** Migration 0010: saved segments (definitions validated by src/contracts/segments.ts). */
export interface SegmentsTable {
  workspace_id: string;
  id: string;
  name: string;
  description: string | null;
  definition: Json<unknown>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SegmentRefsTable {
  workspace_id: string;
  segment_id: string;
  ref_segment_id: string;
}

export interface SegmentSnapshotsTable {
  workspace_id: string;
  id: string;
  segment_id: string;
  purpose: string | null;
  definition: Json<unknown>;
  count: number;
  taken_by: string | null;
  taken_at: GeneratedTimestamp;
}

export interface SegmentSnapshotMembersTable {
  workspace_id: string;
  snapshot_id: string;
  contact_id: string;
}

/** Migration 0025: the sales pipeline, exchange rates and the voice of the customer. */
export type StageKind = 'open' | 'won' | 'lost';

export interface PipelinesTable {
  workspace_id: string;
  id: string;
  name: string;
  is_default: Generated<boolean>;
  position: Generated<number>;
  archived_at: NullableTimestamp;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface PipelineStagesTable {
  workspace_id: string;
  id: string;
  pipeline_id: string;
  key: string;
  name: string;
  position: number;
  probability: number;
  kind: Generated<StageKind>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface DealSettingsTable {
  workspace_id: string;
  require_amount_on_won: Generated<boolean>;
  lost_reasons: ColumnType<string[], string | undefined, string>;
  updated_at: GeneratedTimestamp;
}

export interface DealProduct {
  productId: string | null;
  name: string;
}

/** bigint columns come back as strings from both drivers; write them as bigint or string. */
type BigintColumn = ColumnType<string | null, bigint | string | null | undefined, bigint | string | null>;
type DateColumn = ColumnType<string | null, string | null | undefined, string | null>;

export interface DealsTable {
  workspace_id: string;
  id: string;
  pipeline_id: string;
  stage_id: string;
  name: string;
  contact_id: string | null;
  company_id: string | null;
  owner_id: string | null;
  team_id: string | null;
  amount_minor: BigintColumn;
  currency: string;
  expected_close_on: DateColumn;
  source_campaign_id: string | null;
  products: Json<DealProduct[]>;
  lost_reason: string | null;
  lost_note: string | null;
  won_at: NullableTimestamp;
  lost_at: NullableTimestamp;
  stage_changed_at: GeneratedTimestamp;
  external_id: string | null;
  custom: Json<CustomValues>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: NullableTimestamp;
}

export interface DealContactsTable {
  workspace_id: string;
  deal_id: string;
  contact_id: string;
  role: string | null;
  is_primary: Generated<boolean>;
  created_at: GeneratedTimestamp;
}

export interface DealStageHistoryTable {
  workspace_id: string;
  id: string;
  deal_id: string;
  pipeline_id: string;
  from_stage_id: string | null;
  to_stage_id: string;
  at: Timestamp;
  actor_id: string | null;
  reason: string | null;
}

export interface ExchangeRatesTable {
  workspace_id: string;
  base: string;
  quote: string;
  /** A calendar date as `YYYY-MM-DD` text (read as text: see client type parsers). */
  on_date: ColumnType<string, string, string>;
  /** numeric, kept as its exact decimal text. */
  rate: ColumnType<string, string, string>;
  source: Generated<'manual' | 'import'>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
}

/** Funnel roll-up (migration 0056): each live contact's key and furthest funnel rank (triggers). */
export interface ReportContactFunnelTable {
  workspace_id: string;
  contact_id: string;
  /** A calendar date as `YYYY-MM-DD` text: the UTC day of the first touch (else creation). */
  lead_day: ColumnType<string, string, string>;
  source: string | null;
  campaign_id: string | null;
  rank: number;
  /** When the contact entered the funnel: its first touch, else its creation (0070). */
  lead_at: Date;
  /** Its first lifecycle transition, and its first transition to rank ≥ 1…4 (lead+ … opportunity+). */
  a0: Date | null;
  a1: Date | null;
  a2: Date | null;
  a3: Date | null;
  a4: Date | null;
  /** Creation of its first live deal. */
  deal_at: Date | null;
}

/**
 * Attribution roll-up (migration 0067): one row per live won deal and counted touch of its contact
 * before the win (triggers keep it equal to that join).
 */
export interface ReportDealTouchesTable {
  workspace_id: string;
  deal_id: string;
  won_at: Date;
  occurred_at: Date;
  touch_id: string;
  campaign_id: string | null;
  channel: string | null;
  type: string;
}

/** Funnel roll-up: contacts per first-touch day, source and campaign that reached each stage. */
export interface ReportFunnelDailyTable {
  workspace_id: string;
  lead_day: ColumnType<string, string, string>;
  source: string | null;
  campaign_id: string | null;
  contacts: number;
  lead: number;
  mql: number;
  sql: number;
  opportunity: number;
  customer: number;
}

/** Differences to the daily funnel counts not yet folded in by tandem_funnel_compact() (0074). */
export interface ReportFunnelDeltaTable extends ReportFunnelDailyTable {
  id: Generated<number>;
}

export interface CompetitorsTable {
  workspace_id: string;
  id: string;
  name: string;
  website: string | null;
  notes: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface DealCompetitorsTable {
  workspace_id: string;
  deal_id: string;
  competitor_id: string;
  created_at: GeneratedTimestamp;
}

export type FeedbackType =
  | 'objection'
  | 'feature_request'
  | 'complaint'
  | 'praise'
  | 'competitor_mention'
  | 'price_feedback';
export type FeedbackSource = 'manual' | 'deal_lost' | 'deal_competitor';

export interface FeedbackItemsTable {
  workspace_id: string;
  id: string;
  type: FeedbackType;
  source: Generated<FeedbackSource>;
  contact_id: string | null;
  deal_id: string | null;
  product_id: string | null;
  product_name: string | null;
  competitor_id: string | null;
  lost_reason: string | null;
  body: Generated<string>;
  occurred_at: Timestamp;
  created_by: string | null;
  created_at: GeneratedTimestamp;
}

/** Migration 0011: the content library. */
export type ContentKind =
  | 'brochure'
  | 'presentation'
  | 'case_study'
  | 'price_list'
  | 'catalogue'
  | 'video'
  | 'web_page';
export interface ContentAssetsTable {
  workspace_id: string;
  id: string;
  title: string;
  kind: ContentKind;
  source: 'file' | 'link';
  product: string | null;
  language: string | null;
  market: string | null;
  funnel_stage: string | null;
  current_version: Generated<number>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  archived_at: NullableTimestamp;
}

export interface ContentVersionsTable {
  workspace_id: string;
  id: string;
  asset_id: string;
  version: number;
  file_name: string | null;
  mime: string | null;
  bytes: ColumnType<number | string | null, number | null, number | null>;
  storage_key: string | null;
  url: string | null;
  note: string | null;
  created_by: string | null;
  created_at: GeneratedTimestamp;
}

export interface ContentSharesTable {
  workspace_id: string;
  id: string;
  token: string;
  asset_id: string;
  contact_id: string;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  expires_at: NullableTimestamp;
  views: Generated<number>;
  last_viewed_at: NullableTimestamp;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  custom_fields: CustomFieldsTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  contact_scores: ContactScoresTable;
  forms: FormsTable;
  form_submissions: FormSubmissionsTable;
  consents: ConsentsTable;
  form_secrets: FormSecretsTable;
  campaigns: CampaignsTable;
  campaign_markets: CampaignMarketsTable;
  campaign_cost_lines: CampaignCostLinesTable;
  campaign_members: CampaignMembersTable;
  campaign_settings: CampaignSettingsTable;
  notifications: NotificationsTable;
  segments: SegmentsTable;
  segment_refs: SegmentRefsTable;
  segment_snapshots: SegmentSnapshotsTable;
  segment_snapshot_members: SegmentSnapshotMembersTable;
  content_assets: ContentAssetsTable;
  content_versions: ContentVersionsTable;
  content_shares: ContentSharesTable;
  lifecycle_transitions: LifecycleTransitionsTable;
  tasks: TasksTable;
  lifecycle_settings: LifecycleSettingsTable;
  rep_settings: RepSettingsTable;
  team_routing: TeamRoutingTable;
  routing_rules: RoutingRulesTable;
  lead_assignments: LeadAssignmentsTable;
  playbooks: PlaybooksTable;
  products: ProductsTable;
  price_lists: PriceListsTable;
  price_list_items: PriceListItemsTable;
  quotes: QuotesTable;
  quote_lines: QuoteLinesTable;
  quote_number_sequences: QuoteNumberSequencesTable;
  pipelines: PipelinesTable;
  pipeline_stages: PipelineStagesTable;
  deal_settings: DealSettingsTable;
  deals: DealsTable;
  deal_contacts: DealContactsTable;
  deal_stage_history: DealStageHistoryTable;
  exchange_rates: ExchangeRatesTable;
  report_contact_funnel: ReportContactFunnelTable;
  report_funnel_daily: ReportFunnelDailyTable;
  report_funnel_delta: ReportFunnelDeltaTable;
  report_deal_touches: ReportDealTouchesTable;
  competitors: CompetitorsTable;
  deal_competitors: DealCompetitorsTable;
  feedback_items: FeedbackItemsTable;
  quotas: QuotasTable;
  team_quotas: TeamQuotasTable;
  plan_targets: PlanTargetsTable;
}

// planning (0060)
export type QuotaStatus = 'draft' | 'approved';

/** team_quotas (0061): a team's own quota, the same shape as a rep's. */
export type TeamQuotasTable = Omit<QuotasTable, 'user_id'> & { team_id: string };

export interface QuotasTable {
  workspace_id: string;
  user_id: string;
  year: number;
  currency: string;
  annual_minor: Minor;
  q1_minor: Minor;
  q2_minor: Minor;
  q3_minor: Minor;
  q4_minor: Minor;
  suggested_minor: Minor;
  status: Generated<QuotaStatus>;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  updated_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface PlanTargetsTable {
  workspace_id: string;
  id: string;
  year: number;
  market: Generated<string>;
  segment: Generated<string>;
  product: Generated<string>;
  currency: string;
  revenue_minor: Minor;
  customers: number;
  leads: number;
  updated_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export type UserRow = Selectable<UsersTable>;
export type ContactRow = Selectable<ContactsTable>;
export type NewContact = Insertable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;
export type CompanyRow = Selectable<CompaniesTable>;
export type NewCompany = Insertable<CompaniesTable>;
export type CompanyUpdate = Updateable<CompaniesTable>;
export type CustomFieldRow = Selectable<CustomFieldsTable>;
export type AuditRow = Selectable<AuditLogTable>;
