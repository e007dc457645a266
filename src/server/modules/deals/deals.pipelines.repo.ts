import { sql } from 'kysely';
import type { StageKind } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';

/** SQL for pipelines, their stages and the workspace's deal settings. */

export interface PipelineRow {
  id: string;
  name: string;
  is_default: boolean;
  position: number;
}

export interface StageRow {
  id: string;
  pipeline_id: string;
  key: string;
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
}

const STAGE_COLUMNS = ['id', 'pipeline_id', 'key', 'name', 'position', 'probability', 'kind'] as const;

export async function listPipelines(db: Db, workspaceId: string): Promise<PipelineRow[]> {
  return db
    .selectFrom('pipelines')
    .select(['id', 'name', 'is_default', 'position'])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function findPipeline(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<PipelineRow | undefined> {
  return db
    .selectFrom('pipelines')
    .select(['id', 'name', 'is_default', 'position'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
}

export async function findDefaultPipeline(db: Db, workspaceId: string): Promise<PipelineRow | undefined> {
  return db
    .selectFrom('pipelines')
    .select(['id', 'name', 'is_default', 'position'])
    .where('workspace_id', '=', workspaceId)
    .where('is_default', '=', true)
    .executeTakeFirst();
}

export async function pipelineNameTaken(db: Db, workspaceId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('pipelines')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Inserts a pipeline; with `isDefault`, a concurrent creator of the default pipeline wins and this
 * returns false (the partial unique index on the default flag decides).
 */
export async function insertPipeline(
  db: Db,
  p: { workspaceId: string; id: string; name: string; isDefault: boolean; position: number; at: Date },
): Promise<boolean> {
  const res = await db
    .insertInto('pipelines')
    .values({
      workspace_id: p.workspaceId,
      id: p.id,
      name: p.name,
      is_default: p.isDefault,
      position: p.position,
      created_at: p.at,
      updated_at: p.at,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertStages(
  db: Db,
  workspaceId: string,
  stages: (StageRow & { at: Date })[],
): Promise<void> {
  if (!stages.length) return;
  await db
    .insertInto('pipeline_stages')
    .values(
      stages.map((s) => ({
        workspace_id: workspaceId,
        id: s.id,
        pipeline_id: s.pipeline_id,
        key: s.key,
        name: s.name,
        position: s.position,
        probability: s.probability,
        kind: s.kind,
        created_at: s.at,
        updated_at: s.at,
      })),
    )
    .execute();
}

export async function listStages(db: Db, workspaceId: string, pipelineIds: string[]): Promise<StageRow[]> {
  if (!pipelineIds.length) return [];
  return db
    .selectFrom('pipeline_stages')
    .select(STAGE_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('pipeline_id', 'in', pipelineIds)
    .orderBy('pipeline_id')
    .orderBy('position')
    .execute();
}

export async function findStage(db: Db, workspaceId: string, id: string): Promise<StageRow | undefined> {
  return db
    .selectFrom('pipeline_stages')
    .select(STAGE_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findStageByKey(
  db: Db,
  workspaceId: string,
  pipelineId: string,
  key: string,
): Promise<StageRow | undefined> {
  return db
    .selectFrom('pipeline_stages')
    .select(STAGE_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('pipeline_id', '=', pipelineId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Moves stages at or after `from` one place on, to make room for an inserted stage. */
export async function shiftStages(
  db: Db,
  workspaceId: string,
  pipelineId: string,
  from: number,
): Promise<void> {
  await db
    .updateTable('pipeline_stages')
    .set({ position: sql`position + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('pipeline_id', '=', pipelineId)
    .where('position', '>=', from)
    .execute();
}

export async function updateStage(
  db: Db,
  workspaceId: string,
  id: string,
  values: { name?: string; probability?: number },
  at: Date,
): Promise<void> {
  await db
    .updateTable('pipeline_stages')
    .set({ ...values, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Locks the pipeline row so concurrent stage inserts into one pipeline take turns. */
export async function lockPipeline(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('pipelines')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export interface SettingsRow {
  require_amount_on_won: boolean;
  lost_reasons: string[];
  reporting_currency: string;
}

/** The workspace's deal settings (defaults when never saved) and its reporting currency. */
export async function getSettings(db: Db, workspaceId: string): Promise<SettingsRow> {
  const row = await db
    .selectFrom('workspaces as w')
    .leftJoin('deal_settings as s', 's.workspace_id', 'w.id')
    .select([
      'w.reporting_currency',
      sql<boolean>`coalesce(s.require_amount_on_won, false)`.as('require_amount_on_won'),
      sql<string[] | null>`s.lost_reasons`.as('lost_reasons'),
    ])
    .where('w.id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return {
    reporting_currency: row.reporting_currency,
    require_amount_on_won: row.require_amount_on_won,
    lost_reasons: row.lost_reasons ?? [],
  };
}

export async function upsertSettings(
  db: Db,
  workspaceId: string,
  values: { require_amount_on_won: boolean; lost_reasons: string[] },
  at: Date,
): Promise<void> {
  const row = {
    require_amount_on_won: values.require_amount_on_won,
    lost_reasons: JSON.stringify(values.lost_reasons),
    updated_at: at,
  };
  await db
    .insertInto('deal_settings')
    .values({ workspace_id: workspaceId, ...row })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(row))
    .execute();
}
