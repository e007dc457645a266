import { describe, expect, it } from 'vitest';
import { wallTimeIn, wallTimeToDate } from './zonedTime.ts';

describe('wall-clock times in the user time zone', () => {
  it('reads an instant as the wall clock of a zone', () => {
    const at = new Date('2026-07-01T12:30:00Z');
    expect(wallTimeIn(at, 'Asia/Shanghai')).toEqual({ year: 2026, month: 7, day: 1, hour: 20, minute: 30 });
    expect(wallTimeIn(at, 'America/New_York')).toEqual({ year: 2026, month: 7, day: 1, hour: 8, minute: 30 });
  });

  it('turns a wall clock back into the instant, in summer and in winter', () => {
    const summer = { year: 2026, month: 7, day: 1, hour: 9, minute: 15 };
    expect(wallTimeToDate(summer, 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:15:00.000Z');
    const winter = { year: 2026, month: 1, day: 15, hour: 9, minute: 15 };
    expect(wallTimeToDate(winter, 'Europe/Berlin').toISOString()).toBe('2026-01-15T08:15:00.000Z');
    expect(wallTimeToDate(winter, 'Asia/Shanghai').toISOString()).toBe('2026-01-15T01:15:00.000Z');
  });

  it('round-trips across the spring-forward day', () => {
    const wall = { year: 2026, month: 3, day: 29, hour: 12, minute: 0 };
    const instant = wallTimeToDate(wall, 'Europe/Berlin');
    expect(instant.toISOString()).toBe('2026-03-29T10:00:00.000Z');
    expect(wallTimeIn(instant, 'Europe/Berlin')).toEqual(wall);
  });
});
