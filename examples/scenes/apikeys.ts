import {
  generateApiKey,
  parseApiKey,
  revokeApiKey,
  rotateApiKey,
  touchApiKey,
  verifyApiKey,
  type ApiKeyDecision,
  type ApiKeyRecord,
} from 'staffgate/apikeys';
import { isStaffgateError } from 'staffgate';
import type { Printer } from './print.js';

// The seeds' "Securing Automations" passage: "An external app sends new order data to your
// workspace … Limit the API key permissions to only what is strictly necessary, and add the
// server address of that specific app to the API whitelist so no other server can send
// requests." Plus: a unique key per app, an expiry the admin chooses, read-only or edit, and
// a list of API addresses separate from the login IP restrictions.
export default function apikeysScenes(out: Printer): void {
  const SHOP_SERVER = '198.51.100.24';
  const OFFICE = '203.0.113.7';
  const SOMEWHERE_ELSE = '192.0.2.66';
  const issuedAt = Date.parse('2025-03-01T09:00:00Z');
  const day = 86_400_000;
  const at = (days: number): number => issuedAt + days * day;

  // The workspace's settings (what parseAccountPolicy/resolvePolicy return has this shape).
  const policy = {
    ipLockdown: { enabled: true, allow: [OFFICE] }, // staff logins: office only
    api: {
      ipAllowlist: { enabled: true, allow: [SHOP_SERVER, '198.51.100.128/25'] }, // API: the integration servers
      maxKeyLifetimeDays: 365,
    },
  };
  const mask = (token: string): string => `${token.slice(0, -28)}…(secret hidden)`;
  const decision = (d: ApiKeyDecision): string =>
    d.outcome === 'allow' ? 'allow' : `deny: ${d.reasons.map((r) => `${r.code} [${r.source}] ${r.message}`).join('; ')}`;

  out.scene('API keys: a key for the shop that sends new orders');
  out.say('The admin creates one key for the shop app: it may only write orders, only from the shop server, for six months.');
  const shop = generateApiKey({
    scopes: ['orders:write'],
    at: issuedAt,
    expiresAt: at(184),
    allowIps: [SHOP_SERVER],
    label: 'Shop order sync',
    prefix: 'acme',
    policy,
  });
  let record: ApiKeyRecord = shop.record;
  out.show('token (shown once, then only its hash is kept)', mask(shop.token));
  out.show('stored record', { ...record, secretHash: `${record.secretHash.slice(0, 12)}…` });

  out.scene('API keys: the shop server posts a new order');
  const post = { at: at(1), ip: SHOP_SERVER, scope: 'orders:write' };
  const parsed = parseApiKey(shop.token, { prefix: 'acme' });
  out.show('parseApiKey → look the record up by id', parsed);
  const allowed = verifyApiKey(record, shop.token, post, policy);
  out.show(`POST /orders from ${SHOP_SERVER}`, decision(allowed));
  if (allowed.outcome === 'allow') record = touchApiKey(record, post);
  out.show('after touchApiKey', { lastUsedAt: record.lastUsedAt, lastUsedIps: record.lastUsedIps });
  out.show('GET /orders (write implies read)', decision(verifyApiKey(record, shop.token, { ...post, scope: 'orders:read' }, policy)));

  out.scene('API keys: the same key anywhere else, or for anything else, is refused');
  out.say('The key leaked: someone tries it from another server. The key\'s own list and the workspace API list both refuse.');
  out.show(`POST /orders from ${SOMEWHERE_ELSE}`, decision(verifyApiKey(record, shop.token, { ...post, ip: SOMEWHERE_ELSE }, policy)));
  out.say('Least privilege: the shop key cannot read contacts, even from the shop server.');
  out.show('GET /contacts', decision(verifyApiKey(record, shop.token, { ...post, scope: 'contacts:read' }, policy)));
  out.say('An address the server cannot read is refused, never guessed at.');
  out.show('POST /orders from "0306.0063.0144.030"', decision(verifyApiKey(record, shop.token, { ...post, ip: '0306.0063.0144.030' }, policy)));

  out.scene('API keys: a read-only key, and the API list apart from the login lockdown');
  out.say('A reporting tool gets a read-only key without an allowlist of its own: the workspace API list still applies.');
  const reports = generateApiKey({ scopes: ['read'], at: issuedAt, expiresAt: at(90), label: 'BI dashboard', prefix: 'acme', policy });
  const get = { at: at(1), ip: '198.51.100.200', scope: 'deals:read' };
  out.show('GET /deals from the integration subnet 198.51.100.200', decision(verifyApiKey(reports.record, reports.token, get, policy)));
  out.show('POST /deals (read-only key)', decision(verifyApiKey(reports.record, reports.token, { ...get, scope: 'deals:write' }, policy)));
  out.say('Staff may log in from the office (login lockdown), but the office is not on the API list: the two lists are independent.');
  out.show(`GET /deals from the office ${OFFICE}`, decision(verifyApiKey(reports.record, reports.token, { ...get, ip: OFFICE }, policy)));

  out.scene('API keys: typos and forgeries');
  const typo = shop.token.slice(0, 20) + (shop.token.charAt(20) === 'x' ? 'y' : 'x') + shop.token.slice(21);
  out.show('a key with one character mistyped (refused offline, no database lookup)', parseApiKey(typo));
  out.show('a well-formed key that is not in the database', decision(verifyApiKey(undefined, shop.token, post, policy)));

  out.scene('API keys: expiry and the workspace lifetime cap');
  out.show('POST /orders seven months later', decision(verifyApiKey(record, shop.token, { ...post, at: at(214) }, policy)));
  try {
    generateApiKey({ scopes: ['orders:write'], at: issuedAt, expiresAt: at(730), policy });
  } catch (err) {
    if (!isStaffgateError(err)) throw err;
    out.show('a two-year key under a 365-day cap', `${err.code}: ${err.message}`);
  }

  out.scene('API keys: rotation with an overlap, then revocation');
  out.say('Five months in, the admin rotates the key. The shop gets a day to switch; the old key then stops.');
  const rotated = rotateApiKey(record, { at: at(150), overlapSeconds: 86_400, policy, expiresAt: at(150 + 184) });
  out.show('new token', mask(rotated.token));
  out.show('old key, 1 hour after rotation', decision(verifyApiKey(rotated.previous, shop.token, { ...post, at: at(150) + 3_600_000 }, policy)));
  out.show('old key, 2 days after rotation', decision(verifyApiKey(rotated.previous, shop.token, { ...post, at: at(152) }, policy)));
  out.show('new key, 2 days after rotation', decision(verifyApiKey(rotated.record, rotated.token, { ...post, at: at(152) }, policy)));
  const revoked = revokeApiKey(rotated.record, { at: at(160) });
  out.say('The shop is replaced by another system: the admin revokes the key.');
  out.show('new key after revocation', decision(verifyApiKey(revoked, rotated.token, { ...post, at: at(161) }, policy)));
}
