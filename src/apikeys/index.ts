/**
 * API keys: issue, verify, scopes, expiry, rotation, and a separate API IP allowlist.
 * See docs/api-keys.md.
 */
export { generateApiKey, rotateApiKey, revokeApiKey, touchApiKey, DEFAULT_ROTATION_OVERLAP_SECONDS } from './manage.js';
export type { GenerateApiKeyOptions, IssuedApiKey, RotateApiKeyOptions, RotatedApiKey } from './manage.js';
export { parseApiKey } from './parse.js';
export type { ParsedApiKey } from './parse.js';
export { verifyApiKey } from './verify.js';
export { isValidScope as isApiKeyScope } from './scopes.js';
export type {
  ApiKeyDecision,
  ApiKeyPolicy,
  ApiKeyReason,
  ApiKeyReasonCode,
  ApiKeyReasonSource,
  ApiKeyRecord,
  ApiKeyRequest,
} from './types.js';
