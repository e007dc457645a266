import type { Expression, SqlBool } from 'kysely';
import type {
  ContactCreate,
  ContactDto,
  ContactListQuery,
  ContactUpdate,
} from '../../../contracts/contacts.ts';
import type { AuditEntryDto } from '../../../contracts/governance.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, type FieldErrors, NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Page } from '../../lib/pagination.ts';
import { findCompany } from '../companies/companies.repo.ts';
import { fieldsFor, validateCustomValues } from '../customfields/customfields.service.ts';
import { rescoreContacts } from '../scoring/scoring.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './contacts.repo.ts';
import { type Db, isUniqueViolation } from './records.repo.ts';
import {
  auditHistory,
  auditRecord,
  auditRecordChange,
  blankToNull,
  checkAssignment,
  decodeListCursor,
  defaultAssignment,
  diffOf,
  iso,
  isoOrNull,
  ownerFilter,
  pageFrom,
  searchPlan,
  throwIfErrors,
} from './records.ts';

/** Who a field change's rescoring is attributed to in the contact's history. */
function scoringActor(actor: Actor): { userId: string; label: string } {
  return { userId: actor.userId, label: actor.email };
}

/** Request details recorded in the audit log (the HTTP layer passes them; the CLI may not). */
export interface WriteMeta {
  ip?: string | null;
}

const EMAIL_UNIQUE = 'contacts_email_uq';
const ENTITY = 'contact';

export function toContactDto(r: repo.ContactRecord): ContactDto {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    phone: r.phone,
    title: r.title,
    companyId: r.company_id,
    companyName: r.company_name,
    ownerId: r.owner_id,
    teamId: r.team_id,
    country: r.country,
    language: r.language,
    tags: r.tags,
    custom: r.custom,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    deletedAt: isoOrNull(r.deleted_at),
  };
}

type Editable = Omit<ContactDto, 'id' | 'companyName' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

function toValues(d: Partial<Editable>): Partial<repo.ContactValues> {
  const v: Partial<repo.ContactValues> = {};
  if (d.firstName !== undefined) v.first_name = d.firstName;
  if (d.lastName !== undefined) v.last_name = d.lastName;
  if (d.email !== undefined) v.email = d.email;
  if (d.phone !== undefined) v.phone = d.phone;
  if (d.title !== undefined) v.title = d.title;
  if (d.companyId !== undefined) v.company_id = d.companyId;
  if (d.ownerId !== undefined) v.owner_id = d.ownerId;
  if (d.teamId !== undefined) v.team_id = d.teamId;
  if (d.country !== undefined) v.country = d.country;
  if (d.language !== undefined) v.language = d.language;
  if (d.tags !== undefined) v.tags = d.tags;
  if (d.custom !== undefined) v.custom = d.custom;
  return v;
}

async function emailConflict(db: Db, workspaceId: string, email: string, exceptId?: string) {
  const existingId = await repo.findLiveIdByEmail(db, workspaceId, email, exceptId);
  return new ConflictError('A contact with this e-mail already exists', existingId, { email: 'is taken' });
}

/** Runs a write; a lost race on the e-mail unique index becomes the same 409 as the pre-check. */
async function guardEmail<T>(
  ctx: AppContext,
  actor: Actor,
  email: () => string | null,
  exceptId: string | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const e = email();
    if (e && isUniqueViolation(err, EMAIL_UNIQUE))
      throw await emailConflict(ctx.db, actor.workspaceId, e, exceptId);
    throw err;
  }
}

/** A company a contact may link to: visible to the actor, live, same workspace (row share-locked). */
async function linkableCompany(
  trx: Db,
  actor: Actor,
  companyId: string,
  errors: FieldErrors,
): Promise<{ name: string } | undefined> {
  const company = await findCompany(trx, actor, companyId, { lock: 'share' });
  if (!company) errors.companyId = 'is not a company you can see';
  return company;
}

/**
 * Creates a contact. Owner defaults to the creating sales person; 409 with `existingId` when a live
 * contact has the same e-mail (case-insensitive), also when two creates race.
 */
