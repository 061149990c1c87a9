// fast-check arbitraries for the API key inputs, for property tests of a host's own API layer.
import fc from 'fast-check';
import type { ApiKeyRequest, GenerateApiKeyOptions } from '../apikeys/index.js';

const ACTIONS = ['read', 'write'] as const;
const LOWER = Array.from('abcdefghijklmnopqrstuvwxyz');
const LOWER_DIGITS = Array.from('abcdefghijklmnopqrstuvwxyz0123456789');
const RESOURCE_TAIL = Array.from('abcdefghijklmnopqrstuvwxyz0123456789_.-');
const BASE62 = Array.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
const TOKEN_NOISE = Array.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-+/=. ');

/**
 * Resource names as scopes use them: `orders`, `crm.orders`, `order_lines`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(apiKeyResourceArb(), (r) => isApiKeyScope(`${r}:read`)));
 * ```
 */
export function apiKeyResourceArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('orders', 'contacts', 'deals', 'invoices', 'crm.orders', 'order_lines', 'web-hooks'),
    fc
      .tuple(fc.constantFrom(...LOWER), fc.string({ unit: fc.constantFrom(...RESOURCE_TAIL), maxLength: 12 }))
      .map(([head, tail]) => head + tail),
  );
}

/**
 * A well-formed scope: `read`, `write`, `<resource>:read` or `<resource>:write`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(apiKeyScopeArb(), (s) => isApiKeyScope(s)));
 * ```
 */
export function apiKeyScopeArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...ACTIONS),
    fc.tuple(apiKeyResourceArb(), fc.constantFrom(...ACTIONS)).map(([r, a]) => `${r}:${a}`),
  );
}

/**
 * A non-empty list of distinct scopes, as `generateApiKey` takes them.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(apiKeyScopesArb(), (scopes) => generateApiKey({ scopes, at: 0 }).record.scopes.length > 0));
 * ```
 */
export function apiKeyScopesArb(): fc.Arbitrary<string[]> {
  return fc.uniqueArray(apiKeyScopeArb(), { minLength: 1, maxLength: 6 });
}

/**
 * Strings that look like scopes but are not: wrong case, unknown actions, wildcards,
 * separators, whitespace, full-width letters. Every one must be refused.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileApiKeyScopeArb(), (s) => !isApiKeyScope(s)));
 * ```
 */
export function hostileApiKeyScopeArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      'READ',
      'Write',
      'admin',
      '*',
      '*:read',
      'orders:*',
      'orders:admin',
      'orders:delete',
      ':read',
      'orders:',
      'orders',
      'orders:read:write',
      'orders/read',
      'orders.read',
      ' read',
      'read ',
      'orders :read',
      'orders: read',
      'Orders:read',
      '1orders:read',
      '_orders:read',
      'ｒｅａｄ',
      'orders:ｒｅａｄ',
      'ordérs:read',
      'read\n',
      'read\u0000',
      `${'a'.repeat(65)}:read`,
    ),
    fc.tuple(apiKeyScopeArb(), fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u200b', ':', '*')).map(([s, c]) => s + c),
    apiKeyScopeArb().map((s) => s.toUpperCase()).filter((s) => s !== s.toLowerCase()),
  );
}

/**
 * Token prefixes a host may choose: `acme`, `acme_live`, `sgk2`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(apiKeyPrefixArb(), (prefix) => parseApiKey(generateApiKey({ scopes: ['read'], at: 0, prefix }).token).ok));
 * ```
 */
export function apiKeyPrefixArb(): fc.Arbitrary<string> {
  const word = fc.string({ unit: fc.constantFrom(...LOWER_DIGITS), minLength: 1, maxLength: 6 });
  return fc
    .tuple(fc.constantFrom(...LOWER), fc.array(word, { maxLength: 3 }), fc.string({ unit: fc.constantFrom(...LOWER_DIGITS), maxLength: 6 }))
    .map(([head, words, rest]) => [head + rest, ...words].join('_'))
    .filter((p) => p.length <= 32);
}

