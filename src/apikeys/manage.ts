// Issuing keys and the pure state changes a host applies to a stored record.
import { requireOptionsObject, StaffgateError } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { storedField } from '../stored.js';
import { parseIp } from '../net/index.js';
import { hashSecret } from './hash.js';
import { compileChecked } from './ip.js';
import { isValidScope } from './scopes.js';
import { CHECKSUM_LENGTH, DEFAULT_PREFIX, ID_LENGTH, SECRET_LENGTH, formatToken, isValidPrefix, randomBase62 } from './token.js';
import type { ApiKeyPolicy, ApiKeyRecord } from './types.js';

const DAY_MS = 86_400_000;
const MAX_SCOPES = 64;
const MAX_LABEL_LENGTH = 200;
const LAST_USED_IPS = 5;
/**
 * Default overlap of {@link rotateApiKey}: the old key keeps working for 24 hours.
 *
 * @example
 * ```ts
 * rotateApiKey(record, { at, overlapSeconds: DEFAULT_ROTATION_OVERLAP_SECONDS * 7 }); // a week
 * ```
 */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400;

type Path = readonly (string | number)[];

/**
 * Options of {@link generateApiKey}. Unknown options are refused (a misspelt `expiresAt` must
 * not issue a key that never expires).
 *
 * @example
 * ```ts
 * const options: GenerateApiKeyOptions = { scopes: ['orders:write'], at: now, expiresAt: inSixMonths, allowIps: ['198.51.100.24'] };
 * ```
 */
export interface GenerateApiKeyOptions {
  /** What the key may do: `read`, `write`, `<resource>:read`, `<resource>:write`. At least one. */
  readonly scopes: readonly string[];
  /** The instant of issue (becomes `createdAt`). */
  readonly at: Instant;
  /** When the key stops working (exclusive). Omitted or `null`: never, unless a lifetime cap applies. */
  readonly expiresAt?: Instant | null | undefined;
  /** The key's own allowlist: addresses, CIDRs, `start-end` ranges. Omitted or `null` allows every address. */
  readonly allowIps?: readonly string[] | null | undefined;
  /** Token prefix for secret scanners, e.g. `acme` or `acme_live`. Default `sgk`. */
  readonly prefix?: string | undefined;
  /** The admin's name for the key. */
  readonly label?: string | null | undefined;
  /** Longest allowed lifetime in days (of 24 h). The smaller of this and the policy's cap applies. */
  readonly maxLifetimeDays?: number | undefined;
  /** The workspace policy; its `api.maxKeyLifetimeDays` caps the lifetime. */
  readonly policy?: ApiKeyPolicy | undefined;
}

/**
 * A newly issued key: show `token` to the admin once, store `record`.
 *
 * @example
 * ```ts
 * const { token, record }: IssuedApiKey = generateApiKey({ scopes: ['read'], at: now });
 * ```
 */
export interface IssuedApiKey {
  readonly token: string;
  readonly record: ApiKeyRecord;
}

const GENERATE_KEYS = new Set(['scopes', 'at', 'expiresAt', 'allowIps', 'prefix', 'label', 'maxLifetimeDays', 'policy']);

/**
 * Issues a new API key: a token of the form `<prefix>_<id>_<secret+checksum>` with 131 random
 * bits of secret, and the record to store (which holds only a SHA-256 hash of the secret).
 * Bad options throw a {@link StaffgateError} naming the option; an expiry beyond the lifetime
 * cap (or no expiry while a cap applies) throws `key_lifetime_exceeded`.
 *
 * @example
 * ```ts
 * const { token, record } = generateApiKey({
 *   scopes: ['orders:write'],
 *   at: '2025-03-01T09:00:00Z',
 *   expiresAt: '2025-09-01T00:00:00Z',
 *   allowIps: ['198.51.100.24'],
 *   label: 'Shop order sync',
 *   prefix: 'acme',
 *   policy,                      // api.maxKeyLifetimeDays: 365
 * });
 * // token: "acme_3fK9x0bQ2LmZ_…", shown once; record: stored
 * ```
 */
