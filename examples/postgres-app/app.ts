// A host app whose every piece of state is in PostgreSQL, so any number of app servers can
// run it on one database: staff, settings, logins in progress, sessions and API keys in its
// own tables (schema.sql), e-mailed codes, TOTP steps and lockout records in staffgate's
// state table (examples/state). Hono, served on Node by @hono/node-server.
//
// Routes: POST /login, POST /login/code, POST /logout, GET /me, GET /api/orders.
//
// What makes it safe on many servers:
// - The password step claims a lockout attempt first (claimLoginAttempt), so parallel guesses
//   on any number of servers check at most `maxFailures` passwords per window; the client
//   network's record throttles one address trying many accounts.
// - An e-mailed code and an authenticator code are accepted by a compare-and-swap
//   (verifyStoredOneTimeCode, verifyStoredTotp): one code, one acceptance, whatever the race.
// - A completed step is added by an UPDATE that names the step it completes; the session is
//   created in the transaction that deletes the attempt.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  compileTrustedProxies,
  createTotpEnrollment,
  evaluateLogin,
  evaluateSession,
  issueOneTimeCode,
  lockoutNetwork,
  parseApiKey,
  resolveClientIp,
  touchApiKey,
  verifyApiKey,
  type EffectivePolicy,
  type LoginDecision,
  type LockoutRecord,
} from 'staffgate';
import {
  claimLoginAttempt,
  readStoredLockout,
  recordStoredLoginFailure,
  recordStoredLoginSuccess,
  saveOneTimeCode,
  verifyStoredOneTimeCode,
  verifyStoredTotp,
} from 'staffgate/state';
import { apiKeyDenyStatus, bearerToken, clearedSessionCookie, isJsonContentType, readCookie, SESSION_COOKIE, sessionCookie } from '../shared/http.js';
import { checkPassword, hashPassword, randomId, type OutboxMessage } from '../shared/workspace.js';
import type { AppData, PendingLoginRow, StaffRow } from './data.js';

export interface PostgresAppOptions {
  readonly data: AppData;
  /** The clock every decision reads. Tests pass one they move. */
  readonly clock: () => number;
  readonly trustedProxies: readonly string[];
  /** The peer address of the connection (see examples/hono/node.ts). */
  readonly remoteAddress: (c: Context) => string | undefined;
  /** Sends the e-mailed codes. */
  readonly mailer: (message: OutboxMessage) => void;
  /** PBKDF2 iterations of the dummy hash an unknown address costs; match the stored ones. */
  readonly passwordIterations: number;
}

/** A login attempt lives this long between its steps. */
export const LOGIN_ATTEMPT_TTL_MS = 15 * 60_000;
/** Wrong authenticator codes an attempt may take before it is dropped. */
export const MAX_CODE_FAILURES = 5;

type Reply = { status: 200 | 400 | 401 | 403 | 409 | 429 | 503; body: Record<string, unknown>; sessionId?: string };

const personKey = (email: string) => `lockout:${email.trim().toLowerCase()}`;
const networkKey = (ip: string) => `lockout:net:${lockoutNetwork(ip) ?? 'unparseable'}`;
const fail = (status: Reply['status'], error: string, message: string): Reply => ({ status, body: { error, message } });
// Another server kept winning the write: refuse, and let the client try again.
const busy = (): Reply => fail(503, 'state_conflict', 'Please try again.');

function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = (body as Record<string, unknown>)[name];
  // PostgreSQL text cannot hold U+0000: such a field is refused as malformed, not sent to the database.
  return typeof value === 'string' && value.length <= 1024 && !value.includes('\u0000') ? value : undefined;
}

/** Only the lockout reasons of a decision: before the password is known, nothing else is told. */
function lockoutRefusal(policy: EffectivePolicy, ip: string, at: number, records: { lockout?: LockoutRecord | null; networkLockout?: LockoutRecord | null }): Reply | undefined {
  const decision = evaluateLogin(policy, { method: 'password', ip, at, verified: ['email_code'], ...records });
  const reasons = decision.reasons.filter((r) => r.code === 'locked_out' || r.code === 'lockout_record_invalid');
  if (reasons.length === 0) return undefined;
  const body: Record<string, unknown> = { outcome: 'deny', reasons: reasons.map((r) => ({ code: r.code, message: r.message })) };
  if (decision.retryAt !== undefined) body.retryAt = new Date(decision.retryAt).toISOString();
  return { status: 429, body };
}

