// Fastify 5 host app: staffgate as a plugin with one onRequest hook. Each route says in its
// `config` what it needs ({ staffgate: { session: true } } or { staffgate: { apiKeyScope } }),
// and the hook enforces it before the body is even read.
//
//   npx tsx examples/fastify/app.ts      # listens on http://127.0.0.1:3001
//
// Routes: the same as the Express example (POST /login, POST /login/code, POST /logout,
// GET /me, GET and POST /api/orders).
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyPluginCallback, type FastifyReply } from 'fastify';
import {
  compileTrustedProxies,
  evaluateSession,
  type IpRules,
  parseApiKey,
  resolveClientIp,
  touchApiKey,
  verifyApiKey,
} from 'staffgate';
import { createConsoleDemo, printDemoWelcome } from '../shared/demo.js';
import { apiKeyDenyStatus, bearerToken, clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../shared/http.js';
import { startPasswordLogin, submitLoginCode, type LoginReply } from '../shared/login-flow.js';
import type { SessionRecord, Workspace } from '../shared/workspace.js';

/** What a route needs, declared in its `config`. */
export interface StaffgateRouteConfig {
  /** A signed-in session, re-checked with `evaluateSession` on every request. */
  readonly session?: true;
  /** An API key covering this scope (`orders:read`, `write`, …). */
  readonly apiKeyScope?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    staffgate?: StaffgateRouteConfig;
  }
  interface FastifyRequest {
    /** The client address from `resolveClientIp`, or `''` when there is none. */
    clientIp: string;
    /** The session, on routes that need one. */
    staffSession: SessionRecord | null;
  }
}

export interface StaffgatePluginOptions {
  readonly workspace: Workspace;
  /** Proxies whose X-Forwarded-For is believed (addresses, CIDRs, `loopback`, `private`, `linklocal`). */
  readonly trustedProxies: readonly string[];
}

const guard: FastifyPluginCallback<StaffgatePluginOptions> = (app, { workspace: ws, trustedProxies }, done) => {
  // Compiled once when the plugin loads: a bad entry stops the app from starting.
  let proxies: IpRules;
  try {
    proxies = compileTrustedProxies(trustedProxies);
  } catch (err) {
    done(err instanceof Error ? err : new Error(String(err)));
    return;
  }
  app.decorateRequest('clientIp', '');
  app.decorateRequest('staffSession', null);

  // Not Fastify's `trustProxy` and `request.ip`: resolveClientIp re-validates every hop and
  // gives no address when anything is odd, and `''` is denied by every decision.
  app.addHook('onRequest', async (request, reply) => {
    const found = resolveClientIp({ remoteAddress: request.raw.socket.remoteAddress, forwardedFor: request.headers['x-forwarded-for'], trustedProxies: proxies });
    request.clientIp = found.ok ? found.ip : '';
    const needs = request.routeOptions.config.staffgate;
    const at = ws.now();

    if (needs?.session === true) {
      const id = readCookie(request.headers.cookie, SESSION_COOKIE);
      const session = id === undefined ? undefined : ws.sessions.get(id);
      if (session === undefined) return reply.code(401).send({ error: 'not_signed_in' });
      const decision = evaluateSession(ws.policyFor(session.staffId, at), { ip: request.clientIp, at, loginAt: session.loginAt });
      if (decision.outcome === 'end') {
        ws.sessions.delete(session.id);
        return reply
          .code(401)
          .header('set-cookie', clearedSessionCookie())
          .send({ error: 'session_ended', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) });
      }
      request.staffSession = session;
    }

    if (needs?.apiKeyScope !== undefined) {
      const token = bearerToken(request.headers.authorization);
      const parsed = parseApiKey(token);
      const record = parsed.ok ? ws.apiKeys.get(parsed.id) : undefined;
      const decision = verifyApiKey(record, token, { at, ip: request.clientIp, scope: needs.apiKeyScope }, ws.account);
      if (decision.outcome === 'deny') {
        const status = apiKeyDenyStatus(decision.reasons.map((r) => r.code));
        if (status === 401) void reply.header('www-authenticate', 'Bearer');
        return reply.code(status).send({ error: 'api_key_refused', reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) });
      }
      if (record !== undefined) ws.apiKeys.set(record.id, touchApiKey(record, { at, ip: request.clientIp }));
    }
    return undefined;
  });
  done();
};

/**
 * The staffgate plugin. Marked like `fastify-plugin` does, so its hook and decorations apply to
 * every route of the app, not only to routes registered inside it.
 */
export const staffgatePlugin: FastifyPluginCallback<StaffgatePluginOptions> = Object.assign(guard, { [Symbol.for('skip-override')]: true });

function send(reply: FastifyReply, result: LoginReply): FastifyReply {
  if (result.sessionId !== undefined) void reply.header('set-cookie', sessionCookie(result.sessionId));
  return reply.code(result.status).send(result.body);
}

/** Builds the app: the plugin, the login routes and two guarded routes. */
export async function createFastifyApp(options: StaffgatePluginOptions): Promise<FastifyInstance> {
  const ws = options.workspace;
  const app = Fastify({ bodyLimit: 16 * 1024 });
  await app.register(staffgatePlugin, options);

  // A body that is not JSON: a 400 in the app's own shape, never a stack trace.
  app.setErrorHandler((err: { statusCode?: number }, _request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode < 500 ? err.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'internal_error' : 'body_invalid' });
  });

  app.post('/login', async (request, reply) => send(reply, await startPasswordLogin(ws, request.body, { ip: request.clientIp, at: ws.now() })));
  app.post('/login/code', (request, reply) => send(reply, submitLoginCode(ws, request.body, { ip: request.clientIp, at: ws.now() })));
  app.post('/logout', (request, reply) => {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (id !== undefined) ws.sessions.delete(id);
    return reply.code(204).header('set-cookie', clearedSessionCookie()).send();
  });
  app.get('/me', { config: { staffgate: { session: true } } }, (request) => ({ staffId: request.staffSession?.staffId }));
  app.get('/api/orders', { config: { staffgate: { apiKeyScope: 'orders:read' } } }, () => ({ orders: [{ id: 'o-1001', total: 129 }] }));
  app.post('/api/orders', { config: { staffgate: { apiKeyScope: 'orders:write' } } }, (_request, reply) => reply.code(201).send({ created: true }));
  return app;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await createConsoleDemo();
  const app = await createFastifyApp({ workspace: demo.workspace, trustedProxies: ['loopback'] });
  await app.listen({ port: 3001, host: '127.0.0.1' });
  printDemoWelcome('Fastify', 'http://127.0.0.1:3001', demo);
}
