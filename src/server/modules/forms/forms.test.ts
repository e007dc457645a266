import { expect, it } from 'vitest';
import { addUser, auditRows, createWorkspace } from '../../../../test/api.ts';
import { forEachBackend } from '../../../../test/harness.ts';
import type { FormDto, FormEmbedDto } from '../../../contracts/forms.ts';
import { createForm, demoForm, fillAndSubmit } from './forms.fixtures.ts';

interface ErrorBody {
  error: { code: string; fields?: Record<string, string> };
}

forEachBackend('web forms API', (t) => {
  it('creates a form and reads it back with derived field types, default labels and zero counters', async () => {
    const admin = await createWorkspace(t);
    const created = await createForm(
      admin,
      demoForm({
        fields: [
          { target: 'email', required: false },
          { target: 'phone', required: false },
          { target: 'country', required: true, label: { 'zh-CN': '所在国家' } },
          { target: 'company.website', required: false },
          { target: 'company.employees', required: false },
        ],
        campaignId: 'cmp_webinar',
        handRaise: true,
        success: { kind: 'redirect', url: 'https://acme.example/thanks' },
      }),
    );
    const res = await admin.api.get<FormDto>(`/api/forms/${created.id}`);
    expect(res.status).toBe(200);
    const form = res.body;
    expect(form).toMatchObject({
      name: 'Demo request',
      status: 'active',
      campaignId: 'cmp_webinar',
      handRaise: true,
      success: { kind: 'redirect', url: 'https://acme.example/thanks' },
      hostedPath: `/f/${created.id}`,
      stats: { submissions: 0, spamDropped: 0, lastSubmissionAt: null },
      createdBy: admin.userId,
    });
    expect(form.fields.map((f) => [f.target, f.type, f.required])).toEqual([
      ['email', 'email', true], // the e-mail is always required: it is the dedupe key
      ['phone', 'tel', false],
      ['country', 'select', true],
      ['company.website', 'url', false],
      ['company.employees', 'number', false],
    ]);
    expect(form.fields[0]!.displayLabel).toEqual({ en: 'E-mail', 'zh-CN': '电子邮箱' });
    expect(form.fields[2]!.displayLabel).toEqual({ en: '所在国家', 'zh-CN': '所在国家' });
    expect(form.fields[2]!.options).toContain('CN');
  });

  it('maps custom fields to inputs: select with its options, multi-select as checkboxes, boolean as a checkbox', async () => {
    const admin = await createWorkspace(t);
    for (const def of [
      { key: 'budget', type: 'select', options: ['<10k', '10k+'] },
      { key: 'interests', type: 'multi_select', options: ['CRM', 'ERP'] },
      { key: 'newsletter', type: 'boolean' },
      { key: 'visit_date', type: 'date' },
    ]) {
      const r = await admin.api.post('/api/custom-fields', { entity: 'contact', label: def.key, ...def });
      expect(r.status).toBe(201);
    }
    const form = await createForm(
      admin,
      demoForm({
        fields: [
          { target: 'email', required: true },
          { target: 'custom.budget', required: true },
          { target: 'custom.interests', required: false },
          { target: 'custom.newsletter', required: false },
          { target: 'custom.visit_date', required: false },
        ],
      }),
    );
    expect(form.fields.slice(1).map((f) => [f.type, f.options])).toEqual([
      ['select', ['<10k', '10k+']],
      ['checkboxes', ['CRM', 'ERP']],
      ['checkbox', []],
      ['date', []],
    ]);
    const res = await fillAndSubmit(t, form.id, {
      email: 'cf@example.com',
      'custom.budget': '10k+',
      'custom.interests': ['CRM', 'ERP'],
      'custom.newsletter': 'true',
      'custom.visit_date': '2026-02-30',
      _consent: 'yes',
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('must be a date (YYYY-MM-DD)');
    const ok = await fillAndSubmit(t, form.id, {
      email: 'cf@example.com',
      'custom.budget': '10k+',
      'custom.interests': ['CRM', 'ERP'],
      'custom.newsletter': 'true',
      _consent: 'yes',
    });
    expect(ok.status).toBe(200);
    const contact = await t.ctx.db
      .selectFrom('contacts')
      .select('custom')
      .where('workspace_id', '=', admin.workspaceId)
      .executeTakeFirstOrThrow();
    expect(contact.custom).toEqual({ budget: '10k+', interests: ['CRM', 'ERP'], newsletter: true });
  });

  it('refuses a form without an e-mail field, with a repeated, unknown or undefined custom target, naming the field', async () => {
    const admin = await createWorkspace(t);
    const noEmail = await admin.api.post<ErrorBody>(
      '/api/forms',
      demoForm({ fields: [{ target: 'firstName', required: true }] }),
    );
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.fields).toHaveProperty('fields');
    const repeated = await admin.api.post<ErrorBody>(
      '/api/forms',
      demoForm({
        fields: [
          { target: 'email', required: true },
          { target: 'phone', required: false },
          { target: 'phone', required: true },
        ],
      }),
    );
    expect(repeated.status).toBe(400);
    expect(Object.keys(repeated.body.error.fields ?? {})).toEqual(['fields.2.target']);
    const unknown = await admin.api.post<ErrorBody>(
      '/api/forms',
      demoForm({
        fields: [
          { target: 'email', required: true },
          { target: 'salary', required: false },
        ],
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toHaveProperty(['fields.1.target']);
    const undefinedCustom = await admin.api.post<ErrorBody>(
      '/api/forms',
      demoForm({
        fields: [
          { target: 'email', required: true },
          { target: 'custom.size', required: false },
        ],
      }),
    );
    expect(undefinedCustom.status).toBe(400);
    expect(undefinedCustom.body.error.fields?.['fields.1.target']).toContain(
      'not a defined contact custom field',
    );
    const list = await admin.api.get<{ items: FormDto[] }>('/api/forms');
    expect(list.body.items).toHaveLength(0);
  });

  it('refuses a redirect that is not an http or https URL', async () => {
    const admin = await createWorkspace(t);
    for (const url of [
      'javascript:alert(1)',
      'ftp://acme.example/x',
      'not a url',
      `https://a.example/${'x'.repeat(2000)}`,
    ]) {
      const res = await admin.api.post<ErrorBody>(
        '/api/forms',
        demoForm({ success: { kind: 'redirect', url } }),
      );
      expect(res.status, url).toBe(400);
      expect(res.body.error.fields, url).toHaveProperty(['success.url']);
    }
  });

  it('lets marketing write forms, refuses sales and service roles with 403, and lets every role read them', async () => {
    const admin = await createWorkspace(t);
    const marketing = await addUser(t, admin.workspaceId, 'marketing');
    const form = await createForm(marketing);
    for (const role of ['sales_manager', 'sales_rep', 'service'] as const) {
      const user = await addUser(t, admin.workspaceId, role);
      expect((await user.api.post('/api/forms', demoForm())).status, role).toBe(403);
      expect((await user.api.patch(`/api/forms/${form.id}`, { name: 'x' })).status, role).toBe(403);
      expect((await user.api.get(`/api/forms/${form.id}/submissions`)).status, role).toBe(403);
      expect((await user.api.get(`/api/forms/${form.id}`)).status, role).toBe(200);
      expect((await user.api.get(`/api/forms/${form.id}/embed`)).status, role).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/forms' })).statusCode).toBe(401);
  });

  it('changes and archives a form, auditing the changed keys', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const changed = await admin.api.patch<FormDto>(`/api/forms/${form.id}`, {
      name: 'Demo request 2026',
      fields: [
        { target: 'email', required: true },
        { target: 'title', required: true },
      ],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.fields.map((f) => f.target)).toEqual(['email', 'title']);
    const archived = await admin.api.patch<FormDto>(`/api/forms/${form.id}`, { status: 'archived' });
    expect(archived.body.status).toBe('archived');
    const bad = await admin.api.patch<ErrorBody>(`/api/forms/${form.id}`, {
      fields: [{ target: 'title', required: true }],
    });
    expect(bad.status).toBe(400);
    const rows = (await auditRows(t, admin.workspaceId)).filter((r) => r.entity_type === 'form');
    expect(rows.map((r) => [r.action, Object.keys(r.diff).sort()])).toEqual([
      ['create', ['campaignId', 'fields', 'handRaise', 'name', 'status']],
      ['update', ['fields', 'name']],
      ['update', ['status']],
    ]);
    const active = await admin.api.get<{ items: FormDto[] }>('/api/forms?status=active');
    expect(active.body.items).toHaveLength(0);
  });

  it("answers 404 for another workspace's form on every form route", async () => {
    const mine = await createWorkspace(t);
    const theirs = await createWorkspace(t);
    const form = await createForm(theirs);
    for (const res of [
      await mine.api.get(`/api/forms/${form.id}`),
      await mine.api.patch(`/api/forms/${form.id}`, { name: 'mine now' }),
      await mine.api.get(`/api/forms/${form.id}/embed`),
      await mine.api.get(`/api/forms/${form.id}/submissions`),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await mine.api.get<{ items: FormDto[] }>('/api/forms')).body.items).toHaveLength(0);
    expect((await theirs.api.get<FormDto>(`/api/forms/${form.id}`)).body.name).toBe('Demo request');
  });

  it('returns embed snippets for the given origin with the form name escaped', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin, demoForm({ name: 'Quote "now" <b>' }));
    const res = await admin.api.get<FormEmbedDto>(
      `/api/forms/${form.id}/embed?origin=${encodeURIComponent('https://crm.acme.example/some/path')}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.url).toBe(`https://crm.acme.example/f/${form.id}`);
    expect(res.body.script).toBe(
      `<script src="https://crm.acme.example/f/assets/embed.js" data-tandem-form="${form.id}" async></script>`,
    );
    expect(res.body.iframe).toContain(`src="https://crm.acme.example/f/${form.id}?embed=1"`);
    expect(res.body.iframe).toContain('title="Quote &quot;now&quot; &lt;b&gt;"');
    const byHost = await admin.api.request<FormEmbedDto>('GET', `/api/forms/${form.id}/embed`, undefined, {
      host: 'tandem.local:3111',
    });
    expect(byHost.body.url).toBe(`http://tandem.local:3111/f/${form.id}`);
    const bad = await admin.api.get(`/api/forms/${form.id}/embed?origin=javascript:alert(1)`);
    expect(bad.status).toBe(400);
  });

  it('lists forms newest first in cursor pages', async () => {
    const admin = await createWorkspace(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await createForm(admin, demoForm({ name: `Form ${i}` }))).id);
      t.clock.advance(1);
    }
    const first = await admin.api.get<{ items: FormDto[]; nextCursor: string | null }>('/api/forms?limit=2');
    expect(first.body.items.map((f) => f.name)).toEqual(['Form 4', 'Form 3']);
    const second = await admin.api.get<{ items: FormDto[]; nextCursor: string | null }>(
      `/api/forms?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((f) => f.name)).toEqual(['Form 2', 'Form 1']);
    const third = await admin.api.get<{ items: FormDto[]; nextCursor: string | null }>(
      `/api/forms?limit=2&cursor=${second.body.nextCursor}`,
    );
    expect(third.body.items.map((f) => f.name)).toEqual(['Form 0']);
    expect(third.body.nextCursor).toBeNull();
    expect((await admin.api.get('/api/forms?cursor=garbage')).status).toBe(400);
  });

  it("lists a form's submissions newest first in cursor pages", async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin, demoForm({ consent: null }));
    for (const who of ['a', 'b', 'c']) await fillAndSubmit(t, form.id, { email: `${who}@example.com` });
    const first = await admin.api.get<{ items: { values: { email: string } }[]; nextCursor: string }>(
      `/api/forms/${form.id}/submissions?limit=2`,
    );
    expect(first.body.items.map((s) => s.values.email)).toEqual(['c@example.com', 'b@example.com']);
    const rest = await admin.api.get<{ items: { values: { email: string } }[]; nextCursor: string | null }>(
      `/api/forms/${form.id}/submissions?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(rest.body.items.map((s) => s.values.email)).toEqual(['a@example.com']);
    expect(rest.body.nextCursor).toBeNull();
    const stats = (await admin.api.get<FormDto>(`/api/forms/${form.id}`)).body.stats;
    expect(stats.submissions).toBe(3);
    expect(stats.lastSubmissionAt).not.toBeNull();
  });
});
