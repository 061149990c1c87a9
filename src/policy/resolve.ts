import { StaffgateError } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { compileLoginHours, isWithinLoginHours } from '../hours/index.js';
import { isParsedAccount, isParsedOverride, parseAccountPolicy, parseStaffOverride } from './parse.js';
import { ipCoverageGrows } from './ip-coverage.js';
import type { AccountPolicy, LoginHoursSettings, LoginWindow, StaffOverride } from './schema.js';

/** A field an override can replace, named by its dotted path. */
export type PolicyField =
  | 'loginMethods'
  | 'twoFactor.required'
  | 'twoFactor.methods'
  | 'ipLockdown.enabled'
  | 'ipLockdown.allow'
  | 'loginHours.enabled'
  | 'loginHours.timezone'
  | 'loginHours.windows';

/** Every overridable field, in a stable order. */
export const POLICY_FIELDS: readonly PolicyField[] = [
  'loginMethods',
  'twoFactor.required',
  'twoFactor.methods',
  'ipLockdown.enabled',
  'ipLockdown.allow',
  'loginHours.enabled',
  'loginHours.timezone',
  'loginHours.windows',
];

/** Where an effective value came from: the account default, or one override. */
export type FieldSource =
  | { readonly layer: 'account' }
  | { readonly layer: 'override'; readonly staffId: string; readonly overrideIndex: number; readonly overrideId?: string };

/**
 * What a change does to security. `weakening`: it allows something the previous value denied
 * (turning IP lockdown or 2FA off, adding a method, widening hours or the allowlist, moving the
 * hours to another zone). `strengthening`: it only denies more. `neutral`: no effect.
 */
export type ChangeEffect = 'weakening' | 'strengthening' | 'neutral';

export type FieldValue = boolean | string | readonly string[] | readonly LoginWindow[];

/** One field an override changed, with the value before and after it and its effect. */
export interface FieldChange {
  readonly field: PolicyField;
  readonly from: FieldValue;
  readonly to: FieldValue;
  readonly effect: ChangeEffect;
}

/** An override that took effect. */
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

