// A StateStore on Redis with the `redis` (node-redis) client: each record is a hash with its
// JSON value and its version, written by a Lua script that compares the version and sets the
// value and its PEXPIRE in one step (Redis runs a script as one command: nothing comes between).
// Copy this file into your app; it is the whole adapter.
import type { StateEntry, StateStore } from 'staffgate/state';

/** What the adapter needs of a node-redis client (`createClient()`, after `connect()`). */
export interface RedisScripting {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  hmGet(key: string, fields: string[]): Promise<unknown>;
}

// ARGV: expected version ('' for "must not exist"), value, ttl in ms.
// The new version is the server's time in microseconds, or one more than the stored version if
// that is larger: it grows with every write and after expiry too, so a writer holding a version
// read before the key expired cannot overwrite its successor. It touches only KEYS[1], so it
// works on Redis Cluster as well.
const SWAP = `
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
local t = redis.call('TIME')
local version = math.max(tonumber(t[1]) * 1000000 + tonumber(t[2]), (tonumber(current) or 0) + 1)
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', string.format('%.0f', version))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** A StateStore on Redis; `prefix` namespaces the keys (default `staffgate:`). */
export function createRedisStateStore(client: RedisScripting, options: { readonly prefix?: string } = {}): StateStore {
  const prefix = options.prefix ?? 'staffgate:';
  return {
    async read(key: string): Promise<StateEntry | undefined> {
      // One HMGET is atomic; Redis has already dropped an expired key.
      const reply = (await client.hmGet(prefix + key, ['value', 'version'])) as [string | null, string | null];
      const [value, version] = reply;
      if (value === null || version === null) return undefined;
      return { value: JSON.parse(value) as unknown, version: Number(version) };
    },
    async compareAndSwap(key, expectedVersion, value, { ttlMs }): Promise<boolean> {
      const json = JSON.stringify(value);
      if (typeof json !== 'string') throw new TypeError('a state value must be JSON');
      if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError('ttlMs must be a whole number of milliseconds, at least 1');
      const expected = expectedVersion === undefined ? '' : String(expectedVersion);
      const written = await client.eval(SWAP, { keys: [prefix + key], arguments: [expected, json, String(ttlMs)] });
      return written === 1;
    },
  };
}
