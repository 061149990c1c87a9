// fast-check arbitraries for the network capability: addresses in every valid spelling,
// allowlist entries, and the hostile spellings a strict parser must refuse. Each sample
// carries its value as a BigInt, computed here without staffgate's parser, so a property can
// check the library against an independent oracle.

import fc from 'fast-check';

/**
 * An address and what it denotes: `value` is 32-bit for family 4 (also when spelled
 * IPv4-mapped), 128-bit for family 6.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ipAddressArb(), (a: IpSample) => parseIp(a.text).ok));
 * ```
 */
export interface IpSample {
  /** The text as a request would carry it. */
  readonly text: string;
  readonly family: 4 | 6;
  readonly value: bigint;
  /** Canonical text: dotted quad, or RFC 5952 IPv6. */
  readonly canonical: string;
}

/**
 * An allowlist entry and the addresses it covers, `first` to `last` inclusive.
 *
 * @example
 * ```ts
 * const covers = (e: IpEntrySample, a: IpSample) => e.family === a.family && e.first <= a.value && a.value <= e.last;
 * ```
 */
export interface IpEntrySample {
  readonly text: string;
  readonly family: 4 | 6;
  readonly kind: 'address' | 'cidr' | 'range';
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * The class a hostile spelling belongs to, named after the reason code `parseIp` gives it.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileIpAddressArb(), (h) => h.class !== 'zone_id' || h.text.includes('%')));
 * ```
 */
export type HostileIpClass =
  | 'ipv4_leading_zero'
  | 'ipv4_hex'
  | 'ipv4_short_form'
  | 'ipv4_octet_out_of_range'
  | 'ipv4_trailing_dot'
  | 'zone_id'
  | 'port'
  | 'brackets'
  | 'whitespace'
  | 'non_ascii'
  | 'ipv6_malformed';

/**
 * A string that is not a strict address, and why.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileIpAddressArb(), (h: HostileIpSample) => !myAllowlist.contains(h.text)));
 * ```
 */
export interface HostileIpSample {
  readonly text: string;
  readonly class: HostileIpClass;
}

const MAPPED_PREFIX = 0xffffn << 32n;
const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

/**
 * Dotted quad of a 32-bit value.
 *
 * @example
 * ```ts
 * ipv4Text(0x7f000001n); // '127.0.0.1'
 * ```
 */
