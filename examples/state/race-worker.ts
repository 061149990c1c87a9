// One app server in the multi-process test (processes.test.ts): connects to the shared
// database and says "ready"; then for each line on stdin (JSON: op, key, count, code) fires
// that many requests at once and prints what each got, as one JSON line. Started with tsx;
// not part of the adapters.
import pg from 'pg';
import { parseAccountPolicy, resolvePolicy } from 'staffgate';
import { claimLoginAttempt, recordStoredLoginFailure, verifyStoredOneTimeCode, type StateStore } from 'staffgate/state';
import { createPostgresStateStore } from './postgres.js';
import { createRedisStateStore } from './redis.js';
import { openRedis } from './servers.js';

import { createInterface } from 'node:readline';

const [backend = '', url = ''] = process.argv.slice(2);
interface Command {
  readonly op: 'code' | 'claim' | 'fail';
  readonly key: string;
  readonly count: number;
  readonly code?: string;
}
const AT = Date.parse('2026-11-23T09:00:00Z');
const policy = resolvePolicy(parseAccountPolicy({ loginMethods: ['password'], lockout: { maxFailures: 10, windowMinutes: 15, lockoutMinutes: 15 } }), [], { at: AT });
const retry = { maxAttempts: 1000 };

async function open(): Promise<{ store: StateStore; close(): Promise<unknown> }> {
  if (backend === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 5 });
    pool.on('error', () => undefined);
    return { store: createPostgresStateStore(pool), close: () => pool.end() };
  }
  const client = await openRedis(url);
  return { store: createRedisStateStore(client), close: () => client.quit() };
}

function request(store: StateStore, { op, key, code = '' }: Command, i: number): Promise<{ ok: boolean; reason?: string }> {
  switch (op) {
    case 'code':
      return verifyStoredOneTimeCode(store, key, code, { at: AT + 1000, attemptId: 'race', purpose: 'email_code', retry });
    case 'claim':
      return claimLoginAttempt(store, key, { policy, at: AT, ip: '198.51.100.9', retry });
    case 'fail':
      return recordStoredLoginFailure(store, key, { policy, at: AT + i, ip: '198.51.100.9', retry });
    default:
      throw new Error(`unknown op ${String(op)}`);
  }
}

const server = await open();
const store = server.store;
// Warm the connections, so the requests start together.
await store.read('staffgate-test:warm');
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command;
  const results = await Promise.all(Array.from({ length: command.count }, (_, i) => request(store, command, i)));
  process.stdout.write(`${JSON.stringify(results.map((r) => (r.ok ? 'ok' : (r.reason ?? 'refused'))))}\n`);
}
await server.close();
process.exit(0);
