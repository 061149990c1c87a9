import { toEpochMs } from '../instant.js';
import { storedField } from '../stored.js';
import { parseIp } from '../net/index.js';
import { isWithinLoginHours, nextLoginWindow } from '../hours/index.js';
import type { AppliedRule, EffectivePolicy, IgnoredRule } from '../policy/resolve.js';
import { decidingSource, describeDecidingSource } from '../policy/source.js';
import type { PolicyField } from '../policy/effect.js';
import type { LoginMethod, RuleMode, SecondFactor, Weekday } from '../policy/schema.js';
import { ipRulesFor, loginHoursFor } from './compiled.js';
import { lockFor, opensAt, readRecord } from './lockout.js';
import type {
  LoginAttempt,
  LoginChallenge,
  LoginDecision,
  LoginOptions,
  LoginReason,
  LoginReasonCode,
  LoginStep,
  ReportedLoginReason,
  SessionDecision,
  SessionReason,
  SessionRequest,
} from './types.js';

const METHODS: ReadonlySet<unknown> = new Set<LoginMethod>(['google', 'microsoft', 'password']);
const STEP_BIT: Readonly<Record<LoginStep, number>> = { email_code: 1, totp: 2, sms: 4, email: 8 };
const FACTOR_BIT: Readonly<Record<SecondFactor, number>> = { totp: 2, sms: 4, email: 8 };
const HOURS_FIELDS: PolicyField[] = ['loginHours.enabled', 'loginHours.windows', 'loginHours.timezone', 'loginHours.mode'];
const LOCKOUT_FIELDS: PolicyField[] = ['lockout.enabled', 'lockout.maxFailures', 'lockout.windowMinutes', 'lockout.lockoutMinutes', 'lockout.mode'];
const DAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const METHOD_NAMES: Record<LoginMethod, string> = { google: 'Google', microsoft: 'Microsoft', password: 'e-mail and password' };

/**
 * Decides a login attempt against one person's effective policy (from `resolvePolicy`).
 *
 * The outcome is `deny` when any rule denies (the method, the address, the hours; all deny
 * reasons are listed), otherwise `challenge` while a step is missing (the e-mailed code of a
 * password login first, then a second factor when 2FA is required), otherwise `allow`. It
 * never throws: a malformed attempt is denied with `attempt_invalid`, and so is an attempt at
 * an instant the policy no longer holds for (an override in it has expired since it was
 * resolved: resolve again); an internal error, for example a hand-made policy with a bad
 * allowlist, is denied too.
 *
 * @example
 * ```ts
 * const decision = evaluateLogin(policy, { method: 'password', ip: '203.0.113.7', at: now });
 * if (decision.outcome === 'challenge' && decision.challenge?.step === 'email_code') {
 *   // send the e-mailed code, then evaluate again with verified: ['email_code']
 * }
 * ```
 */
export function evaluateLogin(policy: EffectivePolicy, attempt: LoginAttempt, options: LoginOptions = {}): LoginDecision {
  try {
    return decide(policy, attempt, options);
  } catch (err) {
    const why = err instanceof Error ? err.message : 'unknown error';
    return deny([{ code: 'attempt_invalid', source: 'account', message: 'Sign-in is not possible right now.', detail: `The policy could not be evaluated: ${why}` }]);
  }
}

