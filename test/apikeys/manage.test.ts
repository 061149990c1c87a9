import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROTATION_OVERLAP_SECONDS,
  generateApiKey,
  revokeApiKey,
  rotateApiKey,
  touchApiKey,
  verifyApiKey,
  type ApiKeyRecord,
} from 'staffgate/apikeys';
import { APP_SERVER, AT, AT_MS, DAY, codes, expectError, request } from './helpers.js';

const HOUR = 3_600_000;
const issued = generateApiKey({ scopes: ['orders:write'], at: AT, expiresAt: AT_MS + 90 * DAY, allowIps: [APP_SERVER], label: 'Shop', prefix: 'acme' });

describe('touchApiKey', () => {
  it('records the instant and the normalised address, most recent first', () => {
    let r = touchApiKey(issued.record, { at: AT_MS + HOUR, ip: '2001:DB8:0:0:0:0:0:1' });
    r = touchApiKey(r, { at: AT_MS + 2 * HOUR, ip: `::ffff:${APP_SERVER}` });
    expect(r.lastUsedAt).toBe('2025-03-01T11:00:00.000Z');
    expect(r.lastUsedIps).toEqual([APP_SERVER, '2001:db8::1']);
  });

  it('moves a repeated address to the front instead of listing it twice', () => {
    let r = issued.record;
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.1']) r = touchApiKey(r, { at: AT, ip });
    expect(r.lastUsedIps).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('keeps the last five addresses', () => {
    let r = issued.record;
    for (let i = 1; i <= 7; i++) r = touchApiKey(r, { at: AT, ip: `192.0.2.${i}` });
    expect(r.lastUsedIps).toEqual(['192.0.2.7', '192.0.2.6', '192.0.2.5', '192.0.2.4', '192.0.2.3']);
  });

  it('never moves lastUsedAt backwards (out-of-order writes)', () => {
    const later = touchApiKey(issued.record, { at: AT_MS + DAY, ip: APP_SERVER });
    expect(touchApiKey(later, { at: AT_MS + HOUR, ip: APP_SERVER }).lastUsedAt).toBe(later.lastUsedAt);
  });

  it('does not record an address that is not one, and does not throw for it', () => {
    const r = touchApiKey(issued.record, { at: AT, ip: '010.0.0.1' });
    expect(r.lastUsedIps).toEqual([]);
    expect(r.lastUsedAt).toBe('2025-03-01T09:00:00.000Z');
  });

  it('leaves the input record untouched', () => {
    const before = JSON.stringify(issued.record);
    touchApiKey(issued.record, { at: AT, ip: APP_SERVER });
    expect(JSON.stringify(issued.record)).toBe(before);
  });

  it('throws invalid_instant for a bad at (the host clock is not request input)', () => {
    expectError(() => touchApiKey(issued.record, { at: 'now', ip: APP_SERVER }), 'invalid_instant', ['at']);
  });
});

describe('revokeApiKey', () => {
  it('sets revokedAt and leaves the input untouched', () => {
    const r = revokeApiKey(issued.record, { at: AT_MS + DAY });
    expect(r.revokedAt).toBe('2025-03-02T09:00:00.000Z');
    expect(issued.record.revokedAt).toBeNull();
  });

  it('keeps the first instant when revoked twice', () => {
    const once = revokeApiKey(issued.record, { at: AT_MS + DAY });
    expect(revokeApiKey(once, { at: AT_MS + 2 * DAY }).revokedAt).toBe(once.revokedAt);
  });

  it('throws invalid_instant for a bad at', () => {
    expectError(() => revokeApiKey(issued.record, { at: Number.NaN }), 'invalid_instant', ['at']);
  });
});

describe('revokeApiKey and touchApiKey: a record or options that are not objects', () => {
  it.each([null, undefined, 'key_123'])('a record of %p throws invalid_option naming record', (bad) => {
    expectError(() => revokeApiKey(bad as never, { at: AT_MS }), 'invalid_option', ['record']);
    expectError(() => touchApiKey(bad as never, { at: AT_MS, ip: APP_SERVER }), 'invalid_option', ['record']);
  });

  it.each([null, undefined, 42])('options of %p throw invalid_option', (bad) => {
    expectError(() => revokeApiKey(issued.record, bad as never), 'invalid_option', []);
    expectError(() => touchApiKey(issued.record, bad as never), 'invalid_option', []);
  });
});

describe('rotateApiKey', () => {
  const rotatedAt = AT_MS + 10 * DAY;

  it('issues a new key with the same scopes, allowlist, label and prefix, linked both ways', () => {
    const { token, record, previous } = rotateApiKey(issued.record, { at: rotatedAt });
    expect(token.startsWith('acme_')).toBe(true);
    expect(record).toMatchObject({ scopes: ['orders:write'], allowIps: [APP_SERVER], label: 'Shop', prefix: 'acme', rotatedFrom: issued.record.id });
    expect(record.id).not.toBe(issued.record.id);
    expect(previous.replacedBy).toBe(record.id);
  });

  it('keeps the old key working during the overlap (24 h by default), then only the new one', () => {
    expect(DEFAULT_ROTATION_OVERLAP_SECONDS).toBe(86_400);
    const { token, record, previous } = rotateApiKey(issued.record, { at: rotatedAt });
    const during = request({ at: rotatedAt + DAY - 1 });
    const after = request({ at: rotatedAt + DAY });
    expect(verifyApiKey(previous, issued.token, during).outcome).toBe('allow');
    expect(codes(verifyApiKey(previous, issued.token, after))).toEqual(['key_expired@key']);
    expect(verifyApiKey(record, token, during).outcome).toBe('allow');
    expect(verifyApiKey(record, token, after).outcome).toBe('allow');
  });

  it('ends the old key at once with overlapSeconds 0', () => {
    const { previous } = rotateApiKey(issued.record, { at: rotatedAt, overlapSeconds: 0 });
    expect(codes(verifyApiKey(previous, issued.token, request({ at: rotatedAt })))).toEqual(['key_expired@key']);
  });

  it('never extends the old key beyond its own expiry', () => {
    const { previous } = rotateApiKey(issued.record, { at: rotatedAt, overlapSeconds: 365 * 86_400 });
    expect(previous.expiresAt).toBe(issued.record.expiresAt);
  });

  it("gives the new key the old key's lifetime again, counted from the rotation", () => {
    const { record } = rotateApiKey(issued.record, { at: rotatedAt });
    expect(Date.parse(record.expiresAt ?? '') - rotatedAt).toBe(90 * DAY);
    expect(record.createdAt).toBe(new Date(rotatedAt).toISOString());
  });

  it('takes an explicit expiry, or none', () => {
    expect(rotateApiKey(issued.record, { at: rotatedAt, expiresAt: rotatedAt + DAY }).record.expiresAt).toBe(new Date(rotatedAt + DAY).toISOString());
    expect(rotateApiKey(issued.record, { at: rotatedAt, expiresAt: null }).record.expiresAt).toBeNull();
  });

  it('applies the lifetime cap to the new key', () => {
    const policy = { api: { ipAllowlist: { enabled: false, allow: [] }, maxKeyLifetimeDays: 30 } };
    expectError(() => rotateApiKey(issued.record, { at: rotatedAt, policy }), 'key_lifetime_exceeded', ['expiresAt']);
    expect(rotateApiKey(issued.record, { at: rotatedAt, policy, expiresAt: rotatedAt + 30 * DAY }).record.expiresAt).not.toBeNull();
  });

  it('refuses to rotate a revoked key', () => {
    expectError(() => rotateApiKey(revokeApiKey(issued.record, { at: AT }), { at: rotatedAt }), 'invalid_option', ['record', 'revokedAt']);
  });

  it('refuses to rotate a key that has expired, from its expiry on', () => {
    const expiry = Date.parse(issued.record.expiresAt ?? '');
    expectError(() => rotateApiKey(issued.record, { at: expiry }), 'invalid_option', ['record', 'expiresAt']);
    expectError(() => rotateApiKey(issued.record, { at: expiry + 300 * DAY }), 'invalid_option', ['record', 'expiresAt']);
    expect(rotateApiKey(issued.record, { at: expiry - 1 }).record.rotatedFrom).toBe(issued.record.id);
  });

  it.each([
    ['a negative overlap', { at: rotatedAt, overlapSeconds: -1 }, 'invalid_option', ['overlapSeconds']],
    ['an overlap of NaN', { at: rotatedAt, overlapSeconds: Number.NaN }, 'invalid_option', ['overlapSeconds']],
    ['a bad at', { at: 'later' }, 'invalid_instant', ['at']],
    ['an expiry before the rotation', { at: rotatedAt, expiresAt: rotatedAt - 1 }, 'invalid_option', ['expiresAt']],
    ['a misspelt option', { at: rotatedAt, overlap: 60 }, 'invalid_option', ['overlap']],
  ] as const)('throws for %s', (_name, options, code, path) => {
    expectError(() => rotateApiKey(issued.record, options), code, path);
  });

  it('throws for a damaged record, naming the field', () => {
    const broken = { ...issued.record, createdAt: 'long ago' } as ApiKeyRecord;
    expectError(() => rotateApiKey(broken, { at: rotatedAt }), 'invalid_option', ['record', 'createdAt']);
  });
});
