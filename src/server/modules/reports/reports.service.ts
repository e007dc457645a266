import { stringify } from 'csv-stringify/sync';
import {
  ATTRIBUTION_MODELS,
  type AttributionDimension,
  type AttributionModel,
  type Dimension,
  type DrillQuery,
  type DrillResultDto,
  REPORT_DIMENSIONS,
  type ReportColumnDto,
  type ReportName,
  type ReportQuery,
  type ReportTableDto,
} from '../../../contracts/reports.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { neutralise } from '../capture/capture.export.ts';
import { slaReport } from '../lifecycle/lifecycle.sla.ts';
import { attribution, attributionDeals, bucketRecords, touchesToClose } from './reports.attribution.repo.ts';
import {
  type ForecastRecord,
  forecastAtMany,
  forecastRecords,
  wonDeals,
  wonRevenueIn,
} from './reports.forecast.repo.ts';
import { type DrillRow, funnel, journeyContacts, type Period, velocity } from './reports.funnel.repo.ts';
import { forecastRatesAt } from './reports.rates.ts';
import { reportingCurrency, STAGE_ORDER } from './reports.repo.ts';
import { roi, roiLeads, type VoiceDimension, voice, voiceItems } from './reports.roi.repo.ts';

/**
 * Runs the reports: checks the breakdown each report allows, resolves the period and shapes every
 * report as one table (columns + rows) for the API, CSV, CLI and charts. All figures come from SQL.
 */

const DAY = 86_400_000;

/** A date-only `to` includes that whole day; without dates the period is the last 365 days. */
export function periodOf(ctx: AppContext, q: { from?: string | undefined; to?: string | undefined }): Period {
  const dateOnly = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  const at = (s: string) => new Date(dateOnly(s) ? `${s}T00:00:00Z` : s);
  const to = q.to ? new Date(at(q.to).getTime() + (dateOnly(q.to) ? DAY : 0)) : ctx.clock.now();
  const from = q.from ? at(q.from) : new Date(to.getTime() - 365 * DAY);
  if (from >= to) throw new ValidationError('The period is empty', { to: 'must be after from' });
  return { from, to };
}

function checkBy(name: ReportName, by: Dimension[]): Dimension[] {
  const allowed = REPORT_DIMENSIONS[name];
  const bad = by.find((d) => !allowed.includes(d));
  if (bad)
    throw new ValidationError(`The ${name} report cannot break down by ${bad}`, {
      by: `${name} breaks down by ${allowed.join(', ')}`,
    });
  if (name === 'sla' && by.length > 1)
    throw new ValidationError('Choose one of owner, team', { by: 'at most one' });
  if (new Set(by).size !== by.length)
    throw new ValidationError('A dimension repeats', { by: 'each dimension once' });
  if (name === 'attribution' && !by.length) return ['channel'];
  if (name === 'roi' && !by.length) return ['campaign'];
  if (name === 'voice' && !by.length) return ['type'];
  return by;
}

