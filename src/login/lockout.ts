// Brute-force lockout: pure state transitions over a small JSON record the host stores, and
// the check evaluateLogin runs on it. See docs/state.md for the semantics and the atomic write
// each transition needs.
import { StaffgateError, requireOptionsObject } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { storedField } from '../stored.js';
import { scanAddress } from '../net/scan.js';
import type { LockoutSettings } from '../policy/schema.js';

/**
 * Whose failures a {@link LockoutRecord} counts: one person (keyed by the login name typed, so
 * unknown names get records too), or one client network across all accounts (credential
 * stuffing).
 *
 * @example
 * ```ts
 * const subject: LockoutSubject = 'network';
 * const key = `lockout:net:${lockoutNetwork(clientIp)}`;
 * ```
 */
export type LockoutSubject = 'person' | 'network';

/**
 * One counter of a {@link LockoutRecord}: the failures that still count and the lock, if any.
 *
 * @example
 * ```ts
 * const lane: LockoutLane = record.lanes.other;
 * const locked = lane.lockedUntil !== null && lane.lockedUntil > now;
 * ```
 */
export interface LockoutLane {
  /** Instants (epoch ms) of the failures inside the window, newest first; fewer than `maxFailures`. */
  readonly failures: readonly number[];
  /** Epoch ms the lock ends, or `null` when this lane is not locked. */
  readonly lockedUntil: number | null;
}

/**
 * The lockout state of one person or one client network: plain JSON the host stores (a JSON
 * column, a Redis value) and passes back. Its size is bounded whatever the history: at most
 * `maxFailures - 1` instants per lane and {@link MAX_FAMILIAR_NETWORKS} networks. Written only by
 * {@link recordLoginFailure} and {@link recordLoginSuccess}; store it with a compare-and-swap
 * (see `staffgate/state`), or parallel failures overwrite each other and guessing goes on.
 *
 * Failures from the person's familiar networks (where they signed in before) and from any
 * other network count in separate lanes: a lock of the `other` lane refuses only the networks
 * the person never signed in from; a lock of the `familiar` lane refuses every network.
 *
 * @example
 * ```ts
 * const record: LockoutRecord | null = (await db.lockout.get(key)) ?? null;
 * const decision = evaluateLogin(policy, { method: 'password', ip, at: now, lockout: record });
 * ```
 */
export interface LockoutRecord {
  /** Record format; only `1` exists. */
  readonly version: 1;
  readonly subject: LockoutSubject;
  /** Networks of the last successful sign-ins (`203.0.113.0/24`, `2001:db8:1::/48`), most recent first. Empty for a network record. */
  readonly familiar: readonly string[];
  readonly lanes: { readonly familiar: LockoutLane; readonly other: LockoutLane };
  /** Failures recorded since the last success (all lanes, also those during a lock): for the audit log and admin screens. */
  readonly failuresSinceSuccess: number;
  /** Epoch ms of the last recorded failure, or `null`. */
  readonly lastFailureAt: number | null;
  /** Epoch ms of the last recorded success, or `null`. */
  readonly lastSuccessAt: number | null;
}

/**
 * Options of {@link recordLoginFailure} and {@link recordLoginSuccess}.
 *
 * @example
 * ```ts
 * const options: LockoutUpdate = { policy, at: now, ip: clientIp };
 * const next = recordLoginFailure(stored, options);
 * ```
 */
export interface LockoutUpdate {
  /** The person's effective policy (or the account policy, for a network record or an unknown name): its `lockout` rule decides. */
  readonly policy: { readonly lockout: LockoutSettings };
  /** The instant of the attempt. */
  readonly at: Instant;
  /** The client address of the attempt (as `resolveClientIp` gives it). An unparseable one counts as an unfamiliar network. */
  readonly ip: string;
  /** `person` (default) or `network`; must match the stored record. */
  readonly subject?: LockoutSubject;
}

/**
 * Why a lockout record refuses an attempt, as {@link checkLockout} reports it.
 *
 * @example
 * ```ts
 * const status: LockoutStatus = checkLockout(record, { at: now, ip });
 * if (status.state === 'locked') showBanner(`Locked until ${new Date(status.until).toISOString()}`);
 * ```
 */
