/**
 * State across app servers: a small compare-and-swap store interface, an in-memory store, and
 * helpers that run the read, decide, write loop for one-time codes, TOTP steps and lockout
 * records, so that two servers never both accept one code. The decisions themselves stay in
 * the pure functions of `staffgate/otp` and `staffgate/login`. See docs/state.md.
 *
 * @example
 * ```ts
 * import { createMemoryStateStore, verifyStoredOneTimeCode } from 'staffgate/state';
 * ```
 *
 * @module
 */
export { createMemoryStateStore, type CompareAndSwapOptions, type MemoryStateStoreOptions, type StateEntry, type StateStore } from './store.js';
export {
  claimLoginAttempt,
  PERSON_LOCKOUT_TTL_MS,
  readStoredLockout,
  recordStoredLoginFailure,
  recordStoredLoginSuccess,
  saveOneTimeCode,
  verifyStoredOneTimeCode,
  verifyStoredTotp,
  type LoginClaim,
  type StateConflict,
  type StateRetryOptions,
  type StoredLockoutResult,
  type StoredLockoutUpdate,
  type StoredOneTimeCodeResult,
  type StoredTotpResult,
} from './helpers.js';
