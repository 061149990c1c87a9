// A StateStore on PostgreSQL with the `pg` client: one table (migration.sql), a write that
// succeeds only while the row is at the version that was read (`UPDATE … WHERE version = $n`),
// and expiry by a column, checked against the database's clock so that every app server
// agrees on it. Copy this file into your app; it is the whole adapter.
import type { StateEntry, StateStore } from 'staffgate/state';

/** What the adapter needs of `pg`: a `Pool`, a `Client` or a transaction's client all have it. */
export interface Queryable {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

const READ = `SELECT value, version FROM staffgate_state WHERE key = $1 AND expires_at > now()`;

// Creates the row, or takes over one that expired; a live row is left alone (rowCount 0).
// ON CONFLICT locks the row, so of two concurrent creators exactly one writes.
const CREATE = `
  INSERT INTO staffgate_state (key, value, version, expires_at)
  VALUES ($1, $2, nextval('staffgate_state_version'), now() + make_interval(secs => $3::float8 / 1000))
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version, expires_at = EXCLUDED.expires_at
  WHERE staffgate_state.expires_at <= now()`;

// Under READ COMMITTED a concurrent UPDATE of the same row waits for the first one, then
// re-checks the WHERE clause on the row as it now is: the version no longer matches, 0 rows.
const SWAP = `
  UPDATE staffgate_state
  SET value = $2, version = nextval('staffgate_state_version'), expires_at = now() + make_interval(secs => $3::float8 / 1000)
  WHERE key = $1 AND version = $4 AND expires_at > now()`;

/** A StateStore on the `staffgate_state` table. */
export function createPostgresStateStore(db: Queryable): StateStore {
  return {
    async read(key: string): Promise<StateEntry | undefined> {
      const { rows } = await db.query(READ, [key]);
      const row = rows[0] as { value: string; version: string | number } | undefined;
      if (row === undefined) return undefined;
      // bigint arrives as a string; versions stay far below 2^53.
      return { value: JSON.parse(row.value) as unknown, version: Number(row.version) };
    },
    async compareAndSwap(key, expectedVersion, value, { ttlMs }): Promise<boolean> {
      const json = JSON.stringify(value);
      if (typeof json !== 'string') throw new TypeError('a state value must be JSON');
      if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError('ttlMs must be a whole number of milliseconds, at least 1');
      const result =
        expectedVersion === undefined ? await db.query(CREATE, [key, json, ttlMs]) : await db.query(SWAP, [key, json, ttlMs, expectedVersion]);
      return result.rowCount === 1;
    },
  };
}

/** Deletes expired rows; run it now and then (a cron job, or every few minutes). Returns how many. */
export async function sweepExpiredState(db: Queryable): Promise<number> {
  const result = await db.query('DELETE FROM staffgate_state WHERE expires_at <= now()', []);
  return result.rowCount ?? 0;
}