export function ipv4Text(value: bigint): string {
  const n = Number(value);
  return `${Math.floor(n / 16777216)}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

function groupsOf(value: bigint): number[] {
  const groups: number[] = [];
  for (let k = 7; k >= 0; k--) groups.push(Number((value >> BigInt(16 * k)) & 0xffffn));
  return groups;
}

/**
 * RFC 5952 text of a 128-bit value, written independently of the library.
 *
 * @example
 * ```ts
 * ipv6Canonical(1n); // '::1'
 * ```
 */
export function ipv6Canonical(value: bigint): string {
  const groups = groupsOf(value);
  let best = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) {
      best = start;
      bestLength = length;
    }
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}

/** The sample for a 128-bit value: an IPv4-mapped value is the IPv4 address. */
function sampleOf(text: string, value128: bigint): IpSample {
  if (value128 >> 32n === 0xffffn) {
    const v4 = value128 & V4_MAX;
    return { text, family: 4, value: v4, canonical: ipv4Text(v4) };
  }
  return { text, family: 6, value: value128, canonical: ipv6Canonical(value128) };
}

/**
 * A 32-bit value biased toward edges (0.0.0.0, 255.255.255.255, octets 0/1/255).
 *
 * @example
 * ```ts
 * fc.sample(ipv4ValueArb(), 3); // e.g. [0n, 2130706433n, 167772415n]
 * ```
 */
export function ipv4ValueArb(): fc.Arbitrary<bigint> {
  const octet = fc.oneof(fc.constantFrom(0, 1, 9, 10, 99, 100, 127, 199, 200, 249, 250, 255), fc.integer({ min: 0, max: 255 }));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(0n, V4_MAX, 0x7f000001n, 0x0a000000n) },
    { weight: 4, arbitrary: fc.tuple(octet, octet, octet, octet).map(([a, b, c, d]) => BigInt(a * 16777216 + b * 65536 + c * 256 + d)) },
    { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: V4_MAX }) },
  );
}

/**
 * A 128-bit value that is NOT IPv4-mapped, biased toward zero runs (to exercise `::`) and the
 * blocks that embed IPv4 without being IPv4: NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo
 * `2001::/32`, IPv4-compatible `::/96`, and `::ffff:0:0:0/96`.
 *
 * @example
 * ```ts
 * fc.sample(ipv6ValueArb().map(ipv6Canonical), 2); // e.g. ['64:ff9b::a00:1', '2001:db8::']
 * ```
 */
export function ipv6ValueArb(): fc.Arbitrary<bigint> {
  const group = fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.constantFrom(1, 0xffff, 0xff, 0x100, 0xdb8, 0x2001) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
  );
  const fromGroups = fc.array(group, { minLength: 8, maxLength: 8 }).map((gs) => gs.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n));
  const low32 = fc.bigInt({ min: 0n, max: V4_MAX });
  const embedding = fc.oneof(
    low32.map((v) => (0x64ff9bn << 96n) | v), // NAT64
    low32.map((v) => (0x2002n << 112n) | (v << 80n)), // 6to4
    fc.tuple(low32, low32).map(([server, client]) => (0x20010000n << 96n) | (server << 64n) | (V4_MAX ^ client)), // Teredo
    low32.map((v) => v), // IPv4-compatible (::a.b.c.d), deprecated
    low32.map((v) => (0xffffn << 48n) | v), // ::ffff:0:a.b.c.d (IPv4-translated)
  );
  return fc
    .oneof(
      { weight: 1, arbitrary: fc.constantFrom(0n, 1n, V6_MAX, 0xfe80n << 112n) },
      { weight: 5, arbitrary: fromGroups },
      { weight: 2, arbitrary: embedding },
      { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: V6_MAX }) },
    )
    .filter((v) => v >> 32n !== 0xffffn);
}

/** Every RFC 4291 spelling of a 128-bit value, with or without zero runs compressed, in either case, with or without leading zeros and a dotted-quad tail. */
function ipv6Spelling(value: bigint): fc.Arbitrary<string> {
  const groups = groupsOf(value);
  const zeroRuns: [number, number][] = [];
  for (let s = 0; s < 8; s++) {
    for (let e = s + 1; e <= 8 && groups[e - 1] === 0; e++) zeroRuns.push([s, e]);
  }
  const run = zeroRuns.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...zeroRuns), { nil: undefined });
  const styles = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: 8, maxLength: 8 });
  return fc.tuple(run, styles, fc.boolean()).map(([gap, style, dottedTail]) => {
    const tail = dottedTail && (gap === undefined || gap[1] <= 6);
    const count = tail ? 6 : 8;
    const parts: string[] = [];
    for (let k = 0; k < count; k++) {
      const [pad, upper] = style[k] ?? [0, false];
      let text = (groups[k] ?? 0).toString(16).padStart(Math.min(4, (groups[k] ?? 0).toString(16).length + pad), '0');
      if (upper) text = text.toUpperCase();
      parts.push(text);
    }
    const v4 = tail ? ipv4Text(value & V4_MAX) : undefined;
    if (gap === undefined) return v4 === undefined ? parts.join(':') : `${parts.join(':')}:${v4}`;
    const [s, e] = gap;
    const head = parts.slice(0, s).join(':');
    const rest = parts.slice(e, count);
    if (v4 !== undefined) rest.push(v4);
    return `${head}::${rest.join(':')}`;
  });
}

/**
 * A strict dotted-quad IPv4 address.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ipv4AddressArb(), (a) => parseIp(a.text).ok));
 * ```
 */
export function ipv4AddressArb(): fc.Arbitrary<IpSample> {
  return ipv4ValueArb().map((v) => ({ text: ipv4Text(v), family: 4 as const, value: v, canonical: ipv4Text(v) }));
}

/**
 * An IPv6 address (never IPv4-mapped) in any valid RFC 4291 spelling: compressed or not,
 * upper or lower case, leading zeros, a dotted-quad tail.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ipv6AddressArb(), (a) => parseIp(a.text).ok && a.family === 6));
 * ```
 */
export function ipv6AddressArb(): fc.Arbitrary<IpSample> {
  return ipv6ValueArb().chain((v) => ipv6Spelling(v).map((text) => sampleOf(text, v)));
}

/**
 * An IPv4 address spelled as IPv4-mapped IPv6 (`::ffff:a.b.c.d`, `0:0:0:0:0:FFFF:7f00:1`, …): family 4.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ipv4MappedAddressArb(), (a) => rules.contains(a.text) === rules.contains(a.canonical)));
 * ```
 */
export function ipv4MappedAddressArb(): fc.Arbitrary<IpSample> {
  return ipv4ValueArb().chain((v) => ipv6Spelling(MAPPED_PREFIX | v).map((text) => sampleOf(text, MAPPED_PREFIX | v)));
}

/**
 * Any valid address: IPv4, IPv6, or IPv4-mapped.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ipAddressArb(), (a) => parseIp(a.text).ok));
 * ```
 */
export function ipAddressArb(): fc.Arbitrary<IpSample> {
  return fc.oneof({ weight: 3, arbitrary: ipv4AddressArb() }, { weight: 3, arbitrary: ipv6AddressArb() }, { weight: 1, arbitrary: ipv4MappedAddressArb() });
}

function textOf(family: 4 | 6, value: bigint): string {
  return family === 4 ? ipv4Text(value) : ipv6Canonical(value);
}

/**
 * A valid allowlist entry (address, CIDR with no host bits, or ordered range) with the span it covers.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.array(ipRuleEntryArb()), (entries) => {
 *   compileIpRules(entries.map((e) => e.text)); // never throws for valid entries
 * }));
 * ```
 */
export function ipRuleEntryArb(): fc.Arbitrary<IpEntrySample> {
  const address = ipAddressArb().map((a): IpEntrySample => ({ text: a.text, family: a.family, kind: 'address', first: a.value, last: a.value }));
  const cidr = fc
    .tuple(fc.constantFrom<4 | 6>(4, 6), fc.boolean())
    .chain(([family, mapped]) => {
      const bits = family === 4 ? 32 : 128;
      return fc.tuple(family === 4 ? ipv4ValueArb() : ipv6ValueArb(), fc.integer({ min: 0, max: bits })).map(([value, prefix]): IpEntrySample => {
        const host = BigInt(bits - prefix);
        const first = (value >> host) << host;
        const last = first | ((1n << host) - 1n);
        const text = family === 4 && mapped ? `::ffff:${ipv4Text(first)}/${prefix + 96}` : `${textOf(family, first)}/${prefix}`;
        return { text, family, kind: 'cidr', first, last };
      });
    });
  const range = fc
    .constantFrom<4 | 6>(4, 6)
    .chain((family) => {
      const value = family === 4 ? ipv4ValueArb() : ipv6ValueArb();
      const width = fc.oneof(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: family === 4 ? V4_MAX : V6_MAX }));
      return fc.tuple(value, width).map(([a, w]): IpEntrySample => {
        const max = family === 4 ? V4_MAX : V6_MAX;
        const b = a + w > max ? max : a + w;
        return { text: `${textOf(family, a)}-${textOf(family, b)}`, family, kind: 'range', first: a, last: b };
      });
    });
  // An IPv6 entry may span the mapped block (::/0 does): it still covers no IPv4 address, and
  // no family-6 sample lies in that block, so "same family and first <= value <= last" stays exact.
  return fc.oneof(address, cidr, range);
}