export function generateApiKey(options: GenerateApiKeyOptions): IssuedApiKey {
  const o = checkOptionsObject(options, GENERATE_KEYS);
  const at = instantOption(o.at, ['at']);
  const scopes = scopesOption(o.scopes);
  const expiresAt = o.expiresAt === undefined || o.expiresAt === null ? null : instantOption(o.expiresAt, ['expiresAt']);
  if (expiresAt !== null && expiresAt <= at) {
    throw new StaffgateError('invalid_option', 'must be after `at`', { path: ['expiresAt'] });
  }
  checkLifetime(at, expiresAt, lifetimeCap(o.maxLifetimeDays, o.policy));
  const allowIps = allowIpsOption(o.allowIps);
  const prefix = prefixOption(o.prefix);
  const label = labelOption(o.label);
  return issue({ at, expiresAt, scopes, allowIps, prefix, label, rotatedFrom: null });
}

interface IssueFields {
  readonly at: number;
  readonly expiresAt: number | null;
  readonly scopes: readonly string[];
  readonly allowIps: readonly string[] | null;
  readonly prefix: string;
  readonly label: string | null;
  readonly rotatedFrom: string | null;
}

function issue(f: IssueFields): IssuedApiKey {
  const random = randomSource();
  const id = randomBase62(ID_LENGTH, random);
  const secret = randomBase62(SECRET_LENGTH, random);
  if (id === null || secret === null) {
    throw new StaffgateError('crypto_unavailable', 'globalThis.crypto.getRandomValues returns unusable bytes: the random source looks broken');
  }
  const token = formatToken(f.prefix, id, secret);
  const secretHash = hashSecret(token, token.length - SECRET_LENGTH - CHECKSUM_LENGTH);
  const record: ApiKeyRecord = {
    id,
    prefix: f.prefix,
    secretHash,
    label: f.label,
    scopes: f.scopes,
    createdAt: isoOf(f.at),
    expiresAt: f.expiresAt === null ? null : isoOf(f.expiresAt, ['expiresAt']),
    allowIps: f.allowIps,
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIps: [],
    rotatedFrom: f.rotatedFrom,
    replacedBy: null,
  };
  return { token, record };
}

/**
 * Options of {@link rotateApiKey}. Unknown options are refused.
 *
 * @example
 * ```ts
 * const options: RotateApiKeyOptions = { at: now, overlapSeconds: 3600, policy };
 * ```
 */
export interface RotateApiKeyOptions {
  /** The instant of the rotation (the new key's `createdAt`). */
  readonly at: Instant;
  /** How long the old key keeps working, in seconds. Default 86 400 (24 hours); `0` ends it now. */
  readonly overlapSeconds?: number | undefined;
  /** The new key's expiry. Default: the old key's lifetime again, counted from `at` (or none). */
  readonly expiresAt?: Instant | null | undefined;
  /** Longest allowed lifetime in days, as in {@link generateApiKey}. */
  readonly maxLifetimeDays?: number | undefined;
  /** The workspace policy; its `api.maxKeyLifetimeDays` caps the new key's lifetime. */
  readonly policy?: ApiKeyPolicy | undefined;
}

/**
 * The result of a rotation: the new key (token shown once) and the old record to store back.
 *
 * @example
 * ```ts
 * const { token, record, previous }: RotatedApiKey = rotateApiKey(oldRecord, { at: now });
 * ```
 */
export interface RotatedApiKey extends IssuedApiKey {
  /** The old record, now expiring at the end of the overlap and naming its successor. */
  readonly previous: ApiKeyRecord;
}

const ROTATE_KEYS = new Set(['at', 'overlapSeconds', 'expiresAt', 'maxLifetimeDays', 'policy']);

/**
 * Replaces a key with a new one of the same scopes, allowlist, label and prefix. The old key
 * keeps working until the end of the overlap (its expiry is brought forward, never pushed
 * back), so the external app can switch without downtime. Store both returned records.
 *
 * @example
 * ```ts
 * const { token, record, previous } = rotateApiKey(oldRecord, { at: now, overlapSeconds: 3600 });
 * await db.update('api_keys', previous);   // old key: works for one more hour
 * await db.insert('api_keys', record);     // new key
 * showOnce(token);
 * ```
 */
