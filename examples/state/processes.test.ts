// Several app servers for real: separate Node processes, each with its own connections,
// racing on one record in the shared database. PostgreSQL runs on the server when it is there
// and on PGlite (which the processes reach over its socket) when it is not.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueOneTimeCode } from 'staffgate/otp';
import { readStoredLockout, saveOneTimeCode, type StateStore } from 'staffgate/state';
import { createPostgresStateStore } from './postgres.js';
import { createRedisStateStore } from './redis.js';
import { openPglite, openPostgresPool, openRedis, POSTGRES_URL, postgresUnreachable, REDIS_URL, redisUnreachable } from './servers.js';

const WORKER = fileURLToPath(new URL('./race-worker.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const PROCESSES = 3;
const AT = Date.parse('2026-11-23T09:00:00Z');

interface Servers {
  /** Sends one command to every process at once; resolves with all their outcomes. */
  race(command: { op: string; key: string; count: number; code?: string }): Promise<string[]>;
  /** Ends every process and waits until it has closed its connections. */
  stop(): Promise<void>;
}

/** Starts the processes and waits until every one is connected. */
async function startServers(backend: string, url: string): Promise<Servers> {
  const workers = Array.from({ length: PROCESSES }, () => spawn(TSX, [WORKER, backend, url], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const lines = workers.map((w) => createInterface({ input: w.stdout })[Symbol.asyncIterator]());
  for (const l of lines) expect((await l.next()).value).toBe('ready');
  return {
    async race(command) {
      for (const w of workers) w.stdin.write(`${JSON.stringify(command)}\n`);
      const outcomes: string[] = [];
      for (const l of lines) outcomes.push(...(JSON.parse(String((await l.next()).value)) as string[]));
      return outcomes;
    },
    async stop() {
      const exits = workers.map((w) => new Promise((resolve) => w.once('exit', resolve)));
      for (const w of workers) w.stdin.end();
      await Promise.all(exits);
    },
  };
}

const count = (outcomes: string[], what: string) => outcomes.filter((o) => o === what).length;

function raceSuite(name: string, open: () => Promise<{ store: StateStore; backend: string; url: string; close(): Promise<unknown> }>): void {
  describe(`${name}: ${String(PROCESSES)} app-server processes on one database`, { timeout: 120_000 }, () => {
    let ctx: Awaited<ReturnType<typeof open>>;
    let servers: Servers;
    const tag = `staffgate-test:processes:${String(process.pid)}:${String(AT)}:${Math.random().toString(36).slice(2)}`;
    beforeAll(async () => {
      ctx = await open();
      servers = await startServers(ctx.backend, ctx.url);
    });
    afterAll(async () => {
      await servers.stop();
      await ctx.close();
    });

    it('accept one e-mailed code submitted 20 times by each exactly once', async () => {
      const key = `${tag}:otp`;
      const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: 'race', at: AT });
      await saveOneTimeCode(ctx.store, key, challenge);
      const outcomes = await servers.race({ op: 'code', key, count: 20, code });
      expect(outcomes).toHaveLength(60);
      expect(count(outcomes, 'ok')).toBe(1);
      expect(count(outcomes, 'code_already_used')).toBe(59);
    });

    it('let exactly maxFailures password attempts through when 50 claim at once on each', async () => {
      const outcomes = await servers.race({ op: 'claim', key: `${tag}:claim`, count: 50 });
      expect(count(outcomes, 'ok')).toBe(10);
      expect(count(outcomes, 'locked_out')).toBe(140);
    });

    it('count every one of 50 failures from each', async () => {
      const key = `${tag}:fail`;
      const outcomes = await servers.race({ op: 'fail', key, count: 50 });
      expect(count(outcomes, 'ok')).toBe(150);
      expect((await readStoredLockout(ctx.store, key))?.failuresSinceSuccess).toBe(150);
    });
  });
}

const pgUnreachable = await postgresUnreachable();
if (pgUnreachable === undefined) {
  raceSuite('PostgreSQL 15', async () => {
    const pool = await openPostgresPool();
    return { store: createPostgresStateStore(pool), backend: 'postgres', url: POSTGRES_URL, close: () => pool.end() };
  });
} else {
  // postgres.test.ts says why the server is not used, and fails under STAFFGATE_REQUIRE_SERVERS.
  raceSuite('PGlite (pglite-socket)', async () => {
    const pglite = await openPglite();
    const pool = await openPostgresPool(pglite.url, 2);
    return {
      store: createPostgresStateStore(pool),
      backend: 'postgres',
      url: pglite.url,
      close: async () => {
        await pool.end();
        await pglite.close();
      },
    };
  });
}

// redis.test.ts prints the skip reason and fails under STAFFGATE_REQUIRE_SERVERS.
describe.skipIf((await redisUnreachable()) !== undefined)('Redis 7', () => {
  raceSuite('Redis 7', async () => {
    const client = await openRedis();
    return { store: createRedisStateStore(client), backend: 'redis', url: REDIS_URL, close: () => client.quit() };
  });
});
