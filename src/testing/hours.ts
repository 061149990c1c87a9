// fast-check arbitraries for login hours: weekdays, times of day, windows, schedules, time
// zones and instants, valid and hostile, plus a slow luxon-based reference of the rule.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { WEEKDAYS, compileLoginHours, isWithinLoginHours, type CompiledLoginHours, type LoginHoursSchedule, type LoginHoursWindow, type Weekday } from '../hours/index.js';
import { seededRandom } from './random.js';

/**
 * Zones whose offsets make login hours hard: half-hour DST (Lord Howe), 45-minute offsets
 * (Kathmandu, Chatham), negative half hours (St John's), DST at midnight (Santiago, Havana),
 * a skipped calendar day (Apia, 2011-12-30), negative DST (Dublin), a two-hour DST (Troll),
 * Ramadan breaks (Casablanca, Gaza), and the extremes UTC+14 and UTC−11.
 *
 * @example
 * ```ts
 * it.each(trickyTimeZones)('my schedule screen round-trips %s', (timezone) => {
 *   const schedule = compileLoginHours({ timezone, windows: [{ days: ['mon'], start: '09:00', end: '17:00' }] });
 *   expect(isWithinLoginHours(schedule, Date.UTC(2026, 2, 30, 12))).toBeTypeOf('boolean');
 * });
 * ```
 */
export const trickyTimeZones: readonly string[] = Object.freeze([
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'America/Santiago',
  'Pacific/Apia',
  'Asia/Kolkata',
  'Asia/Tehran',
  'Africa/Casablanca',
  'Europe/Dublin',
  'America/Havana',
  'Antarctica/Troll',
  'Asia/Gaza',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/Sao_Paulo',
  'Australia/Adelaide',
  'UTC',
]);

/**
 * A weekday `'mon'` … `'sun'`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(weekdayArb(), (d) => WEEKDAYS.includes(d)));
 * ```
 */
export function weekdayArb(): fc.Arbitrary<Weekday> {
  return fc.constantFrom(...WEEKDAYS);
}

/**
 * A valid `HH:MM`, biased to round times and the edges of the day. With `allowEndOfDay`
 * (default `false`) it also yields `'24:00'`, valid as the end of a window.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(timeOfDayArb(), (t) => parseTimeOfDay(t) < 1440));
 * ```
 */
export function timeOfDayArb(options: { readonly allowEndOfDay?: boolean } = {}): fc.Arbitrary<string> {
  const format = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const edges = ['00:00', '00:01', '01:00', '01:30', '02:00', '02:30', '03:00', '12:00', '23:59', ...(options.allowEndOfDay === true ? ['24:00'] : [])];
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...edges) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 47 }).map((half) => format(half * 30)) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 1439 }).map(format) },
  );
}

/**
 * A valid login-hours window with random days, start and end (including overnight windows,
 * `start === end` and `'24:00'`).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(loginHoursWindowArb(), (w) => compileLoginHours({ timezone: 'UTC', windows: [w] }).openMinutesPerWeek > 0));
 * ```
 */
export function loginHoursWindowArb(): fc.Arbitrary<LoginHoursWindow> {
  return fc.record({
    days: fc.uniqueArray(weekdayArb(), { minLength: 1, maxLength: 7 }),
    start: timeOfDayArb(),
    end: timeOfDayArb({ allowEndOfDay: true }),
  });
}

/**
 * A valid schedule in one of `timezones` (default {@link trickyTimeZones}) with up to
 * `maxWindows` windows (default 4; 0 windows is possible and means never open).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(loginHoursScheduleArb(), (s) => compileLoginHours(s).windows.length === s.windows.length));
 * ```
 */
export function loginHoursScheduleArb(options: { readonly timezones?: readonly string[]; readonly maxWindows?: number } = {}): fc.Arbitrary<LoginHoursSchedule> {
  const zones = options.timezones !== undefined && options.timezones.length > 0 ? options.timezones : trickyTimeZones;
  return fc.record({
    timezone: fc.constantFrom(...zones),
    windows: fc.array(loginHoursWindowArb(), { maxLength: options.maxWindows ?? 4 }),
  });
}

/**
 * A time zone name `parseTimeZone` (from `staffgate/hours`) accepts: tricky zones, their lower- and upper-case
 * spellings, links (`US/Eastern`, `Asia/Calcutta`) and the names of UTC.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(timeZoneArb(), (z) => parseTimeZone(parseTimeZone(z)) === parseTimeZone(z)));
 * ```
 */
