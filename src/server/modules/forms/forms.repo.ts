import { type Insertable, type Selectable, sql } from 'kysely';
import type { CustomValues, FormSubmissionsTable, FormsTable } from '../../db/types.ts';
import { newSecret } from '../../lib/ids.ts';
import type { Db } from '../contacts/records.repo.ts';

export type FormRow = Selectable<FormsTable>;
export type NewForm = Insertable<FormsTable>;
export type FormPatch = Partial<Omit<NewForm, 'workspace_id' | 'id' | 'created_at' | 'created_by'>>;

export async function insertForm(db: Db, row: NewForm): Promise<FormRow> {
  return db
    .insertInto('forms')
    .values({ ...row, tags: sql<string[]>`${row.tags ?? []}::text[]` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateForm(
  db: Db,
  workspaceId: string,
  id: string,
  patch: FormPatch,
): Promise<FormRow> {
  const { tags, ...rest } = patch;
  return db
    .updateTable('forms')
    .set({ ...rest, ...(tags !== undefined ? { tags: sql<string[]>`${tags}::text[]` } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A form of the workspace (any status). */
export async function findForm(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<FormRow | undefined> {
  let q = db.selectFrom('forms').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** An active form by id alone (public pages), with its workspace's default language. */
export async function findActiveFormById(
  db: Db,
  id: string,
): Promise<(FormRow & { default_locale: string }) | undefined> {
  return db
    .selectFrom('forms')
    .innerJoin('workspaces', 'workspaces.id', 'forms.workspace_id')
    .selectAll('forms')
    .select('workspaces.default_locale')
    .where('forms.id', '=', id)
    .where('forms.status', '=', 'active')
    .executeTakeFirst();
}

/** One page of the workspace's forms, newest first (ids sort by creation time). */
export async function listForms(
  db: Db,
  workspaceId: string,
  f: { status: 'active' | 'archived' | undefined; beforeId: string | undefined; limit: number },
): Promise<FormRow[]> {
  let q = db.selectFrom('forms').selectAll().where('workspace_id', '=', workspaceId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

export async function countSpam(db: Db, workspaceId: string, formId: string): Promise<void> {
  await db
    .updateTable('forms')
    .set({ spam_dropped: sql<number>`spam_dropped + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', formId)
    .execute();
}

export async function countSubmission(db: Db, workspaceId: string, formId: string, at: Date): Promise<void> {
  await db
    .updateTable('forms')
    .set({ submissions: sql<number>`submissions + 1`, last_submission_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', formId)
    .execute();
}

const secrets = new WeakMap<object, Map<string, string>>();

/** The workspace's form-signing secret, created on first use (a racing creator's secret wins for both). */
export async function formSecret(db: Db, workspaceId: string): Promise<string> {
  let known = secrets.get(db);
  if (!known) {
    known = new Map();
    secrets.set(db, known);
  }
  const cached = known.get(workspaceId);
  if (cached) return cached;
  await db
    .insertInto('form_secrets')
    .values({ workspace_id: workspaceId, secret: newSecret(32) })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();
  const row = await db
    .selectFrom('form_secrets')
    .select('secret')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  known.set(workspaceId, row.secret);
  return row.secret;
}

/** The fields of a contact a submission may fill, locked for the rest of the transaction. */
export interface ContactForForm {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  company_id: string | null;
  company_name: string | null;
  country: string | null;
  language: string | null;
  tags: string[];
  custom: CustomValues;
}

/** The live contact with this e-mail (case-insensitive), row-locked, whoever owns it. */
export async function lockLiveContactByEmail(
  db: Db,
  workspaceId: string,
  email: string,
): Promise<ContactForForm | undefined> {
  return db
    .selectFrom('contacts')
    .select([
      'id',
      'first_name',
      'last_name',
      'email',
      'phone',
      'title',
      'company_id',
      'company_name',
      'country',
      'language',
      'tags',
      'custom',
    ])
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`lower(email)`, '=', sql<string>`lower(${email})`)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The oldest live company with this name (case-insensitive), share-locked while we link to it. */
export async function findLiveCompanyByName(
  db: Db,
  workspaceId: string,
  name: string,
): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('companies')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`lower(name)`, '=', sql<string>`lower(${name})`)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .forShare()
    .executeTakeFirst();
}

export async function findLiveCompanyById(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('companies')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forShare()
    .executeTakeFirst();
}

export async function insertSubmission(db: Db, row: Insertable<FormSubmissionsTable>): Promise<void> {
  await db.insertInto('form_submissions').values(row).execute();
}

export async function insertConsent(
  db: Db,
  row: {
    workspace_id: string;
    id: string;
    contact_id: string;
    form_id: string;
    submission_id: string;
    text: string;
    locale: string;
    granted: boolean;
    ip: string | null;
    user_agent: string | null;
    created_at: Date;
  },
): Promise<void> {
  await db
    .insertInto('consents')
    .values({ ...row, source: 'form' })
    .execute();
}

export type SubmissionRow = Selectable<FormSubmissionsTable> & {
  consent_granted: boolean | null;
  consent_text: string | null;
  consent_locale: string | null;
};

/** One page of a form's submissions, newest first, each with the consent answer it recorded. */
export async function listSubmissions(
  db: Db,
  workspaceId: string,
  formId: string,
  f: { beforeId: string | undefined; limit: number },
): Promise<SubmissionRow[]> {
  let q = db
    .selectFrom('form_submissions as s')
    .leftJoin('consents as c', (j) =>
      j.onRef('c.workspace_id', '=', 's.workspace_id').onRef('c.submission_id', '=', 's.id'),
    )
    .selectAll('s')
    .select(['c.granted as consent_granted', 'c.text as consent_text', 'c.locale as consent_locale'])
    .where('s.workspace_id', '=', workspaceId)
    .where('s.form_id', '=', formId);
  if (f.beforeId) q = q.where('s.id', '<', f.beforeId);
  return q.orderBy('s.id', 'desc').limit(f.limit).execute();
}
