// What a change to one settings field does to security. Shared by resolvePolicy (an override's
// changes) and diffPolicies (an edit of the account's settings), so both call the same change
// by the same name.
import { compileLoginHours, isWithinLoginHours } from '../hours/index.js';
import { ipCoverageGrows } from './ip-coverage.js';
import { mailCoverageShrinks } from './mail-coverage.js';
import { storedField } from '../stored.js';
import type { AccountPolicy, LoginMethod, LoginWindow, RuleMode, SecondFactor } from './schema.js';

/**
 * What a change does to security. `weakening`: it allows something the previous value denied
 * (turning IP lockdown or 2FA off, a rule to report-only, adding a method, widening hours or the
 * allowlist, moving the hours to another zone). `strengthening`: it only denies more.
 * `neutral`: no effect.
 *
 * @example
 * ```ts
 * const effect: ChangeEffect = diffPolicies(saved, edited).some((c) => c.effect === 'weakening') ? 'weakening' : 'neutral';
 * if (effect === 'weakening') await requireReauthentication(admin);
 * ```
 */
export type ChangeEffect = 'weakening' | 'strengthening' | 'neutral';

/**
 * A field an override can replace, named by its dotted path: the keys of
 * `EffectivePolicy.sources` and the `field` of each override change.
 *
 * @example
 * ```ts
 * const field: PolicyField = 'loginHours.windows';
 * const fromOverride = policy.sources[field].layer === 'override';
 * ```
 */
export type PolicyField =
  | 'loginMethods'
  | 'twoFactor.required'
  | 'twoFactor.methods'
  | 'twoFactor.mode'
  | 'ipLockdown.enabled'
  | 'ipLockdown.allow'
  | 'ipLockdown.mode'
  | 'loginHours.enabled'
  | 'loginHours.timezone'
  | 'loginHours.windows'
  | 'loginHours.mode'
  | 'lockout.enabled'
  | 'lockout.maxFailures'
  | 'lockout.windowMinutes'
  | 'lockout.lockoutMinutes'
  | 'lockout.mode';

/**
 * Every settings field of an account policy by its dotted path: the overridable ones and the
 * account-wide API and mail settings. {@link diffPolicies} names each change by one.
 *
 * @example
 * ```ts
 * const apiChanged = diffPolicies(saved, edited).some((c) => c.path.startsWith('api.'));
 * const path: PolicyPath = 'mail.excluded';
 * ```
 */
export type PolicyPath = PolicyField | 'lockout.networkMaxFailures' | 'api.ipAllowlist.enabled' | 'api.ipAllowlist.allow' | 'api.maxKeyLifetimeDays' | 'mail.excluded';

/**
 * Every overridable field, in a stable order: iterate it to render a person's effective rules
 * with where each came from.
 *
 * @example
 * ```ts
 * for (const field of POLICY_FIELDS) console.log(field, policy.sources[field].layer);
 * ```
 */
export const POLICY_FIELDS: readonly PolicyField[] = [
  'loginMethods',
  'twoFactor.required',
  'twoFactor.methods',
  'twoFactor.mode',
  'ipLockdown.enabled',
  'ipLockdown.allow',
  'ipLockdown.mode',
  'loginHours.enabled',
  'loginHours.timezone',
  'loginHours.windows',
  'loginHours.mode',
  'lockout.enabled',
  'lockout.maxFailures',
  'lockout.windowMinutes',
  'lockout.lockoutMinutes',
  'lockout.mode',
];

/**
 * Every settings field, in a stable order (the order of `diffPolicies`' output): use it to
 * lay out a settings audit or to check a host's own field labels are complete.
 *
 * @example
 * ```ts
 * const labels: Record<PolicyPath, string> = myLabels;
 * const missing = POLICY_PATHS.filter((path) => !(path in labels));
 * ```
 */
export const POLICY_PATHS: readonly PolicyPath[] = [...POLICY_FIELDS, 'lockout.networkMaxFailures', 'api.ipAllowlist.enabled', 'api.ipAllowlist.allow', 'api.maxKeyLifetimeDays', 'mail.excluded'];

