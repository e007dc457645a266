import {
  DEFAULT_LOST_REASONS,
  type DealSettingsDto,
  type DealSettingsUpdate,
  type PipelineCreate,
  type PipelineDto,
  type StageCreate,
  type StageDto,
  type StageUpdate,
} from '../../../contracts/deals.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db } from '../contacts/records.repo.ts';
import { appendAudit } from '../governance/governance.repo.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './deals.pipelines.repo.ts';

/** Pipelines, stages and deal settings. Every workspace gets the default pipeline on first use. */

export const DEFAULT_STAGES: { key: string; name: string }[] = [
  { key: 'qualified', name: 'Qualified' },
  { key: 'quote_sent', name: 'Quote sent' },
  { key: 'negotiation', name: 'Negotiation' },
];

/**
 * The default probability of open stage `index` (0-based) of `count` open stages: evenly spaced
 * between 0 and 100 by stage order (3 stages → 25, 50, 75). Won is 100, lost 0.
 */
export function defaultProbability(index: number, count: number): number {
  return Math.round(((index + 1) * 100) / (count + 1));
}

export function toStageDto(s: repo.StageRow): StageDto {
  return {
    id: s.id,
    pipelineId: s.pipeline_id,
    key: s.key,
    name: s.name,
    position: s.position,
    probability: s.probability,
    kind: s.kind,
  };
}

function stageRows(
  pipelineId: string,
  open: { key: string; name: string; probability?: number | undefined }[],
  at: Date,
): (repo.StageRow & { at: Date })[] {
  const rows: (repo.StageRow & { at: Date })[] = open.map((s, i) => ({
    id: newId('stg', at.getTime()),
    pipeline_id: pipelineId,
    key: s.key,
    name: s.name,
    position: i,
    probability: s.probability ?? defaultProbability(i, open.length),
    kind: 'open' as const,
    at,
  }));
  rows.push(
    {
      id: newId('stg', at.getTime()),
      pipeline_id: pipelineId,
      key: 'won',
      name: 'Won',
      position: open.length,
      probability: 100,
      kind: 'won',
      at,
    },
    {
      id: newId('stg', at.getTime()),
      pipeline_id: pipelineId,
      key: 'lost',
      name: 'Lost',
      position: open.length + 1,
      probability: 0,
      kind: 'lost',
      at,
    },
  );
  return rows;
}

/**
 * The workspace's default pipeline, created with the default stages on first use. Safe under
 * concurrency: the loser of a creation race reads the winner's pipeline.
 */
export async function ensureDefaultPipeline(
  db: Db,
  workspaceId: string,
  at: Date,
): Promise<repo.PipelineRow> {
  const existing = await repo.findDefaultPipeline(db, workspaceId);
  if (existing) return existing;
  const id = newId('pip', at.getTime());
  const inserted = await repo.insertPipeline(db, {
    workspaceId,
    id,
    name: 'Sales',
    isDefault: true,
    position: 0,
    at,
  });
  if (inserted) await repo.insertStages(db, workspaceId, stageRows(id, DEFAULT_STAGES, at));
  const row = await repo.findDefaultPipeline(db, workspaceId);
  if (!row) throw new Error('default pipeline missing after creation');
  return row;
}

async function withStages(
  db: Db,
  workspaceId: string,
  pipelines: repo.PipelineRow[],
): Promise<PipelineDto[]> {
  const stages = await repo.listStages(
    db,
    workspaceId,
    pipelines.map((p) => p.id),
  );
  return pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.is_default,
    stages: stages.filter((s) => s.pipeline_id === p.id).map(toStageDto),
  }));
}

export async function listPipelines(ctx: AppContext, actor: Actor): Promise<PipelineDto[]> {
  return ctx.db.transaction().execute(async (trx) => {
    await ensureDefaultPipeline(trx, actor.workspaceId, ctx.clock.now());
    return withStages(trx, actor.workspaceId, await repo.listPipelines(trx, actor.workspaceId));
  });
}

export async function getPipeline(db: Db, workspaceId: string, id: string): Promise<PipelineDto> {
  const p = await repo.findPipeline(db, workspaceId, id);
  if (!p) throw new NotFoundError('Pipeline', id);
  const [dto] = await withStages(db, workspaceId, [p]);
  return dto!;
}

function audit(
  trx: Db,
  actor: Actor,
  action: string,
  entityType: string,
  entityId: string,
  diff: Record<string, unknown>,
  at: Date,
) {
  return appendAudit(trx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    actorLabel: actor.email,
    action,
    entityType,
    entityId,
    diff,
    at,
  });
}

