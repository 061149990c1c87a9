import type { Instant } from '../instant.js';
import type { LoginMethod, SecondFactor } from '../policy/index.js';

/** A step a person can complete during a login: the e-mailed login code, or a second factor. */
export type LoginStep = 'email_code' | SecondFactor;

/** One login attempt, as the host's login flow sees it. */
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
}

/** Every reason code a login decision can carry. */
export type LoginReasonCode =
  | 'attempt_invalid'
  | 'method_not_allowed'
  | 'ip_invalid'
  | 'ip_not_allowed'
  | 'outside_login_hours'
  | 'email_code_required'
  | 'second_factor_required'
  | 'second_factor_enrollment_required';

/** Why a decision came out as it did. */
export interface LoginReason {
  readonly code: LoginReasonCode;
  /** `'account'`, or the staffId of the override the deciding setting came from; `'attempt'` for a malformed attempt. */
  readonly source: string;
  /** Safe to show the person logging in: never the allowlist, never anyone else's hours. */
  readonly message: string;
  /** For the admin's audit log: the rule, the value and the layer it came from. */
  readonly detail: string;
}

/** What the person must do next when the outcome is `challenge`. */
export type LoginChallenge =
  | { readonly step: 'email_code' }
  | { readonly step: 'second_factor' | 'enroll'; readonly factors: readonly SecondFactor[] };

/** The answer to a login attempt. */
export interface LoginDecision {
  readonly outcome: 'allow' | 'challenge' | 'deny';
  /** Every rule that did not pass: all deny reasons, then the pending steps in order. */
  readonly reasons: readonly LoginReason[];
  /** The next step, when the outcome is `challenge`. */
  readonly challenge?: LoginChallenge;
  /** When the attempt is outside login hours: the next instant (epoch ms) a login is allowed, if any. */
  readonly retryAt?: number;
  /**
   * What report-only rules (`mode: 'report'`) would have done, had they been enforced. Present
   * only when one of them would have denied or challenged; it never changes `outcome`.
   */
  readonly reported?: readonly ReportedLoginReason[];
}

/** A reason a report-only rule would have given, and what it would have made of the login. */
export interface ReportedLoginReason extends LoginReason {
  /** `deny` (IP lockdown, login hours, 2FA with no factor allowed) or `challenge` (2FA). */
  readonly wouldBe: 'deny' | 'challenge';
}

/** Options of {@link evaluateLogin}. */
export interface LoginOptions {
  /**
   * Let an identity provider's MFA claim (`attempt.sso.mfa === true` on a Google or Microsoft
   * login) satisfy required 2FA. Default `false`: only a factor verified by your app counts.
   */
  readonly acceptSsoMfa?: boolean;
}

/** One per-request re-check in middleware. */
export interface SessionRequest {
  readonly ip: string;
  readonly at: Instant;
  /** When the session's login happened. */
  readonly loginAt: Instant;
}

/** Reason codes of a session re-check. */
export type SessionReasonCode = 'request_invalid' | 'ip_invalid' | 'ip_not_allowed' | 'outside_login_hours';

export interface SessionReason {
  readonly code: SessionReasonCode;
  readonly source: string;
  readonly message: string;
  readonly detail: string;
}

/** The answer to a per-request re-check: keep the session, or end it. */
export interface SessionDecision {
  readonly outcome: 'continue' | 'end';
  readonly reasons: readonly SessionReason[];
  /** Report-only rules that would have ended the session. Present only when there are some; never changes `outcome`. */
  readonly reported?: readonly SessionReason[];
}
