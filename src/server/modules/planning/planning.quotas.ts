import type { Selectable } from 'kysely';
import type {
  AttainmentDto,
  QuotaBoardDto,
  QuotaDto,
  QuotaInput,
  RateValueDto,
  RepQuotaDto,
} from '../../../contracts/planning.ts';
import type { QuotasTable, TeamQuotasTable } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Db } from '../contacts/records.repo.ts';
import { iso } from '../contacts/records.ts';
import { dateOnly } from '../deals/deals.currency.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import type { PlannerRates } from './planning.flywheel.ts';
import { toRatesDto } from './planning.rates.ts';
import * as repo from './planning.repo.ts';
import { plannerRates } from './planning.service.ts';

/**
 * Quotas: a suggestion per rep from capacity × measured conversion × average deal size, adjusted by
 * the rep's territory; managers edit and approve; attainment compares quota with won and pipeline.
 */

/** A territory twice the average does not make a rep twice as fast: the factor stays in this range. */
export const TERRITORY_FACTOR = { min: 0.5, max: 1.5 } as const;

/** Splits an annual figure into four quarters that sum to it exactly (the remainder goes to Q4). */
export function evenQuarters(annual: number): [number, number, number, number] {
  const q = Math.floor(annual / 4);
  return [q, q, q, annual - 3 * q];
}

/**
 * Annual revenue one rep can close: qualified leads a month × 12 × qualified → quote × quote → won
 * × average deal.
 */
export function repAnnualCapacityMinor(r: PlannerRates, monthlyQualifiedLeads: number): number {
  return monthlyQualifiedLeads * 12 * r.qualifiedToQuote.value * r.quoteToWon.value * r.avgDealMinor.value;
}

/**
 * Territory potential relative to the average rep: (contacts + companies owned) / mean, clamped.
 * With no territories at all every rep is average (factor 1).
 */
export function territoryFactors(sizes: number[]): number[] {
  const mean = sizes.reduce((s, x) => s + x, 0) / Math.max(1, sizes.length);
  return sizes.map((x) =>
    mean > 0 ? Math.min(TERRITORY_FACTOR.max, Math.max(TERRITORY_FACTOR.min, x / mean)) : 1,
  );
}

function toQuotaDto(q: Selectable<QuotasTable> | Selectable<TeamQuotasTable>): QuotaDto {
  return {
    annualMinor: Number(q.annual_minor),
    quartersMinor: [q.q1_minor, q.q2_minor, q.q3_minor, q.q4_minor].map(Number),
    status: q.status,
    approvedBy: q.approved_by,
    approvedAt: q.approved_at ? iso(q.approved_at) : null,
  };
}

/** Reps see their own row; managers and admins see everyone. */
function seesAll(actor: Actor): boolean {
  return actor.role !== 'sales_rep';
}

interface Suggestion {
  row: repo.RepRow;
  capacity: RateValueDto;
  factor: number;
  suggestedMinor: number;
}

async function suggestions(db: Db, ws: string, rates: PlannerRates): Promise<Suggestion[]> {
  const reps = await repo.repsWithTerritory(db, ws);
  const factors = territoryFactors(reps.map((r) => r.contacts + r.companies));
  return reps.map((row, i) => {
    const capacity: RateValueDto =
      row.monthly_capacity !== null && row.monthly_capacity > 0
        ? { value: row.monthly_capacity, isDefault: false }
        : rates.repCapacity;
    const factor = factors[i] ?? 1;
    return {
      row,
      capacity,
      factor,
      suggestedMinor: Math.round(repAnnualCapacityMinor(rates, capacity.value) * factor),
    };
  });
}