const CONFUSABLES: Record<string, string> = { O: 'О', o: 'о', a: 'а', e: 'е', c: 'с', p: 'р', x: 'х', '0': 'O', '1': 'l', l: '1', I: 'l' };

/**
 * Every way a real token gets damaged on its way to the server: one char changed, deleted,
 * inserted or swapped with its neighbour; truncated or extended; case flipped; a look-alike
 * letter from another script; whitespace, quotes or a `Bearer ` left in. Never returns the
 * token itself. Pass a token you generated; every result must be refused.
 *
 * @example
 * ```ts
 * const { token, record } = generateApiKey({ scopes: ['read'], at: 0 });
 * fc.assert(fc.property(damagedApiKeyTokenArb(token), (bad) =>
 *   verifyApiKey(record, bad, { at: 0, ip: '192.0.2.1', scope: 'read' }).outcome === 'deny'));
 * ```
 */
export function damagedApiKeyTokenArb(token: string): fc.Arbitrary<string> {
  const n = token.length;
  const index = fc.nat({ max: n - 1 });
  const anyChar = fc.constantFrom(...TOKEN_NOISE);
  return fc
    .oneof(
      fc.tuple(index, anyChar).map(([i, c]) => token.slice(0, i) + c + token.slice(i + 1)),
      index.map((i) => token.slice(0, i) + token.slice(i + 1)),
      fc.tuple(fc.nat({ max: n }), anyChar).map(([i, c]) => token.slice(0, i) + c + token.slice(i)),
      fc.nat({ max: n - 2 }).map((i) => token.slice(0, i) + token.charAt(i + 1) + token.charAt(i) + token.slice(i + 2)),
      fc.nat({ max: n - 1 }).map((k) => token.slice(0, k)),
      fc.string({ minLength: 1, maxLength: 8 }).map((s) => token + s),
      index.map((i) => {
        const c = token.charAt(i);
        const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
        return token.slice(0, i) + flipped + token.slice(i + 1);
      }),
      index.map((i) => token.slice(0, i) + (CONFUSABLES[token.charAt(i)] ?? 'ѕ') + token.slice(i + 1)),
      fc.constantFrom(` ${token}`, `${token} `, `${token}\n`, `"${token}"`, `Bearer ${token}`, `bearer ${token}`, token.toUpperCase(), token.toLowerCase()),
    )
    .filter((t) => t !== token);
}

/**
 * Arbitrary junk where a token is expected: random text, empty, huge, other vendors' key
 * shapes, right-looking tokens with a random checksum. Every one must be refused without throwing.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileApiKeyTokenArb(), (t) => !parseApiKey(t).ok));
 * ```
 */
export function hostileApiKeyTokenArb(): fc.Arbitrary<string> {
  const base62 = (len: number): fc.Arbitrary<string> =>
    fc.string({ unit: fc.constantFrom(...BASE62), minLength: len, maxLength: len });
  return fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.constantFrom('', '_', '__', 'sgk__', 'null', 'undefined', 'Bearer', 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'sk_live_aaaaaaaaaaaaaaaaaaaaaaaa', 'x'.repeat(10_000)),
    fc.tuple(base62(12), base62(28)).map(([id, tail]) => `sgk_${id}_${tail}`),
  );
}

/**
 * Valid client addresses (IPv4 and IPv6, as `parseIp` accepts them).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(apiKeyIpArb(), (ip) => parseIp(ip).ok));
 * ```
 */
export function apiKeyIpArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.ipV4(),
    fc.constantFrom('192.0.2.1', '198.51.100.24', '203.0.113.7', '2001:db8::1', '::1', '::ffff:198.51.100.24'),
  );
}

/**
 * Address spellings that must never be read as an address: octal, hex, integer and short IPv4,
 * zone ids, ports, brackets, whitespace, non-ASCII digits.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileApiKeyIpArb(), (ip) =>
 *   verifyApiKey(record, token, { at, ip, scope: 'read' }).reasons.some((r) => r.code === 'ip_invalid')));
 * ```
 */
