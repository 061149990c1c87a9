import { toEpochMs } from '../instant.js';
import { storedField } from '../stored.js';
import { parseIp } from '../net/index.js';
import { secretMatches } from './hash.js';
import { storedInstantMs } from './instants.js';
import { recordMatcher, workspaceMatcher } from './ip.js';
import { parseScope, scopesCover } from './scopes.js';
import { TOKEN_FAILURE_MESSAGE, splitToken, type TokenFailure } from './token.js';
import type { ApiKeyDecision, ApiKeyPolicy, ApiKeyReason, ApiKeyRecord, ApiKeyRequest } from './types.js';

const NONE: readonly ApiKeyReason[] = Object.freeze([]);

function reason(code: ApiKeyReason['code'], source: ApiKeyReason['source'], message: string): ApiKeyReason {
  return Object.freeze({ code, source, message });
}

const MALFORMED = Object.fromEntries(
  Object.entries(TOKEN_FAILURE_MESSAGE).map(([failure, message]) => [failure, Object.freeze([reason('key_malformed', 'token', message)])]),
) as Record<TokenFailure, readonly ApiKeyReason[]>;
const UNKNOWN = Object.freeze([reason('key_unknown', 'token', 'no API key matches this token')]);
const REVOKED = reason('key_revoked', 'key', 'the API key was revoked');
const EXPIRED = reason('key_expired', 'key', 'the API key has expired');
const SCOPE_MISSING = reason('scope_missing', 'key', "the API key's scopes do not cover this request");
const IP_INVALID = reason('ip_invalid', 'request', 'the client address is not a valid IPv4 or IPv6 address');
const IP_NOT_ALLOWED_KEY = reason('ip_not_allowed', 'key', "the client address is not in the API key's allowlist");
const IP_NOT_ALLOWED_WORKSPACE = reason('ip_not_allowed', 'workspace', "the client address is not in the workspace's API allowlist");
const AT_INVALID = reason('request_invalid', 'request', 'the request instant is not a valid instant');
const SCOPE_INVALID = reason('request_invalid', 'request', 'the requested scope is not read, write, <resource>:read or <resource>:write');
const RECORD_REVOKED_INVALID = reason('record_invalid', 'key', 'the stored record has no revokedAt field (use null)');
const RECORD_EXPIRES_INVALID = reason('record_invalid', 'key', 'the stored expiresAt is not null or an instant');
const RECORD_SCOPES_INVALID = reason('record_invalid', 'key', 'the stored scopes are not an array');
const UNREADABLE = Object.freeze([reason('request_invalid', 'request', 'the request or the stored record could not be read')]);
const RECORD_IPS_INVALID = reason('record_invalid', 'key', 'the stored allowIps is not null or a list of valid entries');

/**
 * Decides whether an API request may go ahead. Synchronous and pure: it hashes the token's
 * secret (SHA-256), compares it in constant time with the record's hash, then checks
 * revocation, expiry, scope, the key's own IP allowlist and the workspace's API allowlist
 * (`policy.api.ipAllowlist`, independent of the login lockdown).
 *
 * Pass the record you looked up by the token's id (see {@link parseApiKey}), or `undefined`
 * when there is none. Request input (token, ip, scope, at) never throws: every problem is a
 * `deny` with a reason. Only a policy that is not a valid policy throws (settings error).
 *
 * @example
 * ```ts
 * const parsed = parseApiKey(token);
 * const record = parsed.ok ? await db.findApiKey(parsed.id) : undefined;
 * const decision = verifyApiKey(record, token, { at: now, ip: clientIp, scope: 'orders:write' }, policy);
 * if (decision.outcome === 'deny') return reply(401, decision.reasons.map((r) => r.code));
 * ```
 */
export function verifyApiKey(
  record: ApiKeyRecord | null | undefined,
  token: string,
  request: ApiKeyRequest,
  policy?: ApiKeyPolicy,
): ApiKeyDecision {
  // Settings first, so a bad policy fails the same way whatever the request holds.
  const workspace = workspaceMatcher(policy);
  try {
    return decide(record, token, request, workspace);
  } catch {
    // A getter or proxy in the request or the record that throws: refuse, never throw.
    return { outcome: 'deny', reasons: UNREADABLE, keyId: null };
  }
}