export function timeZoneArb(): fc.Arbitrary<string> {
  const names = fc.constantFrom(...trickyTimeZones, 'US/Eastern', 'Asia/Calcutta', 'Etc/UTC', 'GMT', 'Etc/GMT-0', 'America/Argentina/Buenos_Aires', 'EST5EDT');
  return fc.oneof(
    { weight: 3, arbitrary: names },
    { weight: 1, arbitrary: names.map((n) => n.toLowerCase()) },
    { weight: 1, arbitrary: names.map((n) => n.toUpperCase()) },
  );
}

/**
 * Strings that are not acceptable time zones: fixed offsets (`EST` among them), the server's zone, whitespace,
 * look-alike characters, unknown zones, paths and junk.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileTimeZoneArb(), (z) => !safeCompileLoginHours({ timezone: z, windows: [] }).ok));
 * ```
 */
export function hostileTimeZoneArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '', ' ', 'local', 'LOCAL', 'system', 'localtime', '+05:00', '-05:00', '+0530', 'Z', 'UTC+25', 'UTC+1', 'UTC-5', 'GMT+5',
      'GMT-14', 'Etc/GMT+5', 'Etc/GMT-14', 'etc/gmt+12', 'Europe/London ', ' Europe/London', 'Europe//London', 'Europe/London/',
      '/Europe/London', 'Europe\u2215London', 'Europe/L\u043endon', 'Europe/London\u0000', 'Europe/London\n', 'Mars/Olympus_Mons',
      '../../etc/localtime', 'Factory', 'Etc/Unknown', 'null', 'undefined', '__proto__', 'constructor', `Europe/${'x'.repeat(80)}`,
      'EST', 'mst', 'HST', 'SystemV/EST5', 'systemv/pst8',
    ),
    fc.constantFrom(...trickyTimeZones).map((z) => `${z} `),
    fc.integer({ min: 1, max: 14 }).map((h) => `UTC+${h}`),
  );
}

/**
 * Strings that are not `HH:MM` times of day.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileTimeOfDayArb(), (t) => { try { parseTimeOfDay(t); return false; } catch { return true; } }));
 * ```
 */
export function hostileTimeOfDayArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '', '8:00', '08:0', '080:00', '08:00:00', '08.00', '0800', '08h00', '8am', '24:01', '24:30', '25:00', '99:99', '12:60', '-1:00',
      '+8:00', ' 08:00', '08:00 ', '08:00\n', '08\uff1a00', '\uff10\uff18:\uff10\uff10', '\u0660\u0668:\u0660\u0660', '1e1:00', '0x8:00', 'NaN', 'noon',
    ),
    fc.integer({ min: 25, max: 99 }).map((h) => `${h}:00`),
    fc.integer({ min: 60, max: 99 }).map((m) => `12:${m}`),
  );
}

/**
 * Epoch milliseconds between `fromYear` and `toYear` (default 1970–2100), biased toward the
 * 14 hours either side of midnight UTC on any day of March, April, September, October and
 * November (every local 00:00–04:00 of those days, when most zones change their clocks), and
 * toward whole minutes.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(loginHoursScheduleArb(), loginHoursInstantArb(), (s, ms) => typeof isWithinLoginHours(compileLoginHours(s), ms) === 'boolean'));
 * ```
 */
export function loginHoursInstantArb(options: { readonly fromYear?: number; readonly toYear?: number } = {}): fc.Arbitrary<number> {
  const fromYear = options.fromYear ?? 1970;
  const toYear = options.toYear ?? 2100;
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear, 0, 1) - 1;
  const uniform = fc.integer({ min: from, max: to });
  const wholeMinute = fc.integer({ min: Math.ceil(from / 60_000), max: Math.floor(to / 60_000) }).chain((m) => fc.constantFrom(m * 60_000, m * 60_000 - 1, m * 60_000 + 1));
  const nearDst = fc
    .record({
      year: fc.integer({ min: fromYear, max: toYear - 1 }),
      month: fc.constantFrom(2, 3, 8, 9, 10),
      // To 31: Europe and others change on the last Sunday of the month (25th to 31st);
      // Date.UTC carries April 31 into May 1.
      day: fc.integer({ min: 1, max: 31 }),
      minute: fc.integer({ min: -14 * 60, max: 14 * 60 }),
      ms: fc.constantFrom(0, 0, 0, 1, 59_999, 30_000),
    })
    .map(({ year, month, day, minute, ms }) => Math.min(to, Math.max(from, Date.UTC(year, month, day) + minute * 60_000 + ms)));
  return fc.oneof({ weight: 2, arbitrary: uniform }, { weight: 1, arbitrary: wholeMinute }, { weight: 2, arbitrary: nearDst });
}

