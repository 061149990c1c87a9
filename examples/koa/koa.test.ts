// The Koa example over real HTTP on 127.0.0.1: each test starts a fresh app on port 0.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loginContract, sessionContract, type StartApp } from '../shared/contract.js';
import { createDemoWorkspace } from '../shared/demo.js';
import { close, listen, OFFICE_IP, request } from '../shared/test-kit.js';
import { createKoaApp } from './app.js';

const start: StartApp = async (workspace, trustedProxies) => {
  const handle = createKoaApp({ workspace, trustedProxies }).callback();
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const baseUrl = await listen(server);
  return { baseUrl, close: () => close(server) };
};

loginContract(start);
sessionContract(start);

describe('middleware order', () => {
  it('puts every route after sessionCheck behind a session', async () => {
    const demo = await createDemoWorkspace({ passwordIterations: 1000 });
    const running = await start(demo.workspace, ['loopback']);
    try {
      const unknown = await request(`${running.baseUrl}/anything`, { headers: { 'x-forwarded-for': OFFICE_IP } });
      expect(unknown).toMatchObject({ status: 401, body: { error: 'not_signed_in' } });
    } finally {
      await running.close();
    }
  });
});
