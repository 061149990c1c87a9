import { StaffgateError } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { storedField } from '../stored.js';
import { evaluateLogin, type LoginDecision, type LoginOptions, type LoginReason, type LoginStep, type LockoutRecord } from '../login/index.js';
import { ensureAccount, ensureOverrides, parseAccountPolicy } from '../policy/parse.js';
import { accountLayers, resolvePolicy, type PolicyMember } from '../policy/resolve.js';
import type { AccountPolicy, LoginMethod, SecondFactor, StaffOverride } from '../policy/schema.js';

/**
 * An administrator as the safety check sees them: how they sign in, from where, with which
 * factors, and their own exceptions.
 *
 * @example
 * ```ts
 * const ada: AdminAccess = { staffId: 'ada', method: 'google', ip: '203.0.113.7', enrolled: ['totp'], overrides: adaOverrides };
 * ```
 */
export interface AdminAccess {
  readonly staffId: string;
  /** The method they sign in with. */
  readonly method: LoginMethod;
  /** The address they sign in from (for the actor: the address of the request saving the change). */
  readonly ip: string;
  /** Second factors they have set up. Default none. */
  readonly enrolled?: readonly SecondFactor[];
  /** What their identity provider says (used only with `loginOptions.acceptSsoMfa`). */
  readonly sso?: { readonly mfa?: boolean };
  /**
   * Their stored lockout record (from `recordLoginFailure`), so a change that enforces a
   * lockout they are already under (report-only to enforced, say) is caught. Default none.
   */
  readonly lockout?: LockoutRecord | null;
  /** Their roles and teams: the layers for them apply, before and after the change. Default none. */
  readonly member?: PolicyMember;
  /** Their overrides as stored now. Default none. */
  readonly overrides?: readonly StaffOverride[];
  /** Their overrides after the change, when the change edits them. Default: `overrides`. */
  readonly proposedOverrides?: readonly StaffOverride[];
}

/**
 * Options of {@link checkChangeSafety}: who is saving, every administrator with their usual
 * access, and the instant of the change.
 *
 * @example
 * ```ts
 * const options: ChangeSafetyOptions = {
 *   actor: { staffId: 'ada', method: 'password', ip: clientIp, enrolled: ['totp'] },
 *   admins: [{ staffId: 'grace', method: 'microsoft', ip: '198.51.100.20', enrolled: ['sms'] }],
 *   at: now,
 * };
 * const verdict = checkChangeSafety(saved, edited, options);
 * ```
 */
export interface ChangeSafetyOptions {
  /** The admin saving the change. Checked whether or not they are also listed in `admins`. */
  readonly actor: AdminAccess;
  /** Every administrator of the account (the actor's entry, if listed, is replaced by `actor`). */
  readonly admins: readonly AdminAccess[];
  /** The instant of the change. */
  readonly at: Instant;
  /** Passed to `evaluateLogin` (e.g. `acceptSsoMfa`), as your login flow does. */
  readonly loginOptions?: LoginOptions;
}

/**
 * An administrator who could not sign in under the proposed settings, with the deny reasons
 * and whether the change is what locks them out.
 *
 * @example
 * ```ts
 * for (const admin of checkChangeSafety(saved, edited, options).lockedOut) {
 *   const why = admin.reasons.map((r) => r.detail).join('; ');
 *   console.log(`${admin.staffId}${admin.actor ? ' (you)' : ''}: ${why}`);
 * }
 * ```
 */
export interface LockedOutAdmin {
  readonly staffId: string;
  /** This is the admin saving the change. */
  readonly actor: boolean;
  /** Why the login would be refused (the deny reasons of `evaluateLogin`). */
  readonly reasons: readonly LoginReason[];
  /** Only login hours stand in the way: from this instant (epoch ms) they could sign in again. */
  readonly until?: number;
  /** They could sign in under the current settings: the change causes this lockout. */
  readonly causedByChange: boolean;
}

/**
 * Codes of {@link ChangeSafety} reasons: `actor_locked_out` and `all_admins_locked_out`
 * block the change; `admin_locked_out`, `admin_must_enroll` and `admin_access_expires` are
 * notices.
 *
 * @example
 * ```ts
 * const titles: Record<ChangeSafetyCode, string> = {
 *   actor_locked_out: 'You would lock yourself out',
 *   all_admins_locked_out: 'No administrator could sign in',
 *   admin_locked_out: 'An administrator would be locked out',
 *   admin_must_enroll: 'An administrator must set up a second factor',
 *   admin_access_expires: 'An administrator gets in only until an exception expires',
 * };
 * ```
 */
