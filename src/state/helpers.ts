// The read, decide, write loop on a StateStore: read a record with its version, run the pure
// transition, compare-and-swap the result, and start over from the read when another server
// wrote first. A decision counts only once its write succeeded, so two servers can never both
// accept one code. Bounded: after `maxAttempts` lost races the answer is `state_conflict`,
// which callers treat as a refusal (fail closed).
import { StaffgateError, requireOptionsObject } from '../errors.js';
import { toEpochMs } from '../instant.js';
import { verifyOneTimeCode, verifyTotp, type OneTimeCodeChallenge, type OneTimeCodeReasonCode, type OneTimeCodeStep, type TotpReasonCode, type TotpVerifyInput, type VerifyOneTimeCodeOptions } from '../otp/index.js';
import { checkLockout, recordLoginFailure, recordLoginSuccess, type LockoutRecord, type LockoutUpdate } from '../login/index.js';
import type { StateEntry, StateStore } from './store.js';

/**
 * How hard a helper tries when other servers write the same key at the same time: up to
 * `maxAttempts` read-and-swap rounds, with a short random pause (a few milliseconds, growing)
 * between them.
 *
 * @example
 * ```ts
 * const retry: StateRetryOptions = { maxAttempts: 50 };
 * await recordStoredLoginFailure(store, key, { policy, at: now, ip, retry });
 * ```
 */
export interface StateRetryOptions {
  /** Rounds before giving up with `state_conflict`: 1 to 1000, default 25. */
  readonly maxAttempts?: number;
}

/**
 * A helper's answer when every round lost the race to another writer: nothing was written and
 * nothing decided; treat it as a refusal.
 *
 * @example
 * ```ts
 * const r = await verifyStoredOneTimeCode(store, key, code, options);
 * if (!r.ok && r.reason === 'state_conflict') return res.status(503).end();
 * ```
 */
export interface StateConflict {
  readonly ok: false;
  readonly reason: 'state_conflict';
}

/**
 * Result of {@link verifyStoredOneTimeCode}: the step the code completed, or why it was refused
 * (`challenge_missing` when no challenge is stored under the key, or it timed out). The next
 * challenge is already stored.
 *
 * @example
 * ```ts
 * const r: StoredOneTimeCodeResult = await verifyStoredOneTimeCode(store, key, code, options);
 * if (r.ok) pending.verified.push(r.verified);
 * ```
 */
export type StoredOneTimeCodeResult =
  | { readonly ok: true; readonly verified: OneTimeCodeStep }
  | { readonly ok: false; readonly reason: OneTimeCodeReasonCode | 'challenge_missing' | 'state_conflict' };

/**
 * Result of {@link verifyStoredTotp}: the matched step (already stored as the last used one),
 * or why the code was refused.
 *
 * @example
 * ```ts
 * const r: StoredTotpResult = await verifyStoredTotp(store, `totp:${staffId}`, { secret, code, at: now });
 * if (!r.ok && r.reason === 'code_replayed') show('That code was already used. Wait for the next one.');
 * ```
 */
export type StoredTotpResult = { readonly ok: true; readonly step: number; readonly drift: number } | { readonly ok: false; readonly reason: TotpReasonCode | 'state_conflict' };

/**
 * Result of {@link recordStoredLoginFailure} and {@link recordStoredLoginSuccess}: the record as
 * now stored.
 *
 * @example
 * ```ts
 * const r: StoredLockoutResult = await recordStoredLoginFailure(store, key, { policy, at: now, ip });
 * if (r.ok) audit.write({ failures: r.record.failuresSinceSuccess });
 * ```
 */
export type StoredLockoutResult = { readonly ok: true; readonly record: LockoutRecord } | StateConflict;

/**
 * Result of {@link claimLoginAttempt}: `ok` when the attempt may check its password (its
 * failure is already counted); otherwise the lock that refuses it.
 *
 * @example
 * ```ts
 * const claim: LoginClaim = await claimLoginAttempt(store, key, { policy, at: now, ip });
 * if (!claim.ok) return refuse(claim.reason);
 * ```
 */
