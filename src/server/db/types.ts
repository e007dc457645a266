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
  // Migration 0015 (scoring): score as of score_at, kept by the scoring module; see scoring.repo.ts.
  score: Generated<number>;
  temperature: Generated<'cold' | 'warm' | 'hot'>;
  score_at: NullableTimestamp;
  score_fit: Generated<number>;
  score_engagement: Generated<number>;
  score_due_at: NullableTimestamp;
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
  forms: FormsTable;
  form_submissions: FormSubmissionsTable;
  consents: ConsentsTable;
  form_secrets: FormSecretsTable;
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
