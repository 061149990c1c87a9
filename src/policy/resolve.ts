import { StaffgateError } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { storedField } from '../stored.js';
import { ensureAccount, ensureOverrides } from './parse.js';
import { classifyChange, overallEffect, policyValues, POLICY_FIELDS, type ChangeEffect, type PolicyField, type PolicyValues } from './effect.js';
import type { AccountPolicy, IpLockdownSettings, LockoutSettings, LoginHoursSettings, LoginWindow, RuleMode, StaffOverride, TwoFactorSettings } from './schema.js';

/**
 * Where an effective value came from: the account default, or one override. Show it next to
 * a setting ("set by an exception for u_42") or in a login's audit detail.
 *
 * @example
 * ```ts
 * const source: FieldSource = policy.sources['ipLockdown.enabled'];
 * const label = source.layer === 'account' ? 'account default' : `override ${source.overrideId ?? `#${source.overrideIndex}`} of ${source.staffId}`;
 * ```
 */
export type FieldSource =
  | { readonly layer: 'account' }
  | { readonly layer: 'override'; readonly staffId: string; readonly overrideIndex: number; readonly overrideId?: string };

/**
 * The value of one overridable field, as {@link FieldChange} reports it before and after an
 * override: a switch, a number (lockout limits), a mode or time zone, a list of methods, factors or entries, or windows.
 *
 * @example
 * ```ts
 * const show = (v: FieldValue): string => (typeof v === 'boolean' ? (v ? 'on' : 'off') : typeof v === 'string' ? v : JSON.stringify(v));
 * for (const c of policy.applied[0]?.changes ?? []) console.log(`${c.field}: ${show(c.from)} → ${show(c.to)}`);
 * ```
 */
export type FieldValue = boolean | number | string | readonly string[] | readonly LoginWindow[];

/**
 * One field an override changed, with the value before and after it and its effect, so a
 * host can say exactly how a person's rules differ from the account's.
 *
 * @example
 * ```ts
 * const weakened: FieldChange[] = policy.applied.flatMap((o) => o.changes.filter((c) => c.effect === 'weakening'));
 * // [{ field: 'ipLockdown.enabled', from: true, to: false, effect: 'weakening' }]
 * ```
 */
export interface FieldChange {
  readonly field: PolicyField;
  readonly from: FieldValue;
  readonly to: FieldValue;
  readonly effect: ChangeEffect;
}

/**
 * An override that took effect for the resolved person, with what it changed and whether its
 * review date has passed: the data for a "this person has exceptions" panel.
 *
 * @example
 * ```ts
 * for (const o of policy.applied) {
 *   console.log(`${o.staffId}: ${o.reason} (${o.effect}${o.reviewOverdue ? ', review overdue' : ''})`);
 * }
 * ```
 */
export interface AppliedOverride {
  /** Position in the `overrides` array given to {@link resolvePolicy}. */
  readonly index: number;
  readonly staffId: string;
  readonly id?: string;
  readonly reason: string;
  /** `weakening` if any change weakens, else `strengthening` if any strengthens, else `neutral`. */
  readonly effect: ChangeEffect;
  readonly changes: readonly FieldChange[];
  readonly expiresAt?: string;
  readonly reviewBy?: string;
  /** `reviewBy` is at or before the instant of resolution. */
  readonly reviewOverdue: boolean;
}

/**
 * An override that had no effect at the instant of resolution, and why (it has expired), so
 * a host can tell an admin to delete it.
 *
 * @example
 * ```ts
 * for (const o of policy.ignored) console.log(`override #${o.index} of ${o.staffId}: ${o.message}`); // 'expired at 2026-01-31T00:00:00Z'
 * ```
 */
export interface IgnoredOverride {
  readonly index: number;
  readonly staffId: string;
  readonly id?: string;
  readonly reason: 'expired';
  readonly message: string;
  readonly expiresAt: string;
}

/**
 * The rules that hold for one staff member at one instant: the account defaults with that
 * person's live overrides applied. It is plain, frozen data (fields from {@link AccountPolicy})
 * plus the provenance of every overridable field.
 *
 * @example
 * ```ts
 * const policy: EffectivePolicy = resolvePolicy(account, overrides, { at: now, staffId: 'u_42' });
 * policy.twoFactor.required;        // the rule that holds for u_42 now
 * policy.sources['twoFactor.required'].layer; // 'account' or 'override'
 * ```
 */