export type LoginClaim =
  | { readonly ok: true; readonly record: LockoutRecord }
  | { readonly ok: false; readonly reason: 'locked_out'; readonly until: number }
  | { readonly ok: false; readonly reason: 'lockout_record_invalid' }
  | StateConflict;

/**
 * Options of the lockout helpers: a {@link LockoutUpdate} and how hard to retry.
 *
 * @example
 * ```ts
 * const update: StoredLockoutUpdate = { policy, at: now, ip, retry: { maxAttempts: 10 } };
 * ```
 */
export interface StoredLockoutUpdate extends LockoutUpdate {
  readonly retry?: StateRetryOptions;
}

/**
 * How long a person's lockout record lives after its last write: 90 days, so the familiar
 * networks outlast holidays. A network record lives only while it counts a failure or a lock.
 *
 * @example
 * ```ts
 * await store.compareAndSwap(`lockout:${login}`, undefined, record, { ttlMs: PERSON_LOCKOUT_TTL_MS });
 * ```
 */
export const PERSON_LOCKOUT_TTL_MS = 90 * 24 * 3_600_000;

const DEFAULT_MAX_ATTEMPTS = 25;
// Clock skew between servers that a stored challenge outlives its expiry by.
const SKEW_MS = 5 * 60_000;
// A used TOTP step must be remembered while a code of that step could still verify: at most
// ten steps (the widest window) either side, so an hour is ample.
const TOTP_STEP_TTL_MS = 3_600_000;

/**
 * Stores a challenge from `issueOneTimeCode` under `key`, replacing any earlier one (a resent
 * code makes the old one useless), until shortly after it expires.
 *
 * @example
 * ```ts
 * const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId, at: now });
 * await saveOneTimeCode(store, `otp:${attemptId}`, challenge);
 * await mailer.send(email, `Your code is ${code}`);
 * ```
 */
export async function saveOneTimeCode(store: StateStore, key: string, challenge: OneTimeCodeChallenge, options: { readonly retry?: StateRetryOptions } = {}): Promise<{ readonly ok: true } | StateConflict> {
  requireOptionsObject(options);
  const issued = toEpochMs(challenge.issuedAt);
  const expires = toEpochMs(challenge.expiresAt);
  if (Number.isNaN(issued) || Number.isNaN(expires) || expires <= issued) {
    throw new StaffgateError('invalid_option', 'must be a challenge from issueOneTimeCode', { path: ['challenge'] });
  }
  const ttlMs = expires - issued + SKEW_MS;
  return swapLoop(store, key, options.retry, () => ({ write: challenge, ttlMs, result: { ok: true } as const }));
}

/**
 * Verifies a one-time code against the challenge stored under `key` and stores the next
 * challenge in the same compare-and-swap: the code is accepted only if that write wins, so 50
 * parallel submissions of one right code on any number of servers are accepted exactly once,
 * and parallel wrong guesses spend one try each.
 *
 * @example
 * ```ts
 * const r = await verifyStoredOneTimeCode(store, `otp:${attemptId}`, typed, { at: now, attemptId, purpose: 'email_code' });
 * if (r.ok) pending.verified.push(r.verified);
 * else if (r.reason === 'attempts_exhausted' || r.reason === 'challenge_missing') restartLogin();
 * ```
 */
export async function verifyStoredOneTimeCode(
  store: StateStore,
  key: string,
  code: string,
  options: VerifyOneTimeCodeOptions & { readonly retry?: StateRetryOptions },
): Promise<StoredOneTimeCodeResult> {
  requireOptionsObject(options);
  const at = toEpochMs(options.at);
  return swapLoop<StoredOneTimeCodeResult>(store, key, options.retry, (entry) => {
    if (entry === undefined) return { result: { ok: false, reason: 'challenge_missing' } };
    const r = verifyOneTimeCode(entry.value as OneTimeCodeChallenge, code, options);
    const result: StoredOneTimeCodeResult = r.ok ? { ok: true, verified: r.verified } : { ok: false, reason: r.reason };
    // Refusals that used no try leave the record as it was: nothing to write.
    if (r.challenge === entry.value) return { result };
    const expires = toEpochMs(r.challenge.expiresAt);
    return { write: r.challenge, ttlMs: Math.max(1, expires - at + SKEW_MS), result };
  });
}

