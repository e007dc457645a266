import type { Kysely, Transaction } from 'kysely';
import type { Database, LifecycleStage, TransitionCause } from '../../db/types.ts';
import { newId } from '../../lib/ids.ts';

export type Db = Kysely<Database> | Transaction<Database>;

export interface StageRow {
  id: string;
  lifecycle_stage: LifecycleStage;
  stage_at: Date | null;
  owner_id: string | null;
  company_id: string | null;
  deleted_at: Date | null;
}

/** The contact's stage, locked for the rest of the transaction so concurrent moves serialize. */
export async function lockContactStage(
  trx: Transaction<Database>,
  workspaceId: string,
  contactId: string,
): Promise<StageRow | undefined> {
  return trx
    .selectFrom('contacts')
    .select(['id', 'lifecycle_stage', 'stage_at', 'owner_id', 'company_id', 'deleted_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setStage(
  trx: Transaction<Database>,
  workspaceId: string,
  contactId: string,
  stage: LifecycleStage,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('contacts')
    .set({ lifecycle_stage: stage, stage_at: at, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .execute();
}

export interface TransitionInsert {
  workspaceId: string;
  contactId: string;
  from: LifecycleStage;
  to: LifecycleStage;
  cause: TransitionCause;
  actorId: string | null;
  reason: string | null;
  at: Date;
}

export async function insertTransition(trx: Transaction<Database>, t: TransitionInsert): Promise<string> {
  const id = newId('ltr', t.at.getTime());
  await trx
    .insertInto('lifecycle_transitions')
    .values({
      workspace_id: t.workspaceId,
      id,
      contact_id: t.contactId,
      from_stage: t.from,
      to_stage: t.to,
      cause: t.cause,
      actor_id: t.actorId,
      reason: t.reason,
      at: t.at,
    })
    .execute();
  return id;
}

export async function listTransitions(db: Db, workspaceId: string, contactId: string) {
  return db
    .selectFrom('lifecycle_transitions as t')
    .leftJoin('users as u', (j) =>
      j.onRef('u.workspace_id', '=', 't.workspace_id').onRef('u.id', '=', 't.actor_id'),
    )
    .selectAll('t')
    .select('u.name as actor_name')
    .where('t.workspace_id', '=', workspaceId)
    .where('t.contact_id', '=', contactId)
    .orderBy('t.at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
}

export async function findUser(db: Db, workspaceId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'active'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
}
