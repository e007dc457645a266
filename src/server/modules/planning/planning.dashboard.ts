import type { DashboardDto, LoopFiguresDto } from '../../../contracts/planning.ts';
import type { AppContext } from '../../http/context.ts';
import { dateOnly } from '../deals/deals.currency.ts';
import { inbox, inboxTotal } from '../lifecycle/lifecycle.leads.ts';
import { wonRevenue } from '../reports/reports.forecast.repo.ts';
import { costAndLeadsByChannel } from '../reports/reports.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import { attainment } from './planning.quotas.ts';
import * as repo from './planning.repo.ts';

/**
 * The home screen per role. The owner (admins, sales managers, service) sees the loop: marketing
 * spend → leads → quotes → orders and revenue, this period against the last. Marketing sees leads
 * and cost per lead by channel. A rep sees their inbox (open leads waiting), their quota attainment
 * and their open pipeline.
 */

export type Period = 'month' | 'quarter';

/** Inbox items the rep's home screen lists; the rest are a click away in "My leads". */
export const DASHBOARD_INBOX_ITEMS = 5;

/** The current period (to date) and the whole previous one, in UTC. */
export function periods(now: Date, period: Period) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const start = period === 'month' ? m : m - (m % 3);
  const len = period === 'month' ? 1 : 3;
  return {
    current: { from: new Date(Date.UTC(y, start, 1)), to: now },
    previous: { from: new Date(Date.UTC(y, start - len, 1)), to: new Date(Date.UTC(y, start, 1)) },
  };
}

type Range = { from: Date; to: Date };

async function channels(ctx: AppContext, ws: string, currency: string, r: Range) {
  return costAndLeadsByChannel(ctx.db, ws, currency, r.from, r.to);
}

async function loop(ctx: AppContext, ws: string, currency: string, r: Range): Promise<LoopFiguresDto> {
  const [byChannel, quotes, won, revenueMinor] = await Promise.all([
    channels(ctx, ws, currency, r),
    repo.quotesSent(ctx.db, ws, r.from, r.to),
    repo.wonByOwner(ctx.db, ws, currency, r.from, r.to),
    wonRevenue(ctx.db, ws, currency, r.from, r.to),
  ]);
  return {
    spendMinor: Math.round(byChannel.reduce((s, c) => s + c.cost_minor, 0)),
    leads: byChannel.reduce((s, c) => s + c.leads, 0),
    quotes,
    orders: won.reduce((s, w) => s + w.deals, 0),
    revenueMinor,
  };
}

const viewOf = (actor: Actor): DashboardDto['view'] =>
  actor.role === 'marketing' ? 'marketing' : actor.role === 'sales_rep' ? 'rep' : 'owner';

export async function dashboard(ctx: AppContext, actor: Actor, period: Period): Promise<DashboardDto> {
  const ws = actor.workspaceId;
  const now = ctx.clock.now();
  const { current, previous } = periods(now, period);
  const currency = await repo.reportingCurrency(ctx.db, ws);
  const view = viewOf(actor);
  const range = (r: Range) => ({ from: r.from.toISOString(), to: r.to.toISOString() });
  const base: DashboardDto = {
    view,
    currency,
    period: range(current),
    previous: range(previous),
    loop: null,
    planRevenueMinor: null,
    channels: null,
    mine: null,
  };
  if (view === 'rep') {
    const year = now.getUTCFullYear();
    const quarter = period === 'quarter' ? Math.floor(now.getUTCMonth() / 3) + 1 : undefined;
    const [att, stages, leads, total] = await Promise.all([
      attainment(ctx, actor, { year, quarter }),
      repo.openByStage(ctx.db, ws, actor.userId, currency, dateOnly(now)),
      inbox(ctx, actor, { scope: 'mine' }, DASHBOARD_INBOX_ITEMS),
      inboxTotal(ctx, actor, { scope: 'mine' }),
    ]);
    const pipeline = stages.map((s) => ({ stage: s.stage, deals: s.deals, amountMinor: s.amount_minor }));
    return {
      ...base,
      mine: {
        quota: att.rows.find((r) => r.userId === actor.userId) ?? null,
        pipeline,
        inbox: { total, items: leads },
      },
    };
  }
  const [cur, prev] = await Promise.all([
    loop(ctx, ws, currency, current),
    loop(ctx, ws, currency, previous),
  ]);
  const planRevenueMinor = await repo.planRevenueOfYear(ctx.db, ws, now.getUTCFullYear());
  if (view === 'owner') return { ...base, loop: { current: cur, previous: prev }, planRevenueMinor };
  const [chNow, chPrev] = await Promise.all([
    channels(ctx, ws, currency, current),
    channels(ctx, ws, currency, previous),
  ]);
  const names = [...new Set([...chNow, ...chPrev].map((c) => c.channel))].sort();
  const cpl = (c: { cost_minor: number; leads: number } | undefined) =>
    c && c.leads > 0 ? Math.round(c.cost_minor / c.leads) : null;
  return {
    ...base,
    loop: { current: cur, previous: prev },
    planRevenueMinor,
    channels: names.map((channel) => {
      const a = chNow.find((c) => c.channel === channel);
      const b = chPrev.find((c) => c.channel === channel);
      return {
        channel,
        leads: a?.leads ?? 0,
        previousLeads: b?.leads ?? 0,
        costPerLeadMinor: cpl(a),
        previousCostPerLeadMinor: cpl(b),
      };
    }),
  };
}