export type LockoutStatus =
  | { readonly state: 'open'; readonly failures: number }
  | { readonly state: 'locked'; readonly until: number; readonly lane: 'familiar' | 'other'; readonly subject: LockoutSubject }
  | { readonly state: 'invalid'; readonly problem: string };

/**
 * How many familiar networks a record remembers, most recent first.
 *
 * @example
 * ```ts
 * const remembered = record.familiar.length; // never more than MAX_FAMILIAR_NETWORKS
 * ```
 */
export const MAX_FAMILIAR_NETWORKS = 5;

const MAX_FAILURES_STORED = 1000;
const MAX_COUNT = 1_000_000_000;
const MINUTE = 60_000;
// Epoch ms the record may hold: 1970 to 9999, as elsewhere.
const LAST_MS = 253_402_300_799_999;

/**
 * The network a client address counts in for lockout: the IPv4 /24 or IPv6 /48 around it
 * (`203.0.113.0/24`, `2001:db8:1::/48`; an IPv4-mapped address is IPv4), or `undefined` for
 * an unparseable address. Key the per-network record by it. Never throws.
 *
 * @example
 * ```ts
 * lockoutNetwork('203.0.113.77');      // '203.0.113.0/24'
 * lockoutNetwork('2001:db8:1:2::9');   // '2001:db8:1::/48'
 * const key = `lockout:net:${lockoutNetwork(ip) ?? 'unparseable'}`;
 * ```
 */
export function lockoutNetwork(ip: string): string | undefined {
  // The scanner parseIp uses, without formatting the whole address: this runs on every attempt.
  const family = typeof ip === 'string' ? scanAddress(ip, 0, ip.length, SCRATCH) : 0;
  if (family === 0) return undefined;
  const g = SCRATCH;
  if (family === 4) return `${String((g[6] ?? 0) >> 8)}.${String((g[6] ?? 0) & 255)}.${String((g[7] ?? 0) >> 8)}.0/24`;
  // The first three groups, then zeros: RFC 5952 compresses the trailing run (always the
  // longest, at least five groups), so trailing zero groups of the head join it.
  let n = 3;
  while (n > 0 && g[n - 1] === 0) n--;
  let head = '';
  for (let i = 0; i < n; i++) head += (i === 0 ? '' : ':') + (g[i] ?? 0).toString(16);
  return `${head}::/48`;
}

// Scratch groups for lockoutNetwork (synchronous, so one buffer serves every call).
const SCRATCH = new Uint16Array(8);

/**
 * Records one failed sign-in step (a wrong password, e-mailed code, TOTP or SMS code) and
 * returns the next record. Pure: store the result with a compare-and-swap on the record you
 * read. Failures older than `windowMinutes` stop counting; the `maxFailures`-th failure inside
 * the window locks the lane it counted in for `lockoutMinutes`; failures during a lock are
 * counted in `failuresSinceSuccess` but do not extend it. With the rule off, failures are
 * counted but lock nothing.
 *
 * A stored record that cannot be read is replaced by one locked in both lanes (fail closed,
 * and it heals after `lockoutMinutes`).
 *
 * @throws {StaffgateError} `invalid_instant` for a bad `at`; `invalid_option` for a policy
 *   without a valid `lockout` rule or an unknown `subject`. The address never throws.
 * @example
 * ```ts
 * if (!passwordOk) {
 *   const next = recordLoginFailure(stored, { policy, at: now, ip: clientIp });
 *   await db.lockout.compareAndSet(key, stored, next);
 * }
 * ```
 */
