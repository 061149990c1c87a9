import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateApiKey, type GenerateApiKeyOptions } from 'staffgate/apikeys';
import { AT, AT_MS, DAY, expectError, workspace } from './helpers.js';

describe('generateApiKey: the record', () => {
  it('starts with every field present, absent values as null', () => {
    const { record } = generateApiKey({ scopes: ['orders:write'], at: AT });
    expect(record).toEqual({
      id: record.id,
      prefix: 'sgk',
      secretHash: record.secretHash,
      label: null,
      scopes: ['orders:write'],
      createdAt: '2025-03-01T09:00:00.000Z',
      expiresAt: null,
      allowIps: null,
      revokedAt: null,
      lastUsedAt: null,
      lastUsedIps: [],
      rotatedFrom: null,
      replacedBy: null,
    });
  });

  it('keeps label, expiry and allowlist, with instants in ISO UTC', () => {
    const { record } = generateApiKey({
      scopes: ['orders:write'],
      at: new Date(AT_MS),
      expiresAt: '2025-09-01T02:00:00+02:00',
      allowIps: ['198.51.100.24', '2001:db8::/48'],
      label: 'Shop order sync',
    });
    expect(record).toMatchObject({
      label: 'Shop order sync',
      createdAt: '2025-03-01T09:00:00.000Z',
      expiresAt: '2025-09-01T00:00:00.000Z',
      allowIps: ['198.51.100.24', '2001:db8::/48'],
    });
  });

  it('drops duplicate scopes and keeps their order', () => {
    expect(generateApiKey({ scopes: ['orders:write', 'read', 'orders:write'], at: AT }).record.scopes).toEqual(['orders:write', 'read']);
  });

  it('does not share arrays with the options', () => {
    const scopes = ['read'];
    const allowIps = ['198.51.100.24'];
    const { record } = generateApiKey({ scopes, at: AT, allowIps });
    scopes.push('write');
    allowIps.push('0.0.0.0/0');
    expect(record.scopes).toEqual(['read']);
    expect(record.allowIps).toEqual(['198.51.100.24']);
  });

  it('survives a JSON round trip unchanged', () => {
    const { record } = generateApiKey({ scopes: ['read'], at: AT, expiresAt: AT_MS + DAY, allowIps: ['10.0.0.0/8'] });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });
});

describe('generateApiKey: bad options throw with the option path', () => {
  const ok: GenerateApiKeyOptions = { scopes: ['orders:write'], at: AT };
  const cases: [string, unknown, string, (string | number)[]][] = [
    ['no scopes', { ...ok, scopes: [] }, 'invalid_option', ['scopes']],
    ['scopes not an array', { ...ok, scopes: 'read' }, 'invalid_option', ['scopes']],
    ['an unknown action', { ...ok, scopes: ['orders:admin'] }, 'invalid_option', ['scopes', 0]],
    ['a capitalised resource', { ...ok, scopes: ['read', 'Orders:read'] }, 'invalid_option', ['scopes', 1]],
    ['a wildcard scope', { ...ok, scopes: ['*'] }, 'invalid_option', ['scopes', 0]],
    ['a scope with a space', { ...ok, scopes: ['orders:read '] }, 'invalid_option', ['scopes', 0]],
    ['too many scopes', { ...ok, scopes: Array.from({ length: 65 }, (_, i) => `r${i}:read`) }, 'invalid_option', ['scopes']],
    ['at that is not an instant', { ...ok, at: 'yesterday' }, 'invalid_instant', ['at']],
    ['at without a zone', { ...ok, at: '2025-03-01T09:00:00' }, 'invalid_instant', ['at']],
    ['at missing', { scopes: ['read'] }, 'invalid_instant', ['at']],
    ['expiresAt not an instant', { ...ok, expiresAt: 'next year' }, 'invalid_instant', ['expiresAt']],
    ['expiresAt before at', { ...ok, expiresAt: '2025-02-01T00:00:00Z' }, 'invalid_option', ['expiresAt']],
    ['expiresAt equal to at', { ...ok, expiresAt: AT }, 'invalid_option', ['expiresAt']],
    ['an empty allowlist', { ...ok, allowIps: [] }, 'invalid_option', ['allowIps']],
    ['an allowlist that is a string', { ...ok, allowIps: '198.51.100.24' }, 'invalid_option', ['allowIps']],
    ['an octal allowlist entry', { ...ok, allowIps: ['198.51.100.24', '010.0.0.1'] }, 'invalid_ip_entry', ['allowIps', 1]],
    ['a host name entry', { ...ok, allowIps: ['shop.example'] }, 'invalid_ip_entry', ['allowIps', 0]],
    ['an upper-case prefix', { ...ok, prefix: 'ACME' }, 'invalid_option', ['prefix']],
    ['an empty prefix', { ...ok, prefix: '' }, 'invalid_option', ['prefix']],
    ['a prefix ending in _', { ...ok, prefix: 'acme_' }, 'invalid_option', ['prefix']],
    ['a 33-char prefix', { ...ok, prefix: 'a'.repeat(33) }, 'invalid_option', ['prefix']],
    ['a label that is a number', { ...ok, label: 7 }, 'invalid_option', ['label']],
    ['a 201-char label', { ...ok, label: 'x'.repeat(201) }, 'invalid_option', ['label']],
    ['maxLifetimeDays 0', { ...ok, maxLifetimeDays: 0 }, 'invalid_option', ['maxLifetimeDays']],
    ['maxLifetimeDays NaN', { ...ok, maxLifetimeDays: Number.NaN }, 'invalid_option', ['maxLifetimeDays']],
    ['maxLifetimeDays as text', { ...ok, maxLifetimeDays: '30' }, 'invalid_option', ['maxLifetimeDays']],
    [
      'a negative policy lifetime',
      { ...ok, policy: { api: { ipAllowlist: { enabled: false, allow: [] }, maxKeyLifetimeDays: -1 } } },
      'invalid_option',
      ['policy', 'api', 'maxKeyLifetimeDays'],
    ],
    ['a misspelt option', { ...ok, expiry: '2026-01-01T00:00:00Z' }, 'invalid_option', ['expiry']],
    ['options that are null', null, 'invalid_option', []],
  ];
  it.each(cases)('%s', (_name, options, code, path) => {
    expectError(() => generateApiKey(options as GenerateApiKeyOptions), code, path);
  });
});

