import { StaffgateError } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { storedField } from '../stored.js';
import { ensureAccount, ensureOverrides } from './parse.js';
import { classifyChange, overallEffect, policyValues, POLICY_FIELDS, type ChangeEffect, type PolicyField, type PolicyValues } from './effect.js';
import type { AccountPolicy, IpLockdownSettings, LockoutSettings, LoginHoursSettings, LoginWindow, OverrideSet, PolicyLayer, RuleMode, StaffOverride, TwoFactorSettings } from './schema.js';

/**
 * Where an effective value came from: the account default, a layer for a role or team, or one
 * override. Show it next to a setting ("set by an exception for u_42") or in a login's audit
 * detail.
 *
 * @example
 * ```ts
 * const source: FieldSource = policy.sources['ipLockdown.enabled'];
 * const label =
 *   source.layer === 'account' ? 'account default'
 *   : source.layer === 'layer' ? `layer ${source.layerId}`
 *   : `override ${source.overrideId ?? `#${source.overrideIndex}`} of ${source.staffId}`;
 * ```
 */
export type FieldSource =
  | { readonly layer: 'account' }
  | { readonly layer: 'layer'; readonly layerId: string; readonly layerIndex: number }
  | { readonly layer: 'override'; readonly staffId: string; readonly overrideIndex: number; readonly overrideId?: string };

const ACCOUNT: FieldSource = Object.freeze({ layer: 'account' });

/**
 * The staff member's roles and teams, so {@link resolvePolicy} can apply the account's layers
 * that target them: the same role and team (group) ids `resolveAccess` uses.
 *
 * @example
 * ```ts
 * const member: PolicyMember = { roles: [staff.roleId], teams: staff.groupIds };
 * const policy = resolvePolicy(account, overrides, { at: now, member });
 * ```
 */
export interface PolicyMember {
  readonly roles?: readonly string[];
  readonly teams?: readonly string[];
}

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
  readonly kind: 'override';
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
 * A layer that applied to the resolved person, with what it changed (from the account's value,
 * or an earlier layer's), why it applied (the roles and teams that matched) and its review state.
 *
 * @example
 * ```ts
 * for (const a of policy.applied) {
 *   if (a.kind === 'layer') console.log(`layer ${a.id} (${a.effect}) for ${[...a.matched.roles, ...a.matched.teams].join(', ')}`);
 * }
 * ```
 */
export interface AppliedLayer {
  readonly kind: 'layer';
  /** Position in the account's `layers`. */
  readonly index: number;
  readonly id: string;
  readonly reason: string;
  readonly effect: ChangeEffect;
  readonly changes: readonly FieldChange[];
  /** The person's roles and teams the layer targets. */
  readonly matched: { readonly roles: readonly string[]; readonly teams: readonly string[] };
  readonly expiresAt?: string;
  readonly reviewBy?: string;
  readonly reviewOverdue: boolean;
}

/**
 * A layer or an override that took effect, in the order they were applied: layers (in the
 * account's order), then the person's overrides.
 *
 * @example
 * ```ts
 * const label = (a: AppliedRule): string => (a.kind === 'layer' ? `layer ${a.id}` : `override of ${a.staffId}`);
 * console.log(policy.applied.map(label).join(' → '));
 * ```
 */
export type AppliedRule = AppliedLayer | AppliedOverride;

/**
 * A layer the person is in that had no effect at the instant of resolution: it has expired.
 *
 * @example
 * ```ts
 * for (const g of policy.ignored) if (g.kind === 'layer') console.log(`layer ${g.id}: ${g.message}`);
 * ```
 */
export interface IgnoredLayer {
  readonly kind: 'layer';
  readonly index: number;
  readonly id: string;
  readonly reason: 'expired';
  readonly message: string;
  readonly expiresAt: string;
}

/**
 * A layer or an override that had no effect at the instant of resolution.
 *
 * @example
 * ```ts
 * const stale: IgnoredRule[] = policy.ignored.filter((g) => g.reason === 'expired');
 * ```
 */
export type IgnoredRule = IgnoredLayer | IgnoredOverride;

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
  readonly kind: 'override';
  readonly index: number;
  readonly staffId: string;
  readonly id?: string;
  readonly reason: 'expired';
  readonly message: string;
  readonly expiresAt: string;
}

/**
 * The rules that hold for one staff member at one instant: the account defaults with the
 * layers of that person's roles and teams, then that person's live overrides, applied. It is
 * plain, frozen data (fields from {@link AccountPolicy}) plus the provenance of every
 * overridable field.
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
  /** The layers, then the overrides, that took effect, in the order they were applied. */
  readonly applied: readonly AppliedRule[];
  /** The layers the person is in, and the overrides, that had expired. */
  readonly ignored: readonly IgnoredRule[];
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
  /**
   * The person's roles and teams: the account's layers that target any of them apply. Without
   * it no layer applies, and the result is what it was before layers existed.
   */
  readonly member?: PolicyMember;
}

