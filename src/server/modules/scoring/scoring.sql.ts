import { type RawBuilder, sql } from 'kysely';
import {
  FIT_LIST_FIELDS,
  FIT_NUMBER_FIELDS,
  type FitField,
  type FitRule,
  FREE_MAIL_DOMAINS,
  type ScoringModel,
} from '../../../contracts/scoring.ts';

/**
 * The scoring model compiled to SQL fragments, so that one definition scores one contact, a batch
 * of touches, or a million contacts in a recompute, and explains a score with the same conditions.
 * Fragments expect the aliases `c` (contacts) and `co` (its company, LEFT JOINed).
 */

const FIELD_SQL: Record<FitField, RawBuilder<unknown>> = {
  country: sql`c.country`,
  title: sql`c.title`,
  language: sql`c.language`,
  source_channel: sql`c.source_channel`,
  email_domain: sql`lower(split_part(c.email, '@', 2))`,
  'company.industry': sql`co.industry`,
  'company.country': sql`co.country`,
  'company.domain': sql`lower(co.domain)`,
  'company.employees': sql`co.employees`,
  tags: sql`c.tags`,
};

const isNumber = (f: FitField) => (FIT_NUMBER_FIELDS as readonly string[]).includes(f);
const isList = (f: FitField) => (FIT_LIST_FIELDS as readonly string[]).includes(f);

/** LIKE patterns are literal substrings: escape the wildcard characters a value may hold. */
function likePattern(v: string): string {
  return `%${v.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The condition under which a fit rule fires (never NULL). */
export function ruleCondition(rule: FitRule): RawBuilder<boolean> {
  const f = FIELD_SQL[rule.field];
  let cond: RawBuilder<boolean>;
  switch (rule.op) {
    case 'in':
      cond = isList(rule.field)
        ? sql`${f} && ${rule.values}::text[]`
        : sql`lower(${f}) = ANY(${rule.values.map((v) => v.toLowerCase())}::text[])`;
      break;
    case 'contains':
      cond = sql`lower(${f}) LIKE ANY(${rule.values.map(likePattern)}::text[])`;
      break;
    case 'between': {
      const parts = [sql`${f} IS NOT NULL`];
      if (rule.min != null) parts.push(sql`${f} >= ${rule.min}::numeric`);
      if (rule.max != null) parts.push(sql`${f} <= ${rule.max}::numeric`);
      cond = sql`(${sql.join(parts, sql` AND `)})`;
      break;
    }
    case 'is_set':
      cond = isList(rule.field)
        ? sql`cardinality(${f}) > 0`
        : isNumber(rule.field)
          ? sql`${f} IS NOT NULL`
          : sql`coalesce(${f}, '') <> ''`;
      break;
    case 'free_mail':
      cond = sql`${f} = ANY(${[...FREE_MAIL_DOMAINS]}::text[])`;
      break;
  }
  return sql<boolean>`coalesce(${cond}, false)`;
}

export function enabledRules(model: ScoringModel): FitRule[] {
  return model.fit.filter((r) => r.enabled && r.points !== 0);
}

/** The fit part of the score (negative rules included): an integer expression. */
export function fitExpression(model: ScoringModel): RawBuilder<number> {
  const rules = enabledRules(model);
  if (!rules.length) return sql<number>`0`;
  return sql<number>`(${sql.join(
    rules.map((r) => sql`CASE WHEN ${ruleCondition(r)} THEN ${sql.lit(r.points)} ELSE 0 END`),
    sql` + `,
  )})`;
}

/** Seconds of a half-life and of a cap period (float literals: they are the model's own numbers). */
export function halfLifeSeconds(model: ScoringModel): RawBuilder<number> {
  return sql.lit(model.engagement.halfLifeDays * 86_400);
}
export function periodSeconds(model: ScoringModel): RawBuilder<number> {
  return sql.lit(model.engagement.periodDays * 86_400);
}

/** The model's points per touch type as a relation `r(type, points, cap)`. */
export function touchPoints(model: ScoringModel): RawBuilder<unknown> {
  const types = model.engagement.touchTypes.filter((t) => t.points > 0 && t.cap > 0);
  return sql`unnest(${types.map((t) => t.type)}::text[], ${types.map((t) => t.points)}::int[],
                    ${types.map((t) => t.cap)}::int[]) AS r(type, points, cap)`;
}

/** The cap period a time falls in (periods are aligned on the Unix epoch). */
export function bucketOf(model: ScoringModel, at: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`floor(extract(epoch FROM ${at})::float8 / ${periodSeconds(model)})::bigint`;
}

/** 2^(-age / half-life): what a point earned at `at` is worth at `now`. */
export function decayFactor(model: ScoringModel, now: Date, at: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`power(2::float8, -extract(epoch FROM (${now.toISOString()}::timestamptz - ${at}))::float8 / ${halfLifeSeconds(model)})`;
}

/**
 * Points a touch earns after its type's cap: the touches of one contact, type and period are counted
 * in time order, and the one that crosses the cap earns only what is left. `cum` is the running sum
 * of points up to and including this touch.
 */
export function awarded(cum: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`greatest(0, least(cap, ${cum}) - least(cap, ${cum} - points))`;
}

/**
 * Readers of a contact's score: `LEFT JOIN` its contact_scores row as `cs` (none: never scored)
 * and read {@link SCORE} and {@link TEMPERATURE}, which give 0 and cold for a contact without one.
 * `contacts` is the alias of the contacts table in the caller's query.
 */
export function scoreJoin(contacts: string): RawBuilder<unknown> {
  return sql`LEFT JOIN contact_scores cs ON cs.workspace_id = ${sql.ref(`${contacts}.workspace_id`)}
    AND cs.contact_id = ${sql.ref(`${contacts}.id`)}`;
}
export const SCORE = sql<number>`coalesce(cs.score, 0)`;
export const TEMPERATURE = sql<'cold' | 'warm' | 'hot'>`coalesce(cs.temperature, 'cold')`;

/**
 * One score column of the contact `contacts` as a scalar (for WHERE terms that cannot add a join,
 * as a segment condition): `score` and `temperature` with their never-scored defaults, `score_at`.
 */
export function scoreColumn(
  contacts: string,
  column: 'score' | 'temperature' | 'score_at',
): RawBuilder<unknown> {
  const read = sql`(SELECT ${sql.ref(`s.${column}`)} FROM contact_scores s
    WHERE s.workspace_id = ${sql.ref(`${contacts}.workspace_id`)} AND s.contact_id = ${sql.ref(`${contacts}.id`)})`;
  if (column === 'score') return sql`coalesce(${read}, 0)`;
  if (column === 'temperature') return sql`coalesce(${read}, 'cold')`;
  return read;
}
