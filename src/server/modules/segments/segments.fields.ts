import { type RawBuilder, sql } from 'kysely';
import { FIELD_OPERATORS, type SegmentFieldType, type SegmentOperator } from '../../../contracts/segments.ts';
import type { CustomFieldRow } from '../../db/types.ts';
import { scoreColumn } from '../scoring/scoring.sql.ts';

/**
 * The fields a segment definition may name, and the SQL expression each one reads. Contact fields are
 * read on `contacts`; company fields on the alias `co` (compiled into a subquery over companies, so a
 * contact matches when its company does). Custom fields read the record's `custom` jsonb as their type.
 */
export type FieldStorage =
  /** A plain column: text, number, timestamptz, text[] (tags). */
  | 'column'
  /** A jsonb value inside `custom` (text/number/date/select/multi_select/boolean). */
  | 'jsonb';

export interface FieldSpec {
  field: string;
  type: SegmentFieldType;
  entity: 'contact' | 'company';
  custom: boolean;
  label: string | null;
  options: readonly string[];
  storage: FieldStorage;
  /** The value as SQL (text for text/enum/date, numeric for number, the jsonb value for multi/boolean custom). */
  expr: RawBuilder<unknown>;
  /** For storage `jsonb`: the raw jsonb value (presence, arrays, booleans). */
  json?: RawBuilder<unknown>;
}

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'mql',
  'sql',
  'opportunity',
  'customer',
  'disqualified',
  'recycled',
] as const;
export const TEMPERATURES = ['cold', 'warm', 'hot'] as const;

interface Builtin {
  column: string;
  type: SegmentFieldType;
  options?: readonly string[];
  /** A column of contact_scores, not of contacts. */
  scored?: boolean;
}

/** Built-in contact fields by the name a definition uses. */
const CONTACT_FIELDS: Record<string, Builtin> = {
  first_name: { column: 'first_name', type: 'text' },
  last_name: { column: 'last_name', type: 'text' },
  email: { column: 'email', type: 'text' },
  phone: { column: 'phone', type: 'text' },
  title: { column: 'title', type: 'text' },
  company_name: { column: 'company_name', type: 'text' },
  language: { column: 'language', type: 'text' },
  country: { column: 'country', type: 'enum' },
  owner: { column: 'owner_id', type: 'user' },
  team: { column: 'team_id', type: 'team' },
  company: { column: 'company_id', type: 'text' },
  tags: { column: 'tags', type: 'multi' },
  source_channel: { column: 'source_channel', type: 'text' },
  source_utm_source: { column: 'source_utm_source', type: 'text' },
  source_utm_medium: { column: 'source_utm_medium', type: 'text' },
  source_utm_campaign: { column: 'source_utm_campaign', type: 'text' },
  source_campaign: { column: 'source_campaign_id', type: 'text' },
  created_at: { column: 'created_at', type: 'datetime' },
  updated_at: { column: 'updated_at', type: 'datetime' },
  first_touch_at: { column: 'first_touch_at', type: 'datetime' },
  last_touch_at: { column: 'last_touch_at', type: 'datetime' },
  touch_count: { column: 'touch_count', type: 'number' },
  lifecycle_stage: { column: 'lifecycle_stage', type: 'enum', options: LIFECYCLE_STAGES },
  stage_at: { column: 'stage_at', type: 'datetime' },
  // Score state lives in contact_scores (no row: 0, cold), read per contact.
  temperature: { column: 'temperature', type: 'enum', options: TEMPERATURES, scored: true },
  score: { column: 'score', type: 'number', scored: true },
  score_at: { column: 'score_at', type: 'datetime', scored: true },
};

const COMPANY_FIELDS: Record<string, Builtin> = {
  name: { column: 'name', type: 'text' },
  domain: { column: 'domain', type: 'text' },
  website: { column: 'website', type: 'text' },
  industry: { column: 'industry', type: 'text' },
  employees: { column: 'employees', type: 'number' },
  country: { column: 'country', type: 'enum' },
  phone: { column: 'phone', type: 'text' },
  owner: { column: 'owner_id', type: 'user' },
  team: { column: 'team_id', type: 'team' },
  tags: { column: 'tags', type: 'multi' },
  created_at: { column: 'created_at', type: 'datetime' },
  updated_at: { column: 'updated_at', type: 'datetime' },
};

const CUSTOM_TYPE: Record<CustomFieldRow['type'], SegmentFieldType> = {
  text: 'text',
  number: 'number',
  date: 'date',
  select: 'enum',
  multi_select: 'multi',
  boolean: 'boolean',
};

function builtinSpec(entity: 'contact' | 'company', name: string, b: Builtin): FieldSpec {
  const table = entity === 'contact' ? 'contacts' : 'co';
  return {
    field: entity === 'contact' ? name : `company.${name}`,
    type: b.type,
    entity,
    custom: false,
    label: null,
    options: b.options ?? [],
    storage: 'column',
    expr: b.scored
      ? scoreColumn('contacts', b.column as 'score' | 'temperature' | 'score_at')
      : sql.ref(`${table}.${b.column}`),
  };
}

function customSpec(def: CustomFieldRow): FieldSpec {
  const table = def.entity === 'contact' ? 'contacts' : 'co';
  const json = sql`${sql.ref(`${table}.custom`)}->${def.key}`;
  const text = sql`${sql.ref(`${table}.custom`)}->>${def.key}`;
  const type = CUSTOM_TYPE[def.type];
  // A number is read only when the stored value is one, so a stray value never fails the whole query.
  const expr =
    type === 'number' ? sql`(CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${text})::numeric END)` : text;
  return {
    field: def.entity === 'contact' ? `custom.${def.key}` : `company.custom.${def.key}`,
    type,
    entity: def.entity,
    custom: true,
    label: def.label,
    options: def.options,
    storage: 'jsonb',
    expr,
    json,
  };
}

/** Every field of a workspace: the built-ins and its custom fields. */
export function fieldCatalogue(customFields: CustomFieldRow[]): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const [name, b] of Object.entries(CONTACT_FIELDS)) out.push(builtinSpec('contact', name, b));
  for (const [name, b] of Object.entries(COMPANY_FIELDS)) out.push(builtinSpec('company', name, b));
  for (const def of customFields) out.push(customSpec(def));
  return out;
}

export function operatorsFor(type: SegmentFieldType): readonly SegmentOperator[] {
  return FIELD_OPERATORS[type];
}
