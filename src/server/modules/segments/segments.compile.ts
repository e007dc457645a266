import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import {
  type BehaviourCondition,
  calendarUnitSchema,
  FIELD_OPERATORS,
  type FieldCondition,
  MAX_GROUP_DEPTH,
  type MembershipCondition,
  OPERATOR_VALUE,
  type Period,
  relativeSpanSchema,
  type SegmentDefinition,
  type SegmentGroup,
  type SegmentNode,
  segmentDefinitionSchema,
} from '../../../contracts/segments.ts';
import type { Database } from '../../db/types.ts';
import { ValidationError } from '../../lib/errors.ts';
import { type FieldSpec, fieldCatalogue } from './segments.fields.ts';
import * as repo from './segments.repo.ts';

/**
 * Compiles a segment definition to ONE SQL query over `contacts` (never a per-contact loop, nothing
 * materialised): field conditions are WHERE terms on the row (company fields a subquery over
 * companies), behaviour is `id IN (SELECT contact_id FROM touches WHERE type … AND occurred_at …
 * [GROUP BY contact_id HAVING count(*) >= n])`, which the touches (workspace_id, type, occurred_at)
 * index serves and which PostgreSQL runs as a hashed semi-join even under OR; "in segment Y" inlines
 * Y's own conditions. Every leaf is NULL-safe under negation (`IS DISTINCT FROM`, `coalesce`).
 * A bad definition is a 400 naming the condition's path (`definition.conditions.1.op`).
 */

type Db = Kysely<Database> | Transaction<Database>;
type Cond = Expression<SqlBool>;

export interface CompileOptions {
  /** "Now" for relative dates (the service passes its clock). */
  now?: Date;
  /** The saved segment being compiled: referring to it (directly or through others) is refused. */
  selfId?: string;
}

interface Env {
  workspaceId: string;
  timeZone: string;
  now: string;
  fields: Map<string, FieldSpec>;
  users: Set<string>;
  teams: Set<string>;
  segments: Map<string, { name: string; definition: SegmentDefinition }>;
}

class DefinitionError extends ValidationError {
  constructor(path: string, problem: string) {
    super(`Invalid segment definition: ${path} ${problem}`, { [path]: problem });
  }
}

/** Parses a definition (from JSON, an API body or a file) into its typed shape, or a 400 naming the path. */
export function parseDefinition(input: unknown, root = 'definition'): SegmentDefinition {
  const parsed = segmentDefinitionSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [root, ...(issue?.path ?? []).map(String)].join('.');
  throw new DefinitionError(path, issue?.message ?? 'is invalid');
}

function walk(group: SegmentGroup, visit: (n: SegmentNode) => void): void {
  for (const n of group.conditions) {
    visit(n);
    if (n.kind === 'group') walk(n, visit);
  }
}

/**
 * Loads every saved segment reachable from `root` (their definitions are inlined), refusing a chain
 * that comes back to `selfId` or loops. Errors name the membership condition in the root definition.
 */
async function loadReferences(
  db: Db,
  workspaceId: string,
  root: SegmentDefinition,
  selfId: string | undefined,
): Promise<Env['segments']> {
  const loaded: Env['segments'] = new Map();
  const direct = (def: SegmentDefinition) => {
    const ids: string[] = [];
    walk(def, (n) => {
      if (n.kind === 'membership' && n.of === 'segment') ids.push(n.id);
    });
    return ids;
  };
  // Breadth-first load (one query per level), then a depth-first cycle check over the loaded graph.
  let frontier = [...new Set(direct(root))];
  for (let level = 0; frontier.length; level++) {
    if (level > 20) break;
    const rows = await repo.segmentDefinitions(db, workspaceId, frontier);
    const next: string[] = [];
    for (const [id, row] of rows) {
      const definition = parseDefinition(row.definition, `segment ${id}`);
      loaded.set(id, { name: row.name, definition });
      for (const ref of direct(definition)) if (!loaded.has(ref) && ref !== selfId) next.push(ref);
    }
    frontier = [...new Set(next)].filter((id) => !loaded.has(id));
  }
  const rootPaths = new Map<string, string>();
  const index = (g: SegmentGroup, path: string) =>
    g.conditions.forEach((n, i) => {
      const p = `${path}.conditions.${i}`;
      if (n.kind === 'group') index(n, p);
      else if (n.kind === 'membership' && n.of === 'segment' && !rootPaths.has(n.id)) rootPaths.set(n.id, p);
    });
  index(root, 'definition');
  const check = (id: string, chain: string[], rootPath: string) => {
    if (id === selfId || chain.includes(id)) {
      const through = chain.length ? ` (through ${chain.join(' → ')})` : '';
      throw new DefinitionError(
        rootPath,
        id === selfId
          ? `makes the segment include itself${through}`
          : `refers to segments in a loop${through}`,
      );
    }
    const seg = loaded.get(id);
    if (!seg) return;
    for (const ref of new Set(direct(seg.definition))) check(ref, [...chain, id], rootPath);
  };
  for (const [id, path] of rootPaths) check(id, [], path);
  return loaded;
}

