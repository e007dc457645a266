import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('ids', () => {
  it('are prefixed, 26 characters of Crockford base32 after the prefix', () => {
    expect(newId('ctc')).toMatch(/^ctc_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('sort by time, and in creation order within one millisecond', () => {
    const sameMs = Array.from({ length: 1000 }, () => newId('aud', 1_700_000_000_000));
    expect([...sameMs].sort()).toEqual(sameMs);
    expect(new Set(sameMs).size).toBe(1000);
    expect(newId('aud', 1_700_000_000_001) > sameMs.at(-1)!).toBe(true);
    expect(newId('aud', 1_600_000_000_000) < sameMs[0]!).toBe(true);
  });
});
