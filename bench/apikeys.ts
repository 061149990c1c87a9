// API key verification cost, next to the node:crypto baseline the issue names.
// Run: npx tsx bench/apikeys.ts
//
// CPU time per call in interleaved rounds (bench/harness.ts); ratios to the node:crypto peer.
import { createHash, timingSafeEqual } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { compare, formatNs, report, target } from './harness.js';
import { parseAccountPolicy, resolvePolicy } from 'staffgate';
import { generateApiKey, parseApiKey, verifyApiKey, type ApiKeyRecord } from 'staffgate/apikeys';

const AT = Date.parse('2025-03-01T09:00:00Z');
const { token, record } = generateApiKey({
  scopes: ['orders:write', 'contacts:read'],
  at: AT,
  expiresAt: AT + 90 * 86_400_000,
  allowIps: ['198.51.100.24', '203.0.113.0/24'],
  prefix: 'acme',
});
const settings = { api: { ipAllowlist: { enabled: true, allow: ['198.51.100.0/24', '2001:db8::/48'] } } };
// What a host passes: the resolved policy, frozen, so its compiled allowlist is cached. A plain
// literal is compiled on every call (an array that can be edited in place is never cached).
const policy = resolvePolicy(parseAccountPolicy(settings), [], { at: AT });
const request = { at: AT + 86_400_000, ip: '198.51.100.24', scope: 'orders:write' };

// A host usually loads the record from storage per request: a new object every time.
const fresh: ApiKeyRecord[] = Array.from({ length: 256 }, () => JSON.parse(JSON.stringify(record)) as ApiKeyRecord);

const secret = Buffer.from(token.slice(-28, -6), 'ascii');
const storedHash = createHash('sha256').update(secret).digest();
const secretBytes = new Uint8Array(secret);

let sink = 0;
let k = 0;

const PEER = 'node:crypto sha256 + timingSafeEqual (peer)';
const vs = [PEER];
const FRESH = 'verifyApiKey (record fresh from storage)';
const results = compare([
  { name: PEER, fn: () => {
    const h = createHash('sha256').update(secret).digest();
    sink += timingSafeEqual(h, storedHash) ? 1 : 0;
  } },
  { name: '@noble/hashes sha256 alone', vs, fn: () => {
    sink += sha256(secretBytes)[0] ?? 0;
  } },
  { name: 'parseApiKey', vs, fn: () => {
    sink += parseApiKey(token).ok ? 1 : 0;
  } },
  { name: 'verifyApiKey (same record object)', vs, fn: () => {
    sink += verifyApiKey(record, token, request, policy).outcome === 'allow' ? 1 : 0;
  } },
  { name: FRESH, vs, fn: () => {
    const r = fresh[k++ & 255] ?? record;
    sink += verifyApiKey(r, token, request, policy).outcome === 'allow' ? 1 : 0;
  } },
  { name: 'verifyApiKey (unknown key: no record)', vs, fn: () => {
    sink += verifyApiKey(undefined, token, request, policy).outcome === 'deny' ? 1 : 0;
  } },
  { name: 'verifyApiKey (plain policy literal, compiled per call)', vs, fn: () => {
    sink += verifyApiKey(record, token, request, settings).outcome === 'allow' ? 1 : 0;
  } },
  { name: 'verifyApiKey (malformed token)', vs, fn: () => {
    sink += verifyApiKey(record, 'acme_nope', request, policy).outcome === 'deny' ? 1 : 0;
  } },
]);
report('API key verification (CPU time per call; ratio to the node:crypto peer)', results);
const verify = results.find((r) => r.name === FRESH);
target(`verifyApiKey on a record fresh from storage ≤ 5 µs (${formatNs(verify?.ns ?? Number.NaN)})`, (verify?.ns ?? Number.POSITIVE_INFINITY) <= 5_000);
if (sink === -1) console.log(sink);
