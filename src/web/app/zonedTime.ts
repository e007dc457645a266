/**
 * Wall-clock times in the user's time zone (their profile setting, which may differ from the
 * browser's). Ant Design's pickers work in the browser's zone, so a picked value is read as plain
 * year…minute and converted here, without a time zone library.
 */
export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function partsIn(utcMs: number, timeZone: string): WallTime & { second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

/** The wall-clock time in a zone at an instant. */
export function wallTimeIn(instant: Date, timeZone: string): WallTime {
  const { second: _s, ...wall } = partsIn(instant.getTime(), timeZone);
  return wall;
}

/** The instant a wall-clock time in a zone stands for (the earlier one in a DST overlap). */
export function wallTimeToDate(wall: WallTime, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsetAt = (ms: number) => {
    const p = partsIn(ms, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms;
  };
  // Two passes settle the offset on both sides of a DST change.
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess);
}
