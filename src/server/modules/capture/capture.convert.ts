import { type BuiltInTouchType, DEFAULT_DIRECTION } from '../../../contracts/touches.ts';
import { newId } from '../../lib/ids.ts';
import type { DateOrder } from './capture.dates.ts';
import { type DealContext, finishDeal } from './capture.deals.ts';
import {
  type CellContext,
  convertCell,
  type FieldKind,
  type FieldSpec,
  type ImportEntity,
  REQUIRED_ANY,
  specFor,
} from './capture.mapping.ts';
import type { Row } from './capture.reader.ts';

/**
 * Turns one file row into the staged record of its entity, or into the list of what is wrong with
 * it (column and problem). Blank cells are null and never overwrite anything.
 */
export interface CustomDef {
  key: string;
  type: 'text' | 'number' | 'date' | 'select' | 'multi_select' | 'boolean';
  options: string[];
}

export interface ConvertSetup {
  entity: ImportEntity;
  columns: string[];
  mapping: (string | null)[];
  /** Constant values for every row (`--set field=value`), converted like cells. */
  set: Record<string, string>;
  customDefs: CustomDef[];
  usersByEmail: Map<string, string>;
  timeZone: string;
  dateOrder?: DateOrder | undefined;
  /** Deals only: the workspace's pipelines and deal settings the rows are checked against. */
  deals?: DealContext | undefined;
}

export type Converted = { ok: true; data: Record<string, unknown> } | { ok: false; reason: string };

const KIND_OF_CUSTOM: Record<CustomDef['type'], FieldKind> = {
  text: 'text',
  number: 'text',
  date: 'datetime',
  select: 'text',
  multi_select: 'tags',
  boolean: 'text',
};

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '对']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '不']);

function customValue(
  def: CustomDef,
  raw: string,
  ctx: CellContext,
): { ok: true; value: unknown } | { ok: false; error: string } {
  const v = raw.trim();
  switch (def.type) {
    case 'text':
      return v.length > 2000
        ? { ok: false, error: 'is longer than 2000 characters' }
        : { ok: true, value: v };
    case 'number': {
      const n = Number(v.replace(/,/g, ''));
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: 'is not a number' };
    }
    case 'boolean': {
      const k = v.toLowerCase();
      return TRUE.has(k)
        ? { ok: true, value: true }
        : FALSE.has(k)
          ? { ok: true, value: false }
          : { ok: false, error: 'is not yes/no' };
    }
    case 'date': {
      const r = convertCell({ key: def.key, kind: 'datetime', synonyms: [] }, v, ctx);
      return r.ok ? { ok: true, value: (r.value as Date).toISOString().slice(0, 10) } : r;
    }
    case 'select':
      return def.options.includes(v)
        ? { ok: true, value: v }
        : { ok: false, error: `must be one of ${def.options.join(', ')}` };
    case 'multi_select': {
      const parts = [
        ...new Set(
          v
            .split(/[;,|]/)
            .map((p) => p.trim())
            .filter(Boolean),
        ),
      ];
      const bad = parts.find((p) => !def.options.includes(p));
      return bad
        ? { ok: false, error: `${bad} is not one of ${def.options.join(', ')}` }
        : { ok: true, value: parts };
    }
  }
}

/** Splits a full name: "Ada Lovelace" → Ada / Lovelace; "张三" → 三 / 张 (family name first). */
export function splitFullName(full: string): { firstName: string | null; lastName: string | null } {
  const t = full.trim().replace(/\s+/g, ' ');
  if (/^[\u3400-\u9fff]{2,4}$/.test(t)) return { lastName: t.slice(0, 1), firstName: t.slice(1) };
  const i = t.lastIndexOf(' ');
  return i === -1 ? { firstName: t, lastName: null } : { firstName: t.slice(0, i), lastName: t.slice(i + 1) };
}

