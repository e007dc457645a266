import type { PlannerRatesDto, RateOverrides } from '../../../contracts/planning.ts';
import type { MeasuredFigure, MeasuredRates } from '../reports/reports.rates.ts';
import type { ChannelRate, PlannerRates, RateValue } from './planning.flywheel.ts';

/**
 * The bridge from the reports module's measured rates to the planner's inputs, with what the user
 * typed over them. A figure the user typed is no longer a default; a default stays labelled so the
 * UI can say "default" next to it.
 */

const figure = (f: MeasuredFigure): RateValue => ({ value: f.value, isDefault: f.isDefault });
const typed = (value: number): RateValue => ({ value, isDefault: false });

function pick(measured: RateValue, override: number | undefined): RateValue {
  return override === undefined ? measured : typed(override);
}

/**
 * Channel mix: each channel's share of the measured leads, at its measured cost per lead. Typed
 * costs replace measured ones; a typed channel the workspace has no leads from joins with no share
 * unless there are no measured leads at all (then every channel gets an equal share).
 */
function channels(m: MeasuredRates, costs: Record<string, number> | undefined): ChannelRate[] {
  const measured = m.costPerLeadByChannel.filter((c) => c.leads > 0 || costs?.[c.channel] !== undefined);
  const out: ChannelRate[] = measured.map((c) => ({
    channel: c.channel,
    costPerLeadMinor: costs?.[c.channel] ?? c.costPerLeadMinor.value,
    share: c.leads,
    isDefault: costs?.[c.channel] === undefined && c.costPerLeadMinor.isDefault,
  }));
  for (const [channel, cost] of Object.entries(costs ?? {})) {
    if (!out.some((c) => c.channel === channel))
      out.push({ channel, costPerLeadMinor: cost, share: 0, isDefault: false });
  }
  return out;
}

export function toPlannerRates(m: MeasuredRates, o: RateOverrides = {}): PlannerRates {
  const c = m.conversion;
  const leadToQualified: RateValue = {
    value: c.leadToMql.value * c.mqlToSql.value,
    isDefault: c.leadToMql.isDefault || c.mqlToSql.isDefault,
  };
  return {
    currency: m.currency,
    leadToQualified: pick(leadToQualified, o.leadToQualified),
    qualifiedToQuote: pick(figure(c.sqlToOpportunity), o.qualifiedToQuote),
    quoteToWon: pick(figure(c.opportunityToWon), o.quoteToWon),
    avgDealMinor: pick(figure(m.averageWonDealMinor), o.avgDealMinor),
    cycleDays: pick(figure(m.medianCycleDays), o.cycleDays),
    repCapacity: pick(figure(m.qualifiedLeadsPerRepPerMonth), o.repCapacity),
    touchesPerWin: pick(figure(m.touchesToClose), o.touchesPerWin),
    channels: channels(m, o.costPerLeadMinor),
  };
}

/** The DTO: channel shares normalised to sum to 1 (what the UI shows as the mix). */
export function toRatesDto(r: PlannerRates): PlannerRatesDto {
  const total = r.channels.reduce((s, c) => s + c.share, 0);
  return {
    ...r,
    channels: r.channels.map((c) => ({
      ...c,
      share: total > 0 ? c.share / total : r.channels.length ? 1 / r.channels.length : 0,
    })),
  };
}