export async function createContact(
  ctx: AppContext,
  actor: Actor,
  input: ContactCreate,
  meta: WriteMeta = {},
): Promise<ContactDto> {
  const email = blankToNull(input.email) ?? null;
  return guardEmail(
    ctx,
    actor,
    () => email,
    undefined,
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const errors: FieldErrors = {};
        const defaults = defaultAssignment(actor);
        const ownerId = input.ownerId !== undefined ? input.ownerId : defaults.ownerId;
        const teamId = input.teamId !== undefined ? input.teamId : defaults.teamId;
        await checkAssignment(trx, actor, { ownerId, teamId }, null, errors);
        const companyId = input.companyId ?? null;
        const company = companyId ? await linkableCompany(trx, actor, companyId, errors) : undefined;
        const defs = await fieldsFor(trx, actor.workspaceId, 'contact');
        const custom = validateCustomValues(defs, input.custom, null);
        Object.assign(errors, custom.errors);
        throwIfErrors(errors);
        if (email && (await repo.findLiveIdByEmail(trx, actor.workspaceId, email))) {
          throw await emailConflict(trx, actor.workspaceId, email);
        }
        const at = ctx.clock.now();
        const row = await repo.insertContact(trx, {
          workspace_id: actor.workspaceId,
          id: newId('ctc', at.getTime()),
          first_name: blankToNull(input.firstName) ?? null,
          last_name: blankToNull(input.lastName) ?? null,
          email,
          phone: blankToNull(input.phone) ?? null,
          title: blankToNull(input.title) ?? null,
          company_id: companyId,
          company_name: company?.name ?? null,
          owner_id: ownerId,
          team_id: teamId,
          country: input.country ?? null,
          language: blankToNull(input.language) ?? null,
          tags: input.tags ?? [],
          custom: custom.values,
          at,
        });
        const dto = toContactDto(row);
        await auditRecord(trx, actor, ENTITY, dto.id, 'create', snapshot(dto), meta, at);
        await rescoreContacts(trx, ctx, actor.workspaceId, [dto.id], { actor: scoringActor(actor) });
        return dto;
      }),
  );
}

/** The values a create sets, for the audit row (empty values left out). */
function snapshot(dto: ContactDto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(dto)) {
    if (['id', 'createdAt', 'updatedAt', 'deletedAt', 'companyName'].includes(k)) continue;
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    if (k === 'custom' && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** A live contact the actor may see; otherwise 404 (also for another workspace's or a deleted one). */
export async function getContact(ctx: AppContext, actor: Actor, id: string): Promise<ContactDto> {
  const row = await repo.findContact(ctx.db, actor, id);
  if (!row) throw new NotFoundError('Contact', id);
  return toContactDto(row);
}

/**
 * Changes the fields given (null clears). Audits an `update` with the changed fields and, when
 * the owner changes, an `owner_change`, both in the write's transaction.
 */
export async function updateContact(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ContactUpdate,
  meta: WriteMeta = {},
): Promise<ContactDto> {
  let email: string | null = null;
  return guardEmail(
    ctx,
    actor,
    () => email,
    id,
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const current = await repo.findContact(trx, actor, id, { forUpdate: true });
        if (!current) throw new NotFoundError('Contact', id);
        const before = toContactDto(current);
        const errors: FieldErrors = {};
        await checkAssignment(
          trx,
          actor,
          { ownerId: input.ownerId, teamId: input.teamId },
          {
            ownerId: current.owner_id,
            teamId: current.team_id,
          },
          errors,
        );
        let companyName: string | null | undefined;
        if (input.companyId !== undefined && input.companyId !== current.company_id) {
          companyName = input.companyId
            ? ((await linkableCompany(trx, actor, input.companyId, errors))?.name ?? null)
            : null;
        }
        let custom: Editable['custom'] | undefined;
        if (input.custom !== undefined) {
          const defs = await fieldsFor(trx, actor.workspaceId, 'contact');
          const checked = validateCustomValues(defs, input.custom, current.custom);
          Object.assign(errors, checked.errors);
          custom = checked.values;
        }
        const next: Partial<Editable> = {
          firstName: blankToNull(input.firstName),
          lastName: blankToNull(input.lastName),
          email: blankToNull(input.email),
          phone: blankToNull(input.phone),
          title: blankToNull(input.title),
          companyId: input.companyId,
          ownerId: input.ownerId,
          teamId: input.teamId,
          country: input.country,
          language: blankToNull(input.language),
          tags: input.tags,
          custom,
        };
        const after = {
          ...before,
          ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)),
        };
        if (!after.firstName && !after.lastName && !after.email) {
          errors.email ??= 'a contact needs a first name, last name or e-mail';
        }
        throwIfErrors(errors);
        const diff = diffOf(before, next);
        if (Object.keys(diff).length === 0) return before;
        email = after.email;
        if (
          diff.email &&
          after.email &&
          (await repo.findLiveIdByEmail(trx, actor.workspaceId, after.email, id))
        ) {
          throw await emailConflict(trx, actor.workspaceId, after.email, id);
        }
        const changed = Object.fromEntries(
          Object.keys(diff)
            .filter((k) => !k.startsWith('custom.'))
            .map((k) => [k, after[k as keyof Editable]]),
        ) as Partial<Editable>;
        if (Object.keys(diff).some((k) => k.startsWith('custom.'))) changed.custom = after.custom;
        const at = ctx.clock.now();
        const row = await repo.updateContact(
          trx,
          actor.workspaceId,
          id,
          { ...toValues(changed), ...(companyName !== undefined ? { company_name: companyName } : {}) },
          at,
        );
        await auditRecordChange(trx, actor, ENTITY, id, diff, meta, at);
        await rescoreContacts(trx, ctx, actor.workspaceId, [id], { actor: scoringActor(actor) });
        return toContactDto(row);
      }),
  );
}

