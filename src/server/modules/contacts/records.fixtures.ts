import { expect } from 'vitest';
import { type ApiClient, addUser, createTeam, createWorkspace, type TestUser } from '../../../../test/api.ts';
import type { TestBackend } from '../../../../test/harness.ts';
import type { CompanyDto } from '../../../contracts/companies.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { AuditEntryDto } from '../../../contracts/governance.ts';

/** Test helpers for the contacts, companies and custom fields suites (not a test file itself). */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; existingId?: string };
}

export async function newContact(api: ApiClient, body: Record<string, unknown>): Promise<ContactDto> {
  const res = await api.post<ContactDto>('/api/contacts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function newCompany(api: ApiClient, body: Record<string, unknown>): Promise<CompanyDto> {
  const res = await api.post<CompanyDto>('/api/companies', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Every page of a list URL (with `limit`), following nextCursor; fails on a repeated id. */
export async function allPages<T extends { id: string }>(
  api: ApiClient,
  url: string,
  startCursor: string | null = null,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = startCursor;
  const seen = new Set<string>();
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await api.get<Page<T>>(cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const item of res.body.items) {
      expect(seen.has(item.id), `duplicate ${item.id} in ${url}`).toBe(false);
      seen.add(item.id);
    }
    pages.push(res.body.items);
    cursor = res.body.nextCursor;
    expect(pages.length).toBeLessThan(100);
  } while (cursor);
  return pages;
}

export async function listIds(api: ApiClient, url: string): Promise<string[]> {
  const res = await api.get<Page<{ id: string }>>(url);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((i) => i.id);
}

/** Audit rows of one entity straight from the table (newest last), to check what a write left. */
export async function auditRows(t: TestBackend, workspaceId: string, entityId?: string) {
  let q = t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'entity_type', 'entity_id', 'diff'])
    .where('workspace_id', '=', workspaceId)
    .where('entity_type', 'in', ['contact', 'company', 'custom_field']);
  if (entityId) q = q.where('entity_id', '=', entityId);
  return q.orderBy('at').orderBy('id').execute();
}

export async function history(api: ApiClient, url: string): Promise<AuditEntryDto[]> {
  const res = await api.get<Page<AuditEntryDto>>(url);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/**
 * A workspace with two teams and one user of each role:
 * repA1, repA2 and managerA in team A; repB in team B; marketing and service in no team.
 */
export interface SalesWorld {
  admin: TestUser;
  teamA: string;
  teamB: string;
  repA1: TestUser;
  repA2: TestUser;
  repB: TestUser;
  managerA: TestUser;
  marketing: TestUser;
  service: TestUser;
}

export async function salesWorld(t: TestBackend): Promise<SalesWorld> {
  const admin = await createWorkspace(t);
  const ws = admin.workspaceId;
  const teamA = await createTeam(t, ws);
  const teamB = await createTeam(t, ws);
  return {
    admin,
    teamA,
    teamB,
    repA1: await addUser(t, ws, 'sales_rep', { teamIds: [teamA] }),
    repA2: await addUser(t, ws, 'sales_rep', { teamIds: [teamA] }),
    repB: await addUser(t, ws, 'sales_rep', { teamIds: [teamB] }),
    managerA: await addUser(t, ws, 'sales_manager', { teamIds: [teamA] }),
    marketing: await addUser(t, ws, 'marketing'),
    service: await addUser(t, ws, 'service'),
  };
}