export function recordLoginFailure(state: LockoutRecord | null | undefined, update: LockoutUpdate): LockoutRecord {
  const u = readUpdate(update);
  const current = startingRecord(state, u);
  if (current === 'invalid') return lockedFresh(u);
  const lanes = pruned(current, u);
  const laneName = laneOf(current, u);
  const count = Math.min(MAX_COUNT, current.failuresSinceSuccess + 1);
  let nextLanes = lanes;
  if (u.rule.enabled && activeLock(lanes, laneName, u.at) === null) {
    const lane = lanes[laneName];
    const max = limitOf(u);
    let next: LockoutLane;
    if (lane.failures.length + 1 >= max) next = { failures: [], lockedUntil: u.at + u.rule.lockoutMinutes * MINUTE };
    else {
      // Newest first; the lane holds fewer than `max - 1` here, so the list stays under `max`.
      const failures = [u.at];
      for (const t of lane.failures) failures.push(t);
      next = { failures, lockedUntil: null };
    }
    nextLanes = laneName === 'familiar' ? { familiar: next, other: lanes.other } : { familiar: lanes.familiar, other: next };
  }
  // With the rule off, or during a lock, the failure is counted but changes no lane.
  return { version: 1, subject: u.subject, familiar: current.familiar, lanes: nextLanes, failuresSinceSuccess: count, lastFailureAt: u.at, lastSuccessAt: current.lastSuccessAt };
}

/**
 * Records a completed sign-in and returns the next record. For a person: the network becomes
 * the most recent familiar one, the lane the sign-in counted in is reset (its failures and any
 * lock), and `failuresSinceSuccess` goes back to 0; failures being made meanwhile from
 * unfamiliar networks keep counting in their lane. For a network record a success changes no
 * count: one valid password among many stolen ones must not reset an attacker's budget.
 *
 * @throws {StaffgateError} as {@link recordLoginFailure}.
 * @example
 * ```ts
 * if (decision.outcome === 'allow') {
 *   const next = recordLoginSuccess(stored, { policy, at: now, ip: clientIp });
 *   await db.lockout.compareAndSet(key, stored, next);
 * }
 * ```
 */
export function recordLoginSuccess(state: LockoutRecord | null | undefined, update: LockoutUpdate): LockoutRecord {
  const u = readUpdate(update);
  const read = startingRecord(state, u);
  // An unreadable record was refused at login; a success proves the person, so it starts over.
  const current = read === 'invalid' ? emptyRecord(u.subject) : read;
  const lanes = pruned(current, u);
  if (u.subject === 'network') return { ...current, lanes };
  const laneName = laneOf(current, u);
  const network = lockoutNetwork(u.ip);
  const familiar = network === undefined ? current.familiar : [network, ...current.familiar.filter((n) => n !== network)].slice(0, MAX_FAMILIAR_NETWORKS);
  const reset: LockoutLane = { failures: [], lockedUntil: null };
  return {
    version: 1,
    subject: 'person',
    familiar,
    lanes: laneName === 'familiar' ? { familiar: reset, other: lanes.other } : { familiar: lanes.familiar, other: reset },
    failuresSinceSuccess: 0,
    lastFailureAt: current.lastFailureAt,
    lastSuccessAt: u.at,
  };
}

/**
 * Reads a stored lockout record at an instant for an address: `open` (with the failures that
 * still count), `locked` (until when, and which lane), or `invalid` for a record that cannot be
 * read. `evaluateLogin` runs the same check; use this one for an admin screen or a pre-check
 * before spending a password hash. Never throws.
 *
 * @example
 * ```ts
 * const status = checkLockout(stored, { at: now, ip: clientIp });
 * if (status.state !== 'open') return res.status(429).end();
 * ```
 */
export function checkLockout(state: unknown, options: { readonly at: Instant; readonly ip: string }): LockoutStatus {
  let at: number;
  let ip: unknown;
  try {
    at = toEpochMs(options.at);
    ip = options.ip;
  } catch {
    return { state: 'invalid', problem: 'the options could not be read' };
  }
  if (Number.isNaN(at)) return { state: 'invalid', problem: 'at is not a valid instant' };
  if (state === null || state === undefined) return { state: 'open', failures: 0 };
  const record = readRecord(state);
  if (typeof record === 'string') return { state: 'invalid', problem: record };
  const lock = lockFor(record, typeof ip === 'string' ? ip : '', at);
  if (lock !== undefined) return { state: 'locked', until: lock.until, lane: lock.lane, subject: record.subject };
  const lane = record.subject === 'person' && isFamiliar(record, typeof ip === 'string' ? ip : '') ? record.lanes.familiar : record.lanes.other;
  return { state: 'open', failures: lane.failures.length };
}

