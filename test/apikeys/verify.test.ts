import { describe, expect, it } from 'vitest';
import { generateApiKey, revokeApiKey, verifyApiKey, type ApiKeyRecord } from 'staffgate/apikeys';
import { APP_SERVER, AT, AT_MS, DAY, ELSEWHERE, codes, expectError, forgeToken, request, secretOf, workspace } from './helpers.js';

const EXPIRES = AT_MS + 30 * DAY;
const { token, record } = generateApiKey({
  scopes: ['orders:write'],
  at: AT,
  expiresAt: EXPIRES,
  allowIps: [APP_SERVER],
  label: 'Shop order sync',
});

describe('verifyApiKey: the happy path', () => {
  it('allows a request that meets every rule, with no reasons and the key id', () => {
    expect(verifyApiKey(record, token, request())).toEqual({ outcome: 'allow', reasons: [], keyId: record.id });
  });

  it('works on a record loaded back from JSON storage', () => {
    const stored = JSON.parse(JSON.stringify(record)) as ApiKeyRecord;
    expect(verifyApiKey(stored, token, request()).outcome).toBe('allow');
  });

  it.each([new Date(AT_MS + DAY), AT_MS + DAY, '2025-03-02T10:00:00+01:00'])('takes the instant as %j', (at) => {
    expect(verifyApiKey(record, token, request({ at })).outcome).toBe('allow');
  });
});

describe('verifyApiKey: scopes (write implies read; bare scopes cover every resource)', () => {
  const table: [string[], string, boolean][] = [
    [['read'], 'read', true],
    [['read'], 'orders:read', true],
    [['read'], 'write', false],
    [['read'], 'orders:write', false],
    [['write'], 'read', true],
    [['write'], 'write', true],
    [['write'], 'orders:read', true],
    [['write'], 'contacts:write', true],
    [['orders:read'], 'orders:read', true],
    [['orders:read'], 'orders:write', false],
    [['orders:read'], 'read', false],
    [['orders:read'], 'contacts:read', false],
    [['orders:read'], 'order:read', false],
    [['orders:read'], 'orders2:read', false],
    [['orders:write'], 'orders:write', true],
    [['orders:write'], 'orders:read', true],
    [['orders:write'], 'read', false],
    [['orders:write'], 'write', false],
    [['orders:write'], 'ordersx:write', false],
    [['orders:write'], 'crm.orders:write', false],
    [['orders:read', 'contacts:write'], 'contacts:read', true],
    [['orders:read', 'contacts:write'], 'orders:write', false],
    [['crm.orders:write'], 'crm.orders:read', true],
  ];
  it.each(table)('granted %j, request %s → %s', (scopes, scope, allowed) => {
    const key = generateApiKey({ scopes, at: AT });
    const decision = verifyApiKey(key.record, key.token, request({ scope }));
    expect(codes(decision)).toEqual(allowed ? [] : ['scope_missing@key']);
  });
});

describe('verifyApiKey: expiry is exclusive', () => {
  it.each([
    ['one ms before expiresAt', EXPIRES - 1, []],
    ['at expiresAt', EXPIRES, ['key_expired@key']],
    ['a year after', EXPIRES + 365 * DAY, ['key_expired@key']],
  ] as const)('%s', (_name, at, expected) => {
    expect(codes(verifyApiKey(record, token, request({ at })))).toEqual(expected);
  });

  it('never expires a key without expiresAt', () => {
    const key = generateApiKey({ scopes: ['read'], at: AT });
    expect(verifyApiKey(key.record, key.token, request({ at: '2099-12-31T23:59:59Z', scope: 'read' })).outcome).toBe('allow');
  });
});

describe('verifyApiKey: revocation', () => {
  const revoked = revokeApiKey(record, { at: AT_MS + 2 * DAY });
  it.each([
    ['after revocation', AT_MS + 3 * DAY],
    ['before the revocation instant too', AT_MS + DAY],
  ])('refuses a revoked key %s', (_name, at) => {
    expect(codes(verifyApiKey(revoked, token, request({ at })))).toEqual(['key_revoked@key']);
  });
});

