// The behaviour every StateStore must have, as a suite any store can run: the in-memory store
// here, the PostgreSQL and Redis adapters of examples/state on real servers. Not a test file
// itself; each store's test file calls describeStateStore.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateLogin, parseAccountPolicy, resolvePolicy } from 'staffgate';
import { issueOneTimeCode } from 'staffgate/otp';
import {
  claimLoginAttempt,
  readStoredLockout,
  recordStoredLoginFailure,
  saveOneTimeCode,
  verifyStoredOneTimeCode,
  verifyStoredTotp,
  type StateStore,
} from 'staffgate/state';
import { base32, STEP_MS, totpAtStep } from '../otp/reference.js';

export interface OpenedStore {
  readonly store: StateStore;
  /** Frees connections; called once after the suite. */
  close(): Promise<void>;
}

const AT = Date.parse('2026-11-23T09:00:00Z');
const account = parseAccountPolicy({ loginMethods: ['password'], lockout: { maxFailures: 10, windowMinutes: 15, lockoutMinutes: 15 } });
const policy = resolvePolicy(account, [], { at: AT });
const SECRET_BYTES = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 255);
const SECRET = base32(SECRET_BYTES);
// Plenty of rounds: these tests count exact outcomes, so no writer may give up.
const patient = { maxAttempts: 1000 } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the store contract and the helpers' concurrency guarantees against the store `open`
 * returns. `open` runs once, before the tests; `skip` is a reason to skip them all (printed).
 */
