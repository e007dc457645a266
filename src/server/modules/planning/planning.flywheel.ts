/**
 * The flywheel planner's arithmetic: pure functions over a {@link PlannerRates} input, so the
 * backwards and forwards directions can be checked against each other without a database.
 * Amounts are minor units as JS numbers while computing (sums of a plan stay far below 2^53) and
 * are rounded once, at the end, where a figure becomes money to spend.
 */

/** A measured figure, or the source documents' default when the workspace's history is thin. */
export interface RateValue {
  value: number;
  isDefault: boolean;
}

export interface ChannelRate {
  channel: string;
  /** Cost of one lead from this channel, minor units of the reporting currency. */
  costPerLeadMinor: number;
  /** This channel's share of all leads (the shares of all channels sum to 1). */
  share: number;
  isDefault: boolean;
}

/** Everything the planner needs; built from the reports module's measured rates (or overrides). */
export interface PlannerRates {
  currency: string;
  /** lead → sales-qualified lead. */
  leadToQualified: RateValue;
  /** sales-qualified lead → quote sent. */
  qualifiedToQuote: RateValue;
  /** quote → won order. */
  quoteToWon: RateValue;
  /** Average won deal, minor units of `currency`. */
  avgDealMinor: RateValue;
  /** First touch → won, in days; the lag between spending on a lead and its revenue. */
  cycleDays: RateValue;
  /** Qualified leads one rep works per month (rep capacity). */
  repCapacity: RateValue;
  /** Touches (marketing and sales) it takes to close a deal. */
  touchesPerWin: RateValue;
  channels: ChannelRate[];
}

/** The source documents' figures, used where history is too thin (and labelled as defaults). */
export const DEFAULT_REP_CAPACITY = 10;
export const DEFAULT_QUOTE_TO_WON = 0.2;
export const DEFAULT_TOUCHES_PER_WIN = 8;

const DAYS_PER_MONTH = 365.25 / 12;

/** Cycle time as whole months of lag (a cycle under half a month closes in the month it starts). */
export function lagMonths(cycleDays: number): number {
  return Math.max(0, Math.round(cycleDays / DAYS_PER_MONTH));
}

/** Share of leads that become won orders. */
export function leadToWon(r: PlannerRates): number {
  return r.leadToQualified.value * r.qualifiedToQuote.value * r.quoteToWon.value;
}

/** Normalised channel mix: shares that sum to 1 (equal shares when none are given). */
export function channelMix(channels: ChannelRate[]): ChannelRate[] {
  const usable = channels.filter((c) => c.costPerLeadMinor >= 0);
  const total = usable.reduce((s, c) => s + Math.max(0, c.share), 0);
  return usable.map((c) => ({
    ...c,
    share: total > 0 ? Math.max(0, c.share) / total : 1 / usable.length,
  }));
}

/** What one lead costs on average at the channel mix. */
export function blendedCostPerLead(channels: ChannelRate[]): number {
  return channelMix(channels).reduce((s, c) => s + c.share * c.costPerLeadMinor, 0);
}

export interface ChannelPlan {
  channel: string;
  leads: number;
  budgetMinor: number;
  costPerLeadMinor: number;
  isDefault: boolean;
}

export interface BackwardsPlan {
  targetMinor: number;
  months: number;
  wins: number;
  quotes: number;
  qualifiedLeads: number;
  leads: number;
  touches: number;
  channels: ChannelPlan[];
  budgetMinor: number;
  reps: number;
  /** Leads must start arriving this many months before the period (the cycle time). */
  leadMonthsAhead: number;
}

