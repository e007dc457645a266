import { randomBytes } from 'node:crypto';

export type IdPrefix =
  | 'ws'
  | 'usr'
  | 'team'
  | 'ses'
  | 'tok'
  | 'aud'
  | 'ctc'
  | 'cmp'
  | 'cf'
  | 'job'
  | 'tch'
  | 'imp'
  | 'upl'
  | 'frm'
  | 'fsub'
  | 'cns'
  | 'scr'
  | 'pip'
  | 'stg'
  | 'deal'
  | 'dsh'
  | 'comp'
  | 'fbk'
  | 'cam'
  | 'cmk'
  | 'ccl'
  | 'ntf'
  // segments and content: segments, snapshots, assets, asset versions, share links
  | 'seg'
  | 'sgs'
  | 'ast'
  | 'asv'
  | 'shr'
  // lifecycle: transitions, tasks, playbooks, routing rules, assignments
  | 'ltr'
  | 'tsk'
  | 'pbk'
  | 'rrl'
  | 'asg'
  // quotes: products, price lists, quotes, quote lines
  | 'prd'
  | 'prl'
  | 'quo'
  | 'qln'
  // planning: multi-year plan targets
  | 'plt';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

function encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

let lastMs = -1;
const lastRandom = new Uint8Array(10);

/** Adds one to a big-endian byte string (wrapping to zero after all-ones, 2^80 ids later). */
function increment(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = (bytes[i]! + 1) & 0xff;
    if (bytes[i] !== 0) return;
  }
}

/**
 * Prefixed, time-sortable ids (`ctc_01j…`): 48 bits of milliseconds then 80 random bits, so ids
 * sort by creation and keyset pagination on id is stable. Within one millisecond the random part
 * counts up (monotonic, as ULID does), so ids made in order also sort in that order.
 */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  let t = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  if (now === lastMs) {
    increment(lastRandom);
  } else {
    lastRandom.set(randomBytes(10));
    lastMs = now;
  }
  bytes.set(lastRandom, 6);
  return `${prefix}_${encode(bytes)}`;
}

/** A random secret for session and API tokens (not time-sortable on purpose). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
