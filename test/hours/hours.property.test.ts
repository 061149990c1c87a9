import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileLoginHours, isWithinLoginHours, nextLoginWindow, type LoginHoursSchedule } from 'staffgate/hours';
import {
  hostileLoginHoursInstantArb,
  loginHoursInstantArb,
  loginHoursScheduleArb,
  loginHoursWindowArb,
  referenceIsWithinLoginHours,
} from '../../src/testing/hours.js';
import type { Instant } from '../../src/instant.js';

const MINUTE = 60_000;

describe('login hours laws', () => {
  test('isWithinLoginHours agrees with the rule computed directly with luxon', () => {
    fc.assert(
      fc.property(loginHoursScheduleArb(), fc.array(loginHoursInstantArb(), { minLength: 1, maxLength: 20 }), (schedule, instants) => {
        const hours = compileLoginHours(schedule);
        for (const ms of instants) {
          expect(isWithinLoginHours(hours, ms), `${schedule.timezone} ${new Date(ms).toISOString()}`).toBe(referenceIsWithinLoginHours(schedule, ms));
        }
      }),
      { numRuns: 400 },
    );
  });

  test('adding a window never turns inside into outside', () => {
    fc.assert(
      fc.property(loginHoursScheduleArb(), loginHoursWindowArb(), loginHoursInstantArb(), (schedule, extra, ms) => {
        const before = isWithinLoginHours(compileLoginHours(schedule), ms);
        const after = isWithinLoginHours(compileLoginHours({ ...schedule, windows: [...schedule.windows, extra] }), ms);
        return !before || after;
      }),
      { numRuns: 500 },
    );
  });

  test('the order and repetition of windows do not matter', () => {
    fc.assert(
      fc.property(loginHoursScheduleArb(), loginHoursInstantArb(), (schedule, ms) => {
        const shuffled: LoginHoursSchedule = { ...schedule, windows: [...schedule.windows].reverse().concat(schedule.windows) };
        return isWithinLoginHours(compileLoginHours(schedule), ms) === isWithinLoginHours(compileLoginHours(shuffled), ms);
      }),
      { numRuns: 300 },
    );
  });

  test('the decision depends on the instant, not on how it is spelled', () => {
    fc.assert(
      fc.property(loginHoursScheduleArb(), loginHoursInstantArb({ fromYear: 1971, toYear: 2099 }), fc.integer({ min: -14 * 4, max: 14 * 4 }), (schedule, ms, quarterHours) => {
        const hours = compileLoginHours(schedule);
        const wholeSecond = Math.floor(ms / 1000) * 1000;
        const offset = quarterHours * 15;
        const local = new Date(wholeSecond + offset * MINUTE).toISOString().slice(0, 19);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const iso = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        const expected = isWithinLoginHours(hours, wholeSecond);
        return isWithinLoginHours(hours, new Date(wholeSecond)) === expected && isWithinLoginHours(hours, iso) === expected;
      }),
      { numRuns: 300 },
    );
  });

  test('an instant is inside exactly when nextLoginWindow says the hours are open', () => {
    fc.assert(
      fc.property(loginHoursScheduleArb(), loginHoursInstantArb({ fromYear: 1975, toYear: 2095 }), (schedule, ms) => {
        const hours = compileLoginHours(schedule);
        const next = nextLoginWindow(hours, ms);
        return isWithinLoginHours(hours, ms) === (next?.status === 'open');
      }),
      { numRuns: 300 },
    );
  });

  test('nextLoginWindow returns a span inside the hours, bounded by instants outside them', () => {
    fc.assert(
      fc.property(loginHoursScheduleArb({ maxWindows: 3 }), loginHoursInstantArb({ fromYear: 1975, toYear: 2095 }), (schedule, ms) => {
        const hours = compileLoginHours(schedule);
        const next = nextLoginWindow(hours, ms);
        if (hours.openMinutesPerWeek === 0) return next === null;
        if (next === null) return false;
        const inside = (t: number): boolean => referenceIsWithinLoginHours(schedule, t);
        expect(inside(next.start)).toBe(true);
        expect(next.waitMs).toBe(next.start - ms);
        expect(next.waitMinutes).toBe(Math.ceil(next.waitMs / MINUTE));
        if (next.status === 'upcoming') {
          expect(inside(next.start - 1)).toBe(false);
          // Nothing between `at` and `start` is inside: sample it.
          for (let i = 0; i < 16; i++) expect(inside(ms + Math.floor(((next.start - ms) * i) / 16))).toBe(false);
        }
        if (next.end === null) {
          expect(hours.openMinutesPerWeek).toBe(7 * 1440);
        } else {
          expect(next.end).toBeGreaterThan(next.start);
          expect(inside(next.end - 1)).toBe(true);
          expect(inside(next.end)).toBe(false);
          for (let i = 0; i < 16; i++) expect(inside(next.start + Math.floor(((next.end - next.start) * i) / 16))).toBe(true);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  test('the local start of the next window is a wall-clock time the windows allow', () => {
    fc.assert(
      fc.property(loginHoursScheduleArb({ maxWindows: 3 }), loginHoursInstantArb({ fromYear: 1975, toYear: 2095 }), (schedule, ms) => {
        const next = nextLoginWindow(compileLoginHours(schedule), ms);
        if (next === null) return true;
        // Read back through the reference: the wall clock it shows is inside.
        return referenceIsWithinLoginHours(schedule, next.start) && next.startLocal.timezone === compileLoginHours(schedule).timezone;
      }),
      { numRuns: 200 },
    );
  });

  test('a value that is not an instant is never inside, even when the hours are always open', () => {
    const always = compileLoginHours({ timezone: 'UTC', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '00:00' }] });
    fc.assert(
      fc.property(hostileLoginHoursInstantArb(), (at) => !isWithinLoginHours(always, at as Instant) && nextLoginWindow(always, at as Instant) === null),
      { numRuns: 300 },
    );
  });
});