export function createPostgresApp(options: PostgresAppOptions): Hono<{ Variables: { clientIp: string } }> {
  const { data, clock, mailer } = options;
  const proxies = compileTrustedProxies(options.trustedProxies);
  const dummyPassword = hashPassword(randomId(), options.passwordIterations);
  const app = new Hono<{ Variables: { clientIp: string } }>();

  app.use(async (c, next) => {
    const found = resolveClientIp({ remoteAddress: options.remoteAddress(c), forwardedFor: c.req.header('x-forwarded-for'), trustedProxies: proxies });
    c.set('clientIp', found.ok ? found.ip : '');
    await next();
  });

  async function startLogin(body: unknown, ip: string, at: number): Promise<Reply> {
    const email = stringField(body, 'email');
    const password = stringField(body, 'password');
    if (email === undefined || password === undefined) return fail(400, 'body_invalid', 'Send { "email": "…", "password": "…" }.');
    const staff = await data.staffByEmail(email);
    // The rules of the person if there is one, the account's if not: the answer looks the same.
    const policy = await data.policyFor(staff?.id, at);
    const account = await data.policyFor(undefined, at);

    // One address trying many accounts: its network's record is checked, and written on failure only.
    const network = await readStoredLockout(data.state, networkKey(ip));
    const throttled = lockoutRefusal(account, ip, at, { networkLockout: network });
    if (throttled !== undefined) return throttled;

    // Claim before checking: the failure is counted first, so parallel guesses cannot all pass.
    // Keyed by the typed name, whether or not it exists.
    const claim = await claimLoginAttempt(data.state, personKey(email), { policy, at, ip });
    if (!claim.ok) {
      if (claim.reason === 'state_conflict') return busy();
      // The stored record could not be read; it is now replaced by a locked one (fail closed).
      if (claim.reason === 'lockout_record_invalid') {
        return { status: 429, body: { outcome: 'deny', reasons: [{ code: claim.reason, message: 'Signing in is not possible right now. Try again later or contact your administrator.' }] } };
      }
      return lockoutRefusal(policy, ip, at, { lockout: await readStoredLockout(data.state, personKey(email)) }) ?? fail(429, claim.reason, 'Too many failed sign-in attempts. Try again later.');
    }

    const ok = await checkPassword(staff?.password ?? (await dummyPassword), password);
    if (!ok || staff === undefined) {
      await recordStoredLoginFailure(data.state, networkKey(ip), { policy: account, at, ip, subject: 'network' });
      return fail(401, 'invalid_credentials', 'The e-mail address or password is wrong.');
    }
    const login = await data.startLogin(staff.id, 'password', at);
    return decide(login, staff, ip, at);
  }

  async function submitCode(body: unknown, ip: string, at: number): Promise<Reply> {
    const attemptId = stringField(body, 'attemptId');
    const typed = stringField(body, 'code');
    if (attemptId === undefined || typed === undefined) return fail(400, 'body_invalid', 'Send { "attemptId": "…", "code": "…" }.');
    const login = await data.login(attemptId);
    const staff = login === undefined ? undefined : await data.staffById(login.staffId);
    if (login === undefined || staff === undefined || at - login.startedAt >= LOGIN_ATTEMPT_TTL_MS) {
      await data.endLogin(attemptId);
      return fail(401, 'attempt_unknown', 'This sign-in has ended. Start again.');
    }
    const policy = await data.policyFor(staff.id, at);
    const before = evaluate(policy, login, staff, ip, at);
    if (before.outcome === 'deny' || (before.outcome === 'challenge' && before.challenge?.step !== login.expecting)) return finish(before, login, staff, ip, at);

    const code = typed.replace(/ /g, '');
    const lockout = { policy, at, ip };
    if (login.expecting === 'email_code') {
      const r = await verifyStoredOneTimeCode(data.state, `otp:${login.id}`, code, { at, attemptId: login.id, purpose: 'email_code' });
      if (!r.ok) {
        if (r.reason === 'state_conflict') return busy();
        // A double-click: another request has just used this code for this attempt. Keep the attempt.
        if (r.reason === 'code_already_used') return fail(409, r.reason, 'This code was already used.');
        if (r.reason === 'code_malformed') return fail(401, r.reason, 'That code is not right. Try again.');
        // A wrong code is a guess: it counts towards the person's lockout.
        if (r.reason === 'code_invalid') {
          await recordStoredLoginFailure(data.state, personKey(staff.email), lockout);
          return fail(401, r.reason, 'That code is not right. Try again.');
        }
        await data.endLogin(login.id);
        return fail(401, r.reason, 'This code can no longer be used. Start again.');
      }
      const next = await data.completeStep(login.id, 'email_code', r.verified);
      return next === undefined ? fail(409, 'step_not_expected', 'No code is expected at this point.') : decide(next, staff, ip, at);
    }
    if (login.expecting === 'second_factor' || login.expecting === 'enroll') {
      const enrolling = login.expecting === 'enroll';
      const secret = enrolling ? login.pendingTotp?.secret : staff.totpSecret;
      if (secret === undefined || secret === null) return fail(409, 'step_not_expected', 'No code is expected at this point.');
      // The last used step is per person, in the state table: a code replayed on any server, in any login, is refused.
      const r = await verifyStoredTotp(data.state, `totp:${staff.id}`, { secret, code, at });
      if (!r.ok) {
        if (r.reason === 'state_conflict') return busy();
        await recordStoredLoginFailure(data.state, personKey(staff.email), lockout);
        if ((await data.addFailure(login.id)) >= MAX_CODE_FAILURES) {
          await data.endLogin(login.id);
          return fail(429, 'too_many_attempts', 'Too many wrong codes. Start again.');
        }
        return fail(401, r.reason, 'That code is not right. Try again.');
      }
      if (enrolling && !(await data.setTotpSecretOnce(staff.id, secret))) {
        // Another login finished enrolling meanwhile: this enrollment is void.
        await data.endLogin(login.id);
        return fail(409, 'enrollment_superseded', 'An authenticator app was set up meanwhile. Start again.');
      }
      const next = await data.completeStep(login.id, login.expecting, 'totp');
      const current = enrolling ? await data.staffById(staff.id) : staff;
      return next === undefined || current === undefined ? fail(409, 'step_not_expected', 'No code is expected at this point.') : decide(next, current, ip, at);
    }
    return fail(409, 'step_not_expected', 'No code is expected at this point.');
  }

  function evaluate(policy: EffectivePolicy, login: PendingLoginRow, staff: StaffRow, ip: string, at: number): LoginDecision {
    // Lockout was checked when the attempt claimed its try; the later steps record failures.
    return evaluateLogin(policy, { method: login.method, ip, at, verified: login.verified, enrolled: staff.totpSecret === null ? [] : ['totp'] });
  }

  async function decide(login: PendingLoginRow, staff: StaffRow, ip: string, at: number): Promise<Reply> {
    return finish(evaluate(await data.policyFor(staff.id, at), login, staff, ip, at), login, staff, ip, at);
  }

  async function finish(decision: LoginDecision, login: PendingLoginRow, staff: StaffRow, ip: string, at: number): Promise<Reply> {
    if (decision.outcome === 'deny') {
      await data.endLogin(login.id);
      const body: Record<string, unknown> = { outcome: 'deny', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) };
      if (decision.retryAt !== undefined) body.retryAt = new Date(decision.retryAt).toISOString();
      return { status: 403, body };
    }
    if (decision.outcome === 'allow') {
      const sessionId = await data.finishLogin(login.id, staff.id, at);
      if (sessionId === undefined) return fail(409, 'attempt_finished', 'This sign-in has already finished.');
      await recordStoredLoginSuccess(data.state, personKey(staff.email), { policy: await data.policyFor(staff.id, at), at, ip });
      return { status: 200, body: { outcome: 'allow', staffId: staff.id }, sessionId };
    }
    const next = decision.challenge;
    if (next?.step === 'email_code') {
      if (login.expecting !== 'email_code') {
        const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: login.id, at });
        const saved = await saveOneTimeCode(data.state, `otp:${login.id}`, challenge);
        if (!saved.ok) return busy();
        await data.expect(login.id, 'email_code', null);
        mailer({ to: staff.email, subject: 'Your sign-in code', code });
      }
      return { status: 200, body: { outcome: 'challenge', attemptId: login.id, step: 'email_code' } };
    }
    if (next?.step === 'second_factor' && next.factors.includes('totp')) {
      await data.expect(login.id, 'second_factor', null);
      return { status: 200, body: { outcome: 'challenge', attemptId: login.id, step: 'second_factor', factors: ['totp'] } };
    }
    if (next?.step === 'enroll' && next.factors.includes('totp')) {
      const enrollment = login.pendingTotp ?? createTotpEnrollment({ issuer: 'Example CRM', accountName: staff.email });
      await data.expect(login.id, 'enroll', enrollment);
      return { status: 200, body: { outcome: 'challenge', attemptId: login.id, step: 'enroll', factors: ['totp'], otpauthUri: enrollment.uri } };
    }
    await data.endLogin(login.id);
    return fail(403, 'second_factor_unavailable', 'Your account needs a second factor this app does not offer. Contact your administrator.');
  }

  function send(c: Context, reply: Reply): Response {
    if (reply.sessionId !== undefined) c.header('set-cookie', sessionCookie(reply.sessionId));
    return c.json(reply.body, reply.status);
  }

  async function jsonBody(c: Context): Promise<unknown> {
    if (!isJsonContentType(c.req.header('content-type'))) return undefined;
    try {
      return await c.req.json<unknown>();
    } catch {
      return undefined;
    }
  }

  const limit = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json({ error: 'body_invalid' }, 413) });

  app.post('/login', limit, async (c) => {
    const body = await jsonBody(c);
    if (body === undefined) return c.json({ error: 'body_invalid' }, 400);
    return send(c, await startLogin(body, c.get('clientIp'), clock()));
  });
  app.post('/login/code', limit, async (c) => {
    const body = await jsonBody(c);
    if (body === undefined) return c.json({ error: 'body_invalid' }, 400);
    return send(c, await submitCode(body, c.get('clientIp'), clock()));
  });
  app.post('/logout', async (c) => {
    const id = readCookie(c.req.header('cookie'), SESSION_COOKIE);
    if (id !== undefined) await data.endSession(id);
    c.header('set-cookie', clearedSessionCookie());
    return c.body(null, 204);
  });
  app.get('/me', async (c) => {
    const at = clock();
    const id = readCookie(c.req.header('cookie'), SESSION_COOKIE);
    const session = id === undefined ? undefined : await data.session(id);
    if (session === undefined) return c.json({ error: 'not_signed_in' }, 401);
    // evaluateSession does not look at lockout: a lock stops new sign-ins, not sessions.
    const decision = evaluateSession(await data.policyFor(session.staffId, at), { ip: c.get('clientIp'), at, loginAt: session.loginAt });
    if (decision.outcome === 'end') {
      await data.endSession(session.id);
      c.header('set-cookie', clearedSessionCookie());
      return c.json({ error: 'session_ended', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) }, 401);
    }
    return c.json({ staffId: session.staffId });
  });
  app.get('/api/orders', async (c) => {
    const at = clock();
    const ip = c.get('clientIp');
    const token = bearerToken(c.req.header('authorization'));
    const parsed = parseApiKey(token);
    const record = parsed.ok ? await data.apiKey(parsed.id) : undefined;
    const decision = verifyApiKey(record, token, { at, ip, scope: 'orders:read' }, await data.account());
    if (decision.outcome === 'deny') {
      const status = apiKeyDenyStatus(decision.reasons.map((r) => r.code));
      if (status === 401) c.header('www-authenticate', 'Bearer');
      return c.json({ error: 'api_key_refused', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) }, status);
    }
    if (record !== undefined) await data.saveApiKey(touchApiKey(record, { at, ip }));
    return c.json({ orders: [{ id: 'o-1001', total: 129 }] });
  });
  return app;
}
