export {
  accountPolicySchema,
  staffOverrideSchema,
  accountPolicyJsonSchema,
  staffOverrideJsonSchema,
  DEFAULT_ACCOUNT_POLICY,
  LOGIN_METHODS,
  SECOND_FACTORS,
} from './schema.js';
export { WEEKDAYS } from '../hours/index.js';
export type {
  AccountPolicy,
  AccountPolicyInput,
  ApiSettings,
  IpLockdownSettings,
  LoginHoursSettings,
  LoginMethod,
  LoginWindow,
  MailSettings,
  OverrideSet,
  SecondFactor,
  StaffOverride,
  StaffOverrideInput,
  TwoFactorSettings,
  Weekday,
} from './schema.js';
export { parseAccountPolicy, safeParseAccountPolicy, parseStaffOverride, safeParseStaffOverride } from './parse.js';
export { resolvePolicy, POLICY_FIELDS } from './resolve.js';
export type {
  AppliedOverride,
  ChangeEffect,
  EffectivePolicy,
  FieldChange,
  FieldSource,
  FieldValue,
  IgnoredOverride,
  PolicyField,
  ResolveOptions,
} from './resolve.js';