function decide(policy: EffectivePolicy, attempt: LoginAttempt, options: LoginOptions): LoginDecision {
  let read: ReturnType<typeof readAttempt>;
  try {
    read = readAttempt(attempt);
  } catch {
    read = 'reading it threw (a getter or proxy)';
  }
  if (typeof read === 'string') {
    return deny([{ code: 'attempt_invalid', source: 'attempt', message: 'The sign-in request was not understood.', detail: `Malformed attempt: ${read}.` }]);
  }
  const { at, verified } = read;
  const stale = staleOverride(policy, at);
  if (stale !== undefined) {
    return deny([{ code: 'attempt_invalid', source: stale.source, message: 'Your sign-in rules have changed. Please try again.', detail: stale.detail }]);
  }
  const reasons: LoginReason[] = [];
  // Report-only rules are judged like enforced ones, but their verdict goes here instead.
  const reported: ReportedLoginReason[] = [];

  if (!policy.loginMethods.includes(read.method)) {
    reasons.push({
      code: 'method_not_allowed',
      source: sourceOf(policy, 'loginMethods'),
      message: `Signing in with ${METHOD_NAMES[read.method]} is not allowed for your account.`,
      detail: `Method "${read.method}" is not in loginMethods [${policy.loginMethods.join(', ')}] (${describeSource(policy, 'loginMethods')}).`,
    });
  }

  const ipReason = checkIp(policy, read.ip);
  if (ipReason?.code === 'ip_not_allowed' && isReportOnly(policy.ipLockdown)) reported.push(asReported(ipReason, 'deny'));
  else if (ipReason) reasons.push(ipReason);

  let retryAt: number | undefined;
  if (policy.loginHours.enabled) {
    const hours = loginHoursFor(policy.loginHours);
    if (!isWithinLoginHours(hours, at)) {
      const next = nextLoginWindow(hours, at);
      const reason: LoginReason = {
        code: 'outside_login_hours',
        source: sourceOf(policy, ...HOURS_FIELDS),
        message:
          next === null
            ? 'Your account has no sign-in hours.'
            : `Sign-in is outside your hours. You can sign in from ${next.startLocal.time} (${next.timezone}), ${DAY_NAMES[next.startLocal.weekday]} ${next.startLocal.date}.`,
        detail: `${new Date(at).toISOString()} is outside the login hours in ${policy.loginHours.timezone} (${describeSource(policy, ...HOURS_FIELDS)}).`,
      };
      if (isReportOnly(policy.loginHours)) reported.push(asReported(reason, 'deny'));
      else {
        retryAt = next?.start;
        reasons.push(reason);
      }
    }
  }

  if ((read.lockout !== undefined || read.networkLockout !== undefined) && policy.lockout.enabled) {
    const lockedUntil = checkLockouts(policy, read, reasons, reported);
    if (lockedUntil !== undefined) {
      // The person may sign in once the lock is over and, with login hours, inside a window.
      let retry = Math.max(lockedUntil, retryAt ?? lockedUntil);
      if (policy.loginHours.enabled && !isReportOnly(policy.loginHours)) {
        const hours = loginHoursFor(policy.loginHours);
        if (!isWithinLoginHours(hours, retry)) retry = nextLoginWindow(hours, retry)?.start ?? retry;
      }
      retryAt = retry;
    }
  }

  if (reasons.length > 0) {
    const denied: { outcome: 'deny'; reasons: LoginReason[]; retryAt?: number } = { outcome: 'deny', reasons };
    if (retryAt !== undefined) denied.retryAt = retryAt;
    return withReported(denied, reported);
  }

  // Steps: the e-mailed code of a password login first, then the second factor. A completed
  // step counts once: the login code is never also the `email` second factor.
  let challenge: LoginChallenge | undefined;
  if (read.method === 'password' && (verified & STEP_BIT.email_code) === 0) {
    challenge = { step: 'email_code' };
    reasons.push({
      code: 'email_code_required',
      source: 'account',
      message: 'Enter the code we sent to your e-mail address.',
      detail: 'Password logins always need the e-mailed one-time code.',
    });
  }

  if (policy.twoFactor.required) {
    const allowed = policy.twoFactor.methods;
    const done = allowed.some((f) => (verified & STEP_BIT[f]) !== 0);
    const ssoDone = options.acceptSsoMfa === true && read.method !== 'password' && read.ssoMfa;
    if (!done && !ssoDone) {
      const report = isReportOnly(policy.twoFactor);
      const fields: PolicyField[] = ['twoFactor.required', 'twoFactor.methods', 'twoFactor.mode'];
      const source = sourceOf(policy, ...fields);
      const enrolled = allowed.filter((f) => (read.enrolled & STEP_BIT[f]) !== 0);
      if (allowed.length === 0) {
        // 2FA required and no factor allowed: nobody can complete the login. Fail closed.
        const reason: LoginReason = {
          code: 'second_factor_required',
          source,
          message: 'Sign-in needs a second factor, but none is available for your account. Contact your administrator.',
          detail: `twoFactor.required is true but twoFactor.methods is empty (${describeSource(policy, ...fields)}).`,
        };
        if (!report) return withReported(deny([reason]), reported);
        reported.push(asReported(reason, 'deny'));
      } else if (enrolled.length > 0) {
        const reason: LoginReason = {
          code: 'second_factor_required',
          source,
          message: 'Confirm it is you with your second factor.',
          detail: `2FA is required (${describeSource(policy, ...fields)}); enrolled and allowed: ${enrolled.join(', ')}.`,
        };
        if (report) reported.push(asReported(reason, 'challenge'));
        else {
          challenge ??= { step: 'second_factor', factors: enrolled };
          reasons.push(reason);
        }
      } else {
        const reason: LoginReason = {
          code: 'second_factor_enrollment_required',
          source,
          message: 'Your account needs two-factor authentication. Set up a second factor to continue.',
          detail: `2FA is required (${describeSource(policy, ...fields)}) and none of [${allowed.join(', ')}] is enrolled.`,
        };
        if (report) reported.push(asReported(reason, 'challenge'));
        else {
          challenge ??= { step: 'enroll', factors: allowed };
          reasons.push(reason);
        }
      }
    }
  }

  if (challenge) return withReported({ outcome: 'challenge', reasons, challenge }, reported);
  return withReported({ outcome: 'allow', reasons }, reported);
}