const col = (key: string, kind: ReportColumnDto['kind'], drill = false): ReportColumnDto => ({
  key,
  kind,
  drill,
});
const dimCols = (by: string[]) => by.map((d) => col(d, 'dim'));
const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export async function runReport(
  ctx: AppContext,
  workspaceId: string,
  name: ReportName,
  q: ReportQuery,
): Promise<ReportTableDto> {
  const by = checkBy(name, q.by);
  const p = periodOf(ctx, q);
  const currency = await reportingCurrency(ctx.db, workspaceId);
  const head = { report: name, from: p.from.toISOString(), to: p.to.toISOString(), by, currency };
  switch (name) {
    case 'funnel': {
      const rows = await funnel(ctx.db, workspaceId, by, p, q.mode);
      const pairs = STAGE_ORDER.slice(1).map((s, i) => [STAGE_ORDER[i]!, s] as const);
      return {
        ...head,
        columns: [
          ...dimCols(by),
          ...STAGE_ORDER.map((s) => col(s, 'count', true)),
          ...pairs.map(([a, b]) => col(`${a}_to_${b}`, 'ratio')),
          col('lead_to_customer', 'ratio'),
        ],
        rows: rows.map((r) => ({
          ...r,
          ...Object.fromEntries(pairs.map(([a, b]) => [`${a}_to_${b}`, ratio(r[b], r[a])])),
          lead_to_customer: ratio(r.customer, r.lead),
        })),
      };
    }
    case 'velocity': {
      const rows = await velocity(ctx.db, workspaceId, by, p);
      const statKeys = ['mean', 'p25', 'median', 'p75', 'p90'];
      return {
        ...head,
        columns: [
          ...dimCols(by),
          col('stage', 'dim'),
          col('reached', 'count', true),
          ...statKeys.map((k) => col(`to_${k}`, 'days')),
          col('completed', 'count'),
          ...statKeys.map((k) => col(`in_${k}`, 'days')),
        ],
        rows: rows.map((r) => {
          const out: Record<string, string | number | null> = { ...r };
          for (const k of statKeys) {
            out[`to_${k}`] = round2(r[`to_${k}`] as number | null);
            out[`in_${k}`] = round2(r[`in_${k}`] as number | null);
          }
          return out;
        }),
      };
    }
    case 'touches-to-close': {
      const rows = await touchesToClose(ctx.db, workspaceId, by, p);
      const totalWon = rows.reduce((s, r) => s + r.won_deals, 0);
      return {
        ...head,
        columns: [
          ...dimCols(by),
          col('bucket', 'dim'),
          col('won_deals', 'count', true),
          col('share_of_won', 'ratio'),
          col('contacts', 'count', true),
          col('customers', 'count', true),
          col('conversion', 'ratio'),
        ],
        rows: rows.map((r) => ({
          ...r,
          share_of_won: ratio(r.won_deals, totalWon),
          conversion: ratio(r.customers, r.contacts),
        })),
      };
    }
    case 'attribution': {
      const rows = await attribution(
        ctx.db,
        workspaceId,
        currency,
        by as AttributionDimension[],
        p,
        q.halfLifeDays,
      );
      return {
        ...head,
        columns: [
          ...dimCols(by),
          col('deals', 'count'),
          ...ATTRIBUTION_MODELS.map((m) => col(m, 'money', true)),
        ],
        rows,
      };
    }
    case 'roi': {
      const dim = by[0] as AttributionDimension;
      const rows = await roi(ctx.db, workspaceId, currency, dim, p, q.model, q.halfLifeDays);
      const per = (a: number, b: number) => (b > 0 ? Math.round(a / b) : null);
      return {
        ...head,
        columns: [
          col(dim, 'dim'),
          col('cost', 'money'),
          col('leads', 'count', true),
          col('sqls', 'count', true),
          col('won', 'count', true),
          col('revenue', 'money'),
          col('cost_per_lead', 'money'),
          col('cost_per_sql', 'money'),
          col('cac', 'money'),
          col('roi', 'ratio'),
        ],
        rows: rows.map((r) => ({
          ...r,
          cost_per_lead: per(r.cost, r.leads),
          cost_per_sql: per(r.cost, r.sqls),
          cac: per(r.cost, r.won),
          roi: r.cost > 0 ? (r.revenue - r.cost) / r.cost : null,
        })),
      };
    }
    case 'forecast':
      return { ...head, ...(await forecastTable(ctx, workspaceId, currency, p.to, q.months)) };
    case 'voice': {
      const rows = await voice(ctx.db, workspaceId, by as VoiceDimension[], p);
      const vsCompetitor = by.length === 1 && by[0] === 'competitor';
      return {
        ...head,
        columns: [
          ...dimCols(by),
          col('items', 'count', true),
          ...(vsCompetitor ? [col('won', 'count'), col('lost', 'count'), col('win_rate', 'ratio')] : []),
        ],
        rows: vsCompetitor
          ? rows.map((r) => ({ ...r, win_rate: ratio(Number(r.won), Number(r.won) + Number(r.lost)) }))
          : rows,
      };
    }
    case 'sla': {
      const r = await slaReport(ctx, workspaceId, { from: p.from.toISOString(), to: p.to.toISOString() });
      const team = by[0] === 'team';
      const key = team ? 'team' : 'owner';
      return {
        ...head,
        by: [key],
        columns: [
          col(key, 'dim'),
          col('assigned', 'count'),
          col('touched', 'count'),
          col('avgHoursToFirstTouch', 'count'),
          col('medianHoursToFirstTouch', 'count'),
          col('breaches', 'count', true),
          col('openBreaches', 'count'),
        ],
        rows: (team ? r.teams : r.reps).map(({ id, name: n, ...rest }) => ({ [key]: n, id, ...rest })),
      };
    }
  }
}

/** The start of the UTC month `k` months after the one containing `at`. */
function monthStart(at: Date, k = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + k, 1));
}

/**
 * The weighted pipeline and the funnel-math forecast for the months from `asOf`, then the backtest:
 * the same forecast made at each of the past month-ends for the month after it, against the
 * revenue actually won, with each method's error (forecast − actual).
 */