/**
 * Verifies an authenticator-app code with the last used step stored under `key` (one key per
 * person, e.g. `totp:${staffId}`), and stores the new step in the same compare-and-swap: one
 * code submitted on two servers at once is accepted once; the other gets `code_replayed`.
 * Wrong codes write nothing (record them with {@link recordStoredLoginFailure}).
 *
 * @example
 * ```ts
 * const r = await verifyStoredTotp(store, `totp:${staff.id}`, { secret: staff.totpSecret, code: typed, at: now });
 * if (r.ok) pending.verified.push('totp');
 * else await recordStoredLoginFailure(store, lockoutKey, { policy, at: now, ip });
 * ```
 */
export async function verifyStoredTotp(
  store: StateStore,
  key: string,
  input: Omit<TotpVerifyInput, 'lastUsedStep'> & { readonly retry?: StateRetryOptions },
): Promise<StoredTotpResult> {
  requireOptionsObject(input);
  return swapLoop<StoredTotpResult>(store, key, input.retry, (entry) => {
    // Whatever is stored is passed on as read: a value that is not a step is refused by verifyTotp.
    const stored = entry === undefined ? undefined : typeof entry.value === 'object' && entry.value !== null ? (entry.value as { lastUsedStep?: unknown }).lastUsedStep : entry.value;
    const r = verifyTotp({ ...input, lastUsedStep: stored as number | undefined });
    if (!r.ok) return { result: r };
    return { write: { lastUsedStep: r.step }, ttlMs: TOTP_STEP_TTL_MS, result: r };
  });
}

/**
 * The lockout record stored under `key`, as stored (or `null`): pass it to `evaluateLogin` as
 * `lockout` (or `networkLockout`), which refuses a record it cannot read.
 *
 * @example
 * ```ts
 * const lockout = await readStoredLockout(store, `lockout:${email.toLowerCase()}`);
 * const decision = evaluateLogin(policy, { method: 'password', ip, at: now, lockout });
 * ```
 */
export async function readStoredLockout(store: StateStore, key: string): Promise<LockoutRecord | null> {
  const entry = await store.read(key);
  return entry === undefined ? null : (entry.value as LockoutRecord);
}

/**
 * Records a failed sign-in step in the lockout record under `key` (see `recordLoginFailure`),
 * atomically: 200 parallel failures on any number of servers leave exactly 200 counted.
 *
 * @example
 * ```ts
 * if (!passwordOk) await recordStoredLoginFailure(store, `lockout:${login}`, { policy, at: now, ip });
 * ```
 */
export async function recordStoredLoginFailure(store: StateStore, key: string, update: StoredLockoutUpdate): Promise<StoredLockoutResult> {
  requireOptionsObject(update);
  return swapLoop<StoredLockoutResult>(store, key, update.retry, (entry) => {
    const record = recordLoginFailure(entry?.value as LockoutRecord | undefined, update);
    return { write: record, ttlMs: lockoutTtl(record, update), result: { ok: true, record } };
  });
}

/**
 * Records a completed sign-in in the lockout record under `key` (see `recordLoginSuccess`),
 * atomically.
 *
 * @example
 * ```ts
 * if (decision.outcome === 'allow') await recordStoredLoginSuccess(store, `lockout:${login}`, { policy, at: now, ip });
 * ```
 */
export async function recordStoredLoginSuccess(store: StateStore, key: string, update: StoredLockoutUpdate): Promise<StoredLockoutResult> {
  requireOptionsObject(update);
  return swapLoop<StoredLockoutResult>(store, key, update.retry, (entry) => {
    const record = recordLoginSuccess(entry?.value as LockoutRecord | undefined, update);
    return { write: record, ttlMs: lockoutTtl(record, update), result: { ok: true, record } };
  });
}

