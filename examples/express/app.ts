// Express 5 host app: the login route, a session middleware and an API-key middleware.
//
//   npx tsx examples/express/app.ts      # listens on http://127.0.0.1:3000
//
// Routes:
//   POST /login        { email, password }  -> challenge (e-mailed code, TOTP, enrollment) | deny
//   POST /login/code   { attemptId, code }  -> next challenge | allow (sets the session cookie) | deny
//   POST /logout                              ends the session
//   GET  /me                                  needs a session, re-checked on every request
//   GET  /api/orders                          needs an API key with orders:read
//   POST /api/orders                          needs an API key with orders:write
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import {
  compileTrustedProxies,
  evaluateSession,
  parseApiKey,
  resolveClientIp,
  touchApiKey,
  verifyApiKey,
} from 'staffgate';
import { createConsoleDemo, printDemoWelcome, DEMO_PASSWORD } from '../shared/demo.js';
import { apiKeyDenyStatus, bearerToken, clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../shared/http.js';
import { startPasswordLogin, submitLoginCode, type LoginReply } from '../shared/login-flow.js';
import type { SessionRecord, Workspace } from '../shared/workspace.js';

export interface ExpressAppOptions {
  readonly workspace: Workspace;
  /**
   * The proxies in front of the app whose X-Forwarded-For is believed: addresses, CIDRs, or
   * the presets `loopback`, `private`, `linklocal`. `[]` when clients connect directly.
   */
  readonly trustedProxies: readonly string[];
}

/** Builds the app. A bad trusted-proxy entry throws here, at start-up, never per request. */
export function createExpressApp({ workspace: ws, trustedProxies }: ExpressAppOptions): express.Express {
  const proxies = compileTrustedProxies(trustedProxies);
  const sessions = new WeakMap<Request, SessionRecord>();
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  // Not `app.set('trust proxy', …)` and `req.ip`: resolveClientIp re-validates every hop and
  // gives no address at all when anything is odd. `''` is then denied by every decision.
  function clientIp(req: Request): string {
    const found = resolveClientIp({ remoteAddress: req.socket.remoteAddress, forwardedFor: req.headers['x-forwarded-for'], trustedProxies: proxies });
    return found.ok ? found.ip : '';
  }

  function reply(res: Response, result: LoginReply): void {
    if (result.sessionId !== undefined) res.setHeader('set-cookie', sessionCookie(result.sessionId));
    res.status(result.status).json(result.body);
  }

  /** Re-checks the session on every request: an address outside the allowlist or the end of the login hours signs the person out. */
  const requireSession: RequestHandler = (req, res, next) => {
    const at = ws.now();
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = id === undefined ? undefined : ws.sessions.get(id);
    if (session === undefined) {
      res.status(401).json({ error: 'not_signed_in' });
      return;
    }
    const policy = ws.policyFor(session.staffId, at);
    const decision = evaluateSession(policy, { ip: clientIp(req), at, loginAt: session.loginAt });
    if (decision.outcome === 'end') {
      ws.sessions.delete(session.id);
      res.setHeader('set-cookie', clearedSessionCookie());
      res.status(401).json({ error: 'session_ended', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) });
      return;
    }
    sessions.set(req, session);
    next();
  };

  /** Lets a request through only with an API key that covers `scope`, from an allowed address. */
  function requireApiKey(scope: string): RequestHandler {
    return (req, res, next) => {
      const at = ws.now();
      const ip = clientIp(req);
      const token = bearerToken(req.headers.authorization);
      const parsed = parseApiKey(token);
      const record = parsed.ok ? ws.apiKeys.get(parsed.id) : undefined;
      // The account policy carries the workspace's API allowlist (api.ipAllowlist).
      const decision = verifyApiKey(record, token, { at, ip, scope }, ws.account);
      if (decision.outcome === 'deny') {
        const codes = decision.reasons.map((r) => r.code);
        const status = apiKeyDenyStatus(codes);
        if (status === 401) res.setHeader('www-authenticate', 'Bearer');
        res.status(status).json({ error: 'api_key_refused', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) });
        return;
      }
      if (record !== undefined) ws.apiKeys.set(record.id, touchApiKey(record, { at, ip }));
      next();
    };
  }

  app.post('/login', async (req, res) => {
    reply(res, await startPasswordLogin(ws, req.body, { ip: clientIp(req), at: ws.now() }));
  });

  app.post('/login/code', (req, res) => {
    reply(res, submitLoginCode(ws, req.body, { ip: clientIp(req), at: ws.now() }));
  });

  app.post('/logout', (req, res) => {
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (id !== undefined) ws.sessions.delete(id);
    res.setHeader('set-cookie', clearedSessionCookie());
    res.status(204).end();
  });

  app.get('/me', requireSession, (req, res) => {
    res.json({ staffId: sessions.get(req)?.staffId });
  });

  app.get('/api/orders', requireApiKey('orders:read'), (_req, res) => {
    res.json({ orders: [{ id: 'o-1001', total: 129 }] });
  });

  app.post('/api/orders', requireApiKey('orders:write'), (_req, res) => {
    res.status(201).json({ created: true });
  });

  // A body that is not JSON, or too large: a 400, never a stack trace.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && err.status < 500 ? err.status : 500;
    res.status(status).json({ error: status === 500 ? 'internal_error' : 'body_invalid' });
  });

  return app;
}

// Run it: a demo workspace on the real clock, behind no proxy except one on this machine.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await createConsoleDemo();
  const app = createExpressApp({ workspace: demo.workspace, trustedProxies: ['loopback'] });
  app.listen(3000, '127.0.0.1', () => {
    printDemoWelcome('Express', 'http://127.0.0.1:3000', demo);
    console.log(`curl -i -H 'x-forwarded-for: 203.0.113.7' -H 'content-type: application/json' -d '{"email":"ann@acme.test","password":"${DEMO_PASSWORD}"}' http://127.0.0.1:3000/login`);
  });
}
