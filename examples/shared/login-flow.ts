// The login flow every framework example shares: a password, then the e-mailed code, then an
// authenticator-app code (or its enrollment) when the policy requires 2FA. It is plain
// functions from (workspace, request body, client address, instant) to a status and a JSON
// body, so each framework adapter only has to find the client address and write the reply.
//
// The rule that keeps it safe: after every step, ask `evaluateLogin` again with everything
// known now (the address of this request, this instant, the steps completed) and do exactly
// what it says. A session is created in one place only, when the outcome is `allow`.
import {
  createTotpEnrollment,
  evaluateLogin,
  issueOneTimeCode,
  verifyOneTimeCode,
  verifyTotp,
  type LoginDecision,
} from 'staffgate';
import { randomId, type PendingLogin, type StaffRecord, type Workspace } from './workspace.js';

/** What the client learns after each step. */
export type LoginBody =
  | { readonly outcome: 'challenge'; readonly attemptId: string; readonly step: 'email_code' }
  | { readonly outcome: 'challenge'; readonly attemptId: string; readonly step: 'second_factor'; readonly factors: readonly string[] }
  | { readonly outcome: 'challenge'; readonly attemptId: string; readonly step: 'enroll'; readonly factors: readonly string[]; readonly otpauthUri: string }
  | { readonly outcome: 'allow'; readonly staffId: string }
  | { readonly outcome: 'deny'; readonly reasons: readonly { code: string; message: string }[]; readonly retryAt?: string }
  | { readonly error: string; readonly message: string };

/** A reply for the framework adapter to send. */
export interface LoginReply {
  readonly status: number;
  readonly body: LoginBody;
  /** Set when the login completed: the new session, to put in a cookie. */
  readonly sessionId?: string;
}

/** What the adapter found out about the request. */
export interface LoginRequestContext {
  /** The client address from `resolveClientIp`, or `''` when there is none (the login is then denied). */
  readonly ip: string;
  readonly at: number;
}

/** A login attempt lives this long between its steps. */
export const LOGIN_ATTEMPT_TTL_MS = 15 * 60_000;
/** Wrong codes an attempt may take before it is dropped. */
export const MAX_CODE_FAILURES = 5;
const ISSUER = 'Example CRM';

function error(status: number, code: string, message: string): LoginReply {
  return { status, body: { error: code, message } };
}

function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length <= 1024 ? value : undefined;
}

/** POST /login `{ email, password }`: checks the password, then asks staffgate what comes next. */
export async function startPasswordLogin(ws: Workspace, body: unknown, ctx: LoginRequestContext): Promise<LoginReply> {
  const email = stringField(body, 'email');
  const password = stringField(body, 'password');
  if (email === undefined || password === undefined) return error(400, 'body_invalid', 'Send { "email": "…", "password": "…" }.');
  const staff = await ws.checkCredentials(email, password);
  // Wrong credentials say nothing about the policy: only someone who knows the password learns
  // that the address or the hour is wrong.
  if (staff === undefined) return error(401, 'invalid_credentials', 'The e-mail address or password is wrong.');
  const login: PendingLogin = {
    id: randomId(),
    staffId: staff.id,
    method: 'password',
    startedAt: ctx.at,
    verified: [],
    expecting: null,
    emailChallenge: null,
    pendingTotp: null,
    failures: 0,
  };
  ws.logins.set(login.id, login);
  return decide(ws, login, staff, ctx);
}

/** POST /login/code `{ attemptId, code }`: the code for whichever step the last reply asked for. */
export function submitLoginCode(ws: Workspace, body: unknown, ctx: LoginRequestContext): LoginReply {
  const attemptId = stringField(body, 'attemptId');
  const typed = stringField(body, 'code');
  if (attemptId === undefined || typed === undefined) return error(400, 'body_invalid', 'Send { "attemptId": "…", "code": "…" }.');
  const login = ws.logins.get(attemptId);
  const staff = login === undefined ? undefined : ws.staff.get(login.staffId);
  if (login === undefined || staff === undefined || ctx.at - login.startedAt >= LOGIN_ATTEMPT_TTL_MS) {
    ws.logins.delete(attemptId);
    return error(401, 'attempt_unknown', 'This sign-in has ended. Start again.');
  }

  // The address or the hour may have changed since the last step: a deny now ends the attempt
  // before any code is looked at.
  const before = evaluate(ws, login, staff, ctx);
  if (before.outcome === 'deny') return finish(ws, login, staff, before, ctx);
  // The step asked for may have changed too: another attempt finished enrolling an
  // authenticator app, or an admin reset it. Answer with the step asked for now and look at no
  // code, so a stale `enroll` step can never replace an app that is already set up.
  if (before.outcome === 'challenge' && before.challenge?.step !== login.expecting?.step) return finish(ws, login, staff, before, ctx);

  // Authenticator apps show "123 456"; staffgate wants the six digits.
  const code = typed.replace(/ /g, '');
  const expecting = login.expecting;
  if (expecting?.step === 'email_code' && login.emailChallenge !== null) {
    const result = verifyOneTimeCode(login.emailChallenge, code, { at: ctx.at, attemptId: login.id, purpose: 'email_code' });
    login.emailChallenge = result.challenge; // always: the try it used is recorded
    if (!result.ok) {
      if (result.reason === 'code_malformed' || result.reason === 'code_invalid') return wrongCode(ws, login, result.reason);
      ws.logins.delete(login.id);
      return error(401, result.reason, 'This code can no longer be used. Start again.');
    }
    login.verified.push(result.verified);
  } else if ((expecting?.step === 'second_factor' && staff.totp !== null) || (expecting?.step === 'enroll' && login.pendingTotp !== null)) {
    const enrolling = expecting.step === 'enroll';
    const secret = (enrolling ? login.pendingTotp?.secret : staff.totp?.secret) ?? '';
    const result = verifyTotp({ secret, code, at: ctx.at, lastUsedStep: enrolling ? null : staff.totp?.lastUsedStep });
    if (!result.ok) return wrongCode(ws, login, result.reason);
    // Store the step: the same code is refused from now on (`code_replayed`). Enrollment is
    // complete only now, when the app has shown a code that verifies. Nothing is awaited
    // between the read above and this write; with a database, make it a compare-and-set on
    // the `lastUsedStep` you read (see docs/second-factor.md), or two requests racing with one
    // code both pass.
    staff.totp = { secret, lastUsedStep: result.step };
    login.pendingTotp = null;
    login.verified.push('totp');
  } else {
    return error(409, 'step_not_expected', 'No code is expected at this point.');
  }
  return decide(ws, login, staff, ctx);
}