/** The value of each field, flat; a rule's absent `mode` is `'enforce'`, an unset key lifetime `undefined`. */
export interface PolicyValues {
  loginMethods: readonly LoginMethod[];
  'twoFactor.required': boolean;
  'twoFactor.methods': readonly SecondFactor[];
  'twoFactor.mode': RuleMode;
  'ipLockdown.enabled': boolean;
  'ipLockdown.allow': readonly string[];
  'ipLockdown.mode': RuleMode;
  'loginHours.enabled': boolean;
  'loginHours.timezone': string;
  'loginHours.windows': readonly LoginWindow[];
  'loginHours.mode': RuleMode;
  'lockout.enabled': boolean;
  'lockout.maxFailures': number;
  'lockout.windowMinutes': number;
  'lockout.lockoutMinutes': number;
  'lockout.mode': RuleMode;
  'lockout.networkMaxFailures': number;
  'api.ipAllowlist.enabled': boolean;
  'api.ipAllowlist.allow': readonly string[];
  'api.maxKeyLifetimeDays': number | undefined;
  'mail.excluded': readonly string[];
}

/**
 * A rule's mode as an own property: absent is `enforce`, also when a polluted
 * `Object.prototype.mode` says otherwise.
 */
export function ruleMode(rule: { readonly mode?: RuleMode }): RuleMode {
  return storedField(rule, 'mode') === 'report' ? 'report' : 'enforce';
}

/** Flattens a (parsed) policy into one value per path. */
export function policyValues(p: AccountPolicy): PolicyValues {
  return {
    loginMethods: p.loginMethods,
    'twoFactor.required': p.twoFactor.required,
    'twoFactor.methods': p.twoFactor.methods,
    'twoFactor.mode': ruleMode(p.twoFactor),
    'ipLockdown.enabled': p.ipLockdown.enabled,
    'ipLockdown.allow': p.ipLockdown.allow,
    'ipLockdown.mode': ruleMode(p.ipLockdown),
    'loginHours.enabled': p.loginHours.enabled,
    'loginHours.timezone': p.loginHours.timezone,
    'loginHours.windows': p.loginHours.windows,
    'loginHours.mode': ruleMode(p.loginHours),
    'lockout.enabled': p.lockout.enabled,
    'lockout.maxFailures': p.lockout.maxFailures,
    'lockout.windowMinutes': p.lockout.windowMinutes,
    'lockout.lockoutMinutes': p.lockout.lockoutMinutes,
    'lockout.mode': ruleMode(p.lockout),
    'lockout.networkMaxFailures': p.lockout.networkMaxFailures,
    'api.ipAllowlist.enabled': p.api.ipAllowlist.enabled,
    'api.ipAllowlist.allow': p.api.ipAllowlist.allow,
    'api.maxKeyLifetimeDays': storedField(p.api, 'maxKeyLifetimeDays') as number | undefined,
    'mail.excluded': p.mail.excluded,
  };
}

// The switch of the rule each detail field belongs to. A detail (the allowlist, the hours, the
// factors, the mode) only decides logins while its rule is on, so a change to it counts only
// when the rule is on before and after; otherwise the switch's own change carries the effect
// (turning a lockdown on together with its first entries is strengthening, not weakening).
type Rule = 'ipLockdown' | 'loginHours' | 'twoFactor' | 'lockout' | 'api';
const RULE_OF: Partial<Record<PolicyPath, Rule>> = {
  'ipLockdown.allow': 'ipLockdown',
  'ipLockdown.mode': 'ipLockdown',
  'loginHours.timezone': 'loginHours',
  'loginHours.windows': 'loginHours',
  'loginHours.mode': 'loginHours',
  'twoFactor.methods': 'twoFactor',
  'twoFactor.mode': 'twoFactor',
  'lockout.maxFailures': 'lockout',
  'lockout.windowMinutes': 'lockout',
  'lockout.lockoutMinutes': 'lockout',
  'lockout.networkMaxFailures': 'lockout',
  'lockout.mode': 'lockout',
  'api.ipAllowlist.allow': 'api',
};

