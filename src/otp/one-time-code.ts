import { NobleCryptoPlugin } from 'otplib';
import { requireOptionsObject, StaffgateError } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { storedField } from '../stored.js';
import { constantTimeEqual, fromHex, randomBytes, randomDigits, toHex } from './bytes.js';

const DEFAULT_TTL_SECONDS = 600;
const MAX_TTL_SECONDS = 3600;
const DEFAULT_DIGITS = 6;
const MIN_DIGITS = 6;
const MAX_DIGITS = 10;
const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_ATTEMPTS = 10;
const MAX_ATTEMPT_ID_CHARS = 256;
const SALT_BYTES = 16;
// The last instant whose ISO 8601 text has a four-digit year, which `toEpochMs` reads back.
const LAST_STORABLE_MS = 253_402_300_799_999;
const HASH_DOMAIN = 'staffgate/one-time-code/v1';

const hmac = /* @__PURE__ */ new NobleCryptoPlugin();
const utf8 = /* @__PURE__ */ new TextEncoder();

const SALT_SHAPE = /^[0-9a-f]{32}$/;
const HASH_SHAPE = /^[0-9a-f]{64}$/;

/**
 * Where a one-time code is sent. The host sends it; staffgate never does I/O.
 *
 * @example
 * ```ts
 * const channel: OneTimeCodeChannel = member.phone ? 'sms' : 'email';
 * ```
 */
export type OneTimeCodeChannel = 'email' | 'sms';

/**
 * Which login step a one-time code proves. The e-mailed code every password login needs
 * (`email_code`) and the `email` second factor are different steps: a code issued for one
 * never satisfies the other.
 *
 * @example
 * ```ts
 * const purpose: OneTimeCodePurpose = attempt.method === 'password' ? 'email_code' : 'second_factor';
 * ```
 */
export type OneTimeCodePurpose = 'email_code' | 'second_factor';

/**
 * Input of {@link issueOneTimeCode}.
 *
 * @example
 * ```ts
 * const input: IssueOneTimeCodeInput = { channel: 'sms', attemptId: attempt.id, at: now, ttlSeconds: 300 };
 * ```
 */
export interface IssueOneTimeCodeInput {
  /** `email` or `sms`. */
  channel: OneTimeCodeChannel;
  /** Instant of issue: a Date, an ISO 8601 string with offset, or epoch ms (1970 to 9999). */
  at: Instant;
  /** The login attempt the code is bound to (1 to 256 characters); verification must name it again. */
  attemptId: string;
  /** Default `second_factor`; `email_code` is the password login's mandatory e-mailed code (channel `email` only). */
  purpose?: OneTimeCodePurpose;
  /** Lifetime in seconds, 1 to 3600; default 600 (10 minutes). */
  ttlSeconds?: number;
  /** Code length, 6 to 10 digits; default 6. */
  digits?: number;
  /** Codes that may be tried before the challenge is dead, 1 to 10; default 5. */
  maxAttempts?: number;
}

/**
 * The record the host stores for a sent one-time code: plain JSON, no code in it. Treat it as
 * opaque; replace it with the `challenge` each verification returns.
 *
 * @example
 * ```ts
 * const stored: OneTimeCodeChallenge = JSON.parse(row.challenge_json);
 * ```
 */
export interface OneTimeCodeChallenge {
  /** Record format; only `1` exists. */
  readonly version: 1;
  readonly channel: OneTimeCodeChannel;
  readonly purpose: OneTimeCodePurpose;
  /** The login attempt the code was issued for. */
  readonly attemptId: string;
  /** Length of the code. */
  readonly digits: number;
  /** ISO 8601 UTC instant of issue. */
  readonly issuedAt: string;
  /** ISO 8601 UTC instant from which the code no longer verifies. */
  readonly expiresAt: string;
  /** Tries left; each verification that compares a code uses one. */
  readonly attemptsLeft: number;
  /** ISO 8601 UTC instant the code was accepted, `null` until then. A used code never verifies again. */
  readonly usedAt: string | null;
  /** Random 16-byte salt, lowercase hex. */
  readonly salt: string;
  /** HMAC-SHA-256 of the code keyed with `salt`, bound to purpose, channel and attempt; lowercase hex. */
  readonly hash: string;
}

/**
 * Result of {@link issueOneTimeCode}: send `code`, store `challenge`, never store `code`.
 *
 * @example
 * ```ts
 * const { code, challenge }: IssuedOneTimeCode = issueOneTimeCode({ channel: 'email', attemptId: 'a-1', at: now });
 * ```
 */
