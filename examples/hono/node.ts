// Runs the Hono example on Node with @hono/node-server.
//
//   npx tsx examples/hono/node.ts      # listens on http://127.0.0.1:3002
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createConsoleDemo, printDemoWelcome } from '../shared/demo.js';
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
  const demo = await createConsoleDemo();
  await serveOnNode({ workspace: demo.workspace, trustedProxies: ['loopback'], port: 3002 });
  printDemoWelcome('Hono', 'http://127.0.0.1:3002', demo);
}