export type ChangeSafetyCode = 'actor_locked_out' | 'all_admins_locked_out' | 'admin_locked_out' | 'admin_must_enroll' | 'admin_access_expires';

/**
 * One line of the verdict, for the confirmation dialog; `blocking` lines make the change
 * unsafe, the others are worth showing anyway.
 *
 * @example
 * ```ts
 * const lines = checkChangeSafety(saved, edited, options).reasons.map((r: ChangeSafetyReason) => (r.blocking ? `⛔ ${r.message}` : `ℹ️ ${r.message}`));
 * ```
 */
export interface ChangeSafetyReason {
  readonly code: ChangeSafetyCode;
  /** Whether this line alone makes the change unsafe. */
  readonly blocking: boolean;
  readonly staffId?: string;
  readonly message: string;
}

/**
 * The verdict of {@link checkChangeSafety}: whether the settings can be saved without
 * confirmation, and who would be locked out.
 *
 * @example
 * ```ts
 * const verdict: ChangeSafety = checkChangeSafety(saved, edited, options);
 * if (verdict.actorLockedOut) return res.status(409).json({ error: 'would_lock_you_out', reasons: verdict.reasons });
 * if (!verdict.safe && req.body.confirmed !== true) return res.status(409).json({ confirm: verdict.reasons });
 * ```
 */
export interface ChangeSafety {
  /** Neither the actor nor every admin would be locked out. */
  readonly safe: boolean;
  readonly lockedOut: readonly LockedOutAdmin[];
  readonly actorLockedOut: boolean;
  readonly allAdminsLockedOut: boolean;
  /** Blocking reasons first, then notices (an admin who must set up a second factor at next sign-in). */
  readonly reasons: readonly ChangeSafetyReason[];
}

/**
 * Would saving these settings lock out the admin saving them, or every admin? A host calls
 * it before it saves security settings, and refuses, or asks to confirm, when `safe` is false.
 *
 * Each admin's sign-in is evaluated with `evaluateLogin` against the proposed settings (and
 * their proposed overrides) at `at`, from their address, with their method, and with every step
 * they can complete: the e-mailed code of a password login and each factor they have set up. A
 * challenge they can meet is fine, and so is having to set up a second factor; only a deny
 * locks them out. Report-only rules never deny, so moving a rule to report mode first is always
 * safe. A lockout by login hours alone carries `until`, the next instant they could sign in.
 *
 * @throws {StaffgateError} `invalid_instant` for a bad `at`; `invalid_option` for an admin without
 *   a staffId; parse errors for invalid raw settings or overrides. A malformed `ip` or `method`
 *   never throws: that admin is locked out, so the check fails closed.
 * @example
 * ```ts
 * const verdict = checkChangeSafety(saved, edited, {
 *   actor: { staffId: 'ada', method: 'google', ip: clientIp, enrolled: ['totp'] },
 *   admins: await adminsWithTheirUsualAccess(),
 *   at: now,
 * });
 * if (!verdict.safe) return askToConfirm(verdict.reasons.map((r) => r.message));
 * ```
 */
