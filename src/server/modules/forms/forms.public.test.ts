import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createWorkspace, type TestUser } from '../../../../test/api.ts';
import { forEachBackend, type TestBackend } from '../../../../test/harness.ts';
import type { FormDto } from '../../../contracts/forms.ts';
import {
  CONSENT_EN,
  CONSENT_ZH,
  contactsByEmail,
  countRows,
  createForm,
  demoForm,
  fillAndSubmit,
  openForm,
  postForm,
} from './forms.fixtures.ts';

interface TouchRow {
  id: string;
  type: string;
  campaign_id: string | null;
  channel: string | null;
  metadata: Record<string, unknown>;
}

async function touchesOf(t: TestBackend, workspaceId: string, contactId: string): Promise<TouchRow[]> {
  const res = await sql<TouchRow>`
    SELECT id, type, campaign_id, channel, metadata FROM touches
    WHERE workspace_id = ${workspaceId} AND contact_id = ${contactId} ORDER BY occurred_at, id`.execute(
    t.ctx.db,
  );
  return res.rows;
}

async function formStats(u: TestUser, id: string) {
  const res = await u.api.get<FormDto>(`/api/forms/${id}`);
  return res.body.stats;
}

forEachBackend('web forms: hosted page and submissions', (t) => {
  it('renders the hosted page with escaped labels, a honeypot, a signed token and no inline script', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(
      admin,
      demoForm({
        title: { en: 'Talk to <sales> & "friends"' },
        fields: [
          { target: 'email', required: true },
          { target: 'company', label: { en: '<img src=x onerror=alert(1)>' }, required: false },
        ],
      }),
    );
    const page = await openForm(t, form.id);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('<h1>Talk to &lt;sales&gt; &amp; &quot;friends&quot;</h1>');
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.html).not.toContain('<img');
    expect(page.html).toContain(
      'I agree that Acme may e-mail me about &lt;products&gt; &amp; &quot;offers&quot;.',
    );
    expect(page.html).toContain('name="homepage"');
    expect(page.html).toMatch(/name="_token" value="[0-9a-z]+\.[A-Za-z0-9_-]{43}"/);
    expect(page.html).toContain('<script src="/f/assets/form.js" defer></script>');
    expect(page.html).not.toMatch(/<script>(?!<)/);
    expect(page.html).not.toMatch(/\son[a-z]+="/);
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('renders in Chinese from ?lang= or Accept-Language, with Chinese default labels and consent text', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const byQuery = await openForm(t, form.id, { query: 'lang=zh-CN' });
    expect(byQuery.html).toContain('<html lang="zh-CN">');
    expect(byQuery.html).toContain('预约演示');
    expect(byQuery.html).toContain('电子邮箱');
    expect(byQuery.html).toContain(CONSENT_ZH);
    const byHeader = await openForm(t, form.id, {
      headers: { 'accept-language': 'de-DE,zh-TW;q=0.8,en;q=0.5' },
    });
    expect(byHeader.html).toContain('<html lang="zh-CN">');
    const english = await openForm(t, form.id, { headers: { 'accept-language': 'en-GB,zh;q=0.3' } });
    expect(english.html).toContain('<html lang="en">');
    expect(english.html).toContain('Book a demo');
  });

  it('creates the contact, the consent with its exact text, the submission and a form_submit touch that sets the source', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin, demoForm({ campaignId: 'cmpgn_spring' }));
    const res = await fillAndSubmit(
      t,
      form.id,
      {
        email: 'Mei.Lin@Example.cn',
        firstName: 'Mei',
        lastName: 'Lin',
        company: 'Lin Trading',
        _consent: 'yes',
        utm_source: 'linkedin',
        utm_medium: 'social',
        utm_campaign: 'spring-launch',
        utm_term: 'crm',
        _referrer: 'https://www.linkedin.com/',
      },
      { headers: { 'user-agent': 'TestBrowser/1.0' } },
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain('Thank you!');
    const [contact, ...others] = await contactsByEmail(t, admin.workspaceId, 'mei.lin@example.cn');
    expect(others).toHaveLength(0);
    expect(contact).toMatchObject({
      first_name: 'Mei',
      last_name: 'Lin',
      company_name: 'Lin Trading',
      owner_id: null,
      source_channel: 'web',
      source_campaign_id: 'cmpgn_spring',
      source_utm_source: 'linkedin',
      source_utm_medium: 'social',
      source_utm_campaign: 'spring-launch',
      source_referrer: 'https://www.linkedin.com/',
      touch_count: 1,
    });
    const consents = await t.ctx.db
      .selectFrom('consents')
      .selectAll()
      .where('contact_id', '=', contact!.id)
      .execute();
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      text: CONSENT_EN,
      locale: 'en',
      granted: true,
      form_id: form.id,
      ip: '198.51.100.7',
      user_agent: 'TestBrowser/1.0',
    });
    const subs = await admin.api.get<{
      items: { contactId: string; contactCreated: boolean; values: object; utm: object; consent: object }[];
    }>(`/api/forms/${form.id}/submissions`);
    expect(subs.body.items).toHaveLength(1);
    expect(subs.body.items[0]).toMatchObject({
      contactId: contact!.id,
      contactCreated: true,
      values: { email: 'Mei.Lin@Example.cn', firstName: 'Mei', company: 'Lin Trading', _consent: true },
      utm: { source: 'linkedin', medium: 'social', campaign: 'spring-launch', term: 'crm' },
      referrer: 'https://www.linkedin.com/',
      consent: { granted: true, text: CONSENT_EN, locale: 'en' },
    });
    const touches = await touchesOf(t, admin.workspaceId, contact!.id);
    expect(touches).toHaveLength(1);
    expect(touches[0]).toMatchObject({ type: 'form_submit', campaign_id: 'cmpgn_spring', channel: 'web' });
    expect(touches[0]!.metadata).toMatchObject({ formId: form.id, utmTerm: 'crm' });
    expect(touches[0]!.metadata.handRaise).toBeUndefined();
    expect((await formStats(admin, form.id)).submissions).toBe(1);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', contact!.id)
      .execute();
    expect(audit.map((a) => [a.action, a.actor_label])).toEqual([['create', `form:${form.id}`]]);
  });

  it('shows the submission on the contact timeline at once', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    await fillAndSubmit(t, form.id, { email: 'tl@example.com', _consent: 'yes' });
    const [contact] = await contactsByEmail(t, admin.workspaceId, 'tl@example.com');
    const timeline = await admin.api.get<{
      items: { kind: string; touch?: { type: string; metadata: object } }[];
    }>(`/api/contacts/${contact!.id}/timeline`);
    expect(timeline.status).toBe(200);
    const touch = timeline.body.items.find((i) => i.kind === 'touch');
    expect(touch?.touch).toMatchObject({ type: 'form_submit', metadata: { formId: form.id } });
  });

  it('fills only blank fields on a second submission from the same e-mail, adds a touch and never a second contact', async () => {
    const admin = await createWorkspace(t);
    const created = await admin.api.post<{ id: string }>('/api/contacts', {
      email: 'ana@example.com',
      firstName: 'Ana',
      tags: ['vip'],
    });
    const form = await createForm(
      admin,
      demoForm({
        consent: null,
        tags: ['webinar'],
        fields: [
          { target: 'email', required: true },
          { target: 'firstName', required: false },
          { target: 'lastName', required: false },
          { target: 'title', required: false },
        ],
      }),
    );
    await fillAndSubmit(t, form.id, { email: 'ANA@example.com', firstName: 'Anastasia', lastName: 'Silva' });
    await fillAndSubmit(t, form.id, {
      email: 'ana@EXAMPLE.com',
      firstName: 'X',
      lastName: 'Y',
      title: 'CTO',
    });
    const contacts = await contactsByEmail(t, admin.workspaceId, 'ana@example.com');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({
      id: created.body.id,
      email: 'ana@example.com',
      first_name: 'Ana',
      last_name: 'Silva',
      title: 'CTO',
      tags: ['vip', 'webinar'],
      touch_count: 2,
    });
    expect(await touchesOf(t, admin.workspaceId, created.body.id)).toHaveLength(2);
    const subs = await admin.api.get<{ items: { contactCreated: boolean }[] }>(
      `/api/forms/${form.id}/submissions`,
    );
    expect(subs.body.items.map((s) => s.contactCreated)).toEqual([false, false]);
  });

  it('makes one contact of two simultaneous first submissions from the same e-mail', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin, demoForm({ consent: null }));
    const pages = [await openForm(t, form.id), await openForm(t, form.id)];
    t.clock.advance(4_000);
    const results = await Promise.all(
      pages.map((p, i) =>
        postForm(t, form.id, { _token: p.token, email: 'race@example.com', firstName: `R${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const contacts = await contactsByEmail(t, admin.workspaceId, 'race@example.com');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.touch_count).toBe(2);
    expect(await countRows(t, 'form_submissions', admin.workspaceId)).toBe(2);
  });

  it('links a company found by domain and creates one by name when none matches', async () => {
    const admin = await createWorkspace(t);
    const acme = await admin.api.post<{ id: string }>('/api/companies', {
      name: 'ACME Corp',
      domain: 'acme.com',
    });
    const form = await createForm(
      admin,
      demoForm({
        consent: null,
        fields: [
          { target: 'email', required: true },
          { target: 'company', required: false },
          { target: 'company.website', required: false },
          { target: 'company.employees', required: false },
        ],
      }),
    );
    await fillAndSubmit(t, form.id, {
      email: 'a@acme.com',
      company: 'Acme',
      'company.website': 'www.acme.com/en',
    });
    await fillAndSubmit(t, form.id, { email: 'b@newco.io', company: 'NewCo', 'company.employees': '1,200' });
    const [a] = await contactsByEmail(t, admin.workspaceId, 'a@acme.com');
    expect(a).toMatchObject({ company_id: acme.body.id, company_name: 'ACME Corp' });
    const [b] = await contactsByEmail(t, admin.workspaceId, 'b@newco.io');
    const newco = await t.ctx.db
      .selectFrom('companies')
      .selectAll()
      .where('id', '=', b!.company_id!)
      .executeTakeFirst();
    expect(newco).toMatchObject({ name: 'NewCo', employees: 1200, owner_id: null });
    expect(await countRows(t, 'companies', admin.workspaceId)).toBe(2);
  });

  it('re-renders the page with messages next to the fields and writes nothing when values are bad', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(
      admin,
      demoForm({
        fields: [
          { target: 'email', required: true },
          { target: 'lastName', required: true },
        ],
      }),
    );
    const res = await fillAndSubmit(t, form.id, { email: 'not-an-email', lastName: '', firstName: '<b>' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Please correct the marked fields.');
    expect(res.body).toMatch(/name="email" value="not-an-email"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('must be a valid e-mail address');
    expect(res.body).toContain('is required');
    expect(res.body).toMatch(/name="_consent" value="yes" required aria-invalid="true"/);
    const zh = await fillAndSubmit(t, form.id, { email: 'x@example.com', lastName: '王', _lang: 'zh-CN' });
    expect(zh.status).toBe(400);
    expect(zh.body).toContain('此项为必填');
    expect(await countRows(t, 'contacts', admin.workspaceId)).toBe(0);
    expect(await countRows(t, 'form_submissions', admin.workspaceId)).toBe(0);
    expect(await countRows(t, 'consents', admin.workspaceId)).toBe(0);
  });

  it('answers JSON posts with a 400 naming the fields, or ok with the thank-you message', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(
      admin,
      demoForm({ success: { kind: 'message', message: { en: 'Thanks, we call you!' } } }),
    );
    const bad = await fillAndSubmit(t, form.id, { email: 'nope' }, { json: true });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      error: {
        code: 'validation_failed',
        fields: { email: 'must be a valid e-mail address', _consent: 'is required' },
      },
    });
    const ok = await fillAndSubmit(
      t,
      form.id,
      { email: 'json@example.com', _consent: 'yes' },
      { json: true },
    );
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ ok: true, message: 'Thanks, we call you!', redirectUrl: null });
    expect(await contactsByEmail(t, admin.workspaceId, 'json@example.com')).toHaveLength(1);
  });

  it('drops a filled honeypot quietly with the usual thank-you, counts it and writes no contact', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const res = await fillAndSubmit(t, form.id, {
      email: 'bot@spam.example',
      _consent: 'yes',
      homepage: 'http://spam.example',
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Thank you!');
    expect(await countRows(t, 'contacts', admin.workspaceId)).toBe(0);
    expect(await formStats(admin, form.id)).toMatchObject({ submissions: 0, spamDropped: 1 });
  });

  it('drops submissions sent under 3 seconds after the page, or with a forged or missing token', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const page = await openForm(t, form.id);
    t.clock.advance(1_000);
    const fast = await postForm(t, form.id, {
      _token: page.token,
      email: 'fast@example.com',
      _consent: 'yes',
    });
    expect(fast.status).toBe(200);
    expect(fast.body).toContain('Thank you!');
    // A token claiming an older render time, but signed without the secret.
    const [, sig] = page.token.split('.');
    const forged = `${(Date.now() - 60_000).toString(36)}.${sig}`;
    t.clock.advance(5_000);
    await postForm(t, form.id, { _token: forged, email: 'forged@example.com', _consent: 'yes' });
    await postForm(t, form.id, { email: 'none@example.com', _consent: 'yes' });
    // Another form's token does not fit this one.
    const other = await createForm(admin, demoForm({ name: 'Other' }));
    const otherPage = await openForm(t, other.id);
    t.clock.advance(5_000);
    await postForm(
      t,
      form.id,
      { _token: otherPage.token, email: 'other@example.com', _consent: 'yes' },
      { json: true },
    );
    expect(await countRows(t, 'contacts', admin.workspaceId)).toBe(0);
    expect(await formStats(admin, form.id)).toMatchObject({ submissions: 0, spamDropped: 4 });
    // The same first token, now older than 3 seconds, is accepted.
    const late = await postForm(t, form.id, {
      _token: page.token,
      email: 'late@example.com',
      _consent: 'yes',
    });
    expect(late.status).toBe(200);
    expect(await countRows(t, 'contacts', admin.workspaceId)).toBe(1);
  });

  it('shows the form again with a fresh token when the page was open for over a day, writing nothing', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const page = await openForm(t, form.id);
    t.clock.advance(25 * 60 * 60 * 1000);
    const res = await postForm(t, form.id, {
      _token: page.token,
      email: 'slow@example.com',
      _consent: 'yes',
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('open for too long');
    expect(res.body).toContain('value="slow@example.com"');
    const token = /name="_token" value="([^"]*)"/.exec(res.body)?.[1];
    expect(token).not.toBe(page.token);
    expect(await countRows(t, 'contacts', admin.workspaceId)).toBe(0);
    t.clock.advance(4_000);
    const again = await postForm(t, form.id, { _token: token!, email: 'slow@example.com', _consent: 'yes' });
    expect(again.status).toBe(200);
    expect(await countRows(t, 'contacts', admin.workspaceId)).toBe(1);
  });

  it('answers 429 after 10 posts a minute from one address, but not to another address', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    for (let i = 0; i < 10; i++) {
      const r = await postForm(t, form.id, { email: `r${i}@example.com` }, { ip: '203.0.113.1' });
      expect(r.status).toBe(200);
    }
    const limited = await postForm(t, form.id, { email: 'r10@example.com' }, { ip: '203.0.113.1' });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: { code: 'rate_limited' } });
    const other = await postForm(t, form.id, { email: 'r11@example.com' }, { ip: '203.0.113.2' });
    expect(other.status).toBe(200);
  });

  it('answers 413 to a post over 64 KB and writes nothing', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const page = await openForm(t, form.id);
    t.clock.advance(4_000);
    const res = await postForm(t, form.id, {
      _token: page.token,
      email: 'big@example.com',
      _consent: 'yes',
      firstName: 'x'.repeat(70 * 1024),
    });
    expect(res.status).toBe(413);
    expect(await countRows(t, 'contacts', admin.workspaceId)).toBe(0);
  });

  it('answers 404 for an archived or unknown form, on the page and to a post', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const page = await openForm(t, form.id);
    expect((await admin.api.patch(`/api/forms/${form.id}`, { status: 'archived' })).status).toBe(200);
    t.clock.advance(4_000);
    const archivedPage = await openForm(t, form.id);
    expect(archivedPage.status).toBe(404);
    expect(archivedPage.html).toContain('This form is not available.');
    const post = await postForm(t, form.id, {
      _token: page.token,
      email: 'late@example.com',
      _consent: 'yes',
    });
    expect(post.status).toBe(404);
    const json = await postForm(t, 'frm_doesnotexist', { email: 'x@example.com' }, { json: true });
    expect(json.status).toBe(404);
    expect(json.json).toMatchObject({ error: { code: 'not_found' } });
    expect((await openForm(t, 'frm_doesnotexist')).status).toBe(404);
    expect(await countRows(t, 'contacts', admin.workspaceId)).toBe(0);
  });

  it('lets any site frame the hosted page and its answers, while the API and app stay same-origin', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const page = await openForm(t, form.id, { query: 'embed=1' });
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(String(page.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const answer = await fillAndSubmit(t, form.id, { email: 'f@example.com', _consent: 'yes', _embed: '1' });
    expect(answer.headers['x-frame-options']).toBeUndefined();
    expect(String(answer.headers['content-security-policy'])).toContain('frame-ancestors *');
    const api = await admin.api.get(`/api/forms/${form.id}`);
    expect(api.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(String(api.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
  });

  it('serves form.js, embed.js and form.css for other origins to load, and nothing else under assets', async () => {
    for (const [file, type] of [
      ['form.js', 'text/javascript'],
      ['embed.js', 'text/javascript'],
      ['form.css', 'text/css'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/f/assets/${file}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain(type);
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    }
    const embed = await t.app.inject({ method: 'GET', url: '/f/assets/embed.js' });
    expect(embed.body).toContain('data-tandem-form');
    expect((await t.app.inject({ method: 'GET', url: '/f/assets/..%2Fforms.repo.ts' })).statusCode).toBe(404);
  });

  it("redirects to the form's URL after a post, and asks the host page to go there when embedded", async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(
      admin,
      demoForm({ success: { kind: 'redirect', url: 'https://acme.example/thanks?x=1&y=2' } }),
    );
    const page = await openForm(t, form.id);
    expect(String(page.headers['content-security-policy'])).toContain(
      "form-action 'self' https://acme.example",
    );
    const direct = await fillAndSubmit(t, form.id, { email: 'r1@example.com', _consent: 'yes' });
    expect(direct.status).toBe(303);
    expect(direct.headers.location).toBe('https://acme.example/thanks?x=1&y=2');
    const framed = await fillAndSubmit(t, form.id, { email: 'r2@example.com', _consent: 'yes', _embed: '1' });
    expect(framed.status).toBe(200);
    expect(framed.body).toContain('data-redirect="https://acme.example/thanks?x=1&amp;y=2"');
    const json = await fillAndSubmit(
      t,
      form.id,
      { email: 'r3@example.com', _consent: 'yes' },
      { json: true },
    );
    expect(json.json).toEqual({
      ok: true,
      message: null,
      redirectUrl: 'https://acme.example/thanks?x=1&y=2',
    });
  });

  it('takes the UTM, referrer and page of an embedding page from the iframe URL', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin, demoForm({ consent: null }));
    const query = new URLSearchParams({
      utm_source: 'google',
      utm_medium: 'cpc',
      ref: 'https://www.google.com/',
      page: 'https://acme.example/pricing?utm_source=google',
      embed: '1',
    }).toString();
    const page = await openForm(t, form.id, { query, headers: { referer: 'https://acme.example/pricing' } });
    expect(page.html).toContain('name="utm_source" value="google"');
    expect(page.html).toContain('name="_referrer" value="https://www.google.com/"');
    expect(page.html).toContain('name="_embed" value="1"');
    const hidden = Object.fromEntries(
      [...page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    t.clock.advance(4_000);
    await postForm(t, form.id, { ...hidden, email: 'emb@example.com' } as Record<string, string>);
    const [c] = await contactsByEmail(t, admin.workspaceId, 'emb@example.com');
    expect(c).toMatchObject({
      source_utm_source: 'google',
      source_utm_medium: 'cpc',
      source_referrer: 'https://www.google.com/',
    });
    const touches = await touchesOf(t, admin.workspaceId, c!.id);
    expect(touches[0]!.metadata.pageUrl).toBe('https://acme.example/pricing?utm_source=google');
  });

  it('accepts the post of a signed-in user whose session cookie rides along without a CSRF header', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(admin);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: admin.email, password: 'correct horse battery' },
    });
    const cookie = /tandem_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))?.[1];
    expect(cookie).toBeTruthy();
    const res = await fillAndSubmit(
      t,
      form.id,
      { email: 'me@example.com', _consent: 'yes' },
      { headers: { cookie: `tandem_session=${cookie}` } },
    );
    expect(res.status).toBe(200);
    expect(await contactsByEmail(t, admin.workspaceId, 'me@example.com')).toHaveLength(1);
  });

  it('marks the touch of a hand-raise form with handRaise and the campaign', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(
      admin,
      demoForm({ handRaise: true, campaignId: 'cmp_quote', consent: null }),
    );
    await fillAndSubmit(t, form.id, { email: 'buyer@example.com' });
    const [c] = await contactsByEmail(t, admin.workspaceId, 'buyer@example.com');
    const [touch] = await touchesOf(t, admin.workspaceId, c!.id);
    expect(touch).toMatchObject({ campaign_id: 'cmp_quote', metadata: { handRaise: true, formId: form.id } });
  });

  it('records a declined optional consent as not granted, in the language shown', async () => {
    const admin = await createWorkspace(t);
    const form = await createForm(
      admin,
      demoForm({ consent: { required: false, text: { 'zh-CN': CONSENT_ZH } } }),
    );
    const res = await fillAndSubmit(t, form.id, { email: 'no@example.com' }, { query: 'lang=en' });
    expect(res.status).toBe(200);
    const [c] = await contactsByEmail(t, admin.workspaceId, 'no@example.com');
    const [consent] = await t.ctx.db
      .selectFrom('consents')
      .selectAll()
      .where('contact_id', '=', c!.id)
      .execute();
    expect(consent).toMatchObject({ granted: false, text: CONSENT_ZH, locale: 'zh-CN' });
    await expect(sql`UPDATE consents SET granted = true`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
  });
});
