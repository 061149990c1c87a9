import type { Instant } from '../instant.js';
import type { LoginMethod, SecondFactor } from '../policy/schema.js';
import type { LockoutRecord } from './lockout.js';

/**
 * A step a person can complete during a login: the e-mailed login code, or a second factor.
 * The host records the steps done so far in the login's pending state and passes them back
 * as `verified`.
 *
 * @example
 * ```ts
 * const verified: LoginStep[] = ['email_code'];
 * const totp = verifyTotp({ secret, code: req.body.code, at: now, lastUsedStep: user.totpLastStep });
 * if (totp.ok) verified.push('totp');
 * const decision = evaluateLogin(policy, { method: 'password', ip: clientIp, at: now, verified, enrolled: ['totp'] });
 * ```
 */
export type LoginStep = 'email_code' | SecondFactor;

/**
 * One login attempt, as the host's login flow sees it. It is untrusted request data: a
 * malformed attempt is denied with `attempt_invalid`, never thrown on.
 *
 * @example
 * ```ts
 * const client = resolveClientIp({ remoteAddress: req.socket.remoteAddress, forwardedFor: req.headers['x-forwarded-for'], trustedProxies });
 * if (!client.ok) return res.status(400).end();
 * const attempt: LoginAttempt = {
 *   method: 'google',
 *   ip: client.ip,
 *   at: now,
 *   enrolled: ['totp'],
 *   sso: { mfa: idToken.amr?.includes('mfa') === true },
 * };
 * ```
 */
export interface LoginAttempt {
  readonly method: LoginMethod;
  /** The client's address (use `resolveClientIp` behind proxies). */
  readonly ip: string;
  /** The instant of the attempt: a Date, epoch ms, or ISO 8601 with an offset. */
  readonly at: Instant;
  /** Steps already completed in this attempt. `email_code` is the password login's e-mailed code; `email` is the e-mail second factor. */
  readonly verified?: readonly LoginStep[];
  /** Second factors this person has set up. */
  readonly enrolled?: readonly SecondFactor[];
  /** What the identity provider said, for Google and Microsoft logins. */
  readonly sso?: { readonly mfa?: boolean };
  /**
   * The stored lockout record of the login name (see `recordLoginFailure`); `null` or absent
   * when there is none. A locked person is denied with `locked_out`; a record that cannot be
   * read with `lockout_record_invalid`.
   */
  readonly lockout?: LockoutRecord | null;
  /** The stored lockout record of the client's network (`subject: 'network'`), for credential stuffing. */
  readonly networkLockout?: LockoutRecord | null;
}

/**
 * Every reason code a login decision can carry: a stable set a host can switch on for its
 * own responses and metrics.
 *
 * @example
 * ```ts
 * const status = (code: LoginReasonCode): number => (code === 'attempt_invalid' || code === 'ip_invalid' ? 400 : 403);
 * ```
 */
export type LoginReasonCode =
  | 'attempt_invalid'
  | 'method_not_allowed'
  | 'ip_invalid'
  | 'ip_not_allowed'
  | 'outside_login_hours'
  | 'email_code_required'
  | 'second_factor_required'
  | 'second_factor_enrollment_required'
  | 'locked_out'
  | 'lockout_record_invalid';

/**
 * Why a decision came out as it did, in two voices: `message` for the person signing in,
 * `detail` for the admin's audit log.
 *
 * @example
 * ```ts
 * const [reason]: readonly LoginReason[] = evaluateLogin(policy, attempt).reasons;
 * if (reason) {
 *   audit.write({ code: reason.code, source: reason.source, detail: reason.detail });
 *   res.status(403).json({ error: reason.code, message: reason.message });
 * }
 * ```
 */
export interface LoginReason {
  readonly code: LoginReasonCode;
  /** `'account'`, `'layer:<id>'` for a layer of the person's roles or teams, or the staffId of the override the deciding setting came from; `'attempt'` for a malformed attempt. */
  readonly source: string;
  /** Safe to show the person logging in: never the allowlist, never anyone else's hours. */
  readonly message: string;
  /** For the admin's audit log: the rule, the value and the layer it came from. */
  readonly detail: string;
}

/**
 * What the person must do next when the outcome is `challenge`: enter the e-mailed code,
 * verify one of `factors`, or set one of them up first.
 *
 * @example
 * ```ts
 * const next = (c: LoginChallenge): string =>
 *   c.step === 'email_code' ? '/login/code' : c.step === 'enroll' ? `/login/enroll?factors=${c.factors.join(',')}` : `/login/2fa?factors=${c.factors.join(',')}`;
 * ```
 */
export type LoginChallenge =
  | { readonly step: 'email_code' }
  | { readonly step: 'second_factor' | 'enroll'; readonly factors: readonly SecondFactor[] };

