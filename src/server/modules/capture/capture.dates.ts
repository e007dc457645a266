/**
 * Date cells as people type them: ISO dates and date-times (with or without a zone), YYYY/MM/DD,
 * DD.MM.YYYY, and NN/NN/YYYY whose day/month order is detected from the file or confirmed by the user.
 * A date or date-time without a zone is wall-clock time in the workspace time zone.
 */
export type DateOrder = 'DMY' | 'MDY';

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = dtfCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    dtfCache.set(timeZone, f);
  }
  return f;
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(utcMs: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - (utcMs - (utcMs % 1000));
}

/** The instant a wall-clock time in a zone denotes (the earlier one in a DST overlap). */
export function zonedTimeToUtc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return new Date(Math.min(first, second));
}

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || y < 1000 || y > 9999) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

const ISO_ZONED =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export type DateParse = { ok: true; value: Date } | { ok: false; error: string };

function build(y: number, mo: number, d: number, time: (string | undefined)[], tz: string): DateParse {
  if (!validDate(y, mo, d)) return { ok: false, error: 'is not a real calendar date' };
  const [h = 0, mi = 0, s = 0] = time.slice(0, 3).map((t) => (t ? Number(t) : 0));
  const ms = time[3] ? Number(time[3].padEnd(3, '0').slice(0, 3)) : 0;
  if (h > 23 || mi > 59 || s > 59) return { ok: false, error: 'has an impossible time of day' };
  return { ok: true, value: zonedTimeToUtc(y, mo, d, h, mi, s, ms, tz) };
}

/** Parses one date cell. `order` decides NN/NN/YYYY; without it an ambiguous cell is an error. */
export function parseDate(text: string, timeZone: string, order?: DateOrder): DateParse {
  const t = text.trim();
  let m = ISO_ZONED.exec(t);
  if (m) {
    if (!validDate(Number(m[1]), Number(m[2]), Number(m[3])))
      return { ok: false, error: 'is not a real calendar date' };
    const zone = m[8]!.toUpperCase() === 'Z' ? 'Z' : m[8]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ? `.${m[7]}` : ''}${zone}`;
    const value = new Date(iso);
    return Number.isNaN(value.getTime())
      ? { ok: false, error: 'is not a valid date-time' }
      : { ok: true, value };
  }
  m = YMD.exec(t);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), [m[4], m[5], m[6], m[7]], timeZone);
  m = DOTTED.exec(t);
  if (m) return build(Number(m[3]), Number(m[2]), Number(m[1]), [m[4], m[5], m[6]], timeZone);
  m = SLASHED.exec(t);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const resolved: DateOrder | undefined = a > 12 ? 'DMY' : b > 12 ? 'MDY' : order;
    if (!resolved)
      return { ok: false, error: 'is ambiguous: confirm whether dates are day-first or month-first' };
    const [d, mo] = resolved === 'DMY' ? [a, b] : [b, a];
    return build(Number(m[3]), mo, d, [m[4], m[5], m[6]], timeZone);
  }
  return { ok: false, error: 'is not a date (use YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY or an ISO date-time)' };
}

/**
 * What the NN/NN/YYYY cells of a column say about their order: a first part above 12 means
 * day-first, a second part above 12 month-first; `ambiguous` when no cell tells (the user confirms).
 */
export function detectDateOrder(samples: Iterable<string>): DateOrder | 'ambiguous' | 'conflict' | null {
  let dmy = false;
  let mdy = false;
  let slashed = false;
  for (const s of samples) {
    const m = SLASHED.exec(s.trim());
    if (!m) continue;
    slashed = true;
    if (Number(m[1]) > 12) dmy = true;
    if (Number(m[2]) > 12) mdy = true;
  }
  if (!slashed) return null;
  if (dmy && mdy) return 'conflict';
  return dmy ? 'DMY' : mdy ? 'MDY' : 'ambiguous';
}
