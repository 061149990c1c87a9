// The host app's own data, kept in memory for the examples: staff with their password hashes
// and TOTP secrets, the account's security settings and staff overrides, login attempts in
// progress, sessions, API keys and an outbox standing in for the mailer. A real app keeps
// these in its database; staffgate only ever sees plain values passed in.
//
// Nothing here imports `node:`: the same stores serve the Hono example on edge runtimes.
import {
  generateApiKey,
  parseAccountPolicy,
  parseStaffOverride,
  resolvePolicy,
  type AccountPolicy,
  type AccountPolicyInput,
  type ApiKeyRecord,
  type EffectivePolicy,
  type LoginChallenge,
  type LoginMethod,
  type LoginStep,
  type OneTimeCodeChallenge,
  type SecondFactor,
  type StaffOverride,
  type StaffOverrideInput,
  type TotpEnrollment,
} from 'staffgate';

/** A stored password: PBKDF2-SHA-256 via Web Crypto, so it runs on Node, Bun, Deno and Workers. */
export interface PasswordHash {
  readonly salt: string;
  readonly iterations: number;
  readonly hash: string;
}

/** One staff member, as the host stores them. */
export interface StaffRecord {
  readonly id: string;
  readonly email: string;
  password: PasswordHash;
  /** The authenticator-app secret and the last accepted time step (makes codes single-use). */
  totp: { secret: string; lastUsedStep: number | null } | null;
}

/** A login in progress, between the password and the last step. */
export interface PendingLogin {
  readonly id: string;
  readonly staffId: string;
  readonly method: LoginMethod;
  readonly startedAt: number;
  /** Steps completed so far, as `evaluateLogin` spells them. */
  readonly verified: LoginStep[];
  /** The step the last decision asked for: the only code this attempt accepts next. */
  expecting: LoginChallenge | null;
  /** The stored e-mailed code (hashed by staffgate; never the code itself). */
  emailChallenge: OneTimeCodeChallenge | null;
  /** The authenticator-app enrollment shown during this login, kept until its first code verifies. */
  pendingTotp: TotpEnrollment | null;
  /** Wrong codes so far: TOTP has no try budget of its own, so the host bounds it. */
  failures: number;
}

/** A signed-in session. */
export interface SessionRecord {
  readonly id: string;
  readonly staffId: string;
  /** When the login completed, epoch ms: `evaluateSession` needs it. */
  readonly loginAt: number;
}

/** A message the app would have sent. Tests read the codes from here. */
export interface OutboxMessage {
  readonly to: string;
  readonly subject: string;
  readonly code: string;
}

export interface WorkspaceOptions {
  /** The clock every decision reads. Tests pass a fixed one. */
  readonly clock?: () => number;
  /** PBKDF2 iterations for new password hashes. OWASP asks for 600 000; tests use fewer. */
  readonly passwordIterations?: number;
  /** Called for each message the app sends (the runnable examples print the codes). */
  readonly mailer?: (message: OutboxMessage) => void;
}

/** Random URL-safe identifier from Web Crypto. */
export function randomId(bytes = 16): string {
  const data = globalThis.crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function pbkdf2(password: string, salt: string, iterations: number): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await globalThis.crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new TextEncoder().encode(salt), iterations }, key, 256);
  return toHex(bits);
}

/** Hashes a new password. */
export async function hashPassword(password: string, iterations: number): Promise<PasswordHash> {
  const salt = randomId();
  return { salt, iterations, hash: await pbkdf2(password, salt, iterations) };
}

/** Checks a password against its stored hash, comparing every character. */
export async function checkPassword(stored: PasswordHash, password: string): Promise<boolean> {
  const candidate = await pbkdf2(password, stored.salt, stored.iterations);
  let diff = candidate.length ^ stored.hash.length;
  for (let i = 0; i < candidate.length; i++) diff |= candidate.charCodeAt(i) ^ stored.hash.charCodeAt(i % stored.hash.length);
  return diff === 0;
}

/** The in-memory stores of one workspace (one CRM account). */
export class Workspace {
  /** The account's security settings, validated once when they are loaded or saved. */
  account: AccountPolicy;
  overrides: StaffOverride[] = [];
  readonly staff = new Map<string, StaffRecord>();
  readonly logins = new Map<string, PendingLogin>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  readonly outbox: OutboxMessage[] = [];
  readonly now: () => number;
  readonly passwordIterations: number;
  private readonly mailer: ((message: OutboxMessage) => void) | undefined;
  private dummyPassword: Promise<PasswordHash> | undefined;

  constructor(account: AccountPolicyInput, options: WorkspaceOptions = {}) {
    this.account = parseAccountPolicy(account);
    this.now = options.clock ?? (() => Date.now());
    this.passwordIterations = options.passwordIterations ?? 600_000;
    this.mailer = options.mailer;
  }

  /** Sends a message: here, into the outbox (and to the mailer callback, if any). */
  sendMail(message: OutboxMessage): void {
    this.outbox.push(message);
    this.mailer?.(message);
  }

  /** Replaces the account settings (the admin pressed Save). Throws `StaffgateError` for bad input. */
  saveAccount(input: AccountPolicyInput): void {
    this.account = parseAccountPolicy(input);
  }

  /** Adds a staff override. Throws `StaffgateError` for bad input. */
  addOverride(input: StaffOverrideInput): void {
    this.overrides.push(parseStaffOverride(input));
  }

  async addStaff(id: string, email: string, password: string): Promise<StaffRecord> {
    const record: StaffRecord = { id, email: email.toLowerCase(), password: await hashPassword(password, this.passwordIterations), totp: null };
    this.staff.set(id, record);
    return record;
  }

  findStaffByEmail(email: string): StaffRecord | undefined {
    const wanted = email.toLowerCase();
    for (const s of this.staff.values()) if (s.email === wanted) return s;
    return undefined;
  }

  /**
   * The staff member whose e-mail and password these are, or `undefined`. An unknown e-mail
   * costs a hash too, so response times do not tell which addresses have accounts.
   */
  async checkCredentials(email: string, password: string): Promise<StaffRecord | undefined> {
    const staff = this.findStaffByEmail(email);
    this.dummyPassword ??= hashPassword(randomId(), this.passwordIterations);
    const ok = await checkPassword(staff?.password ?? (await this.dummyPassword), password);
    return ok && staff !== undefined ? staff : undefined;
  }

  /** The rules that hold for this person at this instant: account defaults plus their overrides. */
  policyFor(staffId: string, at: number): EffectivePolicy {
    return resolvePolicy(this.account, this.overrides, { at, staffId });
  }

  /** Second factors this person has set up, as `evaluateLogin` wants them. */
  enrolledFactors(staff: StaffRecord): SecondFactor[] {
    return staff.totp === null ? [] : ['totp'];
  }

  /** Issues an API key; the token is returned once and only its record is kept. */
  issueApiKey(scopes: string[], options: { allowIps?: string[]; label?: string } = {}): string {
    const { token, record } = generateApiKey({ scopes, at: this.now(), policy: this.account, ...options });
    this.apiKeys.set(record.id, record);
    return token;
  }
}
