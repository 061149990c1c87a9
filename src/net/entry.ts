// Allowlist entries: a single address, a CIDR block or a start-end range, each read into the
// first and last address it covers (as eight 16-bit groups, IPv4 in its mapped position).

import { describeIpReason, diagnoseAddress, type IpParseReason } from './diagnose.js';
import { formatGroups, formatIpv4, formatIpv6, MAX_ADDRESS_LENGTH, scanAddress } from './scan.js';

/**
 * Why {@link parseIpEntry} or {@link compileIpRules} refused an allowlist entry.
 *
 * | code | example |
 * | --- | --- |
 * | `not_a_string` | `42`, `null` |
 * | `empty` | `''` |
 * | `too_long` | more than 91 characters |
 * | `whitespace` | `'10.0.0.0/8 '`, `'10.0.0.1 - 10.0.0.9'` |
 * | `non_ascii` | `'10.0.0.1–10.0.0.9'` (an en dash) |
 * | `wildcard` | `'10.0.*.*'`, `'*'` |
 * | `invalid_address` | `'010.0.0.1'`, `'fe80::1%eth0'` (see `addressReason`) |
 * | `invalid_prefix` | `'10.0.0.0/'`, `'10.0.0.0/08'`, `'10.0.0.0/a'` |
 * | `prefix_out_of_range` | `'10.0.0.0/33'`, `'::/129'` |
 * | `netmask_notation` | `'10.0.0.0/255.0.0.0'` (suggests `10.0.0.0/8`) |
 * | `host_bits_set` | `'10.0.0.1/8'` (suggests `10.0.0.0/8`) |
 * | `range_malformed` | `'1.1.1.1-1.1.1.2-1.1.1.3'`, `'10.0.0.0/8-10.1.0.0'` |
 * | `range_mixed_families` | `'10.0.0.1-2001:db8::1'` |
 * | `range_reversed` | `'10.0.0.9-10.0.0.1'` |
 *
 * @example
 * ```ts
 * const r = parseIpEntry('10.0.0.1/8');
 * const reason: IpEntryReason | undefined = r.ok ? undefined : r.reason; // 'host_bits_set'
 * ```
 */
export type IpEntryReason =
  | 'not_a_string'
  | 'empty'
  | 'too_long'
  | 'whitespace'
  | 'non_ascii'
  | 'wildcard'
  | 'invalid_address'
  | 'invalid_prefix'
  | 'prefix_out_of_range'
  | 'netmask_notation'
  | 'host_bits_set'
  | 'range_malformed'
  | 'range_mixed_families'
  | 'range_reversed';

/**
 * An entry that could not be read, with a sentence for the admin and, where one exists, the
 * entry they probably meant.
 *
 * @example
 * ```ts
 * const result = parseIpEntry('192.168.1.0/255.255.255.0');
 * if (!result.ok && result.suggestion) form.offerFix(result.suggestion); // '192.168.1.0/24'
 * ```
 */
export interface IpEntryFailure {
  readonly ok: false;
  readonly reason: IpEntryReason;
  readonly message: string;
  /** For `invalid_address`: why the address part was refused. */
  readonly addressReason?: IpParseReason;
  /** For `host_bits_set`, `netmask_notation` and a shortened range end: the entry that was probably meant. */
  readonly suggestion?: string;
}

/** Longest entry text: two maximal addresses around a dash. */
export const MAX_ENTRY_LENGTH = MAX_ADDRESS_LENGTH * 2 + 1;

/** Scratch the entry reader writes into, reused across entries so compiling allocates little. */
export interface EntryScratch {
  family: 4 | 6;
  kind: 'address' | 'cidr' | 'range';
  /** Prefix length within the family (32/128 for an address, -1 for a range). */
  prefix: number;
  readonly first: Uint16Array;
  readonly last: Uint16Array;
}

export function createEntryScratch(): EntryScratch {
  return { family: 4, kind: 'address', prefix: 32, first: new Uint16Array(8), last: new Uint16Array(8) };
}

const WHITESPACE = /[\t\n\v\f\r ]/;
const NON_ASCII = /[\u0080-\uffff]/;
const PREFIX = /^(?:0|[1-9][0-9]{0,2})$/;