/**
 * The answer to a login attempt: create the session only on `allow`; on `challenge` ask for
 * `challenge`; on `deny` refuse with the first reason's message.
 *
 * @example
 * ```ts
 * const decision: LoginDecision = evaluateLogin(policy, attempt);
 * if (decision.outcome === 'allow') await createSession(userId);
 * else if (decision.outcome === 'challenge') res.json({ next: decision.challenge });
 * else res.status(403).json({ message: decision.reasons[0]?.message, retryAt: decision.retryAt });
 * ```
 */
export interface LoginDecision {
  readonly outcome: 'allow' | 'challenge' | 'deny';
  /** Every rule that did not pass: all deny reasons, then the pending steps in order. */
  readonly reasons: readonly LoginReason[];
  /** The next step, when the outcome is `challenge`. */
  readonly challenge?: LoginChallenge;
  /**
   * When the attempt is outside login hours or locked out: the next instant (epoch ms) a login
   * may be allowed (the lock's end, moved into the next login window when it falls outside).
   */
  readonly retryAt?: number;
  /**
   * What report-only rules (`mode: 'report'`) would have done, had they been enforced. Present
   * only when one of them would have denied or challenged; it never changes `outcome`.
   */
  readonly reported?: readonly ReportedLoginReason[];
}

/**
 * A reason a report-only rule would have given, and what it would have made of the login:
 * log them while trialling a rule to see whom it would affect.
 *
 * @example
 * ```ts
 * for (const r of evaluateLogin(policy, attempt).reported ?? []) {
 *   metrics.increment('report_only_rule', { code: r.code, wouldBe: r.wouldBe });
 * }
 * ```
 */
export interface ReportedLoginReason extends LoginReason {
  /** `deny` (IP lockdown, login hours, lockout, 2FA with no factor allowed) or `challenge` (2FA). */
  readonly wouldBe: 'deny' | 'challenge';
}

/**
 * Options of {@link evaluateLogin}: how much to trust the identity provider.
 *
 * @example
 * ```ts
 * const options: LoginOptions = { acceptSsoMfa: true }; // Google/Microsoft MFA counts as the second factor
 * const decision = evaluateLogin(policy, { method: 'microsoft', ip: clientIp, at: now, sso: { mfa: true } }, options);
 * ```
 */
export interface LoginOptions {
  /**
   * Let an identity provider's MFA claim (`attempt.sso.mfa === true` on a Google or Microsoft
   * login) satisfy required 2FA. Default `false`: only a factor verified by your app counts.
   */
  readonly acceptSsoMfa?: boolean;
}

/**
 * One per-request re-check in middleware: the address and instant of this request, and when
 * the session's login happened.
 *
 * @example
 * ```ts
 * const request: SessionRequest = { ip: clientIp, at: now, loginAt: session.loginAt };
 * const check = evaluateSession(policy, request);
 * ```
 */
export interface SessionRequest {
  readonly ip: string;
  readonly at: Instant;
  /** When the session's login happened. */
  readonly loginAt: Instant;
}

/**
 * Reason codes of a session re-check: why a live session should end.
 *
 * @example
 * ```ts
 * const signOutMessage: Record<SessionReasonCode, string> = {
 *   request_invalid: 'Please sign in again.',
 *   ip_invalid: 'Please sign in again.',
 *   ip_not_allowed: 'You are no longer on an allowed network.',
 *   outside_login_hours: 'Login hours are over for today.',
 * };
 * ```
 */
export type SessionReasonCode = 'request_invalid' | 'ip_invalid' | 'ip_not_allowed' | 'outside_login_hours';

/**
 * Why a session re-check ended the session (or, in `reported`, would have): `message` for the
 * person, `detail` for the audit log, `source` the layer the deciding setting came from.
 *
 * @example
 * ```ts
 * const check = evaluateSession(policy, { ip: clientIp, at: now, loginAt: session.loginAt });
 * const reason: SessionReason | undefined = check.reasons[0];
 * if (check.outcome === 'end' && reason) audit.write({ code: reason.code, detail: reason.detail });
 * ```
 */
export interface SessionReason {
  readonly code: SessionReasonCode;
  readonly source: string;
  readonly message: string;
  readonly detail: string;
}

/**
 * The answer to a per-request re-check: keep the session, or end it.
 *
 * @example
 * ```ts
 * const check: SessionDecision = evaluateSession(policy, { ip: clientIp, at: now, loginAt: session.loginAt });
 * if (check.outcome === 'end') {
 *   await destroySession(session.id);
 *   res.status(401).json({ message: check.reasons[0]?.message });
 * }
 * ```
 */
export interface SessionDecision {
  readonly outcome: 'continue' | 'end';
  readonly reasons: readonly SessionReason[];
  /** Report-only rules that would have ended the session. Present only when there are some; never changes `outcome`. */
  readonly reported?: readonly SessionReason[];
}