describe("verifyApiKey: the key's own IP allowlist", () => {
  it.each([
    [APP_SERVER, []],
    [`::ffff:${APP_SERVER}`, []],
    [`::FFFF:${APP_SERVER}`, []],
    [ELSEWHERE, ['ip_not_allowed@key']],
    ['198.51.100.25', ['ip_not_allowed@key']],
    ['2001:db8::1', ['ip_not_allowed@key']],
  ])('%s → %j', (ip, expected) => {
    expect(codes(verifyApiKey(record, token, request({ ip })))).toEqual(expected);
  });

  it('matches CIDRs and ranges', () => {
    const key = generateApiKey({ scopes: ['read'], at: AT, allowIps: ['10.1.0.0/16', '192.0.2.10-192.0.2.20', '2001:db8:1::/48'] });
    const allowed = ['10.1.255.255', '192.0.2.15', '2001:db8:1:ffff::9'];
    const refused = ['10.2.0.0', '192.0.2.21', '2001:db8:2::1'];
    for (const ip of allowed) expect(verifyApiKey(key.record, key.token, request({ ip, scope: 'read' })).outcome).toBe('allow');
    for (const ip of refused) expect(codes(verifyApiKey(key.record, key.token, request({ ip, scope: 'read' })))).toEqual(['ip_not_allowed@key']);
  });

  it('lets any valid address in when the key has no allowlist', () => {
    const key = generateApiKey({ scopes: ['read'], at: AT });
    for (const ip of [ELSEWHERE, '2001:db8::1', '::1']) expect(verifyApiKey(key.record, key.token, request({ ip, scope: 'read' })).outcome).toBe('allow');
  });
});

describe('verifyApiKey: addresses that are not addresses are denied (ip_invalid)', () => {
  const open = generateApiKey({ scopes: ['read'], at: AT });
  it.each([
    '',
    '010.0.0.1',
    '0x7f.0.0.1',
    '2130706433',
    '127.1',
    '198.51.100.24:443',
    '[2001:db8::1]',
    'fe80::1%eth0',
    ' 198.51.100.24',
    '198.51.100.24\n',
    '１９８.５１.１００.２４',
    '198.51.100.24, 203.0.113.7',
    'unknown',
  ])('%j, even for a key without any allowlist', (ip) => {
    expect(codes(verifyApiKey(open.record, open.token, request({ ip, scope: 'read' })))).toEqual(['ip_invalid@request']);
  });
});

describe('verifyApiKey: the workspace API allowlist (policy.api.ipAllowlist)', () => {
  const open = generateApiKey({ scopes: ['orders:write'], at: AT });
  it.each([
    ['off, even if the list would refuse', workspace(false, ['10.0.0.0/8']), APP_SERVER, []],
    ['on and listing the address', workspace(true, ['198.51.100.0/24']), APP_SERVER, []],
    ['on and not listing the address', workspace(true, ['198.51.100.0/24']), ELSEWHERE, ['ip_not_allowed@workspace']],
    ['on with an empty list: nothing is allowed', workspace(true, []), APP_SERVER, ['ip_not_allowed@workspace']],
    [
      'independent of the login lockdown',
      workspace(true, ['10.0.0.0/8'], { ipLockdown: { enabled: true, allow: [APP_SERVER] } }),
      APP_SERVER,
      ['ip_not_allowed@workspace'],
    ],
  ] as const)('%s', (_name, policy, ip, expected) => {
    expect(codes(verifyApiKey(open.record, open.token, request({ ip }), policy))).toEqual(expected);
  });

  it('applies on top of the key list: both must allow, and both refusals are reported', () => {
    const policy = workspace(true, ['10.0.0.0/8']);
    expect(codes(verifyApiKey(record, token, request({ ip: ELSEWHERE }), policy))).toEqual(['ip_not_allowed@key', 'ip_not_allowed@workspace']);
    expect(codes(verifyApiKey(record, token, request({ ip: APP_SERVER }), policy))).toEqual(['ip_not_allowed@workspace']);
  });

  it('throws for a policy whose allowlist is not valid (a settings error, whatever the request)', () => {
    const bad = workspace(true, ['10.0.0.0/8', 'office']);
    expectError(() => verifyApiKey(record, token, request(), bad), 'invalid_ip_entry', ['api', 'ipAllowlist', 'allow', 1]);
    expectError(() => verifyApiKey(undefined, 'junk', request(), bad), 'invalid_ip_entry', ['api', 'ipAllowlist', 'allow', 1]);
  });
});

