// The HTTP contract every framework example keeps, as vitest suites: the same requests and the
// same answers whichever framework serves them. Each example's test file runs the suites that
// apply to it with its own start function.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoWorkspace, DEMO_PASSWORD, type DemoWorkspace } from './demo.js';
import {
  AFTER_HOURS,
  CAFE_IP,
  lastCodeTo,
  OFFICE_IP,
  passwordLogin,
  request,
  SHOP_SERVER_IP,
  TestClock,
  totpCode,
  WORKING_HOURS,
} from './test-kit.js';
import type { Workspace } from './workspace.js';

/** A started example app. */
export interface RunningApp {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Starts the example on port 0 of 127.0.0.1 over this workspace, behind these trusted proxies. */
export type StartApp = (workspace: Workspace, trustedProxies: readonly string[]) => Promise<RunningApp>;

interface Harness {
  clock: TestClock;
  demo: DemoWorkspace;
  app: RunningApp;
  base: string;
  restart(trustedProxies: readonly string[]): Promise<void>;
}

function harness(start: StartApp): Harness {
  const h = {} as Harness;
  beforeEach(async () => {
    h.clock = new TestClock(WORKING_HOURS);
    h.demo = await createDemoWorkspace({ clock: h.clock.now, passwordIterations: 1000 });
    // The test client on loopback plays the proxy: X-Forwarded-For carries the client address.
    h.app = await start(h.demo.workspace, ['loopback']);
    h.base = h.app.baseUrl;
    h.restart = async (trustedProxies) => {
      await h.app.close();
      h.app = await start(h.demo.workspace, trustedProxies);
      h.base = h.app.baseUrl;
    };
  });
  afterEach(async () => {
    await h.app.close();
  });
  return h;
}

function login(h: Harness, email: string, from: string, totpSecret?: () => string | undefined) {
  return passwordLogin(h.base, h.demo.workspace, { email, password: DEMO_PASSWORD, from, now: h.clock.now, ...(totpSecret ? { totpSecret } : {}) });
}

async function signedIn(h: Harness): Promise<string> {
  const replies = await login(h, 'ann@acme.test', OFFICE_IP, () => h.demo.annTotpSecret);
  return replies.at(-1)!.cookie!;
}

/** POST /login and POST /login/code: the password, the e-mailed code, TOTP and its enrollment, the client address. */
export function loginContract(start: StartApp): void {
  const h = harness(start);
  const at = (path: string) => `${h.base}${path}`;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  describe('login route', () => {
    it('takes Ann from the password through the e-mailed code and her authenticator app to a session', async () => {
      const replies = await login(h, 'ann@acme.test', OFFICE_IP, () => h.demo.annTotpSecret);
      expect(replies.map((r) => [r.status, r.body.outcome, r.body.step])).toEqual([
        [200, 'challenge', 'email_code'],
        [200, 'challenge', 'second_factor'],
        [200, 'allow', undefined],
      ]);
      const cookie = replies[2]!.cookie!;
      expect(cookie).toMatch(/^sid=[0-9a-f]{64}$/);
      // Not readable by scripts, never sent over plain HTTP or cross-site.
      const attributes = replies[2]!.headers.getSetCookie().find((c) => c.startsWith(`${cookie};`))!.split(';').map((a) => a.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['path=/', 'httponly', 'secure', 'samesite=strict']));
      expect(replies.slice(0, 2).every((r) => r.headers.getSetCookie().length === 0)).toBe(true);
      expect(h.demo.workspace.outbox.map((m) => m.to)).toEqual(['ann@acme.test']);
      const me = await request(at('/me'), { headers: { cookie, ...from(OFFICE_IP) } });
      expect(me).toMatchObject({ status: 200, body: { staffId: 'ann' } });
    });

    it('refuses a wrong password or an unknown address with the same 401, and says nothing about the policy', async () => {
      const wrong = await request(at('/login'), { body: { email: 'ann@acme.test', password: 'guess' }, headers: from(CAFE_IP) });
      const unknown = await request(at('/login'), { body: { email: 'nobody@acme.test', password: 'guess' }, headers: from(CAFE_IP) });
      for (const r of [wrong, unknown]) expect(r).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
      expect(h.demo.workspace.outbox).toHaveLength(0);
    });

    it('answers a body without the fields with 400', async () => {
      expect(await request(at('/login'), { body: { email: 'ann@acme.test' } })).toMatchObject({ status: 400, body: { error: 'body_invalid' } });
      expect(await request(at('/login/code'), { body: { code: 123456 } })).toMatchObject({ status: 400, body: { error: 'body_invalid' } });
    });

    it('answers a body that is not JSON with 400', async () => {
      const response = await fetch(at('/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'body_invalid' });
    });

    it('reads a body as JSON only when it is sent as application/json (a cross-site form needs no preflight)', async () => {
      const body = JSON.stringify({ email: 'ann@acme.test', password: DEMO_PASSWORD });
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const response = await fetch(at('/login'), { method: 'POST', headers: { 'content-type': type, ...from(OFFICE_IP) }, body });
        expect([400, 415], type).toContain(response.status);
        expect(await response.json()).toMatchObject({ error: 'body_invalid' });
      }
      expect(h.demo.workspace.outbox).toHaveLength(0);
    });

    it('refuses a body larger than 16 KiB before looking at the password', async () => {
      const big = await request(at('/login'), { body: { email: 'ann@acme.test', password: DEMO_PASSWORD, pad: 'x'.repeat(20_000) }, headers: from(OFFICE_IP) });
      expect([400, 413]).toContain(big.status);
      expect(big.body).toMatchObject({ error: 'body_invalid' });
      expect(h.demo.workspace.outbox).toHaveLength(0);
    });

    it('denies the right password from a café: 403 ip_not_allowed, no code sent, no session', async () => {
      const [first, ...rest] = await login(h, 'ann@acme.test', CAFE_IP);
      expect(first).toMatchObject({ status: 403, body: { outcome: 'deny', reasons: [{ code: 'ip_not_allowed' }] } });
      expect(first!.cookie).toBeUndefined();
      expect(rest).toHaveLength(0);
      expect(h.demo.workspace.outbox).toHaveLength(0);
      // The message is for the person: it never lists the allowlist.
      expect(JSON.stringify(first!.body)).not.toContain('203.0.113');
    });

    it('denies after hours and says when the next window opens (Thursday 08:00 London)', async () => {
      h.clock.set(AFTER_HOURS);
      const [first] = await login(h, 'ann@acme.test', OFFICE_IP);
      expect(first).toMatchObject({
        status: 403,
        body: { outcome: 'deny', reasons: [{ code: 'outside_login_hours' }], retryAt: '2025-06-12T07:00:00.000Z' },
      });
    });

    it('lets Sam in from a café: his override lifts the IP lockdown for him alone', async () => {
      const sam = h.demo.workspace.staff.get('sam')!;
      const replies = await login(h, 'sam@acme.test', CAFE_IP, () => sam.totp?.secret);
      expect(replies.at(-1)).toMatchObject({ status: 200, body: { outcome: 'allow', staffId: 'sam' } });
    });

    it('has Ben enroll an authenticator app during his first login, after the e-mailed code', async () => {
      const replies = await login(h, 'ben@acme.test', OFFICE_IP);
      expect(replies.map((r) => r.body.step ?? r.body.outcome)).toEqual(['email_code', 'enroll', 'allow']);
      expect(replies[1]!.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Example%20CRM:ben%40acme\.test\?secret=[A-Z2-7]+/);
      expect(h.demo.workspace.staff.get('ben')!.totp).not.toBeNull();
    });

    it('never lets a stale enroll step replace an authenticator app set up meanwhile', async () => {
      // Two attempts for Ben reach the enroll step; the first completes it. The second must now
      // be asked for a code from that app, not keep its own secret.
      const toEnroll = async () => {
        const first = await request(at('/login'), { body: { email: 'ben@acme.test', password: DEMO_PASSWORD }, headers: from(OFFICE_IP) });
        const attemptId = first.body.attemptId as string;
        const enroll = await request(at('/login/code'), { body: { attemptId, code: lastCodeTo(h.demo.workspace, 'ben@acme.test') }, headers: from(OFFICE_IP) });
        expect(enroll.body.step).toBe('enroll');
        return { attemptId, secret: new URL(enroll.body.otpauthUri as string).searchParams.get('secret')! };
      };
      const ben = await toEnroll();
      const other = await toEnroll();
      const done = await request(at('/login/code'), { body: { attemptId: ben.attemptId, code: totpCode(ben.secret, h.clock.now()) }, headers: from(OFFICE_IP) });
      expect(done).toMatchObject({ status: 200, body: { outcome: 'allow' } });
      h.clock.advance(30_000);
      const stale = await request(at('/login/code'), { body: { attemptId: other.attemptId, code: totpCode(other.secret, h.clock.now()) }, headers: from(OFFICE_IP) });
      expect(stale).toMatchObject({ status: 200, body: { outcome: 'challenge', step: 'second_factor' } });
      expect(stale.cookie).toBeUndefined();
      expect(h.demo.workspace.staff.get('ben')!.totp!.secret).toBe(ben.secret);
      // The app Ben set up completes the other attempt; its own secret never will.
      const wrong = await request(at('/login/code'), { body: { attemptId: other.attemptId, code: totpCode(other.secret, h.clock.now()) }, headers: from(OFFICE_IP) });
      expect(wrong.status).toBe(401);
      const right = await request(at('/login/code'), { body: { attemptId: other.attemptId, code: totpCode(ben.secret, h.clock.now()) }, headers: from(OFFICE_IP) });
      expect(right).toMatchObject({ status: 200, body: { outcome: 'allow' } });
    });

    it('refuses a TOTP code that was already used (replay), even in a new login', async () => {
      await login(h, 'ann@acme.test', OFFICE_IP, () => h.demo.annTotpSecret);
      const first = await request(at('/login'), { body: { email: 'ann@acme.test', password: DEMO_PASSWORD }, headers: from(OFFICE_IP) });
      const attemptId = first.body.attemptId as string;
      const email = await request(at('/login/code'), { body: { attemptId, code: lastCodeTo(h.demo.workspace, 'ann@acme.test') }, headers: from(OFFICE_IP) });
      expect(email.body.step).toBe('second_factor');
      const replay = await request(at('/login/code'), { body: { attemptId, code: totpCode(h.demo.annTotpSecret, h.clock.now()) }, headers: from(OFFICE_IP) });
      expect(replay).toMatchObject({ status: 401, body: { error: 'code_replayed' } });
      expect(replay.cookie).toBeUndefined();
      // Thirty seconds later the app shows a new code, and that one works.
      h.clock.advance(30_000);
      const next = await request(at('/login/code'), { body: { attemptId, code: totpCode(h.demo.annTotpSecret, h.clock.now()) }, headers: from(OFFICE_IP) });
      expect(next).toMatchObject({ status: 200, body: { outcome: 'allow' } });
    });

    it('drops the attempt after five wrong codes', async () => {
      const first = await request(at('/login'), { body: { email: 'ann@acme.test', password: DEMO_PASSWORD }, headers: from(OFFICE_IP) });
      const attemptId = first.body.attemptId as string;
      const right = lastCodeTo(h.demo.workspace, 'ann@acme.test');
      const wrong = right === '000000' ? '111111' : '000000';
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await request(at('/login/code'), { body: { attemptId, code: wrong }, headers: from(OFFICE_IP) })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      const late = await request(at('/login/code'), { body: { attemptId, code: right }, headers: from(OFFICE_IP) });
      expect(late).toMatchObject({ status: 401, body: { error: 'attempt_unknown' } });
    });

    it('refuses the e-mailed code after ten minutes', async () => {
      const first = await request(at('/login'), { body: { email: 'ann@acme.test', password: DEMO_PASSWORD }, headers: from(OFFICE_IP) });
      h.clock.advance(10 * 60_000);
      const late = await request(at('/login/code'), { body: { attemptId: first.body.attemptId, code: lastCodeTo(h.demo.workspace, 'ann@acme.test') }, headers: from(OFFICE_IP) });
      expect(late).toMatchObject({ status: 401, body: { error: 'code_expired' } });
    });

    it('denies a code sent after the person left the office mid-login', async () => {
      const first = await request(at('/login'), { body: { email: 'ann@acme.test', password: DEMO_PASSWORD }, headers: from(OFFICE_IP) });
      const code = lastCodeTo(h.demo.workspace, 'ann@acme.test');
      const moved = await request(at('/login/code'), { body: { attemptId: first.body.attemptId, code }, headers: from(CAFE_IP) });
      expect(moved).toMatchObject({ status: 403, body: { outcome: 'deny', reasons: [{ code: 'ip_not_allowed' }] } });
    });
  });

  describe('client address', () => {
    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      await h.restart([]); // no proxy: the socket address (127.0.0.1) is the client
      const [first] = await login(h, 'ann@acme.test', OFFICE_IP);
      expect(first).toMatchObject({ status: 403, body: { reasons: [{ code: 'ip_not_allowed' }] } });
    });

    it('fails closed on a forged or malformed hop: ip_invalid, not a guess', async () => {
      for (const hop of ['203.0.113.7, 010.0.0.1', '203.0.113.7:443', 'unknown', '203.0.113.7,,']) {
        const [first] = await login(h, 'ann@acme.test', hop);
        expect(first, hop).toMatchObject({ status: 403, body: { reasons: [{ code: 'ip_invalid' }] } });
      }
    });

    it('rejects a bad trusted-proxy entry at start-up', async () => {
      await expect(start(h.demo.workspace, ['10.0.0.0/33'])).rejects.toThrow(/prefix|10\.0\.0\.0\/33/i);
    });
  });
}

