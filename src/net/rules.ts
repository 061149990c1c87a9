import { StaffgateError, type StaffgateIssue } from '../errors.js';
import type { IpParseReason } from './diagnose.js';
import { diagnoseAddress } from './diagnose.js';
import { createEntryScratch, readEntry, type EntryScratch, type IpEntryFailure } from './entry.js';
import { formatGroups, formatIpv4, formatIpv6, scanAddress } from './scan.js';

/**
 * What {@link parseIpEntry} learned about an allowlist entry. It carries what a linter needs
 * to judge how wide an entry is.
 *
 * @example
 * ```ts
 * const info = parseIpEntry('10.0.0.0/7');
 * if (info.ok && info.prefixLength < 8) warn(`${info.normalized} covers ${info.size} addresses`);
 * ```
 */
export interface IpEntryInfo {
  readonly ok: true;
  /** 4 also for an entry written in IPv4-mapped IPv6 (`::ffff:10.0.0.0/104` is `10.0.0.0/8`). */
  readonly family: 4 | 6;
  readonly kind: 'address' | 'cidr' | 'range';
  /** Canonical text: `203.0.113.7`, `10.0.0.0/8`, `2001:db8::/48`, `192.0.2.10-192.0.2.20`. */
  readonly normalized: string;
  /** The block's prefix (32 or 128 for an address); for a range, the prefix of the smallest CIDR that covers it. */
  readonly prefixLength: number;
  /** Number of addresses covered. */
  readonly size: bigint;
  /** First address covered, canonical. */
  readonly first: string;
  /** Last address covered, canonical. */
  readonly last: string;
  /** First address covered as a number: 32-bit for IPv4, 128-bit for IPv6. */
  readonly firstValue: bigint;
  /** Last address covered as a number. */
  readonly lastValue: bigint;
}

/**
 * Result of {@link parseIpEntry}: {@link IpEntryInfo} or {@link IpEntryFailure}.
 *
 * @example
 * ```ts
 * const parsed: ParsedIpEntry = parseIpEntry('2001:db8::/48');
 * parsed.ok ? parsed.normalized : parsed.reason;
 * ```
 */
export type ParsedIpEntry = IpEntryInfo | IpEntryFailure;

/**
 * Reads one allowlist entry without throwing: a single address, a CIDR block or a
 * start-end range. A CIDR with host bits set (`10.0.0.1/8`) is refused, with the network as
 * `suggestion`: an admin who typed it meant either one address or the whole block, and
 * guessing which would open or close access they did not choose.
 *
 * @example
 * ```ts
 * parseIpEntry('192.0.2.10-192.0.2.20');
 * // { ok: true, family: 4, kind: 'range', normalized: '192.0.2.10-192.0.2.20',
 * //   prefixLength: 27, size: 11n, first: '192.0.2.10', last: '192.0.2.20',
 * //   firstValue: 3221225994n, lastValue: 3221226004n }
 * parseIpEntry('10.0.0.1/8');
 * // { ok: false, reason: 'host_bits_set', suggestion: '10.0.0.0/8', message: '…' }
 * ```
 */
export function parseIpEntry(entry: string): ParsedIpEntry {
  const scratch = createEntryScratch();
  const failure = readEntry(entry, scratch);
  if (failure) return failure;
  const { family, kind } = scratch;
  const bits = family === 4 ? 32 : 128;
  const first = toBigInt(scratch.first, family);
  const last = toBigInt(scratch.last, family);
  const firstText = formatGroups(family, scratch.first);
  const lastText = formatGroups(family, scratch.last);
  const prefixLength = kind === 'range' ? bits - bitLength(first ^ last) : scratch.prefix;
  return {
    ok: true,
    family,
    kind,
    normalized: normalizedText(scratch, firstText, lastText),
    prefixLength,
    size: last - first + 1n,
    first: firstText,
    last: lastText,
    firstValue: first,
    lastValue: last,
  };
}