export interface EffectivePolicy extends AccountPolicy {
  /** The staff member the overrides belong to, when there were any. */
  readonly staffId?: string;
  /** The instant the policy was resolved for, epoch ms. */
  readonly resolvedAt: number;
  /** Where each overridable field's value came from. */
  readonly sources: Readonly<Record<PolicyField, FieldSource>>;
  readonly applied: readonly AppliedOverride[];
  readonly ignored: readonly IgnoredOverride[];
}

/**
 * Options of {@link resolvePolicy}: the instant (it decides which overrides have expired)
 * and, when the list holds several people's overrides, whose rules to resolve.
 *
 * @example
 * ```ts
 * const options: ResolveOptions = { at: '2026-11-23T09:00:00Z', staffId: 'u_42' };
 * const policy = resolvePolicy(account, allOverridesOfTheWorkspace, options);
 * ```
 */
export interface ResolveOptions {
  /** The instant to resolve for: overrides whose `expiresAt` is at or before it are ignored. */
  readonly at: Instant;
  /**
   * Only overrides of this staff member apply; others are skipped. Without it, all
   * overrides must belong to one staff member.
   */
  readonly staffId?: string;
}

const ACCOUNT: FieldSource = Object.freeze({ layer: 'account' });

/**
 * Merges the account defaults with one staff member's overrides. Fields named in an override's
 * `set` replace the account's (arrays replace whole); overrides apply in order, so a later one
 * wins. An override whose `expiresAt` is at or before `at` has no effect and is listed in
 * `ignored`. Raw JSON is accepted too and validated on the way in.
 *
 * @throws {StaffgateError} `invalid_instant` for an invalid `at`; `invalid_option` when the
 *   overrides belong to different staff and no `staffId` was given; parse errors for raw input.
 * @example
 * ```ts
 * const policy = resolvePolicy(account, [roadUserOverride], { at: now });
 * policy.ipLockdown.enabled;            // false for the road user
 * policy.sources['ipLockdown.enabled']; // { layer: 'override', staffId: 'u_42', overrideIndex: 0 }
 * policy.applied[0]?.effect;            // 'weakening'
 * ```
 */
