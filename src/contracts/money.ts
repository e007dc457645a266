/**
 * Minor-unit digits per ISO 4217 currency, shared by the server (parsing, PDFs) and the web app
 * (inputs, display). Everything not listed uses 2.
 */
const MINOR_DIGITS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
};

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** Minor units as a decimal number for display or an input field (exact for amounts below 2^53). */
export function minorToDecimal(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/** A decimal typed into an input back to integer minor units (rounded to the currency's digits). */
export function decimalToMinor(value: number, currency: string): number {
  return Math.round(value * 10 ** minorDigits(currency));
}
