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
import { compareAsync, report, target, type AsyncCase, type Measurement } from './harness.js';

const AT = Date.parse('2026-11-23T09:00:00Z');
// Lockout off: the record keeps counting without ever locking, so every call does the same work.
const policy = resolvePolicy(parseAccountPolicy({ loginMethods: ['password'], lockout: { enabled: false } }), [], { at: AT });
const run = `staffgate-bench:${String(process.pid)}`;

const BARE = 'bare compareAndSwap + read (the write alone)';

/** The helper cases on `store`, each compared with the bare swap and with `roundTrip`. */
async function helpers(store: StateStore, roundTrip: string): Promise<AsyncCase[]> {
  let n = 0;
  // The bare compare-and-swap a helper makes, from the version it holds: the floor of a write.
  await store.compareAndSwap(`${run}:bare`, undefined, 0, { ttlMs: 600_000 });
  let version = (await store.read(`${run}:bare`))?.version;
  const { challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: 'bench', at: AT, maxAttempts: 10 });
  const vs = [roundTrip, BARE];
  return [
    {
      name: BARE,
      vs: [roundTrip],
      fn: async () => {
        await store.compareAndSwap(`${run}:bare`, version, ++n, { ttlMs: 600_000 });
        version = (await store.read(`${run}:bare`))?.version;
      },
    },
    // That row includes a read to learn the new version; a helper's read is the same read.
    { name: 'readStoredLockout (1 round trip)', vs: [roundTrip], fn: () => readStoredLockout(store, `${run}:lockout`) },
    { name: 'recordStoredLoginFailure (read + swap)', vs, fn: () => recordStoredLoginFailure(store, `${run}:lockout`, { policy, at: AT + ++n, ip: '198.51.100.7' }) },
    { name: 'claimLoginAttempt (read + swap)', vs, fn: () => claimLoginAttempt(store, `${run}:claim`, { policy, at: AT + ++n, ip: '198.51.100.7' }) },
    {
      name: 'saveOneTimeCode + wrong code (2 reads, 2 swaps)',
      vs: [roundTrip],
      fn: async () => {
        const key = `${run}:otp:${String(++n)}`;
        await saveOneTimeCode(store, key, challenge);
        await verifyStoredOneTimeCode(store, key, '000000', { at: AT, attemptId: 'bench', purpose: 'email_code' });
      },
    },
  ];
}

/** The issue's target: a helper costs its read and swap and at most one round trip more. */
function checkTarget(server: string, rows: readonly Measurement[], roundTrip: string): void {
  const ns = (name: string): number => rows.find((r) => r.name === name)?.ns ?? Number.NaN;
  const worst = Math.max(ns('recordStoredLoginFailure (read + swap)'), ns('claimLoginAttempt (read + swap)'));
  target(`${server}: a lockout helper ≤ bare swap + read + one round trip`, worst <= ns(BARE) + ns(roundTrip));
}

const memory = createMemoryStateStore({ clock: () => AT });
const MEMORY = 'memory read';
report('state helpers on the in-memory store (the decision alone, for scale; wall time per call)', await compareAsync([{ name: MEMORY, fn: () => memory.read('x') }, ...(await helpers(memory, MEMORY))], { batch: 400 }));

const pgDown = await postgresUnreachable();
if (pgDown === undefined) {
  const pool = await openPostgresPool(undefined, 1);
  const store = createPostgresStateStore(pool);
  await store.compareAndSwap(`${run}:row`, undefined, 0, { ttlMs: 600_000 });
  const SELECT = 'SELECT 1 (one round trip)';
  const rows = await compareAsync([
    { name: SELECT, fn: () => pool.query('SELECT 1') },
    // Every compare-and-swap is a commit: its WAL flush, not staffgate, is most of a write.
    { name: 'UPDATE of one row (one commit)', vs: [SELECT], fn: () => pool.query('UPDATE staffgate_state SET version = version WHERE key = $1', [`${run}:row`]) },
    ...(await helpers(store, SELECT)),
  ]);
  report('state helpers on PostgreSQL 15 (pg, one connection; wall time per call)', rows);
  checkTarget('PostgreSQL', rows, SELECT);
  await pool.query("DELETE FROM staffgate_state WHERE key LIKE 'staffgate-bench:%'");
  await pool.end();
} else console.log(`\nskipped PostgreSQL: ${pgDown}`);

const redisDown = await redisUnreachable();
if (redisDown === undefined) {
  const client = await openRedis();
  const PING = 'PING (one round trip)';
  const rows = await compareAsync([{ name: PING, fn: () => client.ping() }, ...(await helpers(createRedisStateStore(client), PING))]);
  report('state helpers on Redis 7 (node-redis; wall time per call)', rows);
  checkTarget('Redis', rows, PING);
  await client.quit();
} else console.log(`\nskipped Redis: ${redisDown}`);