export function resolvePolicy(account: AccountPolicy, overrides: readonly StaffOverride[], options: ResolveOptions): EffectivePolicy {
  const at = toEpochMs(options.at);
  if (Number.isNaN(at)) throw new StaffgateError('invalid_instant', 'is not a valid instant (a Date, epoch ms, or ISO 8601 with an offset)', { path: ['at'] });
  const base = ensureAccount(account);
  const list = ensureOverrides(overrides);

  let staffId = options.staffId;
  if (staffId !== undefined && (typeof staffId !== 'string' || staffId === '')) {
    throw new StaffgateError('invalid_option', 'must be a staff id (a non-empty string), or omitted', { path: ['staffId'] });
  }
  if (staffId === undefined) {
    for (const [i, o] of list.entries()) {
      staffId ??= o.staffId;
      if (o.staffId !== staffId) {
        throw new StaffgateError('invalid_option', `belongs to "${o.staffId}" but override 0 to "${staffId}"; pass { staffId } to pick one person's overrides`, {
          path: ['overrides', i, 'staffId'],
        });
      }
    }
  }

  let state: State = policyValues(base);
  const sources: Record<PolicyField, FieldSource> = {
    loginMethods: ACCOUNT,
    'twoFactor.required': ACCOUNT,
    'twoFactor.methods': ACCOUNT,
    'twoFactor.mode': ACCOUNT,
    'ipLockdown.enabled': ACCOUNT,
    'ipLockdown.allow': ACCOUNT,
    'ipLockdown.mode': ACCOUNT,
    'loginHours.enabled': ACCOUNT,
    'loginHours.timezone': ACCOUNT,
    'loginHours.windows': ACCOUNT,
    'loginHours.mode': ACCOUNT,
    'lockout.enabled': ACCOUNT,
    'lockout.maxFailures': ACCOUNT,
    'lockout.windowMinutes': ACCOUNT,
    'lockout.lockoutMinutes': ACCOUNT,
    'lockout.mode': ACCOUNT,
  };
  const applied: AppliedOverride[] = [];
  const ignored: IgnoredOverride[] = [];

  // Optional fields are added by assignment, not by spreading `{}` or `{ id }`: spreads in
  // object literals cost a runtime call each, and this runs per request.
  for (let index = 0; index < list.length; index++) {
    const o = list[index];
    if (o === undefined || o.staffId !== staffId) continue;
    // Optional fields are read as own properties: a polluted Object.prototype must not expire,
    // extend or rename an override (see storedField).
    const id = own(o, 'id');
    const expiresAt = own(o, 'expiresAt');
    const reviewBy = own(o, 'reviewBy');
    if (expiresAt !== undefined && toEpochMs(expiresAt) <= at) {
      const entry: Mutable<IgnoredOverride> = { index, staffId: o.staffId, reason: 'expired', expiresAt, message: `expired at ${expiresAt}` };
      if (id !== undefined) entry.id = id;
      ignored.push(entry);
      continue;
    }
    const set = setValues(o);
    const next = applySet(state, set);
    const changes: FieldChange[] = [];
    const source: Mutable<Extract<FieldSource, { layer: 'override' }>> = { layer: 'override', staffId: o.staffId, overrideIndex: index };
    if (id !== undefined) source.overrideId = id;
    const effects: ChangeEffect[] = [];
    for (const field of POLICY_FIELDS) {
      if (set[field] === undefined) continue;
      sources[field] = source;
      const effect = classifyChange(field, state, next);
      effects.push(effect);
      changes.push({ field, from: state[field], to: next[field], effect });
    }
    state = next;
    const entry: Mutable<AppliedOverride> = {
      index,
      staffId: o.staffId,
      reason: o.reason,
      effect: overallEffect(effects),
      changes,
      reviewOverdue: reviewBy !== undefined && toEpochMs(reviewBy) <= at,
    };
    if (id !== undefined) entry.id = id;
    if (expiresAt !== undefined) entry.expiresAt = expiresAt;
    if (reviewBy !== undefined) entry.reviewBy = reviewBy;
    applied.push(entry);
  }

  const twoFactor: Mutable<TwoFactorSettings> = { required: state['twoFactor.required'], methods: state['twoFactor.methods'] };
  if (keepMode(base.twoFactor, state['twoFactor.mode'])) twoFactor.mode = state['twoFactor.mode'];
  const ipLockdown: Mutable<IpLockdownSettings> = { enabled: state['ipLockdown.enabled'], allow: state['ipLockdown.allow'] };
  if (keepMode(base.ipLockdown, state['ipLockdown.mode'])) ipLockdown.mode = state['ipLockdown.mode'];
  const hours: Mutable<LoginHoursSettings> = { enabled: state['loginHours.enabled'], timezone: state['loginHours.timezone'], windows: state['loginHours.windows'] };
  if (keepMode(base.loginHours, state['loginHours.mode'])) hours.mode = state['loginHours.mode'];
  const lockout: Mutable<LockoutSettings> = {
    enabled: state['lockout.enabled'],
    maxFailures: state['lockout.maxFailures'],
    windowMinutes: state['lockout.windowMinutes'],
    lockoutMinutes: state['lockout.lockoutMinutes'],
    networkMaxFailures: state['lockout.networkMaxFailures'],
  };
  if (keepMode(base.lockout, state['lockout.mode'])) lockout.mode = state['lockout.mode'];
  const effective: Mutable<EffectivePolicy> = {
    resolvedAt: at,
    loginMethods: state.loginMethods,
    twoFactor: same(base.twoFactor, twoFactor),
    ipLockdown: same(base.ipLockdown, ipLockdown),
    loginHours: same(base.loginHours, hours),
    lockout: same(base.lockout, lockout),
    api: base.api,
    mail: base.mail,
    sources,
    applied,
    ignored,
  };
  // Assigned, not spread into the literal: a spread there turned the result into a slow
  // dictionary-mode object and made freezing it cost about 15 µs per call.
  if (staffId !== undefined) effective.staffId = staffId;
  return deepFreezeShallowValues(effective);
}

type State = PolicyValues;

// Own properties only: a field only Object.prototype supplies is not set.
function own<R extends object, K extends keyof R & string>(record: R | undefined, key: K): R[K] | undefined {
  return record === undefined ? undefined : (storedField(record, key) as R[K] | undefined);
}

