import { describe, expect, it } from 'vitest';
import { generateApiKey, parseApiKey } from 'staffgate/apikeys';
import { AT, expectError, forgeToken, secretOf, sha256Hex } from './helpers.js';

describe('token format', () => {
  it('is <prefix>_<12 base62 id>_<22 base62 secret><6 base62 checksum>', () => {
    const { token, record } = generateApiKey({ scopes: ['read'], at: AT });
    expect(token).toMatch(/^sgk_[0-9A-Za-z]{12}_[0-9A-Za-z]{28}$/);
    expect(token.split('_')[1]).toBe(record.id);
  });

  it('uses the chosen prefix, underscores included', () => {
    const { token, record } = generateApiKey({ scopes: ['read'], at: AT, prefix: 'acme_live' });
    expect(token).toMatch(/^acme_live_[0-9A-Za-z]{12}_[0-9A-Za-z]{28}$/);
    expect(record.prefix).toBe('acme_live');
    expect(parseApiKey(token)).toEqual({ ok: true, id: record.id, prefix: 'acme_live' });
  });

  it('ends in the documented checksum: CRC-32 of the rest, six base62 digits', () => {
    const { token, record } = generateApiKey({ scopes: ['read'], at: AT, prefix: 'acme' });
    expect(forgeToken('acme', record.id, secretOf(token))).toBe(token);
  });

  it('stores the lowercase hex SHA-256 of the secret part, and never the secret', () => {
    const { token, record } = generateApiKey({ scopes: ['read'], at: AT, label: 'Shop order sync' });
    expect(record.secretHash).toBe(sha256Hex(secretOf(token)));
    const stored = JSON.stringify(record);
    expect(stored).not.toContain(secretOf(token));
    expect(stored).not.toContain(token);
  });

  it('draws a fresh id and secret every time', () => {
    const ids = new Set<string>();
    const secrets = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const { token, record } = generateApiKey({ scopes: ['read'], at: AT });
      ids.add(record.id);
      secrets.add(secretOf(token));
    }
    expect(ids.size).toBe(500);
    expect(secrets.size).toBe(500);
  });

  it('spreads secret characters over the whole base62 alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of secretOf(generateApiKey({ scopes: ['read'], at: AT }).token)) seen.add(c);
    expect(seen.size).toBe(62);
  });
});

describe('parseApiKey', () => {
  const { token, record } = generateApiKey({ scopes: ['read'], at: AT });
  const id = record.id;
  const tail = token.slice(-28);

  it('returns the public id of a well-formed token', () => {
    expect(parseApiKey(token)).toEqual({ ok: true, id, prefix: 'sgk' });
  });

  const malformed: [string, string][] = [
    ['empty', ''],
    ['prefix only', 'sgk_'],
    ['one char short', token.slice(0, -1)],
    ['one char extra', `${token}A`],
    ['last char changed', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')],
    ['first secret char changed', token.slice(0, -28) + (tail.startsWith('A') ? 'B' : 'A') + tail.slice(1)],
    ['id char changed', `sgk_${id.startsWith('A') ? 'B' : 'A'}${id.slice(1)}_${tail}`],
    ['prefix changed', `sgl_${id}_${tail}`],
    ['upper-case prefix', `SGK_${id}_${tail}`],
    ['leading space', ` ${token}`],
    ['trailing newline', `${token}\n`],
    ['Bearer left in', `Bearer ${token}`],
    ['quoted', `"${token}"`],
    ['prefix with a leading underscore', `_sgk_${id}_${tail}`],
    ['double underscore in the prefix', `acme__live_${id}_${tail}`],
    ['prefix starting with a digit', `1sgk_${id}_${tail}`],
    ['no prefix', `_${id}_${tail}`],
    ['separator missing', `sgk${id}_${tail}`],
    ['dash instead of underscore', `sgk-${id}-${tail}`],
    ['base64 char in the secret', `sgk_${id}_${tail.slice(0, 5)}+${tail.slice(6)}`],
    ['Cyrillic look-alike in the id', `sgk_\u041e${id.slice(1)}_${tail}`],
    ['full-width digit in the secret', `sgk_${id}_\uff11${tail.slice(1)}`],
    ['huge', 'a'.repeat(100_000)],
    ['another vendor', 'ghp_1234567890abcdefghijABCDEFGHIJ123456'],
  ];
  it.each(malformed)('refuses a token that is %s', (_name, text) => {
    const result = parseApiKey(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('key_malformed');
      expect(result.message).not.toContain(tail);
    }
  });

  it.each([null, undefined, 42, {}, ['sgk']])('refuses a non-string (%s) without throwing', (value) => {
    expect(parseApiKey(value as string)).toMatchObject({ ok: false, reason: 'key_malformed' });
  });

  it('refuses another prefix when one is expected', () => {
    expect(parseApiKey(token, { prefix: 'sgk' }).ok).toBe(true);
    expect(parseApiKey(token, { prefix: 'acme' })).toMatchObject({ ok: false, reason: 'key_malformed' });
  });

  it.each(['', 'ACME', 'acme_', 'a__b', '9acme', 'a'.repeat(33)])('throws for a bad expected prefix %j', (prefix) => {
    expectError(() => parseApiKey(token, { prefix }), 'invalid_option', ['prefix']);
  });
});
