import { StaffgateError } from '../errors.js';

// Exactly two ASCII digits, a colon, two ASCII digits (`\d` is ASCII-only without the u flag).
const HH_MM = /^(\d\d):(\d\d)$/;

/** Minutes in a day: the value of `'24:00'`. */
export const END_OF_DAY = 1440;

/**
 * Parses a wall-clock time `HH:MM` (24-hour, two digits each) into minutes after midnight.
 *
 * `'24:00'` is the end of the day (1440) and is accepted unless `allowEndOfDay` is `false`:
 * it may end a window (`'18:00'`–`'24:00'`) but never start one. Anything else throws
 * `invalid_time_of_day`: `'8:00'`, `'08:00:00'`, `' 08:00'`, `'24:01'`, `'12:60'`, `'8am'`,
 * full-width digits.
 *
 * @example
 * ```ts
 * parseTimeOfDay('08:30');                            // 510
 * parseTimeOfDay('24:00');                            // 1440
 * parseTimeOfDay('24:00', { allowEndOfDay: false });  // throws invalid_time_of_day
 * ```
 */
export function parseTimeOfDay(text: string, options: { readonly allowEndOfDay?: boolean } = {}): number {
  const value: unknown = text;
  const allowEndOfDay = (options as { allowEndOfDay?: unknown }).allowEndOfDay ?? true;
  if (typeof allowEndOfDay !== 'boolean') {
    throw new StaffgateError('invalid_option', 'parseTimeOfDay: allowEndOfDay must be a boolean.');
  }
  if (typeof value !== 'string') {
    throw new StaffgateError('invalid_time_of_day', 'A time of day must be a string "HH:MM", such as "08:00".');
  }
  const m = HH_MM.exec(value);
  const hours = m ? Number(m[1]) : Number.NaN;
  const minutes = m ? Number(m[2]) : Number.NaN;
  const shown = JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (!(hours <= 24 && minutes <= 59) || (hours === 24 && minutes !== 0)) {
    throw new StaffgateError('invalid_time_of_day', `${shown} is not a time of day: use HH:MM from 00:00 to 24:00, such as "08:00".`);
  }
  if (hours === 24 && !allowEndOfDay) {
    throw new StaffgateError('invalid_time_of_day', `"24:00" is the end of the day and cannot start a window: use "00:00".`);
  }
  return hours * 60 + minutes;
}
