import { StaffgateError, isStaffgateError, type SafeResult, type StaffgateIssue } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { END_OF_DAY, parseTimeOfDay } from './time-of-day.js';
import { parseTimeZone, zoneOffsets, type ZoneOffsets } from './zone.js';

/**
 * A day of the week, as login-hours windows name them: lower-case English abbreviations,
 * independent of locale.
 *
 * @example
 * ```ts
 * const weekend: Weekday[] = ['sat', 'sun'];
 * const window: LoginHoursWindow = { days: WEEKDAYS.filter((d) => !weekend.includes(d)), start: '08:00', end: '18:00' };
 * ```
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * The seven {@link Weekday} values in week order, Monday first.
 *
 * @example
 * ```ts
 * const workdays = WEEKDAYS.slice(0, 5); // ['mon', 'tue', 'wed', 'thu', 'fri']
 * ```
 */
export const WEEKDAYS: readonly Weekday[] = Object.freeze(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/**
 * One allowed span of wall-clock time, repeated on each of `days`. `start` and `end` are
 * `HH:MM`; `end` may be `'24:00'`. When `end` is not after `start` the window crosses
 * midnight and belongs to the day it starts (`fri 22:00–06:00` runs to Saturday 06:00);
 * `start === end` is 24 hours from `start` (so `00:00–00:00` is the whole day).
 *
 * @example
 * ```ts
 * const officeHours: LoginHoursWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' };
 * ```
 */
export interface LoginHoursWindow {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
}

/**
 * Login hours as settings store them: windows of wall-clock time in one IANA zone.
 *
 * @example
 * ```ts
 * const schedule: LoginHoursSchedule = {
 *   timezone: 'Europe/London',
 *   windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
 * };
 * ```
 */
export interface LoginHoursSchedule {
  readonly timezone: string;
  readonly windows: readonly LoginHoursWindow[];
}

/**
 * A schedule checked and compiled by {@link compileLoginHours}: immutable, cheap to check.
 * Only objects returned by `compileLoginHours` work; a look-alike (for example a JSON copy)
 * is never inside its hours.
 *
 * @example
 * ```ts
 * const hours = compileLoginHours({ timezone: 'europe/london', windows: [] });
 * hours.timezone;           // 'Europe/London'
 * hours.openMinutesPerWeek; // 0: nobody can log in
 * ```
 */
export interface CompiledLoginHours {
  /** Canonical IANA zone name (see {@link parseTimeZone}). */
  readonly timezone: string;
  /** The windows as compiled (frozen; days de-duplicated, in week order). */
  readonly windows: readonly LoginHoursWindow[];
  /** Wall-clock minutes of a week that are inside a window: 0 = never, 10080 = always. */
  readonly openMinutesPerWeek: number;
}

/**
 * A wall-clock reading in a schedule's zone.
 *
 * @example
 * ```ts
 * const now = resolveLocalTime(hours, '2024-06-03T07:15:00Z');
 * // { date: '2024-06-03', time: '08:15', weekday: 'mon', timezone: 'Europe/London', offsetMinutes: 60 }
 * ```
 */
export interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  readonly date: string;
  /** `HH:MM` in the zone (seconds dropped). */
  readonly time: string;
  readonly weekday: Weekday;
  readonly timezone: string;
  /** UTC offset in minutes at that instant (`60` for BST, `-300` for EST, `345` for Nepal). */
  readonly offsetMinutes: number;
}

/**
 * The allowed span of time that contains `at`, or the next one after it, from
 * {@link nextLoginWindow}. Instants are epoch milliseconds.
 *
 * @example
 * ```ts
 * const next = nextLoginWindow(hours, at);
 * if (next?.status === 'upcoming') {
 *   const h = Math.floor(next.waitMinutes / 60), m = next.waitMinutes % 60;
 *   console.log(`You can sign in from ${next.startLocal.time} ${next.timezone}, in ${h} h ${m} min`);
 * }
 * ```
 */
