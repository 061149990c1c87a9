// Daylight-saving days. The rule: the wall-clock time of the instant is tested against the
// windows, so a skipped local time never occurs and a repeated one is inside a window both
// times. Expected instants were worked out by hand from the zones' published rules.
import { describe, expect, test } from 'vitest';
import { compileLoginHours, isWithinLoginHours, nextLoginWindow, type LoginHoursWindow, type Weekday } from 'staffgate/hours';

type Row = [at: string, inside: boolean, why: string];

function check(timezone: string, windows: LoginHoursWindow[], rows: Row[]): void {
  const hours = compileLoginHours({ timezone, windows });
  for (const [at, inside, why] of rows) {
    expect(isWithinLoginHours(hours, at), `${timezone} ${at}: ${why}`).toBe(inside);
  }
}

function next(timezone: string, windows: LoginHoursWindow[], at: string) {
  const n = nextLoginWindow(compileLoginHours({ timezone, windows }), at);
  if (n === null) throw new Error('expected a next window');
  return {
    status: n.status,
    start: new Date(n.start).toISOString(),
    end: n.end === null ? null : new Date(n.end).toISOString(),
    local: `${n.startLocal.weekday} ${n.startLocal.date} ${n.startLocal.time} (${n.startLocal.offsetMinutes})`,
    endLocal: n.endLocal === null ? null : `${n.endLocal.time} (${n.endLocal.offsetMinutes})`,
    waitMinutes: n.waitMinutes,
  };
}

const sun = (start: string, end: string): LoginHoursWindow[] => [{ days: ['sun'], start, end }];
const satNight: LoginHoursWindow[] = [{ days: ['sat'], start: '22:00', end: '06:00' }];
const workdays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

describe('Europe/London (01:00 UTC: GMT→BST on 2024-03-31, BST→GMT on 2024-10-27)', () => {
  test('spring: the skipped hour 01:00–02:00 never occurs', () => {
    check('Europe/London', sun('01:00', '02:00'), [
      ['2024-03-24T01:30:00Z', true, 'a week earlier 01:30 GMT exists'],
      ['2024-03-31T00:59:59.999Z', false, '00:59:59 GMT'],
      ['2024-03-31T01:00:00Z', false, '02:00 BST: the window would have ended'],
      ['2024-03-31T01:30:00Z', false, '02:30 BST'],
    ]);
    expect(next('Europe/London', sun('01:00', '02:00'), '2024-03-31T00:30:00Z')).toMatchObject({
      status: 'upcoming',
      start: '2024-04-07T00:00:00.000Z',
      local: 'sun 2024-04-07 01:00 (60)',
    });
  });

  test('spring: a window partly in the skipped hour opens when the clock jumps', () => {
    check('Europe/London', sun('01:30', '02:30'), [
      ['2024-03-31T00:59:59Z', false, '00:59:59 GMT'],
      ['2024-03-31T01:00:00Z', true, '02:00 BST'],
      ['2024-03-31T01:29:59Z', true, '02:29:59 BST'],
      ['2024-03-31T01:30:00Z', false, '02:30 BST'],
    ]);
    expect(next('Europe/London', sun('01:30', '02:30'), '2024-03-31T00:45:00Z')).toEqual({
      status: 'upcoming',
      start: '2024-03-31T01:00:00.000Z',
      end: '2024-03-31T01:30:00.000Z',
      local: 'sun 2024-03-31 02:00 (60)',
      endLocal: '02:30 (60)',
      waitMinutes: 15,
    });
  });

  test('autumn: the repeated hour 01:00–02:00 is inside both times', () => {
    check('Europe/London', sun('01:00', '02:00'), [
      ['2024-10-26T23:59:59Z', false, '00:59:59 BST'],
      ['2024-10-27T00:00:00Z', true, '01:00 BST, first time'],
      ['2024-10-27T00:59:59Z', true, '01:59:59 BST'],
      ['2024-10-27T01:00:00Z', true, '01:00 GMT, second time'],
      ['2024-10-27T01:59:59Z', true, '01:59:59 GMT'],
      ['2024-10-27T02:00:00Z', false, '02:00 GMT'],
    ]);
    expect(next('Europe/London', sun('01:00', '02:00'), '2024-10-26T23:30:00Z')).toMatchObject({
      start: '2024-10-27T00:00:00.000Z',
      end: '2024-10-27T02:00:00.000Z',
    });
  });

  test('autumn: a window inside the repeated hour opens twice', () => {
    check('Europe/London', sun('01:30', '01:45'), [
      ['2024-10-27T00:30:00Z', true, '01:30 BST'],
      ['2024-10-27T00:45:00Z', false, '01:45 BST'],
      ['2024-10-27T01:29:59Z', false, '01:29:59 GMT'],
      ['2024-10-27T01:30:00Z', true, '01:30 GMT'],
      ['2024-10-27T01:45:00Z', false, '01:45 GMT'],
    ]);
    expect(next('Europe/London', sun('01:30', '01:45'), '2024-10-27T00:40:00Z')).toMatchObject({ status: 'open', end: '2024-10-27T00:45:00.000Z' });
    expect(next('Europe/London', sun('01:30', '01:45'), '2024-10-27T00:50:00Z')).toMatchObject({
      status: 'upcoming',
      start: '2024-10-27T01:30:00.000Z',
      end: '2024-10-27T01:45:00.000Z',
      local: 'sun 2024-10-27 01:30 (0)',
    });
  });

  test('an overnight window lasts 7 hours into the spring change and 9 into the autumn one', () => {
    expect(next('Europe/London', satNight, '2024-03-30T12:00:00Z')).toMatchObject({ start: '2024-03-30T22:00:00.000Z', end: '2024-03-31T05:00:00.000Z' });
    expect(next('Europe/London', satNight, '2024-10-26T12:00:00Z')).toMatchObject({ start: '2024-10-26T21:00:00.000Z', end: '2024-10-27T06:00:00.000Z' });
  });
});