export async function quotaBoard(ctx: AppContext, actor: Actor, year: number): Promise<QuotaBoardDto> {
  const ws = actor.workspaceId;
  const rates = await plannerRates(ctx, ws);
  const [sugg, quotas, teams, teamQuotas, planRevenueMinor] = await Promise.all([
    suggestions(ctx.db, ws, rates),
    repo.quotasOfYear(ctx.db, ws, year),
    repo.teams(ctx.db, ws),
    repo.teamQuotasOfYear(ctx.db, ws, year),
    repo.planRevenueOfYear(ctx.db, ws, year),
  ]);
  const byTeam = new Map(teamQuotas.map((q) => [q.team_id, q]));
  const byUser = new Map(quotas.map((q) => [q.user_id, q]));
  const reps: RepQuotaDto[] = sugg.map((s) => {
    const q = byUser.get(s.row.user_id);
    return {
      userId: s.row.user_id,
      name: s.row.name,
      teamIds: s.row.team_ids ?? [],
      capacity: s.capacity,
      territory: { contacts: s.row.contacts, companies: s.row.companies, factor: s.factor },
      suggestedMinor: s.suggestedMinor,
      suggestedQuartersMinor: evenQuarters(s.suggestedMinor),
      quota: q ? toQuotaDto(q) : null,
    };
  });
  const visible = seesAll(actor) ? reps : reps.filter((r) => r.userId === actor.userId);
  return {
    year,
    currency: rates.currency,
    rates: toRatesDto(rates),
    planRevenueMinor,
    reps: visible,
    teams: seesAll(actor)
      ? teams.map((t) => {
          const members = reps.filter((r) => r.teamIds.includes(t.id));
          const suggestedMinor = members.reduce((s, r) => s + r.suggestedMinor, 0);
          const own = byTeam.get(t.id);
          return {
            teamId: t.id,
            name: t.name,
            suggestedMinor,
            suggestedQuartersMinor: evenQuarters(suggestedMinor),
            quotaMinor: members.reduce((s, r) => s + (r.quota?.annualMinor ?? 0), 0),
            quota: own ? toQuotaDto(own) : null,
          };
        })
      : [],
  };
}

/** The four quarters of a quota input: given (they must add up to the year) or the year split evenly. */
function quartersOf(input: QuotaInput): [number, number, number, number] {
  const quarters = input.quartersMinor
    ? (input.quartersMinor as [number, number, number, number])
    : evenQuarters(input.annualMinor);
  const sum = quarters.reduce((s, x) => s + x, 0);
  if (sum !== input.annualMinor) {
    throw new ValidationError('The quarters do not add up to the year', {
      quartersMinor: `must sum to annualMinor (${input.annualMinor}), they sum to ${sum}`,
    });
  }
  return quarters;
}

type QuotaRow = Selectable<QuotasTable> | Selectable<TeamQuotasTable>;

/**
 * Writes a rep's or a team's quota and its audit entry in one transaction: `approve` approves it,
 * changing an approved quota without approving again puts it back to draft.
 */
async function writeQuota(
  ctx: AppContext,
  actor: Actor,
  target: {
    entityType: 'quota' | 'team_quota';
    find: (db: Db) => Promise<QuotaRow | undefined>;
    upsert: (db: Db, q: repo.QuotaWrite) => Promise<void>;
  },
  w: Omit<repo.QuotaWrite, 'approvedBy' | 'at' | 'by'>,
  approve: boolean,
): Promise<QuotaDto> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await target.find(trx);
    await target.upsert(trx, { ...w, approvedBy: approve ? actor.userId : null, at, by: actor.userId });
    const annualMinor = w.quarters.reduce((s, x) => s + x, 0);
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: `${target.entityType}_${approve ? 'approve' : 'set'}`,
      entityType: target.entityType,
      entityId: `${w.ownerId}/${w.year}`,
      diff: {
        annualMinor: [before ? Number(before.annual_minor) : null, annualMinor],
        quartersMinor: w.quarters,
        status: [before?.status ?? null, approve ? 'approved' : 'draft'],
      },
      at,
    });
    const after = await target.find(trx);
    if (!after) throw new Error('quota vanished inside its own transaction');
    return toQuotaDto(after);
  });
}

/** Sets (and with `approve`, approves) a rep's quota for a year. */
export async function setQuota(
  ctx: AppContext,
  actor: Actor,
  year: number,
  userId: string,
  input: QuotaInput,
): Promise<QuotaDto> {
  const ws = actor.workspaceId;
  const quarters = quartersOf(input);
  const rates = await plannerRates(ctx, ws);
  const rep = (await suggestions(ctx.db, ws, rates)).find((s) => s.row.user_id === userId);
  if (!rep) throw new NotFoundError('Sales rep', userId);
  return writeQuota(
    ctx,
    actor,
    {
      entityType: 'quota',
      find: (db) => repo.findQuota(db, ws, userId, year),
      upsert: (db, q) => repo.upsertQuota(db, ws, q),
    },
    { ownerId: userId, year, currency: rates.currency, quarters, suggestedMinor: rep.suggestedMinor },
    input.approve,
  );
}

/**
 * Sets (and with `approve`, approves) a team's own quota for a year; its suggestion is the sum of
 * its members' suggestions.
 */