/** GET /me and POST /logout: the session re-checked on every request. */
export function sessionContract(start: StartApp): void {
  const h = harness(start);
  const at = (path: string) => `${h.base}${path}`;

  describe('session middleware', () => {
    it('needs a session', async () => {
      expect(await request(at('/me'), { headers: { 'x-forwarded-for': OFFICE_IP } })).toMatchObject({ status: 401, body: { error: 'not_signed_in' } });
      expect(await request(at('/me'), { headers: { cookie: 'sid=forged', 'x-forwarded-for': OFFICE_IP } })).toMatchObject({ status: 401 });
    });

    it('ends the session when the laptop moves from the office to a café', async () => {
      const cookie = await signedIn(h);
      const away = await request(at('/me'), { headers: { cookie, 'x-forwarded-for': CAFE_IP } });
      expect(away).toMatchObject({ status: 401, body: { error: 'session_ended', reasons: [{ code: 'ip_not_allowed' }] } });
      expect(away.headers.getSetCookie().some((c) => c.startsWith('sid=;') && c.includes('Max-Age=0'))).toBe(true);
      // Ended means ended: back in the office, the old cookie is no longer a session.
      expect(await request(at('/me'), { headers: { cookie, 'x-forwarded-for': OFFICE_IP } })).toMatchObject({ status: 401, body: { error: 'not_signed_in' } });
    });

    it('ends the session when the login hours are over', async () => {
      const cookie = await signedIn(h);
      h.clock.set(AFTER_HOURS);
      const late = await request(at('/me'), { headers: { cookie, 'x-forwarded-for': OFFICE_IP } });
      expect(late).toMatchObject({ status: 401, body: { reasons: [{ code: 'outside_login_hours' }] } });
    });

    it('ends the session when the address cannot be read', async () => {
      const cookie = await signedIn(h);
      const odd = await request(at('/me'), { headers: { cookie, 'x-forwarded-for': '203.0.113.7%eth0' } });
      expect(odd).toMatchObject({ status: 401, body: { reasons: [{ code: 'ip_invalid' }] } });
    });

    it('logs out', async () => {
      const cookie = await signedIn(h);
      expect((await request(at('/logout'), { method: 'POST', headers: { cookie } })).status).toBe(204);
      expect((await request(at('/me'), { headers: { cookie, 'x-forwarded-for': OFFICE_IP } })).status).toBe(401);
    });
  });
}