export function checkChangeSafety(current: AccountPolicy, proposed: AccountPolicy, options: ChangeSafetyOptions): ChangeSafety {
  const at = toEpochMs(options.at);
  if (Number.isNaN(at)) throw new StaffgateError('invalid_instant', 'is not a valid instant (a Date, epoch ms, or ISO 8601 with an offset)', { path: ['at'] });
  const before = ensureAccount(current, ['current']);
  const after = ensureAccount(proposed, ['proposed']);
  const { actor, admins } = options;
  checkPerson(actor, ['actor']);
  if (!isList(admins)) throw new StaffgateError('invalid_option', 'must be an array of admins', { path: ['admins'] });
  admins.forEach((a, i) => {
    checkPerson(a, ['admins', i]);
  });
  const people = [actor, ...admins.filter((a) => a.staffId !== actor.staffId)];
  const seen = new Set<string>();

  const lockedOut: LockedOutAdmin[] = [];
  const notices: ChangeSafetyReason[] = [];
  for (const [i, person] of people.entries()) {
    if (seen.has(person.staffId)) continue;
    seen.add(person.staffId);
    const isActor = i === 0;
    const path = isActor ? 'actor' : `admins[${admins.indexOf(person)}]`;
    const overrides = ensureOverrides(person.overrides ?? [], `${path}.overrides`);
    const proposedOverrides = person.proposedOverrides === undefined ? overrides : ensureOverrides(person.proposedOverrides, `${path}.proposedOverrides`);
    const next = decide(after, proposedOverrides, person, at, options.loginOptions);
    if (next.outcome === 'deny') {
      const now = decide(before, overrides, person, at, options.loginOptions);
      const until = hoursOnly(next) ? recoveryAt(after, proposedOverrides, person, next.retryAt, options.loginOptions) : undefined;
      lockedOut.push({ staffId: person.staffId, actor: isActor, reasons: next.reasons, ...(until === undefined ? {} : { until }), causedByChange: now.outcome !== 'deny' });
    } else {
      if (next.challenge?.step === 'enroll') {
        notices.push({
          code: 'admin_must_enroll',
          blocking: false,
          staffId: person.staffId,
          message: `${isActor ? 'You' : person.staffId} will have to set up a second factor (${next.challenge.factors.join(', ')}) at the next sign-in.`,
        });
      }
      const expiry = reliesOnExpiringRule(before, after, overrides, proposedOverrides, person, at, options.loginOptions);
      if (expiry !== undefined) {
        notices.push({
          code: 'admin_access_expires',
          blocking: false,
          staffId: person.staffId,
          message: `${isActor ? 'You' : person.staffId} would get in only through an exception that expires at ${expiry.expiresAt}: after it, these settings would lock ${isActor ? 'you' : 'them'} out (${expiry.why}).`,
        });
      }
    }
  }

  const actorLockedOut = lockedOut.some((l) => l.actor);
  const allAdminsLockedOut = lockedOut.length === seen.size;
  const reasons: ChangeSafetyReason[] = [];
  for (const l of lockedOut) {
    const why = l.reasons.map((r) => r.code).join(', ');
    const when = l.until === undefined ? '' : ` until ${new Date(l.until).toISOString()}`;
    if (l.actor) reasons.push({ code: 'actor_locked_out', blocking: true, staffId: l.staffId, message: `Saving this would lock you out${when} (${why}).` });
    else reasons.push({ code: 'admin_locked_out', blocking: false, staffId: l.staffId, message: `${l.staffId} (an administrator) could not sign in${when} (${why}).` });
  }
  if (allAdminsLockedOut) {
    reasons.unshift({ code: 'all_admins_locked_out', blocking: true, message: 'No administrator could sign in: nobody could undo this change.' });
  }
  reasons.sort((a, b) => Number(b.blocking) - Number(a.blocking));
  return { safe: !actorLockedOut && !allAdminsLockedOut, lockedOut, actorLockedOut, allAdminsLockedOut, reasons: [...reasons, ...notices] };
}

// Not a type guard: narrowing a typed array with Array.isArray would widen it to any[].
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

function checkPerson(person: unknown, path: (string | number)[]): void {
  const staffId = typeof person === 'object' && person !== null ? (person as { staffId?: unknown }).staffId : undefined;
  if (typeof staffId !== 'string' || staffId === '') {
    throw new StaffgateError('invalid_option', 'must describe an admin with a staffId, method and ip', { path });
  }
}

function decide(account: AccountPolicy, overrides: readonly StaffOverride[], person: AdminAccess, at: number, options: LoginOptions | undefined): LoginDecision {
  const policy = resolvePolicy(account, overrides, person.member === undefined ? { at, staffId: person.staffId } : { at, staffId: person.staffId, member: person.member });
  const enrolled = person.enrolled ?? [];
  const verified: LoginStep[] = person.method === 'password' ? ['email_code', ...enrolled] : [...enrolled];
  return evaluateLogin(
    policy,
    { method: person.method, ip: person.ip, at, verified, enrolled, ...(person.sso === undefined ? {} : { sso: person.sso }), ...(person.lockout === undefined ? {} : { lockout: person.lockout }) },
    options,
  );
}