export interface NextLoginWindow {
  /** `open`: `at` is inside login hours; `upcoming`: a login becomes possible at `start`. */
  readonly status: 'open' | 'upcoming';
  /** `at` itself when open, else the first instant inside login hours (epoch ms). */
  readonly start: number;
  /** First instant after `start` outside login hours (epoch ms); `null` if the hours never close. */
  readonly end: number | null;
  /** `start - at` in ms: 0 when open. */
  readonly waitMs: number;
  /** `waitMs` rounded up to whole minutes, ready for "in 3 h 10 min". */
  readonly waitMinutes: number;
  readonly timezone: string;
  /** Wall clock at `start` in the zone. */
  readonly startLocal: LocalTime;
  /** Wall clock at `end` in the zone, or `null` with `end`. */
  readonly endLocal: LocalTime | null;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const WEEK_MINUTES = 7 * 1440;
// 1970-01-05T00:00 (local) was a Monday: the origin of the week position.
const MONDAY_MS = 4 * DAY_MS;
const MAX_EPOCH_MS = 8.64e15;
// How far nextLoginWindow looks. A non-empty schedule recurs every week; only a calendar day
// skipped by a zone (Pacific/Apia lost 2011-12-30) can push the next opening past 7 days.
const HORIZON_MS = 366 * DAY_MS;

function weekPosition(localMs: number): number {
  const p = (localMs - MONDAY_MS) % WEEK_MS;
  return p < 0 ? p + WEEK_MS : p;
}

class CompiledSchedule implements CompiledLoginHours {
  readonly timezone: string;
  readonly windows: readonly LoginHoursWindow[];
  readonly openMinutesPerWeek: number;
  /** 1 where the minute of the week (Monday 00:00 = 0) is inside a window. */
  readonly #open: Uint8Array;
  /** Minutes from each minute of the week to the next one with the other state; 0 = never. */
  readonly #flip: Uint16Array;
  readonly #zone: ZoneOffsets;

  constructor(zone: ZoneOffsets, windows: readonly LoginHoursWindow[], open: Uint8Array) {
    this.timezone = zone.name;
    this.windows = windows;
    this.#zone = zone;
    this.#open = open;
    const flip = new Uint16Array(WEEK_MINUTES);
    this.openMinutesPerWeek = fillFlipDistances(open, flip);
    this.#flip = flip;
    Object.freeze(this);
  }

  static #isCompiled(value: unknown): value is CompiledSchedule {
    return typeof value === 'object' && value !== null && #open in value;
  }

