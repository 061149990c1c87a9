import { StaffgateError, requireOptionsObject } from '../errors.js';

/**
 * A stored value with its version, as {@link StateStore.read} returns it. The version is what
 * a compare-and-swap names: a write succeeds only while the record is still at that version.
 *
 * @example
 * ```ts
 * const entry: StateEntry | undefined = await store.read('otp:attempt-1');
 * if (entry) console.log(entry.version, entry.value);
 * ```
 */
export interface StateEntry {
  /** The stored JSON value, parsed. */
  readonly value: unknown;
  /** A positive integer that grows with every write of the key (never reused while the key exists). */
  readonly version: number;
}

/**
 * Options of one {@link StateStore.compareAndSwap}.
 *
 * @example
 * ```ts
 * const options: CompareAndSwapOptions = { ttlMs: 10 * 60_000 };
 * ```
 */
export interface CompareAndSwapOptions {
  /** How long the value lives, in milliseconds (at least 1): after that, reads find nothing. */
  readonly ttlMs: number;
}

/**
 * The storage staffgate's state helpers run on: read a key with its version, and write it
 * only if nobody wrote it since (compare-and-swap), with a time to live. Implement it on the
 * host's own database in a few lines; `examples/state/` has PostgreSQL (`UPDATE … WHERE
 * version = $n`) and Redis (a Lua script) adapters tested on real servers, and
 * {@link createMemoryStateStore} is the embedded default for one process.
 *
 * Contract: values are JSON (an adapter may serialise them); `compareAndSwap` with
 * `expectedVersion` `undefined` creates the key and fails if it exists (an expired key counts
 * as absent); with a version it replaces the value only if the stored version is that one,
 * and the new version is greater. Each call is atomic: two concurrent swaps from the same
 * version never both succeed.
 *
 * @example
 * ```ts
 * const store: StateStore = {
 *   async read(key) { return myDb.readVersioned(key); },
 *   async compareAndSwap(key, expectedVersion, value, { ttlMs }) { return myDb.swap(key, expectedVersion, value, ttlMs); },
 * };
 * ```
 */
export interface StateStore {
  /** The value under `key` with its version, or `undefined` when there is none or it expired. */
  read(key: string): Promise<StateEntry | undefined>;
  /** `true` when written; `false` when the stored version was not `expectedVersion` (someone else wrote first). */
  compareAndSwap(key: string, expectedVersion: number | undefined, value: unknown, options: CompareAndSwapOptions): Promise<boolean>;
}

/**
 * Options of {@link createMemoryStateStore}.
 *
 * @example
 * ```ts
 * const options: MemoryStateStoreOptions = { clock: serverClock }; // the app's clock; a fixed one in tests
 * ```
 */
export interface MemoryStateStoreOptions {
  /** The clock that times entries out, epoch ms. Tests pass a fixed one. */
  readonly clock: () => number;
}

/**
 * A {@link StateStore} in this process's memory: the default for a single server, the demo and
 * tests. Values are copied as JSON on the way in and out, as a database would, so a caller
 * cannot change a stored record by holding on to it. Expired entries are dropped when read or
 * written, and by a sweep every thousand writes. It is atomic because JavaScript runs one
 * call at a time; it is not shared between servers: use a database adapter there.
 *
 * @throws {StaffgateError} `invalid_option` without a `clock` function.
 * @example
 * ```ts
 * import { createMemoryStateStore, verifyStoredOneTimeCode } from 'staffgate/state';
 *
 * const store = createMemoryStateStore({ clock: serverClock });
 * const result = await verifyStoredOneTimeCode(store, `otp:${attemptId}`, typed, { at: now, attemptId });
 * ```
 */
export function createMemoryStateStore(options: MemoryStateStoreOptions): StateStore & { readonly size: number } {
  requireOptionsObject(options);
  const clock: unknown = options.clock;
  if (typeof clock !== 'function') throw new StaffgateError('invalid_option', 'must be a function returning epoch ms', { path: ['clock'] });
  const now = (): number => {
    const t: unknown = (clock as () => unknown)();
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new StaffgateError('invalid_option', 'returned something other than epoch ms', { path: ['clock'] });
    return t;
  };
  const entries = new Map<string, { json: string; version: number; expiresAt: number }>();
  // Versions keep growing across expiry, so a writer holding a version read before a key
  // expired cannot overwrite the record that replaced it.
  let versions = 0;
  let writes = 0;

  const live = (key: string, at: number): { json: string; version: number; expiresAt: number } | undefined => {
    const e = entries.get(key);
    if (e !== undefined && e.expiresAt <= at) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };

  return {
    get size(): number {
      const at = now();
      for (const [k, e] of entries) if (e.expiresAt <= at) entries.delete(k);
      return entries.size;
    },
    read(key: string): Promise<StateEntry | undefined> {
      const e = live(requireKey(key), now());
      return Promise.resolve(e === undefined ? undefined : { value: JSON.parse(e.json) as unknown, version: e.version });
    },
    compareAndSwap(key: string, expectedVersion: number | undefined, value: unknown, swap: CompareAndSwapOptions): Promise<boolean> {
      const at = now();
      const ttl = requireTtl(swap);
      const json = toJson(value);
      if (json === undefined) throw new StaffgateError('invalid_option', 'must be a JSON value', { path: ['value'] });
      const current = live(requireKey(key), at);
      if ((current?.version ?? undefined) !== expectedVersion) return Promise.resolve(false);
      versions += 1;
      entries.set(key, { json, version: versions, expiresAt: at + ttl });
      if (++writes % 1000 === 0) for (const [k, e] of entries) if (e.expiresAt <= at) entries.delete(k);
      return Promise.resolve(true);
    },
  };
}

function toJson(value: unknown): string | undefined {
  try {
    // undefined and functions give undefined; BigInt and cycles throw.
    const json: string | undefined = JSON.stringify(value);
    return json;
  } catch {
    return undefined;
  }
}

function requireKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 512) throw new StaffgateError('invalid_option', 'must be a string of 1 to 512 characters', { path: ['key'] });
  return key;
}

function requireTtl(options: unknown): number {
  const ttl: unknown = typeof options === 'object' && options !== null ? (options as { ttlMs?: unknown }).ttlMs : undefined;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1) throw new StaffgateError('invalid_option', 'must be a whole number of milliseconds, at least 1', { path: ['ttlMs'] });
  return ttl;
}
