import type { PlanDto, PlanInput, PlanTargetDto } from '../../../contracts/planning.ts';
import type { AppContext } from '../../http/context.ts';
import { type FieldErrors, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './planning.repo.ts';

/**
 * The multi-year plan: targets per year and, optionally, market, segment and product (an empty
 * dimension means "all"). The current year's plan derives from it (the year's revenue target spread
 * over its months, and the quota board's plan figure); every cell is set against what happened.
 */

interface Figures {
  revenueMinor: number;
  customers: number;
  leads: number;
}
const ZERO: Figures = { revenueMinor: 0, customers: 0, leads: 0 };
const key = (year: number, market: string, product: string) => `${year}|${market}|${product}`;

/** A plan spans 3 to 5 years (the source documents' marketing strategy horizon). */
export const PLAN_YEARS = { min: 3, max: 5 } as const;

function checkRange(fromYear: number, toYear: number, max: number): FieldErrors {
  const span = toYear - fromYear + 1;
  if (span < 1) return { toYear: 'must not be before fromYear' };
  if (span > max) return { toYear: `must be at most ${max - 1} years after fromYear` };
  return {};
}

/** Measures what happened for each cell (segments are saved queries, not measured per cell). */
async function actuals(ctx: AppContext, ws: string, currency: string, cells: repo.Cell[]) {
  const [revenue, customers, leads] = await Promise.all([
    repo.cellRevenue(ctx.db, ws, currency, cells),
    repo.cellCustomers(ctx.db, ws, cells),
    repo.cellLeads(ctx.db, ws, cells),
  ]);
  const out = new Map<string, Figures>();
  const at = (c: repo.Cell) => {
    const k = key(c.year, c.market, c.product);
    const f = out.get(k) ?? { ...ZERO };
    out.set(k, f);
    return f;
  };
  for (const r of revenue) at(r).revenueMinor += r.amount_minor;
  for (const r of customers) at(r).customers = r.n;
  for (const r of leads) at(r).leads = r.n;
  return (c: repo.Cell): Figures => out.get(key(c.year, c.market, c.product)) ?? { ...ZERO };
}

export async function getPlan(
  ctx: AppContext,
  actor: Actor,
  q: { fromYear?: number | undefined; toYear?: number | undefined },
): Promise<PlanDto> {
  const ws = actor.workspaceId;
  const now = ctx.clock.now();
  const fromYear = q.fromYear ?? now.getUTCFullYear();
  const toYear = q.toYear ?? fromYear + PLAN_YEARS.max - 1;
  const bad = checkRange(fromYear, toYear, 10);
  if (Object.keys(bad).length) throw new ValidationError('The years do not make a range', bad);
  const currency = await repo.reportingCurrency(ctx.db, ws);
  const rows = await repo.planTargets(ctx.db, ws, fromYear, toYear);
  const years = Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
  const measured = rows.filter((r) => r.segment === '');
  // One cell per (year, market, product): a repeated cell would count its deals twice.
  const cells = [
    ...new Map(
      [
        ...years.map((year) => ({ year, market: '', product: '' })),
        ...measured.map((r) => ({ year: r.year, market: r.market, product: r.product })),
      ].map((c) => [key(c.year, c.market, c.product), c]),
    ).values(),
  ];
  const actual = await actuals(ctx, ws, currency, cells);
  const targets: PlanTargetDto[] = rows.map((r) => ({
    id: r.id,
    year: r.year,
    market: r.market,
    segment: r.segment,
    product: r.product,
    revenueMinor: Number(r.revenue_minor),
    customers: r.customers,
    leads: r.leads,
    actual: r.segment === '' ? actual(r) : null,
  }));
  const yearTarget = (year: number): Figures => {
    const own = targets.filter((t) => t.year === year);
    const total = own.find((t) => !t.market && !t.segment && !t.product);
    if (total) return { revenueMinor: total.revenueMinor, customers: total.customers, leads: total.leads };
    return own.reduce(
      (s, t) => ({
        revenueMinor: s.revenueMinor + t.revenueMinor,
        customers: s.customers + t.customers,
        leads: s.leads + t.leads,
      }),
      { ...ZERO },
    );
  };
  const thisYear = now.getUTCFullYear();
  return {
    currency,
    fromYear,
    toYear,
    targets,
    years: years.map((year) => ({
      year,
      target: yearTarget(year),
      actual: actual({ year, market: '', product: '' }),
    })),
    currentYear: await currentYearPlan(
      ctx,
      ws,
      currency,
      thisYear,
      (await repo.planRevenueOfYear(ctx.db, ws, thisYear)) ?? 0,
    ),
  };
}

/** The current year: the plan's revenue target spread evenly over its months, against won revenue. */
async function currentYearPlan(
  ctx: AppContext,
  ws: string,
  currency: string,
  year: number,
  targetMinor: number,
) {
  const byMonth = new Array<number>(12).fill(0);
  for (const r of await repo.wonByMonth(ctx.db, ws, currency, year)) byMonth[r.month - 1] = r.amount_minor;
  const monthly = Math.floor(targetMinor / 12);
  return {
    year,
    months: byMonth.map((actualRevenueMinor, m) => ({
      month: `${year}-${String(m + 1).padStart(2, '0')}`,
      // The remainder of the even split goes to December so the months sum to the year.
      planRevenueMinor: m === 11 ? targetMinor - 11 * monthly : monthly,
      actualRevenueMinor,
    })),
  };
}

/**
 * Replaces the plan's targets for [fromYear, toYear] (3 to 5 years) in one transaction with an
 * audit entry. Every target must fall in the range and each cell may appear once.
 */
export async function savePlan(ctx: AppContext, actor: Actor, input: PlanInput): Promise<PlanDto> {
  const ws = actor.workspaceId;
  const fields: FieldErrors = checkRange(input.fromYear, input.toYear, PLAN_YEARS.max);
  if (!fields.toYear && input.toYear - input.fromYear + 1 < PLAN_YEARS.min) {
    fields.toYear = `must make a plan of ${PLAN_YEARS.min} to ${PLAN_YEARS.max} years`;
  }
  const seen = new Map<string, number>();
  input.targets.forEach((t, i) => {
    if (t.year < input.fromYear || t.year > input.toYear) {
      fields[`targets.${i}.year`] = `must be between ${input.fromYear} and ${input.toYear}`;
    }
    const cell = `${t.year}|${t.market}|${t.segment}|${t.product}`;
    const first = seen.get(cell);
    if (first !== undefined)
      fields[`targets.${i}`] = `repeats the year, market, segment and product of targets.${first}`;
    else seen.set(cell, i);
  });
  if (Object.keys(fields).length) throw new ValidationError('The plan is not valid', fields);
  const currency = await repo.reportingCurrency(ctx.db, ws);
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await repo.deletePlanTargets(trx, ws, input.fromYear, input.toYear);
    await repo.insertPlanTargets(
      trx,
      ws,
      input.targets.map((t) => ({ ...t, id: newId('plt'), currency })),
      actor.userId,
      at,
    );
    await appendAudit(trx, {
      workspaceId: ws,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'plan_save',
      entityType: 'plan',
      entityId: `${input.fromYear}-${input.toYear}`,
      diff: { removed, targets: input.targets.length },
      at,
    });
  });
  return getPlan(ctx, actor, { fromYear: input.fromYear, toYear: input.toYear });
}