export interface IssuedOneTimeCode {
  /** The digits to send by e-mail or SMS. */
  code: string;
  /** The record to store until the code is used, expires or runs out of tries. */
  challenge: OneTimeCodeChallenge;
}

/**
 * Options of {@link verifyOneTimeCode}.
 *
 * @example
 * ```ts
 * const options: VerifyOneTimeCodeOptions = { at: now, attemptId: attempt.id, purpose: 'email_code' };
 * ```
 */
export interface VerifyOneTimeCodeOptions {
  /** Instant of the verification. */
  at: Instant;
  /** The login attempt in progress; a code issued for another attempt is refused. */
  attemptId: string;
  /** The step being proved; default `second_factor`. Must match the purpose the code was issued for. */
  purpose?: OneTimeCodePurpose;
}

/**
 * Why {@link verifyOneTimeCode} refused a code. Codes marked * use up one try.
 *
 * - `challenge_invalid`: the stored record is not a challenge this version wrote (corrupt, edited).
 * - `instant_invalid`: `at` is not a valid instant, or is before 1970.
 * - `code_already_used`: the code was accepted before; a code verifies once.
 * - `code_expired`: `at` is at or after `expiresAt`.
 * - `attempts_exhausted`: no tries left.
 * - `attempt_mismatch`*: the code was issued for another login attempt.
 * - `purpose_mismatch`*: the code was issued for another step (login code vs second factor).
 * - `code_malformed`: not exactly `digits` ASCII digits (no try used: it cannot match).
 * - `code_invalid`*: wrong code.
 *
 * @example
 * ```ts
 * const r = verifyOneTimeCode(stored, typed, options);
 * if (!r.ok && r.reason === 'code_expired') offerToResend();
 * ```
 */
export type OneTimeCodeReasonCode =
  | 'challenge_invalid'
  | 'instant_invalid'
  | 'code_already_used'
  | 'code_expired'
  | 'attempts_exhausted'
  | 'attempt_mismatch'
  | 'purpose_mismatch'
  | 'code_malformed'
  | 'code_invalid';

/**
 * The login step a verified one-time code completes, as `LoginAttempt.verified` spells it.
 *
 * @example
 * ```ts
 * if (r.ok) attempt.verified.push(r.verified satisfies OneTimeCodeStep);
 * ```
 */
export type OneTimeCodeStep = 'email_code' | 'email' | 'sms';

/**
 * Result of {@link verifyOneTimeCode}. Always store `challenge`: it is the next state.
 *
 * @example
 * ```ts
 * const r: OneTimeCodeVerification = verifyOneTimeCode(stored, typed, options);
 * await db.saveChallenge(attempt.id, r.challenge);
 * ```
 */
export type OneTimeCodeVerification =
  | { ok: true; verified: OneTimeCodeStep; challenge: OneTimeCodeChallenge }
  | { ok: false; reason: OneTimeCodeReasonCode; challenge: OneTimeCodeChallenge };

/**
 * Creates a one-time code to send by e-mail or SMS and the challenge record to store. The code
 * is uniformly random digits from `crypto.getRandomValues` (no modulo bias); the record keeps
 * only a salted HMAC-SHA-256 of it, the expiry, the channel, the purpose, a try budget and
 * the login attempt it is bound to.
 *
 * Every input here comes from the host, not from the person logging in, so a bad one is a
 * programming error and throws {@link StaffgateError}: `invalid_instant` for `at`,
 * `invalid_option` for the rest (the path names the field); `crypto_unavailable` without a
 * random source.
 *
 * @example
 * ```ts
 * import { issueOneTimeCode } from 'staffgate/otp';
 *
 * const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code',
 *                                                attemptId: attempt.id, at: now });
 * await mailer.send(member.email, `Your login code is ${code}. It expires in 10 minutes.`);
 * await db.saveChallenge(attempt.id, challenge);   // JSON; holds no code
 * ```
 */
