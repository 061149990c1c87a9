// The strict address scanner under every public function of this folder.
//
// It reads an address into eight 16-bit groups without allocating. IPv4 is stored the way
// IPv4-mapped IPv6 stores it (::ffff:a.b.c.d), so an IPv4 address and its mapped spelling
// produce the very same groups and cannot be told apart afterwards: that is what makes
// `::ffff:127.0.0.1` unable to slip past a rule written for 127.0.0.1, or vice versa.
//
// The grammar is deliberately narrower than inet_aton and friends: see docs/network.md.

/** Longest accepted address text: six full hex groups plus a dotted quad. */
export const MAX_ADDRESS_LENGTH = 45;

/** Family code the scanner returns: 0 when the text is not an address. */
export type ScanFamily = 0 | 4 | 6;

const COLON = 58;
const DOT = 46;

/**
 * Reads `text[from, to)` as an address into `groups` (length 8, overwritten).
 * Returns 4 for IPv4 and IPv4-mapped IPv6, 6 for any other IPv6, 0 when the text is invalid.
 */
export function scanAddress(text: string, from: number, to: number, groups: Uint16Array): ScanFamily {
  const length = to - from;
  if (length <= 0 || length > MAX_ADDRESS_LENGTH) return 0;
  // A dotted quad has its first dot at index 1, 2 or 3; IPv6 text almost never does, so it
  // skips the IPv4 attempt. (If a string passes this test but is not IPv4, IPv6 is still tried.)
  const dotted =
    length >= 7 && (text.charCodeAt(from + 1) === DOT || text.charCodeAt(from + 2) === DOT || text.charCodeAt(from + 3) === DOT);
  const v4 = dotted ? scanIpv4(text, from, to) : -1;
  if (v4 >= 0) {
    groups[0] = 0;
    groups[1] = 0;
    groups[2] = 0;
    groups[3] = 0;
    groups[4] = 0;
    groups[5] = 0xffff;
    groups[6] = v4 >>> 16;
    groups[7] = v4 & 0xffff;
    return 4;
  }
  if (!scanIpv6(text, from, to, groups)) return 0;
  return groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff ? 4 : 6;
}

/**
 * Reads a strict dotted quad: exactly four decimal octets 0–255, no leading zeros, ASCII only.
 * Returns the address as an unsigned 32-bit number, or -1.
 */
export function scanIpv4(text: string, from: number, to: number): number {
  let value = 0;
  let i = from;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= to || text.charCodeAt(i) !== DOT) return -1;
      i++;
    }
    if (i >= to) return -1;
    const d0 = text.charCodeAt(i) - 48;
    if (d0 < 0 || d0 > 9) return -1;
    i++;
    let octet = d0;
    if (d0 !== 0) {
      // up to two more digits; a leading zero ("01", "00") is refused because inet_aton reads it as octal
      for (let k = 0; k < 2 && i < to; k++) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        octet = octet * 10 + d;
        i++;
      }
      if (octet > 255) return -1;
    }
    value = value * 256 + octet;
  }
  return i === to ? value : -1;
}

// Value of each ASCII hex digit, -1 for every other code unit below 128.
const HEX = new Int8Array(128).fill(-1);
for (let d = 0; d < 10; d++) HEX[48 + d] = d;
for (let d = 0; d < 6; d++) {
  HEX[65 + d] = 10 + d;
  HEX[97 + d] = 10 + d;
}

/** Reads RFC 4291 text (section 2.2, forms 1–3) into eight groups. */
function scanIpv6(text: string, from: number, to: number, groups: Uint16Array): boolean {
  let i = from;
  let count = 0;
  let gap = -1; // index in `groups` where "::" stands
  if (text.charCodeAt(i) === COLON) {
    if (i + 1 >= to || text.charCodeAt(i + 1) !== COLON) return false;
    i += 2;
    gap = 0;
    if (i === to) {
      groups.fill(0);
      return true;
    }
  }
  for (;;) {
    const start = i;
    let value = 0;
    while (i < to) {
      const code = text.charCodeAt(i);
      const h = code < 128 ? (HEX[code] ?? -1) : -1;
      if (h < 0) break;
      value = ((value << 4) | h) & 0xfffff; // five hex digits at most are kept; more is refused below
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return false;
    if (i < to && text.charCodeAt(i) === DOT) {
      // the last 32 bits written as a dotted quad
      if (count > 6) return false;
      const v4 = scanIpv4(text, start, to);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      break;
    }
    if (count === 8) return false;
    groups[count++] = value;
    if (i === to) break;
    if (text.charCodeAt(i) !== COLON) return false;
    i++;
    if (i === to) return false; // a single trailing colon
    if (text.charCodeAt(i) === COLON) {
      if (gap >= 0) return false;
      gap = count;
      i++;
      if (i === to) break;
    }
  }
  if (gap < 0) return count === 8;
  if (count > 7) return false; // "::" stands for at least one group
  const tail = count - gap;
  for (let k = tail - 1; k >= 0; k--) groups[8 - tail + k] = groups[gap + k] ?? 0;
  for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  return true;
}

/** The IPv4 value held by groups of family 4. */
export function ipv4Value(groups: Uint16Array): number {
  return (groups[6] ?? 0) * 65536 + (groups[7] ?? 0);
}

/** Dotted-quad text of an unsigned 32-bit value. */
export function formatIpv4(value: number): string {
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/** RFC 5952 text of eight groups: lowercase, no leading zeros, the longest zero run (two or more groups, the first on a tie) as "::". */
export function formatIpv6(groups: ArrayLike<number>): string {
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let k = 0; k <= 8; k++) {
    if (k < 8 && groups[k] === 0) {
      if (runStart < 0) runStart = k;
    } else if (runStart >= 0) {
      const runLength = k - runStart;
      if (runLength > bestLength) {
        bestStart = runStart;
        bestLength = runLength;
      }
      runStart = -1;
    }
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLength - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (groups[k] ?? 0).toString(16);
  }
  return out;
}

/** Canonical text of scanned groups: dotted quad for family 4, RFC 5952 for family 6. */
export function formatGroups(family: 4 | 6, groups: Uint16Array): string {
  return family === 4 ? formatIpv4(ipv4Value(groups)) : formatIpv6(groups);
}