function wrongCode(ws: Workspace, login: PendingLogin, reason: string): LoginReply {
  login.failures += 1;
  if (login.failures >= MAX_CODE_FAILURES) {
    ws.logins.delete(login.id);
    return error(429, 'too_many_attempts', 'Too many wrong codes. Start again.');
  }
  return error(401, reason, 'That code is not right. Try again.');
}

function evaluate(ws: Workspace, login: PendingLogin, staff: StaffRecord, ctx: LoginRequestContext): LoginDecision {
  const policy = ws.policyFor(staff.id, ctx.at);
  return evaluateLogin(policy, { method: login.method, ip: ctx.ip, at: ctx.at, verified: login.verified, enrolled: ws.enrolledFactors(staff) });
}

function decide(ws: Workspace, login: PendingLogin, staff: StaffRecord, ctx: LoginRequestContext): LoginReply {
  return finish(ws, login, staff, evaluate(ws, login, staff, ctx), ctx);
}

function finish(ws: Workspace, login: PendingLogin, staff: StaffRecord, decision: LoginDecision, ctx: LoginRequestContext): LoginReply {
  switch (decision.outcome) {
    case 'deny': {
      ws.logins.delete(login.id);
      // `message` is safe to show; `detail` (the allowlist, the layer) goes to the audit log only.
      const reasons = decision.reasons.map((r) => ({ code: r.code, message: r.message }));
      const body = decision.retryAt === undefined ? { outcome: 'deny' as const, reasons } : { outcome: 'deny' as const, reasons, retryAt: new Date(decision.retryAt).toISOString() };
      return { status: 403, body };
    }
    case 'allow': {
      ws.logins.delete(login.id);
      const session = { id: randomId(32), staffId: staff.id, loginAt: ctx.at };
      ws.sessions.set(session.id, session);
      return { status: 200, body: { outcome: 'allow', staffId: staff.id }, sessionId: session.id };
    }
    case 'challenge':
      return challenge(ws, login, staff, decision, ctx);
  }
}

function challenge(ws: Workspace, login: PendingLogin, staff: StaffRecord, decision: LoginDecision, ctx: LoginRequestContext): LoginReply {
  const next = decision.challenge;
  if (next?.step === 'email_code') {
    if (login.expecting?.step !== 'email_code') {
      // Bound to this attempt and to the login-code purpose: it cannot finish another login
      // or pass as the `email` second factor.
      const { code, challenge: stored } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: login.id, at: ctx.at });
      login.emailChallenge = stored;
      ws.sendMail({ to: staff.email, subject: 'Your sign-in code', code });
    }
    login.expecting = next;
    return { status: 200, body: { outcome: 'challenge', attemptId: login.id, step: 'email_code' } };
  }
  // This app offers authenticator apps only; SMS and the e-mail factor follow the e-mailed
  // code's pattern with `purpose: 'second_factor'`.
  if (next?.step === 'second_factor' && next.factors.includes('totp')) {
    login.pendingTotp = null;
    login.expecting = next;
    return { status: 200, body: { outcome: 'challenge', attemptId: login.id, step: 'second_factor', factors: ['totp'] } };
  }
  if (next?.step === 'enroll' && next.factors.includes('totp')) {
    // Shown once, as a QR code, to someone who has just proven the password and the e-mailed code.
    login.pendingTotp ??= createTotpEnrollment({ issuer: ISSUER, accountName: staff.email });
    login.expecting = next;
    return { status: 200, body: { outcome: 'challenge', attemptId: login.id, step: 'enroll', factors: ['totp'], otpauthUri: login.pendingTotp.uri } };
  }
  ws.logins.delete(login.id);
  return error(403, 'second_factor_unavailable', 'Your account needs a second factor this app does not offer. Contact your administrator.');
}