export function issueOneTimeCode(input: IssueOneTimeCodeInput): IssuedOneTimeCode {
  requireOptionsObject(input);
  const channel: unknown = input.channel;
  if (channel !== 'email' && channel !== 'sms') {
    throw new StaffgateError('invalid_option', 'must be "email" or "sms"', { path: ['channel'] });
  }
  const purpose: unknown = input.purpose ?? 'second_factor';
  if (purpose !== 'email_code' && purpose !== 'second_factor') {
    throw new StaffgateError('invalid_option', 'must be "email_code" or "second_factor"', { path: ['purpose'] });
  }
  if (purpose === 'email_code' && channel !== 'email') {
    throw new StaffgateError('invalid_option', 'the login code (email_code) is sent by e-mail only', { path: ['purpose'] });
  }
  const attemptId: unknown = input.attemptId;
  if (typeof attemptId !== 'string' || attemptId.length === 0 || attemptId.length > MAX_ATTEMPT_ID_CHARS) {
    throw new StaffgateError('invalid_option', `must be a string of 1 to ${MAX_ATTEMPT_ID_CHARS} characters`, { path: ['attemptId'] });
  }
  const ttl = integerOption(input.ttlSeconds, DEFAULT_TTL_SECONDS, 1, MAX_TTL_SECONDS, 'ttlSeconds');
  const digits = integerOption(input.digits, DEFAULT_DIGITS, MIN_DIGITS, MAX_DIGITS, 'digits');
  const attempts = integerOption(input.maxAttempts, DEFAULT_MAX_ATTEMPTS, 1, MAX_ATTEMPTS, 'maxAttempts');

  const issuedMs = toEpochMs(input.at);
  const expiresMs = issuedMs + ttl * 1000;
  if (!(issuedMs >= 0 && expiresMs <= LAST_STORABLE_MS)) {
    throw new StaffgateError('invalid_instant', 'must be a valid instant from 1970 to 9999 (Date, ISO 8601 with offset, or epoch ms)', {
      path: ['at'],
    });
  }

  const code = randomDigits(digits);
  const saltBytes = randomBytes(SALT_BYTES);
  const challenge: OneTimeCodeChallenge = {
    version: 1,
    channel,
    purpose,
    attemptId,
    digits,
    issuedAt: new Date(issuedMs).toISOString(),
    expiresAt: new Date(expiresMs).toISOString(),
    attemptsLeft: attempts,
    usedAt: null,
    salt: toHex(saltBytes),
    hash: toHex(codeHash(saltBytes, purpose, channel, attemptId, code)),
  };
  return { code, challenge };
}

/**
 * Checks a one-time code against its stored challenge and returns the next challenge: a pure
 * state transition the host persists (compare-and-set on the old record, so two concurrent
 * tries cannot both spend the same try). Single use, constant-time comparison, expiry, a try
 * budget that only goes down, and binding to the login attempt and purpose.
 *
 * Never throws: a wrong, malformed or foreign code, a bad instant or a corrupt record is a
 * refusal with a {@link OneTimeCodeReasonCode}.
 *
 * @example
 * ```ts
 * import { verifyOneTimeCode } from 'staffgate/otp';
 *
 * const stored = await db.loadChallenge(attempt.id);
 * const result = verifyOneTimeCode(stored, typedCode, { at: now, attemptId: attempt.id, purpose: 'email_code' });
 * await db.saveChallenge(attempt.id, result.challenge);            // always: tries and use are recorded
 * if (result.ok) attempt.verified.push(result.verified);           // 'email_code'
 * else if (result.reason === 'attempts_exhausted') restartLogin();
 * ```
 */
export function verifyOneTimeCode(
  challenge: OneTimeCodeChallenge,
  code: string,
  options: VerifyOneTimeCodeOptions,
): OneTimeCodeVerification {
  try {
    return verify(challenge, code, options);
  } catch {
    // A record or options object whose reading throws (a getter, a proxy): refused, unchanged.
    return { ok: false, reason: 'challenge_invalid', challenge };
  }
}

function verify(challenge: OneTimeCodeChallenge, code: string, options: VerifyOneTimeCodeOptions): OneTimeCodeVerification {
  // The checks below read this snapshot, never the record again; the records handed back keep
  // the host's own extra fields.
  const c = readChallenge(challenge);
  if (c === undefined) return { ok: false, reason: 'challenge_invalid', challenge };
  const { issuedMs, expiresMs } = c;

  const opts: unknown = options;
  const atMs = typeof opts === 'object' && opts !== null ? toEpochMs((opts as { at?: unknown }).at) : Number.NaN;
  // Before 1970 is as wrong here as at issue. A little before `issuedAt` is clock skew between
  // servers; more than that is a clock or an `at` that cannot be trusted to judge expiry.
  if (!(atMs >= 0) || atMs < issuedMs - MAX_CLOCK_SKEW_MS) return { ok: false, reason: 'instant_invalid', challenge };
  if (c.usedAt !== null) return { ok: false, reason: 'code_already_used', challenge };
  if (atMs >= expiresMs) return { ok: false, reason: 'code_expired', challenge };
  if (c.attemptsLeft <= 0) return { ok: false, reason: 'attempts_exhausted', challenge };

  const spent: OneTimeCodeChallenge = { ...challenge, attemptsLeft: c.attemptsLeft - 1 };
  const { attemptId, purpose = 'second_factor' } = options;
  if (attemptId !== c.attemptId) return { ok: false, reason: 'attempt_mismatch', challenge: spent };
  if (purpose !== c.purpose) return { ok: false, reason: 'purpose_mismatch', challenge: spent };

  if (!isDigits(code, c.digits)) return { ok: false, reason: 'code_malformed', challenge };

  const candidate = codeHash(fromHex(c.salt), c.purpose, c.channel, c.attemptId, code);
  if (!constantTimeEqual(candidate, fromHex(c.hash))) return { ok: false, reason: 'code_invalid', challenge: spent };

  const verified: OneTimeCodeStep = c.purpose === 'email_code' ? 'email_code' : c.channel;
  return { ok: true, verified, challenge: { ...spent, usedAt: new Date(atMs).toISOString() } };
}