async function forecastTable(
  ctx: AppContext,
  workspaceId: string,
  currency: string,
  asOf: Date,
  months: number,
) {
  const ym = (d: Date) => d.toISOString().slice(0, 7);
  // The forecast now, then the same forecast made at each of the past `months` month-ends: all
  // moments' rates, forecasts and actuals in one query each.
  const past = Array.from({ length: months }, (_, i) => monthStart(asOf, i - months));
  const moments = [asOf, ...past];
  const rates = await forecastRatesAt(ctx, workspaceId, currency, moments);
  const [forecasts, actuals] = await Promise.all([
    forecastAtMany(
      ctx.db,
      workspaceId,
      currency,
      moments.map((at, k) => ({ asOf: at, months: k === 0 ? months : 1, rates: rates[k]! })),
    ),
    wonRevenueIn(
      ctx.db,
      workspaceId,
      currency,
      past.map((at) => ({ from: at, to: monthStart(at, 1) })),
    ),
  ]);
  const rows: Record<string, string | number | null>[] = (forecasts[0] ?? []).map((f) => ({
    section: 'forecast',
    month: ym(monthStart(asOf, f.month)),
    weighted: f.weighted,
    funnel: f.funnel,
    actual: null,
    weighted_error: null,
    funnel_error: null,
    deals: f.deals,
    leads: f.leads,
  }));
  past.forEach((at, i) => {
    const f = forecasts[i + 1]?.[0];
    const actual = actuals[i] ?? 0;
    rows.push({
      section: 'backtest',
      month: ym(at),
      weighted: f?.weighted ?? 0,
      funnel: f?.funnel ?? 0,
      actual,
      weighted_error: (f?.weighted ?? 0) - actual,
      funnel_error: (f?.funnel ?? 0) - actual,
      deals: f?.deals ?? 0,
      leads: f?.leads ?? 0,
    });
  });
  return {
    columns: [
      col('section', 'dim'),
      col('month', 'dim'),
      col('weighted', 'money', true),
      col('funnel', 'money', true),
      col('actual', 'money', true),
      col('weighted_error', 'money'),
      col('funnel_error', 'money'),
      col('deals', 'count', true),
      col('leads', 'count', true),
    ],
    rows,
  };
}

const toDrill = (kind: 'contact' | 'deal', r: { items: DrillRow[]; total: number }): DrillResultDto => ({
  total: r.total,
  items: r.items.map((x) => ({
    kind: x.kind ?? kind,
    id: x.id,
    name: x.name,
    at: x.at ? new Date(x.at).toISOString() : null,
    value: x.value === null ? null : Number(x.value),
  })),
});

function badColumn(name: string, column: string, allowed: readonly string[]): never {
  throw new ValidationError(`The ${name} report has no drill-down for ${column}`, {
    column: `must be one of ${allowed.join(', ')}`,
  });
}

/** The records behind one cell of a report: which rows and column the number counted. */
export async function drill(
  ctx: AppContext,
  workspaceId: string,
  name: ReportName,
  q: DrillQuery,
): Promise<DrillResultDto> {
  const by = checkBy(name, q.by);
  const p = periodOf(ctx, q);
  const stageOf = (raw: string | null | undefined) => {
    const s = STAGE_ORDER.find((x) => x === raw);
    if (!s) badColumn(name, String(raw), STAGE_ORDER);
    return s;
  };
  switch (name) {
    case 'funnel':
      return toDrill(
        'contact',
        await journeyContacts(ctx.db, workspaceId, by, q.row, p, q.mode, stageOf(q.column), q.limit),
      );
    case 'velocity':
      if (q.column !== 'reached') badColumn(name, q.column, ['reached']);
      return toDrill(
        'contact',
        await journeyContacts(ctx.db, workspaceId, by, q.row, p, 'cohort', stageOf(q.row.stage), q.limit),
      );
    case 'touches-to-close': {
      const cols = ['won_deals', 'contacts', 'customers'] as const;
      const c = cols.find((x) => x === q.column) ?? badColumn(name, q.column, cols);
      return toDrill(
        c === 'won_deals' ? 'deal' : 'contact',
        await bucketRecords(ctx.db, workspaceId, by, q.row, p, c, q.limit),
      );
    }
    case 'attribution': {
      const model =
        ATTRIBUTION_MODELS.find((m) => m === q.column) ?? badColumn(name, q.column, ATTRIBUTION_MODELS);
      const currency = await reportingCurrency(ctx.db, workspaceId);
      return toDrill(
        'deal',
        await attributionDeals(
          ctx.db,
          workspaceId,
          currency,
          by as AttributionDimension[],
          q.row,
          p,
          q.halfLifeDays,
          model as AttributionModel,
          q.limit,
        ),
      );
    }
    case 'roi': {
      const cols = ['leads', 'sqls', 'won'] as const;
      const c = cols.find((x) => x === q.column) ?? badColumn(name, q.column, cols);
      const dim = by[0] as AttributionDimension;
      return toDrill('contact', await roiLeads(ctx.db, workspaceId, dim, q.row[dim] ?? null, p, c, q.limit));
    }
    case 'forecast':
      return forecastDrill(ctx, workspaceId, q, p.to);
    case 'voice':
      if (q.column !== 'items') badColumn(name, q.column, ['items']);
      return toDrill(
        'contact',
        await voiceItems(ctx.db, workspaceId, by as VoiceDimension[], q.row, p, q.limit),
      );
    case 'sla': {
      if (q.column !== 'breaches') badColumn(name, q.column, ['breaches']);
      const r = await slaReport(ctx, workspaceId, { from: p.from.toISOString(), to: p.to.toISOString() });
      const team = by[0] === 'team';
      const label = q.row[team ? 'team' : 'owner'] ?? null;
      const ids = new Set((team ? r.teams : r.reps).filter((x) => x.name === label).map((x) => x.id));
      const items = r.breaches.filter((b) => ids.has((team ? b.teamId : b.userId) ?? ''));
      return {
        total: items.length,
        items: items.slice(0, q.limit).map((b) => ({
          kind: 'contact',
          id: b.contactId,
          name: b.contactName,
          at: b.breachedAt,
          value: null,
        })),
      };
    }
  }
  throw new NotFoundError('Report', name);
}

