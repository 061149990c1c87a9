import { describe, expect, it } from 'vitest';
import { describeStateStore } from '../../test/state/contract.js';
import { createPostgresStateStore, sweepExpiredState } from './postgres.js';
import { announceSkip, openPglite, openPostgresPool, postgresUnreachable, SERVERS_REQUIRED } from './servers.js';

const unreachable = await postgresUnreachable();
if (unreachable !== undefined && !SERVERS_REQUIRED) announceSkip('the PostgreSQL-server tests of the state adapter (PGlite still runs them)', unreachable);

describe('PostgreSQL server', () => {
  it.runIf(SERVERS_REQUIRED)('is reachable (STAFFGATE_REQUIRE_SERVERS=1)', () => {
    expect(unreachable).toBeUndefined();
  });
});

describeStateStore(
  'PostgreSQL adapter on PostgreSQL 15',
  async () => {
    const pool = await openPostgresPool();
    return { store: createPostgresStateStore(pool), close: () => pool.end() };
  },
  unreachable === undefined ? {} : { skip: unreachable },
);

describeStateStore('PostgreSQL adapter on PGlite (pglite-socket)', async () => {
  const pglite = await openPglite();
  const pool = await openPostgresPool(pglite.url, 5);
  return {
    store: createPostgresStateStore(pool),
    async close() {
      await pool.end();
      await pglite.close();
    },
  };
});

describe.skipIf(unreachable !== undefined)('PostgreSQL adapter: housekeeping', () => {
  it('sweeps expired rows and leaves live ones', async () => {
    const pool = await openPostgresPool();
    try {
      const store = createPostgresStateStore(pool);
      const tag = `staffgate-test:sweep:${String(process.pid)}:${String(performance.now())}`;
      await store.compareAndSwap(`${tag}:old`, undefined, 1, { ttlMs: 1 });
      await store.compareAndSwap(`${tag}:live`, undefined, 2, { ttlMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await sweepExpiredState(pool)).toBeGreaterThanOrEqual(1);
      const { rows } = await pool.query('SELECT key FROM staffgate_state WHERE key LIKE $1 ORDER BY key', [`${tag}:%`]);
      expect(rows).toEqual([{ key: `${tag}:live` }]);
    } finally {
      await pool.end();
    }
  });
});