export function rotateApiKey(record: ApiKeyRecord, options: RotateApiKeyOptions): RotatedApiKey {
  const o = checkOptionsObject(options, ROTATE_KEYS);
  const at = instantOption(o.at, ['at']);
  const overlap = o.overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS;
  if (typeof overlap !== 'number' || !Number.isFinite(overlap) || overlap < 0) {
    throw new StaffgateError('invalid_option', 'expected a number of seconds, 0 or more', { path: ['overlapSeconds'] });
  }
  const old = recordFields(record);
  // A key already replaced has a successor: rotating it again would fork a second live key
  // (a double-submitted form) that nobody holds the token of.
  if (old.replacedBy !== null) {
    throw new StaffgateError('invalid_option', 'this key was already rotated; rotate its successor instead', { path: ['record', 'replacedBy'] });
  }
  if (old.revokedAt !== null) {
    throw new StaffgateError('invalid_option', 'a revoked key cannot be rotated; generate a new key instead', { path: ['record', 'revokedAt'] });
  }
  // Rotation hands the old key's access to a new secret: a key that has expired has none left
  // to hand on, and rotating it would bring a forgotten key back to life.
  if (old.expiresAt !== null && old.expiresAt <= at) {
    throw new StaffgateError('invalid_option', 'an expired key cannot be rotated; generate a new key instead', { path: ['record', 'expiresAt'] });
  }
  let expiresAt: number | null;
  if (o.expiresAt === undefined) {
    expiresAt = old.expiresAt === null ? null : at + Math.max(1, old.expiresAt - old.createdAt);
  } else {
    expiresAt = o.expiresAt === null ? null : instantOption(o.expiresAt, ['expiresAt']);
    if (expiresAt !== null && expiresAt <= at) {
      throw new StaffgateError('invalid_option', 'must be after `at`', { path: ['expiresAt'] });
    }
  }
  checkLifetime(at, expiresAt, lifetimeCap(o.maxLifetimeDays, o.policy));
  const issued = issue({
    at,
    expiresAt,
    scopes: old.scopes,
    allowIps: old.allowIps,
    prefix: old.prefix,
    label: old.label,
    rotatedFrom: old.id,
  });
  const overlapEnd = at + Math.round(overlap * 1000);
  const oldEnd = old.expiresAt === null ? overlapEnd : Math.min(old.expiresAt, overlapEnd);
  const previous: ApiKeyRecord = { ...record, expiresAt: isoOf(oldEnd, ['overlapSeconds']), replacedBy: issued.record.id };
  return { ...issued, previous };
}

/**
 * Marks a key revoked. A revoked key is refused at every instant, also ones before `at`
 * (revocation is not a time-travel rule). Revoking twice keeps the first instant.
 *
 * @example
 * ```ts
 * await db.update('api_keys', revokeApiKey(record, { at: now }));
 * ```
 */
export function revokeApiKey(record: ApiKeyRecord, options: { readonly at: Instant }): ApiKeyRecord {
  checkRecordObject(record);
  const o = checkOptionsObject(options, null);
  const at = instantOption(o.at, ['at']);
  if (record.revokedAt !== null && Number.isFinite(toEpochMs(record.revokedAt))) return record;
  return { ...record, revokedAt: isoOf(at) };
}

/**
 * Records a successful use: `lastUsedAt` (never moved backwards) and the client address at
 * the front of `lastUsedIps` (at most 5, most recent first, in normalised form). An address
 * that is not valid is not recorded; it never throws for the address.
 *
 * @example
 * ```ts
 * const decision = verifyApiKey(record, token, request, policy);
 * if (decision.outcome === 'allow') queueWrite(touchApiKey(record, request)); // request: { at, ip, scope }
 * ```
 */
export function touchApiKey(record: ApiKeyRecord, options: { readonly at: Instant; readonly ip: string }): ApiKeyRecord {
  checkRecordObject(record);
  // Extra fields are fine here (pass the verify request as is): nothing can be dropped by a typo.
  const o = checkOptionsObject(options, null);
  const at = instantOption(o.at, ['at']);
  const previous = record.lastUsedAt === null ? Number.NaN : toEpochMs(record.lastUsedAt);
  const lastUsedAt = Number.isFinite(previous) && previous >= at ? record.lastUsedAt : isoOf(at);
  const parsed = typeof o.ip === 'string' ? parseIp(o.ip) : null;
  const stored: unknown = record.lastUsedIps;
  const before: readonly string[] = Array.isArray(stored) ? stored.filter((ip): ip is string => typeof ip === 'string') : [];
  let lastUsedIps = before;
  if (parsed?.ok === true) {
    lastUsedIps = [parsed.address, ...before.filter((ip) => ip !== parsed.address)].slice(0, LAST_USED_IPS);
  }
  return { ...record, lastUsedAt, lastUsedIps };
}

