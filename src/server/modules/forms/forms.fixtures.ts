import { expect } from 'vitest';
import type { TestUser } from '../../../../test/api.ts';
import type { TestBackend } from '../../../../test/harness.ts';
import type { FormCreate, FormDto } from '../../../contracts/forms.ts';

/** Helpers for the forms tests: a form, the hosted page, and posts to it from a chosen address. */

export const CONSENT_EN = 'I agree that Acme may e-mail me about <products> & "offers".';
export const CONSENT_ZH = '我同意 Acme 通过电子邮件向我发送产品信息。';

export function demoForm(overrides: Partial<FormCreate> = {}): FormCreate {
  return {
    name: 'Demo request',
    title: { en: 'Book a demo', 'zh-CN': '预约演示' },
    fields: [
      { target: 'email', required: true },
      { target: 'firstName', required: false },
      { target: 'lastName', required: false },
      { target: 'company', required: false },
    ],
    consent: { required: true, text: { en: CONSENT_EN, 'zh-CN': CONSENT_ZH } },
    ...overrides,
  };
}

export async function createForm(u: TestUser, input: FormCreate = demoForm()): Promise<FormDto> {
  const res = await u.api.post<FormDto>('/api/forms', input);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export interface Page {
  status: number;
  html: string;
  token: string;
  headers: Record<string, unknown>;
}

export async function openForm(
  t: TestBackend,
  formId: string,
  opts: { query?: string; headers?: Record<string, string> } = {},
): Promise<Page> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/f/${formId}${opts.query ? `?${opts.query}` : ''}`,
    headers: opts.headers ?? {},
  });
  const token = /name="_token" value="([^"]*)"/.exec(res.body)?.[1] ?? '';
  return { status: res.statusCode, html: res.body, token, headers: res.headers };
}

export interface PostResult {
  status: number;
  body: string;
  json: unknown;
  headers: Record<string, unknown>;
}

/** Posts form-urlencoded (as the hosted page does) or JSON, from `ip`. */
export async function postForm(
  t: TestBackend,
  formId: string,
  values: Record<string, string | string[]>,
  opts: { ip?: string; json?: boolean; headers?: Record<string, string> } = {},
): Promise<PostResult> {
  let payload: string;
  let type: string;
  if (opts.json) {
    payload = JSON.stringify(values);
    type = 'application/json';
  } else {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(values))
      for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
    payload = p.toString();
    type = 'application/x-www-form-urlencoded';
  }
  const res = await t.app.inject({
    method: 'POST',
    url: `/f/${formId}`,
    payload,
    headers: { 'content-type': type, ...(opts.headers ?? {}) },
    remoteAddress: opts.ip ?? '198.51.100.7',
  });
  const isJson = String(res.headers['content-type'] ?? '').includes('json');
  return {
    status: res.statusCode,
    body: res.body,
    json: isJson ? JSON.parse(res.body) : undefined,
    headers: res.headers,
  };
}

/** Opens the page, lets a person's 3.5 seconds pass on the test clock, and submits. */
export async function fillAndSubmit(
  t: TestBackend,
  formId: string,
  values: Record<string, string | string[]>,
  opts: { ip?: string; json?: boolean; query?: string; headers?: Record<string, string> } = {},
): Promise<PostResult> {
  const page = await openForm(t, formId, { query: opts.query });
  expect(page.status).toBe(200);
  t.clock.advance(3_500);
  return postForm(t, formId, { _token: page.token, ...values }, opts);
}

export async function contactsByEmail(t: TestBackend, workspaceId: string, email: string) {
  return t.ctx.db
    .selectFrom('contacts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .execute();
}

export async function countRows(
  t: TestBackend,
  table: 'contacts' | 'companies' | 'form_submissions' | 'consents',
  workspaceId: string,
): Promise<number> {
  const row = await t.ctx.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