export function buildConverter(s: ConvertSetup): (row: Row) => Converted {
  const customKinds = new Map(s.customDefs.map((d) => [d.key, KIND_OF_CUSTOM[d.type]]));
  const customByKey = new Map(s.customDefs.map((d) => [d.key, d]));
  const ctx: CellContext = { timeZone: s.timeZone, dateOrder: s.dateOrder };
  const targets: { index: number; column: string; spec: FieldSpec }[] = [];
  s.mapping.forEach((field, index) => {
    if (!field) return;
    const spec = specFor(s.entity, field, customKinds);
    if (spec) targets.push({ index, column: s.columns[index] ?? `Column ${index + 1}`, spec });
  });
  const constants = Object.entries(s.set).map(([field, value]) => ({
    column: `--set ${field}`,
    spec: specFor(s.entity, field, customKinds)!,
    value,
  }));
  const width = s.columns.length;

  return (row) => {
    if (row.cells.length > width && row.cells.slice(width).some((c) => c !== null)) {
      return { ok: false, reason: `has ${row.cells.length} cells but the header has ${width}` };
    }
    const data: Record<string, unknown> = {};
    const custom: Record<string, unknown> = {};
    const problems: string[] = [];
    const put = (column: string, spec: FieldSpec, raw: string | null | undefined) => {
      if (raw === null || raw === undefined || raw.trim() === '') return;
      if (spec.key.startsWith('custom.')) {
        const key = spec.key.slice(7);
        const def = customByKey.get(key);
        const r = def ? customValue(def, raw, ctx) : { ok: true as const, value: raw.trim() };
        if (r.ok) custom[key] = r.value;
        else problems.push(`${column}: ${r.error}`);
        return;
      }
      const r = convertCell(spec, raw, ctx);
      if (!r.ok) {
        problems.push(`${column}: ${r.error}`);
        return;
      }
      data[spec.key] = r.value instanceof Date ? r.value.toISOString() : r.value;
    };
    for (const c of constants) put(c.column, c.spec, c.value);
    for (const t of targets) put(t.column, t.spec, row.cells[t.index]);
    if (Object.keys(custom).length) data.custom = custom;

    if (typeof data.owner === 'string') {
      const ownerId = s.usersByEmail.get(data.owner);
      if (ownerId) data.ownerId = ownerId;
      else problems.push(`owner: no active user with e-mail ${data.owner}`);
      delete data.owner;
    }
    if (s.entity === 'deals') {
      if (!REQUIRED_ANY.deals.some((k) => data[k] !== undefined))
        problems.push(`needs one of ${REQUIRED_ANY.deals.join(', ')}`);
      else if (s.deals) finishDeal(data, problems, s.deals);
    } else finishEntity(s.entity, data, problems);
    if (problems.length) return { ok: false, reason: problems.join('; ') };
    data._cells = row.cells;
    return { ok: true, data };
  };
}

function finishEntity(entity: ImportEntity, data: Record<string, unknown>, problems: string[]): void {
  if (!REQUIRED_ANY[entity].some((k) => data[k] !== undefined)) {
    problems.push(`needs one of ${REQUIRED_ANY[entity].join(', ')}`);
    return;
  }
  if (entity === 'contacts') {
    if (typeof data.fullName === 'string') {
      const split = splitFullName(data.fullName);
      data.firstName ??= split.firstName ?? undefined;
      data.lastName ??= split.lastName ?? undefined;
      delete data.fullName;
    }
    if (data.company !== undefined) {
      data.companyName = data.company;
      delete data.company;
    }
    if (data.companyName !== undefined || data.companyDomain !== undefined) data.companyId = newId('cmp');
    data.id = newId('ctc');
  } else if (entity === 'companies') {
    data.id = newId('cmp');
  } else {
    if (data['contact.email'] !== undefined) data.contactEmail = data['contact.email'];
    if (data['contact.external_id'] !== undefined) data.contactExternalId = data['contact.external_id'];
    delete data['contact.email'];
    delete data['contact.external_id'];
    if (data.type === undefined) problems.push('type: is required');
    if (data.occurredAt === undefined) problems.push('occurredAt: is required');
    if (typeof data.occurredAt === 'string') data.id = newId('tch', Date.parse(data.occurredAt));
    data.direction ??= DEFAULT_DIRECTION[data.type as BuiltInTouchType] ?? 'marketing';
  }
}
