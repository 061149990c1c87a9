// Koa 3 host app: the staffgate checks as Koa middleware.
//
//   clientIp(...)        every request: the client address, validated hop by hop
//   loginCheck(...)      POST /login and /login/code: the password, then whatever evaluateLogin
//                        asks for (e-mailed code, TOTP, enrollment); a session only on `allow`
//   sessionCheck(...)    in front of signed-in routes: evaluateSession on every request
//
//   npx tsx examples/koa/app.ts      # listens on http://127.0.0.1:3003
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import Koa, { type Middleware } from 'koa';
import { compileTrustedProxies, evaluateSession, resolveClientIp } from 'staffgate';
import { createConsoleDemo, printDemoWelcome } from '../shared/demo.js';
import { clearedSessionCookie, isJsonContentType, readCookie, SESSION_COOKIE, sessionCookie } from '../shared/http.js';
import { startPasswordLogin, submitLoginCode } from '../shared/login-flow.js';
import type { SessionRecord, Workspace } from '../shared/workspace.js';

/** What the middleware puts on `ctx.state`. */
export interface StaffgateState {
  /** The client address from `resolveClientIp`, or `''` when there is none. */
  clientIp: string;
  /** The session, behind `sessionCheck`. */
  session?: SessionRecord;
}

type StaffgateMiddleware = Middleware<StaffgateState>;

/** Finds the client address. The trusted-proxy list is compiled here, once; a bad entry throws at start-up. */
export function clientIp(trustedProxies: readonly string[]): StaffgateMiddleware {
  const proxies = compileTrustedProxies(trustedProxies);
  // Not `app.proxy = true` and `ctx.ip`: resolveClientIp re-validates every hop and gives no
  // address when anything is odd; `''` is denied by every decision.
  return async (ctx, next) => {
    const found = resolveClientIp({ remoteAddress: ctx.req.socket.remoteAddress, forwardedFor: ctx.get('x-forwarded-for') || undefined, trustedProxies: proxies });
    ctx.state.clientIp = found.ok ? found.ip : '';
    await next();
  };
}

/** Reads a JSON body of at most `limit` bytes; `undefined` when it is not sent as JSON, is not JSON or is too large. */
async function readJson(req: IncomingMessage, limit = 16 * 1024): Promise<unknown> {
  // Only `application/json`: a cross-site form can send JSON-shaped text/plain without a preflight.
  if (!isJsonContentType(req.headers['content-type'])) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return undefined;
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** POST /login and POST /login/code: the login flow, deciding with evaluateLogin at every step. */
export function loginCheck(ws: Workspace): StaffgateMiddleware {
  return async (ctx, next) => {
    const step = ctx.method === 'POST' ? ({ '/login': 'start', '/login/code': 'code' } as const)[ctx.path as '/login' | '/login/code'] : undefined;
    if (step === undefined) {
      await next();
      return;
    }
    const body = await readJson(ctx.req);
    if (body === undefined) {
      ctx.status = 400;
      ctx.body = { error: 'body_invalid' };
      return;
    }
    const context = { ip: ctx.state.clientIp, at: ws.now() };
    const result = step === 'start' ? await startPasswordLogin(ws, body, context) : submitLoginCode(ws, body, context);
    if (result.sessionId !== undefined) ctx.set('set-cookie', sessionCookie(result.sessionId));
    ctx.status = result.status;
    ctx.body = result.body;
  };
}

/** Lets the request through only with a session that the policy still allows, re-checked now. */
export function sessionCheck(ws: Workspace): StaffgateMiddleware {
  return async (ctx, next) => {
    const at = ws.now();
    const id = readCookie(ctx.get('cookie') || undefined, SESSION_COOKIE);
    const session = id === undefined ? undefined : ws.sessions.get(id);
    if (session === undefined) {
      ctx.status = 401;
      ctx.body = { error: 'not_signed_in' };
      return;
    }
    const decision = evaluateSession(ws.policyFor(session.staffId, at), { ip: ctx.state.clientIp, at, loginAt: session.loginAt });
    if (decision.outcome === 'end') {
      ws.sessions.delete(session.id);
      ctx.set('set-cookie', clearedSessionCookie());
      ctx.status = 401;
      ctx.body = { error: 'session_ended', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) };
      return;
    }
    ctx.state.session = session;
    await next();
  };
}

/** Builds the app: the address, the login flow, logout, then the signed-in area. */
export function createKoaApp({ workspace: ws, trustedProxies }: { workspace: Workspace; trustedProxies: readonly string[] }): Koa<StaffgateState> {
  const app = new Koa<StaffgateState>();
  app.use(clientIp(trustedProxies));
  app.use(loginCheck(ws));
  app.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/logout') {
      await next();
      return;
    }
    const id = readCookie(ctx.get('cookie') || undefined, SESSION_COOKIE);
    if (id !== undefined) ws.sessions.delete(id);
    ctx.set('set-cookie', clearedSessionCookie());
    ctx.status = 204;
  });
  // Everything below needs a session.
  app.use(sessionCheck(ws));
  app.use((ctx) => {
    if (ctx.method === 'GET' && ctx.path === '/me') ctx.body = { staffId: ctx.state.session?.staffId };
    else {
      ctx.status = 404;
      ctx.body = { error: 'not_found' };
    }
  });
  return app;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await createConsoleDemo();
  createKoaApp({ workspace: demo.workspace, trustedProxies: ['loopback'] }).listen(3003, '127.0.0.1', () => {
    printDemoWelcome('Koa', 'http://127.0.0.1:3003', demo);
  });
}