/** GET and POST /api/orders: Bearer API keys with scopes and the API allowlists. */
export function apiKeyContract(start: StartApp): void {
  const h = harness(start);
  const orders = () => `${h.base}/api/orders`;
  const bearer = (token: string, from: string) => ({ authorization: `Bearer ${token}`, 'x-forwarded-for': from });

  describe('API-key middleware', () => {
    it('serves a key with the scope, from the API allowlist, and records the use', async () => {
      const ok = await request(orders(), { headers: bearer(h.demo.apiTokens.read, SHOP_SERVER_IP) });
      expect(ok).toMatchObject({ status: 200, body: { orders: [{ id: 'o-1001' }] } });
      const [record] = h.demo.workspace.apiKeys.values();
      expect(record!.lastUsedIps).toEqual([SHOP_SERVER_IP]);
      expect(record!.lastUsedAt).toBe(new Date(h.clock.now()).toISOString());
    });

    it('answers 401 with WWW-Authenticate when the key is missing, malformed or unknown', async () => {
      const missing = await request(orders(), { headers: { 'x-forwarded-for': SHOP_SERVER_IP } });
      expect(missing).toMatchObject({ status: 401, body: { error: 'api_key_refused', reasons: [{ code: 'key_malformed' }] } });
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      const token = h.demo.apiTokens.read;
      const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      const bad = await request(orders(), { headers: bearer(tampered, SHOP_SERVER_IP) });
      expect(bad.status).toBe(401);
      expect(['key_malformed', 'key_unknown']).toContain((bad.body.reasons as { code: string }[])[0]!.code);
    });

    it('answers 401 for a revoked key', async () => {
      const [record] = h.demo.workspace.apiKeys.values();
      h.demo.workspace.apiKeys.set(record!.id, { ...record!, revokedAt: new Date(h.clock.now()).toISOString() });
      const revoked = await request(orders(), { headers: bearer(h.demo.apiTokens.read, SHOP_SERVER_IP) });
      expect(revoked).toMatchObject({ status: 401, body: { reasons: [{ code: 'key_revoked' }] } });
    });

    it('answers 403 for a missing scope or an address outside the allowlists', async () => {
      const scope = await request(orders(), { body: {}, headers: bearer(h.demo.apiTokens.read, SHOP_SERVER_IP) });
      expect(scope).toMatchObject({ status: 403, body: { reasons: [{ code: 'scope_missing' }] } });
      const workspaceList = await request(orders(), { headers: bearer(h.demo.apiTokens.read, OFFICE_IP) });
      expect(workspaceList).toMatchObject({ status: 403, body: { reasons: [{ code: 'ip_not_allowed', message: expect.stringContaining('workspace') as unknown }] } });
      const keyList = await request(orders(), { body: {}, headers: bearer(h.demo.apiTokens.write, '198.51.100.25') });
      expect(keyList).toMatchObject({ status: 403, body: { reasons: [{ code: 'ip_not_allowed', message: expect.stringContaining('API key') as unknown }] } });
      const created = await request(orders(), { body: {}, headers: bearer(h.demo.apiTokens.write, SHOP_SERVER_IP) });
      expect(created).toMatchObject({ status: 201, body: { created: true } });
    });
  });
}
