import { describe, expect, it } from 'vitest';
import { convertCell, type FieldSpec } from './capture.mapping.ts';

const country: FieldSpec = { key: 'country', kind: 'country', synonyms: [] };
const ctx = { timeZone: 'UTC' };

describe('country cells', () => {
  it('keep current ISO codes, and turn names, Chinese names and retired codes into current codes', () => {
    const cases: [string, string][] = [
      ['DE', 'DE'],
      ['de', 'DE'],
      ['Germany', 'DE'],
      ['德国', 'DE'],
      ['DD', 'DE'],
      ['GB', 'GB'],
      ['UK', 'GB'],
      ['United Kingdom', 'GB'],
      ['MM', 'MM'],
      ['BU', 'MM'],
      ['CN', 'CN'],
      ['中国', 'CN'],
      ['US', 'US'],
      ['USA', 'US'],
    ];
    for (const [raw, code] of cases)
      expect([raw, convertCell(country, raw, ctx)]).toEqual([raw, { ok: true, value: code }]);
  });

  it('refuses what is not a country', () => {
    expect(convertCell(country, 'Atlantis', ctx)).toEqual({ ok: false, error: 'is not a known country' });
  });
});
