// What a state helper costs on a real database, as a ratio to one bare round trip to it
// (SELECT 1 on PostgreSQL, PING on Redis), beside the bare compare-and-swap plus the read of
// its version ("bare compareAndSwap"): a helper reads and then swaps, so it should cost that
// row and no more than one round trip besides (the target of issue 19). One connection, calls one after the other, no contention. The in-memory store
// is shown for the cost of the decision itself. Run: npm run bench:state (servers on 127.0.0.1;
// a server that is not there is skipped with its reason).
import { parseAccountPolicy, resolvePolicy } from 'staffgate';
import { issueOneTimeCode } from 'staffgate/otp';
import { claimLoginAttempt, createMemoryStateStore, readStoredLockout, recordStoredLoginFailure, saveOneTimeCode, verifyStoredOneTimeCode, type StateStore } from 'staffgate/state';
import { createPostgresStateStore } from '../examples/state/postgres.js';
import { createRedisStateStore } from '../examples/state/redis.js';
import { openPostgresPool, openRedis, postgresUnreachable, redisUnreachable } from '../examples/state/servers.js';
import { measureAsync, report, type Measurement } from './harness.js';

const AT = Date.parse('2026-11-23T09:00:00Z');
// Lockout off: the record keeps counting without ever locking, so every call does the same work.
const policy = resolvePolicy(parseAccountPolicy({ loginMethods: ['password'], lockout: { enabled: false } }), [], { at: AT });
const run = `staffgate-bench:${String(process.pid)}`;

async function helpers(store: StateStore): Promise<Measurement[]> {
  let n = 0;
  const rows: Measurement[] = [];
  // The bare compare-and-swap a helper makes, from the version it holds: the floor of a write.
  await store.compareAndSwap(`${run}:bare`, undefined, 0, { ttlMs: 600_000 });
  let version = (await store.read(`${run}:bare`))?.version;
  rows.push(
    await measureAsync('bare compareAndSwap (the write alone)', async () => {
      await store.compareAndSwap(`${run}:bare`, version, ++n, { ttlMs: 600_000 });
      version = (await store.read(`${run}:bare`))?.version;
    }),
  );
  // That row includes a read to learn the new version; a helper's read is the same read.
  const { challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: 'bench', at: AT, maxAttempts: 10 });
  rows.push(await measureAsync('readStoredLockout (1 round trip)', () => readStoredLockout(store, `${run}:lockout`)));
  rows.push(await measureAsync('recordStoredLoginFailure (read + swap)', () => recordStoredLoginFailure(store, `${run}:lockout`, { policy, at: AT + ++n, ip: '198.51.100.7' })));
  rows.push(await measureAsync('claimLoginAttempt (read + swap)', () => claimLoginAttempt(store, `${run}:claim`, { policy, at: AT + ++n, ip: '198.51.100.7' })));
  rows.push(
    await measureAsync('saveOneTimeCode + wrong code (2 reads, 2 swaps)', async () => {
      const key = `${run}:otp:${String(++n)}`;
      await saveOneTimeCode(store, key, challenge);
      await verifyStoredOneTimeCode(store, key, '000000', { at: AT, attemptId: 'bench', purpose: 'email_code' });
    }),
  );
  return rows;
}

const memory = createMemoryStateStore({ clock: () => AT });
report('state helpers on the in-memory store (the decision alone, for scale)', [await measureAsync('memory read', () => memory.read('x')), ...(await helpers(memory))]);

const pgDown = await postgresUnreachable();
if (pgDown === undefined) {
  const pool = await openPostgresPool(undefined, 1);
  const store = createPostgresStateStore(pool);
  await store.compareAndSwap(`${run}:row`, undefined, 0, { ttlMs: 600_000 });
  report('state helpers on PostgreSQL 15 (pg, one connection), as a ratio to SELECT 1', [
    await measureAsync('SELECT 1 (one round trip)', () => pool.query('SELECT 1')),
    // Every compare-and-swap is a commit: its WAL flush, not staffgate, is most of a write.
    await measureAsync('UPDATE of one row (one commit)', () => pool.query('UPDATE staffgate_state SET version = version WHERE key = $1', [`${run}:row`])),
    ...(await helpers(store)),
  ]);
  await pool.query("DELETE FROM staffgate_state WHERE key LIKE 'staffgate-bench:%'");
  await pool.end();
} else console.log(`\nskipped PostgreSQL: ${pgDown}`);

const redisDown = await redisUnreachable();
if (redisDown === undefined) {
  const client = await openRedis();
  report('state helpers on Redis 7 (node-redis), as a ratio to PING', [await measureAsync('PING (one round trip)', () => client.ping()), ...(await helpers(createRedisStateStore(client)))]);
  await client.quit();
} else console.log(`\nskipped Redis: ${redisDown}`);