/** The values an override's `set` names, each read once as an own property; `undefined` where it names none. */
type SetValues = { readonly [F in PolicyField]: PolicyValues[F] | undefined };

function setValues(o: StaffOverride): SetValues {
  const s = o.set;
  const twoFactor = own(s, 'twoFactor');
  const ipLockdown = own(s, 'ipLockdown');
  const loginHours = own(s, 'loginHours');
  const lockout = own(s, 'lockout');
  return {
    loginMethods: own(s, 'loginMethods'),
    'twoFactor.required': own(twoFactor, 'required'),
    'twoFactor.methods': own(twoFactor, 'methods'),
    'twoFactor.mode': own(twoFactor, 'mode'),
    'ipLockdown.enabled': own(ipLockdown, 'enabled'),
    'ipLockdown.allow': own(ipLockdown, 'allow'),
    'ipLockdown.mode': own(ipLockdown, 'mode'),
    'loginHours.enabled': own(loginHours, 'enabled'),
    'loginHours.timezone': own(loginHours, 'timezone'),
    'loginHours.windows': own(loginHours, 'windows'),
    'loginHours.mode': own(loginHours, 'mode'),
    'lockout.enabled': own(lockout, 'enabled'),
    'lockout.maxFailures': own(lockout, 'maxFailures'),
    'lockout.windowMinutes': own(lockout, 'windowMinutes'),
    'lockout.lockoutMinutes': own(lockout, 'lockoutMinutes'),
    'lockout.mode': own(lockout, 'mode'),
  };
}

function applySet(state: State, s: SetValues): State {
  return {
    loginMethods: s.loginMethods ?? state.loginMethods,
    'twoFactor.required': s['twoFactor.required'] ?? state['twoFactor.required'],
    'twoFactor.methods': s['twoFactor.methods'] ?? state['twoFactor.methods'],
    'twoFactor.mode': s['twoFactor.mode'] ?? state['twoFactor.mode'],
    'ipLockdown.enabled': s['ipLockdown.enabled'] ?? state['ipLockdown.enabled'],
    'ipLockdown.allow': s['ipLockdown.allow'] ?? state['ipLockdown.allow'],
    'ipLockdown.mode': s['ipLockdown.mode'] ?? state['ipLockdown.mode'],
    'loginHours.enabled': s['loginHours.enabled'] ?? state['loginHours.enabled'],
    'loginHours.timezone': s['loginHours.timezone'] ?? state['loginHours.timezone'],
    'loginHours.windows': s['loginHours.windows'] ?? state['loginHours.windows'],
    'loginHours.mode': s['loginHours.mode'] ?? state['loginHours.mode'],
    'lockout.enabled': s['lockout.enabled'] ?? state['lockout.enabled'],
    'lockout.maxFailures': s['lockout.maxFailures'] ?? state['lockout.maxFailures'],
    'lockout.windowMinutes': s['lockout.windowMinutes'] ?? state['lockout.windowMinutes'],
    'lockout.lockoutMinutes': s['lockout.lockoutMinutes'] ?? state['lockout.lockoutMinutes'],
    'lockout.mode': s['lockout.mode'] ?? state['lockout.mode'],
    'lockout.networkMaxFailures': state['lockout.networkMaxFailures'],
    'api.ipAllowlist.enabled': state['api.ipAllowlist.enabled'],
    'api.ipAllowlist.allow': state['api.ipAllowlist.allow'],
    'api.maxKeyLifetimeDays': state['api.maxKeyLifetimeDays'],
    'mail.excluded': state['mail.excluded'],
  };
}

// The effective group carries `mode` like a parsed account does: only when report-only (or
// when the account's own group spells it, so an unchanged group stays the account's object).
function keepMode(base: { readonly mode?: RuleMode }, mode: RuleMode): boolean {
  return mode === 'report' || own(base, 'mode') !== undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function same<T extends object>(original: T, next: T): T {
  const keys = Object.keys(next) as (keyof T)[];
  return keys.length === Object.keys(original).length && keys.every((k) => original[k] === next[k]) ? original : next;
}

function deepFreezeShallowValues<T extends object>(value: T): T {
  // Arrays and nested objects either come from frozen parsed input or are built here.
  for (const v of Object.values(value)) {
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
      deepFreezeShallowValues(v);
    }
  }
  return Object.freeze(value);
}
