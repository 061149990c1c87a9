// Hono 4 host app: a fetch handler with no Node API in it, so the same app runs on Node,
// Bun, Deno and edge runtimes (Cloudflare Workers, Vercel Edge). Only the way to read the
// socket address differs per runtime, so it is an option:
//
//   Node (@hono/node-server):  remoteAddress: (c) => getConnInfo(c).remote.address   (see node.ts)
//   Bun:                       getConnInfo from 'hono/bun'
//   Deno:                      getConnInfo from 'hono/deno'
//   Cloudflare Workers:        the edge is the proxy; trust its header instead:
//                              remoteAddress: (c) => c.req.header('cf-connecting-ip'), trustedProxies: []
//
// Routes: the same as the Express example (POST /login, POST /login/code, POST /logout,
// GET /me, GET and POST /api/orders).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  compileTrustedProxies,
  evaluateSession,
  parseApiKey,
  resolveClientIp,
  touchApiKey,
  verifyApiKey,
} from 'staffgate';
import { apiKeyDenyStatus, bearerToken, clearedSessionCookie, isJsonContentType, readCookie, SESSION_COOKIE, sessionCookie } from '../shared/http.js';
import { startPasswordLogin, submitLoginCode, type LoginReply } from '../shared/login-flow.js';
import type { SessionRecord, Workspace } from '../shared/workspace.js';

/** What the middleware puts on the context. */
export interface StaffgateEnv {
  Variables: {
    /** The client address from `resolveClientIp`, or `''` when there is none. */
    clientIp: string;
    /** The session, on routes behind `requireSession`. */
    session: SessionRecord;
  };
}

export interface HonoAppOptions {
  readonly workspace: Workspace;
  /** Proxies whose X-Forwarded-For is believed (addresses, CIDRs, `loopback`, `private`, `linklocal`). */
  readonly trustedProxies: readonly string[];
  /** The peer address of the connection, as this runtime exposes it. */
  readonly remoteAddress: (c: Context) => string | undefined;
}

/** Builds the app. A bad trusted-proxy entry throws here, at start-up, never per request. */
export function createHonoApp({ workspace: ws, trustedProxies, remoteAddress }: HonoAppOptions): Hono<StaffgateEnv> {
  const proxies = compileTrustedProxies(trustedProxies);
  const app = new Hono<StaffgateEnv>();

  // Every request: find the client address once. `''` when anything is odd; every decision denies it.
  app.use(async (c, next) => {
    const found = resolveClientIp({ remoteAddress: remoteAddress(c), forwardedFor: c.req.header('x-forwarded-for'), trustedProxies: proxies });
    c.set('clientIp', found.ok ? found.ip : '');
    await next();
  });

  const requireSession = createMiddleware<StaffgateEnv>(async (c, next) => {
    const at = ws.now();
    const id = readCookie(c.req.header('cookie'), SESSION_COOKIE);
    const session = id === undefined ? undefined : ws.sessions.get(id);
    if (session === undefined) return c.json({ error: 'not_signed_in' }, 401);
    const decision = evaluateSession(ws.policyFor(session.staffId, at), { ip: c.get('clientIp'), at, loginAt: session.loginAt });
    if (decision.outcome === 'end') {
      ws.sessions.delete(session.id);
      c.header('set-cookie', clearedSessionCookie());
      return c.json({ error: 'session_ended', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) }, 401);
    }
    c.set('session', session);
    await next();
    return undefined;
  });

  const requireApiKey = (scope: string) =>
    createMiddleware<StaffgateEnv>(async (c, next) => {
      const at = ws.now();
      const ip = c.get('clientIp');
      const token = bearerToken(c.req.header('authorization'));
      const parsed = parseApiKey(token);
      const record = parsed.ok ? ws.apiKeys.get(parsed.id) : undefined;
      const decision = verifyApiKey(record, token, { at, ip, scope }, ws.account);
      if (decision.outcome === 'deny') {
        const status = apiKeyDenyStatus(decision.reasons.map((r) => r.code));
        if (status === 401) c.header('www-authenticate', 'Bearer');
        return c.json({ error: 'api_key_refused', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) }, status);
      }
      if (record !== undefined) ws.apiKeys.set(record.id, touchApiKey(record, { at, ip }));
      await next();
      return undefined;
    });

  function send(c: Context<StaffgateEnv>, result: LoginReply): Response {
    if (result.sessionId !== undefined) c.header('set-cookie', sessionCookie(result.sessionId));
    return c.json(result.body, result.status as ContentfulStatusCode);
  }

  /** The JSON body, or `undefined` for one that is not sent as JSON or is not JSON (the flow answers 400). */
  async function jsonBody(c: Context<StaffgateEnv>): Promise<unknown> {
    // `c.req.json()` ignores the Content-Type; a cross-site form can send JSON-shaped
    // text/plain without a CORS preflight, so insist on application/json.
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
    return send(c, await startPasswordLogin(ws, body, { ip: c.get('clientIp'), at: ws.now() }));
  });
  app.post('/login/code', limit, async (c) => {
    const body = await jsonBody(c);
    if (body === undefined) return c.json({ error: 'body_invalid' }, 400);
    return send(c, submitLoginCode(ws, body, { ip: c.get('clientIp'), at: ws.now() }));
  });
  app.post('/logout', (c) => {
    const id = readCookie(c.req.header('cookie'), SESSION_COOKIE);
    if (id !== undefined) ws.sessions.delete(id);
    c.header('set-cookie', clearedSessionCookie());
    return c.body(null, 204);
  });
  app.get('/me', requireSession, (c) => c.json({ staffId: c.get('session').staffId }));
  app.get('/api/orders', requireApiKey('orders:read'), (c) => c.json({ orders: [{ id: 'o-1001', total: 129 }] }));
  app.post('/api/orders', requireApiKey('orders:write'), (c) => c.json({ created: true }, 201));
  return app;
}