/** Soft-deletes a live contact: it leaves lists and lookups until restored. */
export async function deleteContact(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta: WriteMeta = {},
): Promise<ContactDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findContact(trx, actor, id, { forUpdate: true });
    if (!current) throw new NotFoundError('Contact', id);
    const at = ctx.clock.now();
    const row = await repo.setDeletedAt(trx, actor.workspaceId, id, at);
    await auditRecord(trx, actor, ENTITY, id, 'delete', { deletedAt: { from: null, to: iso(at) } }, meta, at);
    return toContactDto(row);
  });
}

/**
 * Brings back a soft-deleted contact (a live one is returned unchanged). 409 with `existingId`
 * when another live contact took its e-mail meanwhile.
 */
export async function restoreContact(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta: WriteMeta = {},
): Promise<ContactDto> {
  let email: string | null = null;
  return guardEmail(
    ctx,
    actor,
    () => email,
    id,
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const current = await repo.findContact(trx, actor, id, { deleted: 'any', forUpdate: true });
        if (!current) throw new NotFoundError('Contact', id);
        if (!current.deleted_at) return toContactDto(current);
        email = current.email;
        if (email && (await repo.findLiveIdByEmail(trx, actor.workspaceId, email, id))) {
          throw await emailConflict(trx, actor.workspaceId, email, id);
        }
        const at = ctx.clock.now();
        const row = await repo.setDeletedAt(trx, actor.workspaceId, id, null);
        await auditRecord(
          trx,
          actor,
          ENTITY,
          id,
          'restore',
          { deletedAt: { from: iso(current.deleted_at), to: null } },
          meta,
          at,
        );
        return toContactDto(row);
      }),
  );
}

/**
 * One keyset page of the contacts the actor may see. Missing query fields take the API defaults
 * (newest first, 50 a page, live contacts).
 */
export async function listContacts(
  ctx: AppContext,
  actor: Actor,
  query: Partial<ContactListQuery> = {},
  /** An extra condition on `contacts`: the segments module lists a segment's contacts this way. */
  extra?: Expression<SqlBool>,
): Promise<Page<ContactDto>> {
  const sortKey = query.sort ?? 'createdAt';
  const sort = repo.CONTACT_SORTS[sortKey];
  const limit = query.limit ?? 50;
  const rows = await repo.listContacts(ctx.db, actor, {
    search: searchPlan(query.q, { emails: true }),
    ownerId: ownerFilter(actor, query.ownerId),
    teamId: query.teamId,
    companyId: query.companyId,
    tag: query.tag,
    country: query.country,
    deleted: query.deleted ?? 'exclude',
    sort,
    order: query.order ?? 'desc',
    after: decodeListCursor(query.cursor, sortKey, sort),
    limit: limit + 1,
    extra,
  });
  return pageFrom(rows, limit, sortKey, toContactDto);
}

/** The contact's audit rows (create, update, owner_change, delete, restore), newest first. */
export async function contactHistory(
  ctx: AppContext,
  actor: Actor,
  id: string,
  cursor?: string,
  limit = 50,
): Promise<Page<AuditEntryDto>> {
  if (!(await repo.findContact(ctx.db, actor, id, { deleted: 'any' })))
    throw new NotFoundError('Contact', id);
  return auditHistory(ctx, actor, ENTITY, id, cursor, limit);
}
