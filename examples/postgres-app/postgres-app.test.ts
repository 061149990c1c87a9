// The PostgreSQL host app end to end over real HTTP: two app servers (two Hono servers on
// @hono/node-server) share one database, as a CRM behind a load balancer does. PostgreSQL 15
// when it is there (a schema of its own per run), PGlite behind pglite-socket when it is not.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTotpEnrollment } from 'staffgate';
import { DEMO_ACCOUNT, DEMO_PASSWORD } from '../shared/demo.js';
import { CAFE_IP, OFFICE_IP, request, SHOP_SERVER_IP, TestClock, totpCode, WORKING_HOURS, type JsonReply } from '../shared/test-kit.js';
import { hashPassword, type OutboxMessage } from '../shared/workspace.js';
import { openPglite, POSTGRES_URL, postgresUnreachable, SERVERS_REQUIRED, STATE_MIGRATION } from '../state/servers.js';
import { createPostgresApp } from './app.js';
import { AppData } from './data.js';

const APP_SCHEMA = readFileSync(new URL('./schema.sql', import.meta.url), 'utf8');
const ITERATIONS = 1000;

interface Database {
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

async function openDatabase(): Promise<Database> {
  const unreachable = await postgresUnreachable();
  if (unreachable === undefined) {
    // A schema per run: the tables of this run never meet another's.
    const schema = `staffgate_app_${String(process.pid)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 10, options: `-c search_path=${schema}` });
    await pool.query(STATE_MIGRATION + APP_SCHEMA);
    return {
      pool,
      async close() {
        await pool.query(`DROP SCHEMA ${schema} CASCADE`);
        await pool.end();
      },
    };
  }
  if (SERVERS_REQUIRED) throw new Error(unreachable);
  const pglite = await openPglite();
  const pool = new pg.Pool({ connectionString: pglite.url, max: 4 });
  await pool.query(STATE_MIGRATION + APP_SCHEMA);
  return {
    pool,
    async close() {
      await pool.end();
      await pglite.close();
    },
  };
}

function listen(data: AppData, clock: TestClock, outbox: OutboxMessage[]): Promise<{ server: ServerType; url: string }> {
  const app = createPostgresApp({
    data,
    clock: clock.now,
    trustedProxies: ['loopback'],
    remoteAddress: (c) => getConnInfo(c).remote.address,
    mailer: (m) => outbox.push(m),
    passwordIterations: ITERATIONS,
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({ server, url: `http://127.0.0.1:${String(info.port)}` });
    });
  });
}

