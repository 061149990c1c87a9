import { describe, expect, test } from 'vitest';
import {
  compileLoginHours,
  isWithinLoginHours,
  nextLoginWindow,
  resolveLocalTime,
  type CompiledLoginHours,
  type LoginHoursWindow,
} from 'staffgate/hours';
import type { Instant } from '../../src/instant.js';

// 2024-06-03 is a Monday; UTC keeps these tables about the window rules alone.
const utc = (windows: LoginHoursWindow[]): CompiledLoginHours => compileLoginHours({ timezone: 'UTC', windows });
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

describe('a window is [start, end) of wall-clock time on each of its days', () => {
  const office = utc([{ days: [...weekdays], start: '08:00', end: '18:00' }]);
  test.each([
    ['2024-06-03T07:59:59.999Z', false, 'Monday just before start'],
    ['2024-06-03T08:00:00.000Z', true, 'Monday at start'],
    ['2024-06-03T12:34:56.789Z', true, 'Monday midday'],
    ['2024-06-03T17:59:59.999Z', true, 'Monday just before end'],
    ['2024-06-03T18:00:00.000Z', false, 'Monday at end (end is exclusive)'],
    ['2024-06-07T17:00:00.000Z', true, 'Friday afternoon'],
    ['2024-06-08T10:00:00.000Z', false, 'Saturday'],
    ['2024-06-09T10:00:00.000Z', false, 'Sunday'],
  ])('%s → %s (%s)', (at, inside) => {
    expect(isWithinLoginHours(office, at)).toBe(inside);
  });
});

describe('an overnight window belongs to the day it starts', () => {
  const fridayNight = utc([{ days: ['fri'], start: '22:00', end: '06:00' }]);
  test.each([
    ['2024-06-07T21:59:00Z', false, 'Friday before 22:00'],
    ['2024-06-07T22:00:00Z', true, 'Friday 22:00'],
    ['2024-06-07T23:59:59Z', true, 'Friday just before midnight'],
    ['2024-06-08T00:00:00Z', true, 'Saturday midnight'],
    ['2024-06-08T05:59:59Z', true, 'Saturday 05:59'],
    ['2024-06-08T06:00:00Z', false, 'Saturday 06:00'],
    ['2024-06-08T22:30:00Z', false, 'Saturday night is not Friday night'],
    ['2024-06-07T03:00:00Z', false, "Friday early morning belongs to Thursday's night"],
  ])('%s → %s (%s)', (at, inside) => {
    expect(isWithinLoginHours(fridayNight, at)).toBe(inside);
  });

  test('a Sunday night window runs into Monday morning', () => {
    const sundayNight = utc([{ days: ['sun'], start: '22:00', end: '06:00' }]);
    expect(isWithinLoginHours(sundayNight, '2024-06-09T23:00:00Z')).toBe(true);
    expect(isWithinLoginHours(sundayNight, '2024-06-10T05:00:00Z')).toBe(true);
    expect(isWithinLoginHours(sundayNight, '2024-06-10T06:00:00Z')).toBe(false);
    expect(isWithinLoginHours(sundayNight, '2024-06-03T05:00:00Z')).toBe(true);
  });
});