const WHITESPACE = [' ', '\t', '\n', '\r', '\v', '\f'];
const UNICODE_DIGITS = ['０', '１', '７', '٠', '١', '۱', '१', '𝟏', '²'];
const UNICODE_SEPARATORS = ['。', '．', '｡', '：', '︰'];

/**
 * A string that strict parsing must refuse, tagged with the reason `parseIp` gives: octal,
 * hex, integer and short IPv4, out-of-range octets, trailing dots, zone IDs, ports, brackets,
 * whitespace, non-ASCII digits and separators, malformed IPv6.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileIpAddressArb(), (h) => parseIp(h.text).ok === false));
 * ```
 */
export function hostileIpAddressArb(): fc.Arbitrary<HostileIpSample> {
  const octet = fc.integer({ min: 0, max: 255 });
  const quad = fc.tuple(octet, octet, octet, octet);
  const tag = (cls: HostileIpClass) => (text: string): HostileIpSample => ({ text, class: cls });
  return fc.oneof(
    // octal-looking: one octet with leading zeros
    fc.tuple(quad, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 2 })).map(([q, at, zeros]) => {
      const parts = q.map(String);
      parts[at] = `${'0'.repeat(zeros)}${parts[at] ?? '0'}`.slice(0, 4);
      return tag('ipv4_leading_zero')(parts.join('.'));
    }),
    fc.oneof(
      fc.integer({ min: 0, max: 0xffffffff }).map((n) => `0x${n.toString(16)}`),
      fc.tuple(octet, fc.integer({ min: 1, max: 3 }), quad).map(([o, at, q]) => {
        const parts = q.map(String);
        parts[at] = `0x${o.toString(16)}`;
        return parts.join('.');
      }),
    ).map(tag('ipv4_hex')),
    fc.oneof(
      fc.integer({ min: 0, max: 0xffffffff }).map(String),
      fc.tuple(octet, fc.integer({ min: 0, max: 0xffffff })).map(([a, b]) => `${a}.${b}`),
      fc.tuple(octet, octet, fc.integer({ min: 0, max: 0xffff })).map(([a, b, c]) => `${a}.${b}.${c}`),
    )
      .filter((t) => !/(^|\.)0[0-9]/.test(t))
      .map(tag('ipv4_short_form')),
    fc.tuple(quad, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 256, max: 999 })).map(([q, at, big]) => {
      const parts = q.map(String);
      parts[at] = String(big);
      return tag('ipv4_octet_out_of_range')(parts.join('.'));
    }),
    ipv4AddressArb().map((a) => tag('ipv4_trailing_dot')(`${a.text}.`)),
    fc.tuple(ipv6AddressArb(), fc.stringMatching(/^[a-z0-9]{1,6}$/)).map(([a, zone]) => tag('zone_id')(`${a.text}%${zone}`)),
    fc.tuple(ipv4AddressArb(), fc.integer({ min: 0, max: 65535 })).map(([a, port]) => tag('port')(`${a.text}:${port}`)),
    fc.tuple(ipAddressArb(), fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined })).map(([a, port]) =>
      tag('brackets')(port === undefined ? `[${a.text}]` : `[${a.text}]:${port}`),
    ),
    fc.tuple(ipAddressArb(), fc.constantFrom(...WHITESPACE), fc.nat()).map(([a, ws, at]) => {
      const i = at % (a.text.length + 1);
      return tag('whitespace')(`${a.text.slice(0, i)}${ws}${a.text.slice(i)}`);
    }),
    fc.tuple(ipAddressArb(), fc.constantFrom(...UNICODE_DIGITS, ...UNICODE_SEPARATORS), fc.nat()).map(([a, ch, at]) => {
      const i = at % a.text.length;
      return tag('non_ascii')(`${a.text.slice(0, i)}${ch}${a.text.slice(i + 1)}`);
    }),
    fc
      .constantFrom(
        '1:2:3:4:5:6:7',
        '1:2:3:4:5:6:7:8:9',
        '1::2::3',
        ':::',
        '1:::2',
        ':1:2:3:4:5:6:7',
        '1:2:3:4:5:6:7:',
        '12345::',
        '::1:2:3:4:5:6:7:8',
        '1:2:3:4:5:6:7:8::',
        '::1.2.3',
        '::01.2.3.4',
        '1:2:3:4:5:6:7:1.2.3.4',
        '::1.2.3.4:5',
        '1.2.3.4::',
        '::ffff:256.0.0.1',
      )
      .map(tag('ipv6_malformed')),
  );
}

