import { describe, expect, it } from 'vitest';
import { allocate, computeTotals, divRound } from './quotes.totals.ts';

describe('quote arithmetic in minor units', () => {
  it('rounds half away from zero', () => {
    expect(divRound(5n, 10n)).toBe(1n);
    expect(divRound(4n, 10n)).toBe(0n);
    expect(divRound(-5n, 10n)).toBe(-1n);
  });

  it('splits an amount over weights so the parts add up exactly', () => {
    expect(allocate(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocate(0n, [5n, 5n])).toEqual([0n, 0n]);
    expect(allocate(7n, [0n, 0n])).toEqual([0n, 0n]);
  });

  it('applies line discounts, then the quote discount, then per-line tax on what is charged', () => {
    const t = computeTotals(
      [
        { quantityMilli: 2000n, unitPriceMinor: 125_000n, discountBp: 1000, taxBp: 1300 },
        { quantityMilli: 1500n, unitPriceMinor: 999n, discountBp: 0, taxBp: 0 },
      ],
      500,
    );
    // 2 × 1250.00 = 2500.00, −10 % = 2250.00; 1.5 × 9.99 = 14.985 → 14.99
    expect(t.lines.map((l) => [l.grossMinor, l.discountMinor, l.netMinor])).toEqual([
      [250_000n, 25_000n, 225_000n],
      [1_499n, 0n, 1_499n],
    ]);
    expect(t.subtotalMinor).toBe(226_499n);
    expect(t.quoteDiscountMinor).toBe(11_325n); // 5 % of 2264.99 = 113.2495 → 113.25
    // the line at 13 % carries 225000/226499 of the quote discount: 11250 → tax on 213750
    expect(t.lines[0]!.taxMinor).toBe(27_788n);
    expect(t.taxMinor).toBe(27_788n);
    expect(t.totalMinor).toBe(226_499n - 11_325n + 27_788n);
    // (251499 − 215174) / 251499 = 14.44 % → 1445 bp (rounded up: never under-report a discount)
    expect(t.effectiveDiscountBp).toBe(1445);
  });

  it('reports a 20 % quote discount as exactly 20 %', () => {
    const t = computeTotals(
      [{ quantityMilli: 1000n, unitPriceMinor: 10_000n, discountBp: 0, taxBp: 0 }],
      2000,
    );
    expect(t.effectiveDiscountBp).toBe(2000);
    expect(t.totalMinor).toBe(8_000n);
  });
});
