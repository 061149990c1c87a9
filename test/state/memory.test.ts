import { describe, expect, it } from 'vitest';
import { evaluateLogin, parseAccountPolicy, resolvePolicy } from 'staffgate';
import { issueOneTimeCode } from 'staffgate/otp';
import {
  claimLoginAttempt,
  createMemoryStateStore,
  readStoredLockout,
  recordStoredLoginFailure,
  recordStoredLoginSuccess,
  saveOneTimeCode,
  verifyStoredOneTimeCode,
  verifyStoredTotp,
  type StateStore,
} from 'staffgate/state';
import { StaffgateError } from '../../src/errors.js';
import { describeStateStore } from './contract.js';

describeStateStore('memory store', () => Promise.resolve({ store: createMemoryStateStore({ clock: () => Date.now() }), close: () => Promise.resolve() }));

const AT = Date.parse('2026-11-23T09:00:00Z');
const policy = resolvePolicy(parseAccountPolicy({ loginMethods: ['password'] }), [], { at: AT });

async function rejection(p: Promise<unknown>): Promise<StaffgateError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StaffgateError) return err;
    throw err;
  }
  throw new Error('expected a StaffgateError');
}

function thrown(fn: () => unknown): StaffgateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StaffgateError) return err;
    throw err;
  }
  throw new Error('expected a StaffgateError');
}

