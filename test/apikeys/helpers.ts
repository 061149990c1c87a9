import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { expect } from 'vitest';
import { StaffgateError } from '../../src/errors.js';
import type { ApiKeyDecision, ApiKeyPolicy, ApiKeyRequest } from 'staffgate/apikeys';

export const AT = '2025-03-01T09:00:00Z';
export const AT_MS = Date.parse(AT);
export const DAY = 86_400_000;
export const APP_SERVER = '198.51.100.24';
export const ELSEWHERE = '203.0.113.99';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Builds a token with a correct checksum from its parts, following the format documented in
 * docs/api-keys.md (CRC-32 as zlib computes it, six base62 digits). Lets tests present a known
 * id with a wrong secret, which parseApiKey accepts and only verifyApiKey can refuse.
 */
export function forgeToken(prefix: string, id: string, secret: string): string {
  const body = `${prefix}_${id}_${secret}`;
  let n = crc32(body);
  let checksum = '';
  for (let i = 0; i < 6; i++) {
    checksum = BASE62.charAt(n % 62) + checksum;
    n = Math.floor(n / 62);
  }
  return body + checksum;
}

/** The secret part of a token (22 chars before the 6-char checksum). */
export function secretOf(token: string): string {
  return token.slice(-28, -6);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'ascii').digest('hex');
}

export function request(overrides: Partial<ApiKeyRequest> = {}): ApiKeyRequest {
  return { at: AT_MS + DAY, ip: APP_SERVER, scope: 'orders:write', ...overrides };
}

export function workspace(enabled: boolean, allow: readonly string[], extra: Record<string, unknown> = {}): ApiKeyPolicy {
  return { ...extra, api: { ipAllowlist: { enabled, allow } } };
}

/** The reason codes of a decision, with their sources: `ip_not_allowed@workspace`. */
export function codes(decision: ApiKeyDecision): string[] {
  return decision.reasons.map((r) => `${r.code}@${r.source}`);
}

/** Runs `fn`, expecting a StaffgateError with this code and path. */
export function expectError(fn: () => unknown, code: string, path: readonly (string | number)[]): StaffgateError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StaffgateError);
  const err = caught as StaffgateError;
  expect({ code: err.code, path: err.path }).toEqual({ code, path });
  return err;
}
