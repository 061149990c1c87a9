// Login decisions: composes the policy, network and login-hours capabilities.
export { evaluateLogin, evaluateSession } from './evaluate.js';
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
