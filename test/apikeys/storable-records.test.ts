import { describe, expect, it } from 'vitest';
import { generateApiKey, rotateApiKey, verifyApiKey } from 'staffgate/apikeys';
import { AT, AT_MS, DAY, expectError, request } from './helpers.js';

describe('records hold only instants the verifier can read back', () => {
  const Y10K = Date.UTC(10000, 0, 1);

  it('refuses an expiry after 9999 instead of issuing a key that never verifies', () => {
    expectError(() => generateApiKey({ scopes: ['read'], at: AT, expiresAt: Y10K }), 'invalid_option', ['expiresAt']);
  });

  it('still issues a key that expires at the last storable instant, and it verifies', () => {
    const { token, record } = generateApiKey({ scopes: ['read'], at: AT, expiresAt: Y10K - 1 });
    expect(verifyApiKey(record, token, request({ at: AT_MS + 1, scope: 'read' })).outcome).toBe('allow');
  });

  it('refuses an overlap that would cut the old key off at once', () => {
    const { record } = generateApiKey({ scopes: ['read'], at: AT });
    expectError(() => rotateApiKey(record, { at: AT_MS + DAY, overlapSeconds: (Y10K - AT_MS) / 1000 }), 'invalid_option', ['overlapSeconds']);
  });
});

describe('rotateApiKey on a key already rotated', () => {
  it('refuses, so a double submit cannot fork a second live successor', () => {
    const { record } = generateApiKey({ scopes: ['read'], at: AT });
    const { previous } = rotateApiKey(record, { at: AT_MS + DAY });
    expectError(() => rotateApiKey(previous, { at: AT_MS + DAY + 1 }), 'invalid_option', ['record', 'replacedBy']);
  });
});