// --- options ------------------------------------------------------------------------------

function checkRecordObject(record: ApiKeyRecord): void {
  if (typeof record !== 'object' || (record as unknown) === null) {
    throw new StaffgateError('invalid_option', 'expected an API key record', { path: ['record'] });
  }
}

function checkOptionsObject<T extends object>(options: T, known: ReadonlySet<string> | null): T {
  requireOptionsObject(options);
  if (known === null) return options;
  for (const key of Object.keys(options)) {
    // A misspelt option (`expiry`, `allowIp`) would silently drop a restriction: refuse it.
    if (!known.has(key)) throw new StaffgateError('invalid_option', `unknown option "${key}"`, { path: [key] });
  }
  return options;
}

function instantOption(value: unknown, path: Path): number {
  const ms = toEpochMs(value);
  if (!Number.isFinite(ms)) {
    throw new StaffgateError('invalid_instant', 'expected a Date, an ISO 8601 string with Z or an offset, or epoch milliseconds', { path });
  }
  return ms;
}

function scopesOption(value: unknown): readonly string[] {
  if (!Array.isArray(value)) throw new StaffgateError('invalid_option', 'expected an array of scopes', { path: ['scopes'] });
  const list = value as readonly unknown[];
  if (list.length === 0) throw new StaffgateError('invalid_option', 'a key needs at least one scope', { path: ['scopes'] });
  if (list.length > MAX_SCOPES) throw new StaffgateError('invalid_option', `at most ${MAX_SCOPES} scopes`, { path: ['scopes'] });
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const scope = list[i];
    if (!isValidScope(scope)) {
      throw new StaffgateError('invalid_option', 'expected "read", "write", "<resource>:read" or "<resource>:write" (resource: lowercase a-z, 0-9, _ . -)', {
        path: ['scopes', i],
      });
    }
    if (!out.includes(scope)) out.push(scope);
  }
  return out;
}

function allowIpsOption(value: unknown): readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw new StaffgateError('invalid_option', 'expected an array of IP entries or null', { path: ['allowIps'] });
  const list = value as readonly unknown[];
  if (list.length === 0) {
    throw new StaffgateError('invalid_option', 'an empty allowlist would refuse every address; pass null for any address', { path: ['allowIps'] });
  }
  compileChecked(list, ['allowIps']);
  return [...(list as readonly string[])];
}

function prefixOption(value: unknown): string {
  if (value === undefined) return DEFAULT_PREFIX;
  if (typeof value !== 'string' || !isValidPrefix(value)) {
    throw new StaffgateError('invalid_option', 'expected 1–32 chars: lowercase letters, digits and single underscores, starting with a letter', {
      path: ['prefix'],
    });
  }
  return value;
}

function labelOption(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > MAX_LABEL_LENGTH) {
    throw new StaffgateError('invalid_option', `expected a string of at most ${MAX_LABEL_LENGTH} chars`, { path: ['label'] });
  }
  return value;
}

function lifetimeCap(maxLifetimeDays: unknown, policy: ApiKeyPolicy | undefined): number | null {
  let cap: number | null = null;
  if (maxLifetimeDays !== undefined) cap = daysOption(maxLifetimeDays, ['maxLifetimeDays']);
  if (policy !== undefined) {
    const fromPolicy = (policy as { api?: { maxKeyLifetimeDays?: unknown } }).api?.maxKeyLifetimeDays;
    if (fromPolicy !== undefined) {
      const ms = daysOption(fromPolicy, ['policy', 'api', 'maxKeyLifetimeDays']);
      cap = cap === null ? ms : Math.min(cap, ms);
    }
  }
  return cap;
}