/**
 * Values that are not instants: NaN, infinities, out-of-range numbers, ISO strings without an
 * offset, junk strings, invalid dates and non-instant objects.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileLoginHoursInstantArb(), (at) => !isWithinLoginHours(alwaysOpen, at as Instant)));
 * ```
 */
export function hostileLoginHoursInstantArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(
      Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 8.64e15 + 1, -8.64e15 - 1, Number.MAX_VALUE,
      '2024-06-03T08:00:00', '2024-06-03 08:00', '2024-06-03', '08:00', 'now', '', ' ', '2024-02-30T08:00:00Z', '2024-06-03T08:00:00+25:00',
      new Date(Number.NaN), null, undefined, {}, [], true, 0n, Symbol('at'), () => 0,
      { valueOf: () => 0 }, { toString: () => '2024-06-03T08:00:00Z' },
    ),
    // A proxy of a Date whose traps throw, as a revoked proxy's do (`has` is left to the target,
    // which fast-check itself asks).
    fc.constant(null).map(() => new Proxy(new Date(0), { getPrototypeOf: throwingTrap, get: throwingTrap, getOwnPropertyDescriptor: throwingTrap })),
    fc.string({ maxLength: 30 }).filter((s) => !/Z$|[+-]\d\d:\d\d$/.test(s)),
  );
}

function throwingTrap(): never {
  throw new Error('hostile instant');
}

/**
 * The login-hours rule computed directly with luxon, slowly and without tables: the
 * wall-clock time of `at` in the zone is inside `[start, end)` of that day's windows, or of the
 * previous day's window crossing midnight (`end <= start`; `start === end` is 24 hours).
 * For property tests of {@link isWithinLoginHours}; expects a valid schedule and epoch ms.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(loginHoursScheduleArb(), loginHoursInstantArb(), (s, ms) =>
 *   isWithinLoginHours(compileLoginHours(s), ms) === referenceIsWithinLoginHours(s, ms)));
 * ```
 */
export function referenceIsWithinLoginHours(schedule: LoginHoursSchedule, at: number): boolean {
  const local = DateTime.fromMillis(at, { zone: schedule.timezone });
  if (!local.isValid) return false;
  const today = local.weekday - 1; // luxon: 1 = Monday
  const yesterday = (today + 6) % 7;
  const minute = local.hour * 60 + local.minute;
  const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return schedule.windows.some((w) => {
    const start = toMinutes(w.start);
    const end = toMinutes(w.end);
    const length = end > start ? end - start : end + 1440 - start;
    const days = w.days.map((d) => WEEKDAYS.indexOf(d));
    const fromToday = days.includes(today) && minute >= start && minute < start + length;
    const fromYesterday = days.includes(yesterday) && start + length > 1440 && minute < start + length - 1440;
    return fromToday || fromYesterday;
  });
}

/**
 * What {@link luxonAgreementReport} found: a runtime's time zone data agrees with luxon's when
 * `mismatchCount` is 0; `offsetsSeen` shows the run really crossed DST changes.
 *
 * @example
 * ```ts
 * const report: LuxonAgreementReport = luxonAgreementReport({ zones: trickyTimeZones, instants: 20_000, seed: 1 });
 * if (report.mismatchCount > 0) throw new Error(`time zone data disagrees with luxon:\n${report.mismatches.join('\n')}`);
 * ```
 */
export interface LuxonAgreementReport {
  /** Instants checked. */
  readonly instants: number;
  /** Up to 10 instants whose wall clock differs from luxon's, described (empty = agreement). */
  readonly mismatches: readonly string[];
  /** Number of mismatches in total. */
  readonly mismatchCount: number;
  /** Distinct UTC offsets luxon reported per zone: more than one shows DST was crossed. */
  readonly offsetsSeen: Readonly<Record<string, number>>;
  /** Instants outside the cached table range 1970–2100 (served by the direct fallback). */
  readonly outsideTable: number;
}


const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

