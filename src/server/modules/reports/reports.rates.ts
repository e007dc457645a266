import type { AppContext } from '../../http/context.ts';
import type { FunnelRates } from './reports.forecast.repo.ts';
import { cohortCountsAt } from './reports.funnel.repo.ts';
import * as repo from './reports.repo.ts';

/**
 * The workspace's measured rates over a period: what the flywheel planner, quotas and the
 * funnel-math forecast work from. Each figure says whether it was measured or is a default
 * (too little history): the UI labels defaults as such.
 */

/** One figure: the value, whether it is a default, and how many records it was measured on. */
export interface MeasuredFigure {
  value: number;
  isDefault: boolean;
  sample: number;
}

export interface ChannelCostFigure {
  channel: string;
  /** Campaign cost in the period, reporting-currency minor units. */
  costMinor: number;
  leads: number;
  /** Cost per lead in reporting-currency minor units (a default 0 when the channel has no leads). */
  costPerLeadMinor: MeasuredFigure;
}

export interface MeasuredRates {
  workspaceId: string;
  from: string;
  to: string;
  /** The reporting currency every money figure is in (minor units). */
  currency: string;
  conversion: {
    leadToMql: MeasuredFigure;
    mqlToSql: MeasuredFigure;
    /** A qualified lead is one willing to receive a quotation: sql → opportunity is "quote sent". */
    sqlToOpportunity: MeasuredFigure;
    /** Quote → won (the source documents' "about 20 % of quotes close"). */
    opportunityToWon: MeasuredFigure;
    leadToOpportunity: MeasuredFigure;
    leadToWon: MeasuredFigure;
  };
  averageWonDealMinor: MeasuredFigure;
  /** Median days from first touch to won. */
  medianCycleDays: MeasuredFigure;
  /** Median touches (marketing and sales) before a win. */
  touchesToClose: MeasuredFigure;
  costPerLeadByChannel: ChannelCostFigure[];
  leadsPerMonth: MeasuredFigure;
  activeReps: MeasuredFigure;
  /** Qualified (sql) leads per rep per month: rep capacity. */
  qualifiedLeadsPerRepPerMonth: MeasuredFigure;
}

/**
 * Defaults when history is too thin. 10 qualified leads per rep per month, 20 % of quotes close and
 * 8 touches come from the source documents; the documents give no figure for the earlier funnel
 * steps or the cycle, so those are conservative seeds, equally labelled as defaults.
 */
export const RATE_DEFAULTS = {
  leadToMql: 0.5,
  mqlToSql: 0.6,
  sqlToOpportunity: 1,
  opportunityToWon: 0.2,
  cycleDays: 90,
  touchesToClose: 8,
  qualifiedLeadsPerRepPerMonth: 10,
} as const;

/** Fewer records than these and a figure falls back to its default. */
export const MIN_SAMPLE = { conversion: 20, won: 5 } as const;

function ratio(num: number, den: number, fallback: number): MeasuredFigure {
  return den >= MIN_SAMPLE.conversion
    ? { value: num / den, isDefault: false, sample: den }
    : { value: fallback, isDefault: true, sample: den };
}

/** Whole months (at least one) spanned by [from, to), by days / 30.4375. */
function monthsIn(from: Date, to: Date): number {
  return Math.max(1, (to.getTime() - from.getTime()) / (30.4375 * 86_400_000));
}

/** Stage-to-stage conversion of a cohort's counts (defaults where the sample is thin). */
export function conversionOf(stages: repo.CohortStageCounts): MeasuredRates['conversion'] {
  const d = RATE_DEFAULTS;
  const leadToMql = ratio(stages.mql, stages.lead, d.leadToMql);
  const mqlToSql = ratio(stages.sql, stages.mql, d.mqlToSql);
  const sqlToOpportunity = ratio(stages.opportunity, stages.sql, d.sqlToOpportunity);
  const opportunityToWon = ratio(stages.customer, stages.opportunity, d.opportunityToWon);
  const chain = (...f: MeasuredFigure[]): MeasuredFigure => ({
    value: f.reduce((p, x) => p * x.value, 1),
    isDefault: f.some((x) => x.isDefault),
    sample: stages.lead,
  });
  return {
    leadToMql,
    mqlToSql,
    sqlToOpportunity,
    opportunityToWon,
    leadToOpportunity: chain(leadToMql, mqlToSql, sqlToOpportunity),
    leadToWon: chain(leadToMql, mqlToSql, sqlToOpportunity, opportunityToWon),
  };
}