const FORECAST_DRILL = ['weighted', 'funnel', 'actual', 'deals', 'leads'] as const;

/**
 * The records behind one forecast cell. A `forecast` row is month k from the period's end (the
 * forecast made then); a `backtest` row is the forecast made at that month's start for the month.
 * weighted and deals list the open deals landing in the month with their stage probability; funnel
 * the open deals and leads with their conversion to won; leads only the leads; actual the deals won.
 */
async function forecastDrill(
  ctx: AppContext,
  workspaceId: string,
  q: DrillQuery,
  to: Date,
): Promise<DrillResultDto> {
  const column =
    FORECAST_DRILL.find((c) => c === q.column) ?? badColumn('forecast', q.column, FORECAST_DRILL);
  const ym = /^(\d{4})-(\d{2})$/.exec(q.row.month ?? '');
  const section = q.row.section;
  if (!ym || (section !== 'forecast' && section !== 'backtest'))
    throw new ValidationError('Choose a forecast row', {
      row: 'must name the section (forecast or backtest) and the month (YYYY-MM)',
    });
  const start = new Date(Date.UTC(Number(ym[1]), Number(ym[2]) - 1, 1));
  const asOf = section === 'forecast' ? to : start;
  const month =
    (start.getUTCFullYear() - asOf.getUTCFullYear()) * 12 + start.getUTCMonth() - asOf.getUTCMonth();
  const currency = await reportingCurrency(ctx.db, workspaceId);
  const shape = (r: { items: ForecastRecord[]; total: number }): DrillResultDto => ({
    total: r.total,
    items: r.items.map((x) => ({
      kind: x.kind,
      id: x.id,
      name: x.name,
      at: x.at ? new Date(x.at).toISOString() : null,
      value: x.value === null ? null : Number(x.value),
      stage: x.stage,
      probability: x.probability === null ? null : Number(x.probability),
    })),
  });
  if (column === 'actual') {
    if (section !== 'backtest')
      badColumn('forecast', 'actual of a forecast month', ['actual of a backtest month']);
    return shape(await wonDeals(ctx.db, workspaceId, currency, start, monthStart(start, 1), q.limit));
  }
  if (month < 0) return { total: 0, items: [] };
  const [rates] = await forecastRatesAt(ctx, workspaceId, currency, [asOf]);
  const which = column === 'deals' ? 'weighted' : column;
  return shape(await forecastRecords(ctx.db, workspaceId, currency, asOf, month, rates!, which, q.limit));
}

/** The table as CSV: a header of column keys, cells neutralised against spreadsheet formulas. */
export function reportCsv(table: ReportTableDto): string {
  const keys = table.columns.map((c) => c.key);
  return stringify([
    keys,
    ...table.rows.map((r) =>
      keys.map((k) => {
        const v = r[k];
        return v === null || v === undefined ? '' : typeof v === 'string' ? neutralise(v) : String(v);
      }),
    ),
  ]);
}
