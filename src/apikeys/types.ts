import type { Instant } from '../instant.js';

/**
 * What the host stores for one API key: a plain JSON object (map it to a table row, see
 * docs/api-keys.md). It holds a SHA-256 hash of the secret and nothing from which the token
 * could be rebuilt. Instants are ISO 8601 UTC strings; absent values are `null`, so the shape
 * is the same for every key and maps to nullable columns.
 *
 * @example
 * ```ts
 * const { token, record } = generateApiKey({ scopes: ['orders:write'], at: now });
 * await db.insert('api_keys', record);      // store the record
 * showOnce(token);                          // give the token to the admin, once
 * ```
 */
export interface ApiKeyRecord {
  /** Public identifier, 12 base62 chars, also the middle part of the token. Unique per key. */
  readonly id: string;
  /** The token's prefix (`sgk` unless you chose another). */
  readonly prefix: string;
  /** Lowercase hex SHA-256 of the token's secret part (64 chars). */
  readonly secretHash: string;
  /** The admin's name for the key ("Shop order sync"), or `null`. */
  readonly label: string | null;
  /** Granted scopes, de-duplicated, in the order given: `read`, `write`, `orders:write`, … */
  readonly scopes: readonly string[];
  /** When the key was generated. */
  readonly createdAt: string;
  /** First instant at which the key no longer works (exclusive end), or `null` for never. */
  readonly expiresAt: string | null;
  /** The key's own IP allowlist (addresses, CIDRs, ranges), or `null` for any address. */
  readonly allowIps: readonly string[] | null;
  /** When the key was revoked, or `null`. A revoked key is refused at every instant. */
  readonly revokedAt: string | null;
  /** Last successful use, as recorded by {@link touchApiKey}, or `null`. */
  readonly lastUsedAt: string | null;
  /** The last few client addresses (most recent first, at most 5), as recorded by `touchApiKey`. */
  readonly lastUsedIps: readonly string[];
  /** The id of the key this one replaced in a rotation, or `null`. */
  readonly rotatedFrom: string | null;
  /** The id of the key that replaced this one in a rotation, or `null`. */
  readonly replacedBy: string | null;
}

/**
 * The part of a workspace policy that API keys read. The `EffectivePolicy` returned by
 * `resolvePolicy` (and the `AccountPolicy` from `parseAccountPolicy`) satisfies it.
 *
 * @example
 * ```ts
 * const policy: ApiKeyPolicy = { api: { ipAllowlist: { enabled: true, allow: ['198.51.100.24'] }, maxKeyLifetimeDays: 365 } };
 * ```
 */
export interface ApiKeyPolicy {
  readonly api: {
    /** The API's own allowlist, independent of the login IP lockdown. */
    readonly ipAllowlist: { readonly enabled: boolean; readonly allow: readonly string[] };
    /** Longest lifetime of a new key, in days (of 24 hours). */
    readonly maxKeyLifetimeDays?: number | undefined;
  };
}

/**
 * One API request, as the host's middleware sees it.
 *
 * @example
 * ```ts
 * const request: ApiKeyRequest = { at: now, ip: '198.51.100.24', scope: 'orders:write' };
 * ```
 */
export interface ApiKeyRequest {
  /** The instant of the request: a Date, an ISO 8601 string with offset, or epoch ms. */
  readonly at: Instant;
  /** The client address (see `resolveClientIp` in `staffgate/net`). */
  readonly ip: string;
  /** The scope this endpoint needs: `read`, `write`, `<resource>:read` or `<resource>:write`. */
  readonly scope: string;
}

/**
 * Why a request was refused.
 *
 * - `key_malformed`: not a token this library issues (shape, alphabet, prefix or checksum).
 * - `key_unknown`: no record, or the record does not belong to this token (wrong secret).
 * - `key_revoked`: the key was revoked.
 * - `key_expired`: the request is at or after the key's `expiresAt`.
 * - `scope_missing`: the key's scopes do not cover the request's scope.
 * - `ip_invalid`: the request's address is not a strict IPv4/IPv6 address.
 * - `ip_not_allowed`: the address is outside the key's allowlist (`source: 'key'`) or the
 *   workspace API allowlist (`source: 'workspace'`).
 * - `request_invalid`: the request's `at` is not an instant or its `scope` is not a scope.
 * - `record_invalid`: the stored record is damaged (a field of the wrong type or an unreadable
 *   instant or allowlist entry); the key is refused until the record is repaired.
 *
 * @example
 * ```ts
 * const status = (code: ApiKeyReasonCode) => (code.startsWith('key_') ? 401 : 403);
 * ```
 */
export type ApiKeyReasonCode =
  | 'key_malformed'
  | 'key_unknown'
  | 'key_revoked'
  | 'key_expired'
  | 'scope_missing'
  | 'ip_invalid'
  | 'ip_not_allowed'
  | 'request_invalid'
  | 'record_invalid';

/**
 * Which rule a reason comes from: the token itself, the key's record, the workspace policy, or the request.
 *
 * @example
 * ```ts
 * const blockedByWorkspace = decision.reasons.some((r) => r.source === 'workspace');
 * ```
 */
export type ApiKeyReasonSource = 'token' | 'key' | 'workspace' | 'request';

/**
 * One reason of an {@link ApiKeyDecision}. Messages never contain the token.
 *
 * @example
 * ```ts
 * for (const r of decision.reasons) log.warn(`${r.code} (${r.source}): ${r.message}`);
 * ```
 */
export interface ApiKeyReason {
  readonly code: ApiKeyReasonCode;
  readonly source: ApiKeyReasonSource;
  readonly message: string;
}

/**
 * The answer of {@link verifyApiKey}. `reasons` is empty when the outcome is `allow`.
 *
 * Token problems (`key_malformed`, `key_unknown`) are reported alone: a caller who cannot
 * prove possession of the key learns nothing about it. Once the secret matches, every other
 * problem is reported together, in the order the checks run: revocation, expiry, the
 * request's instant, scope, then the address (unreadable, the key's list, the workspace list).
 *
 * @example
 * ```ts
 * const d = verifyApiKey(record, token, { at, ip, scope: 'orders:write' }, policy);
 * // { outcome: 'deny', keyId: 'npoZ8ns6MewC',
 * //   reasons: [{ code: 'ip_not_allowed', source: 'workspace', message: '…' }] }
 * ```
 */
export interface ApiKeyDecision {
  readonly outcome: 'allow' | 'deny';
  readonly reasons: readonly ApiKeyReason[];
  /** The id from the token when it was well-formed (safe to log), else `null`. */
  readonly keyId: string | null;
}
