// Token text: `<prefix>_<id>_<secret><checksum>`.
//
//   prefix    lowercase letters/digits, `_`-separated words, starts with a letter, ≤ 32 chars
//   id        12 base62 chars (≈71 random bits): public, the storage lookup key
//   secret    22 base62 chars (≈131 random bits): never stored, only its SHA-256
//   checksum  6 base62 chars: CRC-32 of `<prefix>_<id>_<secret>` (not a secret, catches typos)
//
// The id and the tail never contain `_`, so the token splits from the right even when the
// prefix has underscores of its own (`acme_live_…`).

export const ID_LENGTH = 12;
export const SECRET_LENGTH = 22;
export const CHECKSUM_LENGTH = 6;
export const TAIL_LENGTH = SECRET_LENGTH + CHECKSUM_LENGTH;
export const MAX_PREFIX_LENGTH = 32;
/** Longer input is refused before any scanning, so a hostile header costs nothing. */
export const MAX_TOKEN_LENGTH = MAX_PREFIX_LENGTH + 1 + ID_LENGTH + 1 + TAIL_LENGTH;
export const DEFAULT_PREFIX = 'sgk';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// charCode → base62 digit value, or -1.
const BASE62_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62.length; i++) BASE62_VALUE[BASE62.charCodeAt(i)] = i;

const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

/** CRC-32 (IEEE 802.3, as in zlib) of the ASCII text `text[0, end)`. */
function crc32(text: string, end: number): number {
  let c = -1;
  for (let i = 0; i < end; i++) c = (CRC_TABLE[(c ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** The 6-char base62 spelling of the CRC-32 of `body` (62^6 > 2^32, so it is exact). */
export function checksumOf(body: string): string {
  let n = crc32(body, body.length);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62.charAt(n % 62) + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** Prefix grammar: `acme`, `acme_live`, `sgk2`. Checked at generate time and when parsing. */
export function isValidPrefix(prefix: string): boolean {
  if (prefix.length < 1 || prefix.length > MAX_PREFIX_LENGTH) return false;
  return scanPrefix(prefix, 0, prefix.length);
}

function scanPrefix(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  let previousUnderscore = true; // the first char must be a letter, and no `__`
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const lower = c >= 97 && c <= 122;
    const digit = c >= 48 && c <= 57;
    if (c === 95) {
      if (previousUnderscore) return false;
      previousUnderscore = true;
      continue;
    }
    if (i === start ? !lower : !(lower || digit)) return false;
    previousUnderscore = false;
  }
  return !previousUnderscore;
}

function isBase62Run(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (BASE62_VALUE[c] ?? -1) < 0) return false;
  }
  return true;
}

/** Uniform base62 text of `length` chars from `crypto.getRandomValues` (rejection sampling), or `null` if the source is broken. */
export function randomBase62(length: number, random: (bytes: Uint8Array<ArrayBuffer>) => void): string | null {
  let out = '';
  const bytes = new Uint8Array(length + 16);
  for (let round = 0; out.length < length; round++) {
    // Each byte is kept with probability 248/256; 16 rounds without enough is a broken source.
    if (round === 16) return null;
    random(bytes);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const b = bytes[i] ?? 255;
      // 248 = 4 × 62: bytes at or above it would bias the low digits, so they are dropped.
      if (b < 248) out += BASE62.charAt(b % 62);
    }
  }
  bytes.fill(0);
  return out;
}

/** Builds the token text. */
export function formatToken(prefix: string, id: string, secret: string): string {
  const body = `${prefix}_${id}_${secret}`;
  return body + checksumOf(body);
}

/** Where the parts of a well-formed token are; `null` when the text is not one. */
export interface TokenParts {
  readonly prefix: string;
  readonly id: string;
  /** Index of the first secret char; the secret is `[secretStart, secretStart + SECRET_LENGTH)`. */
  readonly secretStart: number;
}

export type TokenFailure =
  | 'not_a_string'
  | 'bad_length'
  | 'bad_shape'
  | 'bad_prefix'
  | 'bad_characters'
  | 'bad_checksum'
  | 'wrong_prefix';

/**
 * Splits and checks a token: shape, alphabet, prefix grammar and checksum. Never throws and
 * never includes the token in what it returns on failure (tokens must not reach logs).
 */
export function splitToken(token: unknown, expectedPrefix?: string): TokenParts | TokenFailure {
  if (typeof token !== 'string') return 'not_a_string';
  const length = token.length;
  if (length > MAX_TOKEN_LENGTH || length < 1 + 1 + ID_LENGTH + 1 + TAIL_LENGTH) return 'bad_length';
  const tailStart = length - TAIL_LENGTH;
  const idStart = tailStart - 1 - ID_LENGTH;
  if (token.charCodeAt(tailStart - 1) !== 95 || token.charCodeAt(idStart - 1) !== 95) return 'bad_shape';
  if (!scanPrefix(token, 0, idStart - 1)) return 'bad_prefix';
  if (!isBase62Run(token, idStart, tailStart - 1) || !isBase62Run(token, tailStart, length)) return 'bad_characters';
  const prefix = token.slice(0, idStart - 1);
  if (expectedPrefix !== undefined && prefix !== expectedPrefix) return 'wrong_prefix';
  let n = crc32(token, length - CHECKSUM_LENGTH);
  for (let i = length - 1; i >= length - CHECKSUM_LENGTH; i--) {
    if ((BASE62_VALUE[token.charCodeAt(i)] ?? -1) !== n % 62) return 'bad_checksum';
    n = Math.floor(n / 62);
  }
  return { prefix, id: token.slice(idStart, tailStart - 1), secretStart: tailStart };
}

export const TOKEN_FAILURE_MESSAGE: Readonly<Record<TokenFailure, string>> = {
  not_a_string: 'the API key is not a string',
  bad_length: 'the API key has the wrong length (truncated, padded or not an API key)',
  bad_shape: 'the API key is not of the form <prefix>_<id>_<secret>',
  bad_prefix: 'the API key prefix is not lowercase letters, digits and single underscores',
  bad_characters: 'the API key contains characters outside A–Z, a–z and 0–9',
  bad_checksum: 'the API key checksum does not match (a typo or a damaged key)',
  wrong_prefix: 'the API key has another prefix than this application issues',
};