function fail(reason: IpEntryReason, message: string, extra: { addressReason?: IpParseReason; suggestion?: string } = {}): IpEntryFailure {
  return { ok: false, reason, message, ...extra };
}

function addressFailure(entry: string, part: string, text: string): IpEntryFailure {
  const addressReason = diagnoseAddress(text);
  const subject = part === '' ? `${quote(entry)} is not an IP address` : `${quote(entry)}: the ${part} ${quote(text)} is not an IP address`;
  return fail('invalid_address', `${subject}: ${describeIpReason(addressReason)}`, { addressReason });
}

/** Quotes untrusted text for a message, shortened so a huge entry cannot flood a log. */
export function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(shown);
}

/**
 * Reads one entry into `out`. Returns undefined on success, or why it failed.
 * `out` is only meaningful after a success.
 */
export function readEntry(entry: unknown, out: EntryScratch): IpEntryFailure | undefined {
  if (typeof entry !== 'string') return fail('not_a_string', `an IP entry must be a string, not ${describe(entry)}`);
  if (entry.length === 0) return fail('empty', 'an IP entry is empty');
  if (entry.length > MAX_ENTRY_LENGTH) return fail('too_long', `an IP entry has at most ${MAX_ENTRY_LENGTH} characters`);
  if (WHITESPACE.test(entry)) return fail('whitespace', `${quote(entry)} contains whitespace; write ranges as 10.0.0.1-10.0.0.9 and CIDRs as 10.0.0.0/8`);
  if (NON_ASCII.test(entry)) {
    const dash = /[\u2010-\u2015\u2212]/.test(entry) ? '; separate a range with an ASCII hyphen-minus (-)' : '';
    return fail('non_ascii', `${quote(entry)} contains non-ASCII characters${dash}`);
  }
  if (entry.includes('*')) return fail('wildcard', `${quote(entry)}: wildcards are not supported; write a CIDR such as 10.0.0.0/16`);
  const slash = entry.indexOf('/');
  const dash = entry.indexOf('-');
  if (dash >= 0) {
    if (slash >= 0 || entry.indexOf('-', dash + 1) >= 0) {
      return fail('range_malformed', `${quote(entry)}: a range is two addresses joined by one "-", such as 10.0.0.1-10.0.0.9`);
    }
    return readRange(entry, dash, out);
  }
  if (slash >= 0) return readCidr(entry, slash, out);
  const family = scanAddress(entry, 0, entry.length, out.first);
  if (family === 0) return addressFailure(entry, '', entry);
  out.family = family;
  out.kind = 'address';
  out.prefix = family === 4 ? 32 : 128;
  out.last.set(out.first);
  return undefined;
}

function readRange(entry: string, dash: number, out: EntryScratch): IpEntryFailure | undefined {
  const startFamily = scanAddress(entry, 0, dash, out.first);
  if (startFamily === 0) return addressFailure(entry, 'range start', entry.slice(0, dash));
  const endFamily = scanAddress(entry, dash + 1, entry.length, out.last);
  if (endFamily === 0) {
    const end = entry.slice(dash + 1);
    const failure = addressFailure(entry, 'range end', end);
    const lastDot = entry.lastIndexOf('.', dash);
    if (startFamily === 4 && lastDot > 0 && !entry.slice(0, dash).includes(':') && /^(?:0|[1-9][0-9]{0,2})$/.test(end) && Number(end) <= 255) {
      const suggestion = `${entry.slice(0, dash)}-${entry.slice(0, lastDot + 1)}${end}`;
      return { ...failure, message: `${failure.message}; write the full end address: ${suggestion}`, suggestion };
    }
    return failure;
  }
  if (startFamily !== endFamily) {
    return fail('range_mixed_families', `${quote(entry)}: a range cannot run from an IPv${startFamily} to an IPv${endFamily} address`);
  }
  if (compareGroups(out.first, out.last) > 0) {
    return fail('range_reversed', `${quote(entry)}: the range starts after it ends; write ${formatGroups(startFamily, out.last)}-${formatGroups(startFamily, out.first)}`);
  }
  out.family = startFamily;
  out.kind = 'range';
  out.prefix = -1;
  return undefined;
}