async function buildEnv(
  db: Db,
  workspaceId: string,
  def: SegmentDefinition,
  opts: CompileOptions,
): Promise<Env> {
  const [timeZone, customFields, segments] = await Promise.all([
    repo.workspaceTimeZone(db, workspaceId),
    repo.customFieldsOf(db, workspaceId),
    loadReferences(db, workspaceId, def, opts.selfId),
  ]);
  const fields = new Map(fieldCatalogue(customFields).map((f) => [f.field, f]));
  const userIds = new Set<string>();
  const teamIds = new Set<string>();
  const collect = (g: SegmentGroup) =>
    walk(g, (n) => {
      if (n.kind !== 'field') return;
      const type = fields.get(n.field)?.type;
      const values = Array.isArray(n.value) ? n.value : [n.value];
      for (const v of values) {
        if (typeof v !== 'string') continue;
        if (type === 'user') userIds.add(v);
        if (type === 'team') teamIds.add(v);
      }
    });
  collect(def);
  for (const s of segments.values()) collect(s.definition);
  const [users, teams] = await Promise.all([
    repo.existingUserIds(db, workspaceId, [...userIds]),
    repo.existingTeamIds(db, workspaceId, [...teamIds]),
  ]);
  return {
    workspaceId,
    timeZone: timeZone ?? 'UTC',
    now: (opts.now ?? new Date()).toISOString(),
    fields,
    users,
    teams,
    segments,
  };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const TRUE = sql<SqlBool>`true`;

class Compiler {
  readonly #env: Env;
  constructor(env: Env) {
    this.#env = env;
  }

  /** `null`: the group constrains nothing (an empty group, while the builder is being filled in). */
  group(g: SegmentGroup, path: string, depth: number, via: string[]): Cond | null {
    if (depth > MAX_GROUP_DEPTH)
      throw new DefinitionError(path, `nests groups deeper than ${MAX_GROUP_DEPTH}`);
    const parts: Cond[] = [];
    g.conditions.forEach((n, i) => {
      const p = `${path}.conditions.${i}`;
      const c = n.kind === 'group' ? this.group(n, p, depth + 1, via) : this.condition(n, p, depth, via);
      if (c) parts.push(c);
    });
    if (!parts.length) return null;
    if (parts.length === 1) return parts[0] ?? null;
    return sql<SqlBool>`(${sql.join(parts, g.match === 'all' ? sql` AND ` : sql` OR `)})`;
  }

  condition(n: Exclude<SegmentNode, SegmentGroup>, path: string, depth: number, via: string[]): Cond | null {
    if (n.kind === 'field') return this.field(n, path);
    if (n.kind === 'behaviour') return this.behaviour(n, path);
    return this.membership(n, path, depth, via);
  }

  // ---- membership ------------------------------------------------------------------------------

  membership(c: MembershipCondition, path: string, depth: number, via: string[]): Cond | null {
    const env = this.#env;
    if (c.of === 'campaign') {
      const statuses = c.statuses?.length ? sql` AND cm.status IN (${sql.join(c.statuses)})` : sql``;
      const members = sql`SELECT cm.contact_id FROM campaign_members cm
        WHERE cm.workspace_id = ${env.workspaceId} AND cm.campaign_id = ${c.id}${statuses}`;
      return c.negate
        ? sql<SqlBool>`contacts.id NOT IN (${members})`
        : sql<SqlBool>`contacts.id IN (${members})`;
    }
    const seg = env.segments.get(c.id);
    if (!seg) throw new DefinitionError(`${path}.id`, `names segment ${c.id}, which does not exist`);
    // The referenced segment's conditions are inlined on the same row: one query, no materialised list.
    let inner: Cond | null;
    try {
      inner = this.group(seg.definition, `segment ${c.id}`, depth + 1, [...via, c.id]);
    } catch (err) {
      if (err instanceof DefinitionError && via.length === 0) {
        throw new DefinitionError(
          `${path}.id`,
          `names segment "${seg.name}" (${c.id}), which is invalid: ${err.message}`,
        );
      }
      throw err;
    }
    const cond = inner ?? TRUE;
    return c.negate ? sql<SqlBool>`NOT coalesce(${cond}, false)` : cond;
  }

  // ---- behaviour -------------------------------------------------------------------------------

  behaviour(c: BehaviourCondition, path: string): Cond {
    const env = this.#env;
    const min = c.min ?? 1;
    const where = [
      sql`t.workspace_id = ${env.workspaceId}`,
      c.touchTypes.length === 1
        ? sql`t.type = ${c.touchTypes[0]}`
        : sql`t.type IN (${sql.join(c.touchTypes)})`,
    ];
    if (c.period) {
      const [from, to] = this.periodBounds(c.period, `${path}.period`);
      where.push(sql`t.occurred_at >= ${from}`, sql`t.occurred_at < ${to}`);
    }
    if (c.campaignId) where.push(sql`t.campaign_id = ${c.campaignId}`);
    if (c.metadata && Object.keys(c.metadata).length) {
      where.push(sql`t.metadata @> ${JSON.stringify(c.metadata)}::jsonb`);
    }
    const grouped = min > 1 ? sql` GROUP BY t.contact_id HAVING count(*) >= ${min}` : sql``;
    const touches = sql`SELECT t.contact_id FROM touches t WHERE ${sql.join(where, sql` AND `)}${grouped}`;
    return c.negate
      ? sql<SqlBool>`contacts.id NOT IN (${touches})`
      : sql<SqlBool>`contacts.id IN (${touches})`;
  }

  /** [from, to) of a period as timestamptz expressions; calendar edges in the workspace time zone. */
  periodBounds(p: Period, path: string): [RawBuilder<unknown>, RawBuilder<unknown>] {
    const now = sql`${this.#env.now}::timestamptz`;
    if (p.type === 'last')
      return [sql`(${now} - ${`${p.amount} ${p.unit}`}::interval)`, sql`(${now} + interval '1 microsecond')`];
    if (p.type === 'this') {
      const start = this.localTrunc(p.unit);
      return [this.atZone(start), this.atZone(sql`(${start} + ${`1 ${p.unit}`}::interval)`)];
    }
    if (!isCalendarDate(p.from)) throw new DefinitionError(`${path}.from`, 'must be a date as YYYY-MM-DD');
    if (!isCalendarDate(p.to)) throw new DefinitionError(`${path}.to`, 'must be a date as YYYY-MM-DD');
    if (p.from > p.to) throw new DefinitionError(`${path}.to`, 'must not be before from');
    return [this.dayStart(p.from), this.dayStart(p.to, 1)];
  }

  localNow(): RawBuilder<unknown> {
    return sql`(${this.#env.now}::timestamptz AT TIME ZONE ${this.#env.timeZone})`;
  }
  localTrunc(unit: string): RawBuilder<unknown> {
    return sql`date_trunc(${unit}, ${this.localNow()})`;
  }
  atZone(local: RawBuilder<unknown>): RawBuilder<unknown> {
    return sql`(${local} AT TIME ZONE ${this.#env.timeZone})`;
  }
  /** The moment a calendar day (plus `days`) starts in the workspace time zone. */
  dayStart(date: string, days = 0): RawBuilder<unknown> {
    return this.atZone(sql`((${date}::date + ${days}::int)::timestamp)`);
  }

  // ---- fields ----------------------------------------------------------------------------------

  field(c: FieldCondition, path: string): Cond {
    const env = this.#env;
    const spec = env.fields.get(c.field);
    if (!spec) throw new DefinitionError(`${path}.field`, `names an unknown field "${c.field}"`);
    const allowed: readonly string[] = FIELD_OPERATORS[spec.type];
    if (!allowed.includes(c.op)) {
      throw new DefinitionError(
        `${path}.op`,
        `"${c.op}" does not apply to ${c.field} (a ${spec.type} field; use one of ${allowed.join(', ')})`,
      );
    }
    const cond = this.fieldCondition(spec, c, path);
    if (spec.entity === 'contact') return cond;
    // Company fields: the contact's company matches (one hashed subquery over companies).
    return sql<SqlBool>`contacts.company_id IN (SELECT co.id FROM companies co
      WHERE co.workspace_id = ${env.workspaceId} AND co.deleted_at IS NULL AND ${cond})`;
  }

  fieldCondition(spec: FieldSpec, c: FieldCondition, path: string): Cond {
    const vpath = `${path}.value`;
    const kind = OPERATOR_VALUE[c.op];
    if (kind === 'none' && c.value !== undefined)
      throw new DefinitionError(vpath, `must be left out for ${c.op}`);
    if (kind !== 'none' && c.value === undefined) throw new DefinitionError(vpath, `is required for ${c.op}`);
    switch (spec.type) {
      case 'text':
        return this.text(spec, c, vpath);
      case 'number':
        return this.number(spec, c, vpath);
      case 'date':
      case 'datetime':
        return this.date(spec, c, vpath);
      case 'enum':
      case 'user':
      case 'team':
        return this.choice(spec, c, vpath);
      case 'multi':
        return this.multi(spec, c, vpath);
      case 'boolean':
        return this.boolean(spec, c);
    }
  }

  strings(value: unknown, path: string, opts: { list: boolean }): string[] {
    if (opts.list) {
      if (!Array.isArray(value) || value.length === 0)
        throw new DefinitionError(path, 'must be a non-empty list');
      value.forEach((v, i) => {
        if (typeof v !== 'string') throw new DefinitionError(`${path}.${i}`, 'must be text');
      });
      return value as string[];
    }
    if (typeof value !== 'string') throw new DefinitionError(path, 'must be text');
    return [value];
  }

  text(spec: FieldSpec, c: FieldCondition, path: string): Cond {
    const col = spec.expr;
    switch (c.op) {
      case 'is_empty':
        return sql<SqlBool>`(${col} IS NULL OR ${col} = '')`;
      case 'is_not_empty':
        return sql<SqlBool>`(${col} IS NOT NULL AND ${col} <> '')`;
      case 'in':
      case 'not_in': {
        const values = this.strings(c.value, path, { list: true }).map((v) => v.toLowerCase());
        const cond = sql<SqlBool>`lower(${col}) IN (${sql.join(values)})`;
        return c.op === 'in' ? cond : sql<SqlBool>`NOT coalesce(${cond}, false)`;
      }
    }
    const [value = ''] = this.strings(c.value, path, { list: false });
    switch (c.op) {
      case 'eq':
        return sql<SqlBool>`lower(${col}) = ${value.toLowerCase()}`;
      case 'neq':
        return sql<SqlBool>`lower(${col}) IS DISTINCT FROM ${value.toLowerCase()}`;
      case 'contains':
        return sql<SqlBool>`${col} ILIKE ${`%${likeEscape(value)}%`}`;
      case 'not_contains':
        return sql<SqlBool>`NOT coalesce(${col} ILIKE ${`%${likeEscape(value)}%`}, false)`;
      default:
        return sql<SqlBool>`${col} ILIKE ${`${likeEscape(value)}%`}`;
    }
  }

  number(spec: FieldSpec, c: FieldCondition, path: string): Cond {
    const col = spec.expr;
    if (c.op === 'is_empty') return sql<SqlBool>`${col} IS NULL`;
    if (c.op === 'is_not_empty') return sql<SqlBool>`${col} IS NOT NULL`;
    if (c.op === 'between') {
      const v = c.value;
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number')
        throw new DefinitionError(path, 'must be two numbers [low, high]');
      if (v[0] > v[1]) throw new DefinitionError(path, 'must list the lower number first');
      return sql<SqlBool>`${col} BETWEEN ${v[0]} AND ${v[1]}`;
    }
    if (typeof c.value !== 'number') throw new DefinitionError(path, 'must be a number');
    const ops = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
    if (c.op === 'neq') return sql<SqlBool>`${col} IS DISTINCT FROM ${c.value}`;
    const op = ops[c.op as keyof typeof ops];
    return sql<SqlBool>`${col} ${sql.raw(op)} ${c.value}`;
  }

  date(spec: FieldSpec, c: FieldCondition, path: string): Cond {
    const col = spec.expr;
    if (c.op === 'is_empty') return sql<SqlBool>`${col} IS NULL`;
    if (c.op === 'is_not_empty') return sql<SqlBool>`${col} IS NOT NULL`;
    // Bounds are computed in the workspace's local time; a datetime compares moments, a date field
    // (YYYY-MM-DD text) compares its text with the local calendar date of each bound.
    const local = spec.type === 'date';
    const edge = (localTs: RawBuilder<unknown>) =>
      local ? sql`to_char(${localTs}, 'YYYY-MM-DD')` : this.atZone(localTs);
    const day = (d: string, plus = 0) => (local ? sql`${d}` : this.dayStart(d, plus));
    const range = (from: RawBuilder<unknown>, to: RawBuilder<unknown>) =>
      sql<SqlBool>`(${col} >= ${from} AND ${col} < ${to})`;
    const dateValue = (v: unknown, p: string): string => {
      if (!isCalendarDate(v)) throw new DefinitionError(p, 'must be a date as YYYY-MM-DD');
      return v;
    };
    switch (c.op) {
      case 'on': {
        const d = dateValue(c.value, path);
        return local ? sql<SqlBool>`${col} = ${d}` : range(day(d), day(d, 1));
      }
      case 'before':
        return sql<SqlBool>`${col} < ${day(dateValue(c.value, path))}`;
      case 'after': {
        const d = dateValue(c.value, path);
        return local ? sql<SqlBool>`${col} > ${d}` : sql<SqlBool>`${col} >= ${day(d, 1)}`;
      }
      case 'between': {
        const v = c.value;
        if (!Array.isArray(v) || v.length !== 2)
          throw new DefinitionError(path, 'must be two dates [from, to]');
        const from = dateValue(v[0], `${path}.0`);
        const to = dateValue(v[1], `${path}.1`);
        if (from > to) throw new DefinitionError(path, 'must list the earlier date first');
        return local ? sql<SqlBool>`${col} BETWEEN ${from} AND ${to}` : range(day(from), day(to, 1));
      }
      case 'in_last':
      case 'not_in_last': {
        const span = relativeSpanSchema.safeParse(c.value);
        if (!span.success)
          throw new DefinitionError(path, 'must be a span such as {"amount": 30, "unit": "day"}');
        const interval = `${span.data.amount} ${span.data.unit}`;
        const cond = local
          ? sql<SqlBool>`(${col} >= ${edge(sql`(${this.localNow()} - ${interval}::interval)`)} AND ${col} <= ${edge(this.localNow())})`
          : sql<SqlBool>`(${col} >= ${sql`${this.#env.now}::timestamptz`} - ${interval}::interval AND ${col} <= ${this.#env.now}::timestamptz)`;
        return c.op === 'in_last' ? cond : sql<SqlBool>`NOT coalesce(${cond}, false)`;
      }
      default: {
        const unit = calendarUnitSchema.safeParse(c.value);
        if (!unit.success) throw new DefinitionError(path, 'must be month, quarter or year');
        const start = this.localTrunc(unit.data);
        return range(edge(start), edge(sql`(${start} + ${`1 ${unit.data}`}::interval)`));
      }
    }
  }

  choice(spec: FieldSpec, c: FieldCondition, path: string): Cond {
    const col = spec.expr;
    if (c.op === 'is_empty') return sql<SqlBool>`${col} IS NULL`;
    if (c.op === 'is_not_empty') return sql<SqlBool>`${col} IS NOT NULL`;
    const list = c.op === 'in' || c.op === 'not_in';
    const values = this.strings(c.value, path, { list }).map((v) =>
      spec.field.endsWith('country') ? v.toUpperCase() : v,
    );
    values.forEach((v, i) => {
      const p = list ? `${path}.${i}` : path;
      if (spec.options.length && !spec.options.includes(v))
        throw new DefinitionError(p, `"${v}" is not one of: ${spec.options.join(', ')}`);
      if (spec.type === 'user' && !this.#env.users.has(v))
        throw new DefinitionError(p, `names an unknown user ${v}`);
      if (spec.type === 'team' && !this.#env.teams.has(v))
        throw new DefinitionError(p, `names an unknown team ${v}`);
    });
    if (c.op === 'eq') return sql<SqlBool>`${col} = ${values[0]}`;
    if (c.op === 'neq') return sql<SqlBool>`${col} IS DISTINCT FROM ${values[0]}`;
    const cond = sql<SqlBool>`${col} IN (${sql.join(values)})`;
    return c.op === 'in' ? cond : sql<SqlBool>`NOT coalesce(${cond}, false)`;
  }

  multi(spec: FieldSpec, c: FieldCondition, path: string): Cond {
    if (spec.storage === 'column') {
      const col = spec.expr;
      if (c.op === 'is_empty') return sql<SqlBool>`cardinality(${col}) = 0`;
      if (c.op === 'is_not_empty') return sql<SqlBool>`cardinality(${col}) > 0`;
      const arr = sql`ARRAY[${sql.join(this.strings(c.value, path, { list: true }))}]::text[]`;
      if (c.op === 'has_any') return sql<SqlBool>`${col} && ${arr}`;
      if (c.op === 'has_all') return sql<SqlBool>`${col} @> ${arr}`;
      return sql<SqlBool>`NOT (${col} && ${arr})`;
    }
    const json = spec.json ?? spec.expr;
    if (c.op === 'is_empty') return sql<SqlBool>`coalesce(jsonb_array_length(${json}), 0) = 0`;
    if (c.op === 'is_not_empty') return sql<SqlBool>`coalesce(jsonb_array_length(${json}), 0) > 0`;
    const values = this.strings(c.value, path, { list: true });
    values.forEach((v, i) => {
      if (spec.options.length && !spec.options.includes(v))
        throw new DefinitionError(`${path}.${i}`, `"${v}" is not one of: ${spec.options.join(', ')}`);
    });
    const arr = sql`ARRAY[${sql.join(values)}]::text[]`;
    if (c.op === 'has_all') return sql<SqlBool>`coalesce(${json} @> ${JSON.stringify(values)}::jsonb, false)`;
    const any = sql<SqlBool>`coalesce(jsonb_exists_any(${json}, ${arr}), false)`;
    return c.op === 'has_any' ? any : sql<SqlBool>`NOT ${any}`;
  }

  boolean(spec: FieldSpec, c: FieldCondition): Cond {
    const json = spec.json ?? spec.expr;
    if (c.op === 'is_true') return sql<SqlBool>`${json} = 'true'::jsonb`;
    if (c.op === 'is_false') return sql<SqlBool>`${json} = 'false'::jsonb`;
    if (c.op === 'is_empty') return sql<SqlBool>`${json} IS NULL`;
    return sql<SqlBool>`${json} IS NOT NULL`;
  }
}

/**
 * The WHERE condition of a definition on the table `contacts` (no workspace or deletion filter:
 * callers combine it with theirs, e.g. the contact list's visibility and keyset).
 */
export async function compileSegmentCondition(
  db: Db,
  workspaceId: string,
  definition: unknown,
  opts: CompileOptions = {},
): Promise<Cond> {
  const def = parseDefinition(definition);
  const env = await buildEnv(db, workspaceId, def, opts);
  return new Compiler(env).group(def, 'definition', 1, []) ?? TRUE;
}

/**
 * The live contacts of a workspace matching a definition, as ONE select of `contact_id`
 * (campaigns use it for audiences: `insert … select`, counts, snapshots). Throws a 400
 * ValidationError naming the path of a bad condition.
 */
export async function compileSegment(
  db: Db,
  workspaceId: string,
  definition: unknown,
  opts: CompileOptions = {},
) {
  const cond = await compileSegmentCondition(db, workspaceId, definition, opts);
  return db
    .selectFrom('contacts')
    .select('contacts.id as contact_id')
    .where('contacts.workspace_id', '=', workspaceId)
    .where('contacts.deleted_at', 'is', null)
    .where(cond);
}