/**
 * @internal Whether a stored record is readable, of `subject`, and locks neither lane at `at`:
 * every field is checked, nothing is copied. False sends the caller to the full read.
 */
export function opensAt(value: unknown, subject: LockoutSubject, at: number): boolean {
  const record = readRecord(value, false);
  if (typeof record === 'string' || record.subject !== subject) return false;
  const f = record.lanes.familiar.lockedUntil;
  const o = record.lanes.other.lockedUntil;
  return (f === null || f <= at) && (o === null || o <= at);
}

/** @internal The lock that refuses an attempt from `ip` at `at`, if any. The record is valid. */
export function lockFor(record: LockoutRecord, ip: string, at: number): { until: number; lane: 'familiar' | 'other' } | undefined {
  const f = record.lanes.familiar.lockedUntil;
  const o = record.lanes.other.lockedUntil;
  const familiarLocked = f !== null && f > at;
  const otherLocked = o !== null && o > at;
  if (!familiarLocked && !otherLocked) return undefined;
  // A familiar-lane lock refuses everywhere; an other-lane lock only outside familiar networks.
  if (familiarLocked && (!otherLocked || f >= o)) return { until: f, lane: 'familiar' };
  if (record.subject === 'person' && isFamiliar(record, ip)) return familiarLocked ? { until: f, lane: 'familiar' } : undefined;
  return { until: o as number, lane: 'other' };
}

function isFamiliar(record: LockoutRecord, ip: string): boolean {
  if (record.familiar.length === 0) return false;
  const network = lockoutNetwork(ip);
  return network !== undefined && record.familiar.includes(network);
}

interface Update {
  readonly rule: LockoutSettings;
  readonly at: number;
  readonly ip: string;
  readonly subject: LockoutSubject;
}

function readUpdate(update: LockoutUpdate): Update {
  requireOptionsObject(update);
  const at = toEpochMs(update.at);
  if (Number.isNaN(at) || at < 0 || at > LAST_MS) {
    throw new StaffgateError('invalid_instant', 'must be a valid instant from 1970 to 9999 (Date, ISO 8601 with offset, or epoch ms)', { path: ['at'] });
  }
  const subject: unknown = update.subject ?? 'person';
  if (subject !== 'person' && subject !== 'network') throw new StaffgateError('invalid_option', 'must be "person" or "network"', { path: ['subject'] });
  const policy: unknown = update.policy;
  const clean = ruleFieldsClean();
  const lockout: unknown = typeof policy === 'object' && policy !== null ? (clean ? (policy as RuleShape).lockout : storedField(policy, 'lockout')) : undefined;
  if (typeof lockout !== 'object' || lockout === null) {
    throw new StaffgateError('invalid_option', 'must be a policy with a lockout rule (from parseAccountPolicy or resolvePolicy)', { path: ['policy', 'lockout'] });
  }
  const l = lockout as RuleShape;
  const enabled = clean ? l.enabled : storedField(l, 'enabled');
  if (typeof enabled !== 'boolean') throw new StaffgateError('invalid_option', 'must be a boolean', { path: ['policy', 'lockout', 'enabled'] });
  const rule: LockoutSettings = {
    enabled,
    maxFailures: integer(clean ? l.maxFailures : storedField(l, 'maxFailures'), 1, 1000, 'maxFailures'),
    windowMinutes: integer(clean ? l.windowMinutes : storedField(l, 'windowMinutes'), 1, 1440, 'windowMinutes'),
    lockoutMinutes: integer(clean ? l.lockoutMinutes : storedField(l, 'lockoutMinutes'), 1, 10_080, 'lockoutMinutes'),
    networkMaxFailures: integer(clean ? l.networkMaxFailures : storedField(l, 'networkMaxFailures'), 1, 1000, 'networkMaxFailures'),
  };
  const ip: unknown = update.ip;
  return { rule, at, ip: typeof ip === 'string' ? ip : '', subject };
}