// The lockout checks of one attempt: pushes `locked_out` (or, in report mode, reports it) for
// each record that locks, and `lockout_record_invalid` for one that cannot be read, which
// fails closed even in report mode: it is broken state, not a rule's verdict. Returns the end
// of the latest enforced lock.
function checkLockouts(policy: EffectivePolicy, read: AttemptSnapshot, reasons: LoginReason[], reported: ReportedLoginReason[]): number | undefined {
  // Checked without copying first: most records lock nothing, and then that is all it takes.
  const personOpen = read.lockout === undefined || read.lockout === null || opensAt(read.lockout, 'person', read.at);
  const networkOpen = read.networkLockout === undefined || read.networkLockout === null || opensAt(read.networkLockout, 'network', read.at);
  if (personOpen && networkOpen) return undefined;
  const report = isReportOnly(policy.lockout);
  let until: number | undefined;
  for (const which of ['person', 'network'] as const) {
    if (which === 'person' ? personOpen : networkOpen) continue;
    const value = which === 'person' ? read.lockout : read.networkLockout;
    const record = readRecord(value);
    if (typeof record === 'string' || record.subject !== which) {
      const problem = typeof record === 'string' ? record : `a ${record.subject} record was passed as the ${which} record`;
      reasons.push({
        code: 'lockout_record_invalid',
        source: 'attempt',
        message: 'Sign-in is not possible right now. Please try again later.',
        detail: `The stored ${which} lockout record cannot be read (${problem}); refused until it is replaced.`,
      });
      continue;
    }
    const lock = lockFor(record, read.ip, read.at);
    if (lock === undefined) continue;
    const minutes = Math.max(1, Math.ceil((lock.until - read.at) / 60_000));
    const wait = minutes === 1 ? '1 minute' : `${String(minutes)} minutes`;
    const reason: LoginReason = {
      code: 'locked_out',
      source: sourceOf(policy, ...LOCKOUT_FIELDS),
      message: which === 'person' ? `Too many failed sign-in attempts. Try again in ${wait}.` : `Too many sign-in attempts from your network. Try again in ${wait}.`,
      detail:
        which === 'person'
          ? `Locked (${lock.lane === 'familiar' ? 'familiar networks: every network' : 'networks this person never signed in from'}) until ${isoOrRaw(lock.until)} after ${String(policy.lockout.maxFailures)} failures in ${String(policy.lockout.windowMinutes)} min (${describeSource(policy, ...LOCKOUT_FIELDS)}).`
          : `The client network is throttled until ${isoOrRaw(lock.until)} after ${String(policy.lockout.networkMaxFailures)} failures across accounts in ${String(policy.lockout.windowMinutes)} min.`,
    };
    if (report) reported.push(asReported(reason, 'deny'));
    else {
      reasons.push(reason);
      until = Math.max(until ?? lock.until, lock.until);
    }
  }
  return until;
}

