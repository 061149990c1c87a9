// Time zones: validation of IANA names, and a per-zone table of UTC offsets so that a
// login-hours check is arithmetic instead of an Intl/luxon call (~7 µs each).
import { IANAZone } from 'luxon';
import { StaffgateError } from '../errors.js';

// IANA names are ASCII: Area/Location[/Sub], letters, digits, '_', '-', '+'. Anything else
// (spaces, ':', non-ASCII look-alikes such as U+2215) is refused before Intl sees it.
const NAME_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
const MAX_NAME_LENGTH = 64;
// A sign followed by a non-zero number is a fixed offset ("Etc/GMT+5", "UTC+25"); "GMT+0"
// and "Etc/GMT-0" are names for UTC and stay allowed.
const FIXED_OFFSET = /[+-](?!0+$)\d/;
const SERVER_ZONE_WORDS = new Set(['local', 'system', 'localtime', 'default']);
// tzdata's zones named after a standard time: each is one offset all year (EST is a link to
// America/Panama), so an admin who types EST for New York is an hour off all summer. Each maps
// to its offset and the location zones to suggest instead.
const STANDARD_TIME_NAMES: ReadonlyMap<string, { readonly offset: string; readonly instead: string }> = new Map([
  ['est', { offset: 'UTC−5', instead: '"America/New_York" for US Eastern time, or "America/Panama" if no daylight saving is meant' }],
  ['mst', { offset: 'UTC−7', instead: '"America/Denver" for US Mountain time, or "America/Phoenix" if no daylight saving is meant' }],
  ['hst', { offset: 'UTC−10', instead: '"Pacific/Honolulu"' }],
]);

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

// Valid names already parsed (an Intl.DateTimeFormat costs ~0.1 ms to construct). Bounded,
// because settings may spell one zone in many letter cases.
const parsedNames = new Map<string, string>();
const MAX_PARSED_NAMES = 2048;

let knownNames: ReadonlyMap<string, string> | undefined;

/** The runtime's listed zone names by lower-case spelling (canonical names only, no links). */
function listedNames(): ReadonlyMap<string, string> {
  if (knownNames === undefined) {
    const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    knownNames = new Map(list.map((n) => [n.toLowerCase(), n]));
  }
  return knownNames;
}

/**
 * Validates an IANA time zone name and returns it with its letter case fixed.
 *
 * Matching is case-insensitive (`europe/london` → `Europe/London`). The result always spells
 * the same name as the input, ignoring case: a zone is never renamed to another name of the
 * same zone (Node 20's `Intl` would turn `Asia/Kathmandu` into `Asia/Katmandu` and `Europe/Kyiv`
 * into `Europe/Kiev`). A link the runtime does not list, typed in an odd case, is kept as
 * typed. Refused with `invalid_time_zone`: the empty string, `local`/`system` (the server's
 * own zone), fixed offsets (`+05:00`, `UTC+25`, `GMT+5`, `Etc/GMT+5`, and `EST`, `MST`, `HST`,
 * which are one offset all year), names with spaces or
 * non-ASCII characters, and zones the runtime does not know. The result never depends on the
 * server's own time zone.
 *
 * @example
 * ```ts
 * parseTimeZone('europe/london');  // 'Europe/London'
 * parseTimeZone('Asia/Kathmandu'); // 'Asia/Kathmandu'
 * parseTimeZone('UTC');            // 'UTC'
 * parseTimeZone('+05:00');         // throws StaffgateError { code: 'invalid_time_zone' }
 * ```
 */