function decide(record: ApiKeyRecord | null | undefined, token: string, request: ApiKeyRequest, workspace: ReturnType<typeof workspaceMatcher>): ApiKeyDecision {
  const parts = splitToken(token);
  if (typeof parts === 'string') return { outcome: 'deny', reasons: MALFORMED[parts], keyId: null };

  // One read of each field the decision needs (see storedField: a polluted prototype does not
  // fill a missing column).
  const rec = typeof record === 'object' && record !== null ? readRecord(record) : null;
  // Hash and compare even without a record, so an unknown id takes as long as a wrong secret.
  const secretOk = secretMatches(token, parts.secretStart, rec?.secretHash);
  if (rec === null || !secretOk || rec.id !== parts.id || rec.prefix !== parts.prefix) {
    return { outcome: 'deny', reasons: UNKNOWN, keyId: parts.id };
  }

  // The caller holds the key: report every remaining problem at once.
  const reasons: ApiKeyReason[] = [];
  const req = readRequest(request);

  // Every field must be present (null means none): a column the host forgot to store must
  // not silently lift a restriction. Any other revokedAt, even unreadable, means revoked.
  if (rec.revokedAt === undefined) reasons.push(RECORD_REVOKED_INVALID);
  else if (rec.revokedAt !== null) reasons.push(REVOKED);

  const at = toEpochMs(req.at);
  if (rec.expiresAt !== null) {
    const expiresAt = storedInstantMs(rec.expiresAt);
    if (Number.isNaN(expiresAt)) reasons.push(RECORD_EXPIRES_INVALID); // also a missing field
    else if (at >= expiresAt) reasons.push(EXPIRED);
  }
  if (Number.isNaN(at)) reasons.push(AT_INVALID);

  const scope = parseScope(req.scope);
  if (scope === null) reasons.push(SCOPE_INVALID);
  else if (!Array.isArray(rec.scopes)) reasons.push(RECORD_SCOPES_INVALID);
  else if (!scopesCover(rec.scopes as readonly unknown[], scope)) reasons.push(SCOPE_MISSING);

  // The matchers read the raw text themselves (unreadable text is never contained), so the
  // address is parsed on its own only when no list looked at it or one refused it: to tell an
  // unreadable address (ip_invalid) from a refused one.
  const ipText = typeof req.ip === 'string' ? req.ip : '';
  const hasOwn = rec.allowIps !== null;
  const own = hasOwn ? recordMatcher(rec.allowIps) : null;
  const ownAllows = !hasOwn || (own !== null && own.contains(ipText));
  const workspaceAllows = workspace === null || workspace.contains(ipText);
  if ((!hasOwn && workspace === null) || !ownAllows || !workspaceAllows) {
    if (!parseIp(ipText).ok) {
      reasons.push(IP_INVALID);
    } else {
      if (hasOwn && own === null) reasons.push(RECORD_IPS_INVALID);
      else if (!ownAllows) reasons.push(IP_NOT_ALLOWED_KEY);
      if (!workspaceAllows) reasons.push(IP_NOT_ALLOWED_WORKSPACE);
    }
  }

  return reasons.length === 0 ? { outcome: 'allow', reasons: NONE, keyId: parts.id } : { outcome: 'deny', reasons, keyId: parts.id };
}

function readRequest(request: unknown): { at: unknown; ip: unknown; scope: unknown } {
  if (typeof request !== 'object' || request === null) return { at: undefined, ip: undefined, scope: undefined };
  const r = request as Partial<Record<keyof ApiKeyRequest, unknown>>;
  return { at: r.at, ip: r.ip, scope: r.scope };
}

function readRecord(record: object) {
  return {
    id: storedField(record, 'id'),
    prefix: storedField(record, 'prefix'),
    secretHash: storedField(record, 'secretHash'),
    scopes: storedField(record, 'scopes'),
    expiresAt: storedField(record, 'expiresAt'),
    allowIps: storedField(record, 'allowIps'),
    revokedAt: storedField(record, 'revokedAt'),
  } satisfies Partial<Record<keyof ApiKeyRecord, unknown>>;
}