export function hostileApiKeyIpArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '010.0.0.1',
      '0x7f.0.0.1',
      '0x7f000001',
      '2130706433',
      '127.1',
      '1.2.3',
      '1.2.3.4.5',
      '1.2.3.256',
      '1.2.3.-1',
      '01.2.3.4',
      ' 198.51.100.24',
      '198.51.100.24 ',
      '198.51.100.24\n',
      '198.51.100.24:443',
      '[2001:db8::1]',
      '[2001:db8::1]:443',
      'fe80::1%eth0',
      '2001:db8:::1',
      '2001:db8::1::1',
      '１９８.５１.１００.２４',
      '١٩٨.٥١.١٠٠.٢٤',
      'localhost',
      'unknown',
      '198.51.100.24, 203.0.113.7',
    ),
    fc.string({ maxLength: 20 }).filter((s) => !/^[0-9a-fA-F:.]+$/.test(s)),
  );
}

/**
 * Instants as callers pass them: Date, ISO 8601 with Z or offset, epoch ms, within 2000–2100.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(apiKeyInstantArb(), (at) => generateApiKey({ scopes: ['read'], at }).record.createdAt !== ''));
 * ```
 */
export function apiKeyInstantArb(): fc.Arbitrary<Date | string | number> {
  const ms = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 });
  return fc.oneof(ms, ms.map((t) => new Date(t)), ms.map((t) => new Date(t).toISOString()));
}

/**
 * A request as middleware builds it, mixing valid and hostile fields (unless `valid` is set).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(apiKeyRequestArb(), (req) => { verifyApiKey(record, token, req); return true; }));
 * ```
 */
export function apiKeyRequestArb(options: { readonly valid?: boolean } = {}): fc.Arbitrary<ApiKeyRequest> {
  if (options.valid === true) {
    return fc.record({ at: apiKeyInstantArb(), ip: apiKeyIpArb(), scope: apiKeyScopeArb() });
  }
  const badInstant = fc.constantFrom<Date | string | number>(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    new Date(Number.NaN),
    '2025-03-01T09:00:00',
    '2025-02-30T09:00:00Z',
    'yesterday',
    '',
  );
  return fc.record({
    at: fc.oneof(apiKeyInstantArb(), badInstant),
    ip: fc.oneof(apiKeyIpArb(), hostileApiKeyIpArb()),
    scope: fc.oneof(apiKeyScopeArb(), hostileApiKeyScopeArb()),
  });
}

/**
 * Valid options for `generateApiKey`: scopes, an expiry after `at` (or none), an optional
 * allowlist, prefix and label.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(generateApiKeyOptionsArb(), (o) => parseApiKey(generateApiKey(o).token).ok));
 * ```
 */
export function generateApiKeyOptionsArb(): fc.Arbitrary<GenerateApiKeyOptions> {
  const start = fc.integer({ min: 946_684_800_000, max: 4_000_000_000_000 });
  const entry = fc.constantFrom('198.51.100.24', '203.0.113.0/24', '192.0.2.10-192.0.2.20', '2001:db8::/48', '10.0.0.0/8');
  return fc
    .record({
      at: start,
      lifetime: fc.option(fc.integer({ min: 1, max: 400 * 86_400_000 }), { nil: undefined }),
      scopes: apiKeyScopesArb(),
      allowIps: fc.option(fc.uniqueArray(entry, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      prefix: fc.option(apiKeyPrefixArb(), { nil: undefined }),
      label: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    })
    .map(({ at, lifetime, scopes, allowIps, prefix, label }) => ({
      scopes,
      at,
      ...(lifetime === undefined ? {} : { expiresAt: at + lifetime }),
      ...(allowIps === undefined ? {} : { allowIps }),
      ...(prefix === undefined ? {} : { prefix }),
      ...(label === undefined ? {} : { label }),
    }));
}
