import { minorDigits } from '../../contracts/money.ts';
import { ValidationError } from './errors.ts';

/** Money is integer minor units plus an ISO 4217 code; never floats. */
export interface Money {
  amountMinor: bigint;
  currency: string;
}

export { minorDigits };

export function assertCurrency(code: string, field = 'currency'): string {
  if (!/^[A-Z]{3}$/.test(code))
    throw new ValidationError('Invalid currency', { [field]: 'must be a 3-letter ISO code' });
  return code;
}

/** Parses a decimal string such as "1234.50" into minor units without going through floats. */
export function parseMoney(text: string, currency: string, field = 'amount'): Money {
  assertCurrency(currency);
  const digits = minorDigits(currency);
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new ValidationError('Invalid amount', { [field]: 'must be a decimal number' });
  const frac = m[3] ?? '';
  if (frac.length > digits) {
    throw new ValidationError('Invalid amount', {
      [field]: `at most ${digits} decimal places for ${currency}`,
    });
  }
  const minor = BigInt(m[2] + frac.padEnd(digits, '0'));
  return { amountMinor: m[1] ? -minor : minor, currency };
}

export function formatMoney(money: Money): string {
  const digits = minorDigits(money.currency);
  const neg = money.amountMinor < 0n;
  const abs = (neg ? -money.amountMinor : money.amountMinor).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const frac = digits ? `.${abs.slice(abs.length - digits)}` : '';
  return `${neg ? '-' : ''}${whole}${frac}`;
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency)
    throw new ValidationError('Currency mismatch', { currency: `${a.currency} ≠ ${b.currency}` });
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}