describe('start === end is 24 hours from start; 24:00 ends the day', () => {
  test.each<[string, LoginHoursWindow, string, boolean]>([
    ['00:00–00:00 is the whole day', { days: ['mon'], start: '00:00', end: '00:00' }, '2024-06-03T00:00:00Z', true],
    ['00:00–00:00 is the whole day', { days: ['mon'], start: '00:00', end: '00:00' }, '2024-06-03T23:59:59.999Z', true],
    ['00:00–00:00 is the whole day', { days: ['mon'], start: '00:00', end: '00:00' }, '2024-06-04T00:00:00Z', false],
    ['00:00–00:00 is the whole day', { days: ['mon'], start: '00:00', end: '00:00' }, '2024-06-02T23:59:59.999Z', false],
    ['00:00–24:00 is the whole day too', { days: ['mon'], start: '00:00', end: '24:00' }, '2024-06-03T23:59:00Z', true],
    ['00:00–24:00 is the whole day too', { days: ['mon'], start: '00:00', end: '24:00' }, '2024-06-04T00:00:00Z', false],
    ['09:00–09:00 runs to 09:00 next day', { days: ['mon'], start: '09:00', end: '09:00' }, '2024-06-03T08:59:00Z', false],
    ['09:00–09:00 runs to 09:00 next day', { days: ['mon'], start: '09:00', end: '09:00' }, '2024-06-03T09:00:00Z', true],
    ['09:00–09:00 runs to 09:00 next day', { days: ['mon'], start: '09:00', end: '09:00' }, '2024-06-04T08:59:00Z', true],
    ['09:00–09:00 runs to 09:00 next day', { days: ['mon'], start: '09:00', end: '09:00' }, '2024-06-04T09:00:00Z', false],
    ['22:00–24:00 stops at midnight', { days: ['mon'], start: '22:00', end: '24:00' }, '2024-06-03T23:30:00Z', true],
    ['22:00–24:00 stops at midnight', { days: ['mon'], start: '22:00', end: '24:00' }, '2024-06-04T00:00:00Z', false],
  ])('%s: %s at %s → %s', (_name, window, at, inside) => {
    expect(isWithinLoginHours(utc([window]), at)).toBe(inside);
  });

  test('open minutes per week follow the same rule', () => {
    expect(utc([{ days: ['mon'], start: '00:00', end: '00:00' }]).openMinutesPerWeek).toBe(1440);
    expect(utc([{ days: ['mon'], start: '09:00', end: '09:00' }]).openMinutesPerWeek).toBe(1440);
    expect(utc([{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }]).openMinutesPerWeek).toBe(10080);
    expect(utc([]).openMinutesPerWeek).toBe(0);
    // Overlaps count once.
    expect(utc([{ days: ['mon'], start: '08:00', end: '12:00' }, { days: ['mon'], start: '10:00', end: '14:00' }]).openMinutesPerWeek).toBe(360);
  });
});

describe('wall-clock time is read in the schedule zone', () => {
  test.each<[string, string, boolean]>([
    ['Europe/London', '2024-06-03T07:30:00Z', true], // 08:30 BST
    ['Europe/London', '2024-01-08T07:30:00Z', false], // 07:30 GMT
    ['America/New_York', '2024-06-03T12:00:00Z', true], // 08:00 EDT
    ['America/New_York', '2024-06-03T11:59:59Z', false],
    ['Asia/Kathmandu', '2024-06-03T02:15:00Z', true], // 08:00 +05:45
    ['Asia/Kathmandu', '2024-06-03T02:14:59Z', false],
    ['America/St_Johns', '2024-06-03T10:30:00Z', true], // 08:00 NDT −02:30
    ['Pacific/Chatham', '2024-06-02T19:15:00Z', true], // Monday 08:00 +12:45
    ['Pacific/Kiritimati', '2024-06-02T18:00:00Z', true], // Monday 08:00 +14
    ['Pacific/Pago_Pago', '2024-06-03T19:00:00Z', true], // Monday 08:00 −11
  ])('%s at %s → %s for Mon 08:00–18:00', (timezone, at, inside) => {
    const hours = compileLoginHours({ timezone, windows: [{ days: ['mon'], start: '08:00', end: '18:00' }] });
    expect(isWithinLoginHours(hours, at)).toBe(inside);
  });

  test('the instant may be a Date, an ISO string with offset or epoch ms', () => {
    const hours = compileLoginHours({ timezone: 'Europe/London', windows: [{ days: ['mon'], start: '08:00', end: '18:00' }] });
    const ms = Date.parse('2024-06-03T07:30:00Z');
    expect(isWithinLoginHours(hours, ms)).toBe(true);
    expect(isWithinLoginHours(hours, new Date(ms))).toBe(true);
    expect(isWithinLoginHours(hours, '2024-06-03T08:30:00+01:00')).toBe(true);
    expect(isWithinLoginHours(hours, '2024-06-03T08:30:00-11:00')).toBe(false); // 20:30 in London
  });

  test('resolveLocalTime reports the wall clock used for the decision', () => {
    const hours = compileLoginHours({ timezone: 'Asia/Kathmandu', windows: [] });
    expect(resolveLocalTime(hours, '2024-06-02T18:20:00Z')).toEqual({
      date: '2024-06-03',
      time: '00:05',
      weekday: 'mon',
      timezone: 'Asia/Kathmandu',
      offsetMinutes: 345,
    });
  });
});

