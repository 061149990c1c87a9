// The Express example over real HTTP on 127.0.0.1: each test starts a fresh app on port 0.
import { createServer } from 'node:http';
import { createTotpEnrollment } from 'staffgate';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { checkLoginSessions, checkSessionRechecks, NOT_APPLICABLE } from 'staffgate/testing';
import { apiKeyContract, loginContract, sessionContract, type RunningApp, type StartApp } from '../shared/contract.js';
import { createDemoWorkspace, DEMO_PASSWORD } from '../shared/demo.js';
import { close, listen, passwordLogin, request, TestClock, WORKING_HOURS } from '../shared/test-kit.js';
import type { Workspace } from '../shared/workspace.js';
import { createExpressApp } from './app.js';

const start: StartApp = async (workspace, trustedProxies) => {
  const server = createServer(createExpressApp({ workspace, trustedProxies }));
  const baseUrl = await listen(server);
  return { baseUrl, close: () => close(server) };
};

loginContract(start);
sessionContract(start);
apiKeyContract(start);

// The laws of staffgate/testing, run against this app over HTTP: hundreds of generated
// policies and attempts, each installed in the workspace and played through the real routes.
// docs/testing.md walks through this code.
describe('staffgate laws, over HTTP', () => {
  let clock: TestClock;
  let ws: Workspace;
  let app: RunningApp;

  beforeEach(async () => {
    clock = new TestClock(WORKING_HOURS);
    ws = (await createDemoWorkspace({ clock: clock.now, passwordIterations: 1000 })).workspace;
    app = await start(ws, ['loopback']);
  });
  afterEach(async () => {
    await app.close();
  });

  /**
   * An address the law generated that an HTTP header cannot carry as it is: header values lose
   * leading and trailing white space on the way, fetch refuses control characters and
   * anything outside Latin-1, and a comma would split X-Forwarded-For into two hops. The law
   * skips these cases rather than count them as passed.
   */
  const untransportable = (ip: string) => ip.trim() !== ip || /[^\t\x20-\x7e]|,/.test(ip);

  it('only an allowed login yields a session', async () => {
    const secret = createTotpEnrollment({ issuer: 'Law', accountName: 'law@acme.test' }).secret;
    await checkLoginSessions(
      async ({ account, overrides, staffId, attempt }) => {
        if (untransportable(attempt.ip)) return NOT_APPLICABLE;
        // Install the generated case: settings, overrides, one staff member, the clock.
        ws.account = account;
        ws.overrides = [...overrides];
        ws.staff.clear();
        const staff = await ws.addStaff(staffId, 'law@acme.test', DEMO_PASSWORD);
        if (attempt.enrolled?.includes('totp') === true) staff.totp = { secret, lastUsedStep: null };
        clock.set(attempt.at);
        // Play the login through the routes, completing only the steps the case has verified.
        const done = attempt.verified ?? [];
        const replies = await passwordLogin(app.baseUrl, ws, {
          email: 'law@acme.test',
          password: DEMO_PASSWORD,
          from: attempt.ip,
          now: clock.now,
          totpSecret: () => staff.totp?.secret,
          completes: (step) => (step === 'email_code' ? done.includes('email_code') : done.includes('totp')),
        });
        return { session: replies.some((r) => r.cookie !== undefined) };
      },
      { numRuns: 100, methods: ['password'], steps: ['email_code', 'totp'], factors: ['totp'] },
    );
  });

  it('a session the policy ends is never continued', async () => {
    await checkSessionRechecks(
      async ({ account, overrides, staffId, request: r }) => {
        if (untransportable(r.ip)) return NOT_APPLICABLE;
        ws.account = account;
        ws.overrides = [...overrides];
        ws.sessions.set('law', { id: 'law', staffId, loginAt: new Date(r.loginAt).getTime() });
        clock.set(r.at);
        const me = await request(`${app.baseUrl}/me`, { headers: { cookie: 'sid=law', 'x-forwarded-for': r.ip } });
        return { continued: me.status === 200 };
      },
      { numRuns: 40 },
    );
  });
});