function integerOption(value: unknown, fallback: number, min: number, max: number, field: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new StaffgateError('invalid_option', `must be an integer from ${min} to ${max}`, { path: [field] });
  }
  return v;
}

function codeHash(salt: Uint8Array, purpose: OneTimeCodePurpose, channel: OneTimeCodeChannel, attemptId: string, code: string): Uint8Array {
  // The code is last and of a length the record fixes, so no two inputs share a message.
  const message = `${HASH_DOMAIN}\n${purpose}\n${channel}\n${attemptId}\n${code}`;
  return hmac.hmac('sha256', salt, utf8.encode(message));
}

function isDigits(code: unknown, digits: number): boolean {
  if (typeof code !== 'string' || code.length !== digits) return false;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// The record comes back from the host's storage: check every field a decision depends on, so
// a corrupt or hand-edited record is refused instead of misread (fail closed). Returns the
// expiry in epoch ms, or undefined for a record that is not valid.
// How far before `issuedAt` a check may be and still count as clock skew between servers.
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The fields of a challenge that {@link readChallenge} has checked, with its instants in epoch ms. */
interface CheckedChallenge {
  readonly channel: OneTimeCodeChannel;
  readonly purpose: OneTimeCodePurpose;
  readonly attemptId: string;
  readonly digits: number;
  readonly attemptsLeft: number;
  readonly salt: string;
  readonly hash: string;
  readonly usedAt: unknown;
  readonly issuedMs: number;
  readonly expiresMs: number;
}

function readChallenge(value: unknown): CheckedChallenge | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  // One read of each field (see storedField: a polluted prototype does not fill a missing one).
  const c = {
    version: storedField(value, 'version'),
    channel: storedField(value, 'channel'),
    purpose: storedField(value, 'purpose'),
    attemptId: storedField(value, 'attemptId'),
    digits: storedField(value, 'digits'),
    attemptsLeft: storedField(value, 'attemptsLeft'),
    salt: storedField(value, 'salt'),
    hash: storedField(value, 'hash'),
    issuedAt: storedField(value, 'issuedAt'),
    expiresAt: storedField(value, 'expiresAt'),
    usedAt: storedField(value, 'usedAt'),
  } satisfies Partial<Record<keyof OneTimeCodeChallenge, unknown>>;
  if (c.version !== 1) return undefined;
  if (c.channel !== 'email' && c.channel !== 'sms') return undefined;
  if (c.purpose !== 'second_factor' && !(c.purpose === 'email_code' && c.channel === 'email')) return undefined;
  if (typeof c.attemptId !== 'string' || c.attemptId.length === 0 || c.attemptId.length > MAX_ATTEMPT_ID_CHARS) return undefined;
  if (!isIntegerIn(c.digits, MIN_DIGITS, MAX_DIGITS) || !isIntegerIn(c.attemptsLeft, 0, MAX_ATTEMPTS)) return undefined;
  if (typeof c.salt !== 'string' || !SALT_SHAPE.test(c.salt) || typeof c.hash !== 'string' || !HASH_SHAPE.test(c.hash)) return undefined;
  const issuedMs = toEpochMs(c.issuedAt);
  const expiresMs = toEpochMs(c.expiresAt);
  // A lifetime longer than any we issue means the record was edited.
  if (!(expiresMs > issuedMs && expiresMs - issuedMs <= MAX_TTL_SECONDS * 1000)) return undefined;
  if (c.usedAt !== null && Number.isNaN(toEpochMs(c.usedAt))) return undefined;
  const { channel, purpose, attemptId, digits, attemptsLeft, salt, hash, usedAt } = c;
  return { channel, purpose, attemptId, digits, attemptsLeft, salt, hash, usedAt, issuedMs, expiresMs };
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