function readCidr(entry: string, slash: number, out: EntryScratch): IpEntryFailure | undefined {
  const addressText = entry.slice(0, slash);
  const prefixText = entry.slice(slash + 1);
  const scanned = scanAddress(entry, 0, slash, out.first);
  if (scanned === 0) return addressFailure(entry, 'network', addressText);
  // The prefix counts bits of the address as written: /104 of ::ffff:10.0.0.0 is /8 of 10.0.0.0.
  const writtenAsIpv6 = addressText.includes(':');
  const writtenBits = writtenAsIpv6 ? 128 : 32;
  if (prefixText.includes('.') || prefixText.includes(':')) {
    const bits = maskToPrefix(prefixText);
    const suggestion = bits === undefined ? undefined : `${addressText}/${bits}`;
    return fail(
      'netmask_notation',
      `${quote(entry)}: write the prefix length, not a netmask${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
      suggestion === undefined ? {} : { suggestion },
    );
  }
  if (!PREFIX.test(prefixText)) return fail('invalid_prefix', `${quote(entry)}: the prefix length must be a decimal number without leading zeros`);
  const prefix = Number(prefixText);
  if (prefix > writtenBits) return fail('prefix_out_of_range', `${quote(entry)}: an IPv${writtenBits === 32 ? 4 : 6} prefix length is 0 to ${writtenBits}`);
  const prefix128 = writtenAsIpv6 ? prefix : prefix + 96;
  // A mapped network keeps its IPv4 meaning only while the prefix stays inside the mapped block.
  const family: 4 | 6 = scanned === 4 && prefix128 >= 96 ? 4 : 6;
  if (hasHostBits(out.first, prefix128)) {
    const network = formatNetwork(out.first, prefix128, family);
    return fail('host_bits_set', `${quote(entry)} has host bits set; did you mean ${network}?`, { suggestion: network });
  }
  applyMask(out.first, prefix128, out.last);
  out.family = family;
  out.kind = 'cidr';
  out.prefix = family === 4 ? prefix128 - 96 : prefix128;
  return undefined;
}

/** Writes into `last` the last address of the block that starts at `first` with this prefix. */
function applyMask(first: Uint16Array, prefix128: number, last: Uint16Array): void {
  for (let k = 0; k < 8; k++) last[k] = (first[k] ?? 0) | hostMask(prefix128, k);
}

/** True when `first` has a bit set below the prefix: `10.0.0.1/8` rather than `10.0.0.0/8`. */
function hasHostBits(first: Uint16Array, prefix128: number): boolean {
  for (let k = 0; k < 8; k++) if (((first[k] ?? 0) & hostMask(prefix128, k)) !== 0) return true;
  return false;
}

/** The host bits of group `k` under a 128-bit prefix. */
function hostMask(prefix128: number, k: number): number {
  const bits = Math.min(16, Math.max(0, prefix128 - 16 * k));
  return 0xffff >>> bits;
}

function formatNetwork(first: Uint16Array, prefix128: number, family: 4 | 6): string {
  const network = new Uint16Array(8);
  for (let k = 0; k < 8; k++) network[k] = (first[k] ?? 0) & ~hostMask(prefix128, k);
  return family === 4 ? `${formatIpv4((network[6] ?? 0) * 65536 + (network[7] ?? 0))}/${prefix128 - 96}` : `${formatIpv6(network)}/${prefix128}`;
}

/** Prefix length of a contiguous dotted-quad netmask, or undefined. */
function maskToPrefix(mask: string): number | undefined {
  const groups = new Uint16Array(8);
  if (scanAddress(mask, 0, mask.length, groups) !== 4 || mask.includes(':')) return undefined;
  const value = (groups[6] ?? 0) * 65536 + (groups[7] ?? 0);
  // contiguous ones then zeros: the inverted mask is 2^k - 1
  const hostBits = Math.log2(0x100000000 - value);
  return Number.isInteger(hostBits) ? 32 - hostBits : undefined;
}

/** Lexicographic comparison of two addresses held as groups. */
export function compareGroups(a: Uint16Array, b: Uint16Array): number {
  for (let k = 0; k < 8; k++) {
    const d = (a[k] ?? 0) - (b[k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
