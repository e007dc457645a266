import { parse } from 'csv-parse/sync';
import {
  type ExchangeRateDto,
  type ExchangeRateInput,
  exchangeRateInputSchema,
} from '../../../contracts/deals.ts';
import type { AppContext } from '../../http/context.ts';
import { type FieldErrors, ValidationError } from '../../lib/errors.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './deals.rates.repo.ts';

/** Multi-currency: amounts keep their currency; reports convert with the dated rate table. */

/** `YYYY-MM-DD` of a Date in UTC (a string is passed through). */
export function dateOnly(d: Date | string): string {
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

function toRateDto(r: repo.RateRow): ExchangeRateDto {
  return { base: r.base, quote: r.quote, onDate: r.on_date, rate: normalizeRate(r.rate), source: r.source };
}

/** numeric(24,12) prints trailing zeros: `7.100000000000` → `7.1`. */
function normalizeRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

/** Sets (or replaces) the rate of a currency pair for one day. */
export async function setExchangeRate(
  ctx: AppContext,
  actor: Actor,
  input: ExchangeRateInput,
): Promise<ExchangeRateDto> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.upsertRates(trx, actor.workspaceId, [input], {
      source: 'manual',
      createdBy: actor.userId,
      at,
    });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'rate_set',
      entityType: 'exchange_rate',
      entityId: `${input.base}/${input.quote}/${input.onDate}`,
      diff: { rate: input.rate },
      at,
    });
  });
  return { ...input, rate: normalizeRate(input.rate), source: 'manual' };
}

export async function listExchangeRates(
  ctx: AppContext,
  actor: Actor,
  q: { base?: string | undefined; quote?: string | undefined; limit: number },
): Promise<ExchangeRateDto[]> {
  return (await repo.listRates(ctx.db, actor.workspaceId, q)).map(toRateDto);
}

export async function deleteExchangeRate(
  ctx: AppContext,
  actor: Actor,
  key: { base: string; quote: string; onDate: string },
): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const gone = await repo.deleteRate(trx, actor.workspaceId, key);
    if (gone) {
      await appendAudit(trx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.email,
        action: 'rate_delete',
        entityType: 'exchange_rate',
        entityId: `${key.base}/${key.quote}/${key.onDate}`,
        at: ctx.clock.now(),
      });
    }
    return gone;
  });
}

const HEADER_ALIASES: Record<string, 'base' | 'quote' | 'onDate' | 'rate'> = {
  base: 'base',
  from: 'base',
  quote: 'quote',
  to: 'quote',
  date: 'onDate',
  on_date: 'onDate',
  ondate: 'onDate',
  rate: 'rate',
};

/**
 * Imports rates from CSV text with the headers `base,quote,date,rate` (also `from,to,on_date`).
 * Every row is checked first; any bad row rejects the file (errors name `row N.field`), nothing is
 * written. A repeated pair and day replaces the stored rate.
 */
export async function importExchangeRates(
  ctx: AppContext,
  actor: Actor,
  csv: string,
): Promise<{ imported: number }> {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (err) {
    throw new ValidationError('The file is not valid CSV', { csv: (err as Error).message });
  }
  const [header, ...rows] = records;
  if (!header) throw new ValidationError('The file is empty', { csv: 'has no header row' });
  const columns = header.map((h) => HEADER_ALIASES[h.toLowerCase().replace(/\s+/g, '_')]);
  const missing = (['base', 'quote', 'onDate', 'rate'] as const).filter((c) => !columns.includes(c));
  if (missing.length) {
    throw new ValidationError('Missing columns', {
      csv: `needs the columns base, quote, date, rate (missing ${missing.join(', ')})`,
    });
  }
  if (rows.length > 100_000)
    throw new ValidationError('Too many rows', { csv: 'at most 100,000 rates per file' });
  const errors: FieldErrors = {};
  const rates: ExchangeRateInput[] = [];
  rows.forEach((row, i) => {
    const raw: Record<string, string> = {};
    columns.forEach((c, j) => {
      if (c) raw[c] = row[j] ?? '';
    });
    if (raw.base) raw.base = raw.base.toUpperCase();
    if (raw.quote) raw.quote = raw.quote.toUpperCase();
    const parsed = exchangeRateInputSchema.safeParse(raw);
    if (parsed.success) rates.push(parsed.data);
    else if (Object.keys(errors).length < 50) {
      for (const issue of parsed.error.issues) errors[`row ${i + 2}.${issue.path.join('.')}`] = issue.message;
    }
  });
  if (Object.keys(errors).length)
    throw new ValidationError('Some rates are invalid; nothing was imported', errors);
  // A pair and day repeated in the file: the last row wins (one statement cannot upsert a row twice).
  const byKey = new Map(rates.map((r) => [`${r.base}|${r.quote}|${r.onDate}`, r]));
  const unique = [...byKey.values()];
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.upsertRates(trx, actor.workspaceId, unique, { source: 'import', createdBy: actor.userId, at });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'rate_import',
      entityType: 'exchange_rate',
      entityId: null,
      diff: { rows: unique.length },
      at,
    });
  });
  return { imported: unique.length };
}
