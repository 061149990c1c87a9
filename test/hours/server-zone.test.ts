// The server's own time zone must never change a decision or a validation. This file runs
// everything under odd server zones and compares with answers computed in UTC terms.
import { afterAll, describe, expect, test } from 'vitest';
import { compileLoginHours, isWithinLoginHours, nextLoginWindow, parseTimeZone, resolveLocalTime } from 'staffgate/hours';

const original = process.env.TZ;
afterAll(() => {
  if (original === undefined) delete process.env.TZ;
  else process.env.TZ = original;
});

// Offsets of 1 January 2024 00:00Z for each server zone, to prove the switch took effect.
const serverZones: [string, number][] = [
  ['Pacific/Kiritimati', -840],
  ['Pacific/Chatham', -825],
  ['America/St_Johns', 210],
  ['Asia/Kathmandu', -345],
];

describe.each(serverZones)('with the server in %s', (serverZone, offset) => {
  test('the switch of server zone took effect', () => {
    process.env.TZ = serverZone;
    expect(new Date('2024-01-01T00:00:00Z').getTimezoneOffset()).toBe(offset);
  });

  test('decisions and wall clocks are the same as anywhere else', () => {
    process.env.TZ = serverZone;
    const hours = compileLoginHours({ timezone: 'Europe/London', windows: [{ days: ['mon'], start: '08:00', end: '18:00' }] });
    expect(isWithinLoginHours(hours, '2024-06-03T07:00:00Z')).toBe(true);
    expect(isWithinLoginHours(hours, '2024-06-03T06:59:59Z')).toBe(false);
    expect(isWithinLoginHours(hours, '2024-06-03T17:00:00Z')).toBe(false);
    expect(resolveLocalTime(hours, '2024-06-03T07:00:00Z')).toMatchObject({ date: '2024-06-03', time: '08:00', weekday: 'mon' });
    expect(nextLoginWindow(hours, '2024-06-03T03:50:00Z')).toMatchObject({
      start: Date.parse('2024-06-03T07:00:00Z'),
      end: Date.parse('2024-06-03T17:00:00Z'),
      waitMinutes: 190,
    });
    const utc = compileLoginHours({ timezone: 'UTC', windows: [{ days: ['mon'], start: '00:00', end: '00:00' }] });
    expect(isWithinLoginHours(utc, '2024-06-03T00:00:00Z')).toBe(true);
    expect(isWithinLoginHours(utc, '2024-06-02T23:59:59Z')).toBe(false);
  });

  test('validation does not fall back to the server zone', () => {
    process.env.TZ = serverZone;
    expect(() => parseTimeZone('local')).toThrow(/server's own time zone/);
    expect(() => parseTimeZone('')).toThrow(/empty/);
    expect(() => compileLoginHours({ timezone: 'Not/AZone', windows: [] })).toThrow(/not a time zone known/);
    expect(parseTimeZone('europe/london')).toBe('Europe/London');
    // An ISO string without an offset would be read in the server zone: refused, not guessed.
    const always = compileLoginHours({ timezone: 'UTC', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }] });
    expect(isWithinLoginHours(always, '2024-06-03T08:00:00')).toBe(false);
  });
});
