import { sql } from 'kysely';
import type { CustomFieldEntity, CustomFieldRow, CustomFieldType } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';

export async function listFields(
  db: Db,
  workspaceId: string,
  entity?: CustomFieldEntity,
): Promise<CustomFieldRow[]> {
  let q = db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId);
  if (entity) q = q.where('entity', '=', entity);
  return q.orderBy('entity').orderBy('created_at').orderBy('id').execute();
}

export async function findField(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<CustomFieldRow | undefined> {
  let q = db
    .selectFrom('custom_fields')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findFieldByKey(
  db: Db,
  workspaceId: string,
  entity: CustomFieldEntity,
  key: string,
): Promise<CustomFieldRow | undefined> {
  return db
    .selectFrom('custom_fields')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('entity', '=', entity)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function insertField(
  db: Db,
  f: {
    workspaceId: string;
    id: string;
    entity: CustomFieldEntity;
    key: string;
    label: string;
    type: CustomFieldType;
    options: string[];
    required: boolean;
    at: Date;
  },
): Promise<CustomFieldRow> {
  return db
    .insertInto('custom_fields')
    .values({
      workspace_id: f.workspaceId,
      id: f.id,
      entity: f.entity,
      key: f.key,
      label: f.label,
      type: f.type,
      options: JSON.stringify(f.options),
      required: f.required,
      created_at: f.at,
      updated_at: f.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateField(
  db: Db,
  workspaceId: string,
  id: string,
  patch: { label?: string; options?: string[]; required?: boolean; at: Date },
): Promise<CustomFieldRow> {
  return db
    .updateTable('custom_fields')
    .set({
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      ...(patch.options !== undefined ? { options: JSON.stringify(patch.options) } : {}),
      ...(patch.required !== undefined ? { required: patch.required } : {}),
      updated_at: patch.at,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteField(db: Db, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('custom_fields').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Removes a deleted field's values from every record, so a later field with the same key starts clean. */
export async function stripCustomKey(
  db: Db,
  workspaceId: string,
  entity: CustomFieldEntity,
  key: string,
): Promise<number> {
  const table = entity === 'contact' ? 'contacts' : 'companies';
  const result = await db
    .updateTable(table)
    .set({ custom: sql`custom - ${key}::text` })
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`custom ? ${key}::text`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