/** Object.prototype, to see whether a polluter gave it a `mode`. */
const PROTO = Object.prototype as { mode?: unknown };

function isReportOnly(rule: { readonly mode?: RuleMode }): boolean {
  // Own property only: a polluted Object.prototype.mode must not switch every rule off.
  // (storedField only when Object.prototype has a `mode` at all: a load by name is cheaper.)
  return (PROTO.mode === undefined ? rule.mode : storedField(rule, 'mode')) === 'report';
}

// Literals rather than spreads: object spread with added keys is several times slower in V8,
// and this runs per request.
function asReported(reason: LoginReason, wouldBe: 'deny' | 'challenge'): ReportedLoginReason {
  return { code: reason.code, source: reason.source, message: reason.message, detail: `Report-only rule, not enforced: ${reason.detail}`, wouldBe };
}

// `reported` appears only when a report-only rule objected, so decisions of policies without
// report-only rules keep their exact shape.
function withReported<D extends LoginDecision | SessionDecision>(decision: D, reported: readonly D['reasons'][number][]): D {
  if (reported.length === 0) return decision;
  return Object.assign({}, decision, { reported });
}

/**
 * Re-checks a live session on each request, for middleware: the address must still be
 * allowed and the login hours must not be over. `end` means sign the person out.
 *
 * @example
 * ```ts
 * const check = evaluateSession(policy, { ip: clientIp, at: now, loginAt: session.loginAt });
 * if (check.outcome === 'end') return signOut(check.reasons[0]?.message);
 * ```
 */
export function evaluateSession(policy: EffectivePolicy, request: SessionRequest): SessionDecision {
  try {
    const at = toEpochMs(request.at);
    const loginAt = toEpochMs(request.loginAt);
    const ip: unknown = request.ip; // read once: a getter cannot pass this check and then change
    if (Number.isNaN(at) || Number.isNaN(loginAt) || loginAt > at || typeof ip !== 'string') {
      return end([{ code: 'request_invalid', source: 'attempt', message: 'Your session is no longer valid. Please sign in again.', detail: 'Malformed session check: bad ip, at or loginAt (loginAt after at).' }]);
    }
    const stale = staleOverride(policy, at);
    if (stale !== undefined) {
      return end([{ code: 'request_invalid', source: stale.source, message: 'Your sign-in rules have changed. Please sign in again.', detail: stale.detail }]);
    }
    const reasons: SessionReason[] = [];
    const reported: SessionReason[] = [];
    const ipReason = checkIp(policy, ip);
    if (ipReason?.code === 'ip_not_allowed' && isReportOnly(policy.ipLockdown)) reported.push(asReportedSession({ code: 'ip_not_allowed', source: ipReason.source, message: ipReason.message, detail: ipReason.detail }));
    else if (ipReason) reasons.push({ ...ipReason, code: ipReason.code === 'ip_invalid' ? 'ip_invalid' : 'ip_not_allowed' });
    if (policy.loginHours.enabled && !isWithinLoginHours(loginHoursFor(policy.loginHours), at)) {
      const reason: SessionReason = {
        code: 'outside_login_hours',
        source: sourceOf(policy, ...HOURS_FIELDS),
        message: 'Your sign-in hours are over.',
        detail: `${new Date(at).toISOString()} is outside the login hours in ${policy.loginHours.timezone}.`,
      };
      if (isReportOnly(policy.loginHours)) reported.push(asReportedSession(reason));
      else reasons.push(reason);
    }
    return withReported(reasons.length > 0 ? end(reasons) : { outcome: 'continue', reasons }, reported);
  } catch (err) {
    const why = err instanceof Error ? err.message : 'unknown error';
    return end([{ code: 'request_invalid', source: 'account', message: 'Your session is no longer valid. Please sign in again.', detail: `The policy could not be evaluated: ${why}` }]);
  }
}