  static within(compiled: unknown, at: unknown): boolean {
    if (!CompiledSchedule.#isCompiled(compiled)) return false;
    const ms = toEpochMs(at);
    if (Number.isNaN(ms)) return false;
    try {
      const offset = compiled.#zone.offsetAt(ms);
      if (Number.isNaN(offset)) return false;
      return compiled.#open[Math.floor(weekPosition(ms + offset) / MINUTE_MS)] === 1;
    } catch {
      return false;
    }
  }

  static localTime(compiled: unknown, at: unknown): LocalTime | null {
    if (!CompiledSchedule.#isCompiled(compiled)) return null;
    const ms = toEpochMs(at);
    if (Number.isNaN(ms)) return null;
    try {
      return compiled.#localTime(ms);
    } catch {
      return null;
    }
  }

  static next(compiled: unknown, at: unknown): NextLoginWindow | null {
    if (!CompiledSchedule.#isCompiled(compiled) || compiled.openMinutesPerWeek === 0) return null;
    const ms = toEpochMs(at);
    if (Number.isNaN(ms)) return null;
    try {
      const start = compiled.#find(ms, true, Math.min(ms + HORIZON_MS, MAX_EPOCH_MS));
      if (start === null) return null;
      const end = compiled.openMinutesPerWeek === WEEK_MINUTES ? null : compiled.#find(start, false, Math.min(start + HORIZON_MS, MAX_EPOCH_MS));
      const waitMs = start - ms;
      return Object.freeze({
        status: waitMs === 0 ? 'open' : 'upcoming',
        start,
        end,
        waitMs,
        waitMinutes: Math.ceil(waitMs / MINUTE_MS),
        timezone: compiled.timezone,
        startLocal: compiled.#localTime(start),
        endLocal: end === null ? null : compiled.#localTime(end),
      });
    } catch {
      return null;
    }
  }

  /**
   * First instant in [from, limit] whose state is `want`. Within a stretch of constant
   * offset, local time runs with UTC, so the next change is the next minute of the week with
   * the other state; at an offset change the state is read again.
   */
  #find(from: number, want: boolean, limit: number): number | null {
    let t = from;
    while (t <= limit) {
      const segment = this.#zone.segmentAt(t);
      const local = t + segment.offset;
      const position = weekPosition(local);
      const minute = Math.floor(position / MINUTE_MS);
      if ((this.#open[minute] === 1) === want) return t;
      const distance = this.#flip[minute] ?? 0;
      if (distance === 0) return null;
      const flipAt = local - (position % MINUTE_MS) + distance * MINUTE_MS - segment.offset;
      if (flipAt < segment.end) return flipAt <= limit ? flipAt : null;
      t = segment.end;
    }
    return null;
  }

  #localTime(ms: number): LocalTime {
    const offset = this.#zone.offsetAt(ms);
    const d = new Date(ms + offset);
    const year = d.getUTCFullYear();
    const yearText = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
    return Object.freeze({
      date: `${yearText}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
      time: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`,
      weekday: WEEKDAYS[(d.getUTCDay() + 6) % 7] as Weekday,
      timezone: this.timezone,
      offsetMinutes: offset / MINUTE_MS,
    });
  }
}

/**
 * Fills `flip[m]` with the number of minutes from minute `m` of the week to the next minute
 * whose state differs (0 everywhere when the week is uniform) and returns the open minutes.
 */
function fillFlipDistances(open: Uint8Array, flip: Uint16Array): number {
  let count = 0;
  let change = -1; // a minute whose state differs from the minute before it
  for (let m = 0; m < WEEK_MINUTES; m++) {
    count += open[m] ?? 0;
    if (change < 0 && open[m] !== open[m === 0 ? WEEK_MINUTES - 1 : m - 1]) change = m;
  }
  if (change < 0) return count;
  // One lap backwards from the minute before `change` round to `change` itself.
  let distance = 0;
  let next = change;
  for (let step = 0; step < WEEK_MINUTES; step++) {
    const here = next === 0 ? WEEK_MINUTES - 1 : next - 1;
    distance = open[here] === open[next] ? distance + 1 : 1;
    flip[here] = distance;
    next = here;
  }
  return count;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const WEEKDAY_INDEX: ReadonlyMap<unknown, number> = new Map(WEEKDAYS.map((d, i) => [d, i]));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issueOf(err: unknown, path: readonly (string | number)[]): StaffgateIssue {
  if (isStaffgateError(err)) return { code: err.code, path, message: err.issues[0]?.message ?? err.message };
  return { code: 'invalid_schedule', path, message: String(err) };
}

/**
 * Checks and compiles a login-hours schedule once, at setup. Throws {@link StaffgateError}
 * listing every problem (`err.issues`), each with a path relative to the schedule, such as
 * `['timezone']` (`invalid_time_zone`), `['windows', 1, 'start']` (`invalid_time_of_day`) or
 * `['windows', 0, 'days', 2]` (`invalid_schedule`). A settings parser prefixes it with
 * `err.withPathPrefix(['loginHours'])`. Fields other than `timezone` and `windows` (such as
 * `enabled`) are ignored: whether the rule applies is the caller's decision.
 *
 * Rules: `days` is a non-empty list of `'mon'`…`'sun'`; `start` is `00:00`–`23:59`; `end` is
 * `00:00`–`24:00`; when `end <= start` the window crosses midnight into the next day, and
 * `start === end` means 24 hours from `start`. An empty `windows` list is valid and never open.
 *
 * @example
 * ```ts
 * const hours = compileLoginHours({
 *   timezone: 'Europe/London',
 *   windows: [
 *     { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
 *     { days: ['sat'], start: '22:00', end: '06:00' }, // Saturday night until Sunday 06:00
 *   ],
 * });
 * ```
 */
export function compileLoginHours(schedule: LoginHoursSchedule): CompiledLoginHours {
  const issues: StaffgateIssue[] = [];
  const input: unknown = schedule;
  if (!isRecord(input)) {
    throw new StaffgateError('invalid_schedule', 'Login hours must be an object { timezone, windows }.');
  }
  let zone: ZoneOffsets | undefined;
  try {
    zone = zoneOffsets(parseTimeZone(input.timezone as string));
  } catch (err) {
    issues.push(issueOf(err, ['timezone']));
  }
  const open = new Uint8Array(WEEK_MINUTES);
  const windows: LoginHoursWindow[] = [];
  const rawWindows = input.windows;
  if (!Array.isArray(rawWindows)) {
    issues.push({ code: 'invalid_schedule', path: ['windows'], message: 'windows must be a list of { days, start, end }.' });
  } else {
    rawWindows.forEach((raw: unknown, i) => {
      const window = compileWindow(raw, ['windows', i], issues);
      if (window === undefined) return;
      windows.push(window.normalised);
      for (const day of window.dayIndexes) {
        const from = day * 1440 + window.start;
        const to = from + window.length;
        open.fill(1, from, Math.min(to, WEEK_MINUTES));
        if (to > WEEK_MINUTES) open.fill(1, 0, to - WEEK_MINUTES); // Sunday night into Monday
      }
    });
  }
  const first = issues[0];
  if (first !== undefined || zone === undefined) {
    const head = first ?? { code: 'invalid_schedule' as const, path: [], message: 'Login hours could not be compiled.' };
    throw new StaffgateError(head.code, head.message, { path: head.path, issues });
  }
  return new CompiledSchedule(zone, Object.freeze(windows), open);
}

function compileWindow(
  raw: unknown,
  path: readonly (string | number)[],
  issues: StaffgateIssue[],
): { normalised: LoginHoursWindow; dayIndexes: number[]; start: number; length: number } | undefined {
  if (!isRecord(raw)) {
    issues.push({ code: 'invalid_schedule', path, message: 'A window must be an object { days, start, end }.' });
    return undefined;
  }
  const before = issues.length;
  const dayIndexes: number[] = [];
  if (!Array.isArray(raw.days) || raw.days.length === 0) {
    issues.push({ code: 'invalid_schedule', path: [...path, 'days'], message: 'days must be a non-empty list of "mon" … "sun".' });
  } else {
    raw.days.forEach((day: unknown, j) => {
      const index = WEEKDAY_INDEX.get(day);
      if (index === undefined) {
        const shown = typeof day === 'string' ? JSON.stringify(day.slice(0, 20)) : typeof day;
        issues.push({ code: 'invalid_schedule', path: [...path, 'days', j], message: `${shown} is not a weekday: use "mon", "tue", "wed", "thu", "fri", "sat" or "sun".` });
      } else if (!dayIndexes.includes(index)) {
        dayIndexes.push(index);
      }
    });
  }
  let start = 0;
  let end = 0;
  try {
    start = parseTimeOfDay(raw.start as string, { allowEndOfDay: false });
  } catch (err) {
    issues.push(issueOf(err, [...path, 'start']));
  }
  try {
    end = parseTimeOfDay(raw.end as string);
  } catch (err) {
    issues.push(issueOf(err, [...path, 'end']));
  }
  if (issues.length > before) return undefined;
  dayIndexes.sort((a, b) => a - b);
  // end <= start crosses midnight; start === end is a full 24 hours from start.
  const length = end > start ? end - start : end + END_OF_DAY - start;
  const normalised = Object.freeze({
    days: Object.freeze(dayIndexes.map((i) => WEEKDAYS[i] as Weekday)),
    start: raw.start as string,
    end: raw.end as string,
  });
  return { normalised, dayIndexes, start, length };
}

/**
 * {@link compileLoginHours} without throwing: `{ ok: true, value }` or `{ ok: false, error }`.
 *
 * @example
 * ```ts
 * const result = safeCompileLoginHours({ timezone: 'UTC+2', windows: [] });
 * if (!result.ok) console.log(result.error.code, result.error.pathText); // invalid_time_zone timezone
 * ```
 */
export function safeCompileLoginHours(schedule: LoginHoursSchedule): SafeResult<CompiledLoginHours> {
  try {
    return { ok: true, value: compileLoginHours(schedule) };
  } catch (err) {
    if (isStaffgateError(err)) return { ok: false, error: err };
    throw err;
  }
}

/**
 * Whether `at` falls inside the login hours: the wall-clock time of `at` in the schedule's
 * zone is inside `[start, end)` of one of that day's windows, or of the previous day's window
 * that crosses midnight. A local time skipped by a daylight-saving change never occurs; a
 * repeated local time is inside a window both times. Never throws: an invalid `at` (NaN,
 * an ISO string without offset, …) or an object not made by {@link compileLoginHours} gives
 * `false`. Costs a table lookup and some arithmetic, no Intl/luxon call.
 *
 * @example
 * ```ts
 * isWithinLoginHours(hours, '2024-06-03T07:15:00Z'); // true: Monday 08:15 in London
 * isWithinLoginHours(hours, '2024-06-03T17:00:00Z'); // false: 18:00 is the end
 * isWithinLoginHours(hours, 'yesterday');            // false
 * ```
 */
export function isWithinLoginHours(compiled: CompiledLoginHours, at: Instant): boolean {
  return CompiledSchedule.within(compiled, at);
}

/**
 * The allowed span that contains `at` (`status: 'open'`, `start = at`) or the next one
 * (`status: 'upcoming'`), with when it ends and both ends as wall-clock times in the zone.
 * A span runs across adjacent windows and across midnight as long as there is no gap.
 * Returns `null` when the schedule has no windows, when no allowed instant comes within 366
 * days, or when `at` is invalid. Never throws.
 *
 * @example
 * ```ts
 * // Friday 2024-06-07 19:50 in London, office hours Mon–Fri 08:00–18:00:
 * const next = nextLoginWindow(hours, '2024-06-07T18:50:00Z');
 * // { status: 'upcoming', startLocal: { date: '2024-06-10', time: '08:00', weekday: 'mon', … },
 * //   waitMinutes: 3610, end: Date.parse('2024-06-10T17:00:00Z'), … }
 * ```
 */
export function nextLoginWindow(compiled: CompiledLoginHours, at: Instant): NextLoginWindow | null {
  return CompiledSchedule.next(compiled, at);
}

/**
 * The wall-clock date and time of `at` in the schedule's zone, for messages such as "it is
 * 19:42 on Saturday in Europe/London". `null` for an invalid `at`. Never throws.
 *
 * @example
 * ```ts
 * resolveLocalTime(hours, '2024-10-27T01:30:00Z'); // { date: '2024-10-27', time: '01:30', weekday: 'sun', offsetMinutes: 0, … }
 * ```
 */
export function resolveLocalTime(compiled: CompiledLoginHours, at: Instant): LocalTime | null {
  return CompiledSchedule.localTime(compiled, at);
}
