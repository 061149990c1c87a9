// Byte helpers shared by TOTP enrollment and one-time codes. Private to src/otp.
import { StaffgateError } from '../errors.js';

interface RandomSource {
  getRandomValues(array: Uint8Array): Uint8Array;
}

/**
 * Fills a new buffer with cryptographically strong random bytes from
 * `globalThis.crypto.getRandomValues`, the one source every runtime (Node, Bun, Deno, edge,
 * browsers) shares. Throws `crypto_unavailable` rather than falling back to anything weaker.
 */
export function randomBytes(length: number): Uint8Array {
  const source = (globalThis as { crypto?: Partial<RandomSource> }).crypto;
  if (source === undefined || typeof source.getRandomValues !== 'function') {
    throw new StaffgateError('crypto_unavailable', 'globalThis.crypto.getRandomValues is not available in this runtime');
  }
  const bytes = new Uint8Array(length);
  // getRandomValues refuses more than 65536 bytes per call; callers here ask for far less.
  source.getRandomValues.call(source, bytes);
  return bytes;
}

/**
 * `count` uniformly random ASCII digits. Bytes of 250..255 are rejected so that `byte % 10`
 * has no modulo bias (250 is the largest multiple of 10 that fits in a byte).
 */
export function randomDigits(count: number): string {
  let out = '';
  while (out.length < count) {
    // A little more than needed: about 2.3 % of bytes are rejected.
    const bytes = randomBytes(count - out.length + 4);
    for (const b of bytes) {
      if (b >= 250) continue;
      out += String.fromCharCode(48 + (b % 10));
      if (out.length === count) break;
    }
  }
  return out;
}

const HEX = '0123456789abcdef';

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  return out;
}

/** Bytes of a lowercase hex string already checked by the caller to be even-length hex. */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  return out;
}

function nibble(c: number): number {
  return c <= 57 ? c - 48 : c - 87; // '0'-'9', 'a'-'f'
}

/**
 * Compares two byte arrays in time that depends only on their length, never on where they
 * first differ, so a caller cannot learn a stored hash byte by byte from response times.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
