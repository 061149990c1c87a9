// The Fastify example over real HTTP on 127.0.0.1: each test starts a fresh app on port 0.
import { describe, expect, it } from 'vitest';
import { apiKeyContract, loginContract, sessionContract, type StartApp } from '../shared/contract.js';
import { createDemoWorkspace } from '../shared/demo.js';
import { request, SHOP_SERVER_IP } from '../shared/test-kit.js';
import { createFastifyApp } from './app.js';

const start: StartApp = async (workspace, trustedProxies) => {
  const app = await createFastifyApp({ workspace, trustedProxies });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return { baseUrl, close: () => app.close() };
};

loginContract(start);
sessionContract(start);
apiKeyContract(start);

describe('the plugin', () => {
  it('guards routes the host registers after it, outside the plugin', async () => {
    const demo = await createDemoWorkspace({ passwordIterations: 1000 });
    const app = await createFastifyApp({ workspace: demo.workspace, trustedProxies: ['loopback'] });
    app.get('/api/report', { config: { staffgate: { apiKeyScope: 'reports:read' } } }, () => ({ rows: [] }));
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const refused = await request(`${baseUrl}/api/report`, { headers: { authorization: `Bearer ${demo.apiTokens.read}`, 'x-forwarded-for': SHOP_SERVER_IP } });
      expect(refused).toMatchObject({ status: 403, body: { reasons: [{ code: 'scope_missing' }] } });
    } finally {
      await app.close();
    }
  });
});