function stop(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

describe('the PostgreSQL host app over HTTP, on two app servers', { timeout: 60_000 }, () => {
  const clock = new TestClock(WORKING_HOURS);
  const outbox: OutboxMessage[] = [];
  let db: Database;
  let data: AppData;
  let servers: { server: ServerType; url: string }[] = [];
  let annSecret = '';
  let readKey = '';
  // Requests alternate between the two servers, as a load balancer would send them.
  let turn = 0;
  const url = (path: string) => `${(servers[turn++ % servers.length] ?? { url: '' }).url}${path}`;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const lastCodeTo = (email: string) => {
    const m = outbox.filter((o) => o.to === email).at(-1);
    if (m === undefined) throw new Error(`no code sent to ${email}`);
    return m.code;
  };
  const post = (path: string, body: unknown, ip: string) => request(url(path), { body, headers: from(ip) });

  async function signIn(email: string, ip: string, secret: () => string): Promise<JsonReply[]> {
    const replies = [await post('/login', { email, password: DEMO_PASSWORD }, ip)];
    for (let i = 0; i < 3; i++) {
      const last = replies.at(-1);
      if (last?.body.outcome !== 'challenge') break;
      const attemptId = last.body.attemptId as string;
      const code =
        last.body.step === 'email_code'
          ? lastCodeTo(email)
          : last.body.step === 'enroll'
            ? totpCode(new URL(last.body.otpauthUri as string).searchParams.get('secret') ?? '', clock.now())
            : totpCode(secret(), clock.now());
      replies.push(await post('/login/code', { attemptId, code }, ip));
    }
    return replies;
  }

  beforeAll(async () => {
    db = await openDatabase();
    data = new AppData(db.pool);
    // The settings the admin saved: the demo's, with a lower per-network ceiling to show it.
    await data.saveAccount({ ...DEMO_ACCOUNT, lockout: { enabled: true, maxFailures: 10, windowMinutes: 15, lockoutMinutes: 15, networkMaxFailures: 12 } });
    annSecret = createTotpEnrollment({ issuer: 'Example CRM', accountName: 'ann@acme.test' }).secret;
    const password = await hashPassword(DEMO_PASSWORD, ITERATIONS);
    await data.addStaff('ann', 'ann@acme.test', password, annSecret);
    await data.addStaff('ben', 'ben@acme.test', password);
    await data.addStaff('kim', 'kim@acme.test', password);
    await data.addStaff('sam', 'sam@acme.test', password, createTotpEnrollment({ issuer: 'Example CRM', accountName: 'sam@acme.test' }).secret);
    await data.addOverride({ staffId: 'sam', reason: 'Field sales: signs in from customer sites', expiresAt: '2027-03-31T00:00:00Z', set: { ipLockdown: { enabled: false } } });
    readKey = await data.issueApiKey(['orders:read'], clock.now(), { label: 'Reporting dashboard' });
    servers = [await listen(data, clock, outbox), await listen(data, clock, outbox)];
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => stop(s.server)));
    await db.close();
  });

  it('takes Ann from her password through the e-mailed code and her authenticator app to a session kept in PostgreSQL', async () => {
    const replies = await signIn('ann@acme.test', OFFICE_IP, () => annSecret);
    expect(replies.map((r) => [r.status, r.body.outcome, r.body.step])).toEqual([
      [200, 'challenge', 'email_code'],
      [200, 'challenge', 'second_factor'],
      [200, 'allow', undefined],
    ]);
    const cookie = replies[2]?.cookie ?? '';
    expect(await request(url('/me'), { headers: { cookie, ...from(OFFICE_IP) } })).toMatchObject({ status: 200, body: { staffId: 'ann' } });
    const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM pending_logins WHERE staff_id = 'ann'");
    expect(rows[0]?.n).toBe('0');
    // Her office network is remembered in her lockout record, and her TOTP step is stored.
    const state = await db.pool.query<{ key: string }>("SELECT key FROM staffgate_state WHERE key IN ('lockout:ann@acme.test', 'totp:ann') ORDER BY key");
    expect(state.rows.map((r) => r.key)).toEqual(['lockout:ann@acme.test', 'totp:ann']);
  });

  it('refuses a wrong password and an unknown address with the same 401', async () => {
    const wrong = await post('/login', { email: 'ben@acme.test', password: 'guess' }, OFFICE_IP);
    const unknown = await post('/login', { email: 'nobody@acme.test', password: 'guess' }, OFFICE_IP);
    for (const r of [wrong, unknown]) expect(r).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
  });

  it('has Ben enroll an authenticator app during his first login; the secret lands in his row', async () => {
    const replies = await signIn('ben@acme.test', OFFICE_IP, () => '');
    expect(replies.map((r) => r.body.step ?? r.body.outcome)).toEqual(['email_code', 'enroll', 'allow']);
    const { rows } = await db.pool.query<{ totp_secret: string | null }>("SELECT totp_secret FROM staff WHERE id = 'ben'");
    expect(rows[0]?.totp_secret).toMatch(/^[A-Z2-7]+$/);
  });

  it('refuses Ann’s authenticator code a second time, on the other server, in a new login', async () => {
    clock.advance(30_000);
    const first = await signIn('ann@acme.test', OFFICE_IP, () => annSecret);
    expect(first.at(-1)?.body.outcome).toBe('allow');
    const again = await post('/login', { email: 'ann@acme.test', password: DEMO_PASSWORD }, OFFICE_IP);
    const attemptId = again.body.attemptId as string;
    await post('/login/code', { attemptId, code: lastCodeTo('ann@acme.test') }, OFFICE_IP);
    const replay = await post('/login/code', { attemptId, code: totpCode(annSecret, clock.now()) }, OFFICE_IP);
    expect(replay).toMatchObject({ status: 401, body: { error: 'code_replayed' } });
  });

  it('accepts one e-mailed code sent four times at once to both servers exactly once', async () => {
    clock.advance(30_000);
    const start = await post('/login', { email: 'sam@acme.test', password: DEMO_PASSWORD }, CAFE_IP);
    const attemptId = start.body.attemptId as string;
    const code = lastCodeTo('sam@acme.test');
    const replies = await Promise.all(Array.from({ length: 4 }, () => post('/login/code', { attemptId, code }, CAFE_IP)));
    // (Four, not more: a request that reads the attempt after the code was accepted tries it as
    // the authenticator code, a wrong one, and five wrong codes end the attempt.)
    // Every reply is a refusal or the next step; the step was completed once, whichever server won.
    for (const r of replies) expect(r.status === 200 ? r.body : r.status).toEqual(r.status === 200 ? { outcome: 'challenge', attemptId, step: 'second_factor', factors: ['totp'] } : expect.any(Number));
    expect(replies.some((r) => r.status === 200)).toBe(true);
    const { rows } = await db.pool.query<{ verified: string[] }>('SELECT verified FROM pending_logins WHERE id = $1', [attemptId]);
    expect(rows[0]?.verified).toEqual(['email_code']);
    // The stored challenge is spent: the code is refused from now on.
    const state = await db.pool.query<{ value: string }>('SELECT value FROM staffgate_state WHERE key = $1', [`otp:${attemptId}`]);
    const stored = JSON.parse(state.rows[0]?.value ?? '{}') as { usedAt?: unknown };
    expect(typeof stored.usedAt).toBe('string');
  });

  it('locks a guessing attack out: of 30 parallel guesses on both servers exactly 10 are checked, for an address that does not exist as for one that does', async () => {
    // From two networks, so that the per-network ceiling (12 here) is not what stops them.
    for (const [email, ip] of [['kim@acme.test', '100.64.1.10'], ['ghost@acme.test', '100.64.2.10']] as const) {
      const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => post('/login', { email, password: `guess ${String(i)}` }, ip)));
      expect(replies.filter((r) => r.status === 401)).toHaveLength(10);
      const locked = replies.filter((r) => r.status === 429);
      expect(locked).toHaveLength(20);
      expect(locked[0]?.body).toMatchObject({ outcome: 'deny', reasons: [{ code: 'locked_out' }] });
      expect(typeof locked[0]?.body.retryAt).toBe('string');
    }
    // Now even Kim's right password, from the office, is refused the same way: the reply never
    // says it was right, and Kim never signed in anywhere, so no network is familiar.
    const right = await post('/login', { email: 'kim@acme.test', password: DEMO_PASSWORD }, OFFICE_IP);
    expect(right).toMatchObject({ status: 429, body: { reasons: [{ code: 'locked_out' }] } });
    // Fifteen minutes later the lock is gone.
    clock.advance(15 * 60_000 + 1000);
    const later = await post('/login', { email: 'kim@acme.test', password: DEMO_PASSWORD }, OFFICE_IP);
    expect(later).toMatchObject({ status: 200, body: { step: 'email_code' } });
  });

  it('keeps Ann signing in from the office while an attacker elsewhere locks her name (smart lockout)', async () => {
    for (let i = 0; i < 10; i++) await post('/login', { email: 'ann@acme.test', password: `guess ${String(i)}` }, '100.64.3.50');
    expect(await post('/login', { email: 'ann@acme.test', password: DEMO_PASSWORD }, '100.64.3.50')).toMatchObject({ status: 429 });
    clock.advance(30_000);
    const office = await signIn('ann@acme.test', OFFICE_IP, () => annSecret);
    expect(office.at(-1)?.body.outcome).toBe('allow');
  });

  it('throttles one address trying many accounts without locking any of them', async () => {
    const stuffer = '198.18.7.7';
    for (let i = 0; i < 12; i++) {
      expect((await post('/login', { email: `user${String(i)}@acme.test`, password: 'leaked' }, stuffer)).status).toBe(401);
    }
    const next = await post('/login', { email: 'ben@acme.test', password: 'leaked' }, stuffer);
    expect(next).toMatchObject({ status: 429, body: { reasons: [{ code: 'locked_out' }] } });
    // Ben himself, from the office, is not affected.
    clock.advance(30_000);
    const ben = await post('/login', { email: 'ben@acme.test', password: DEMO_PASSWORD }, OFFICE_IP);
    expect(ben).toMatchObject({ status: 200, body: { step: 'email_code' } });
  });

  it('refuses a lockout record that was tampered with in the database (fail closed)', async () => {
    await db.pool.query(`UPDATE staffgate_state SET value = '{"version":9}' WHERE key = 'lockout:ben@acme.test'`);
    const r = await post('/login', { email: 'ben@acme.test', password: DEMO_PASSWORD }, OFFICE_IP);
    expect(r).toMatchObject({ status: 429, body: { reasons: [{ code: 'lockout_record_invalid' }] } });
    // It was replaced by a locked record: the next attempt is refused as locked.
    expect(await post('/login', { email: 'ben@acme.test', password: DEMO_PASSWORD }, OFFICE_IP)).toMatchObject({ status: 429, body: { reasons: [{ code: 'locked_out' }] } });
  });

  it('ends Ann’s session when her laptop moves to a café', async () => {
    clock.advance(30_000);
    const cookie = (await signIn('ann@acme.test', OFFICE_IP, () => annSecret)).at(-1)?.cookie ?? '';
    expect((await request(url('/me'), { headers: { cookie, ...from(OFFICE_IP) } })).status).toBe(200);
    const moved = await request(url('/me'), { headers: { cookie, ...from(CAFE_IP) } });
    expect(moved).toMatchObject({ status: 401, body: { error: 'session_ended', reasons: [{ code: 'ip_not_allowed' }] } });
    expect((await request(url('/me'), { headers: { cookie, ...from(OFFICE_IP) } })).status).toBe(401);
  });

  it('serves an API key from the API allowlist and records its use in the key’s row', async () => {
    const ok = await request(url('/api/orders'), { headers: { authorization: `Bearer ${readKey}`, ...from(SHOP_SERVER_IP) } });
    expect(ok.status).toBe(200);
    const { rows } = await db.pool.query<{ record: { lastUsedAt?: unknown } }>('SELECT record FROM api_keys');
    expect(rows[0]?.record.lastUsedAt).toBeDefined();
    const outside = await request(url('/api/orders'), { headers: { authorization: `Bearer ${readKey}`, ...from(CAFE_IP) } });
    expect(outside.status).toBe(403);
    const bogus = await request(url('/api/orders'), { headers: { authorization: 'Bearer nonsense', ...from(SHOP_SERVER_IP) } });
    expect(bogus.status).toBe(401);
  });

  it('answers hostile requests with a refusal, never an error page', async () => {
    const notJson = await fetch(url('/login'), { method: 'POST', headers: { 'content-type': 'application/json', ...from(OFFICE_IP) }, body: '{"email":' });
    expect(notJson.status).toBe(400);
    const huge = await fetch(url('/login'), { method: 'POST', headers: { 'content-type': 'application/json', ...from(OFFICE_IP) }, body: JSON.stringify({ email: 'x'.repeat(20_000), password: 'y' }) });
    expect(huge.status).toBe(413);
    expect(await post('/login/code', { attemptId: "' OR 1=1 --", code: '123456' }, OFFICE_IP)).toMatchObject({ status: 401, body: { error: 'attempt_unknown' } });
    expect(await post('/login', { email: 'ann@acme.test\u0000', password: DEMO_PASSWORD }, OFFICE_IP)).toMatchObject({ status: 400, body: { error: 'body_invalid' } });
    expect((await request(url('/me'), { headers: { cookie: 'sid=%00', ...from(OFFICE_IP) } })).status).toBe(401);
  });
});