function normalizedText(scratch: EntryScratch, firstText: string, lastText: string): string {
  if (scratch.kind === 'address') return firstText;
  if (scratch.kind === 'cidr') return `${firstText}/${scratch.prefix}`;
  return `${firstText}-${lastText}`;
}

function toBigInt(groups: Uint16Array, family: 4 | 6): bigint {
  let value = 0n;
  for (let k = family === 4 ? 6 : 0; k < 8; k++) value = (value << 16n) | BigInt(groups[k] ?? 0);
  return value;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

/**
 * Why {@link IpRules.explain} found no rule: the text is not a strict address (`ip_invalid`,
 * with the {@link IpParseReason} as `detail`), or no entry covers it (`no_match`).
 *
 * @example
 * ```ts
 * compileIpRules(['10.0.0.0/8']).explain('010.0.0.1'); // { matched: false, reason: 'ip_invalid', detail: 'ipv4_leading_zero' }
 * ```
 */
export type IpRuleMiss =
  | { readonly matched: false; readonly reason: 'ip_invalid'; readonly detail: IpParseReason }
  | { readonly matched: false; readonly reason: 'no_match'; readonly address: string; readonly family: 4 | 6 };

/**
 * Result of {@link IpRules.explain}: the first entry (in the order given) that covers the
 * address, or why none does.
 *
 * @example
 * ```ts
 * compileIpRules(['10.0.0.0/8']).explain('::ffff:10.1.2.3');
 * // { matched: true, address: '10.1.2.3', family: 4, index: 0, entry: '10.0.0.0/8' }
 * ```
 */
export type IpRuleMatch =
  | { readonly matched: true; readonly address: string; readonly family: 4 | 6; readonly index: number; readonly entry: string }
  | IpRuleMiss;

/**
 * A compiled, immutable set of IP rules. Build it once with {@link compileIpRules} when the
 * settings load, then ask it per request.
 *
 * @example
 * ```ts
 * const rules: IpRules = compileIpRules(settings.ipLockdown.allow);
 * const allowed = rules.contains(clientIp);
 * ```
 */
export interface IpRules {
  /**
   * True when the address is covered by some entry. Takes the raw string from the request;
   * anything that is not a strict address (see {@link parseIp}) is false. Never throws.
   * Cost grows with the logarithm of the number of entries.
   */
  readonly contains: (ip: string) => boolean;
  /**
   * Like `contains`, but says which entry matched (the first in the order given) or why
   * nothing did. Meant for decision reasons and audit logs: finding the entry is a linear
   * scan, so call `contains` on hot paths. Never throws.
   */
  readonly explain: (ip: string) => IpRuleMatch;
  /** The entries as given, in canonical text (same order, duplicates kept). */
  readonly entries: readonly string[];
}

/**
 * Compiles allowlist entries (addresses, CIDRs, start-end ranges; IPv4 and IPv6 mixed) into
 * an immutable matcher. Every entry is checked; the error names the first bad one and lists
 * all of them in `issues`, each with the entry's index as `path`, so a settings parser can
 * prefix its own path (`err.withPathPrefix(['ipLockdown', 'allow'])`).
 *
 * IPv4-mapped addresses (`::ffff:10.0.0.1`) match IPv4 rules and never IPv6 ones, so `::/0`
 * covers every IPv6 address but no IPv4 one. NAT64, 6to4, Teredo and IPv4-compatible
 * addresses are IPv6 and match only IPv6 rules.
 *
 * @throws {StaffgateError} `invalid_ip_entry` with `path: [index]` for a bad entry;
 *   `invalid_settings` when `entries` is not an array.
 *
 * @example
 * ```ts
 * const office = compileIpRules(['203.0.113.0/24', '2001:db8:1::/48', '192.0.2.10-192.0.2.20']);
 * office.contains('203.0.113.7');        // true
 * office.contains('::ffff:203.0.113.7'); // true: the same IPv4 address
 * office.contains('0203.0.113.7');       // false: not a strict address
 * office.explain('192.0.2.15');          // { matched: true, index: 2, entry: '192.0.2.10-192.0.2.20', … }
 * ```
 */
export function compileIpRules(entries: readonly string[]): IpRules {
  if (!Array.isArray(entries)) {
    throw new StaffgateError('invalid_settings', 'IP entries must be an array of strings');
  }
  const list: readonly unknown[] = entries;
  const count = list.length;
  const scratch = createEntryScratch();
  const normalized: string[] = new Array<string>(count);
  // Every entry as it was given, in 128-bit space (four 32-bit words for the first address,
  // four for the last), for `explain`.
  const spans = new Uint32Array(count * 8);
  const families = new Uint8Array(count);
  const v4: number[] = [];
  const v6: number[] = [];
  const issues: StaffgateIssue[] = [];
  for (let index = 0; index < count; index++) {
    const entry = list[index];
    const failure = readEntry(entry, scratch);
    if (failure) {
      issues.push({ code: 'invalid_ip_entry', path: [index], message: failure.message });
      continue;
    }
    const { family, first, last } = scratch;
    families[index] = family;
    const base = index * 8;
    for (let w = 0; w < 4; w++) {
      spans[base + w] = (first[2 * w] ?? 0) * 65536 + (first[2 * w + 1] ?? 0);
      spans[base + 4 + w] = (last[2 * w] ?? 0) * 65536 + (last[2 * w + 1] ?? 0);
    }
    if (family === 4) {
      v4.push(spans[base + 3] ?? 0, spans[base + 7] ?? 0);
    } else {
      for (let w = 0; w < 8; w++) v6.push(spans[base + w] ?? 0);
    }
    const firstText = family === 4 ? formatIpv4(spans[base + 3] ?? 0) : formatIpv6(first);
    normalized[index] = normalizedText(scratch, firstText, scratch.kind === 'range' ? formatGroups(family, last) : firstText);
  }
  const firstIssue = issues[0];
  if (firstIssue) {
    throw new StaffgateError('invalid_ip_entry', firstIssue.message, { path: firstIssue.path, issues });
  }
  return buildRules(Object.freeze(normalized), mergeV4(v4), mergeV6(v6), spans, families);
}

interface MergedV4 {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

interface MergedV6 {
  /** Four words per interval. */
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly count: number;
}

/** Sorts [start, end] pairs and merges those that overlap or touch into disjoint intervals. */
function mergeV4(pairs: readonly number[]): MergedV4 {
  const n = pairs.length / 2;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (pairs[2 * a] ?? 0) - (pairs[2 * b] ?? 0));
  const starts: number[] = [];
  const ends: number[] = [];
  let curStart = -1;
  let curEnd = -1;
  for (const i of order) {
    const start = pairs[2 * i] ?? 0;
    const end = pairs[2 * i + 1] ?? 0;
    if (curStart >= 0 && start <= curEnd + 1) {
      if (end > curEnd) curEnd = end;
      continue;
    }
    if (curStart >= 0) {
      starts.push(curStart);
      ends.push(curEnd);
    }
    curStart = start;
    curEnd = end;
  }
  if (curStart >= 0) {
    starts.push(curStart);
    ends.push(curEnd);
  }
  return { starts: Float64Array.from(starts), ends: Float64Array.from(ends) };
}

function compareWords(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): number {
  for (let w = 0; w < 4; w++) {
    const d = (a[ai + w] ?? 0) - (b[bi + w] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the interval starting at b[bi] begins at or before one past a[ai] (they overlap or touch). */
function startsByNext(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): boolean {
  if (compareWords(b, bi, a, ai) <= 0) return true;
  // b = a + 1 exactly? Add one to a with carry.
  let carry = 1;
  for (let w = 3; w >= 0; w--) {
    const sum = (a[ai + w] ?? 0) + carry;
    const word = sum === 0x100000000 ? 0 : sum;
    carry = sum === 0x100000000 ? 1 : 0;
    if (word !== (b[bi + w] ?? 0)) return false;
  }
  return carry === 0;
}

/** Same as {@link mergeV4} for 128-bit intervals held as eight words each. */
function mergeV6(words: readonly number[]): MergedV6 {
  const n = words.length / 8;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => compareWords(words, 8 * a, words, 8 * b));
  const starts: number[] = [];
  const ends: number[] = [];
  const cur = [0, 0, 0, 0, 0, 0, 0, 0];
  let open = false;
  for (const i of order) {
    const base = 8 * i;
    if (open && startsByNext(cur, 4, words, base)) {
      if (compareWords(words, base + 4, cur, 4) > 0) for (let w = 0; w < 4; w++) cur[4 + w] = words[base + 4 + w] ?? 0;
      continue;
    }
    if (open) {
      starts.push(cur[0] ?? 0, cur[1] ?? 0, cur[2] ?? 0, cur[3] ?? 0);
      ends.push(cur[4] ?? 0, cur[5] ?? 0, cur[6] ?? 0, cur[7] ?? 0);
    }
    for (let w = 0; w < 8; w++) cur[w] = words[base + w] ?? 0;
    open = true;
  }
  if (open) {
    starts.push(cur[0] ?? 0, cur[1] ?? 0, cur[2] ?? 0, cur[3] ?? 0);
    ends.push(cur[4] ?? 0, cur[5] ?? 0, cur[6] ?? 0, cur[7] ?? 0);
  }
  return { starts: Float64Array.from(starts), ends: Float64Array.from(ends), count: starts.length / 4 };
}

function buildRules(entries: readonly string[], v4: MergedV4, v6: MergedV6, spans: Uint32Array, families: Uint8Array): IpRules {
  const groups = new Uint16Array(8);
  const v4Starts = v4.starts;
  const v4Ends = v4.ends;
  const v4Count = v4Starts.length;
  const v6Starts = v6.starts;
  const v6Ends = v6.ends;
  const v6Count = v6.count;

  // A table on the top bits of the first 32-bit word narrows the search to one bucket of about
  // one interval, instead of a binary search whose every step is a branch the CPU mispredicts.
  const v4Index = buildBucketIndex(v4Count, (i) => v4Starts[i] ?? 0);
  const v6Index = buildBucketIndex(v6Count, (i) => v6Starts[i * 4] ?? 0);

  function containsV4(x: number): boolean {
    // the last interval whose start is <= x; every interval before the bucket starts below x
    let lo = 0;
    let hi = v4Count - 1;
    if (v4Index) {
      const bucket = bucketOf(v4Index, x);
      if (bucket < 0) return false; // below every start
      lo = v4Index.table[bucket] ?? 0;
      hi = (v4Index.table[bucket + 1] ?? 0) - 1;
    }
    let found = lo - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((v4Starts[mid] ?? 0) <= x) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && x <= (v4Ends[found] ?? -1);
  }

  function containsV6(w0: number, w1: number, w2: number, w3: number): boolean {
    let lo = 0;
    let hi = v6Count - 1;
    if (v6Index) {
      const bucket = bucketOf(v6Index, w0);
      if (bucket < 0) return false;
      lo = v6Index.table[bucket] ?? 0;
      hi = (v6Index.table[bucket + 1] ?? 0) - 1;
    }
    let found = lo - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      // the first word decides almost every comparison
      const s0 = v6Starts[mid * 4] ?? 0;
      if (s0 < w0 || (s0 === w0 && compareAt(v6Starts, mid * 4, w0, w1, w2, w3) <= 0)) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return false;
    const e0 = v6Ends[found * 4] ?? 0;
    return e0 > w0 || (e0 === w0 && compareAt(v6Ends, found * 4, w0, w1, w2, w3) >= 0);
  }

  const contains = (ip: string): boolean => {
    if (typeof ip !== 'string') return false;
    const family = scanAddress(ip, 0, ip.length, groups);
    if (family === 4) {
      return v4Count > 0 && containsV4((groups[6] ?? 0) * 65536 + (groups[7] ?? 0));
    }
    if (family === 6) {
      return (
        v6Count > 0 &&
        containsV6(
          (groups[0] ?? 0) * 65536 + (groups[1] ?? 0),
          (groups[2] ?? 0) * 65536 + (groups[3] ?? 0),
          (groups[4] ?? 0) * 65536 + (groups[5] ?? 0),
          (groups[6] ?? 0) * 65536 + (groups[7] ?? 0),
        )
      );
    }
    return false;
  };

  const explain = (ip: string): IpRuleMatch => {
    const local = new Uint16Array(8);
    const family = typeof ip === 'string' ? scanAddress(ip, 0, ip.length, local) : 0;
    if (family === 0) return { matched: false, reason: 'ip_invalid', detail: diagnoseAddress(ip) };
    const address = formatGroups(family, local);
    const x = [0, 1, 2, 3].map((w) => (local[2 * w] ?? 0) * 65536 + (local[2 * w + 1] ?? 0));
    for (let index = 0; index < entries.length; index++) {
      if (families[index] !== family) continue;
      const base = index * 8;
      if (compareWords(spans, base, x, 0) <= 0 && compareWords(spans, base + 4, x, 0) >= 0) {
        return { matched: true, address, family, index, entry: entries[index] ?? '' };
      }
    }
    return { matched: false, reason: 'no_match', address, family };
  };

  return Object.freeze({ contains, explain, entries });
}

/** Intervals below which a plain binary search is as fast as the bucket table. */
const BUCKET_INDEX_THRESHOLD = 32;

interface BucketIndex {
  /** `table[b]` is the first interval whose bucket is >= b; `table[buckets]` is the count. */
  readonly table: Int32Array;
  /** Leading bits every start shares (IPv6 allowlists mostly sit in 2000::/3), and their value. */
  readonly skip: number;
  readonly prefix: number;
  /** Bits of the bucket number, taken after the shared ones. */
  readonly bits: number;
}

/**
 * The bucket of a first word, or -1 when it is below every start. A word above every start
 * gets the last bucket, whose search then finds the last interval.
 */
function bucketOf(index: BucketIndex, word: number): number {
  const { skip, prefix, bits } = index;
  if (skip > 0) {
    const top = word >>> (32 - skip);
    if (top !== prefix) return top < prefix ? -1 : 2 ** bits - 1;
  }
  return ((word << skip) >>> 0) >>> (32 - bits);
}

/**
 * For sorted intervals, a table on the first word of each start: the intervals starting in
 * bucket b are `table[b]` .. `table[b + 1] - 1`. The bits shared by every start are skipped;
 * the next `bits` bits (about one bucket per interval, at most 2^16) number the bucket, so the
 * table costs about as much memory as the intervals themselves.
 */
function buildBucketIndex(count: number, firstWordOf: (i: number) => number): BucketIndex | undefined {
  if (count < BUCKET_INDEX_THRESHOLD) return undefined;
  const bits = Math.min(16, Math.ceil(Math.log2(count)));
  const lowest = firstWordOf(0);
  const skip = Math.min(32 - bits, Math.clz32((lowest ^ firstWordOf(count - 1)) >>> 0));
  const index: BucketIndex = { table: new Int32Array(2 ** bits + 1), skip, prefix: skip > 0 ? lowest >>> (32 - skip) : 0, bits };
  let i = 0;
  for (let b = 0; b <= 2 ** bits; b++) {
    while (i < count && bucketOf(index, firstWordOf(i)) < b) i++;
    index.table[b] = i;
  }
  return index;
}

/** Compares the interval bound at arr[base..base+3] with the address words. */
function compareAt(arr: Float64Array, base: number, w0: number, w1: number, w2: number, w3: number): number {
  let d = (arr[base] ?? 0) - w0;
  if (d !== 0) return d;
  d = (arr[base + 1] ?? 0) - w1;
  if (d !== 0) return d;
  d = (arr[base + 2] ?? 0) - w2;
  if (d !== 0) return d;
  return (arr[base + 3] ?? 0) - w3;
}