/** An override that had no effect, and why. */
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
 * const policy = resolvePolicy(account, [roadUserOverride], { at: new Date() });
 * policy.ipLockdown.enabled;            // false for the road user
 * policy.sources['ipLockdown.enabled']; // { layer: 'override', staffId: 'u_42', overrideIndex: 0 }
 * policy.applied[0]?.effect;            // 'weakening'
 * ```
 */
export function resolvePolicy(account: AccountPolicy, overrides: readonly StaffOverride[], options: ResolveOptions): EffectivePolicy {
  const at = toEpochMs(options.at);
  if (Number.isNaN(at)) throw new StaffgateError('invalid_instant', 'is not a valid instant (a Date, epoch ms, or ISO 8601 with an offset)', { path: ['at'] });
  const base = isParsedAccount(account) ? account : parseAccountPolicy(account);
  const list = overrides.map((o, i) => {
    try {
      return isParsedOverride(o) ? o : parseStaffOverride(o);
    } catch (err) {
      throw err instanceof StaffgateError ? err.withPathPrefix(['overrides', i]) : err;
    }
  });

  let staffId = options.staffId;
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

  let state: State = {
    loginMethods: base.loginMethods,
    'twoFactor.required': base.twoFactor.required,
    'twoFactor.methods': base.twoFactor.methods,
    'ipLockdown.enabled': base.ipLockdown.enabled,
    'ipLockdown.allow': base.ipLockdown.allow,
    'loginHours.enabled': base.loginHours.enabled,
    'loginHours.timezone': base.loginHours.timezone,
    'loginHours.windows': base.loginHours.windows,
  };
  const sources: Record<PolicyField, FieldSource> = Object.fromEntries(POLICY_FIELDS.map((f) => [f, ACCOUNT])) as Record<PolicyField, FieldSource>;
  const applied: AppliedOverride[] = [];
  const ignored: IgnoredOverride[] = [];

  for (const [index, o] of list.entries()) {
    if (o.staffId !== staffId) continue;
    const ident = o.id === undefined ? {} : { id: o.id };
    if (o.expiresAt !== undefined && toEpochMs(o.expiresAt) <= at) {
      ignored.push({ index, staffId: o.staffId, ...ident, reason: 'expired', expiresAt: o.expiresAt, message: `expired at ${o.expiresAt}` });
      continue;
    }
    const next = applySet(state, o);
    const changes: FieldChange[] = [];
    const source: FieldSource = { layer: 'override', staffId: o.staffId, overrideIndex: index, ...(o.id === undefined ? {} : { overrideId: o.id }) };
    for (const field of POLICY_FIELDS) {
      if (!named(o, field)) continue;
      sources[field] = source;
      changes.push({ field, from: state[field], to: next[field], effect: classify(field, state, next) });
    }
    state = next;
    applied.push({
      index,
      staffId: o.staffId,
      ...ident,
      reason: o.reason,
      effect: overall(changes.map((c) => c.effect)),
      changes,
      ...(o.expiresAt === undefined ? {} : { expiresAt: o.expiresAt }),
      ...(o.reviewBy === undefined ? {} : { reviewBy: o.reviewBy }),
      reviewOverdue: o.reviewBy !== undefined && toEpochMs(o.reviewBy) <= at,
    });
  }

  const hours: LoginHoursSettings = {
    enabled: state['loginHours.enabled'],
    timezone: state['loginHours.timezone'],
    windows: state['loginHours.windows'],
  };
  const effective: EffectivePolicy = {
    ...(staffId === undefined ? {} : { staffId }),
    resolvedAt: at,
    loginMethods: state.loginMethods,
    twoFactor: same(base.twoFactor, { required: state['twoFactor.required'], methods: state['twoFactor.methods'] }),
    ipLockdown: same(base.ipLockdown, { enabled: state['ipLockdown.enabled'], allow: state['ipLockdown.allow'] }),
    loginHours: same(base.loginHours, hours),
    api: base.api,
    mail: base.mail,
    sources,
    applied,
    ignored,
  };
  return deepFreezeShallowValues(effective);
}

interface State {
  loginMethods: AccountPolicy['loginMethods'];
  'twoFactor.required': boolean;
  'twoFactor.methods': AccountPolicy['twoFactor']['methods'];
  'ipLockdown.enabled': boolean;
  'ipLockdown.allow': readonly string[];
  'loginHours.enabled': boolean;
  'loginHours.timezone': string;
  'loginHours.windows': readonly LoginWindow[];
}

function applySet(state: State, o: StaffOverride): State {
  const s = o.set;
  return {
    loginMethods: s.loginMethods ?? state.loginMethods,
    'twoFactor.required': s.twoFactor?.required ?? state['twoFactor.required'],
    'twoFactor.methods': s.twoFactor?.methods ?? state['twoFactor.methods'],
    'ipLockdown.enabled': s.ipLockdown?.enabled ?? state['ipLockdown.enabled'],
    'ipLockdown.allow': s.ipLockdown?.allow ?? state['ipLockdown.allow'],
    'loginHours.enabled': s.loginHours?.enabled ?? state['loginHours.enabled'],
    'loginHours.timezone': s.loginHours?.timezone ?? state['loginHours.timezone'],
    'loginHours.windows': s.loginHours?.windows ?? state['loginHours.windows'],
  };
}

function named(o: StaffOverride, field: PolicyField): boolean {
  const s = o.set;
  switch (field) {
    case 'loginMethods':
      return s.loginMethods !== undefined;
    case 'twoFactor.required':
      return s.twoFactor?.required !== undefined;
    case 'twoFactor.methods':
      return s.twoFactor?.methods !== undefined;
    case 'ipLockdown.enabled':
      return s.ipLockdown?.enabled !== undefined;
    case 'ipLockdown.allow':
      return s.ipLockdown?.allow !== undefined;
    case 'loginHours.enabled':
      return s.loginHours?.enabled !== undefined;
    case 'loginHours.timezone':
      return s.loginHours?.timezone !== undefined;
    case 'loginHours.windows':
      return s.loginHours?.windows !== undefined;
  }
}

function classify(field: PolicyField, before: State, after: State): ChangeEffect {
  switch (field) {
    case 'twoFactor.required':
    case 'ipLockdown.enabled':
    case 'loginHours.enabled':
      return switchEffect(before[field], after[field]);
    case 'loginMethods':
    case 'twoFactor.methods':
      return setEffect(before[field], after[field]);
    case 'ipLockdown.allow': {
      if (sameList(before[field], after[field])) return 'neutral';
      if (ipCoverageGrows(before[field], after[field])) return 'weakening';
      return ipCoverageGrows(after[field], before[field]) ? 'strengthening' : 'neutral';
    }
    case 'loginHours.timezone':
      return before[field] === after[field] ? 'neutral' : 'weakening';
    case 'loginHours.windows': {
      const a = weeklyMinutes(before[field]);
      const b = weeklyMinutes(after[field]);
      let grows = false;
      let shrinks = false;
      for (let i = 0; i < a.length; i++) {
        if (b[i] === 1 && a[i] === 0) grows = true;
        if (a[i] === 1 && b[i] === 0) shrinks = true;
      }
      return grows ? 'weakening' : shrinks ? 'strengthening' : 'neutral';
    }
  }
}

function switchEffect(before: boolean, after: boolean): ChangeEffect {
  return before === after ? 'neutral' : after ? 'strengthening' : 'weakening';
}

function setEffect(before: readonly string[], after: readonly string[]): ChangeEffect {
  const b = new Set(before);
  const a = new Set(after);
  for (const x of a) if (!b.has(x)) return 'weakening';
  for (const x of b) if (!a.has(x)) return 'strengthening';
  return 'neutral';
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function overall(effects: readonly ChangeEffect[]): ChangeEffect {
  if (effects.includes('weakening')) return 'weakening';
  if (effects.includes('strengthening')) return 'strengthening';
  return 'neutral';
}

// Which minutes of a week a set of windows covers, read in UTC where a week is periodic. The
// login-hours engine itself answers, so overnight windows and start == end mean exactly what
// they mean at login time. Cached per (frozen) windows array.
const WEEK_MINUTES = 7 * 24 * 60;
const MONDAY_2024_01_01 = Date.UTC(2024, 0, 1);
const coverageCache = new WeakMap<readonly LoginWindow[], Uint8Array>();

function weeklyMinutes(windows: readonly LoginWindow[]): Uint8Array {
  const cached = coverageCache.get(windows);
  if (cached) return cached;
  const compiled = compileLoginHours({ timezone: 'UTC', windows });
  const bits = new Uint8Array(WEEK_MINUTES);
  for (let m = 0; m < WEEK_MINUTES; m++) bits[m] = isWithinLoginHours(compiled, MONDAY_2024_01_01 + m * 60_000) ? 1 : 0;
  coverageCache.set(windows, bits);
  return bits;
}

function same<T extends object>(original: T, next: T): T {
  return (Object.keys(next) as (keyof T)[]).every((k) => original[k] === next[k]) ? original : next;
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