describe('nextLoginWindow', () => {
  const london = compileLoginHours({ timezone: 'Europe/London', windows: [{ days: [...weekdays], start: '08:00', end: '18:00' }] });

  test('before hours: the next opening, how long until then, and when it closes', () => {
    const next = nextLoginWindow(london, '2024-06-04T03:50:00Z'); // Tuesday 04:50 BST
    expect(next).toEqual({
      status: 'upcoming',
      start: Date.parse('2024-06-04T07:00:00Z'),
      end: Date.parse('2024-06-04T17:00:00Z'),
      waitMs: 190 * 60_000,
      waitMinutes: 190,
      timezone: 'Europe/London',
      startLocal: { date: '2024-06-04', time: '08:00', weekday: 'tue', timezone: 'Europe/London', offsetMinutes: 60 },
      endLocal: { date: '2024-06-04', time: '18:00', weekday: 'tue', timezone: 'Europe/London', offsetMinutes: 60 },
    });
    // The sentence the issue asks for is one template away:
    const n = next!;
    expect(`You can sign in from ${n.startLocal.time} ${n.timezone}, in ${Math.floor(n.waitMinutes / 60)} h ${n.waitMinutes % 60} min`).toBe(
      'You can sign in from 08:00 Europe/London, in 3 h 10 min',
    );
  });

  test.each([
    ['2024-06-04T06:59:30Z', 30_000, 1],
    ['2024-06-04T06:59:59.999Z', 1, 1],
  ])('in the last minute before hours (%s) it is still upcoming, to the millisecond', (at, waitMs, waitMinutes) => {
    expect(nextLoginWindow(london, at)).toMatchObject({ status: 'upcoming', start: Date.parse('2024-06-04T07:00:00Z'), waitMs, waitMinutes });
    expect(isWithinLoginHours(london, at)).toBe(false);
  });

  test('inside hours: status open, start is now, end is when the hours close', () => {
    const at = Date.parse('2024-06-04T10:00:00Z');
    const next = nextLoginWindow(london, at);
    expect(next?.status).toBe('open');
    expect(next?.start).toBe(at);
    expect(next?.waitMs).toBe(0);
    expect(next?.end).toBe(Date.parse('2024-06-04T17:00:00Z'));
  });

  test('after Friday hours the next opening is Monday', () => {
    const next = nextLoginWindow(london, '2024-06-07T18:50:00Z');
    expect(next?.startLocal).toMatchObject({ date: '2024-06-10', time: '08:00', weekday: 'mon' });
    expect(next?.waitMinutes).toBe(60 * 60 + 10);
  });

  test('waitMinutes rounds up, so a wait of 10 s reads "in 1 min", not "in 0 min"', () => {
    expect(nextLoginWindow(london, '2024-06-04T06:59:50Z')?.waitMinutes).toBe(1);
  });

  test('adjacent windows and midnight do not end a span', () => {
    const hours = utc([
      { days: ['mon'], start: '08:00', end: '12:00' },
      { days: ['mon'], start: '12:00', end: '24:00' },
      { days: ['tue'], start: '00:00', end: '02:00' },
    ]);
    const next = nextLoginWindow(hours, '2024-06-03T09:00:00Z');
    expect(next?.end).toBe(Date.parse('2024-06-04T02:00:00Z'));
  });

  test('a schedule open all week never closes: end is null', () => {
    const always = utc([{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '00:00' }]);
    const next = nextLoginWindow(always, '2024-06-03T09:00:00Z');
    expect(next).toMatchObject({ status: 'open', end: null, endLocal: null });
  });

  test('a schedule with no windows has no next window', () => {
    expect(nextLoginWindow(utc([]), '2024-06-03T09:00:00Z')).toBeNull();
  });

  test('a day the zone skipped is skipped: Apia had no Friday 2011-12-30', () => {
    const fridays = compileLoginHours({ timezone: 'Pacific/Apia', windows: [{ days: ['fri'], start: '09:00', end: '17:00' }] });
    const next = nextLoginWindow(fridays, '2011-12-29T22:00:00Z'); // Thursday noon, −10:00
    expect(next?.startLocal).toMatchObject({ date: '2012-01-06', time: '09:00', weekday: 'fri', offsetMinutes: 840 });
    expect(next?.start).toBe(Date.parse('2012-01-05T19:00:00Z'));
    expect(isWithinLoginHours(fridays, '2011-12-30T10:00:00Z')).toBe(false); // Saturday 00:00 +14
  });
});