describe('createMemoryStateStore', () => {
  it('times entries out by the clock it is given, at the instant the time to live ends', async () => {
    let now = AT;
    const store = createMemoryStateStore({ clock: () => now });
    await store.compareAndSwap('k', undefined, 'v', { ttlMs: 1000 });
    now = AT + 999;
    expect((await store.read('k'))?.value).toBe('v');
    now = AT + 1000;
    expect(await store.read('k')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('hands out copies: changing a value read or written does not change what is stored', async () => {
    const store = createMemoryStateStore({ clock: () => AT });
    const value = { list: [1] };
    await store.compareAndSwap('k', undefined, value, { ttlMs: 1000 });
    value.list.push(2);
    const read = await store.read('k');
    (read?.value as { list: number[] }).list.push(3);
    expect((await store.read('k'))?.value).toEqual({ list: [1] });
  });

  it('drops expired entries it is not asked about, so a store of short-lived codes does not grow', async () => {
    let now = AT;
    const store = createMemoryStateStore({ clock: () => now });
    for (let i = 0; i < 999; i++) await store.compareAndSwap(`old:${i}`, undefined, i, { ttlMs: 10 });
    now += 100;
    await store.compareAndSwap('new', undefined, 0, { ttlMs: 10_000 });
    expect(store.size).toBe(1);
  });

  it('refuses options and arguments that cannot work, naming them', async () => {
    expect(thrown(() => createMemoryStateStore({ clock: 5 as unknown as () => number })).path).toEqual(['clock']);
    expect(thrown(() => createMemoryStateStore(undefined as unknown as { clock: () => number })).code).toBe('invalid_option');
    const bad = createMemoryStateStore({ clock: () => Number.NaN });
    expect((await rejection(Promise.resolve().then(() => bad.read('k')))).path).toEqual(['clock']);
    const store = createMemoryStateStore({ clock: () => AT });
    for (const key of ['', 'x'.repeat(513), 7 as unknown as string]) {
      expect(thrown(() => store.read(key)).path).toEqual(['key']);
    }
    for (const ttlMs of [0, -1, 1.5, Number.NaN, Infinity]) {
      expect(thrown(() => store.compareAndSwap('k', undefined, 1, { ttlMs })).path).toEqual(['ttlMs']);
    }
    for (const value of [undefined, () => 1, 10n]) {
      expect(thrown(() => store.compareAndSwap('k', undefined, value, { ttlMs: 1 })).path).toEqual(['value']);
    }
    expect(await store.read('k')).toBeUndefined();
  });
});

// A store on which every write loses the race, as on a server where others always write first.
function losingStore(): StateStore & { reads: number; swaps: number } {
  const counts = { reads: 0, swaps: 0 };
  return Object.assign(counts, {
    read: () => {
      counts.reads += 1;
      return Promise.resolve({ value: null, version: counts.reads });
    },
    compareAndSwap: () => {
      counts.swaps += 1;
      return Promise.resolve(false);
    },
  });
}

describe('state helpers: bounded retries and bad options', () => {
  it('gives up with state_conflict after maxAttempts lost rounds, writing and deciding nothing', async () => {
    const store = losingStore();
    const r = await recordStoredLoginFailure(store, 'k', { policy, at: AT, ip: '192.0.2.1', retry: { maxAttempts: 4 } });
    expect(r).toEqual({ ok: false, reason: 'state_conflict' });
    expect(store.swaps).toBe(4);
    const claim = await claimLoginAttempt(losingStore(), 'k', { policy, at: AT, ip: '192.0.2.1', retry: { maxAttempts: 2 } });
    expect(claim).toEqual({ ok: false, reason: 'state_conflict' });
  });

  it('tries 25 rounds unless told otherwise', async () => {
    const store = losingStore();
    await recordStoredLoginSuccess(store, 'k', { policy, at: AT, ip: '192.0.2.1' });
    expect(store.swaps).toBe(25);
  });

  it('refuses a retry count outside 1 to 1000 and a store without its methods', async () => {
    const store = createMemoryStateStore({ clock: () => AT });
    for (const maxAttempts of [0, 1001, 2.5, Number.NaN]) {
      const err = await rejection(recordStoredLoginFailure(store, 'k', { policy, at: AT, ip: '192.0.2.1', retry: { maxAttempts } }));
      expect(err.path).toEqual(['retry', 'maxAttempts']);
    }
    for (const bad of [null, {}, { read: () => undefined }]) {
      const err = await rejection(recordStoredLoginFailure(bad as unknown as StateStore, 'k', { policy, at: AT, ip: '192.0.2.1' }));
      expect(err.path).toEqual(['store']);
    }
    const err = await rejection(saveOneTimeCode(store, 'k', { issuedAt: 'soon', expiresAt: 'later' } as unknown as Parameters<typeof saveOneTimeCode>[2]));
    expect(err.path).toEqual(['challenge']);
  });

  it('passes a failing database on to the caller instead of deciding', async () => {
    const down: StateStore = { read: () => Promise.reject(new Error('connection refused')), compareAndSwap: () => Promise.resolve(true) };
    await expect(claimLoginAttempt(down, 'k', { policy, at: AT, ip: '192.0.2.1' })).rejects.toThrow('connection refused');
  });
});

describe('state helpers: hostile stored values', () => {
  const garbage: unknown[] = [null, 0, -1, 'locked', [], {}, { version: 1 }, { lastUsedStep: 'x' }, { version: 2, subject: 'person' }, { __proto__: { version: 1 } }];

  it('refuses an e-mailed code against a stored value that is not a challenge', async () => {
    for (const value of garbage) {
      const store = createMemoryStateStore({ clock: () => AT });
      await store.compareAndSwap('otp', undefined, value, { ttlMs: 60_000 });
      const r = await verifyStoredOneTimeCode(store, 'otp', '123456', { at: AT, attemptId: 'a' });
      expect(r.ok).toBe(false);
    }
  });

  it('refuses an authenticator code against a stored step that is not a step', async () => {
    for (const value of ['x', -1, 1.5, { lastUsedStep: 'x' }, { lastUsedStep: -3 }, []]) {
      const store = createMemoryStateStore({ clock: () => AT });
      await store.compareAndSwap('totp', undefined, value, { ttlMs: 60_000 });
      const r = await verifyStoredTotp(store, 'totp', { secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', code: '123456', at: AT });
      expect(r).toMatchObject({ ok: false });
    }
  });

  it('replaces an unreadable lockout record by a locked one and refuses the attempt (fail closed)', async () => {
    for (const value of garbage) {
      const store = createMemoryStateStore({ clock: () => AT });
      await store.compareAndSwap('lockout', undefined, value, { ttlMs: 60_000 });
      const decision = evaluateLogin(policy, { method: 'password', ip: '192.0.2.1', at: AT, verified: ['email_code'], lockout: await readStoredLockout(store, 'lockout') });
      // A stored null is "no record"; everything else that is not a record is refused.
      if (value === null) {
        expect(decision.outcome).toBe('allow');
        continue;
      }
      expect(decision).toMatchObject({ outcome: 'deny', reasons: [{ code: 'lockout_record_invalid' }] });
      expect(await claimLoginAttempt(store, 'lockout', { policy, at: AT, ip: '192.0.2.1' })).toEqual({ ok: false, reason: 'lockout_record_invalid' });
      const after = await claimLoginAttempt(store, 'lockout', { policy, at: AT + 1, ip: '192.0.2.1' });
      expect(after).toMatchObject({ ok: false, reason: 'locked_out' });
    }
  });

  it('stores an issued code without the code in it', async () => {
    const store = createMemoryStateStore({ clock: () => AT });
    const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: 'a', at: AT });
    await saveOneTimeCode(store, 'otp', challenge);
    expect(JSON.stringify((await store.read('otp'))?.value)).not.toContain(code);
  });
});