/**
 * The sample for a numeric address, in canonical text. A family-6 value in the IPv4-mapped
 * block is returned as the IPv4 address it is.
 *
 * @example
 * ```ts
 * ipSampleOf(6, 0xffff7f000001n); // { text: '127.0.0.1', family: 4, value: 2130706433n, canonical: '127.0.0.1' }
 * ```
 */
export function ipSampleOf(family: 4 | 6, value: bigint): IpSample {
  if (family === 6 && value >> 32n === 0xffffn) return ipSampleOf(4, value & V4_MAX);
  const canonical = family === 4 ? ipv4Text(value) : ipv6Canonical(value);
  return { text: canonical, family, value, canonical };
}

/**
 * The oracle for an allowlist: true when some entry of the address's family spans it, in
 * BigInt arithmetic.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.array(ipRuleEntryArb()), ipAddressArb(), (entries, a) =>
 *   compileIpRules(entries.map((e) => e.text)).contains(a.text) === ipCoveredBy(entries, a)));
 * ```
 */
export function ipCoveredBy(entries: readonly IpEntrySample[], address: { readonly family: 4 | 6; readonly value: bigint }): boolean {
  return entries.some((e) => e.family === address.family && e.first <= address.value && address.value <= e.last);
}

/**
 * The addresses where an allowlist can go wrong: each entry's first and last address and the
 * ones just outside, in canonical text, IPv4 ones also spelled IPv4-mapped.
 *
 * @example
 * ```ts
 * ipEntryEdges([{ text: '10.0.0.0/8', family: 4, kind: 'cidr', first: 0x0a000000n, last: 0x0affffffn }]).map((a) => a.text);
 * // ['9.255.255.255', '::ffff:9.255.255.255', '10.0.0.0', '::ffff:10.0.0.0', …, '11.0.0.0', '::ffff:11.0.0.0']
 * ```
 */
export function ipEntryEdges(entries: readonly IpEntrySample[]): IpSample[] {
  const out: IpSample[] = [];
  for (const e of entries) {
    const max = e.family === 4 ? V4_MAX : V6_MAX;
    for (const v of [e.first - 1n, e.first, e.last, e.last + 1n]) {
      if (v < 0n || v > max) continue;
      const s = ipSampleOf(e.family, v);
      out.push(s);
      if (s.family === 4) out.push({ ...s, text: `::ffff:${s.text}` });
    }
  }
  return out;
}
