import type {
  CompanyCreate,
  CompanyDto,
  CompanyListQuery,
  CompanyUpdate,
} from '../../../contracts/companies.ts';
import type { CompanyContactsQuery, ContactDto } from '../../../contracts/contacts.ts';
import type { AuditEntryDto } from '../../../contracts/governance.ts';
import type { AppContext } from '../../http/context.ts';
import { ConflictError, type FieldErrors, NotFoundError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Page } from '../../lib/pagination.ts';
import { renameCompanyOnContacts } from '../contacts/contacts.repo.ts';
import { listContacts, type WriteMeta } from '../contacts/contacts.service.ts';
import { type Db, isUniqueViolation } from '../contacts/records.repo.ts';
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
} from '../contacts/records.ts';
import { fieldsFor, validateCustomValues } from '../customfields/customfields.service.ts';
import { rescoreCompanyContacts } from '../scoring/scoring.service.ts';
import type { Actor } from '../workspaces/workspaces.policy.ts';
import * as repo from './companies.repo.ts';

const DOMAIN_UNIQUE = 'companies_domain_uq';
const ENTITY = 'company';

export function toCompanyDto(r: repo.CompanyRecord): CompanyDto {
  return {
    id: r.id,
    name: r.name,
    domain: r.domain,
    website: r.website,
    industry: r.industry,
    employees: r.employees,
    country: r.country,
    phone: r.phone,
    ownerId: r.owner_id,
    teamId: r.team_id,
    tags: r.tags,
    custom: r.custom,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    deletedAt: isoOrNull(r.deleted_at),
  };
}

type Editable = Omit<CompanyDto, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

function toValues(d: Partial<Editable>): Partial<repo.CompanyValues> {
  const v: Partial<repo.CompanyValues> = {};
  if (d.name !== undefined) v.name = d.name;
  if (d.domain !== undefined) v.domain = d.domain;
  if (d.website !== undefined) v.website = d.website;
  if (d.industry !== undefined) v.industry = d.industry;
  if (d.employees !== undefined) v.employees = d.employees;
  if (d.country !== undefined) v.country = d.country;
  if (d.phone !== undefined) v.phone = d.phone;
  if (d.ownerId !== undefined) v.owner_id = d.ownerId;
  if (d.teamId !== undefined) v.team_id = d.teamId;
  if (d.tags !== undefined) v.tags = d.tags;
  if (d.custom !== undefined) v.custom = d.custom;
  return v;
}

async function domainConflict(db: Db, workspaceId: string, domain: string, exceptId?: string) {
  const existingId = await repo.findLiveIdByDomain(db, workspaceId, domain, exceptId);
  return new ConflictError('A company with this domain already exists', existingId, { domain: 'is taken' });
}

/** Runs a write; a lost race on the domain unique index becomes the same 409 as the pre-check. */
async function guardDomain<T>(
  ctx: AppContext,
  actor: Actor,
  domain: () => string | null,
  exceptId: string | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const d = domain();
    if (d && isUniqueViolation(err, DOMAIN_UNIQUE))
      throw await domainConflict(ctx.db, actor.workspaceId, d, exceptId);
    throw err;
  }
}

function snapshot(dto: CompanyDto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(dto)) {
    if (['id', 'createdAt', 'updatedAt', 'deletedAt'].includes(k)) continue;
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    if (k === 'custom' && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Creates a company; 409 with `existingId` when a live company has the same domain (also when racing). */
export async function createCompany(
  ctx: AppContext,
  actor: Actor,
  input: CompanyCreate,
  meta: WriteMeta = {},
): Promise<CompanyDto> {
  const domain = input.domain ?? null;
  return guardDomain(
    ctx,
    actor,
    () => domain,
    undefined,
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const errors: FieldErrors = {};
        const defaults = defaultAssignment(actor);
        const ownerId = input.ownerId !== undefined ? input.ownerId : defaults.ownerId;
        const teamId = input.teamId !== undefined ? input.teamId : defaults.teamId;
        await checkAssignment(trx, actor, { ownerId, teamId }, null, errors);
        const defs = await fieldsFor(trx, actor.workspaceId, 'company');
        const custom = validateCustomValues(defs, input.custom, null);
        Object.assign(errors, custom.errors);
        throwIfErrors(errors);
        if (domain && (await repo.findLiveIdByDomain(trx, actor.workspaceId, domain))) {
          throw await domainConflict(trx, actor.workspaceId, domain);
        }
        const at = ctx.clock.now();
        const row = await repo.insertCompany(trx, {
          workspace_id: actor.workspaceId,
          id: newId('cmp', at.getTime()),
          name: input.name,
          domain,
          website: input.website ?? null,
          industry: blankToNull(input.industry) ?? null,
          employees: input.employees ?? null,
          country: input.country ?? null,
          phone: blankToNull(input.phone) ?? null,
          owner_id: ownerId,
          team_id: teamId,
          tags: input.tags ?? [],
          custom: custom.values,
          at,
        });
        const dto = toCompanyDto(row);
        await auditRecord(trx, actor, ENTITY, dto.id, 'create', snapshot(dto), meta, at);
        return dto;
      }),
  );
}

/** A live company the actor may see; otherwise 404. */
export async function getCompany(ctx: AppContext, actor: Actor, id: string): Promise<CompanyDto> {
  const row = await repo.findCompany(ctx.db, actor, id);
  if (!row) throw new NotFoundError('Company', id);
  return toCompanyDto(row);
}

/**
 * Changes the fields given (null clears); a rename also updates the company name its contacts show
 * and are found by, in the same transaction. Audits `update` and `owner_change` as contacts do.
 */