/**
 * Merges the account defaults with the layers of the person's roles and teams (with
 * `member`) and then with one staff member's overrides. Fields named in a layer's or an
 * override's `set` replace the value before them (arrays replace whole); layers apply in the
 * account's order, then overrides in theirs, so a later one wins. A layer or override whose
 * `expiresAt` is at or before `at` has no effect and is listed in `ignored`. Raw JSON is
 * accepted too and validated on the way in.
 *
 * @throws {StaffgateError} `invalid_instant` for an invalid `at`; `invalid_option` when the
 *   overrides belong to different staff and no `staffId` was given, or `member` is not
 *   `{ roles?, teams? }` of string ids; parse errors for raw input.
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
  const applied: AppliedRule[] = [];
  const ignored: IgnoredRule[] = [];

  // Layers first, in the account's order, for a person in them.
  const member = options.member === undefined ? undefined : readMember(options.member);
  if (member !== undefined) {
    const compiled = compiledLayers(base);
    for (const index of memberLayers(compiled, member)) {
      const layer = compiled.views[index];
      if (layer === undefined) continue;
      const { expiresAt, reviewBy } = layer;
      if (expiresAt !== undefined && toEpochMs(expiresAt) <= at) {
        ignored.push({ kind: 'layer', index, id: layer.id, reason: 'expired', expiresAt, message: `expired at ${expiresAt}` });
        continue;
      }
      const step = apply(state, compiled.sets[index] ?? setValues(layer.set), compiled.sources[index] ?? ACCOUNT, sources);
      state = step.next;
      const entry: Mutable<AppliedLayer> = {
        kind: 'layer',
        index,
        id: layer.id,
        reason: layer.reason,
        effect: step.effect,
        changes: step.changes,
        matched: matchedBy(layer, member),
        reviewOverdue: reviewBy !== undefined && toEpochMs(reviewBy) <= at,
      };
      if (expiresAt !== undefined) entry.expiresAt = expiresAt;
      if (reviewBy !== undefined) entry.reviewBy = reviewBy;
      applied.push(Object.freeze(entry));
    }
  }

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
      const entry: Mutable<IgnoredOverride> = { kind: 'override', index, staffId: o.staffId, reason: 'expired', expiresAt, message: `expired at ${expiresAt}` };
      if (id !== undefined) entry.id = id;
      ignored.push(entry);
      continue;
    }
    const source: Mutable<Extract<FieldSource, { layer: 'override' }>> = { layer: 'override', staffId: o.staffId, overrideIndex: index };
    if (id !== undefined) source.overrideId = id;
    const step = apply(state, setValues(o.set), source, sources);
    state = step.next;
    const entry: Mutable<AppliedOverride> = {
      kind: 'override',
      index,
      staffId: o.staffId,
      reason: o.reason,
      effect: step.effect,
      changes: step.changes,
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

/** Applies one layer's or override's set to `state`, pointing `sources` at `source` for each field it names. */
function apply(state: State, set: SetValues, source: FieldSource, sources: Record<PolicyField, FieldSource>): { next: State; changes: FieldChange[]; effect: ChangeEffect } {
  const next = applySet(state, set);
  const changes: FieldChange[] = [];
  const effects: ChangeEffect[] = [];
  for (const field of POLICY_FIELDS) {
    if (set[field] === undefined) continue;
    sources[field] = source;
    const effect = classifyChange(field, state, next);
    effects.push(effect);
    // Frozen as they are made: the final deep freeze then skips them instead of walking them.
    changes.push(Object.freeze({ field, from: state[field], to: next[field], effect }));
  }
  return { next, changes: Object.freeze(changes) as FieldChange[], effect: overallEffect(effects) };
}

/** The account's layers, indexed by the roles and teams they target, and their sets read once. */
interface CompiledLayers {
  readonly byRole: ReadonlyMap<string, readonly number[]>;
  readonly byTeam: ReadonlyMap<string, readonly number[]>;
  readonly sets: readonly SetValues[];
  readonly sources: readonly FieldSource[];
  readonly views: readonly LayerView[];
}

/**
 * @internal One layer of an account, every field read as an own property (see storedField):
 * a polluted `Object.prototype` can neither expire a layer, retarget it, nor add one.
 */
export interface LayerView {
  readonly index: number;
  readonly id: string;
  readonly reason: string;
  readonly roles: readonly string[];
  readonly teams: readonly string[];
  readonly appliesTo: PolicyLayer['appliesTo'];
  readonly set: OverrideSet;
  // Always own properties, `undefined` when unset: a read never falls through to the prototype.
  readonly expiresAt: string | undefined;
  readonly reviewBy: string | undefined;
}

/** @internal The account's layers as {@link LayerView}s, read once per parsed account. */
export function accountLayers(account: AccountPolicy): readonly LayerView[] {
  return compiledLayers(account).views;
}

