import { type Insertable, sql, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/types.ts';
import { ValidationError } from '../../lib/errors.ts';
import { scoreJoin, TEMPERATURE } from '../scoring/scoring.sql.ts';
import { compileSegmentCondition } from '../segments/segments.compile.ts';
import { segmentDefinitions } from '../segments/segments.repo.ts';
import type { Db } from './lifecycle.repo.ts';

export async function listPlaybooks(db: Db, workspaceId: string) {
  return db
    .selectFrom('playbooks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('temperature')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findPlaybook(db: Db, workspaceId: string, id: string) {
  return db
    .selectFrom('playbooks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertPlaybook(trx: Transaction<Database>, row: Insertable<Database['playbooks']>) {
  await trx.insertInto('playbooks').values(row).execute();
}

export async function updatePlaybook(
  trx: Transaction<Database>,
  workspaceId: string,
  id: string,
  set: Updateable<Database['playbooks']>,
) {
  await trx
    .updateTable('playbooks')
    .set(set)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function deletePlaybook(trx: Transaction<Database>, workspaceId: string, id: string) {
  await trx.deleteFrom('playbooks').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** What the playbook of a contact depends on: owner, temperature, market and tags. */
export interface PlaybookFacts {
  id: string;
  owner_id: string | null;
  lifecycle_stage: string;
  temperature: string;
  country: string | null;
  tags: string[];
  playbook_temperature: string | null;
}

export async function playbookFacts(db: Db, workspaceId: string, contactId: string) {
  const res = await sql<PlaybookFacts>`
    SELECT c.id, c.owner_id, c.lifecycle_stage, ${TEMPERATURE} AS temperature,
           COALESCE(c.country, co.country) AS country, c.tags, c.playbook_temperature
    FROM contacts c
    ${scoreJoin('c')}
    LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
    WHERE c.workspace_id = ${workspaceId} AND c.id = ${contactId} AND c.deleted_at IS NULL`.execute(db);
  return res.rows[0];
}

/** Keys of the playbook steps this contact already has a task for (open or finished). */
export async function stepsDone(db: Db, workspaceId: string, contactId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('tasks')
    .select('playbook_step')
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('playbook_step', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.playbook_step!));
}

export async function setPlaybookTemperature(
  trx: Transaction<Database>,
  workspaceId: string,
  contactId: string,
  temperature: string,
) {
  await trx
    .updateTable('contacts')
    .set({ playbook_temperature: temperature })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .execute();
}

export async function marketingUsers(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'marketing')
    .where('active', '=', true)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Owned open leads whose temperature moved since their playbook last ran, at most `limit`
 * (the bounded playbook job), across workspaces.
 */
export async function playbookJobBatch(db: Db, limit: number) {
  const res = await sql<{ workspace_id: string; id: string }>`
    SELECT c.workspace_id, c.id FROM contacts c
    ${scoreJoin('c')}
    WHERE c.lifecycle_stage IN ('mql','sql') AND c.owner_id IS NOT NULL AND c.deleted_at IS NULL
      AND c.playbook_temperature IS DISTINCT FROM ${TEMPERATURE}
    LIMIT ${limit}`.execute(db);
  return res.rows;
}

/** The contact's earliest open task (the next best action when there is one). */
export async function nextOpenTask(db: Db, workspaceId: string, contactId: string) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('status', '=', 'open')
    .orderBy(sql`due_at ASC NULLS LAST`)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export interface OpenTaskRef {
  contact_id: string;
  id: string;
  type: string;
  title: string;
  due_at: Date | null;
}

/** The earliest open task of each of these contacts, in one query (the inbox). */
export async function nextOpenTasks(db: Db, workspaceId: string, contactIds: string[]) {
  if (!contactIds.length) return [];
  const res = await sql<OpenTaskRef>`
    SELECT DISTINCT ON (contact_id) contact_id, id, type, title, due_at FROM tasks
    WHERE workspace_id = ${workspaceId} AND status = 'open' AND contact_id IN (${sql.join(contactIds)})
    ORDER BY contact_id, due_at ASC NULLS LAST, id`.execute(db);
  return res.rows;
}

export async function segmentExists(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('segments')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Which of these saved segments the contact belongs to, one indexed lookup per segment. A segment
 * that was deleted, or whose definition no longer compiles (a custom field it used is gone), holds
 * nobody: a playbook must never break the lead's stage change.
 */
export async function contactSegments(
  db: Db,
  workspaceId: string,
  contactId: string,
  segmentIds: string[],
  now?: Date,
): Promise<Set<string>> {
  const defs = await segmentDefinitions(db, workspaceId, segmentIds);
  const inside = new Set<string>();
  for (const [id, { definition }] of defs) {
    let cond: Awaited<ReturnType<typeof compileSegmentCondition>>;
    try {
      cond = await compileSegmentCondition(db, workspaceId, definition, {
        selfId: id,
        ...(now ? { now } : {}),
      });
    } catch (err) {
      if (err instanceof ValidationError) continue;
      throw err;
    }
    const hit = await db
      .selectFrom('contacts')
      .select('contacts.id')
      .where('contacts.workspace_id', '=', workspaceId)
      .where('contacts.id', '=', contactId)
      .where('contacts.deleted_at', 'is', null)
      .where(cond)
      .executeTakeFirst();
    if (hit) inside.add(id);
  }
  return inside;
}
