/**
 * Second factors: authenticator-app codes (TOTP, RFC 6238) and one-time codes sent by e-mail
 * or SMS. staffgate owns the cryptography and the state transitions; the host stores the
 * records and sends the messages. See docs/second-factor.md.
 *
 * @example
 * ```ts
 * import { createTotpEnrollment, verifyTotp, issueOneTimeCode, verifyOneTimeCode } from 'staffgate/otp';
 * ```
 *
 * @module
 */
export {
  createTotpEnrollment,
  verifyTotp,
  type TotpEnrollmentInput,
  type TotpEnrollment,
  type TotpVerifyInput,
  type TotpVerification,
  type TotpReasonCode,
} from './totp.js';
export {
  issueOneTimeCode,
  verifyOneTimeCode,
  type IssueOneTimeCodeInput,
  type IssuedOneTimeCode,
  type OneTimeCodeChallenge,
  type OneTimeCodeChannel,
  type OneTimeCodePurpose,
  type OneTimeCodeStep,
  type VerifyOneTimeCodeOptions,
  type OneTimeCodeVerification,
  type OneTimeCodeReasonCode,
} from './one-time-code.js';
