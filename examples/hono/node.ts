// Runs the Hono example on Node with @hono/node-server.
//
//   npx tsx examples/hono/node.ts      # listens on http://127.0.0.1:3002
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createDemoWorkspace, DEMO_PASSWORD } from '../shared/demo.js';
import type { Workspace } from '../shared/workspace.js';
import { createHonoApp } from './app.js';

/** Serves the app on Node; resolves once it listens. `port: 0` picks a free port. */
export async function serveOnNode(options: { workspace: Workspace; trustedProxies: readonly string[]; port: number }): Promise<{ server: ServerType; port: number }> {
  const app = createHonoApp({ ...options, remoteAddress: (c) => getConnInfo(c).remote.address });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({ server, port: info.port });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demo = await createDemoWorkspace({
    anytime: process.env.DEMO_ANYTIME === '1',
    mailer: (m) => {
      console.log(`[mail to ${m.to}] ${m.subject}: ${m.code}`);
    },
  });
  await serveOnNode({ workspace: demo.workspace, trustedProxies: ['loopback'], port: 3002 });
  console.log('Hono example on http://127.0.0.1:3002 (office network 203.0.113.0/24, 08:00-18:00 London, Mon-Fri; DEMO_ANYTIME=1 lifts the hours)');
  console.log(`Sign in as ann@acme.test / "${DEMO_PASSWORD}"; her TOTP secret is ${demo.annTotpSecret}.`);
  console.log(`API key (orders:read): ${demo.apiTokens.read}`);
}
