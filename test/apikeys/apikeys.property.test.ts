import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateApiKey, isApiKeyScope, parseApiKey, revokeApiKey, touchApiKey, verifyApiKey, type ApiKeyRecord } from 'staffgate/apikeys';
import {
  apiKeyInstantArb,
  apiKeyIpArb,
  apiKeyRequestArb,
  apiKeyResourceArb,
  apiKeyScopeArb,
  apiKeyScopesArb,
  damagedApiKeyTokenArb,
  generateApiKeyOptionsArb,
  hostileApiKeyScopeArb,
  hostileApiKeyTokenArb,
  hostileApiKeyIpArb,
} from '../../src/testing/apikeys.js';
import { toEpochMs } from '../../src/instant.js';
import { AT, AT_MS, DAY, secretOf, sha256Hex, workspace } from './helpers.js';

const ALLOWLIST_ENTRIES = ['198.51.100.0/24', '203.0.113.7', '192.0.2.10-192.0.2.20', '2001:db8::/48', '10.0.0.0/8', '::ffff:198.51.100.0/120'];
const entry = fc.constantFrom(...ALLOWLIST_ENTRIES);
const anyIp = fc.oneof(apiKeyIpArb(), fc.constantFrom('198.51.100.9', '192.0.2.15', '2001:db8::5', '10.9.8.7'));

// One key for the laws that do not depend on the key's settings (generating costs hashing).
const shared = generateApiKey({ scopes: ['orders:write', 'read'], at: AT, expiresAt: AT_MS + 30 * DAY, allowIps: ['198.51.100.0/24'] });

describe('laws of issuing', () => {
  it('every generated key verifies for each of its scopes, before expiry, from an allowed address', () => {
    fc.assert(
      fc.property(generateApiKeyOptionsArb(), (options) => {
        const { token, record } = generateApiKey(options);
        const at = options.at;
        const ip = record.allowIps === null ? '192.0.2.1' : firstAddressOf(record.allowIps[0] ?? '');
        for (const scope of record.scopes) {
          expect(verifyApiKey(record, token, { at, ip, scope })).toMatchObject({ outcome: 'allow', reasons: [] });
        }
        expect(parseApiKey(token, { prefix: record.prefix })).toEqual({ ok: true, id: record.id, prefix: record.prefix });
      }),
      { numRuns: 60 },
    );
  });

  it('the record never contains the secret, and its hash is the SHA-256 of the secret', () => {
    fc.assert(
      fc.property(generateApiKeyOptionsArb(), (options) => {
        const { token, record } = generateApiKey(options);
        expect(JSON.stringify(record)).not.toContain(secretOf(token));
        expect(record.secretHash).toBe(sha256Hex(secretOf(token)));
      }),
      { numRuns: 40 },
    );
  });
});

