import type {
  BackwardsInput,
  BackwardsPlanDto,
  ForwardsInputDto,
  ForwardsPlanDto,
  PlannerRatesDto,
  RateOverrides,
} from '../../../contracts/planning.ts';
import type { AppContext } from '../../http/context.ts';
import { ValidationError } from '../../lib/errors.ts';
import { wonRevenue } from '../reports/reports.forecast.repo.ts';
import { measuredRates } from '../reports/reports.rates.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import {
  backwards,
  blendedCostPerLead,
  forwards,
  lagMonths,
  type PlannerRates,
} from './planning.flywheel.ts';
import { toPlannerRates, toRatesDto } from './planning.rates.ts';

/** The flywheel planner as a service: measured rates in, plans out (nothing is stored). */

const YEAR_MS = 365 * 86_400_000;

/** The measuring window: the twelve months up to now. */
export function lastYear(now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - YEAR_MS), to: now };
}

export async function plannerRates(
  ctx: AppContext,
  ws: string,
  overrides?: RateOverrides,
): Promise<PlannerRates> {
  const measured = await measuredRates(ctx, ws, lastYear(ctx.clock.now()));
  return toPlannerRates(measured, overrides);
}

/**
 * The planner needs a deal size and a cost per lead to get anywhere; a workspace with no won deals
 * or no campaign costs has neither, and there is no honest default for money: ask for it, naming
 * the override field to fill in.
 */
function requireMoneyRates(r: PlannerRates, needCostPerLead: boolean): void {
  const fields: Record<string, string> = {};
  if (!(r.avgDealMinor.value > 0)) {
    fields['overrides.avgDealMinor'] = 'no won deals were measured: enter an average deal size';
  }
  if (needCostPerLead && !(blendedCostPerLead(r.channels) > 0)) {
    fields['overrides.costPerLeadMinor'] =
      'no campaign cost per lead was measured: enter a cost per lead for a channel';
  }
  if (Object.keys(fields).length)
    throw new ValidationError('The planner needs figures the workspace has not measured', fields);
}

export async function getRates(ctx: AppContext, actor: Actor): Promise<PlannerRatesDto> {
  return toRatesDto(await plannerRates(ctx, actor.workspaceId));
}

export async function planBackwards(
  ctx: AppContext,
  actor: Actor,
  input: BackwardsInput,
): Promise<BackwardsPlanDto> {
  const rates = await plannerRates(ctx, actor.workspaceId, input.overrides);
  requireMoneyRates(rates, false);
  return { rates: toRatesDto(rates), ...backwards(rates, input.targetMinor, input.months) };
}

/** `YYYY-MM` of the month `offset` months after the month of `now` (UTC). */
export function monthLabel(now: Date, offset: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
}

export async function planForwards(
  ctx: AppContext,
  actor: Actor,
  input: ForwardsInputDto,
): Promise<ForwardsPlanDto> {
  if (input.mode === 'budget' && input.monthlyBudgetMinor === undefined) {
    throw new ValidationError('A monthly budget is needed', {
      monthlyBudgetMinor: 'is required when mode is budget',
    });
  }
  if (input.mode === 'reinvest' && input.reinvestPercent === undefined) {
    throw new ValidationError('A reinvestment share is needed', {
      reinvestPercent: 'is required when mode is reinvest',
    });
  }
  const ws = actor.workspaceId;
  const rates = await plannerRates(ctx, ws, input.overrides);
  requireMoneyRates(rates, true);
  const now = ctx.clock.now();
  const period = lastYear(now);
  const lastPeriodRevenueMinor = await wonRevenue(ctx.db, ws, rates.currency, period.from, period.to);
  const months = forwards(
    rates,
    input.mode === 'budget'
      ? {
          mode: 'budget',
          months: input.months,
          monthlyBudgetMinor: input.monthlyBudgetMinor ?? 0,
          lastPeriodRevenueMinor,
          lastPeriodMonths: 12,
        }
      : {
          mode: 'reinvest',
          months: input.months,
          reinvestShare: (input.reinvestPercent ?? 0) / 100,
          lastPeriodRevenueMinor,
          lastPeriodMonths: 12,
        },
  );
  return {
    rates: toRatesDto(rates),
    lagMonths: lagMonths(rates.cycleDays.value),
    lastPeriodRevenueMinor,
    months: months.map((m) => ({
      month: monthLabel(now, m.index + 1),
      budgetMinor: m.budgetMinor,
      leads: m.leads,
      quotes: m.quotes,
      orders: m.orders,
      revenueMinor: m.revenueMinor,
    })),
  };
}