describe('verifyApiKey: token problems are reported alone', () => {
  it('key_malformed for a token that is not one, with no key id', () => {
    expect(verifyApiKey(record, token.slice(0, -1), request())).toMatchObject({ outcome: 'deny', keyId: null, reasons: [{ code: 'key_malformed', source: 'token' }] });
  });

  it('key_unknown when there is no record', () => {
    expect(codes(verifyApiKey(undefined, token, request()))).toEqual(['key_unknown@token']);
    expect(codes(verifyApiKey(null, token, request()))).toEqual(['key_unknown@token']);
  });

  it('key_unknown for a known id with a wrong secret', () => {
    const secret = secretOf(token);
    const wrong = forgeToken('sgk', record.id, (secret.startsWith('A') ? 'B' : 'A') + secret.slice(1));
    expect(codes(verifyApiKey(record, wrong, request()))).toEqual(['key_unknown@token']);
  });

  it("key_unknown for another key's record", () => {
    const other = generateApiKey({ scopes: ['orders:write'], at: AT, allowIps: [APP_SERVER] });
    expect(codes(verifyApiKey(other.record, token, request()))).toEqual(['key_unknown@token']);
  });

  it('key_unknown for the right id and secret under another prefix', () => {
    const moved = forgeToken('acme', record.id, secretOf(token));
    expect(codes(verifyApiKey(record, moved, request()))).toEqual(['key_unknown@token']);
  });

  it('tells a caller without the secret nothing about a revoked, expired, narrow key', () => {
    const secret = secretOf(token);
    const wrong = forgeToken('sgk', record.id, secret.slice(1) + secret.charAt(0));
    const dead = revokeApiKey(record, { at: AT });
    const decision = verifyApiKey(dead, wrong, request({ at: EXPIRES + DAY, ip: ELSEWHERE, scope: 'write' }), workspace(true, []));
    expect(codes(decision)).toEqual(['key_unknown@token']);
  });

  it('key_unknown for a record whose hash is damaged', () => {
    expect(codes(verifyApiKey({ ...record, secretHash: record.secretHash.toUpperCase() }, token, request()))).toEqual(['key_unknown@token']);
    expect(codes(verifyApiKey({ ...record, secretHash: '' }, token, request()))).toEqual(['key_unknown@token']);
  });
});

describe('verifyApiKey: once the secret matches, every problem is reported together', () => {
  it('lists revocation, expiry, scope and both allowlists in that order', () => {
    const dead = revokeApiKey(record, { at: AT });
    const decision = verifyApiKey(dead, token, request({ at: EXPIRES, ip: ELSEWHERE, scope: 'contacts:read' }), workspace(true, ['10.0.0.0/8']));
    expect(codes(decision)).toEqual(['key_revoked@key', 'key_expired@key', 'scope_missing@key', 'ip_not_allowed@key', 'ip_not_allowed@workspace']);
  });

  it('never puts the token in a message', () => {
    const dead = revokeApiKey(record, { at: AT });
    const decision = verifyApiKey(dead, token, request({ at: EXPIRES, ip: 'x', scope: 'nope' }));
    for (const r of decision.reasons) expect(r.message).not.toContain(secretOf(token));
  });
});

describe('verifyApiKey: bad request fields deny (request_invalid), never throw', () => {
  it.each([
    ['at not an instant', { at: 'yesterday' }],
    ['at without a zone', { at: '2025-03-02T09:00:00' }],
    ['at NaN', { at: Number.NaN }],
    ['at an invalid Date', { at: new Date(Number.NaN) }],
    ['scope misspelt', { scope: 'orders:wirte' }],
    ['scope upper-case', { scope: 'ORDERS:WRITE' }],
    ['scope empty', { scope: '' }],
    ['scope with a wildcard', { scope: 'orders:*' }],
  ] as const)('%s', (_name, change) => {
    expect(codes(verifyApiKey(record, token, request(change)))).toEqual(['request_invalid@request']);
  });

  it('denies a request that is not an object', () => {
    const decision = verifyApiKey(record, token, null as never);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['request_invalid@request', 'request_invalid@request', 'ip_invalid@request']);
  });
});

describe('verifyApiKey: a damaged record is refused (record_invalid), never trusted', () => {
  const damaged: [string, Record<string, unknown>, string[]][] = [
    ['expiresAt unreadable', { expiresAt: 'soon' }, ['record_invalid@key']],
    ['expiresAt missing (a column not stored)', { expiresAt: undefined }, ['record_invalid@key']],
    ['allowIps missing', { allowIps: undefined }, ['record_invalid@key']],
    ['allowIps with a bad entry', { allowIps: ['office'] }, ['record_invalid@key']],
    ['allowIps not an array', { allowIps: APP_SERVER }, ['record_invalid@key']],
    ['allowIps empty: nothing is allowed', { allowIps: [] }, ['ip_not_allowed@key']],
    ['revokedAt missing', { revokedAt: undefined }, ['record_invalid@key']],
    ['revokedAt unreadable: still revoked', { revokedAt: 'yes' }, ['key_revoked@key']],
    ['scopes not an array', { scopes: 'orders:write' }, ['record_invalid@key']],
    ['scopes with junk entries grant nothing', { scopes: [42, 'Orders:write', '*'] }, ['scope_missing@key']],
  ];
  it.each(damaged)('%s', (_name, change, expected) => {
    const broken = { ...record, ...change };
    expect(codes(verifyApiKey(broken, token, request()))).toEqual(expected);
  });
});