describe('laws of tokens', () => {
  it('every damaged copy of a token is refused', () => {
    fc.assert(
      fc.property(damagedApiKeyTokenArb(shared.token), (bad) => {
        expect(verifyApiKey(shared.record, bad, { at: AT_MS + DAY, ip: '198.51.100.1', scope: 'read' }).outcome).toBe('deny');
        expect(parseApiKey(bad).ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('junk tokens are refused as malformed without throwing', () => {
    fc.assert(
      fc.property(hostileApiKeyTokenArb(), apiKeyRequestArb(), (junk, req) => {
        expect(parseApiKey(junk).ok).toBe(false);
        expect(verifyApiKey(shared.record, junk, req)).toMatchObject({ outcome: 'deny', keyId: null, reasons: [{ code: 'key_malformed' }] });
      }),
      { numRuns: 300 },
    );
  });

  it("a token never verifies against another key's record", () => {
    fc.assert(
      fc.property(apiKeyScopesArb(), (scopes) => {
        const a = generateApiKey({ scopes, at: AT });
        const b = generateApiKey({ scopes, at: AT });
        expect(verifyApiKey(b.record, a.token, { at: AT, ip: '192.0.2.1', scope: scopes[0] ?? 'read' }).reasons.map((r) => r.code)).toEqual(['key_unknown']);
      }),
      { numRuns: 50 },
    );
  });
});

describe('laws of verifying', () => {
  it('verifyApiKey never throws on any request, and any request it allows is fully valid', () => {
    fc.assert(
      fc.property(apiKeyRequestArb(), (req) => {
        const decision = verifyApiKey(shared.record, shared.token, req);
        if (decision.outcome === 'allow') {
          expect(isApiKeyScope(req.scope)).toBe(true);
          expect(decision.reasons).toEqual([]);
        } else {
          expect(decision.reasons.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an address that is not an address is always denied', () => {
    fc.assert(
      fc.property(hostileApiKeyIpArb(), (ip) => {
        const decision = verifyApiKey(shared.record, shared.token, { at: AT_MS + DAY, ip, scope: 'read' });
        expect(decision.reasons.map((r) => r.code)).toContain('ip_invalid');
      }),
      { numRuns: 300 },
    );
  });

  it('write implies read: a key that may write a resource may read it', () => {
    fc.assert(
      fc.property(apiKeyResourceArb(), (resource) => {
        const { token, record } = generateApiKey({ scopes: [`${resource}:write`], at: AT });
        const req = { at: AT, ip: '192.0.2.1' };
        expect(verifyApiKey(record, token, { ...req, scope: `${resource}:write` }).outcome).toBe('allow');
        expect(verifyApiKey(record, token, { ...req, scope: `${resource}:read` }).outcome).toBe('allow');
      }),
      { numRuns: 50 },
    );
  });

  it('adding a scope never turns allow into deny, and every allow is covered by a granted scope', () => {
    fc.assert(
      fc.property(apiKeyScopesArb(), apiKeyScopeArb(), apiKeyScopeArb(), (scopes, extra, wanted) => {
        const narrow = generateApiKey({ scopes, at: AT });
        const wide = generateApiKey({ scopes: [...scopes, extra], at: AT });
        const req = { at: AT, ip: '192.0.2.1', scope: wanted };
        const before = verifyApiKey(narrow.record, narrow.token, req).outcome;
        const after = verifyApiKey(wide.record, wide.token, req).outcome;
        if (before === 'allow') expect(after).toBe('allow');
        if (before === 'allow') expect(covers(scopes, wanted)).toBe(true);
        expect(before === 'allow').toBe(covers(scopes, wanted));
      }),
      { numRuns: 150 },
    );
  });

  it("adding an entry to the key's allowlist never turns allow into deny", () => {
    fc.assert(
      fc.property(fc.uniqueArray(entry, { minLength: 1, maxLength: 3 }), entry, anyIp, (entries, extra, ip) => {
        const narrow = withAllowIps(shared.record, entries);
        const wide = withAllowIps(shared.record, [...entries, extra]);
        const req = { at: AT_MS + DAY, ip, scope: 'read' };
        if (verifyApiKey(narrow, shared.token, req).outcome === 'allow') {
          expect(verifyApiKey(wide, shared.token, req).outcome).toBe('allow');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('turning on the workspace API allowlist never turns deny into allow', () => {
    const open = generateApiKey({ scopes: ['read'], at: AT });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 3 }), apiKeyRequestArb(), (allow, req) => {
        const off = verifyApiKey(open.record, open.token, req, workspace(false, allow));
        const on = verifyApiKey(open.record, open.token, req, workspace(true, allow));
        if (off.outcome === 'deny') expect(on.outcome).toBe('deny');
        expect(off).toEqual(verifyApiKey(open.record, open.token, req));
      }),
      { numRuns: 200 },
    );
  });

  it('a revoked key is refused at every instant', () => {
    fc.assert(
      fc.property(apiKeyInstantArb(), apiKeyInstantArb(), (revokedAt, at) => {
        const dead = revokeApiKey(shared.record, { at: revokedAt });
        expect(verifyApiKey(dead, shared.token, { at, ip: '198.51.100.1', scope: 'read' }).reasons.map((r) => r.code)).toContain('key_revoked');
      }),
      { numRuns: 100 },
    );
  });

  it('expiry is exclusive: allowed strictly before expiresAt, refused from it on', () => {
    const expires = AT_MS + 30 * DAY;
    fc.assert(
      fc.property(fc.integer({ min: AT_MS, max: expires + 30 * DAY }), (at) => {
        const decision = verifyApiKey(shared.record, shared.token, { at, ip: '198.51.100.1', scope: 'read' });
        expect(decision.outcome).toBe(at < expires ? 'allow' : 'deny');
      }),
      { numRuns: 200 },
    );
  });

  it('a stored expiresAt means the same instant however it is spelt (canonical, offset, any year)', () => {
    const ms = fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 });
    fc.assert(
      fc.property(ms, fc.constantFrom('canonical', 'offset', 'seconds'), (expires, spelling) => {
        const iso = new Date(expires).toISOString();
        if (spelling !== 'canonical' && !/^\d{4}-/.test(iso)) return; // offsets and seconds need a 4-digit year
        const text = spelling === 'canonical' ? iso : spelling === 'offset' ? shiftToPlusOne(expires) : iso.replace(/\.\d{3}Z$/, 'Z');
        const at = spelling === 'seconds' ? Math.floor(expires / 1000) * 1000 : expires;
        const record = { ...shared.record, expiresAt: text };
        const req = { ip: '198.51.100.1', scope: 'read' };
        expect(verifyApiKey(record, shared.token, { ...req, at: at - 1 }).reasons.map((r) => r.code)).not.toContain('key_expired');
        expect(verifyApiKey(record, shared.token, { ...req, at }).reasons.map((r) => r.code)).toContain('key_expired');
      }),
      { numRuns: 300 },
    );
  });

  it('an unreadable stored expiresAt is record_invalid, never "no expiry"', () => {
    const junk = fc.oneof(
      fc.string({ minLength: 24, maxLength: 24 }),
      fc.constantFrom('2025-02-29T00:00:00.000Z', '2025-13-01T00:00:00.000Z', '2025-01-01T24:00:00.000Z', '2025-01-01T00:60:00.000Z', '2025-01-01 00:00:00.000Z', '2025-01-01T00:00:00.000z', '2025-01-01T00:00:00.000+'),
    );
    fc.assert(
      fc.property(junk, (text) => {
        fc.pre(Number.isNaN(toEpochMs(text))); // the shared instant reader is the oracle
        const record = { ...shared.record, expiresAt: text };
        expect(verifyApiKey(record, shared.token, { at: AT_MS + DAY, ip: '198.51.100.1', scope: 'read' }).reasons.map((r) => r.code)).toEqual(['record_invalid']);
      }),
      { numRuns: 200 },
    );
  });

  it('the decision is the same for the record and its JSON round trip', () => {
    fc.assert(
      fc.property(apiKeyRequestArb(), (req) => {
        const stored = JSON.parse(JSON.stringify(shared.record)) as ApiKeyRecord;
        expect(verifyApiKey(stored, shared.token, req)).toEqual(verifyApiKey(shared.record, shared.token, req));
      }),
      { numRuns: 200 },
    );
  });
});

describe('laws of scopes and records', () => {
  it('isApiKeyScope accepts every scope and refuses every hostile spelling', () => {
    fc.assert(fc.property(apiKeyScopeArb(), (s) => isApiKeyScope(s)));
    fc.assert(fc.property(hostileApiKeyScopeArb(), (s) => !isApiKeyScope(s)));
  });

  it('touch never moves lastUsedAt backwards and keeps at most five distinct addresses', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(apiKeyInstantArb(), fc.oneof(apiKeyIpArb(), hostileApiKeyIpArb())), { maxLength: 12 }), (uses) => {
        let r = shared.record;
        let latest = Number.NEGATIVE_INFINITY;
        for (const [at, ip] of uses) {
          r = touchApiKey(r, { at, ip });
          latest = Math.max(latest, at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at);
          expect(Date.parse(r.lastUsedAt ?? '')).toBe(latest);
          expect(r.lastUsedIps.length).toBeLessThanOrEqual(5);
          expect(new Set(r.lastUsedIps).size).toBe(r.lastUsedIps.length);
        }
      }),
      { numRuns: 100 },
    );
  });
});

/** The reference reading of the scope rules, written independently of the library. */
function covers(granted: readonly string[], wanted: string): boolean {
  const [wr, wa] = wanted.includes(':') ? wanted.split(':') : [null, wanted];
  return granted.some((g) => {
    const [gr, ga] = g.includes(':') ? g.split(':') : [null, g];
    if (gr === null) return ga === 'write' || wa === 'read';
    return wr === gr && (ga === 'write' || wa === 'read');
  });
}

/** The instant as ISO text at +01:00 (`2025-03-01T10:00:00.000+01:00`). */
function shiftToPlusOne(ms: number): string {
  return `${new Date(ms + 3_600_000).toISOString().slice(0, -1)}+01:00`;
}

function withAllowIps(record: ApiKeyRecord, allowIps: string[]): ApiKeyRecord {
  return { ...record, allowIps };
}

function firstAddressOf(e: string): string {
  if (e.includes('-')) return e.split('-')[0] ?? '';
  return (e.split('/')[0] ?? '').replace(/::$/, '::1');
}