function asReportedSession(reason: SessionReason): SessionReason {
  return { code: reason.code, source: reason.source, message: reason.message, detail: `Report-only rule, not enforced: ${reason.detail}` };
}

function checkIp(policy: EffectivePolicy, ip: string): LoginReason | undefined {
  // An unparseable client address is refused even without a lockdown: it means a broken
  // proxy setup or a forged header, and nothing downstream could audit it. A report-only
  // lockdown does not own that refusal, so it is the account's, as with the lockdown off.
  const lockdown = policy.ipLockdown.enabled;
  const fields: PolicyField[] = ['ipLockdown.enabled', 'ipLockdown.allow', 'ipLockdown.mode'];
  // contains() parses strictly and is false for anything unparseable, so an allowed address is
  // parsed once; only a miss, or a check without lockdown, needs parseIp to tell why.
  if (lockdown && ipRulesFor(policy.ipLockdown.allow).contains(ip)) return undefined;
  const parsed = parseIp(ip);
  if (!parsed.ok) {
    return {
      code: 'ip_invalid',
      source: lockdown && !isReportOnly(policy.ipLockdown) ? sourceOf(policy, ...fields) : 'account',
      message: 'Your network address could not be read.',
      detail: `Client address ${JSON.stringify(ip.slice(0, 64))} is not a valid IP address (${parsed.reason}).`,
    };
  }
  if (lockdown) {
    return {
      code: 'ip_not_allowed',
      source: sourceOf(policy, ...fields),
      message: 'Signing in from this network is not allowed for your account.',
      detail: `${parsed.address} is not in the IP allowlist (${String(policy.ipLockdown.allow.length)} ${policy.ipLockdown.allow.length === 1 ? 'entry' : 'entries'}; ${describeSource(policy, ...fields)}).`,
    };
  }
  return undefined;
}

interface AttemptSnapshot {
  readonly method: LoginMethod;
  readonly ip: string;
  readonly at: number;
  /** Bit set of completed steps (see STEP_BIT). */
  readonly verified: number;
  /** Bit set of enrolled factors (see STEP_BIT). */
  readonly enrolled: number;
  readonly ssoMfa: boolean;
  /** The stored records, unread (checked by the lockout step); `undefined` when not given. */
  readonly lockout: unknown;
  readonly networkLockout: unknown;
}

// Reads every field of the attempt exactly once into plain values, so a getter that answers
// differently on each read, or an array with its own `includes`, cannot change the decision
// after validation. Returns the problem as text when the attempt is malformed.
function readAttempt(attempt: unknown): AttemptSnapshot | string {
  if (typeof attempt !== 'object' || attempt === null) return 'not an object';
  const a = attempt as Record<string, unknown>;
  const method = a.method;
  const ip = a.ip;
  const at = toEpochMs(a.at);
  if (!METHODS.has(method)) return 'unknown method';
  if (typeof ip !== 'string') return 'ip is not a string';
  if (Number.isNaN(at)) return 'at is not a valid instant';
  const verified = readBits(a.verified, STEP_BIT);
  if (verified < 0) return 'verified is not a short list of known steps';
  const enrolled = readBits(a.enrolled, FACTOR_BIT);
  if (enrolled < 0) return 'enrolled is not a short list of known factors';
  const sso = a.sso;
  if (sso !== undefined && (typeof sso !== 'object' || sso === null)) return 'sso is not an object';
  const ssoMfa = sso !== undefined && (sso as { mfa?: unknown }).mfa === true;
  const lockout = a.lockout;
  const networkLockout = a.networkLockout;
  return { method: method as LoginMethod, ip, at, verified, enrolled, ssoMfa, lockout, networkLockout };
}