/**
 * Counts a password attempt as a failure before the password is checked, and refuses it when
 * the lock is on: the bound that holds under parallel guessing. Checking first and recording
 * after lets every guess that started before the lock engaged through (200 parallel guesses,
 * 200 checks); claiming first lets at most `maxFailures` of them be checked per window. On a
 * right password, {@link recordStoredLoginSuccess} resets the count; on a wrong one there is
 * nothing more to write.
 *
 * @example
 * ```ts
 * const claim = await claimLoginAttempt(store, `lockout:${login}`, { policy, at: now, ip });
 * if (!claim.ok) return refuse('Too many failed sign-in attempts.');
 * if (await checkPassword(staff, password)) await recordStoredLoginSuccess(store, `lockout:${login}`, { policy, at: now, ip });
 * ```
 */
export async function claimLoginAttempt(store: StateStore, key: string, update: StoredLockoutUpdate): Promise<LoginClaim> {
  requireOptionsObject(update);
  return swapLoop<LoginClaim>(store, key, update.retry, (entry) => {
    const status = checkLockout(entry?.value ?? null, update);
    // Off or report-only, the rule refuses nobody; the attempt is still counted.
    const enforced = update.policy.lockout.enabled && update.policy.lockout.mode !== 'report';
    if (status.state === 'locked' && enforced) return { result: { ok: false, reason: 'locked_out', until: status.until } };
    const record = recordLoginFailure(entry?.value as LockoutRecord | undefined, update);
    // An unreadable record is replaced by a locked one (fail closed), and the attempt refused.
    const result: LoginClaim = status.state === 'invalid' && enforced ? { ok: false, reason: 'lockout_record_invalid' } : { ok: true, record };
    return { write: record, ttlMs: lockoutTtl(record, update), result };
  });
}

function lockoutTtl(record: LockoutRecord, update: LockoutUpdate): number {
  if (record.subject === 'person') return PERSON_LOCKOUT_TTL_MS;
  const at = toEpochMs(update.at);
  const window = update.policy.lockout.windowMinutes * 60_000;
  let until = at;
  for (const lane of [record.lanes.familiar, record.lanes.other]) {
    if (lane.lockedUntil !== null) until = Math.max(until, lane.lockedUntil);
    const newest = lane.failures[0];
    if (newest !== undefined) until = Math.max(until, newest + window);
  }
  return Math.max(60_000, until - at);
}

type Step<R> = (entry: StateEntry | undefined) => { readonly write: unknown; readonly ttlMs: number; readonly result: R } | { readonly result: R };

async function swapLoop<R>(store: StateStore, key: string, retry: StateRetryOptions | undefined, step: Step<R>): Promise<R | StateConflict> {
  requireStore(store);
  const maxAttempts = retry?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
    throw new StaffgateError('invalid_option', 'must be an integer from 1 to 1000', { path: ['retry', 'maxAttempts'] });
  }
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0) await pause(attempt);
    const entry = await store.read(key);
    const next = step(entry);
    if (!('write' in next)) return next.result;
    if (await store.compareAndSwap(key, entry?.version, next.write, { ttlMs: Math.ceil(next.ttlMs) })) return next.result;
  }
  return { ok: false, reason: 'state_conflict' };
}

function requireStore(store: unknown): asserts store is StateStore {
  const s = store as Partial<StateStore> | null;
  if (typeof s !== 'object' || s === null || typeof s.read !== 'function' || typeof s.compareAndSwap !== 'function') {
    throw new StaffgateError('invalid_option', 'must be a state store with read and compareAndSwap', { path: ['store'] });
  }
}

// A random pause that grows with each lost race (full jitter, capped at about 50 ms), so
// writers that collided spread out instead of colliding again.
function pause(attempt: number): Promise<void> {
  const cap = Math.min(50, 2 ** attempt);
  const random = globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  const ms = (random / 0x1_0000_0000) * cap;
  return new Promise((resolve) => globalThis.setTimeout(resolve, ms));
}