export async function updateCompany(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CompanyUpdate,
  meta: WriteMeta = {},
): Promise<CompanyDto> {
  let domain: string | null = null;
  return guardDomain(
    ctx,
    actor,
    () => domain,
    id,
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const current = await repo.findCompany(trx, actor, id, { lock: 'update' });
        if (!current) throw new NotFoundError('Company', id);
        const before = toCompanyDto(current);
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
        let custom: Editable['custom'] | undefined;
        if (input.custom !== undefined) {
          const defs = await fieldsFor(trx, actor.workspaceId, 'company');
          const checked = validateCustomValues(defs, input.custom, current.custom);
          Object.assign(errors, checked.errors);
          custom = checked.values;
        }
        throwIfErrors(errors);
        const next: Partial<Editable> = {
          name: input.name,
          domain: input.domain,
          website: input.website,
          industry: blankToNull(input.industry),
          employees: input.employees,
          country: input.country,
          phone: blankToNull(input.phone),
          ownerId: input.ownerId,
          teamId: input.teamId,
          tags: input.tags,
          custom,
        };
        const diff = diffOf(before, next);
        if (Object.keys(diff).length === 0) return before;
        const after = {
          ...before,
          ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)),
        };
        domain = after.domain;
        if (
          diff.domain &&
          after.domain &&
          (await repo.findLiveIdByDomain(trx, actor.workspaceId, after.domain, id))
        ) {
          throw await domainConflict(trx, actor.workspaceId, after.domain, id);
        }
        const changed = Object.fromEntries(
          Object.keys(diff)
            .filter((k) => !k.startsWith('custom.'))
            .map((k) => [k, after[k as keyof Editable]]),
        ) as Partial<Editable>;
        if (Object.keys(diff).some((k) => k.startsWith('custom.'))) changed.custom = after.custom;
        const at = ctx.clock.now();
        const row = await repo.updateCompany(trx, actor.workspaceId, id, toValues(changed), at);
        if (diff.name) await renameCompanyOnContacts(trx, actor.workspaceId, id, row.name);
        await auditRecordChange(trx, actor, ENTITY, id, diff, meta, at);
        // Company fields feed the contacts' fit score (industry, size, country, domain).
        if (Object.keys(diff).some((k) => ['industry', 'employees', 'country', 'domain'].includes(k)))
          await rescoreCompanyContacts(trx, ctx, actor.workspaceId, id, {
            userId: actor.userId,
            label: actor.email,
          });
        return toCompanyDto(row);
      }),
  );
}

/** Soft-deletes a live company. Its contacts keep the link (restoring the company restores the picture). */
export async function deleteCompany(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta: WriteMeta = {},
): Promise<CompanyDto> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await repo.findCompany(trx, actor, id, { lock: 'update' });
    if (!current) throw new NotFoundError('Company', id);
    const at = ctx.clock.now();
    const row = await repo.setDeletedAt(trx, actor.workspaceId, id, at);
    await auditRecord(trx, actor, ENTITY, id, 'delete', { deletedAt: { from: null, to: iso(at) } }, meta, at);
    return toCompanyDto(row);
  });
}

/** Brings back a soft-deleted company; 409 with `existingId` if its domain was taken meanwhile. */
export async function restoreCompany(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta: WriteMeta = {},
): Promise<CompanyDto> {
  let domain: string | null = null;
  return guardDomain(
    ctx,
    actor,
    () => domain,
    id,
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const current = await repo.findCompany(trx, actor, id, { deleted: 'any', lock: 'update' });
        if (!current) throw new NotFoundError('Company', id);
        if (!current.deleted_at) return toCompanyDto(current);
        domain = current.domain;
        if (domain && (await repo.findLiveIdByDomain(trx, actor.workspaceId, domain, id))) {
          throw await domainConflict(trx, actor.workspaceId, domain, id);
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
        return toCompanyDto(row);
      }),
  );
}

/** One keyset page of the companies the actor may see (missing query fields take the API defaults). */
export async function listCompanies(
  ctx: AppContext,
  actor: Actor,
  query: Partial<CompanyListQuery> = {},
): Promise<Page<CompanyDto>> {
  const sortKey = query.sort ?? 'createdAt';
  const sort = repo.COMPANY_SORTS[sortKey];
  const limit = query.limit ?? 50;
  const rows = await repo.listCompanies(ctx.db, actor, {
    search: searchPlan(query.q),
    ownerId: ownerFilter(actor, query.ownerId),
    teamId: query.teamId,
    tag: query.tag,
    country: query.country,
    deleted: query.deleted ?? 'exclude',
    sort,
    order: query.order ?? 'desc',
    after: decodeListCursor(query.cursor, sortKey, sort),
    limit: limit + 1,
  });
  return pageFrom(rows, limit, sortKey, toCompanyDto);
}

/** The contacts of a live company the actor may see, themselves filtered by visibility. */
export async function companyContacts(
  ctx: AppContext,
  actor: Actor,
  id: string,
  query: Partial<CompanyContactsQuery> = {},
): Promise<Page<ContactDto>> {
  if (!(await repo.findCompany(ctx.db, actor, id))) throw new NotFoundError('Company', id);
  return listContacts(ctx, actor, { ...query, companyId: id });
}

/** The company's audit rows, newest first. */
export async function companyHistory(
  ctx: AppContext,
  actor: Actor,
  id: string,
  cursor?: string,
  limit = 50,
): Promise<Page<AuditEntryDto>> {
  if (!(await repo.findCompany(ctx.db, actor, id, { deleted: 'any' })))
    throw new NotFoundError('Company', id);
  return auditHistory(ctx, actor, ENTITY, id, cursor, limit);
}
