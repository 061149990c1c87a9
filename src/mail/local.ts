// Local parts: the comparison key an address is matched on, and its canonical text.

/** How local parts are compared (see docs/mail.md, "Local part"). */
export interface LocalPartRule {
  /** `true`: compare case-insensitively (the default); `false`: compare exactly as written. */
  readonly fold: boolean;
  /** Characters that start a sub-address (`+`), or `''` to keep sub-addresses. */
  readonly separators: string;
}

const ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
const ATEXT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alnum = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  ATEXT[c] = alnum || ATEXT_SPECIALS.includes(String.fromCharCode(c)) ? 1 : 0;
}

/** `true` for an RFC 5322 `atext` code unit (ASCII letters, digits and specials, or non-ASCII). */
export function isAtext(c: number): boolean {
  return c >= 128 || ATEXT[c] === 1;
}

/** The ASCII `atext` specials that may serve as sub-address separators. */
export function isSeparatorCandidate(ch: string): boolean {
  return ch.length === 1 && ATEXT_SPECIALS.includes(ch);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

/**
 * The key a local part (its unquoted content) is matched on. Non-ASCII text is put in Unicode
 * normal form: NFKC when case is folded (so full-width and other compatibility spellings fold
 * too, as PRECIS does for user names), NFC when it is compared exactly. Case folding is
 * `toLowerCase`, which is locale-independent. The sub-address is cut at the first separator
 * that is not the first character.
 */
export function localKey(content: string, rule: LocalPartRule): string {
  let key = content;
  if (rule.fold) {
    key = isAscii(key) ? key.toLowerCase() : key.normalize('NFKC').toLowerCase().normalize('NFKC');
  } else if (!isAscii(key)) {
    key = key.normalize('NFC');
  }
  const seps = rule.separators;
  if (seps.length === 1) {
    const cut = key.indexOf(seps, 1);
    if (cut > 0) key = key.slice(0, cut);
  } else if (seps.length > 1) {
    for (let i = 1; i < key.length; i++) {
      if (seps.includes(key.charAt(i))) {
        key = key.slice(0, i);
        break;
      }
    }
  }
  return key;
}

// Non-ASCII text that must not appear bare in canonical output: white space (which `trim`
// would strip from an entry), controls, format characters, unassigned code points, lone surrogates.
const INVISIBLE = /[\s\p{C}]/u;

/**
 * `true` when `text` can be written bare as an RFC 5322 (RFC 6532) dot-atom: atext runs joined
 * by single dots, and no invisible non-ASCII characters.
 */
export function isDotAtom(text: string): boolean {
  const n = text.length;
  if (n === 0 || text.charCodeAt(0) === 46 || text.charCodeAt(n - 1) === 46) return false;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (text.charCodeAt(i - 1) === 46) return false;
    } else if (c >= 128) {
      ascii = false;
    } else if (!isAtext(c)) {
      return false;
    }
  }
  return ascii || !INVISIBLE.test(text);
}

/**
 * The canonical text of an address: the local part bare when it is a dot-atom, otherwise as a
 * quoted string with `"` and `\` escaped, then `@` and the normalised domain.
 */
export function formatAddress(local: string, domain: string): string {
  if (isDotAtom(local)) return `${local}@${domain}`;
  return `"${local.replace(/["\\]/g, '\\$&')}"@${domain}`;
}
