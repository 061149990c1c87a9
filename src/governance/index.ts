// Governance, built on the settings model (src/policy/) and the login decision (src/login/):
// lint, review, diff, change safety and the what-if simulation. Nothing below imports it.
export { diffPolicies } from './diff.js';
export type { DiffValue, PolicyChange } from './diff.js';
export { lintPolicy } from './lint.js';
export type { FindingCode, FindingSeverity, LintOptions, PolicyFinding } from './lint.js';
export { reviewLayers, reviewOverrides } from './review.js';
export type { LayerReview, LayerReviewItem, OverrideReview, OverrideReviewItem, ReviewOptions } from './review.js';
export { checkChangeSafety } from './safety.js';
export type { AdminAccess, ChangeSafety, ChangeSafetyCode, ChangeSafetyOptions, ChangeSafetyReason, LockedOutAdmin } from './safety.js';
export { simulateLogin } from './simulate.js';
export type { LoginSimulation, LoginTraceStep, SimulateOptions, TraceStatus } from './simulate.js';
