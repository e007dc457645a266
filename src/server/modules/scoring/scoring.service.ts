import type { Transaction } from 'kysely';
import {
  DEFAULT_SCORING_MODEL,
  type RecomputeDto,
  type ScoreExplanation,
  type ScoreReason,
  type ScoringModel,
  type ScoringModelDto,
  scoringModelSchema,
  type Temperature,
} from '../../../contracts/scoring.ts';
import type { Database } from '../../db/types.ts';
import type { AppContext } from '../../http/context.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit, appendAuditMany } from '../governance/governance.repo.ts';
import { changeStage, promoteToMql } from '../lifecycle/lifecycle.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import type { RecomputeScoresData } from './scoring.jobs.ts';
import * as repo from './scoring.repo.ts';

export type { ScoredTouch } from './scoring.repo.ts';

type Db = AppContext['db'] | Transaction<Database>;

export interface LoadedModel {
  model: ScoringModel;
  version: number;
  isDefault: boolean;
  updatedAt: Date | null;
}

/** The workspace's saved model, or the shipped defaults (version 0) when none was saved. */
export async function loadModel(db: Db, workspaceId: string): Promise<LoadedModel> {
  const row = await repo.findModel(db, workspaceId);
  if (!row) return { model: DEFAULT_SCORING_MODEL, version: 0, isDefault: true, updatedAt: null };
  return {
    model: scoringModelSchema.parse(row.model),
    version: row.version,
    isDefault: false,
    updatedAt: row.updated_at,
  };
}

export function toModelDto(m: LoadedModel): ScoringModelDto {
  return {
    model: m.model,
    version: m.version,
    isDefault: m.isDefault,
    updatedAt: m.updatedAt ? new Date(m.updatedAt).toISOString() : null,
  };
}

/**
 * Saves a workspace's model (already validated by scoringModelSchema) and starts a full recompute
 * with progress, both in one transaction with the audit row: the job exists only if the model does.
 */
export async function saveScoringModel(
  ctx: AppContext,
  actor: Actor,
  model: ScoringModel,
): Promise<{ model: ScoringModelDto; recompute: RecomputeDto }> {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await loadModel(trx, actor.workspaceId);
    const at = ctx.clock.now();
    const version = await repo.saveModel(trx, actor.workspaceId, model, actor.userId, at);
    const id = newId('scr', at.getTime());
    await repo.insertRecompute(trx, {
      workspaceId: actor.workspaceId,
      id,
      modelVersion: version,
      total: await repo.countContacts(trx, actor.workspaceId),
      at,
    });
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'scoring_model_update',
      entityType: 'scoring_model',
      entityId: actor.workspaceId,
      diff: { version: { from: before.version, to: version } },
      at,
    });
    await ctx.queue.enqueue(trx, recomputeJobRef, { workspaceId: actor.workspaceId, recomputeId: id });
    const rc = await repo.findRecompute(trx, actor.workspaceId, id);
    return {
      model: toModelDto({ model, version, isDefault: false, updatedAt: at }),
      recompute: toRecomputeDto(rc!),
    };
  });
}

/** The job's name and payload type, for enqueueing (the worker's definition is in scoring.jobs.ts). */
const recomputeJobRef: JobDefinition<RecomputeScoresData> = {
  name: 'recomputeScores',
  run: async () => undefined,
};