export function describeStateStore(name: string, open: () => Promise<OpenedStore>, options: { readonly skip?: string } = {}): void {
  const run = randomUUID().slice(0, 8);
  let key = 0;
  // Every test writes keys of its own, so runs sharing a server never meet.
  const fresh = (label: string) => `staffgate-test:${run}:${label}:${++key}`;
  const suite = options.skip === undefined ? describe : describe.skip;

  suite(`${name}: the StateStore contract`, () => {
    let opened: OpenedStore | undefined;
    let store: StateStore;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('finds nothing under a key never written', async () => {
      expect(await store.read(fresh('none'))).toBeUndefined();
    });

    it('creates a key only while it does not exist', async () => {
      const k = fresh('create');
      expect(await store.compareAndSwap(k, undefined, { n: 1 }, { ttlMs: 60_000 })).toBe(true);
      expect(await store.compareAndSwap(k, undefined, { n: 2 }, { ttlMs: 60_000 })).toBe(false);
      const entry = await store.read(k);
      expect(entry?.value).toEqual({ n: 1 });
      expect(Number.isInteger(entry?.version) && (entry?.version ?? 0) > 0).toBe(true);
    });

    it('replaces a value only from the version it was read at, and the version grows', async () => {
      const k = fresh('swap');
      await store.compareAndSwap(k, undefined, 'first', { ttlMs: 60_000 });
      const first = await store.read(k);
      if (first === undefined) throw new Error('written key not found');
      expect(await store.compareAndSwap(k, first.version, 'second', { ttlMs: 60_000 })).toBe(true);
      // The version read before that write is stale now.
      expect(await store.compareAndSwap(k, first.version, 'lost', { ttlMs: 60_000 })).toBe(false);
      expect(await store.compareAndSwap(k, undefined, 'lost', { ttlMs: 60_000 })).toBe(false);
      const second = await store.read(k);
      expect(second?.value).toBe('second');
      expect(second?.version).toBeGreaterThan(first.version);
    });

    it('refuses a swap from a version of a key that does not exist', async () => {
      const k = fresh('phantom');
      expect(await store.compareAndSwap(k, 1, 'x', { ttlMs: 60_000 })).toBe(false);
      expect(await store.read(k)).toBeUndefined();
    });

    it('keeps JSON values as they were written', async () => {
      const value = { s: 'Zoë 東京 \u202e \u0000 "quoted" \\ back', n: -1.5e-7, big: 2 ** 53 - 1, t: true, z: null, list: [1, [2, { deep: [] }]], empty: {} };
      const k = fresh('json');
      await store.compareAndSwap(k, undefined, value, { ttlMs: 60_000 });
      expect((await store.read(k))?.value).toEqual(value);
    });

    it('takes keys of up to 512 characters, of any letters', async () => {
      const k = `${fresh('long')}:${'é'.repeat(400)}`.slice(0, 512);
      expect(await store.compareAndSwap(k, undefined, 1, { ttlMs: 60_000 })).toBe(true);
      expect((await store.read(k))?.value).toBe(1);
    });

    it('forgets a value after its time to live, and a new one gets a version no stale writer holds', async () => {
      const k = fresh('ttl');
      await store.compareAndSwap(k, undefined, 'short', { ttlMs: 150 });
      const before = await store.read(k);
      expect(before?.value).toBe('short');
      await sleep(400);
      expect(await store.read(k)).toBeUndefined();
      expect(await store.compareAndSwap(k, undefined, 'again', { ttlMs: 60_000 })).toBe(true);
      const after = await store.read(k);
      expect(after?.version).toBeGreaterThan(before?.version ?? Infinity);
      // A writer that read the expired value cannot overwrite the new one.
      expect(await store.compareAndSwap(k, before?.version, 'stale', { ttlMs: 60_000 })).toBe(false);
      expect((await store.read(k))?.value).toBe('again');
    });

    it('lets exactly one of many parallel swaps from one version win', async () => {
      const k = fresh('race');
      await store.compareAndSwap(k, undefined, 0, { ttlMs: 60_000 });
      const entry = await store.read(k);
      const wins = await Promise.all(Array.from({ length: 40 }, (_, i) => store.compareAndSwap(k, entry?.version, i + 1, { ttlMs: 60_000 })));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await store.read(k))?.value).toBe(wins.indexOf(true) + 1);
    });

    it('behaves as a map of versioned values, with expiry (model test)', async () => {
      type Op = { kind: 'read'; key: number } | { kind: 'swap'; key: number; stale: boolean; value: number } | { kind: 'expire'; key: number };
      const op: fc.Arbitrary<Op> = fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), key: fc.nat(2) }) },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('swap' as const), key: fc.nat(2), stale: fc.boolean(), value: fc.integer() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), key: fc.nat(2) }) },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
          const keys = [fresh('model'), fresh('model'), fresh('model')];
          const model = new Map<string, { value: number; version: number }>();
          // The highest version each key ever had: a key written again after expiry must exceed it.
          const highest = new Map<string, number>();
          for (const o of ops) {
            const k = keys[o.key] ?? '';
            const m = model.get(k);
            if (o.kind === 'read') {
              const e = await store.read(k);
              expect(e === undefined ? undefined : { value: e.value, version: e.version }).toEqual(m);
              continue;
            }
            if (o.kind === 'expire') {
              // Rewrite with a time to live of 1 ms and let it pass: the key is gone.
              if (m === undefined) continue;
              expect(await store.compareAndSwap(k, m.version, m.value, { ttlMs: 1 })).toBe(true);
              const e = await store.read(k).catch(() => undefined);
              if (e !== undefined) highest.set(k, Math.max(highest.get(k) ?? 0, e.version));
              await sleep(10);
              expect(await store.read(k)).toBeUndefined();
              // The version it had before expiring is stale now.
              expect(await store.compareAndSwap(k, e?.version ?? m.version, 0, { ttlMs: 60_000 })).toBe(false);
              model.delete(k);
              continue;
            }
            // A stale writer names a version the key is not at: one it never had, or absence.
            const expected = o.stale ? (m === undefined ? 1 : undefined) : m?.version;
            const ok = await store.compareAndSwap(k, expected, o.value, { ttlMs: 60_000 });
            expect(ok).toBe(!o.stale);
            if (ok) {
              const e = await store.read(k);
              expect(e?.value).toBe(o.value);
              expect(e?.version).toBeGreaterThan(Math.max(m?.version ?? 0, highest.get(k) ?? 0));
              model.set(k, { value: o.value, version: e?.version ?? 0 });
              highest.set(k, e?.version ?? 0);
            }
          }
        }),
        { numRuns: 30 },
      );
    });
  });

  // PGlite runs one query at a time: 200 writers contending on one row take seconds there.
  suite(`${name}: the state helpers under parallel requests`, { timeout: 60_000 }, () => {
    let opened: OpenedStore | undefined;
    let store: StateStore;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('accepts one right e-mailed code submitted 50 times at once exactly once', async () => {
      const k = fresh('otp');
      const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: 'a1', at: AT });
      await saveOneTimeCode(store, k, challenge);
      const results = await Promise.all(Array.from({ length: 50 }, () => verifyStoredOneTimeCode(store, k, code, { at: AT + 1000, attemptId: 'a1', purpose: 'email_code', retry: patient })));
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, verified: 'email_code' }]);
      expect(new Set(results.map((r) => (r.ok ? null : r.reason)).filter((r) => r !== null))).toEqual(new Set(['code_already_used']));
    });

    it('spends one try per wrong guess: of 200 parallel guesses 5 are checked, then the right code is refused', async () => {
      const k = fresh('guess');
      const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: 'a2', at: AT, maxAttempts: 5 });
      await saveOneTimeCode(store, k, challenge);
      const wrong = code === '000000' ? '111111' : '000000';
      const results = await Promise.all(Array.from({ length: 200 }, () => verifyStoredOneTimeCode(store, k, wrong, { at: AT + 1000, attemptId: 'a2', purpose: 'email_code', retry: patient })));
      const reasons = results.map((r) => (r.ok ? 'ok' : r.reason));
      expect(reasons.filter((r) => r === 'code_invalid')).toHaveLength(5);
      expect(reasons.filter((r) => r === 'attempts_exhausted')).toHaveLength(195);
      expect(await verifyStoredOneTimeCode(store, k, code, { at: AT + 2000, attemptId: 'a2', purpose: 'email_code' })).toEqual({ ok: false, reason: 'attempts_exhausted' });
    });

    it('accepts one authenticator code sent to many servers at once exactly once', async () => {
      const k = fresh('totp');
      const code = totpAtStep(SECRET_BYTES, Math.floor(AT / STEP_MS));
      const results = await Promise.all(Array.from({ length: 20 }, () => verifyStoredTotp(store, k, { secret: SECRET, code, at: AT, retry: patient })));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'code_replayed')).toHaveLength(19);
      // The step is stored: the same code later is still a replay.
      expect(await verifyStoredTotp(store, k, { secret: SECRET, code, at: AT + 5000 })).toEqual({ ok: false, reason: 'code_replayed' });
    });

    it('counts 200 parallel failures exactly, and the person is locked', async () => {
      const k = fresh('lockout');
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => recordStoredLoginFailure(store, k, { policy, at: AT + i, ip: '198.51.100.7', retry: patient })));
      expect(results.every((r) => r.ok)).toBe(true);
      const record = await readStoredLockout(store, k);
      expect(record?.failuresSinceSuccess).toBe(200);
      const decision = evaluateLogin(policy, { method: 'password', ip: '198.51.100.7', at: AT + 1000, verified: ['email_code'], lockout: record });
      expect(decision).toMatchObject({ outcome: 'deny', reasons: [{ code: 'locked_out' }] });
    });

    it('lets exactly maxFailures of 200 parallel password attempts be checked when they claim first', async () => {
      const k = fresh('claim');
      const claims = await Promise.all(Array.from({ length: 200 }, () => claimLoginAttempt(store, k, { policy, at: AT, ip: '198.51.100.8', retry: patient })));
      expect(claims.filter((c) => c.ok)).toHaveLength(10);
      const refused = claims.filter((c) => !c.ok);
      expect(refused).toHaveLength(190);
      for (const c of refused) expect(c).toEqual({ ok: false, reason: 'locked_out', until: AT + 15 * 60_000 });
    });
  });
}
