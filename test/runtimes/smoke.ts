// The runtime smoke suite: every capability's main path, run against the BUILT package on Node,
// Bun, Deno and workerd by scripts/runtimes.mjs. No test framework: plain checks that collect
// failures, so one run names everything that broke on a runtime. It imports staffgate the way a
// consumer does (the package name and its subpath exports), and type-checks against src/.
import * as root from 'staffgate';
import { canEnterSection, canViewItem, resolveAccess, visibilityFilter } from 'staffgate/access';
import { generateApiKey, parseApiKey, verifyApiKey, type ApiKeyRecord } from 'staffgate/apikeys';
import { compileLoginHours, isWithinLoginHours, nextLoginWindow } from 'staffgate/hours';
import { evaluateLogin, evaluateSession, type LoginDecision } from 'staffgate/login';
import { compileMailExclusions, filterTrackedMessages, isExcludedAddress } from 'staffgate/mail';
import { compileIpRules, parseIp, resolveClientIp } from 'staffgate/net';
import { createTotpEnrollment, issueOneTimeCode, verifyOneTimeCode, verifyTotp } from 'staffgate/otp';
import {
  accountPolicyJsonSchema,
  parseAccountPolicy,
  parseStaffOverride,
  resolvePolicy,
  safeParseAccountPolicy,
} from 'staffgate/policy';

/** What one runtime reports back to the runner. */
export interface SmokeResult {
  ok: boolean;
  runtime: string;
  checks: number;
  failures: string[];
}

class Checks {
  count = 0;
  readonly failures: string[] = [];

