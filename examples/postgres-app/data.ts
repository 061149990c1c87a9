// The host app's data on PostgreSQL: settings, staff, logins in progress, sessions and API
// keys in the tables of schema.sql; one-time codes, TOTP steps and lockout records in
// staffgate's state table through the PostgreSQL StateStore. Every write that two app
// servers could race on is one statement with its condition in the WHERE clause.
import type pg from 'pg';
import {
  generateApiKey,
  parseAccountPolicy,
  parseStaffOverride,
  resolvePolicy,
  type AccountPolicy,
  type AccountPolicyInput,
  type ApiKeyRecord,
  type EffectivePolicy,
  type LoginMethod,
  type LoginStep,
  type StaffOverrideInput,
  type TotpEnrollment,
} from 'staffgate';
import type { StateStore } from 'staffgate/state';
import { createPostgresStateStore } from '../state/postgres.js';
import { randomId, type PasswordHash } from '../shared/workspace.js';

export interface StaffRow {
  readonly id: string;
  readonly email: string;
  readonly password: PasswordHash;
  readonly totpSecret: string | null;
}

export interface PendingLoginRow {
  readonly id: string;
  readonly staffId: string;
  readonly method: LoginMethod;
  readonly startedAt: number;
  readonly verified: readonly LoginStep[];
  readonly expecting: string | null;
  readonly pendingTotp: TotpEnrollment | null;
  readonly failures: number;
}

interface RawPendingLogin {
  id: string;
  staff_id: string;
  method: LoginMethod;
  started_at: string;
  verified: LoginStep[];
  expecting: string | null;
  pending_totp: TotpEnrollment | null;
  failures: number;
}

function pendingFrom(row: RawPendingLogin): PendingLoginRow {
  return {
    id: row.id,
    staffId: row.staff_id,
    method: row.method,
    startedAt: Number(row.started_at),
    verified: row.verified,
    expecting: row.expecting,
    pendingTotp: row.pending_totp,
    failures: row.failures,
  };
}

/** The app's queries. One instance per process, over a shared pool. */
export class AppData {
  readonly state: StateStore;

  constructor(readonly db: pg.Pool) {
    this.state = createPostgresStateStore(db);
  }

  async saveAccount(input: AccountPolicyInput): Promise<void> {
    parseAccountPolicy(input); // throws StaffgateError naming the field: nothing bad is saved
    await this.db.query('INSERT INTO account_settings (id, policy) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET policy = EXCLUDED.policy', [JSON.stringify(input)]);
  }

  async addOverride(input: StaffOverrideInput): Promise<void> {
    parseStaffOverride(input);
    await this.db.query('INSERT INTO staff_overrides (body) VALUES ($1)', [JSON.stringify(input)]);
  }

  /** The saved settings, parsed. A real app caches this and reloads it when an admin saves. */
  async account(): Promise<AccountPolicy> {
    const { rows } = await this.db.query<{ policy: unknown }>('SELECT policy FROM account_settings WHERE id = 1');
    return parseAccountPolicy(rows[0]?.policy ?? {});
  }

  /** The rules for this person at this instant (or the account's, for an unknown name). */
  async policyFor(staffId: string | undefined, at: number): Promise<EffectivePolicy> {
    const account = await this.account();
    if (staffId === undefined) return resolvePolicy(account, [], { at });
    const { rows } = await this.db.query<{ body: unknown }>("SELECT body FROM staff_overrides WHERE body->>'staffId' = $1 ORDER BY id", [staffId]);
    return resolvePolicy(account, rows.map((r) => parseStaffOverride(r.body)), { at, staffId });
  }

  async addStaff(id: string, email: string, password: PasswordHash, totpSecret: string | null = null): Promise<void> {
    await this.db.query('INSERT INTO staff (id, email, password, totp_secret) VALUES ($1, $2, $3, $4)', [id, email.toLowerCase(), JSON.stringify(password), totpSecret]);
  }

  async staffByEmail(email: string): Promise<StaffRow | undefined> {
    return this.staffWhere('email = $1', email.toLowerCase());
  }

  async staffById(id: string): Promise<StaffRow | undefined> {
    return this.staffWhere('id = $1', id);
  }

  private async staffWhere(where: string, value: string): Promise<StaffRow | undefined> {
    const { rows } = await this.db.query<{ id: string; email: string; password: PasswordHash; totp_secret: string | null }>(`SELECT id, email, password, totp_secret FROM staff WHERE ${where}`, [value]);
    const row = rows[0];
    return row === undefined ? undefined : { id: row.id, email: row.email, password: row.password, totpSecret: row.totp_secret };
  }

