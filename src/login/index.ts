// Login decisions: composes the policy, network and login-hours capabilities.
export { evaluateLogin, evaluateSession } from './evaluate.js';
export { checkLockout, lockoutNetwork, recordLoginFailure, recordLoginSuccess, MAX_FAMILIAR_NETWORKS } from './lockout.js';
export type { LockoutLane, LockoutRecord, LockoutStatus, LockoutSubject, LockoutUpdate } from './lockout.js';
export type {
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
  SessionReasonCode,
  SessionRequest,
} from './types.js';