// The fields of a policy's lockout rule, as read before they are checked.
interface RuleShape {
  readonly lockout?: unknown;
  readonly enabled?: unknown;
  readonly maxFailures?: unknown;
  readonly windowMinutes?: unknown;
  readonly lockoutMinutes?: unknown;
  readonly networkMaxFailures?: unknown;
}

// Whether Object.prototype lacks every field of a lockout rule (then plain loads read the same
// as storedField, for less).
function ruleFieldsClean(): boolean {
  const p = Object.prototype as RuleShape;
  return p.lockout === undefined && p.enabled === undefined && p.maxFailures === undefined && p.windowMinutes === undefined && p.lockoutMinutes === undefined && p.networkMaxFailures === undefined;
}

function integer(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new StaffgateError('invalid_option', `must be an integer from ${min} to ${max}`, { path: ['policy', 'lockout', field] });
  }
  return value;
}

function limitOf(u: Update): number {
  return u.subject === 'network' ? u.rule.networkMaxFailures : u.rule.maxFailures;
}

function emptyRecord(subject: LockoutSubject): LockoutRecord {
  const empty: LockoutLane = { failures: [], lockedUntil: null };
  return { version: 1, subject, familiar: [], lanes: { familiar: empty, other: empty }, failuresSinceSuccess: 0, lastFailureAt: null, lastSuccessAt: null };
}

function startingRecord(state: unknown, u: Update): LockoutRecord | 'invalid' {
  if (state === null || state === undefined) return emptyRecord(u.subject);
  const record = readRecord(state);
  if (typeof record === 'string' || record.subject !== u.subject) return 'invalid';
  return record;
}

function lockedFresh(u: Update): LockoutRecord {
  const lock: LockoutLane = { failures: [], lockedUntil: u.rule.enabled ? u.at + u.rule.lockoutMinutes * MINUTE : null };
  return { version: 1, subject: u.subject, familiar: [], lanes: { familiar: lock, other: lock }, failuresSinceSuccess: 1, lastFailureAt: u.at, lastSuccessAt: null };
}

function laneOf(record: LockoutRecord, u: Update): 'familiar' | 'other' {
  return u.subject === 'person' && isFamiliar(record, u.ip) ? 'familiar' : 'other';
}

// A lock ends at `lockedUntil`; failures older than the window no longer count.
function pruned(record: LockoutRecord, u: Update): LockoutRecord['lanes'] {
  const since = u.at - u.rule.windowMinutes * MINUTE;
  const max = limitOf(u);
  return { familiar: pruneLane(record.lanes.familiar, since, max, u.at), other: pruneLane(record.lanes.other, since, max, u.at) };
}

// Keeps a lane's failures inside the window, at most `max`, and a lock that has not ended (a
// loop, not filter with a closure: this runs on every recorded attempt).
function pruneLane(lane: LockoutLane, since: number, max: number, at: number): LockoutLane {
  const failures: number[] = [];
  for (const t of lane.failures) {
    if (failures.length === max) break;
    if (t > since) failures.push(t);
  }
  return { failures, lockedUntil: lane.lockedUntil !== null && lane.lockedUntil > at ? lane.lockedUntil : null };
}

// The end of the lock an attempt counted in `lane` is refused by: its own lane's, or the
// familiar lane's, which refuses everywhere.
function activeLock(lanes: LockoutRecord['lanes'], lane: 'familiar' | 'other', at: number): number | null {
  const f = lanes.familiar.lockedUntil;
  if (f !== null && f > at) return f;
  const own = lanes[lane].lockedUntil;
  return own !== null && own > at ? own : null;
}

/**
 * @internal Checks every field of a stored record and returns a snapshot of it, or the problem
 * as text. Read once, field by field, as own properties: a getter or a polluted prototype
 * cannot change what was checked. With `copy` false every field is still checked, but the
 * lists are not copied: the snapshot's `familiar` and `failures` are empty, and only its
 * subject, locks and counts may be used (evaluateLogin's check of a record that locks nothing).
 */