// The person gets in under the proposed settings, but only through their own overrides that
// expire, or through layers of their roles and teams that expire: dropped in expiry order, one
// of them takes the sign-in to a deny, and under the current settings without their own
// expiring ones it would not be denied (so the change, not the exception, makes them depend on
// it). The expiry named is that one, not merely the earliest in the list (another person's, or
// an unrelated exception's); a layer's is named with its layer. Overrides are tried first.
function reliesOnExpiringRule(
  current: AccountPolicy,
  proposed: AccountPolicy,
  overrides: readonly StaffOverride[],
  proposedOverrides: readonly StaffOverride[],
  person: AdminAccess,
  at: number,
  options: LoginOptions | undefined,
): { expiresAt: string; why: string } | undefined {
  const expiringOverrides = expiringOf(proposedOverrides, person.staffId, at)
    .sort((a, b) => a.ms - b.ms)
    .map((e) => ({ key: e.override, text: e.text, ms: e.ms }));
  const byOverride = firstExpiryRelied(
    expiringOverrides,
    (gone) => decide(proposed, proposedOverrides.filter((o) => !gone.has(o)), person, at, options),
    () => {
      const before = new Set(expiringOf(overrides, person.staffId, at).map((e) => e.override));
      return decide(current, overrides.filter((o) => !before.has(o)), person, at, options);
    },
  );
  if (byOverride !== undefined || person.member === undefined) return byOverride;
  const expiringLayerList = expiringLayers(proposed, person, at).map((e) => ({ key: e.id, text: `${e.text} (layer ${e.id})`, ms: e.ms }));
  return firstExpiryRelied(
    expiringLayerList,
    (gone) => decide(withoutLayers(proposed, gone), proposedOverrides, person, at, options),
    () => decide(withoutLayers(current, new Set(expiringLayers(current, person, at).map((e) => e.id))), overrides, person, at, options),
  );
}

/**
 * The first expiry (of `expiring`, soonest first) after which the person is denied, with every
 * rule expiring by then gone (`without`), provided that the current settings without their own
 * expiring rules (`currentWithout`) would let them in; otherwise none.
 */
function firstExpiryRelied<K>(
  expiring: readonly { key: K; text: string; ms: number }[],
  without: (gone: ReadonlySet<K>) => LoginDecision,
  currentWithout: () => LoginDecision,
): { expiresAt: string; why: string } | undefined {
  for (const { text, ms } of expiring) {
    const lost = without(new Set(expiring.filter((e) => e.ms <= ms).map((e) => e.key)));
    if (lost.outcome !== 'deny') continue;
    if (currentWithout().outcome === 'deny') return undefined;
    return { expiresAt: text, why: lost.reasons.map((r) => r.code).join(', ') };
  }
  return undefined;
}

// The layers that applied to the person at `at` and expire later, soonest first.
function expiringLayers(account: AccountPolicy, person: AdminAccess, at: number): { id: string; text: string; ms: number }[] {
  const applied = resolvePolicy(account, [], person.member === undefined ? { at } : { at, member: person.member }).applied;
  const out: { id: string; text: string; ms: number }[] = [];
  for (const a of applied) {
    if (a.kind !== 'layer' || a.expiresAt === undefined) continue;
    out.push({ id: a.id, text: a.expiresAt, ms: toEpochMs(a.expiresAt) });
  }
  return out.sort((x, y) => x.ms - y.ms);
}

// The account without the layers named: parsed again, as a change that deletes them would be.
function withoutLayers(account: AccountPolicy, ids: ReadonlySet<string>): AccountPolicy {
  const kept = accountLayers(account).filter((l) => !ids.has(l.id)).map((l) => account.layers?.[l.index]);
  return parseAccountPolicy({ ...account, layers: kept });
}

// The person's live overrides with an expiry still ahead (read as resolvePolicy reads it).
function expiringOf(overrides: readonly StaffOverride[], staffId: string, at: number): { override: StaffOverride; text: string; ms: number }[] {
  const out: { override: StaffOverride; text: string; ms: number }[] = [];
  for (const override of overrides) {
    if (override.staffId !== staffId) continue;
    const text = storedField(override, 'expiresAt');
    const ms = typeof text === 'string' ? toEpochMs(text) : Number.NaN;
    if (typeof text === 'string' && ms > at) out.push({ override, text, ms });
  }
  return out;
}

function hoursOnly(d: LoginDecision): boolean {
  return d.retryAt !== undefined && d.reasons.every((r) => r.code === 'outside_login_hours');
}

// Login hours alone refuse them now: they are back in at the next window, unless something
// else (an override expiring meanwhile) refuses them then.
function recoveryAt(account: AccountPolicy, overrides: readonly StaffOverride[], person: AdminAccess, retryAt: number | undefined, options: LoginOptions | undefined): number | undefined {
  if (retryAt === undefined) return undefined;
  return decide(account, overrides, person, retryAt, options).outcome === 'deny' ? undefined : retryAt;
}