export async function setTeamQuota(
  ctx: AppContext,
  actor: Actor,
  year: number,
  teamId: string,
  input: QuotaInput,
): Promise<QuotaDto> {
  const ws = actor.workspaceId;
  const quarters = quartersOf(input);
  if (!(await repo.teams(ctx.db, ws)).some((t) => t.id === teamId)) throw new NotFoundError('Team', teamId);
  const rates = await plannerRates(ctx, ws);
  const suggestedMinor = (await suggestions(ctx.db, ws, rates))
    .filter((s) => (s.row.team_ids ?? []).includes(teamId))
    .reduce((sum, s) => sum + s.suggestedMinor, 0);
  return writeQuota(
    ctx,
    actor,
    {
      entityType: 'team_quota',
      find: (db) => repo.findTeamQuota(db, ws, teamId, year),
      upsert: (db, q) => repo.upsertTeamQuota(db, ws, q),
    },
    { ownerId: teamId, year, currency: rates.currency, quarters, suggestedMinor },
    input.approve,
  );
}

/** Amounts per owner (reporting currency, converted in SQL as the reports do). */
const byOwner = (rows: repo.OwnerSumRow[]) =>
  new Map(rows.flatMap((r) => (r.owner_id ? [[r.owner_id, r.amount_minor] as const] : [])));

/** Quota, won, open pipeline and the gap per rep (and per team, for managers), for a year or one quarter of it. */
export async function attainment(
  ctx: AppContext,
  actor: Actor,
  q: { year?: number | undefined; quarter?: number | undefined },
): Promise<AttainmentDto> {
  const ws = actor.workspaceId;
  const now = ctx.clock.now();
  const year = q.year ?? now.getUTCFullYear();
  const quarter = q.quarter ?? null;
  const from = new Date(Date.UTC(year, quarter ? (quarter - 1) * 3 : 0, 1));
  const to = new Date(Date.UTC(year, quarter ? quarter * 3 : 12, 1));
  const currency = await repo.reportingCurrency(ctx.db, ws);
  const [reps, quotas, teams, teamQuotas, won, open] = await Promise.all([
    repo.repsWithTerritory(ctx.db, ws),
    repo.quotasOfYear(ctx.db, ws, year),
    repo.teams(ctx.db, ws),
    repo.teamQuotasOfYear(ctx.db, ws, year),
    repo.wonByOwner(ctx.db, ws, currency, from, to),
    repo.openByOwner(ctx.db, ws, currency, dateOnly(now)),
  ]);
  const wonBy = byOwner(won);
  const openBy = byOwner(open);
  const quotaBy = new Map(quotas.map((x) => [x.user_id, x]));
  const quotaOf = (qt: QuotaRow | undefined): number | null =>
    qt
      ? quarter
        ? Number([qt.q1_minor, qt.q2_minor, qt.q3_minor, qt.q4_minor][quarter - 1])
        : Number(qt.annual_minor)
      : null;
  const rows = reps
    .filter((r) => seesAll(actor) || r.user_id === actor.userId)
    .map((r) => {
      const qt = quotaBy.get(r.user_id);
      const quotaMinor = quotaOf(qt);
      const wonMinor = wonBy.get(r.user_id) ?? 0;
      return {
        userId: r.user_id,
        name: r.name,
        quotaMinor,
        quotaStatus: qt?.status ?? null,
        wonMinor,
        pipelineMinor: openBy.get(r.user_id) ?? 0,
        gapMinor: quotaMinor === null ? null : quotaMinor - wonMinor,
      };
    });
  const teamQuotaBy = new Map(teamQuotas.map((x) => [x.team_id, x]));
  const teamRows = seesAll(actor)
    ? teams.map((t) => {
        const members = reps.filter((r) => (r.team_ids ?? []).includes(t.id)).map((r) => r.user_id);
        const sum = (by: Map<string, number>) => members.reduce((s, id) => s + (by.get(id) ?? 0), 0);
        const qt = teamQuotaBy.get(t.id);
        const quotaMinor = quotaOf(qt);
        const wonMinor = sum(wonBy);
        return {
          teamId: t.id,
          name: t.name,
          quotaMinor,
          quotaStatus: qt?.status ?? null,
          wonMinor,
          pipelineMinor: sum(openBy),
          gapMinor: quotaMinor === null ? null : quotaMinor - wonMinor,
        };
      })
    : [];
  return { year, quarter, currency, rows, teams: teamRows };
}