describe('generateApiKey: lifetime cap', () => {
  const base = { scopes: ['orders:write'], at: AT } as const;

  it('accepts an expiry exactly at the cap', () => {
    expect(generateApiKey({ ...base, maxLifetimeDays: 30, expiresAt: AT_MS + 30 * DAY }).record.expiresAt).toBe('2025-03-31T09:00:00.000Z');
  });

  it('refuses an expiry one millisecond beyond the cap', () => {
    const err = expectError(() => generateApiKey({ ...base, maxLifetimeDays: 30, expiresAt: AT_MS + 30 * DAY + 1 }), 'key_lifetime_exceeded', ['expiresAt']);
    expect(err.message).toContain('30 days');
  });

  it('refuses a key without expiry when a cap applies', () => {
    expectError(() => generateApiKey({ ...base, maxLifetimeDays: 30 }), 'key_lifetime_exceeded', ['expiresAt']);
  });

  it("reads the cap from the workspace policy's api.maxKeyLifetimeDays", () => {
    const policy = { api: { ipAllowlist: { enabled: false, allow: [] }, maxKeyLifetimeDays: 90 } };
    expect(generateApiKey({ ...base, policy, expiresAt: AT_MS + 90 * DAY }).record.expiresAt).not.toBeNull();
    expectError(() => generateApiKey({ ...base, policy, expiresAt: AT_MS + 91 * DAY }), 'key_lifetime_exceeded', ['expiresAt']);
  });

  it('applies the smaller of the option and the policy cap', () => {
    const policy = { api: { ipAllowlist: { enabled: false, allow: [] }, maxKeyLifetimeDays: 90 } };
    expectError(() => generateApiKey({ ...base, policy, maxLifetimeDays: 30, expiresAt: AT_MS + 31 * DAY }), 'key_lifetime_exceeded', ['expiresAt']);
    expectError(() => generateApiKey({ ...base, policy: { ...policy, api: { ...policy.api, maxKeyLifetimeDays: 20 } }, maxLifetimeDays: 30, expiresAt: AT_MS + 21 * DAY }), 'key_lifetime_exceeded', ['expiresAt']);
  });

  it('sets no cap when the policy has none', () => {
    expect(generateApiKey({ ...base, policy: workspace(false, []) }).record.expiresAt).toBeNull();
  });
});

describe('generateApiKey: randomness', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('throws crypto_unavailable when the runtime has no getRandomValues', () => {
    vi.stubGlobal('crypto', undefined);
    expectError(() => generateApiKey({ scopes: ['read'], at: AT }), 'crypto_unavailable', []);
  });

  it('throws crypto_unavailable instead of looping when the source only returns unusable bytes', () => {
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes.fill(255) });
    expectError(() => generateApiKey({ scopes: ['read'], at: AT }), 'crypto_unavailable', []);
  });

  it('draws every byte from globalThis.crypto.getRandomValues', () => {
    const fill = vi.fn((bytes: Uint8Array) => bytes.fill(7));
    vi.stubGlobal('crypto', { getRandomValues: fill });
    const { token, record } = generateApiKey({ scopes: ['read'], at: AT });
    expect(fill).toHaveBeenCalled();
    expect(record.id).toBe('7'.repeat(12)); // byte 7 → base62 digit "7"
    expect(token.slice(-28, -6)).toBe('7'.repeat(22));
  });
});
