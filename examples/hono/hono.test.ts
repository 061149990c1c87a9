// The Hono example over real HTTP on 127.0.0.1 through @hono/node-server, and through
// `app.fetch` alone, the way an edge runtime calls it.
import { describe, expect, it } from 'vitest';
import { apiKeyContract, loginContract, sessionContract, type StartApp } from '../shared/contract.js';
import { createDemoWorkspace, DEMO_PASSWORD } from '../shared/demo.js';
import { CAFE_IP, OFFICE_IP, TestClock, WORKING_HOURS } from '../shared/test-kit.js';
import { createHonoApp } from './app.js';
import { serveOnNode } from './node.js';

const start: StartApp = async (workspace, trustedProxies) => {
  const { server, port } = await serveOnNode({ workspace, trustedProxies, port: 0 });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err === undefined) resolve();
          else reject(err);
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
};

loginContract(start);
sessionContract(start);
apiKeyContract(start);

describe('as an edge fetch handler', () => {
  it('answers a Request with no server at all, reading the address the runtime gives (cf-connecting-ip here)', async () => {
    const clock = new TestClock(WORKING_HOURS);
    const demo = await createDemoWorkspace({ clock: clock.now, passwordIterations: 1000 });
    const app = createHonoApp({ workspace: demo.workspace, trustedProxies: [], remoteAddress: (c) => c.req.header('cf-connecting-ip') });
    const post = (ip: string) =>
      app.fetch(
        new Request('https://crm.example/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip, 'x-forwarded-for': OFFICE_IP },
          body: JSON.stringify({ email: 'ann@acme.test', password: DEMO_PASSWORD }),
        }),
      );
    const office = await post(OFFICE_IP);
    expect(office.status).toBe(200);
    expect(await office.json()).toMatchObject({ outcome: 'challenge', step: 'email_code' });
    // X-Forwarded-For is not believed without a trusted proxy: the café address decides.
    const cafe = await post(CAFE_IP);
    expect(cafe.status).toBe(403);
    expect(await cafe.json()).toMatchObject({ outcome: 'deny', reasons: [{ code: 'ip_not_allowed' }] });
  });
});
