import { describe, expect, it } from 'vitest';
import { describeStateStore } from '../../test/state/contract.js';
import { createRedisStateStore } from './redis.js';
import { announceSkip, openRedis, redisUnreachable, SERVERS_REQUIRED } from './servers.js';

const unreachable = await redisUnreachable();
if (unreachable !== undefined && !SERVERS_REQUIRED) announceSkip('the Redis tests of the state adapter', unreachable);

describe('Redis server', () => {
  it.runIf(SERVERS_REQUIRED)('is reachable (STAFFGATE_REQUIRE_SERVERS=1)', () => {
    expect(unreachable).toBeUndefined();
  });
});

describeStateStore(
  'Redis adapter on Redis 7',
  async () => {
    const client = await openRedis();
    return { store: createRedisStateStore(client), close: () => client.quit().then(() => undefined) };
  },
  unreachable === undefined ? {} : { skip: unreachable },
);
