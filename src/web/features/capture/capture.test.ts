import { describe, expect, it } from 'vitest';
import type { FormDto } from '../../../contracts/forms.ts';
import { ApiError } from '../../app/api.ts';
import { columnKey, mapOf } from './api.ts';
import {
  applyBuilderErrors,
  type BuilderValues,
  fromDto,
  localized,
  NEW_FORM,
  toBody,
} from './formValues.ts';

describe('import column mapping sent to the server', () => {
  it('names a column by its header, or by its position when the header is ambiguous', () => {
    const columns = ['E-mail', 'Name', 'Name', '2026', ''];
    expect(columns.map((_c, i) => columnKey(columns, i))).toEqual(['E-mail', 'Name', '3', '4', '5']);
  });

  it('sends every column, with an empty field for "don\'t import"', () => {
    expect(mapOf(['E-mail', 'Notes', 'Signed up'], ['email', null, 'firstTouchAt'])).toEqual({
      'E-mail': 'email',
      Notes: '',
      'Signed up': 'firstTouchAt',
    });
  });
});

describe('form builder values and the forms API', () => {
  it('keeps only the languages that have text', () => {
    expect(localized({ en: '  Hello ', 'zh-CN': ' ' })).toEqual({ en: 'Hello' });
    expect(localized({ en: '', 'zh-CN': '' })).toBeNull();
    expect(localized(undefined)).toBeNull();
  });

  it('turns a new form into a create body: e-mail always required, no consent, a default thank-you', () => {
    const values: BuilderValues = { ...NEW_FORM, name: ' Catalogue ' };
    const body = toBody(values);
    expect(body.name).toBe('Catalogue');
    expect(body.fields.map((f) => [f.target, f.required])).toEqual([
      ['email', true],
      ['firstName', false],
      ['lastName', false],
      ['company', false],
    ]);
    expect(body.consent).toBeNull();
    expect(body.success).toEqual({ kind: 'message', message: null });
    expect(body.campaignId).toBeNull();
  });

  it('round-trips a stored form, placeholders and consent included', () => {
    const dto = {
      id: 'frm_1',
      name: 'Demo request',
      status: 'active',
      title: { en: 'Book a demo' },
      submitLabel: null,
      fields: [
        {
          target: 'email',
          label: null,
          displayLabel: { en: 'E-mail', 'zh-CN': '电子邮箱' },
          placeholder: { en: 'you@company.com' },
          required: true,
          type: 'email',
          options: [],
          available: true,
        },
      ],
      consent: { required: false, text: { 'zh-CN': '我同意' } },
      campaignId: 'cmp_1',
      handRaise: true,
      tags: ['demo'],
      success: { kind: 'redirect', url: 'https://example.com/thanks' },
      hostedPath: '/f/frm_1',
      stats: { submissions: 0, spamDropped: 0, lastSubmissionAt: null },
      createdBy: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    } satisfies FormDto;
    const body = toBody(fromDto(dto));
    expect(body).toEqual({
      name: 'Demo request',
      title: { en: 'Book a demo' },
      submitLabel: null,
      fields: [{ target: 'email', label: null, placeholder: { en: 'you@company.com' }, required: true }],
      consent: { required: false, text: { 'zh-CN': '我同意' } },
      campaignId: 'cmp_1',
      handRaise: true,
      tags: ['demo'],
      success: { kind: 'redirect', url: 'https://example.com/thanks' },
    });
  });

  it('puts the server field errors on the builder inputs and returns the rest', () => {
    const set: unknown[] = [];
    const form = { setFields: (f: unknown[]) => set.push(...f) } as unknown as Parameters<
      typeof applyBuilderErrors
    >[0];
    const err = new ApiError(400, {
      code: 'validation_failed',
      message: 'Invalid form definition',
      fields: {
        'fields.2.target': 'repeats email',
        'consent.text': 'needs a text in en or zh-CN',
        'success.url': 'must be an http or https URL',
        fields: 'must include an e-mail field',
      },
    });
    const rest = applyBuilderErrors(form, err);
    expect(set).toEqual([
      { name: ['fields', 2, 'target'], errors: ['repeats email'] },
      { name: ['consent', 'text', 'en'], errors: ['needs a text in en or zh-CN'] },
      { name: ['success', 'url'], errors: ['must be an http or https URL'] },
    ]);
    expect(rest).toEqual(['fields: must include an e-mail field']);
  });
});
