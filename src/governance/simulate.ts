import { StaffgateError } from '../errors.js';
import { toEpochMs } from '../instant.js';
import { compileIpRules, parseIp } from '../net/index.js';
import { compileLoginHours, isWithinLoginHours, resolveLocalTime } from '../hours/index.js';
import { evaluateLogin, type LoginAttempt, type LoginDecision, type LoginOptions, type LoginReasonCode } from '../login/index.js';
import { resolvePolicy, type EffectivePolicy, type PolicyMember } from '../policy/resolve.js';
import { describeDecidingSource } from '../policy/source.js';
import { ruleMode, type PolicyField } from '../policy/effect.js';
import type { AccountPolicy, StaffOverride } from '../policy/schema.js';

/**
 * How one rule fared in a simulated login.
 *
 * @example
 * ```ts
 * const icon: Record<TraceStatus, string> = { pass: '✓', fail: '✗', reported: '!', off: '–', pending: '…', skipped: ' ' };
 * for (const step of simulateLogin(account, overrides, attempt).trace) console.log(icon[step.status], step.rule, step.detail);
 * ```
 */
export type TraceStatus =
  /** The rule held. */
  | 'pass'
  /** The rule refused the login. */
  | 'fail'
  /** A report-only rule would have refused or challenged; it was let through. */
  | 'reported'
  /** The rule is switched off (or does not apply to this method). */
  | 'off'
  /** A step still to do: the login is challenged for it. */
  | 'pending'
  /** Not reached: an earlier rule refused the login. */
  | 'skipped';

/**
 * One rule of a simulated login, in the order `evaluateLogin` applies them: the setting, the
 * layer it came from and how the attempt fared, for an admin's "why can't sam sign in?".
 *
 * @example
 * ```ts
 * const failed: LoginTraceStep | undefined = simulateLogin(account, overrides, attempt).trace.find((s) => s.status === 'fail');
 * if (failed) console.log(`${failed.setting} (${failed.source}): ${failed.detail}`);
 * ```
 */
export interface LoginTraceStep {
  readonly rule: 'attempt' | 'method' | 'ip' | 'login_hours' | 'email_code' | 'second_factor';
  readonly status: TraceStatus;
  /** The setting in force, e.g. `ipLockdown: on, 2 entries`. */
  readonly setting: string;
  /** Where the setting came from: `account default`, or `override #0 of sam: "reason"` (`attempt` for the attempt's own check). */
  readonly source: string;
  /** What was checked, in plain words. */
  readonly detail: string;
}

/**
 * The answer of {@link simulateLogin}: the person's rules, the decision and how it came about.
 *
 * @example
 * ```ts
 * const sim: LoginSimulation = simulateLogin(account, overrides, { method: 'google', ip: '198.51.100.9', at: now }, { staffId: 'sam' });
 * sim.decision.outcome;              // what a live login would get
 * sim.policy.sources['ipLockdown.allow']; // where sam's allowlist came from
 * ```
 */
export interface LoginSimulation {
  readonly policy: EffectivePolicy;
  readonly decision: LoginDecision;
  readonly trace: readonly LoginTraceStep[];
}

/**
 * Options of {@link simulateLogin}: whose overrides apply, and the login options the live
 * flow uses, so the simulation decides as a real login would.
 *
 * @example
 * ```ts
 * const options: SimulateOptions = { staffId: 'sam', loginOptions: { acceptSsoMfa: true } };
 * const sim = simulateLogin(account, overrides, attempt, options);
 * ```
 */
export interface SimulateOptions {
  /** Whose overrides apply when `overrides` holds several people's. */
  readonly staffId?: string;
  /** The person's roles and teams: the account's layers for them apply, and the trace names the layer that decided. */
  readonly member?: PolicyMember;
  /** Passed to `evaluateLogin`. */
  readonly loginOptions?: LoginOptions;
}