function assertPositive(name: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${name} must be a positive number`);
}

/**
 * From a revenue target over `months`, back through the funnel: orders, quotes, qualified leads,
 * leads per channel, the marketing budget those leads cost and the reps who can work them.
 * Counts stay fractional (a plan of 12.5 quotes is honest); callers round for display.
 */
export function backwards(r: PlannerRates, targetMinor: number, months: number): BackwardsPlan {
  assertPositive('months', months);
  assertPositive('average deal size', r.avgDealMinor.value);
  assertPositive('lead to won rate', leadToWon(r));
  const wins = targetMinor / r.avgDealMinor.value;
  const quotes = wins / r.quoteToWon.value;
  const qualifiedLeads = quotes / r.qualifiedToQuote.value;
  const leads = qualifiedLeads / r.leadToQualified.value;
  const channels = channelMix(r.channels).map((c) => ({
    channel: c.channel,
    leads: leads * c.share,
    budgetMinor: Math.round(leads * c.share * c.costPerLeadMinor),
    costPerLeadMinor: c.costPerLeadMinor,
    isDefault: c.isDefault,
  }));
  return {
    targetMinor,
    months,
    wins,
    quotes,
    qualifiedLeads,
    leads,
    touches: wins * r.touchesPerWin.value,
    channels,
    budgetMinor: channels.reduce((s, c) => s + c.budgetMinor, 0),
    reps: Math.ceil(qualifiedLeads / (months * r.repCapacity.value) - 1e-9),
    leadMonthsAhead: lagMonths(r.cycleDays.value),
  };
}

interface ForwardsBase {
  months: number;
  /**
   * Revenue of the last completed period and its length in months. Its monthly average stands for
   * the deals already in flight: it is the revenue of the first cycle, before the plan's own leads
   * close, and the seed of the first month's reinvestment.
   */
  lastPeriodRevenueMinor?: number | undefined;
  lastPeriodMonths?: number | undefined;
}

export type ForwardsInput =
  | (ForwardsBase & { mode: 'budget'; monthlyBudgetMinor: number })
  | (ForwardsBase & {
      mode: 'reinvest';
      /** Share of the previous month's revenue spent on marketing, 0..1. */
      reinvestShare: number;
    });

export interface ForwardsMonth {
  /** 0-based month of the plan. */
  index: number;
  budgetMinor: number;
  leads: number;
  quotes: number;
  orders: number;
  revenueMinor: number;
}

/**
 * Month by month from a marketing budget: the budget buys leads at the blended cost per lead, and
 * those leads become quotes half a cycle later and orders one full cycle later (the measured cycle
 * time is the lag). In `reinvest` mode each month's budget is a share of the previous month's
 * revenue, which closes the loop: revenue funds marketing, marketing brings revenue a cycle later.
 * The deals already in flight are the last period's monthly average: they fill the first cycle
 * (quotes for half a cycle, orders and revenue for a whole one) until the plan's own leads close.
 */
export function forwards(r: PlannerRates, input: ForwardsInput): ForwardsMonth[] {
  assertPositive('months', input.months);
  const cpl = blendedCostPerLead(r.channels);
  assertPositive('cost per lead', cpl);
  const lag = lagMonths(r.cycleDays.value);
  const quoteLag = Math.floor(lag / 2);
  const toQuote = r.leadToQualified.value * r.qualifiedToQuote.value;
  const out: ForwardsMonth[] = [];
  const leadsAt = (m: number): number => (m >= 0 && m < out.length ? out[m]!.leads : 0);
  const seed = (input.lastPeriodRevenueMinor ?? 0) / Math.max(1, input.lastPeriodMonths ?? 12);
  const seedOrders = seed / r.avgDealMinor.value;
  const seedQuotes = seedOrders / r.quoteToWon.value;
  let previousRevenue = seed;
  for (let m = 0; m < input.months; m++) {
    const budgetMinor =
      input.mode === 'budget' ? input.monthlyBudgetMinor : Math.round(input.reinvestShare * previousRevenue);
    const leads = budgetMinor / cpl;
    out.push({ index: m, budgetMinor, leads, quotes: 0, orders: 0, revenueMinor: 0 });
    // Leads of this month are known now; quotes and orders come from leads `lag` months back
    // (with lag 0 that is this month's own leads).
    const row = out[m]!;
    row.quotes = leadsAt(m - quoteLag) * toQuote + (m < quoteLag ? seedQuotes : 0);
    row.orders = leadsAt(m - lag) * toQuote * r.quoteToWon.value + (m < lag ? seedOrders : 0);
    row.revenueMinor = Math.round(row.orders * r.avgDealMinor.value);
    previousRevenue = row.revenueMinor;
  }
  return out;
}

/** Revenue per unit of marketing spend once a cycle has passed (the flywheel's gain). */
export function revenuePerBudget(r: PlannerRates): number {
  return (leadToWon(r) * r.avgDealMinor.value) / blendedCostPerLead(r.channels);
}