function viewOf(layer: PolicyLayer, index: number): LayerView {
  const appliesTo = own(layer, 'appliesTo') ?? {};
  const roles = own(appliesTo, 'roles') ?? [];
  const teams = own(appliesTo, 'teams') ?? [];
  return Object.freeze({
    index,
    id: layer.id,
    reason: layer.reason,
    roles,
    teams,
    appliesTo: Object.freeze({ ...(roles.length > 0 ? { roles } : {}), ...(teams.length > 0 ? { teams } : {}) }),
    set: own(layer, 'set') ?? {},
    expiresAt: own(layer, 'expiresAt'),
    reviewBy: own(layer, 'reviewBy'),
  });
}

// Keyed by the parsed (frozen) account: compiled once, then a person's layers are a few map
// lookups however many layers the account has.
const compiledByAccount = new WeakMap<AccountPolicy, CompiledLayers>();

function compiledLayers(account: AccountPolicy): CompiledLayers {
  const cached = compiledByAccount.get(account);
  if (cached !== undefined) return cached;
  const views = (own(account, 'layers') ?? []).map(viewOf);
  const byRole = new Map<string, number[]>();
  const byTeam = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, ids: readonly string[] | undefined, index: number): void => {
    for (const id of ids ?? []) {
      const list = map.get(id);
      if (list === undefined) map.set(id, [index]);
      else if (list[list.length - 1] !== index) list.push(index);
    }
  };
  for (const v of views) {
    add(byRole, v.roles, v.index);
    add(byTeam, v.teams, v.index);
  }
  const compiled: CompiledLayers = {
    byRole,
    byTeam,
    sets: views.map((v) => setValues(v.set)),
    sources: views.map((v) => Object.freeze({ layer: 'layer' as const, layerId: v.id, layerIndex: v.index })),
    views,
  };
  compiledByAccount.set(account, compiled);
  return compiled;
}

/** The member's roles and teams, checked: a host's mistake here throws, naming the field. */
interface Member {
  readonly roles: readonly string[];
  readonly teams: readonly string[];
}

function readMember(value: PolicyMember): Member {
  const member: unknown = value;
  if (typeof member !== 'object' || member === null || Array.isArray(member)) {
    throw new StaffgateError('invalid_option', 'must be an object { roles?, teams? }', { path: ['member'] });
  }
  return { roles: idList(storedField(member, 'roles'), 'roles'), teams: idList(storedField(member, 'teams'), 'teams') };
}

function idList(value: unknown, name: 'roles' | 'teams'): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new StaffgateError('invalid_option', `must be an array of ${name === 'roles' ? 'role' : 'team'} ids`, { path: ['member', name] });
  const ids = value as readonly unknown[];
  for (let i = 0; i < ids.length; i++) {
    if (typeof ids[i] !== 'string') throw new StaffgateError('invalid_option', 'must be a string id', { path: ['member', name, i] });
  }
  return ids as readonly string[];
}

/** Indexes of the layers a member is in, ascending (the order they apply in), each once. */
function memberLayers(compiled: CompiledLayers, member: Member): number[] {
  const out: number[] = [];
  const collect = (map: ReadonlyMap<string, readonly number[]>, ids: readonly string[]): void => {
    for (const id of ids) for (const index of map.get(id) ?? []) out.push(index);
  };
  collect(compiled.byRole, member.roles);
  collect(compiled.byTeam, member.teams);
  if (out.length < 2) return out;
  out.sort((x, y) => x - y);
  let n = 1;
  for (let i = 1; i < out.length; i++) if (out[i] !== out[n - 1]) out[n++] = out[i] ?? 0;
  out.length = n;
  return out;
}

const NONE: readonly string[] = Object.freeze([]);

function matchedBy(layer: LayerView, member: Member): AppliedLayer['matched'] {
  return Object.freeze({ roles: common(layer.roles, member.roles), teams: common(layer.teams, member.teams) });
}

// The ids of `targets` the member has, in the layer's order (both lists are short).
function common(targets: readonly string[] | undefined, mine: readonly string[]): readonly string[] {
  if (targets === undefined || mine.length === 0) return NONE;
  const out = targets.filter((id) => mine.includes(id));
  return out.length === 0 ? NONE : Object.freeze(out);
}

// Own properties only: a field only Object.prototype supplies is not set.
function own<R extends object, K extends keyof R & string>(record: R | undefined, key: K): R[K] | undefined {
  return record === undefined ? undefined : (storedField(record, key) as R[K] | undefined);
}

/**
 * @internal The fields a layer's or an override's `set` names, with their values, in the order
 * of POLICY_FIELDS, read as resolvePolicy reads them (own properties only).
 */
export function setEntries(set: OverrideSet): Map<PolicyField, FieldValue> {
  const values = setValues(set);
  const out = new Map<PolicyField, FieldValue>();
  for (const field of POLICY_FIELDS) {
    const v = values[field];
    if (v !== undefined) out.set(field, v);
  }
  return out;
}

/** The values an override's `set` names, each read once as an own property; `undefined` where it names none. */
type SetValues = { readonly [F in PolicyField]: PolicyValues[F] | undefined };

function setValues(s: OverrideSet): SetValues {
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