describe('verifyApiKey: tampered inputs fail closed', () => {
  const AT = Date.parse('2026-03-01T09:00:00Z');
  const request = { at: AT, ip: '10.1.2.3', scope: 'orders:read' };

  it('a record whose allowIps array is edited in place is judged by its entries now', () => {
    const { token, record } = generateApiKey({ scopes: ['orders:read'], at: AT, allowIps: ['10.0.0.0/8'] });
    const stored = { ...record, allowIps: ['10.0.0.0/8'] };
    expect(verifyApiKey(stored, token, request).outcome).toBe('allow');
    stored.allowIps.splice(0, 1, '192.0.2.0/24');
    expect(verifyApiKey(stored, token, request)).toMatchObject({ outcome: 'deny', reasons: [{ code: 'ip_not_allowed' }] });
  });

  it('a workspace allowlist edited in place is judged by its entries now', () => {
    const { token, record } = generateApiKey({ scopes: ['orders:read'], at: AT });
    const policy = { api: { ipAllowlist: { enabled: true, allow: ['10.0.0.0/8'] } } };
    expect(verifyApiKey(record, token, request, policy).outcome).toBe('allow');
    policy.api.ipAllowlist.allow[0] = '192.0.2.0/24';
    expect(verifyApiKey(record, token, request, policy)).toMatchObject({ outcome: 'deny', reasons: [{ code: 'ip_not_allowed', source: 'workspace' }] });
  });

  it('a request or record with a throwing getter is denied, not thrown', () => {
    const { token, record } = generateApiKey({ scopes: ['orders:read'], at: AT });
    const badRequest = Object.defineProperty({ ip: '10.1.2.3', scope: 'orders:read' }, 'at', { get() { throw new Error('boom'); } });
    expect(verifyApiKey(record, token, badRequest as never).outcome).toBe('deny');
    const badRecord = Object.defineProperty({ ...record }, 'scopes', { get() { throw new Error('boom'); } });
    expect(verifyApiKey(badRecord as never, token, request).outcome).toBe('deny');
  });

  it('the right secret under another key\'s id is key_unknown', () => {
    const other = generateApiKey({ scopes: ['orders:read'], at: AT });
    expect(codes(verifyApiKey(record, forgeToken('sgk', other.record.id, secretOf(token)), request))).toEqual(['key_unknown@token']);
  });

  it('a stored hash damaged at its last character, or with one added, matches nothing', () => {
    const { token, record } = generateApiKey({ scopes: ['orders:read'], at: AT });
    const last = record.secretHash.slice(-1);
    const damaged = `${record.secretHash.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    expect(codes(verifyApiKey({ ...record, secretHash: damaged }, token, request))).toEqual(['key_unknown@token']);
    expect(codes(verifyApiKey({ ...record, secretHash: `${record.secretHash}0` }, token, request))).toEqual(['key_unknown@token']);
  });

  it('a column the host did not store stays missing when Object.prototype is polluted', () => {
    const { token, record } = generateApiKey({ scopes: ['orders:read'], at: AT, expiresAt: AT + DAY, allowIps: ['192.0.2.1'] });
    const row: Record<string, unknown> = { ...revokeApiKey(record, { at: AT }) };
    delete row.allowIps;
    delete row.expiresAt;
    delete row.revokedAt;
    const polluted = Object.prototype as Record<string, unknown>;
    try {
      Object.assign(polluted, { allowIps: null, expiresAt: null, revokedAt: null });
      expect(verifyApiKey(row as never, token, { ...request, at: AT + 2 * DAY })).toMatchObject({ outcome: 'deny' });
      expect(codes(verifyApiKey(row as never, token, request))).toEqual(['record_invalid@key', 'record_invalid@key', 'record_invalid@key']);
    } finally {
      delete polluted.allowIps;
      delete polluted.expiresAt;
      delete polluted.revokedAt;
    }
  });

  it('fields an ORM entity defines on its own class are read as usual', () => {
    const { token, record } = generateApiKey({ scopes: ['orders:read'], at: AT });
    class Entity {
      constructor(private readonly row: ApiKeyRecord) {}
      get revokedAt(): string | null {
        return this.row.revokedAt;
      }
    }
    const rest: Record<string, unknown> = { ...record };
    delete rest.revokedAt;
    const entity = Object.assign(new Entity(record), rest);
    expect(verifyApiKey(entity as unknown as ApiKeyRecord, token, request).outcome).toBe('allow');
    const revoked = Object.assign(new Entity(revokeApiKey(record, { at: AT })), rest);
    expect(codes(verifyApiKey(revoked as unknown as ApiKeyRecord, token, request))).toEqual(['key_revoked@key']);
  });

  it('a null policy is no workspace list', () => {
    const { token, record } = generateApiKey({ scopes: ['orders:read'], at: AT });
    expect(verifyApiKey(record, token, request, null as never).outcome).toBe('allow');
  });
});