/**
 * The what-if: resolves one person's rules at the attempt's instant and decides the attempt
 * with the real `evaluateLogin`, then explains every rule on the way, in order: what the
 * setting is, which layer it came from and how the attempt fared against it. The decision is
 * exactly the one a live login would get.
 *
 * @throws {StaffgateError} `invalid_instant` when `attempt.at` is not an instant (there is no
 *   moment to resolve the rules for); the errors of `resolvePolicy` for bad settings.
 * @example
 * ```ts
 * const sim = simulateLogin(account, overrides, { method: 'password', ip: '203.0.113.7', at: '2026-11-23T08:30:00Z' }, { staffId: 'sam' });
 * for (const step of sim.trace) console.log(step.rule, step.status, step.detail);
 * sim.decision.outcome; // 'challenge'
 * ```
 */
export function simulateLogin(account: AccountPolicy, overrides: readonly StaffOverride[], attempt: LoginAttempt, options: SimulateOptions = {}): LoginSimulation {
  let rawAt: unknown;
  try {
    rawAt = (attempt as { at?: unknown } | null)?.at;
  } catch {
    rawAt = undefined; // a getter that throws: no valid instant
  }
  const at = toEpochMs(rawAt);
  if (Number.isNaN(at)) throw new StaffgateError('invalid_instant', 'is not a valid instant (a Date, epoch ms, or ISO 8601 with an offset)', { path: ['attempt', 'at'] });
  const policy = resolvePolicy(account, overrides, {
    at,
    ...(options.staffId === undefined ? {} : { staffId: options.staffId }),
    ...(options.member === undefined ? {} : { member: options.member }),
  });
  const decision = evaluateLogin(policy, attempt, options.loginOptions);
  return { policy, decision, trace: traceOf(policy, attempt, at, decision, options.loginOptions) };
}