/** A new pipeline with its open stages (default: the default stages), then won and lost. */
export async function createPipeline(
  ctx: AppContext,
  actor: Actor,
  input: PipelineCreate,
): Promise<PipelineDto> {
  const open = input.stages ?? DEFAULT_STAGES;
  const keys = open.map((s) => s.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new ValidationError('Stage keys repeat', { stages: `key ${dup} appears twice` });
  const reserved = keys.find((k) => k === 'won' || k === 'lost');
  if (reserved)
    throw new ValidationError('Reserved stage key', { stages: `${reserved} is added by Tandem itself` });
  return ctx.db.transaction().execute(async (trx) => {
    const at = ctx.clock.now();
    await ensureDefaultPipeline(trx, actor.workspaceId, at);
    if (await repo.pipelineNameTaken(trx, actor.workspaceId, input.name)) {
      throw new ConflictError('A pipeline with this name exists', undefined, { name: 'is taken' });
    }
    const id = newId('pip', at.getTime());
    const count = (await repo.listPipelines(trx, actor.workspaceId)).length;
    await repo.insertPipeline(trx, {
      workspaceId: actor.workspaceId,
      id,
      name: input.name,
      isDefault: false,
      position: count,
      at,
    });
    await repo.insertStages(trx, actor.workspaceId, stageRows(id, open, at));
    await audit(trx, actor, 'create', 'pipeline', id, { name: input.name, stages: keys }, at);
    return getPipeline(trx, actor.workspaceId, id);
  });
}

/** Adds an open stage to a pipeline (before won and lost, or at `position` among the open stages). */
export async function addStage(
  ctx: AppContext,
  actor: Actor,
  pipelineId: string,
  input: StageCreate,
): Promise<PipelineDto> {
  if (input.key === 'won' || input.key === 'lost') {
    throw new ValidationError('Reserved stage key', { key: `${input.key} is added by Tandem itself` });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const at = ctx.clock.now();
    await ensureDefaultPipeline(trx, actor.workspaceId, at);
    if (!(await repo.lockPipeline(trx, actor.workspaceId, pipelineId)))
      throw new NotFoundError('Pipeline', pipelineId);
    const stages = await repo.listStages(trx, actor.workspaceId, [pipelineId]);
    if (stages.some((s) => s.key === input.key)) {
      throw new ConflictError('This pipeline already has a stage with this key', undefined, {
        key: 'is taken',
      });
    }
    const openCount = stages.filter((s) => s.kind === 'open').length;
    const position = Math.min(input.position ?? openCount, openCount);
    await repo.shiftStages(trx, actor.workspaceId, pipelineId, position);
    const prev = stages.filter((s) => s.kind === 'open' && s.position < position).at(-1)?.probability ?? 0;
    const next = stages.find((s) => s.position >= position)?.probability ?? 100;
    await repo.insertStages(trx, actor.workspaceId, [
      {
        id: newId('stg', at.getTime()),
        pipeline_id: pipelineId,
        key: input.key,
        name: input.name,
        position,
        // Between its neighbours unless given: keeps probabilities rising along the pipeline.
        probability: input.probability ?? Math.round((prev + Math.min(next, 100)) / 2),
        kind: 'open',
        at,
      },
    ]);
    await audit(trx, actor, 'stage_add', 'pipeline', pipelineId, { key: input.key, name: input.name }, at);
    return getPipeline(trx, actor.workspaceId, pipelineId);
  });
}

export async function updateStage(
  ctx: AppContext,
  actor: Actor,
  pipelineId: string,
  stageId: string,
  input: StageUpdate,
): Promise<PipelineDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const stage = await repo.findStage(trx, actor.workspaceId, stageId);
    if (!stage || stage.pipeline_id !== pipelineId) throw new NotFoundError('Stage', stageId);
    const at = ctx.clock.now();
    await repo.updateStage(trx, actor.workspaceId, stageId, input, at);
    await audit(trx, actor, 'stage_update', 'pipeline', pipelineId, { stageId, ...input }, at);
    return getPipeline(trx, actor.workspaceId, pipelineId);
  });
}

export interface DealSettings {
  requireAmountOnWon: boolean;
  lostReasons: string[];
  reportingCurrency: string;
}

export async function readSettings(db: Db, workspaceId: string): Promise<DealSettings> {
  const s = await repo.getSettings(db, workspaceId);
  return {
    requireAmountOnWon: s.require_amount_on_won,
    lostReasons: s.lost_reasons.length ? s.lost_reasons : [...DEFAULT_LOST_REASONS],
    reportingCurrency: s.reporting_currency,
  };
}

export async function getDealSettings(ctx: AppContext, actor: Actor): Promise<DealSettingsDto> {
  return readSettings(ctx.db, actor.workspaceId);
}

export async function updateDealSettings(
  ctx: AppContext,
  actor: Actor,
  input: DealSettingsUpdate,
): Promise<DealSettingsDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await readSettings(trx, actor.workspaceId);
    const next = {
      require_amount_on_won: input.requireAmountOnWon ?? before.requireAmountOnWon,
      lost_reasons: input.lostReasons ? [...new Set(input.lostReasons)] : before.lostReasons,
    };
    const at = ctx.clock.now();
    await repo.upsertSettings(trx, actor.workspaceId, next, at);
    await appendAudit(trx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      actorLabel: actor.email,
      action: 'update',
      entityType: 'deal_settings',
      entityId: actor.workspaceId,
      diff: { ...input },
      at,
    });
    return readSettings(trx, actor.workspaceId);
  });
}