// 14 schedules that each answer one bit of the local wall clock: weekday bits 0–2, hour bits
// 0–4, minute bits 0–5. Through isWithinLoginHours alone they read (weekday, hour, minute).
function bitSchedules(timezone: string): CompiledLoginHours[] {
  const everyDay: Weekday[] = [...WEEKDAYS];
  const schedules: CompiledLoginHours[] = [];
  for (let bit = 0; bit < 3; bit++) {
    const days = WEEKDAYS.filter((_, i) => ((i >> bit) & 1) === 1);
    schedules.push(compileLoginHours({ timezone, windows: [{ days, start: '00:00', end: '00:00' }] }));
  }
  for (let bit = 0; bit < 5; bit++) {
    const windows: LoginHoursWindow[] = [];
    for (let h = 0; h < 24; h++) if (((h >> bit) & 1) === 1) windows.push({ days: everyDay, start: hhmm(h * 60), end: hhmm(h * 60 + 60) });
    schedules.push(compileLoginHours({ timezone, windows }));
  }
  for (let bit = 0; bit < 6; bit++) {
    const windows: LoginHoursWindow[] = [];
    for (let h = 0; h < 24; h++) {
      for (let m = 0; m < 60; m++) if (((m >> bit) & 1) === 1) windows.push({ days: everyDay, start: hhmm(h * 60 + m), end: hhmm(h * 60 + m + 1) });
    }
    schedules.push(compileLoginHours({ timezone, windows }));
  }
  return schedules;
}

/**
 * Checks `instants` seeded random instants, spread over `zones` in turn, and compares the
 * local weekday, hour and minute that {@link isWithinLoginHours} sees with
 * `DateTime.fromMillis(ms, { zone })` from luxon. 70 % of instants fall in 2000–2050, 29 %
 * anywhere in 1970–2100 and 1 % outside that range. Useful as a self-check of a runtime's time
 * zone data (Node, Bun, Deno, an edge runtime) in the host's own CI.
 *
 * @example
 * ```ts
 * const report = luxonAgreementReport({ zones: ['Europe/London', 'Australia/Lord_Howe'], instants: 100_000, seed: 7 });
 * assert.deepEqual(report.mismatches, []);
 * ```
 */
export function luxonAgreementReport(options: { readonly zones: readonly string[]; readonly instants: number; readonly seed: number }): LuxonAgreementReport {
  const random = seededRandom(options.seed);
  const zones = options.zones;
  const bits = zones.map(bitSchedules);
  const offsets = zones.map(() => new Set<number>());
  const mismatches: string[] = [];
  let mismatchCount = 0;
  let outsideTable = 0;
  const y1900 = Date.UTC(1900, 0, 1);
  const y1970 = Date.UTC(1970, 0, 1);
  const y2000 = Date.UTC(2000, 0, 1);
  const y2050 = Date.UTC(2050, 0, 1);
  const y2100 = Date.UTC(2100, 0, 1);
  const y2200 = Date.UTC(2200, 0, 1);
  for (let n = 0; n < options.instants; n++) {
    const z = n % zones.length;
    const zone = zones[z] as string;
    const schedules = bits[z] as CompiledLoginHours[];
    const r = random();
    const [from, to] = r < 0.7 ? [y2000, y2050] : r < 0.99 ? [y1970, y2100] : random() < 0.5 ? [y1900, y1970] : [y2100, y2200];
    const ms = from + Math.floor(random() * (to - from));
    if (ms < y1970 || ms >= y2100) outsideTable++;
    let value = 0;
    for (let b = 0; b < 14; b++) if (isWithinLoginHours(schedules[b] as CompiledLoginHours, ms)) value |= 1 << b;
    const weekday = value & 0b111;
    const hour = (value >> 3) & 0b11111;
    const minute = value >> 8;
    const expected = DateTime.fromMillis(ms, { zone });
    offsets[z]?.add(expected.offset);
    if (weekday !== expected.weekday - 1 || hour !== expected.hour || minute !== expected.minute) {
      mismatchCount++;
      if (mismatches.length < 10) {
        mismatches.push(`${zone} ${new Date(ms).toISOString()}: saw ${WEEKDAYS[weekday] ?? String(weekday)} ${hhmm(hour * 60 + minute)}, luxon ${expected.toFormat('ccc HH:mm ZZ')}`);
      }
    }
  }
  const offsetsSeen: Record<string, number> = {};
  zones.forEach((zone, z) => {
    offsetsSeen[zone] = offsets[z]?.size ?? 0;
  });
  return { instants: options.instants, mismatches, mismatchCount, offsetsSeen, outsideTable };
}
