// Where the adapter tests find their servers (test support, not part of the adapters).
//
// On the development and CI machines PostgreSQL 15 and Redis 7 run on 127.0.0.1. `.ci/run`
// sets STAFFGATE_REQUIRE_SERVERS=1: then an unreachable server fails the tests. Without it, a
// machine without PostgreSQL still tests the PostgreSQL adapter, on PGlite behind
// pglite-socket (the same `pg` client code, over a real socket), and the Redis tests are
// skipped with the reason printed.
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { createClient } from 'redis';
import type { RedisScripting } from './redis.js';

export const SERVERS_REQUIRED = process.env.STAFFGATE_REQUIRE_SERVERS === '1';
export const POSTGRES_URL = process.env.STAFFGATE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.STAFFGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const STATE_MIGRATION = readFileSync(new URL('./migration.sql', import.meta.url), 'utf8');

/** `undefined` when a server answers at `url`, else why not. */
export async function postgresUnreachable(url = POSTGRES_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${url} is unreachable (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function redisUnreachable(url = REDIS_URL): Promise<string | undefined> {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    return `Redis at ${url} is unreachable (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    if (client.isOpen) await client.quit().catch(() => undefined);
  }
}

/** A pool on the real server, with the state table migrated. */
export async function openPostgresPool(url = POSTGRES_URL, max = 10): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max });
  // Two test files may migrate at once: CREATE … IF NOT EXISTS can still race on the catalog,
  // so the migration runs under an advisory lock.
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727001)');
    await client.query(STATE_MIGRATION);
  } finally {
    await client.query('SELECT pg_advisory_unlock(727001)');
    client.release();
  }
  return pool;
}

/** PGlite (PostgreSQL compiled to WebAssembly) behind a socket on a free port, migrated. */
export async function openPglite(): Promise<{ url: string; close(): Promise<void> }> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

/** A connected node-redis client. */
export async function openRedis(url = REDIS_URL): Promise<RedisScripting & { quit(): Promise<unknown>; ping(): Promise<unknown> }> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Prints why a suite is skipped, so the output of a plain `npm test` says it. */
export function announceSkip(what: string, reason: string): void {
  console.warn(`[staffgate] skipped ${what}: ${reason}. Set STAFFGATE_REQUIRE_SERVERS=1 to make this a failure.`);
}
