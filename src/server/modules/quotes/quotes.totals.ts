/**
 * Quote arithmetic in integer minor units (bigint), never floats. Percentages are basis points
 * (1 % = 100 bp), quantities thousandths (1.5 = 1500). Every rounding is half away from zero, once
 * per line, so a printed quote adds up line by line.
 *
 * Taxes are per line (a quote may mix goods at different rates); the quote's own discount is shared
 * over the lines in proportion to their net amounts (largest remainder, so the shares add up to the
 * discount exactly) before each line's tax is computed on what is actually charged.
 */
export interface LineInput {
  quantityMilli: bigint;
  unitPriceMinor: bigint;
  discountBp: number;
  taxBp: number;
}

export interface LineTotals {
  grossMinor: bigint;
  discountMinor: bigint;
  netMinor: bigint;
  taxMinor: bigint;
}

export interface QuoteTotals {
  lines: LineTotals[];
  grossMinor: bigint;
  lineDiscountMinor: bigint;
  subtotalMinor: bigint;
  quoteDiscountMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  /** (gross − what the customer pays before tax) / gross, in basis points, rounded up. */
  effectiveDiscountBp: number;
}

/** a / b rounded half away from zero (b > 0). */
export function divRound(a: bigint, b: bigint): bigint {
  const neg = a < 0n;
  const abs = neg ? -a : a;
  const q = (abs * 2n + b) / (2n * b);
  return neg ? -q : q;
}

export function computeTotals(lines: LineInput[], quoteDiscountBp: number): QuoteTotals {
  const base = lines.map((l) => {
    const grossMinor = divRound(l.unitPriceMinor * l.quantityMilli, 1000n);
    const discountMinor = divRound(grossMinor * BigInt(l.discountBp), 10_000n);
    return { grossMinor, discountMinor, netMinor: grossMinor - discountMinor };
  });
  const grossMinor = sum(base.map((b) => b.grossMinor));
  const subtotalMinor = sum(base.map((b) => b.netMinor));
  const quoteDiscountMinor = divRound(subtotalMinor * BigInt(quoteDiscountBp), 10_000n);
  const shares = allocate(
    quoteDiscountMinor,
    base.map((b) => b.netMinor),
  );
  const out: LineTotals[] = base.map((b, i) => {
    const charged = b.netMinor - shares[i]!;
    return { ...b, taxMinor: divRound(charged * BigInt(lines[i]!.taxBp), 10_000n) };
  });
  const taxMinor = sum(out.map((l) => l.taxMinor));
  const charged = subtotalMinor - quoteDiscountMinor;
  const effectiveDiscountBp =
    grossMinor === 0n ? 0 : Number(((grossMinor - charged) * 10_000n + grossMinor - 1n) / grossMinor);
  return {
    lines: out,
    grossMinor,
    lineDiscountMinor: grossMinor - subtotalMinor,
    subtotalMinor,
    quoteDiscountMinor,
    taxMinor,
    totalMinor: charged + taxMinor,
    effectiveDiscountBp,
  };
}

function sum(xs: bigint[]): bigint {
  return xs.reduce((a, b) => a + b, 0n);
}

/** Splits `amount` over `weights` proportionally; the parts add up to `amount` exactly. */
export function allocate(amount: bigint, weights: bigint[]): bigint[] {
  const total = sum(weights);
  if (total === 0n) return weights.map(() => 0n);
  const parts = weights.map((w) => (amount * w) / total);
  let rest = amount - sum(parts);
  const order = weights
    .map((w, i) => ({ i, rem: (amount * w) % total }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (rest <= 0n) break;
    parts[i] = parts[i]! + 1n;
    rest -= 1n;
  }
  return parts;
}

/** 12.5 → 1250 (inputs are validated to two decimals). */
export function percentToBp(p: number): number {
  return Math.round(p * 100);
}
export function bpToPercent(bp: number): number {
  return bp / 100;
}
/** 2.5 → 2500n (inputs are validated to three decimals). */
export function quantityToMilli(q: number): bigint {
  return BigInt(Math.round(q * 1000));
}
export function milliToQuantity(m: bigint | number | string): number {
  return Number(m) / 1000;
}