/** Deal size, cycle and touches of the period's won deals (defaults with too few wins). */
export function wonFiguresOf(
  won: repo.WonDealStats,
): Pick<MeasuredRates, 'averageWonDealMinor' | 'medianCycleDays' | 'touchesToClose'> {
  const d = RATE_DEFAULTS;
  return {
    averageWonDealMinor:
      won.converted >= MIN_SAMPLE.won
        ? { value: Math.round(won.avg_minor ?? 0), isDefault: false, sample: won.converted }
        : { value: Math.round(won.any_avg_minor ?? 0), isDefault: true, sample: won.converted },
    medianCycleDays:
      won.won >= MIN_SAMPLE.won && won.median_cycle_days !== null
        ? { value: won.median_cycle_days, isDefault: false, sample: won.won }
        : { value: d.cycleDays, isDefault: true, sample: won.won },
    touchesToClose:
      won.won >= MIN_SAMPLE.won && won.median_touches !== null && won.median_touches > 0
        ? { value: won.median_touches, isDefault: false, sample: won.won }
        : { value: d.touchesToClose, isDefault: true, sample: won.won },
  };
}

/**
 * The rates the funnel-math forecast uses, measured over the year before each moment (as
 * `measuredRates` would give them), all moments in two queries: the backtest needs one set per
 * past month-end.
 */
export async function forecastRatesAt(
  ctx: AppContext,
  workspaceId: string,
  currency: string,
  asOfs: readonly Date[],
): Promise<FunnelRates[]> {
  const windows = asOfs.map((to) => ({ from: new Date(to.getTime() - 365 * 86_400_000), to }));
  const [stages, won] = await Promise.all([
    cohortCountsAt(ctx.db, workspaceId, windows),
    repo.wonDealStatsAt(ctx.db, workspaceId, currency, windows, false),
  ]);
  return windows.map((_, k) => {
    const c = conversionOf(stages[k]!);
    const w = wonFiguresOf(won[k]!);
    return {
      leadToWon: c.leadToWon.value,
      mqlToWon: c.mqlToSql.value * c.sqlToOpportunity.value * c.opportunityToWon.value,
      sqlToWon: c.sqlToOpportunity.value * c.opportunityToWon.value,
      opportunityToWon: c.opportunityToWon.value,
      averageDealMinor: w.averageWonDealMinor.value,
      cycleDays: w.medianCycleDays.value,
    };
  });
}

/**
 * Measures the workspace's funnel over [from, to): conversion by cohort (contacts whose first touch
 * fell in the period, and the furthest stage each reached), won deals in the period (size in the
 * reporting currency, cycle, touches), cost per lead by channel, lead flow and rep capacity.
 */
export async function measuredRates(
  ctx: AppContext,
  workspaceId: string,
  period: { from: Date; to: Date },
): Promise<MeasuredRates> {
  const { from, to } = period;
  const db = ctx.db;
  const currency = await repo.reportingCurrency(db, workspaceId);
  const [stages, won, channels, reps] = await Promise.all([
    repo.cohortStageCounts(db, workspaceId, from, to),
    repo.wonDealStats(db, workspaceId, currency, from, to),
    repo.costAndLeadsByChannel(db, workspaceId, currency, from, to),
    repo.repCounts(db, workspaceId, from, to),
  ]);
  const conversion = conversionOf(stages);
  const wonFigures = wonFiguresOf(won);
  const d = RATE_DEFAULTS;
  const months = monthsIn(from, to);
  const repCount = reps.reps || reps.closers;
  const activeReps: MeasuredFigure =
    repCount > 0
      ? { value: repCount, isDefault: false, sample: repCount }
      : { value: 1, isDefault: true, sample: 0 };
  const capacity: MeasuredFigure =
    stages.sql >= MIN_SAMPLE.conversion && repCount > 0
      ? { value: stages.sql / months / repCount, isDefault: false, sample: stages.sql }
      : { value: d.qualifiedLeadsPerRepPerMonth, isDefault: true, sample: stages.sql };
  return {
    workspaceId,
    from: from.toISOString(),
    to: to.toISOString(),
    currency,
    conversion,
    ...wonFigures,
    costPerLeadByChannel: channels.map((c) => ({
      channel: c.channel,
      costMinor: Math.round(c.cost_minor),
      leads: c.leads,
      costPerLeadMinor:
        c.leads > 0
          ? { value: Math.round(c.cost_minor / c.leads), isDefault: false, sample: c.leads }
          : { value: 0, isDefault: true, sample: 0 },
    })),
    leadsPerMonth: { value: stages.lead / months, isDefault: false, sample: stages.lead },
    activeReps,
    qualifiedLeadsPerRepPerMonth: capacity,
  };
}