function ruleDecides(rule: Rule, v: PolicyValues, includingMode: boolean): boolean {
  switch (rule) {
    case 'ipLockdown':
      return v['ipLockdown.enabled'] && (!includingMode || v['ipLockdown.mode'] === 'enforce');
    case 'loginHours':
      return v['loginHours.enabled'] && (!includingMode || v['loginHours.mode'] === 'enforce');
    case 'twoFactor':
      return v['twoFactor.required'] && (!includingMode || v['twoFactor.mode'] === 'enforce');
    case 'lockout':
      return v['lockout.enabled'] && (!includingMode || v['lockout.mode'] === 'enforce');
    case 'api':
      return v['api.ipAllowlist.enabled'];
  }
}

/**
 * The effect of changing `field` from its value in `before` to its value in `after`, the rest
 * of each policy being context: a detail of a rule that is off (or report-only) before or
 * after is `neutral`, because the rule's switch decides then.
 */
export function classifyChange(field: PolicyPath, before: PolicyValues, after: PolicyValues): ChangeEffect {
  const rule = RULE_OF[field];
  if (rule !== undefined) {
    const isMode = field.endsWith('.mode');
    if (!ruleDecides(rule, before, !isMode) || !ruleDecides(rule, after, !isMode)) return 'neutral';
  }
  return fieldEffect(field, before, after);
}

function fieldEffect(field: PolicyPath, before: PolicyValues, after: PolicyValues): ChangeEffect {
  switch (field) {
    case 'twoFactor.required':
    case 'ipLockdown.enabled':
    case 'loginHours.enabled':
    case 'api.ipAllowlist.enabled':
    case 'lockout.enabled':
      return switchEffect(before[field], after[field]);
    case 'twoFactor.mode':
    case 'ipLockdown.mode':
    case 'loginHours.mode':
    case 'lockout.mode':
      return before[field] === after[field] ? 'neutral' : after[field] === 'enforce' ? 'strengthening' : 'weakening';
    case 'loginMethods':
    case 'twoFactor.methods':
      return setEffect(before[field], after[field]);
    case 'mail.excluded': {
      // Exclusions protect: compared by the mail they keep out of the CRM (see mail-coverage).
      if (mailCoverageShrinks(before[field], after[field])) return 'weakening';
      return mailCoverageShrinks(after[field], before[field]) ? 'strengthening' : 'neutral';
    }
    case 'ipLockdown.allow':
    case 'api.ipAllowlist.allow': {
      if (sameList(before[field], after[field])) return 'neutral';
      if (ipCoverageGrows(before[field], after[field])) return 'weakening';
      return ipCoverageGrows(after[field], before[field]) ? 'strengthening' : 'neutral';
    }
    case 'api.maxKeyLifetimeDays': {
      const b = before[field] ?? Number.POSITIVE_INFINITY;
      const a = after[field] ?? Number.POSITIVE_INFINITY;
      return a === b ? 'neutral' : a > b ? 'weakening' : 'strengthening';
    }
    // More failures before a lock, or a lock that ends sooner, lets more guesses through; a
    // shorter window forgets failures sooner, which does too.
    case 'lockout.maxFailures':
    case 'lockout.networkMaxFailures':
      return numberEffect(before[field], after[field], 'higher');
    case 'lockout.windowMinutes':
    case 'lockout.lockoutMinutes':
      return numberEffect(before[field], after[field], 'lower');
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

/** `weakening` if any effect weakens, else `strengthening` if any strengthens, else `neutral`. */
export function overallEffect(effects: readonly ChangeEffect[]): ChangeEffect {
  if (effects.includes('weakening')) return 'weakening';
  if (effects.includes('strengthening')) return 'strengthening';
  return 'neutral';
}

/** True when the field holds the same value in both (arrays element by element, in order). */
export function sameValue(field: PolicyPath, before: PolicyValues, after: PolicyValues): boolean {
  const a = before[field];
  const b = after[field];
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function numberEffect(before: number, after: number, weakerWhen: 'higher' | 'lower'): ChangeEffect {
  if (before === after) return 'neutral';
  return (after > before) === (weakerWhen === 'higher') ? 'weakening' : 'strengthening';
}

function switchEffect(before: boolean, after: boolean): ChangeEffect {
  return before === after ? 'neutral' : after ? 'strengthening' : 'weakening';
}

// A set of things that are allowed: anything new weakens, else anything gone strengthens.
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
