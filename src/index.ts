// staffgate: the root entry re-exports every capability. Hosts that care about what they load
// can import a capability's own entry instead (staffgate/net, staffgate/apikeys, ...).
export { StaffgateError, isStaffgateError } from './errors.js';
export type { StaffgateErrorCode, StaffgateIssue, SafeResult } from './errors.js';
export type { Instant } from './instant.js';
export * from './policy/index.js';
export * from './governance/index.js';
export * from './net/index.js';
export * from './hours/index.js';
export * from './login/index.js';
export * from './mail/index.js';
export * from './access/index.js';
export * from './otp/index.js';
export * from './apikeys/index.js';
export * from './state/index.js';