  /** Deep equality through JSON: every value compared here is plain data. */
  equal(name: string, actual: unknown, expected: unknown): void {
    this.count += 1;
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) this.failures.push(`${name}: expected ${e}, got ${a}`);
  }

  /** Runs one capability's block; an exception is a failure of that block, not the end of the run. */
  async block(name: string, body: () => void | Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      this.count += 1;
      this.failures.push(`${name}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
}

interface RuntimeGlobals {
  Bun?: { version: string };
  Deno?: { version: { deno: string } };
  process?: { versions?: { node?: string } };
  navigator?: { userAgent?: string };
}

/** Which runtime this is, from its own globals (so a runner mix-up cannot pass unnoticed). */
export function runtimeName(): string {
  const g = globalThis as RuntimeGlobals;
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  const node = g.process?.versions?.node;
  return node === undefined ? 'unknown' : `node ${node}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const digit = BASE32.indexOf(char);
    if (digit < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

/**
 * RFC 6238 code (6 digits, SHA-1, 30 s) computed with Web Crypto, independently of the library
 * (which uses otplib and @noble/hashes): the two must agree on every runtime.
 */
async function totpCode(secret: string, step: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', base32Decode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(step));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter));
  const offset = mac[19]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 1_000_000).padStart(6, '0');
}

function codes(decision: LoginDecision): string[] {
  return decision.reasons.map((reason) => `${reason.code}@${reason.source}`);
}

// Monday 23 November 2026, 10:00 in Berlin (CET, UTC+1).
const AT = '2026-11-23T09:00:00Z';
const AT_MS = Date.parse(AT);

// One account's settings, as the host stores them.
const ACCOUNT = {
  loginMethods: ['google', 'password'],
  twoFactor: { required: true, methods: ['totp'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '2001:db8::/48'] },
  loginHours: { enabled: true, timezone: 'Europe/Berlin', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
  api: { ipAllowlist: { enabled: true, allow: ['198.51.100.0/24'] } },
  mail: { excluded: ['ceo@acme.test', '@board.acme.test'] },
} as const;

// Compiled at module scope, once per isolate, as an edge worker should. workerd evaluates this at
// its global scope, where it refuses random values and timers: compiling settings needs neither.
const MODULE_SCOPE = {
  policy: parseAccountPolicy(ACCOUNT),
  office: compileIpRules(ACCOUNT.ipLockdown.allow),
  hours: compileLoginHours(ACCOUNT.loginHours),
  mail: compileMailExclusions(ACCOUNT.mail.excluded),
  access: resolveAccess([{ id: 'support', visibility: 'own' }], { id: 'u9', roleId: 'support' }),
};

/** Runs every check and reports; never throws. */
export async function runSmoke(): Promise<SmokeResult> {
  const t = new Checks();

  await t.block('root entry', () => {
    // The root re-exports every capability; with shared chunks they are the very same functions.
    t.equal('root re-exports parseIp', root.parseIp === parseIp, true);
    t.equal('root re-exports evaluateLogin', root.evaluateLogin === evaluateLogin, true);
    t.equal('root re-exports verifyApiKey', root.verifyApiKey === verifyApiKey, true);
    t.equal('root re-exports filterTrackedMessages', root.filterTrackedMessages === filterTrackedMessages, true);
    t.equal('root re-exports verifyTotp', root.verifyTotp === verifyTotp, true);
    t.equal('root re-exports resolveAccess', root.resolveAccess === resolveAccess, true);
  });

  await t.block('module scope', () => {
    const policy = resolvePolicy(MODULE_SCOPE.policy, [], { at: AT });
    t.equal('module scope: policy', evaluateLogin(policy, { method: 'google', ip: '203.0.113.9', at: AT, verified: ['totp'] }).outcome, 'allow');
    t.equal('module scope: ip rules', [MODULE_SCOPE.office.contains('2001:db8::7'), MODULE_SCOPE.office.contains('192.0.2.1')], [true, false]);
    t.equal('module scope: hours', isWithinLoginHours(MODULE_SCOPE.hours, AT), true);
    t.equal('module scope: mail', isExcludedAddress(MODULE_SCOPE.mail, 'chair@board.acme.test'), true);
    t.equal('module scope: access', visibilityFilter(MODULE_SCOPE.access), { kind: 'owner', ownerId: 'u9' });
  });

  await t.block('policy', () => {
    const account = parseAccountPolicy(ACCOUNT);
    t.equal('policy: parsed zone', account.loginHours.timezone, 'Europe/Berlin');
    const travel = parseStaffOverride({ staffId: 'ana', reason: 'travels to the trade fair', expiresAt: '2026-12-01T00:00:00Z', set: { ipLockdown: { enabled: false } } });
    const stale = parseStaffOverride({ staffId: 'ana', reason: 'old exception', expiresAt: '2026-01-01T00:00:00Z', set: { loginMethods: ['microsoft'] } });
    const effective = resolvePolicy(account, [stale, travel], { at: AT });
    t.equal('policy: override applied', effective.ipLockdown.enabled, false);
    t.equal('policy: source of the overridden field', effective.sources['ipLockdown.enabled'], { layer: 'override', staffId: 'ana', overrideIndex: 1 });
    t.equal('policy: expired override ignored', effective.ignored.map((o) => [o.index, o.reason]), [[0, 'expired']]);
    t.equal('policy: expired override has no effect', effective.loginMethods, ['google', 'password']);
    // Zone validation goes through luxon and the runtime's Intl time-zone data.
    const bad = safeParseAccountPolicy({ loginHours: { timezone: 'Mars/Olympus_Mons' } });
    t.equal('policy: unknown zone rejected', bad.ok ? 'accepted' : bad.error.code, 'invalid_time_zone');
    let threw = '';
    try {
      parseAccountPolicy({ loginMethods: ['carrier_pigeon'] });
    } catch (error) {
      threw = root.isStaffgateError(error) ? `${error.code}:${error.path.join('.')}` : 'not a StaffgateError';
    }
    t.equal('policy: bad setting throws StaffgateError with a path', threw.startsWith('invalid_') && threw.includes('loginMethods'), true);
    t.equal('policy: JSON Schema export', accountPolicyJsonSchema()['type'], 'object');
  });

  await t.block('login', () => {
    const policy = resolvePolicy(parseAccountPolicy(ACCOUNT), [], { at: AT });
    const office = { ip: '203.0.113.7', at: AT };
    t.equal('login: second factor asked', codes(evaluateLogin(policy, { ...office, method: 'google', enrolled: ['totp'] })), ['second_factor_required@account']);
    const allowed = evaluateLogin(policy, { ...office, method: 'google', enrolled: ['totp'], verified: ['totp'] });
    t.equal('login: allow', [allowed.outcome, codes(allowed)], ['allow', []]);
    const password = evaluateLogin(policy, { ...office, method: 'password', enrolled: ['totp'] });
    t.equal('login: password needs the e-mailed code first', [password.outcome, password.challenge], ['challenge', { step: 'email_code' }]);
    const enroll = evaluateLogin(policy, { ...office, method: 'google' });
    t.equal('login: enrollment challenge', enroll.challenge, { step: 'enroll', factors: ['totp'] });
    const method = evaluateLogin(policy, { ...office, method: 'microsoft' });
    t.equal('login: deny method', [method.outcome, codes(method)], ['deny', ['method_not_allowed@account']]);
    const ip = evaluateLogin(policy, { ...office, ip: '198.51.100.1', method: 'google', verified: ['totp'] });
    t.equal('login: deny ip', [ip.outcome, codes(ip)], ['deny', ['ip_not_allowed@account']]);
    const octal = evaluateLogin(policy, { ...office, ip: '0313.0.113.7', method: 'google', verified: ['totp'] });
    t.equal('login: unparseable ip fails closed', [octal.outcome, codes(octal)], ['deny', ['ip_invalid@account']]);
    const sunday = evaluateLogin(policy, { ...office, at: '2026-11-22T09:00:00Z', method: 'google', verified: ['totp'] });
    t.equal('login: deny outside hours', [sunday.outcome, codes(sunday)], ['deny', ['outside_login_hours@account']]);
    const session = evaluateSession(policy, { ip: '203.0.113.7', at: '2026-11-23T17:30:00Z', loginAt: AT });
    t.equal('login: session ends after hours', [session.outcome, session.reasons.map((r) => r.code)], ['end', ['outside_login_hours']]);
  });

  await t.block('hours', () => {
    const hours = compileLoginHours({ timezone: 'Europe/Berlin', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] });
    t.equal('hours: inside (10:00 CET)', isWithinLoginHours(hours, AT), true);
    t.equal('hours: outside (07:30 CET)', isWithinLoginHours(hours, '2026-11-23T06:30:00Z'), false);
    // Summer time (CEST, UTC+2) needs real tz data in the runtime: 07:30 UTC is 09:30 local.
    t.equal('hours: inside in summer time', isWithinLoginHours(hours, '2026-07-06T07:30:00Z'), true);
    t.equal('hours: outside in summer time (18:30 CEST)', isWithinLoginHours(hours, '2026-07-06T16:30:00Z'), false);
    const next = nextLoginWindow(hours, '2026-11-21T12:00:00Z');
    t.equal('hours: next window after a Saturday', next && [next.status, new Date(next.start).toISOString()], ['upcoming', '2026-11-23T07:00:00.000Z']);
  });

  await t.block('net', () => {
    t.equal('net: IPv6 is RFC 5952 text', parseIp('2001:DB8:0:0:0:0:0:1'), { ok: true, family: 6, address: '2001:db8::1' });
    t.equal('net: IPv4-mapped is IPv4', parseIp('::ffff:192.0.2.1'), { ok: true, family: 4, address: '192.0.2.1' });
    for (const hostile of ['010.0.0.1', '0x7f.0.0.1', '2130706433', '127.1', 'fe80::1%eth0', '[::1]', '192.0.2.1:80', ' 192.0.2.1', '١٩٢.0.2.1', '']) {
      t.equal(`net: ${JSON.stringify(hostile)} is invalid`, parseIp(hostile).ok, false);
    }
    const rules = compileIpRules(['192.0.2.10-192.0.2.20', '10.0.0.0/8', '2001:db8::/48']);
    t.equal('net: range', [rules.contains('192.0.2.15'), rules.contains('192.0.2.21')], [true, false]);
    t.equal('net: CIDR, mapped address', rules.contains('::ffff:10.1.2.3'), true);
    t.equal('net: IPv6 CIDR', [rules.contains('2001:db8:0:ffff::1'), rules.contains('2001:db9::1')], [true, false]);
    t.equal('net: garbage never matches', rules.contains('not an ip'), false);
    const trusted = ['10.0.0.0/8'];
    t.equal('net: client behind proxies', resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.9, 10.0.0.3', trustedProxies: trusted }), { ok: true, ip: '198.51.100.9', family: 4, source: 'forwarded_for' });
    t.equal('net: untrusted socket ignores the header', resolveClientIp({ remoteAddress: '198.51.100.2', forwardedFor: '1.2.3.4', trustedProxies: trusted }), { ok: true, ip: '198.51.100.2', family: 4, source: 'socket' });
    t.equal('net: odd hop fails closed', resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '1.2.3.4:80', trustedProxies: trusted }), { ok: false, reason: 'forwarded_for_invalid' });
  });

  await t.block('otp: totp', async () => {
    const { secret, uri } = createTotpEnrollment({ issuer: 'Acme CRM', accountName: 'ana@acme.test' });
    t.equal('totp: 160-bit base32 secret', /^[A-Z2-7]{32}$/.test(secret), true);
    t.equal('totp: otpauth URI', uri.startsWith('otpauth://totp/Acme%20CRM:ana%40acme.test?secret='), true);
    const step = Math.floor(AT_MS / 30_000);
    const code = await totpCode(secret, step);
    const first = verifyTotp({ secret, code, at: AT });
    t.equal('totp: Web Crypto code accepted', first, { ok: true, step, drift: 0 });
    t.equal('totp: replay refused', verifyTotp({ secret, code, at: AT, lastUsedStep: step }), { ok: false, reason: 'code_replayed' });
    const early = await totpCode(secret, step + 1);
    t.equal('totp: one step of drift accepted', verifyTotp({ secret, code: early, at: AT }), { ok: true, step: step + 1, drift: 1 });
    const wrong = code === '000000' ? '000001' : '000000';
    t.equal('totp: wrong code', verifyTotp({ secret, code: wrong, at: AT }), { ok: false, reason: 'code_invalid' });
    t.equal('totp: malformed code', verifyTotp({ secret, code: '12345６', at: AT }), { ok: false, reason: 'code_malformed' });
  });

  await t.block('otp: one-time code', () => {
    const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: 'attempt-1', at: AT });
    t.equal('one-time code: six digits', /^[0-9]{6}$/.test(code), true);
    t.equal('one-time code: stored hashed', JSON.stringify(challenge).includes(code), false);
    const options = { at: AT, attemptId: 'attempt-1', purpose: 'email_code' } as const;
    const wrong = verifyOneTimeCode(challenge, code === '000000' ? '000001' : '000000', options);
    t.equal('one-time code: wrong code costs a try', [wrong.ok, wrong.ok ? null : wrong.reason, wrong.challenge.attemptsLeft], [false, 'code_invalid', challenge.attemptsLeft - 1]);
    // The record goes through storage as JSON between requests.
    const stored = JSON.parse(JSON.stringify(wrong.challenge)) as typeof challenge;
    const right = verifyOneTimeCode(stored, code, options);
    t.equal('one-time code: accepted', right.ok ? right.verified : right.reason, 'email_code');
    const again = verifyOneTimeCode(right.challenge, code, options);
    t.equal('one-time code: single use', again.ok ? 'accepted' : again.reason, 'code_already_used');
    const late = verifyOneTimeCode(challenge, code, { ...options, at: '2026-11-23T09:10:00Z' });
    t.equal('one-time code: expires after 10 minutes', late.ok ? 'accepted' : late.reason, 'code_expired');
    const other = verifyOneTimeCode(challenge, code, { ...options, attemptId: 'attempt-2' });
    t.equal('one-time code: bound to its attempt', other.ok ? 'accepted' : other.reason, 'attempt_mismatch');
  });

  await t.block('access', () => {
    const roles = [{ id: 'sales', visibility: 'group', sections: { deals: 'write', reports: 'read' } }] as const;
    const access = resolveAccess(roles, { id: 'u1', roleId: 'sales', groupIds: ['g1'], blockedSections: ['reports'] });
    t.equal('access: scope', access.scope, 'group');
    t.equal('access: filter', visibilityFilter(access), { kind: 'groups', groupIds: ['g1'], ownerId: 'u1' });
    const items = [{ ownerId: 'u1' }, { ownerId: 'u2', groupIds: ['g1'] }, { ownerId: 'u2', groupIds: ['g2'] }, { ownerId: null }];
    t.equal('access: items', items.map((item) => canViewItem(access, item)), [true, true, false, false]);
    t.equal('access: sections', ['deals', 'reports', 'settings'].map((s) => canEnterSection(access, s)), [true, false, false]);
    const admin = resolveAccess([], { id: 'boss', roleId: 'admin' });
    t.equal('access: built-in admin', [admin.scope, visibilityFilter(admin), canEnterSection(admin, 'settings')], ['all', { kind: 'all' }, true]);
    const unknown = resolveAccess(roles, { id: 'u3', roleId: 'ghost' });
    t.equal('access: unknown role sees nothing', [unknown.reason, visibilityFilter(unknown)], ['role_unknown', { kind: 'none' }]);
  });

  await t.block('apikeys', () => {
    const { token, record } = generateApiKey({ scopes: ['contacts:write'], at: AT, expiresAt: '2027-01-01T00:00:00Z', allowIps: ['198.51.100.0/24'], prefix: 'acme' });
    t.equal('apikeys: token shape', /^acme_[A-Za-z0-9_-]+$/.test(token), true);
    t.equal('apikeys: record holds no secret', JSON.stringify(record).includes(token.slice(-20)), false);
    const parsed = parseApiKey(token);
    t.equal('apikeys: parse', parsed.ok && parsed.id === record.id, true);
    const stored = JSON.parse(JSON.stringify(record)) as ApiKeyRecord;
    const request = { at: AT, ip: '198.51.100.5', scope: 'contacts:read' };
    const verdict = (r: ApiKeyRecord | undefined, tok: string, req: typeof request, policy?: Parameters<typeof verifyApiKey>[3]) => {
      const d = verifyApiKey(r, tok, req, policy);
      return [d.outcome, d.reasons.map((reason) => reason.code)];
    };
    t.equal('apikeys: write implies read', verdict(stored, token, request), ['allow', []]);
    t.equal('apikeys: scope missing', verdict(stored, token, { ...request, scope: 'deals:read' }), ['deny', ['scope_missing']]);
    t.equal('apikeys: key allowlist', verdict(stored, token, { ...request, ip: '203.0.113.5' }), ['deny', ['ip_not_allowed']]);
    t.equal('apikeys: expired', verdict(stored, token, { ...request, at: '2027-01-01T00:00:00Z' }), ['deny', ['key_expired']]);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    t.equal('apikeys: tampered secret', verdict(stored, token.slice(0, -1) + last, request)[0], 'deny');
    t.equal('apikeys: unknown key', verdict(undefined, token, request), ['deny', ['key_unknown']]);
    const workspace = { api: { ipAllowlist: { enabled: true, allow: ['203.0.113.0/24'] } } };
    t.equal('apikeys: workspace allowlist', verdict(stored, token, request, workspace), ['deny', ['ip_not_allowed']]);
  });

  await t.block('mail', () => {
    const exclusions = compileMailExclusions(['ceo@acme.test', '@board.acme.test']);
    const addresses = ['"The CEO" <CEO@Acme.test>', 'chair@BOARD.acme.test', 'sales@acme.test', 'x@sub.board.acme.test'];
    t.equal('mail: addresses', addresses.map((a) => isExcludedAddress(exclusions, a)), [true, true, false, false]);
    const messages = [
      { id: 1, from: 'lead@client.test', to: ['sales@acme.test'] },
      { id: 2, from: 'lead@client.test', to: ['sales@acme.test'], cc: ['ceo@acme.test'] },
      { id: 3, from: 'chair@board.acme.test', to: ['sales@acme.test'] },
    ];
    const { tracked, excluded } = filterTrackedMessages(messages, exclusions);
    t.equal('mail: filter', [tracked.map((m) => m.id), excluded.map((m) => m.id)], [[1], [2, 3]]);
  });

  return { ok: t.failures.length === 0, runtime: runtimeName(), checks: t.count, failures: t.failures };
}
