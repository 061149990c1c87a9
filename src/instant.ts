/**
 * Instants as callers pass them: a Date, an ISO 8601 string with an explicit offset, or epoch
 * milliseconds. Shared by every capability; it never reads the clock.
 *
 * @example
 * ```ts
 * const at: Instant = now;                        // a Date from the host's own clock
 * const same: Instant = '2026-11-23T09:00:00+01:00'; // an offset is required
 * const also: Instant = 1_795_420_800_000;          // epoch ms
 * resolvePolicy(account, overrides, { at });
 * ```
 */
export type Instant = Date | string | number;

// Date-time with a mandatory `Z` or ±HH:MM: a string without one would be read in the
// server's own zone, which a security decision must never depend on.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Converts an {@link Instant} to epoch milliseconds, or `NaN` when it is not a valid instant.
 * Never throws, so request-time callers can turn `NaN` into a deny.
 */
export function toEpochMs(at: unknown): number {
  if (typeof at === 'number') return Number.isFinite(at) && Math.abs(at) <= 8.64e15 ? Math.trunc(at) : Number.NaN;
  if (typeof at === 'object' && at !== null) {
    // Date.prototype.getTime itself, not the object's own: a subclass could override getTime.
    // It throws for anything that is not a real Date (an object that only inherits from
    // Date.prototype, a proxy), which is NaN here. No `instanceof`: it would run a proxy's
    // getPrototypeOf trap, which may throw, and it misses Dates from another realm.
    let ms: number;
    try {
      ms = Date.prototype.getTime.call(at);
    } catch {
      return Number.NaN;
    }
    return Number.isFinite(ms) ? ms : Number.NaN;
  }
  if (typeof at === 'string') return parseIsoInstant(at);
  return Number.NaN;
}

function parseIsoInstant(text: string): number {
  if (text.length > 40) return Number.NaN;
  const m = ISO_INSTANT.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return Number.NaN;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac === undefined ? 0 : Math.trunc(Number(`0.${frac}`) * 1000);
  // Date.UTC reads years 0-99 as 1900-1999, so those take the slower exact path.
  let utc: number;
  if (year >= 100) {
    utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  } else {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, ms);
    utc = date.getTime();
  }
  return utc - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