export function toRecomputeDto(r: repo.RecomputeRow): RecomputeDto {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.id,
    modelVersion: r.model_version,
    status: r.status,
    total: r.total,
    processed: r.processed,
    changed: r.changed,
    createdAt: new Date(r.created_at).toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

export async function latestRecompute(ctx: AppContext, workspaceId: string): Promise<RecomputeDto | null> {
  const r = await repo.latestRecompute(ctx.db, workspaceId);
  return r ? toRecomputeDto(r) : null;
}

export interface RescoreOptions {
  /** Touches just written for these contacts: their engagement points are added. */
  touches?: repo.ScoredTouch[];
  /** Who caused it, for the history rows (default: the scoring system). */
  actor?: { userId: string | null; label: string };
}

/**
 * Brings these contacts' score and temperature up to date, in the caller's transaction: fit from
 * the current fields, engagement decayed to now plus what `opts.touches` add. Set-based (a couple of
 * statements for a whole batch). Temperature changes are written to each contact's history, and
 * contacts whose score reached the MQL threshold go to {@link onMqlThresholdReached}.
 * Called by the touches service (writeTouches) and the contacts service (field changes).
 */
export async function rescoreContacts(
  trx: Transaction<Database>,
  ctx: AppContext,
  workspaceId: string,
  contactIds: string[],
  opts: RescoreOptions = {},
): Promise<repo.ScoreChange[]> {
  const ids = [...new Set(contactIds)];
  if (!ids.length) return [];
  const { model } = await loadModel(trx, workspaceId);
  const now = ctx.clock.now();
  const touches = opts.touches ?? [];
  const changes = await repo.scoreContacts(
    trx,
    workspaceId,
    model,
    now,
    ids,
    touches.length ? { kind: 'delta', touches } : { kind: 'keep' },
  );
  await afterScoring(trx, ctx, workspaceId, model, changes, now, opts.actor);
  return changes;
}

/** Rescores every contact of a company whose fields changed (in batches, same transaction). */
export async function rescoreCompanyContacts(
  trx: Transaction<Database>,
  ctx: AppContext,
  workspaceId: string,
  companyId: string,
  actor?: RescoreOptions['actor'],
): Promise<void> {
  const ids = await repo.companyContactIds(trx, workspaceId, companyId);
  for (let i = 0; i < ids.length; i += 5000) {
    await rescoreContacts(trx, ctx, workspaceId, ids.slice(i, i + 5000), actor ? { actor } : {});
  }
}

/**
 * History rows for temperature changes, and the MQL hand-off: shared by every scoring path. `bulk`
 * (the full recompute) moves stages set-based and leaves routing to a job.
 */
export async function afterScoring(
  trx: Transaction<Database>,
  ctx: AppContext,
  workspaceId: string,
  model: ScoringModel,
  changes: repo.ScoreChange[],
  at: Date,
  actor: RescoreOptions['actor'] = { userId: null, label: 'system' },
  opts: { bulk?: boolean } = {},
): Promise<void> {
  await appendAuditMany(
    trx,
    changes
      .filter((c) => c.old_temperature !== c.temperature)
      .map((c) => ({
        workspaceId,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: 'temperature_change',
        entityType: 'contact',
        entityId: c.id,
        diff: {
          temperature: { from: c.old_temperature, to: c.temperature },
          score: { from: c.old_score, to: c.score },
        },
        at,
      })),
  );
  const mql = model.thresholds.mql;
  const reached = changes.filter((c) => !c.deleted && c.old_score < mql && c.score >= mql).map((c) => c.id);
  if (!reached.length) return;
  // A recompute can make thousands of MQLs at once: their stages move set-based and routing follows
  // in a job; a touch or a field change routes its lead at once, in its own transaction.
  if (opts.bulk) await promoteToMql(trx, ctx, { workspaceId, contactIds: reached, actorLabel: 'scoring' });
  else await onMqlThresholdReached(trx, ctx, workspaceId, reached);
}

/**
 * The hand-off to lifecycle: contacts whose score just rose to the MQL threshold or above become
 * `mql` (cause `rule`). changeStage skips backward moves for rules, so a contact already past `mql`
 * (or disqualified) stays where it is. Deleted contacts (a recompute scores them too) are left alone.
 */
export async function onMqlThresholdReached(
  trx: Transaction<Database>,
  ctx: AppContext,
  workspaceId: string,
  contactIds: string[],
): Promise<void> {
  for (const contactId of contactIds) {
    await changeStage(trx, ctx, { workspaceId, contactId, to: 'mql', cause: 'rule', actorLabel: 'scoring' });
  }
}

/** Score of stored parts at a moment: fit + engagement decayed from score_at, rounded half up, 0–100. */
export function liveScore(
  model: ScoringModel,
  s: repo.StoredScore,
  now: Date,
): { score: number; engagement: number } {
  const ageMs = s.score_at ? now.getTime() - new Date(s.score_at).getTime() : 0;
  const engagement = s.score_engagement * 2 ** (-ageMs / (model.engagement.halfLifeDays * 86_400_000));
  return { score: Math.min(100, Math.max(0, Math.floor(s.score_fit + engagement + 0.5))), engagement };
}

export function temperatureOf(model: ScoringModel, score: number): Temperature {
  return score >= model.thresholds.hot ? 'hot' : score >= model.thresholds.warm ? 'warm' : 'cold';
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Why a contact has its score: every fit and negative rule that fires with its points, and the
 * engagement per touch type with the points earned (after caps) and what is left after decay. The
 * caller has checked that the actor may see the contact.
 */
export async function explainScore(
  ctx: AppContext,
  workspaceId: string,
  contactId: string,
): Promise<ScoreExplanation> {
  const { model } = await loadModel(ctx.db, workspaceId);
  const now = ctx.clock.now();
  const fired = await repo.firedRules(ctx.db, workspaceId, contactId, model);
  if (!fired) throw new NotFoundError('Contact', contactId);
  const byType = await repo.engagementByType(ctx.db, workspaceId, contactId, model, now);
  const reasons: ScoreReason[] = [];
  let fit = 0;
  for (const rule of model.fit) {
    if (!fired.fired.includes(rule.id)) continue;
    fit += rule.points;
    reasons.push({
      kind: rule.points < 0 ? 'negative' : 'fit',
      rule: rule.id,
      label: rule.label,
      points: rule.points,
    });
  }
  let earned = 0;
  let engagement = 0;
  for (const t of byType) {
    if (t.points <= 0) continue;
    earned += t.points;
    engagement += t.decayed;
    reasons.push({
      kind: 'engagement',
      rule: t.type,
      label: t.type,
      points: t.points,
      decayedPoints: round1(t.decayed),
      touches: t.touches,
    });
  }
  const score = Math.min(100, Math.max(0, Math.floor(fit + engagement + 0.5)));
  return {
    contactId,
    score,
    temperature: temperatureOf(model, score),
    fit,
    engagement: round1(engagement),
    decay: round1(earned - engagement),
    halfLifeDays: model.engagement.halfLifeDays,
    thresholds: model.thresholds,
    reasons,
    at: now.toISOString(),
  };
}
