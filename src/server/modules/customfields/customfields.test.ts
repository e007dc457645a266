import { expect, it } from 'vitest';
import { addUser, createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { CompanyDto } from '../../../contracts/companies.ts';
import type { ContactDto } from '../../../contracts/contacts.ts';
import type { CustomFieldDto } from '../../../contracts/customFields.ts';
import { auditRows, type ErrorBody, newCompany, newContact } from '../contacts/records.fixtures.ts';

async function define(u: TestUser, body: Record<string, unknown>): Promise<CustomFieldDto> {
  const res = await u.api.post<CustomFieldDto>('/api/custom-fields', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** One field of every type on contacts. */
async function everyType(admin: TestUser) {
  await define(admin, { entity: 'contact', key: 'notes', label: 'Notes', type: 'text' });
  await define(admin, { entity: 'contact', key: 'budget', label: 'Budget', type: 'number' });
  await define(admin, { entity: 'contact', key: 'met_on', label: 'Met on', type: 'date' });
  await define(admin, {
    entity: 'contact',
    key: 'tier',
    label: 'Tier',
    type: 'select',
    options: ['gold', 'silver'],
  });
  await define(admin, {
    entity: 'contact',
    key: 'fairs',
    label: 'Fairs',
    type: 'multi_select',
    options: ['canton', 'hannover', 'ces'],
  });
  await define(admin, { entity: 'contact', key: 'vip', label: 'VIP', type: 'boolean' });
}

forEachBackend('custom field definitions', (t) => {
  it('lets admins and marketing define fields, lists them by entity, and refuses other roles', async () => {
    const admin = await createWorkspace(t);
    const marketing = await addUser(t, admin.workspaceId, 'marketing');
    const f1 = await define(admin, {
      entity: 'contact',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['a'],
    });
    expect(f1).toEqual({
      id: expect.stringMatching(/^cf_/),
      entity: 'contact',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['a'],
      required: false,
    });
    const f2 = await define(marketing, { entity: 'company', key: 'tier', label: 'Tier', type: 'text' });
    for (const role of ['sales_rep', 'sales_manager', 'service'] as const) {
      const u = await addUser(t, admin.workspaceId, role);
      expect(
        (await u.api.post('/api/custom-fields', { entity: 'contact', key: 'x', label: 'X', type: 'text' }))
          .status,
      ).toBe(403);
      expect((await u.api.patch(`/api/custom-fields/${f1.id}`, { label: 'Y' })).status).toBe(403);
      expect((await u.api.delete(`/api/custom-fields/${f1.id}`)).status).toBe(403);
      expect((await u.api.get<{ items: CustomFieldDto[] }>('/api/custom-fields')).body.items).toHaveLength(2);
    }
    expect(
      (await admin.api.get<{ items: CustomFieldDto[] }>('/api/custom-fields?entity=company')).body.items,
    ).toEqual([f2]);
    expect((await admin.api.get('/api/custom-fields?entity=deal')).status).toBe(400);
  });

  it('answers a key taken for the same entity with 409 and the existing id', async () => {
    const admin = await createWorkspace(t);
    const f = await define(admin, { entity: 'contact', key: 'tier', label: 'Tier', type: 'text' });
    const dup = await admin.api.post<ErrorBody>('/api/custom-fields', {
      entity: 'contact',
      key: 'tier',
      label: 'Again',
      type: 'number',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.existingId).toBe(f.id);
  });

  it('needs options for select types and refuses them for the others', async () => {
    const admin = await createWorkspace(t);
    for (const body of [
      { entity: 'contact', key: 'a', label: 'A', type: 'select' },
      { entity: 'contact', key: 'b', label: 'B', type: 'multi_select', options: ['x', 'x'] },
      { entity: 'contact', key: 'c', label: 'C', type: 'text', options: ['x'] },
      { entity: 'contact', key: 'Bad Key', label: 'D', type: 'text' },
      { entity: 'contact', key: 'e', label: 'E', type: 'colour' },
    ]) {
      const res = await admin.api.post<ErrorBody>('/api/custom-fields', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const f = await define(admin, {
      entity: 'contact',
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['a'],
    });
    expect((await admin.api.patch(`/api/custom-fields/${f.id}`, { options: [] })).status).toBe(400);
    expect((await admin.api.patch(`/api/custom-fields/${f.id}`, { type: 'text' })).status).toBe(400);
    t.clock.advance(1000);
    const ok = await admin.api.patch<CustomFieldDto>(`/api/custom-fields/${f.id}`, {
      options: ['a', 'b'],
      label: 'Level',
      required: true,
    });
    expect(ok.body).toMatchObject({ options: ['a', 'b'], label: 'Level', required: true });
    const rows = await auditRows(t, admin.workspaceId, f.id);
    expect(rows.map((r) => r.action)).toEqual(['create', 'update']);
  });

  it('deletes a field and removes its values from every record', async () => {
    const admin = await createWorkspace(t);
    const f = await define(admin, { entity: 'contact', key: 'notes', label: 'Notes', type: 'text' });
    await define(admin, { entity: 'contact', key: 'keep', label: 'Keep', type: 'text' });
    const c = await newContact(admin.api, { firstName: 'Ada', custom: { notes: 'hello', keep: 'me' } });
    expect((await admin.api.delete(`/api/custom-fields/${f.id}`)).status).toBe(204);
    expect((await admin.api.get<ContactDto>(`/api/contacts/${c.id}`)).body.custom).toEqual({ keep: 'me' });
    expect((await admin.api.delete(`/api/custom-fields/${f.id}`)).status).toBe(404);
    // A new field may reuse the key, and starts clean.
    await define(admin, { entity: 'contact', key: 'notes', label: 'Notes', type: 'number' });
    expect((await admin.api.patch(`/api/contacts/${c.id}`, { custom: { notes: 3 } })).status).toBe(200);
  });

  it('treats another workspace’s field as not found', async () => {
    const admin = await createWorkspace(t);
    const other = await createWorkspace(t);
    const theirs = await define(other, { entity: 'contact', key: 'x', label: 'X', type: 'text' });
    expect((await admin.api.patch(`/api/custom-fields/${theirs.id}`, { label: 'Y' })).status).toBe(404);
    expect((await admin.api.delete(`/api/custom-fields/${theirs.id}`)).status).toBe(404);
    expect((await admin.api.get<{ items: unknown[] }>('/api/custom-fields')).body.items).toEqual([]);
    expect((await admin.api.post('/api/contacts', { firstName: 'A', custom: { x: 'y' } })).status).toBe(400);
  });
});

forEachBackend('custom field values', (t) => {
  it('stores valid values of every type', async () => {
    const admin = await createWorkspace(t);
    await everyType(admin);
    const c = await newContact(admin.api, {
      firstName: 'Ada',
      custom: {
        notes: ' likes tea ',
        budget: 1250.5,
        met_on: '2024-02-29',
        tier: 'gold',
        fairs: ['canton', 'ces', 'canton'],
        vip: false,
      },
    });
    expect(c.custom).toEqual({
      notes: 'likes tea',
      budget: 1250.5,
      met_on: '2024-02-29',
      tier: 'gold',
      fairs: ['canton', 'ces'],
      vip: false,
    });
  });

  it('rejects a wrong value for each type naming custom.<key>, and writes nothing', async () => {
    const admin = await createWorkspace(t);
    await everyType(admin);
    const res = await admin.api.post<ErrorBody>('/api/contacts', {
      firstName: 'Ada',
      custom: {
        notes: 42,
        budget: '100',
        met_on: '2023-02-29',
        tier: 'bronze',
        fairs: ['canton', 'cebit'],
        vip: 'yes',
        shoe_size: 44,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      'custom.notes': 'must be text',
      'custom.budget': 'must be a number',
      'custom.met_on': 'must be a date as YYYY-MM-DD',
      'custom.tier': expect.stringContaining('gold'),
      'custom.fairs': expect.stringContaining('hannover'),
      'custom.vip': 'must be true or false',
      'custom.shoe_size': 'is not a defined custom field',
    });
    for (const [key, value] of [
      ['met_on', '2024-13-01'],
      ['met_on', '01/02/2024'],
      ['fairs', 'canton'],
      ['tier', ['gold']],
    ] as const) {
      const r = await admin.api.post<ErrorBody>('/api/contacts', {
        firstName: 'A',
        custom: { [key]: value },
      });
      expect(r.status, `${key}=${JSON.stringify(value)}`).toBe(400);
      expect(Object.keys(r.body.error.fields ?? {})).toEqual([`custom.${key}`]);
    }
    expect((await admin.api.get<{ items: unknown[] }>('/api/contacts')).body.items).toEqual([]);
    expect(await auditRows(t, admin.workspaceId)).toHaveLength(6); // the six definitions only
  });

  it('validates on update too, merges given keys over the stored ones, and null clears one', async () => {
    const admin = await createWorkspace(t);
    await everyType(admin);
    const c = await newContact(admin.api, { firstName: 'Ada', custom: { tier: 'gold', vip: true } });
    const bad = await admin.api.patch<ErrorBody>(`/api/contacts/${c.id}`, { custom: { budget: 'lots' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ 'custom.budget': 'must be a number' });
    t.clock.advance(1000);
    const ok = await admin.api.patch<ContactDto>(`/api/contacts/${c.id}`, {
      custom: { budget: 7, vip: null },
    });
    expect(ok.body.custom).toEqual({ tier: 'gold', budget: 7 });
    const rows = await auditRows(t, admin.workspaceId, c.id);
    expect(rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect(rows[1]?.diff).toEqual({
      'custom.budget': { from: null, to: 7 },
      'custom.vip': { from: true, to: null },
    });
  });

  it('requires required fields on create and refuses to clear them', async () => {
    const admin = await createWorkspace(t);
    await define(admin, { entity: 'contact', key: 'source', label: 'Source', type: 'text', required: true });
    const missing = await admin.api.post<ErrorBody>('/api/contacts', { firstName: 'Ada' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toEqual({ 'custom.source': 'is required' });
    const blank = await admin.api.post<ErrorBody>('/api/contacts', {
      firstName: 'Ada',
      custom: { source: '  ' },
    });
    expect(blank.body.error.fields).toEqual({ 'custom.source': 'is required' });
    const c = await newContact(admin.api, { firstName: 'Ada', custom: { source: 'fair' } });
    const cleared = await admin.api.patch<ErrorBody>(`/api/contacts/${c.id}`, { custom: { source: null } });
    expect(cleared.status).toBe(400);
    expect(cleared.body.error.fields).toEqual({ 'custom.source': 'is required' });
    // Other edits of the contact stay possible.
    expect((await admin.api.patch(`/api/contacts/${c.id}`, { title: 'CTO' })).status).toBe(200);
  });

  it('validates company values against company fields, not contact fields', async () => {
    const admin = await createWorkspace(t);
    await define(admin, { entity: 'contact', key: 'tier', label: 'Tier', type: 'text' });
    await define(admin, {
      entity: 'company',
      key: 'size',
      label: 'Size',
      type: 'select',
      options: ['s', 'm', 'l'],
    });
    const bad = await admin.api.post<ErrorBody>('/api/companies', {
      name: 'Acme',
      custom: { tier: 'x', size: 'xl' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields ?? {}).sort()).toEqual(['custom.size', 'custom.tier']);
    const co = await newCompany(admin.api, { name: 'Acme', custom: { size: 'm' } });
    const upd = await admin.api.patch<CompanyDto>(`/api/companies/${co.id}`, { custom: { size: 'l' } });
    expect(upd.body.custom).toEqual({ size: 'l' });
  });
});
