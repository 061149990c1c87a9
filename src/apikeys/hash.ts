// SHA-256 in pure JS (@noble/hashes, the implementation otplib already brings) so that
// verification is synchronous and the same on every runtime; Web Crypto's digest is async only.
import { sha256 } from '@noble/hashes/sha2.js';
import { SECRET_LENGTH } from './token.js';

const HEX = '0123456789abcdef';
const HEX_PAIRS: string[] = [];
const HEX_PAIR_CODES = new Uint16Array(256 * 2);
for (let b = 0; b < 256; b++) {
  const pair = HEX.charAt(b >>> 4) + HEX.charAt(b & 15);
  HEX_PAIRS.push(pair);
  HEX_PAIR_CODES[b * 2] = pair.charCodeAt(0);
  HEX_PAIR_CODES[b * 2 + 1] = pair.charCodeAt(1);
}

/** Length of a stored hash: 64 lowercase hex chars. */
export const HASH_HEX_LENGTH = 64;

/**
 * Stands in for the stored hash when no record was found, so an unknown id costs the same
 * hashing and comparing as a wrong secret.
 */
export const DECOY_HASH = '0'.repeat(HASH_HEX_LENGTH);

// Reused between calls (hashing is synchronous, so no call can interleave) and wiped after use.
const scratch = new Uint8Array(SECRET_LENGTH);

function digestSecret(token: string, secretStart: number): Uint8Array {
  // The secret was checked to be base62, so every char is one ASCII byte.
  for (let i = 0; i < SECRET_LENGTH; i++) scratch[i] = token.charCodeAt(secretStart + i);
  const digest = sha256(scratch);
  scratch.fill(0);
  return digest;
}

/** Lowercase hex SHA-256 of the secret part of a token, as stored in `ApiKeyRecord.secretHash`. */
export function hashSecret(token: string, secretStart: number): string {
  const digest = digestSecret(token, secretStart);
  let out = '';
  for (const b of digest) out += HEX_PAIRS[b] ?? '';
  return out;
}

/**
 * Whether the secret's SHA-256 equals `expectedHex`, comparing every char whatever the
 * outcome (no early exit), so the time taken does not say how much of the hash matched.
 * A stored hash of the wrong length or type compares against a decoy and fails.
 */
export function secretMatches(token: string, secretStart: number, expectedHex: unknown): boolean {
  const digest = digestSecret(token, secretStart);
  const wellFormed = typeof expectedHex === 'string' && expectedHex.length === HASH_HEX_LENGTH;
  const expected = wellFormed ? expectedHex : DECOY_HASH;
  let diff = wellFormed ? 0 : 1;
  for (let i = 0; i < 32; i++) {
    const b = digest[i] ?? 0;
    diff |= (HEX_PAIR_CODES[b * 2] ?? 0) ^ expected.charCodeAt(i * 2);
    diff |= (HEX_PAIR_CODES[b * 2 + 1] ?? 0) ^ expected.charCodeAt(i * 2 + 1);
  }
  return diff === 0;
}