function traceOf(policy: EffectivePolicy, attempt: LoginAttempt, at: number, decision: LoginDecision, options: LoginOptions | undefined): LoginTraceStep[] {
  const denied = new Set<LoginReasonCode>(decision.outcome === 'deny' ? decision.reasons.map((r) => r.code) : []);
  const reported = new Set<LoginReasonCode>((decision.reported ?? []).map((r) => r.code));
  const trace: LoginTraceStep[] = [];
  const step = (rule: LoginTraceStep['rule'], status: TraceStatus, fields: readonly PolicyField[], setting: string, detail: string) => {
    trace.push({ rule, status, setting, source: fields.length === 0 ? 'account default' : describeDecidingSource(policy, fields), detail });
  };

  const invalid = decision.reasons.find((r) => r.code === 'attempt_invalid');
  trace.push({
    rule: 'attempt',
    status: invalid ? 'fail' : 'pass',
    setting: 'a known method, a string address, a valid instant, known steps and factors',
    source: 'attempt',
    detail: invalid ? invalid.detail : `${attempt.method} login from ${attempt.ip} at ${new Date(at).toISOString()}.`,
  });
  if (invalid) return trace;

  const methods = policy.loginMethods;
  step(
    'method',
    denied.has('method_not_allowed') ? 'fail' : 'pass',
    ['loginMethods'],
    `loginMethods: ${methods.join(', ')}`,
    `${attempt.method} is ${methods.includes(attempt.method) ? '' : 'not '}allowed.`,
  );

  const lock = policy.ipLockdown;
  const lockFields: PolicyField[] = ['ipLockdown.enabled', 'ipLockdown.allow', 'ipLockdown.mode'];
  const lockSetting = `ipLockdown: ${onOff(lock.enabled, ruleMode(lock))}, ${lock.allow.length} ${lock.allow.length === 1 ? 'entry' : 'entries'}`;
  const parsed = parseIp(attempt.ip);
  if (!parsed.ok) step('ip', 'fail', [], lockSetting, `${JSON.stringify(attempt.ip)} is not a valid IP address (${parsed.reason}); refused even without a lockdown.`);
  else if (!lock.enabled) step('ip', 'off', lockFields, lockSetting, `IP lockdown is off; ${parsed.address} is a valid address.`);
  else {
    const match = compileIpRules(lock.allow).explain(parsed.address);
    if (match.matched) step('ip', 'pass', lockFields, lockSetting, `${parsed.address} matches entry ${match.index} (${match.entry}).`);
    else step('ip', reported.has('ip_not_allowed') ? 'reported' : 'fail', lockFields, lockSetting, `${parsed.address} matches no entry${reported.has('ip_not_allowed') ? ' (report-only: let in)' : ''}.`);
  }

  const hours = policy.loginHours;
  const hourFields: PolicyField[] = ['loginHours.enabled', 'loginHours.timezone', 'loginHours.windows', 'loginHours.mode'];
  const hoursSetting = `loginHours: ${onOff(hours.enabled, ruleMode(hours))}, ${hours.timezone}, ${hours.windows.map((w) => `${w.days.join(',')} ${w.start}–${w.end}`).join('; ') || 'no windows'}`;
  if (!hours.enabled) step('login_hours', 'off', hourFields, hoursSetting, 'Login hours are off.');
  else {
    const compiled = compileLoginHours({ timezone: hours.timezone, windows: hours.windows });
    const local = resolveLocalTime(compiled, at);
    const when = local === null ? new Date(at).toISOString() : `${local.weekday} ${local.date} ${local.time} in ${local.timezone}`;
    if (isWithinLoginHours(compiled, at)) step('login_hours', 'pass', hourFields, hoursSetting, `${when} is inside the hours.`);
    else step('login_hours', reported.has('outside_login_hours') ? 'reported' : 'fail', hourFields, hoursSetting, `${when} is outside the hours${reported.has('outside_login_hours') ? ' (report-only: let in)' : ''}.`);
  }

  const verified = attempt.verified ?? [];
  const refused = decision.outcome === 'deny';
  const passwordLogin = attempt.method === 'password';
  step(
    'email_code',
    !passwordLogin ? 'off' : verified.includes('email_code') ? 'pass' : refused ? 'skipped' : 'pending',
    [],
    'password logins always need the e-mailed code',
    !passwordLogin
      ? `Not needed for a ${attempt.method} login.`
      : verified.includes('email_code')
        ? 'The e-mailed code was entered.'
        : refused
          ? 'Not reached: the login is refused.'
          : 'The e-mailed code is still to be entered.',
  );

  const tf = policy.twoFactor;
  const tfFields: PolicyField[] = ['twoFactor.required', 'twoFactor.methods', 'twoFactor.mode'];
  const tfSetting = `twoFactor: ${tf.required ? `required${ruleMode(tf) === 'report' ? ' (report-only)' : ''}` : 'not required'}, factors ${tf.methods.join(', ') || 'none'}`;
  const factorDone = tf.methods.find((f) => verified.includes(f));
  const ssoDone = options?.acceptSsoMfa === true && !passwordLogin && attempt.sso?.mfa === true;
  const tfReported = reported.has('second_factor_required') || reported.has('second_factor_enrollment_required');
  if (!tf.required) step('second_factor', 'off', tfFields, tfSetting, '2FA is not required.');
  else if (factorDone !== undefined) step('second_factor', 'pass', tfFields, tfSetting, `${factorDone} was verified.`);
  else if (ssoDone) step('second_factor', 'pass', tfFields, tfSetting, 'The identity provider’s MFA claim is accepted.');
  else if (tfReported) step('second_factor', 'reported', tfFields, tfSetting, 'No allowed factor was verified (report-only: not asked for).');
  else if (tf.methods.length === 0) step('second_factor', 'fail', tfFields, tfSetting, 'No factor is allowed, so nobody can complete the login.');
  else if (refused) step('second_factor', 'skipped', tfFields, tfSetting, 'Not reached: the login is refused.');
  else step('second_factor', 'pending', tfFields, tfSetting, `A second factor is still to be verified (${decision.challenge?.step === 'enroll' ? 'none is set up yet' : 'one is set up'}).`);
  return trace;
}

function onOff(enabled: boolean, mode: string | undefined): string {
  return enabled ? (mode === 'report' ? 'on (report-only)' : 'on') : 'off';
}