  /** Sets the authenticator app only if none is set: a stale enrollment cannot replace one made meanwhile. */
  async setTotpSecretOnce(staffId: string, secret: string): Promise<boolean> {
    const { rowCount } = await this.db.query('UPDATE staff SET totp_secret = $2 WHERE id = $1 AND totp_secret IS NULL', [staffId, secret]);
    return rowCount === 1;
  }

  async startLogin(staffId: string, method: LoginMethod, at: number): Promise<PendingLoginRow> {
    const { rows } = await this.db.query<RawPendingLogin>('INSERT INTO pending_logins (id, staff_id, method, started_at) VALUES ($1, $2, $3, $4) RETURNING *', [randomId(), staffId, method, at]);
    return pendingFrom(rows[0] as RawPendingLogin);
  }

  async login(id: string): Promise<PendingLoginRow | undefined> {
    const { rows } = await this.db.query<RawPendingLogin>('SELECT * FROM pending_logins WHERE id = $1', [id]);
    const row = rows[0];
    return row === undefined ? undefined : pendingFrom(row);
  }

  async expect(id: string, step: string | null, pendingTotp: TotpEnrollment | null): Promise<void> {
    await this.db.query('UPDATE pending_logins SET expecting = $2, pending_totp = $3 WHERE id = $1', [id, step, pendingTotp === null ? null : JSON.stringify(pendingTotp)]);
  }

  /**
   * Adds a completed step, only while the attempt still expects the step it came from: two
   * requests finishing the same step add it once, and the loser learns it (`undefined`).
   */
  async completeStep(id: string, expected: string, step: LoginStep): Promise<PendingLoginRow | undefined> {
    const { rows } = await this.db.query<RawPendingLogin>(
      "UPDATE pending_logins SET verified = verified || to_jsonb($3::text), expecting = NULL, pending_totp = NULL WHERE id = $1 AND expecting = $2 RETURNING *",
      [id, expected, step],
    );
    const row = rows[0];
    return row === undefined ? undefined : pendingFrom(row);
  }

  /** Counts a wrong code on the attempt; returns the new count (0 when the attempt is gone). */
  async addFailure(id: string): Promise<number> {
    const { rows } = await this.db.query<{ failures: number }>('UPDATE pending_logins SET failures = failures + 1 WHERE id = $1 RETURNING failures', [id]);
    return rows[0]?.failures ?? 0;
  }

  async endLogin(id: string): Promise<void> {
    await this.db.query('DELETE FROM pending_logins WHERE id = $1', [id]);
  }

  /** Creates the session and ends the attempt in one transaction: an attempt yields at most one session. */
  async finishLogin(loginId: string, staffId: string, at: number): Promise<string | undefined> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query('DELETE FROM pending_logins WHERE id = $1', [loginId]);
      if (rowCount !== 1) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const id = randomId(32);
      await client.query('INSERT INTO sessions (id, staff_id, login_at) VALUES ($1, $2, $3)', [id, staffId, at]);
      await client.query('COMMIT');
      return id;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  async session(id: string): Promise<{ id: string; staffId: string; loginAt: number } | undefined> {
    const { rows } = await this.db.query<{ id: string; staff_id: string; login_at: string }>('SELECT id, staff_id, login_at FROM sessions WHERE id = $1', [id]);
    const row = rows[0];
    return row === undefined ? undefined : { id: row.id, staffId: row.staff_id, loginAt: Number(row.login_at) };
  }

  async endSession(id: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  /** Issues an API key; the token is returned once and only its record is kept. */
  async issueApiKey(scopes: string[], at: number, options: { allowIps?: string[]; label?: string } = {}): Promise<string> {
    const { token, record } = generateApiKey({ scopes, at, policy: await this.account(), ...options });
    await this.db.query('INSERT INTO api_keys (id, record) VALUES ($1, $2)', [record.id, JSON.stringify(record)]);
    return token;
  }

  async apiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.db.query<{ record: ApiKeyRecord }>('SELECT record FROM api_keys WHERE id = $1', [id]);
    return rows[0]?.record;
  }

  /** Stores the last-use fields. Last writer wins: they are information, not a guard. */
  async saveApiKey(record: ApiKeyRecord): Promise<void> {
    await this.db.query('UPDATE api_keys SET record = $2 WHERE id = $1', [record.id, JSON.stringify(record)]);
  }
}