export function readRecord(value: unknown, copy = true): LockoutRecord | string {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
    // Plain loads when nothing polluted Object.prototype with a record field (the usual case:
    // this runs on every attempt), storedField otherwise.
    const clean = prototypeClean();
    const r = value as StoredShape;
    if ((clean ? r.version : storedField(r, 'version')) !== 1) return 'unknown version';
    const subject = clean ? r.subject : storedField(r, 'subject');
    if (subject !== 'person' && subject !== 'network') return 'unknown subject';
    const familiar = clean ? r.familiar : storedField(r, 'familiar');
    if (!Array.isArray(familiar) || familiar.length > MAX_FAMILIAR_NETWORKS) return 'familiar is not a short list';
    const networks: string[] = copy ? [] : NONE;
    for (let i = 0; i < familiar.length; i++) {
      const n: unknown = familiar[i];
      if (typeof n !== 'string' || n.length > 64) return 'familiar holds a non-network';
      if (copy) networks.push(n);
    }
    if (subject === 'network' && familiar.length > 0) return 'a network record has familiar networks';
    const lanes = clean ? r.lanes : storedField(r, 'lanes');
    if (typeof lanes !== 'object' || lanes === null) return 'lanes missing';
    const l = lanes as StoredShape;
    const fam = readLane(clean ? l.familiar : storedField(l, 'familiar'), clean, copy);
    const other = readLane(clean ? l.other : storedField(l, 'other'), clean, copy);
    if (fam === undefined || other === undefined) return 'a lane is malformed';
    const count = clean ? r.failuresSinceSuccess : storedField(r, 'failuresSinceSuccess');
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COUNT) return 'failuresSinceSuccess is not a count';
    const lastFailureAt = instantOrNull(clean ? r.lastFailureAt : storedField(r, 'lastFailureAt'));
    const lastSuccessAt = instantOrNull(clean ? r.lastSuccessAt : storedField(r, 'lastSuccessAt'));
    if (lastFailureAt === undefined || lastSuccessAt === undefined) return 'a last-seen instant is malformed';
    return { version: 1, subject, familiar: networks, lanes: { familiar: fam, other }, failuresSinceSuccess: count, lastFailureAt, lastSuccessAt };
  } catch {
    return 'reading it threw (a getter or proxy)';
  }
}

// The fields of a stored record and its lanes, as read before they are checked.
interface StoredShape {
  readonly version?: unknown;
  readonly subject?: unknown;
  readonly familiar?: unknown;
  readonly other?: unknown;
  readonly lanes?: unknown;
  readonly failures?: unknown;
  readonly lockedUntil?: unknown;
  readonly failuresSinceSuccess?: unknown;
  readonly lastFailureAt?: unknown;
  readonly lastSuccessAt?: unknown;
}

const NONE: string[] = [];
const NO_FAILURES: number[] = [];
const OBJECT_PROTOTYPE = Object.prototype as StoredShape;

function prototypeClean(): boolean {
  const p = OBJECT_PROTOTYPE;
  return (
    p.version === undefined &&
    p.subject === undefined &&
    p.familiar === undefined &&
    p.other === undefined &&
    p.lanes === undefined &&
    p.failures === undefined &&
    p.lockedUntil === undefined &&
    p.failuresSinceSuccess === undefined &&
    p.lastFailureAt === undefined &&
    p.lastSuccessAt === undefined
  );
}

function readLane(value: unknown, clean: boolean, copy: boolean): LockoutLane | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as StoredShape;
  const failures = clean ? v.failures : storedField(v, 'failures');
  if (!Array.isArray(failures) || failures.length > MAX_FAILURES_STORED) return undefined;
  const list: number[] = copy ? [] : NO_FAILURES;
  for (let i = 0; i < failures.length; i++) {
    const t: unknown = failures[i];
    if (!isStoredInstant(t)) return undefined;
    if (copy) list.push(t);
  }
  const lockedUntil = instantOrNull(clean ? v.lockedUntil : storedField(v, 'lockedUntil'));
  if (lockedUntil === undefined) return undefined;
  return { failures: list, lockedUntil };
}

function instantOrNull(value: unknown): number | null | undefined {
  if (value === null) return null;
  return isStoredInstant(value) ? value : undefined;
}

function isStoredInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= LAST_MS;
}