function daysOption(value: unknown, path: Path): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StaffgateError('invalid_option', 'expected a number of days greater than 0', { path });
  }
  return value * DAY_MS;
}

function checkLifetime(at: number, expiresAt: number | null, capMs: number | null): void {
  if (capMs === null) return;
  const days = capMs / DAY_MS;
  if (expiresAt === null) {
    throw new StaffgateError('key_lifetime_exceeded', `keys must expire within ${days} days; pass an expiresAt`, { path: ['expiresAt'] });
  }
  if (expiresAt - at > capMs) {
    const latest = at + capMs >= FIRST_STORABLE_MS && at + capMs <= LAST_STORABLE_MS ? ` (${isoOf(at + capMs)})` : '';
    throw new StaffgateError('key_lifetime_exceeded', `must be at most ${days} days after \`at\`${latest}`, { path: ['expiresAt'] });
  }
}

interface OldFields {
  readonly id: string;
  readonly prefix: string;
  readonly scopes: readonly string[];
  readonly allowIps: readonly string[] | null;
  readonly label: string | null;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: string | null;
  readonly replacedBy: unknown;
}

/** Reads the fields a rotation copies, throwing for a record that could not have been issued. */
function recordFields(record: ApiKeyRecord): OldFields {
  const bad = (field: string, message: string): never => {
    throw new StaffgateError('invalid_option', message, { path: ['record', field] });
  };
  if (typeof record !== 'object' || (record as unknown) === null) bad('id', 'expected an API key record');
  if (typeof record.id !== 'string' || record.id.length !== ID_LENGTH) bad('id', 'not an API key id');
  if (typeof record.prefix !== 'string' || !isValidPrefix(record.prefix)) bad('prefix', 'not a valid prefix');
  if (!Array.isArray(record.scopes) || record.scopes.length === 0 || !record.scopes.every(isValidScope)) bad('scopes', 'expected valid scopes');
  let allowIps: readonly string[] | null = null;
  if (record.allowIps !== null) {
    if (!Array.isArray(record.allowIps) || record.allowIps.length === 0) bad('allowIps', 'expected null or a non-empty array');
    compileChecked(record.allowIps, ['record', 'allowIps']);
    allowIps = [...record.allowIps];
  }
  if (record.label !== null && typeof record.label !== 'string') bad('label', 'expected a string or null');
  const createdAt = toEpochMs(record.createdAt);
  if (!Number.isFinite(createdAt)) bad('createdAt', 'not an instant');
  const expiresAt = record.expiresAt === null ? null : toEpochMs(record.expiresAt);
  if (expiresAt !== null && !Number.isFinite(expiresAt)) bad('expiresAt', 'not an instant');
  return {
    id: record.id,
    prefix: record.prefix,
    scopes: [...record.scopes],
    allowIps,
    label: record.label,
    createdAt,
    expiresAt,
    revokedAt: record.revokedAt,
    // Missing (an older row) reads as not replaced; anything else set means replaced.
    replacedBy: storedField(record, 'replacedBy') ?? null,
  };
}

function randomSource(): (bytes: Uint8Array<ArrayBuffer>) => void {
  const c = (globalThis as { crypto?: { getRandomValues?: unknown } }).crypto;
  if (c === undefined || typeof c.getRandomValues !== 'function') {
    throw new StaffgateError('crypto_unavailable', 'this runtime has no globalThis.crypto.getRandomValues');
  }
  const webCrypto = c as Crypto;
  return (bytes) => {
    webCrypto.getRandomValues(bytes);
  };
}

// Records are read back with the ISO 8601 parser, which takes four-digit years only: an
// instant outside 0000–9999 would be written as `+010000-…` and make the record unreadable
// (a key dead on issue, or an old key cut off at once instead of overlapping).
const FIRST_STORABLE_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const LAST_STORABLE_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/** ISO text of an instant computed from options; one the record could not hold is an option error. */
function isoOf(ms: number, path: Path = ['at']): string {
  if (!(ms >= FIRST_STORABLE_MS && ms <= LAST_STORABLE_MS)) {
    throw new StaffgateError('invalid_option', 'the resulting instant is outside the years 0000–9999 a record can hold', { path });
  }
  return new Date(ms).toISOString();
}
