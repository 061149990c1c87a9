// Domain normalisation: case-folded ASCII, internationalised names converted to punycode.
//
// IDNA (UTS #46) is done by the runtime's WHATWG `URL`, which every target runtime ships, so no
// `node:` import is needed. `URL` parses more than domain names (ports, paths, `%`-escapes,
// IPv4 numbers in octal/hex/integer form, IP literals), so the text is screened before it goes
// in, and what comes out must still be a plain LDH host name.

const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
/**
 * Longest non-ASCII domain text handed to `URL`: IDNA's normalisation and punycode are
 * quadratic in a label's length. Longer text can still map to a short name (IDNA drops soft
 * hyphens and other ignorables): such an address is unreadable, and so excluded (fail closed).
 */
const MAX_IDN_INPUT = 1024;

/**
 * Validates an ASCII domain that is already lower case: dot-separated labels of letters, digits
 * and inner hyphens, 1–63 characters each, 253 in all, and a last label that is not a number
 * (`1.2.3.4`, `ex.0x7f`), which the WHATWG host parser would read as an IPv4 address.
 */
export function isLdhDomain(domain: string): boolean {
  const n = domain.length;
  if (n === 0 || n > MAX_DOMAIN_LENGTH) return false;
  let labelStart = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? domain.charCodeAt(i) : 46;
    if (c === 46) {
      const len = i - labelStart;
      if (len === 0 || len > MAX_LABEL_LENGTH) return false;
      if (domain.charCodeAt(labelStart) === 45 || domain.charCodeAt(i - 1) === 45) return false;
      labelStart = i + 1;
    } else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) {
      return false;
    }
  }
  return !endsInNumber(domain);
}

// The WHATWG "ends in a number" check on the last label: all digits, or 0x followed by hex
// digits. Written as a loop because it runs for every address on the hot path.
function endsInNumber(domain: string): boolean {
  const n = domain.length;
  const start = domain.lastIndexOf('.') + 1;
  let digits = true;
  for (let i = start; i < n; i++) {
    const c = domain.charCodeAt(i);
    if (c < 48 || c > 57) {
      digits = false;
      break;
    }
  }
  if (digits) return true;
  if (n - start < 2 || domain.charCodeAt(start) !== 48 || domain.charCodeAt(start + 1) !== 120) return false;
  for (let i = start + 2; i < n; i++) {
    const c = domain.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Normalises the domain of an address or exclusion entry to lower-case ASCII, converting
 * internationalised labels to punycode (`Bücher.example` → `xn--bcher-kva.example`).
 * Returns `undefined` for anything that is not a host name: IP literals, ports, paths,
 * `%`-escapes, empty labels, a trailing dot, names that end in a number.
 */
export function normalizeDomain(raw: string): string | undefined {
  return normalizeDomainRange(raw, 0, raw.length);
}

/**
 * {@link normalizeDomain} of `text.slice(start, end)`, without slicing for the check: one pass
 * over ASCII names (the usual case) validates labels, finds upper case and the last label.
 */
export function normalizeDomainRange(text: string, start: number, end: number): string | undefined {
  let upper = false;
  let labelStart = start;
  let digitsOnly = true;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46) {
      const len = i - labelStart;
      if (len === 0 || len > MAX_LABEL_LENGTH || text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) {
        return hasNonAscii(text, i, end) ? idnToAscii(text.slice(start, end)) : undefined;
      }
      if (i < end) {
        labelStart = i + 1;
        digitsOnly = true;
      }
    } else if (c >= 48 && c <= 57) {
      // a digit keeps digitsOnly
    } else if ((c >= 97 && c <= 122) || c === 45) {
      digitsOnly = false;
    } else if (c >= 65 && c <= 90) {
      upper = true;
      digitsOnly = false;
    } else {
      return c >= 128 || hasNonAscii(text, i, end) ? idnToAscii(text.slice(start, end)) : undefined;
    }
  }
  if (digitsOnly || end - start > MAX_DOMAIN_LENGTH) return undefined;
  const raw = text.slice(start, end);
  const lower = upper ? raw.toLowerCase() : raw;
  // A last label of 0x and hex digits is a number too.
  if (lower.charCodeAt(labelStart - start) === 48 && lower.charCodeAt(labelStart - start + 1) === 120 && endsInNumber(lower)) return undefined;
  return lower;
}

function hasNonAscii(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) >= 128) return true;
  return false;
}

function idnToAscii(raw: string): string | undefined {
  if (raw.length > MAX_IDN_INPUT) return undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    // Any ASCII character but letters, digits, `-` and `.` (`%`, `:`, `/`, `@`, `[`, `\`,
    // space, controls…) would make `URL` read a port, a path or an escape instead of a name.
    if (c < 128 && !((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46)) return undefined;
  }
  let host: string;
  try {
    host = new URL(`http://${raw}/`).hostname;
  } catch {
    return undefined;
  }
  // Whatever UTS #46 mapped the text to, the result must be a plain host name (this also
  // rejects IPv4 addresses spelt with full-width digits and IPv6 literals).
  return isLdhDomain(host) ? host : undefined;
}