export function parseTimeZone(name: string): string {
  const value: unknown = name;
  if (typeof value === 'string') {
    const known = parsedNames.get(value);
    if (known !== undefined) return known;
  }
  if (typeof value !== 'string') {
    throw new StaffgateError('invalid_time_zone', 'A time zone must be a string naming an IANA zone, such as "Europe/London".');
  }
  if (value.length === 0) {
    throw new StaffgateError('invalid_time_zone', 'The time zone is empty: name an IANA zone such as "Europe/London".');
  }
  if (value.length > MAX_NAME_LENGTH || !NAME_SHAPE.test(value)) {
    throw new StaffgateError(
      'invalid_time_zone',
      `${quote(value)} is not an IANA time zone name (Area/Location such as "Europe/London"; fixed offsets are not accepted).`,
    );
  }
  if (SERVER_ZONE_WORDS.has(value.toLowerCase())) {
    throw new StaffgateError(
      'invalid_time_zone',
      `${quote(value)} means the server's own time zone, which must never decide a login: name the zone, such as "Europe/London".`,
    );
  }
  if (FIXED_OFFSET.test(value)) {
    throw new StaffgateError(
      'invalid_time_zone',
      `${quote(value)} is a fixed UTC offset: name a location zone (such as "Asia/Kolkata") so daylight saving is followed, or "UTC".`,
    );
  }
  const standard = STANDARD_TIME_NAMES.get(value.toLowerCase());
  if (standard !== undefined) {
    throw new StaffgateError(
      'invalid_time_zone',
      `${quote(value)} is ${standard.offset} all year, a fixed offset: name a location zone, such as ${standard.instead}.`,
    );
  }
  // Legacy System V names (dropped from the IANA database in 2020, still known to ICU):
  // `SystemV/EST5` is UTC−5 all year, the mistake refused for "EST" above.
  if (value.toLowerCase().startsWith('systemv/')) {
    throw new StaffgateError(
      'invalid_time_zone',
      `${quote(value)} is a legacy System V name, and most of them are one offset all year: name a location zone, such as "America/New_York".`,
    );
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch (cause) {
    throw new StaffgateError('invalid_time_zone', `${quote(value)} is not a time zone known to this runtime's IANA database.`, { cause });
  }
  if (!NAME_SHAPE.test(resolved) || FIXED_OFFSET.test(resolved)) {
    throw new StaffgateError('invalid_time_zone', `${quote(value)} resolves to ${quote(resolved)}, which is not a location zone.`);
  }
  const lower = value.toLowerCase();
  // Newer runtimes report the input with its case fixed; older ones report the CLDR canonical
  // name, which is only used when it is the same name.
  const result = resolved.toLowerCase() === lower ? resolved : (listedNames().get(lower) ?? value);
  if (parsedNames.size < MAX_PARSED_NAMES) parsedNames.set(value, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Offset tables.
//
// Time is cut into chunks of 49 UTC days. A chunk's table lists the instants inside it where
// the zone's offset changes (tzdata transitions fall on whole seconds), found by sampling the
// offset once per UTC day and bisecting to the second wherever two samples differ. A chunk is
// built the first time an instant inside it is looked up and then kept, for instants between
// TABLE_FROM_MS and TABLE_TO_MS; outside that range each lookup asks Intl directly (one
// format call, not cached, so instants chosen by a caller cannot grow memory). luxon answers
// when Intl cannot format an offset (a runtime without 'longOffset').
//
// Daily sampling misses only an offset change that is undone less than a day later. In
// tzdata 2025c the shortest time between two changes of one zone from 1970 to 2100 is 6.96
// days (America/Noronha in 2000, Asia/Gaza in 2040); the property tests compare a million
// instants with luxon.

const DAY_MS = 86_400_000;
const CHUNK_DAYS = 49;
const CHUNK_MS = CHUNK_DAYS * DAY_MS;
/** Instants from this one (1970-01-01T00:00Z) are served from the cached tables. */
export const TABLE_FROM_MS = 0;
/** Instants before this one (2100-01-01T00:00Z) are served from the cached tables. */
export const TABLE_TO_MS = 4_102_444_800_000;
const FIRST_CHUNK = Math.floor(TABLE_FROM_MS / CHUNK_MS);
const LAST_CHUNK = Math.floor((TABLE_TO_MS - 1) / CHUNK_MS);
const MAX_EPOCH_MS = 8.64e15;

interface Chunk {
  /** Instants (epoch ms) from which `offsets[i]` holds; `starts[0]` is the chunk start. */
  readonly starts: readonly number[];
  /** UTC offset in ms (local = utc + offset). */
  readonly offsets: readonly number[];
  /** First instant after the chunk. */
  readonly end: number;
}

/** One zone's offsets: looked up by instant, built lazily per chunk, shared by every schedule. */
export class ZoneOffsets {
  readonly name: string;
  readonly #luxon: IANAZone;
  readonly #format: Intl.DateTimeFormat | undefined;
  readonly #chunks: (Chunk | undefined)[] = new Array<Chunk | undefined>(LAST_CHUNK - FIRST_CHUNK + 1);

  constructor(name: string) {
    this.name = name;
    this.#luxon = IANAZone.create(name);
    let format: Intl.DateTimeFormat | undefined;
    try {
      // The narrow weekday is the cheapest field to format alongside the offset (~3x faster than a date).
      format = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset', weekday: 'narrow' });
    } catch {
      format = undefined; // a runtime without 'longOffset' samples through luxon instead
    }
    this.#format = format;
  }

  /** Offset in ms at `ms` (a finite epoch ms within ±8.64e15), or NaN if none can be found. */
  offsetAt(ms: number): number {
    const index = Math.floor(ms / CHUNK_MS);
    if (index < FIRST_CHUNK || index > LAST_CHUNK) return this.#sample(ms);
    const chunk = this.#chunks[index - FIRST_CHUNK] ?? this.#buildCached(index);
    const starts = chunk.starts;
    let i = starts.length - 1;
    while (i > 0 && (starts[i] as number) > ms) i--;
    return chunk.offsets[i] as number;
  }

  /**
   * The offset at `ms` and the first later instant at which it may change (the next
   * transition, or the end of the table chunk, where the caller simply looks again).
   */
  segmentAt(ms: number): { offset: number; end: number } {
    const index = Math.floor(ms / CHUNK_MS);
    const cached = index >= FIRST_CHUNK && index <= LAST_CHUNK;
    const chunk = cached ? (this.#chunks[index - FIRST_CHUNK] ?? this.#buildCached(index)) : this.#build(index);
    const starts = chunk.starts;
    let i = starts.length - 1;
    while (i > 0 && (starts[i] as number) > ms) i--;
    const next = starts[i + 1];
    return { offset: chunk.offsets[i] as number, end: next ?? chunk.end };
  }

  #buildCached(index: number): Chunk {
    const chunk = this.#build(index);
    this.#chunks[index - FIRST_CHUNK] = chunk;
    return chunk;
  }

  #build(index: number): Chunk {
    const start = Math.max(index * CHUNK_MS, -MAX_EPOCH_MS);
    const end = Math.min((index + 1) * CHUNK_MS, MAX_EPOCH_MS + 1000);
    let lo = start;
    let loOffset = this.#sample(lo);
    const starts = [start];
    const offsets = [loOffset];
    for (let hi = Math.min(lo + DAY_MS, end - 1000); lo < end - 1000; hi = Math.min(lo + DAY_MS, end - 1000)) {
      const hiOffset = this.#sample(hi);
      // Several changes between two samples are found one after the other.
      while (hiOffset !== loOffset) {
        let a = lo;
        let b = hi;
        while (b - a > 1000) {
          const mid = a + Math.floor((b - a) / 2000) * 1000;
          if (this.#sample(mid) === loOffset) a = mid;
          else b = mid;
        }
        loOffset = this.#sample(b);
        lo = b;
        starts.push(b);
        offsets.push(loOffset);
      }
      lo = hi;
    }
    return { starts, offsets, end };
  }

  #sample(ms: number): number {
    const offset = this.#format === undefined ? Number.NaN : parseLongOffset(this.#format.format(ms));
    const value = Number.isNaN(offset) ? this.#luxonOffset(ms) : offset;
    if (Number.isNaN(value)) throw new RangeError(`no UTC offset for ${this.name} at ${ms}`);
    return value;
  }

  #luxonOffset(ms: number): number {
    return Math.round(this.#luxon.offset(ms) * 60_000);
  }
}

const LONG_OFFSET = /^([+\-\u2212])(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "1/1/1970, GMT+05:30" → 19_800_000; "…, GMT" → 0; anything else → NaN. */
function parseLongOffset(text: string): number {
  const at = text.lastIndexOf('GMT');
  if (at < 0) return Number.NaN;
  const rest = text.slice(at + 3);
  if (rest === '') return 0;
  const m = LONG_OFFSET.exec(rest);
  if (!m) return Number.NaN;
  const ms = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '+' ? ms : -ms;
}

const zones = new Map<string, ZoneOffsets>();

/**
 * The shared offset table of a zone already validated by {@link parseTimeZone}. Tables are
 * pure memoisation of tzdata (same answer for the same instant), so sharing them is safe.
 */
export function zoneOffsets(canonicalName: string): ZoneOffsets {
  let zone = zones.get(canonicalName);
  if (zone === undefined) {
    zone = new ZoneOffsets(canonicalName);
    zones.set(canonicalName, zone);
  }
  return zone;
}
