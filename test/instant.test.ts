import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toEpochMs } from '../src/instant.js';

describe('toEpochMs', () => {
  it.each([
    ['2026-11-23T09:00:00Z', Date.UTC(2026, 10, 23, 9)],
    ['2026-11-23T09:00Z', Date.UTC(2026, 10, 23, 9)],
    ['2026-11-23T10:00:00+01:00', Date.UTC(2026, 10, 23, 9)],
    ['2026-11-23T03:15:00-05:45', Date.UTC(2026, 10, 23, 9)],
    ['2026-11-23T09:00:00.123456Z', Date.UTC(2026, 10, 23, 9, 0, 0, 123)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0050-01-01T00:00:00Z', -60589296000000],
  ])('reads %s', (text, expected) => {
    expect(toEpochMs(text)).toBe(expected);
  });

  it.each([
    '2026-11-23T09:00:00', // no offset: would be read in the server's zone
    '2026-11-23',
    '2026-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-31T00:00:00Z',
    '2026-11-23T24:00:00Z',
    '2026-11-23T09:60:00Z',
    '2026-11-23T09:00:00+24:00',
    ' 2026-11-23T09:00:00Z',
    '2026-11-23t09:00:00z',
    '２０２６-11-23T09:00:00Z',
    'Mon, 23 Nov 2026 09:00:00 GMT',
    '',
  ])('refuses %j', (text) => {
    expect(toEpochMs(text)).toBeNaN();
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, new Date('x'), null, undefined, {}, [], true])('refuses %j', (value) => {
    expect(toEpochMs(value)).toBeNaN();
  });

  it('a fake or tampered Date is read by the real getTime, never trusted or thrown on', () => {
    expect(toEpochMs(Object.create(Date.prototype))).toBeNaN();
    class Lying extends Date {
      override getTime(): number {
        return 0;
      }
    }
    expect(toEpochMs(new Lying(Date.UTC(2026, 0, 1)))).toBe(Date.UTC(2026, 0, 1));
  });

  it('a proxy is NaN, never thrown on, even one whose traps throw or that is revoked', () => {
    const throwing = new Proxy(new Date(0), {
      getPrototypeOf() {
        throw new Error('trap');
      },
    });
    const revocable = Proxy.revocable(new Date(0), {});
    revocable.revoke();
    expect(toEpochMs(throwing)).toBeNaN();
    expect(toEpochMs(revocable.proxy)).toBeNaN();
  });

  it('a Date from another realm is a Date', () => {
    expect(toEpochMs(runInNewContext('new Date(86400000)'))).toBe(86_400_000);
  });

  it('agrees with Date.toISOString for every instant in range (round trip)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62135596800000, max: 253402300799999 }), (ms) => {
        expect(toEpochMs(new Date(ms).toISOString())).toBe(ms);
        expect(toEpochMs(new Date(ms))).toBe(ms);
        expect(toEpochMs(ms)).toBe(ms);
      }),
    );
  });

  it('an offset shifts the instant by exactly that many minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), (ms, offset) => {
        const local = new Date(ms + offset * 60_000).toISOString().slice(0, -1);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(toEpochMs(text)).toBe(ms);
      }),
    );
  });
});