describe('America/New_York (EST→EDT 2024-03-10 07:00Z, EDT→EST 2024-11-03 06:00Z)', () => {
  test('spring: 02:00–03:00 is skipped', () => {
    check('America/New_York', sun('02:00', '03:00'), [
      ['2024-03-10T06:59:59.999Z', false, '01:59:59 EST'],
      ['2024-03-10T07:00:00Z', false, '03:00 EDT'],
      ['2024-03-03T07:30:00Z', true, 'a week earlier 02:30 EST'],
    ]);
    check('America/New_York', sun('02:30', '03:30'), [
      ['2024-03-10T06:59:59Z', false, '01:59:59 EST'],
      ['2024-03-10T07:00:00Z', true, '03:00 EDT'],
      ['2024-03-10T07:30:00Z', false, '03:30 EDT'],
    ]);
  });

  test('autumn: 01:00–02:00 happens twice and is inside both times', () => {
    check('America/New_York', sun('01:00', '02:00'), [
      ['2024-11-03T04:59:59Z', false, '00:59:59 EDT'],
      ['2024-11-03T05:00:00Z', true, '01:00 EDT'],
      ['2024-11-03T06:00:00Z', true, '01:00 EST'],
      ['2024-11-03T06:59:59Z', true, '01:59:59 EST'],
      ['2024-11-03T07:00:00Z', false, '02:00 EST'],
    ]);
  });

  test('the wait over the spring weekend is an hour shorter than the wall clock suggests', () => {
    // Friday 17:00 EST → Monday 09:00 EDT: 64 wall-clock hours, 63 real ones.
    expect(next('America/New_York', [{ days: workdays, start: '09:00', end: '17:00' }], '2024-03-08T22:00:00Z')).toMatchObject({
      start: '2024-03-11T13:00:00.000Z',
      local: 'mon 2024-03-11 09:00 (-240)',
      waitMinutes: 63 * 60,
    });
  });

  test('overnight windows: 7 hours in spring, 9 in autumn', () => {
    expect(next('America/New_York', satNight, '2024-03-09T12:00:00Z')).toMatchObject({ start: '2024-03-10T03:00:00.000Z', end: '2024-03-10T10:00:00.000Z' });
    expect(next('America/New_York', satNight, '2024-11-02T12:00:00Z')).toMatchObject({ start: '2024-11-03T02:00:00.000Z', end: '2024-11-03T11:00:00.000Z' });
  });
});

describe('Australia/Lord_Howe (30-minute DST: +11→+10:30 at 2024-04-06T15:00Z, +10:30→+11 at 2024-10-05T15:30Z)', () => {
  test('April: 01:30–02:00 repeats; a window 01:45–02:15 is inside twice with a gap', () => {
    check('Australia/Lord_Howe', sun('01:45', '02:15'), [
      ['2024-04-06T14:44:59Z', false, '01:44:59 +11'],
      ['2024-04-06T14:45:00Z', true, '01:45 +11'],
      ['2024-04-06T14:59:59Z', true, '01:59:59 +11'],
      ['2024-04-06T15:00:00Z', false, '01:30 +10:30 (clock went back)'],
      ['2024-04-06T15:14:59Z', false, '01:44:59 +10:30'],
      ['2024-04-06T15:15:00Z', true, '01:45 +10:30'],
      ['2024-04-06T15:44:59Z', true, '02:14:59 +10:30'],
      ['2024-04-06T15:45:00Z', false, '02:15 +10:30'],
    ]);
    expect(next('Australia/Lord_Howe', sun('01:45', '02:15'), '2024-04-06T14:50:00Z')).toMatchObject({ status: 'open', end: '2024-04-06T15:00:00.000Z', endLocal: '01:30 (630)' });
    expect(next('Australia/Lord_Howe', sun('01:45', '02:15'), '2024-04-06T15:00:00Z')).toMatchObject({
      status: 'upcoming',
      start: '2024-04-06T15:15:00.000Z',
      end: '2024-04-06T15:45:00.000Z',
      local: 'sun 2024-04-07 01:45 (630)',
      waitMinutes: 15,
    });
  });

  test('October: 02:00–02:30 is skipped', () => {
    check('Australia/Lord_Howe', sun('02:00', '02:30'), [
      ['2024-10-05T15:29:59.999Z', false, '01:59:59 +10:30'],
      ['2024-10-05T15:30:00Z', false, '02:30 +11'],
      ['2024-09-28T15:45:00Z', true, 'a week earlier 02:15 +10:30'],
    ]);
    check('Australia/Lord_Howe', sun('02:15', '02:45'), [
      ['2024-10-05T15:29:59Z', false, '01:59:59 +10:30'],
      ['2024-10-05T15:30:00Z', true, '02:30 +11'],
      ['2024-10-05T15:45:00Z', false, '02:45 +11'],
    ]);
    expect(next('Australia/Lord_Howe', sun('02:15', '02:45'), '2024-10-05T15:00:00Z')).toMatchObject({
      start: '2024-10-05T15:30:00.000Z',
      end: '2024-10-05T15:45:00.000Z',
      local: 'sun 2024-10-06 02:30 (660)',
    });
  });
});