// A list of known names as a bit set, or -1 when it is not a short list of known names. Bits
// keep the hot path free of allocations.
function readBits(value: unknown, bits: Readonly<Record<string, number>>): number {
  if (value === undefined) return 0;
  if (!Array.isArray(value)) return -1;
  const list: readonly unknown[] = value;
  const length = list.length;
  if (length > 16) return -1;
  let set = 0;
  for (let i = 0; i < length; i++) {
    const item = list[i];
    const bit = typeof item === 'string' && Object.hasOwn(bits, item) ? bits[item] : undefined;
    if (bit === undefined) return -1;
    set |= bit;
  }
  return set;
}

/**
 * The override that makes `policy` wrong for the instant `at`, if any: one it applied that has
 * expired by `at`, or one it ignored as expired that had not yet expired at `at`. A host that
 * keeps a resolved policy (a cache, a long session) past an override's expiry would otherwise
 * go on deciding by rules that no longer hold, such as an IP lockdown a trip switched off.
 */
function staleOverride(policy: EffectivePolicy, at: number): { source: string; detail: string } | undefined {
  if (policy.applied.length === 0 && policy.ignored.length === 0) return undefined;
  const [from, until] = validWindow(policy);
  if (at >= from && at < until) return undefined;
  const stale = (o: AppliedRule | IgnoredRule, why: string) => ({
    source: o.kind === 'layer' ? `layer:${o.id}` : o.staffId,
    detail: `The policy was resolved for ${isoOrRaw(policy.resolvedAt)}; ${o.kind === 'layer' ? `layer ${o.id}` : `override ${o.id ?? `#${String(o.index)}`} of ${o.staffId}`} ${why} ${isoOrRaw(at)}: resolve the policy again for this instant.`,
  });
  for (const o of policy.applied) {
    if (o.expiresAt !== undefined && !(toEpochMs(o.expiresAt) > at)) return stale(o, `in it expired at ${o.expiresAt}, by`);
  }
  for (const o of policy.ignored) {
    if (toEpochMs(o.expiresAt) > at) return stale(o, `was left out as expired (${o.expiresAt}), but had not expired at`);
  }
  return undefined;
}

// The instants [from, until) a policy holds for: from the last expiry among the overrides it
// left out, to the first among those it applied (an unreadable one: never). Cached for a frozen
// policy (as resolvePolicy makes them): parsing the expiries on every call cost ~1.6 µs.
const windows = new WeakMap<EffectivePolicy, readonly [number, number]>();

function validWindow(policy: EffectivePolicy): readonly [number, number] {
  const cached = windows.get(policy);
  if (cached !== undefined) return cached;
  let from = Number.NEGATIVE_INFINITY;
  let until = Number.POSITIVE_INFINITY;
  for (const o of policy.applied) {
    if (o.expiresAt === undefined) continue;
    const t = toEpochMs(o.expiresAt);
    until = Number.isNaN(t) ? Number.NEGATIVE_INFINITY : Math.min(until, t);
  }
  for (const o of policy.ignored) {
    const t = toEpochMs(o.expiresAt);
    if (t > from) from = t;
  }
  const window = [from, until] as const;
  if (deepFrozen(policy)) windows.set(policy, window);
  return window;
}

function deepFrozen(policy: EffectivePolicy): boolean {
  if (!Object.isFrozen(policy) || !Object.isFrozen(policy.applied) || !Object.isFrozen(policy.ignored)) return false;
  return policy.applied.every((o) => Object.isFrozen(o)) && policy.ignored.every((o) => Object.isFrozen(o));
}

function isoOrRaw(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

function sourceOf(policy: EffectivePolicy, ...fields: PolicyField[]): string {
  const s = decidingSource(policy, fields);
  return s.layer === 'account' ? 'account' : s.layer === 'layer' ? `layer:${s.layerId}` : s.staffId;
}

function describeSource(policy: EffectivePolicy, ...fields: PolicyField[]): string {
  return describeDecidingSource(policy, fields);
}

function deny(reasons: LoginReason[]): LoginDecision {
  return { outcome: 'deny', reasons };
}

function end(reasons: SessionReason[]): SessionDecision {
  return { outcome: 'end', reasons };
}

export type { LoginReasonCode };
