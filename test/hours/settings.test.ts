import { describe, expect, test } from 'vitest';
import {
  compileLoginHours,
  isWithinLoginHours,
  parseTimeOfDay,
  parseTimeZone,
  safeCompileLoginHours,
  type LoginHoursSchedule,
  type LoginHoursWindow,
  type Weekday,
} from 'staffgate/hours';
import { hostileTimeOfDayArb, hostileTimeZoneArb, timeZoneArb } from '../../src/testing/hours.js';
import fc from 'fast-check';
import { thrownStaffgateError } from '../helpers.js';

describe('parseTimeZone accepts IANA zones and fixes their letter case', () => {
  test.each([
    ['Europe/London', 'Europe/London'],
    ['europe/london', 'Europe/London'],
    ['EUROPE/LONDON', 'Europe/London'],
    ['America/New_York', 'America/New_York'],
    ['america/st_johns', 'America/St_Johns'],
    ['Australia/Lord_Howe', 'Australia/Lord_Howe'],
    ['Pacific/Chatham', 'Pacific/Chatham'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
  ])('%s → %s', (input, canonical) => {
    expect(parseTimeZone(input)).toBe(canonical);
  });

  test.each(['Asia/Kathmandu', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'Asia/Ho_Chi_Minh', 'US/Eastern', 'Etc/UTC', 'GMT', 'Etc/GMT-0', 'EST5EDT', 'CET'])(
    'the link or renamed zone %s is kept as written, never replaced by another name of the zone',
    (input) => {
      expect(parseTimeZone(input)).toBe(input);
    },
  );

  test('a link typed in lower case keeps its name: only the letter case may change', () => {
    for (const input of ['asia/kathmandu', 'europe/kyiv', 'us/eastern', 'etc/utc']) {
      expect(parseTimeZone(input).toLowerCase()).toBe(input);
    }
  });

  test('parseTimeZone never renames a zone: the result is the input up to letter case', () => {
    fc.assert(
      fc.property(timeZoneArb(), (zone) => parseTimeZone(zone).toLowerCase() === zone.toLowerCase()),
      { numRuns: 200 },
    );
  });

  test('parsing is idempotent: a parsed name parses to itself', () => {
    fc.assert(
      fc.property(timeZoneArb(), (zone) => {
        const once = parseTimeZone(zone);
        return parseTimeZone(once) === once;
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseTimeZone refuses anything that is not a location zone', () => {
  test.each([
    ['', /empty/],
    ['local', /server's own time zone/],
    ['System', /server's own time zone/],
    ['+05:00', /not an IANA time zone name/],
    ['-0500', /not an IANA time zone name/],
    ['UTC+25', /fixed UTC offset/],
    ['UTC+1', /fixed UTC offset/],
    ['GMT+5', /fixed UTC offset/],
    ['Etc/GMT+5', /fixed UTC offset/],
    ['Etc/GMT-14', /fixed UTC offset/],
    ['EST', /UTC−5 all year.*America\/New_York/],
    ['est', /UTC−5 all year/],
    ['MST', /UTC−7 all year.*America\/Denver/],
    ['HST', /UTC−10 all year.*Pacific\/Honolulu/],
    ['SystemV/EST5', /legacy System V name/],
    ['systemv/pst8', /legacy System V name/],
    ['SystemV/EST5EDT', /legacy System V name/],
    [' Europe/London', /not an IANA time zone name/],
    ['Europe/London ', /not an IANA time zone name/],
    ['Europe//London', /not an IANA time zone name/],
    ['Europe\u2215London', /not an IANA time zone name/],
    ['Europe/L\u043endon', /not an IANA time zone name/],
    ['Mars/Olympus_Mons', /not a time zone known/],
    ['Factory', /not a time zone known/],
    ['../../etc/localtime', /not an IANA time zone name/],
    [`Europe/${'x'.repeat(80)}`, /not an IANA time zone name/],
  ])('%j', (input, message) => {
    const err = thrownStaffgateError(() => parseTimeZone(input));
    expect(err.code).toBe('invalid_time_zone');
    expect(err.message).toMatch(message);
  });

  test.each([[null], [undefined], [42], [{}], [['Europe/London']]])('non-string %j', (input) => {
    expect(thrownStaffgateError(() => parseTimeZone(input as unknown as string)).code).toBe('invalid_time_zone');
  });

  test('every hostile spelling is refused with invalid_time_zone', () => {
    fc.assert(
      fc.property(hostileTimeZoneArb(), (zone) => thrownStaffgateError(() => parseTimeZone(zone)).code === 'invalid_time_zone'),
      { numRuns: 300 },
    );
  });
});

describe('parseTimeOfDay', () => {
  test.each([
    ['00:00', 0],
    ['00:01', 1],
    ['08:00', 480],
    ['08:30', 510],
    ['12:59', 779],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('%s → %i minutes', (text, minutes) => {
    expect(parseTimeOfDay(text)).toBe(minutes);
  });

  test('24:00 is refused where it would start a window', () => {
    const err = thrownStaffgateError(() => parseTimeOfDay('24:00', { allowEndOfDay: false }));
    expect(err.code).toBe('invalid_time_of_day');
    expect(parseTimeOfDay('23:59', { allowEndOfDay: false })).toBe(1439);
  });

  test.each(['8:00', '08:0', '08:00:00', '08.00', '0800', '8am', '24:01', '25:00', '12:60', ' 08:00', '08:00\n', '\uff10\uff18:\uff10\uff10', '\u0660\u0668:\u0660\u0660', ''])(
    '%j is not a time of day',
    (text) => {
      expect(thrownStaffgateError(() => parseTimeOfDay(text)).code).toBe('invalid_time_of_day');
    },
  );

  test('every hostile spelling is refused with invalid_time_of_day', () => {
    fc.assert(
      fc.property(hostileTimeOfDayArb(), (text) => thrownStaffgateError(() => parseTimeOfDay(text)).code === 'invalid_time_of_day'),
      { numRuns: 300 },
    );
  });

  test('a non-boolean allowEndOfDay is an invalid option', () => {
    expect(thrownStaffgateError(() => parseTimeOfDay('08:00', { allowEndOfDay: 'yes' as unknown as boolean })).code).toBe('invalid_option');
  });
});

describe('compileLoginHours names the bad field relative to the schedule', () => {
  const office = { days: ['mon', 'tue'], start: '08:00', end: '18:00' } as const;

  test.each<[string, unknown, string, (string | number)[]]>([
    ['a fixed-offset zone', { timezone: '+05:00', windows: [office] }, 'invalid_time_zone', ['timezone']],
    ['a missing zone', { windows: [office] }, 'invalid_time_zone', ['timezone']],
    ['windows that are not a list', { timezone: 'UTC', windows: 'mon-fri' }, 'invalid_schedule', ['windows']],
    ['a window that is not an object', { timezone: 'UTC', windows: [office, null] }, 'invalid_schedule', ['windows', 1]],
    ['a bad start', { timezone: 'UTC', windows: [office, { ...office, start: '8:00' }] }, 'invalid_time_of_day', ['windows', 1, 'start']],
    ['a bad end', { timezone: 'UTC', windows: [{ ...office, end: '24:30' }] }, 'invalid_time_of_day', ['windows', 0, 'end']],
    ['24:00 as a start', { timezone: 'UTC', windows: [{ ...office, start: '24:00' }] }, 'invalid_time_of_day', ['windows', 0, 'start']],
    ['no days', { timezone: 'UTC', windows: [{ ...office, days: [] }] }, 'invalid_schedule', ['windows', 0, 'days']],
    ['an unknown day', { timezone: 'UTC', windows: [{ ...office, days: ['mon', 'Funday'] }] }, 'invalid_schedule', ['windows', 0, 'days', 1]],
    ['a capitalised day', { timezone: 'UTC', windows: [{ ...office, days: ['Mon'] }] }, 'invalid_schedule', ['windows', 0, 'days', 0]],
    ['not an object', null, 'invalid_schedule', []],
    ['an array', [office], 'invalid_schedule', []],
  ])('%s', (_name, schedule, code, path) => {
    const err = thrownStaffgateError(() => compileLoginHours(schedule as LoginHoursSchedule));
    expect(err.code).toBe(code);
    expect(err.path).toEqual(path);
  });

  test('every problem is reported, and a settings parser can prefix the paths', () => {
    const err = thrownStaffgateError(() =>
      compileLoginHours({
        timezone: 'local',
        windows: [office, { days: ['sat'], start: '9:00', end: '25:00' }],
      }),
    );
    expect(err.issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid_time_zone', ['timezone']],
      ['invalid_time_of_day', ['windows', 1, 'start']],
      ['invalid_time_of_day', ['windows', 1, 'end']],
    ]);
    const prefixed = err.withPathPrefix(['loginHours']);
    expect(prefixed.pathText).toBe('loginHours.timezone');
    expect(prefixed.issues[1]?.path).toEqual(['loginHours', 'windows', 1, 'start']);
  });

  test('safeCompileLoginHours returns the same error instead of throwing', () => {
    const result = safeCompileLoginHours({ timezone: 'UTC+2', windows: [] });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_time_zone');
      expect(result.error.pathText).toBe('timezone');
    }
    const good = safeCompileLoginHours({ timezone: 'utc', windows: [] });
    expect(good.ok && good.value.timezone).toBe('UTC');
  });

  test('the compiled schedule is frozen, canonical and ignores fields it does not own', () => {
    const hours = compileLoginHours({
      timezone: 'europe/london',
      windows: [{ days: ['fri', 'mon', 'fri'], start: '08:00', end: '18:00' }],
      enabled: false,
    } as LoginHoursSchedule);
    expect(hours.timezone).toBe('Europe/London');
    expect(hours.windows).toEqual([{ days: ['mon', 'fri'], start: '08:00', end: '18:00' }]);
    expect(hours.openMinutesPerWeek).toBe(2 * 600);
    expect(Object.isFrozen(hours)).toBe(true);
    expect(Object.isFrozen(hours.windows)).toBe(true);
    expect(Object.isFrozen(hours.windows[0]?.days)).toBe(true);
    expect(() => {
      (hours as { timezone: string }).timezone = 'UTC';
    }).toThrow(TypeError);
  });

  test('the schedule passed in is not kept: changing it later changes nothing', () => {
    const days: Weekday[] = ['mon'];
    const windows: LoginHoursWindow[] = [{ days, start: '08:00', end: '18:00' }];
    const hours = compileLoginHours({ timezone: 'UTC', windows });
    windows.push({ days: ['tue'], start: '00:00', end: '00:00' });
    days.push('wed');
    expect(hours.windows).toEqual([{ days: ['mon'], start: '08:00', end: '18:00' }]);
    expect(hours.openMinutesPerWeek).toBe(600);
    expect(isWithinLoginHours(hours, '2024-06-05T09:00:00Z')).toBe(false); // a Wednesday
  });
});
