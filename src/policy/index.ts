export {
  accountPolicySchema,
  staffOverrideSchema,
  accountPolicyJsonSchema,
  staffOverrideJsonSchema,
  DEFAULT_ACCOUNT_POLICY,
  LOGIN_METHODS,
  SECOND_FACTORS,
  RULE_MODES,
} from './schema.js';
export { WEEKDAYS } from '../hours/index.js';
export type {
  AccountPolicy,
  AccountPolicyInput,
  ApiSettings,
  IpAllowlistSettings,
  IpLockdownSettings,
  LockoutSettings,
  LoginHoursSettings,
  LoginMethod,
  LoginWindow,
  MailSettings,
  OverrideSet,
  RuleMode,
  SecondFactor,
  StaffOverride,
  StaffOverrideInput,
  TwoFactorSettings,
  Weekday,
} from './schema.js';
export { parseAccountPolicy, safeParseAccountPolicy, parseStaffOverride, safeParseStaffOverride } from './parse.js';
export { resolvePolicy } from './resolve.js';
export type { AppliedOverride, EffectivePolicy, FieldChange, FieldSource, FieldValue, IgnoredOverride, ResolveOptions } from './resolve.js';
export { POLICY_FIELDS, POLICY_PATHS } from './effect.js';
export type { ChangeEffect, PolicyField, PolicyPath } from './effect.js';
// Governance: lint, review, diff, change safety and the what-if simulation.
export { diffPolicies } from './diff.js';
export type { DiffValue, PolicyChange } from './diff.js';
export { lintPolicy } from './lint.js';
export type { FindingCode, FindingSeverity, LintOptions, PolicyFinding } from './lint.js';
export { reviewOverrides } from './review.js';
export type { OverrideReview, OverrideReviewItem, ReviewOptions } from './review.js';
export { checkChangeSafety } from './safety.js';
export type { AdminAccess, ChangeSafety, ChangeSafetyCode, ChangeSafetyOptions, ChangeSafetyReason, LockedOutAdmin } from './safety.js';
export { simulateLogin } from './simulate.js';
export type { LoginSimulation, LoginTraceStep, SimulateOptions, TraceStatus } from './simulate.js';
