import type { Selectable, Updateable } from 'kysely';
import type { WorkspacesTable } from '../../db/types.ts';
import type { Db } from '../contacts/records.repo.ts';

export type WorkspaceSettingsRow = Pick<
  Selectable<WorkspacesTable>,
  'id' | 'name' | 'quote_discount_threshold_bp' | 'logo_file' | 'logo_type' | 'default_locale'
>;

export async function findWorkspaceSettings(
  db: Db,
  workspaceId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<WorkspaceSettingsRow | undefined> {
  let q = db
    .selectFrom('workspaces')
    .select(['id', 'name', 'quote_discount_threshold_bp', 'logo_file', 'logo_type', 'default_locale'])
    .where('id', '=', workspaceId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function updateWorkspaceSettings(
  db: Db,
  workspaceId: string,
  patch: Pick<Updateable<WorkspacesTable>, 'quote_discount_threshold_bp' | 'logo_file' | 'logo_type'>,
): Promise<void> {
  await db.updateTable('workspaces').set(patch).where('id', '=', workspaceId).execute();
}
