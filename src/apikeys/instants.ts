import { toEpochMs } from '../instant.js';

// Records hold instants as `Date#toISOString()` text (`2025-09-01T00:00:00.000Z`). Reading that
// exact form by char codes skips the general parser's regex and Date object: it is on the
// per-request path. Anything else goes to the general parser, which gives the same answer.
const CANONICAL_LENGTH = 24;

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch ms of a stored instant, or `NaN`. Never throws. */
export function storedInstantMs(value: unknown): number {
  if (typeof value !== 'string' || value.length !== CANONICAL_LENGTH) return toEpochMs(value);
  if (
    value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84 ||
    value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || value.charCodeAt(19) !== 46 || value.charCodeAt(23) !== 90
  ) {
    return toEpochMs(value);
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  const ms = digits(value, 20, 3);
  // Years below 100 would be read as 19xx by Date.UTC; Feb 29 needs the leap-year rule: both
  // are rare enough to leave to the general parser.
  if (year < 100 || ms < 0 || month < 1 || month > 12 || day < 1 || day > (DAYS_IN_MONTH[month] ?? 0) || (month === 2 && day === 29)) {
    return toEpochMs(value);
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}
