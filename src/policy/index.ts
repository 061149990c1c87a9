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
  LayerTarget,
  LockoutSettings,
  LoginHoursSettings,
  LoginMethod,
  LoginWindow,
  MailSettings,
  OverrideSet,
  PolicyLayer,
  RuleMode,
  SecondFactor,
  StaffOverride,
  StaffOverrideInput,
  TwoFactorSettings,
  Weekday,
} from './schema.js';
export { parseAccountPolicy, safeParseAccountPolicy, parseStaffOverride, safeParseStaffOverride } from './parse.js';
export { resolvePolicy } from './resolve.js';
export type {
  AppliedLayer,
  AppliedOverride,
  AppliedRule,
  EffectivePolicy,
  FieldChange,
  FieldSource,
  FieldValue,
  IgnoredLayer,
  IgnoredOverride,
  IgnoredRule,
  PolicyMember,
  ResolveOptions,
} from './resolve.js';
export { POLICY_FIELDS, POLICY_PATHS } from './effect.js';
export type { ChangeEffect, PolicyField, PolicyPath } from './effect.js';
