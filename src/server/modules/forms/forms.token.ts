import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The fill-time token: the rendered page carries the time it was rendered, signed with the
 * workspace's form secret, so a submission can prove how long the visitor had the form. Bots that
 * post straight away, or without ever loading the page, are told apart without any third party.
 */
export const MIN_FILL_MS = 3_000;
/** Older tokens are refused as expired (the page is shown again with a fresh one), not as spam. */
export const MAX_TOKEN_AGE_MS = 24 * 60 * 60 * 1000;

export type TokenVerdict = 'ok' | 'missing' | 'forged' | 'too_fast' | 'expired';

function mac(secret: string, formId: string, issuedAt: number): string {
  return createHmac('sha256', secret).update(`form-fill-v1|${formId}|${issuedAt}`).digest('base64url');
}

export function signFillToken(secret: string, formId: string, issuedAt: Date): string {
  const t = issuedAt.getTime();
  return `${t.toString(36)}.${mac(secret, formId, t)}`;
}

/** Checks a token against the form and the current time. */
export function checkFillToken(
  secret: string,
  formId: string,
  token: string | undefined,
  now: Date,
): { verdict: TokenVerdict; issuedAt?: Date } {
  if (!token) return { verdict: 'missing' };
  const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m?.[1] || !m[2]) return { verdict: 'forged' };
  const issued = Number.parseInt(m[1], 36);
  const expected = Buffer.from(mac(secret, formId, issued));
  const given = Buffer.from(m[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { verdict: 'forged' };
  const age = now.getTime() - issued;
  if (age < MIN_FILL_MS) return { verdict: 'too_fast', issuedAt: new Date(issued) };
  if (age > MAX_TOKEN_AGE_MS) return { verdict: 'expired', issuedAt: new Date(issued) };
  return { verdict: 'ok', issuedAt: new Date(issued) };
}