describe('hostile input never throws and never lets anyone in', () => {
  const always = utc([{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }]);
  test.each<[string, unknown]>([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['beyond the Date range', 8.64e15 + 1],
    ['an invalid Date', new Date(Number.NaN)],
    ['an ISO string without offset (server zone)', '2024-06-03T08:00:00'],
    ['a date only', '2024-06-03'],
    ['an impossible date', '2024-02-30T08:00:00Z'],
    ['an offset out of range', '2024-06-03T08:00:00+25:00'],
    ['junk', 'now'],
    ['null', null],
    ['undefined', undefined],
    ['an object with valueOf', { valueOf: () => 0 }],
    ['a bigint', 10n],
  ])('%s → false / null', (_name, at) => {
    expect(isWithinLoginHours(always, at as Instant)).toBe(false);
    expect(nextLoginWindow(always, at as Instant)).toBeNull();
    expect(resolveLocalTime(always, at as Instant)).toBeNull();
  });

  test.each<[string, unknown]>([
    ['a raw schedule', { timezone: 'UTC', windows: [{ days: ['mon'], start: '00:00', end: '00:00' }] }],
    ['a JSON copy of a compiled schedule', JSON.parse(JSON.stringify(always)) as unknown],
    ['a spread copy', { ...always }],
    ['an object inheriting from a compiled schedule', Object.create(always) as unknown],
    ['null', null],
    ['a string', 'always'],
  ])('a forged compiled schedule (%s) is never inside', (_name, forged) => {
    const at = '2024-06-03T09:00:00Z';
    expect(isWithinLoginHours(always, at)).toBe(true);
    expect(isWithinLoginHours(forged as CompiledLoginHours, at)).toBe(false);
    expect(nextLoginWindow(forged as CompiledLoginHours, at)).toBeNull();
  });

  test('the extremes of the Date range are answered without throwing', () => {
    for (const at of [8.64e15, -8.64e15, 0, -1, 4_102_444_800_000, 4_102_444_799_999]) {
      expect(typeof isWithinLoginHours(always, at)).toBe('boolean');
      expect(isWithinLoginHours(always, at)).toBe(true);
      expect(() => nextLoginWindow(always, at)).not.toThrow();
    }
    const hours = compileLoginHours({ timezone: 'America/New_York', windows: [{ days: ['mon'], start: '08:00', end: '09:00' }] });
    for (const at of [8.64e15, -8.64e15]) {
      expect(typeof isWithinLoginHours(hours, at)).toBe('boolean');
      expect(() => nextLoginWindow(hours, at)).not.toThrow();
    }
  });
});
