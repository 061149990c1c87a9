import { compiledMailList } from '../policy/mail-coverage.js';
import { ensureAccount } from '../policy/parse.js';
import { classifyChange, policyValues, POLICY_PATHS, sameValue, type ChangeEffect, type PolicyPath, type PolicyValues } from '../policy/effect.js';
import type { AccountPolicy, LoginWindow } from '../policy/schema.js';

/**
 * A settings value as a diff reports it: `null` for a setting that is not set
 * (`api.maxKeyLifetimeDays`), so every value survives a JSON audit log.
 *
 * @example
 * ```ts
 * const [change] = diffPolicies(parseAccountPolicy({}), parseAccountPolicy({ api: { maxKeyLifetimeDays: 90 } }));
 * const before: DiffValue | undefined = change?.from; // null: no limit was set
 * ```
 */
export type DiffValue = boolean | number | string | null | readonly string[] | readonly LoginWindow[];

/**
 * One field that differs between two account policies, with a ready-made line for the audit
 * log and its effect on security for a "you are about to weaken…" confirmation.
 *
 * @example
 * ```ts
 * const changes: PolicyChange[] = diffPolicies(saved, edited);
 * const weakening = changes.filter((c) => c.effect === 'weakening').map((c) => c.message);
 * // ['IP lockdown: on → off']
 * ```
 */
export interface PolicyChange {
  /** Dotted path of the field, e.g. `ipLockdown.allow`. */
  readonly path: PolicyPath;
  readonly from: DiffValue;
  readonly to: DiffValue;
  /** What the change does to security, with the same rules `resolvePolicy` uses for overrides. */
  readonly effect: ChangeEffect;
  /** One line in plain words for the audit log, e.g. `IP lockdown: on → off`. */
  readonly message: string;
}

const LABELS: Record<PolicyPath, string> = {
  loginMethods: 'Login methods',
  'twoFactor.required': '2FA required',
  'twoFactor.methods': 'Second factors allowed',
  'twoFactor.mode': '2FA mode',
  'ipLockdown.enabled': 'IP lockdown',
  'ipLockdown.allow': 'IP allowlist',
  'ipLockdown.mode': 'IP lockdown mode',
  'loginHours.enabled': 'Login hours',
  'loginHours.timezone': 'Login hours time zone',
  'loginHours.windows': 'Login hours windows',
  'loginHours.mode': 'Login hours mode',
  'lockout.enabled': 'Lockout',
  'lockout.maxFailures': 'Failures before a lockout',
  'lockout.windowMinutes': 'Lockout counting window (minutes)',
  'lockout.lockoutMinutes': 'Lockout duration (minutes)',
  'lockout.mode': 'Lockout mode',
  'lockout.networkMaxFailures': 'Failures per network before it is throttled',
  'api.ipAllowlist.enabled': 'API IP allowlist',
  'api.ipAllowlist.allow': 'API IP allowlist entries',
  'api.maxKeyLifetimeDays': 'Longest API key lifetime (days)',
  'mail.excluded': 'Mail exclusions',
};

/**
 * Lists every setting that differs between two account policies, in a stable order, each with
 * its old and new value and whether it weakens or strengthens security, for the audit log and
 * for a "you are about to weaken…" confirmation. A reordered list is a change (`neutral` when it
 * allows the same). Rule modes are compared as `enforce` when absent. Raw JSON is parsed first.
 *
 * @throws {StaffgateError} when either policy is invalid (the path is prefixed with `before` or `after`).
 * @example
 * ```ts
 * const changes = diffPolicies(saved, edited);
 * // [{ path: 'ipLockdown.enabled', from: true, to: false, effect: 'weakening', message: 'IP lockdown: on → off' }]
 * auditLog.write({ actor, changes });
 * ```
 */
export function diffPolicies(before: AccountPolicy, after: AccountPolicy): PolicyChange[] {
  const a = policyValues(ensureAccount(before, ['before']));
  const b = policyValues(ensureAccount(after, ['after']));
  const changes: PolicyChange[] = [];
  for (const path of POLICY_PATHS) {
    if (sameValue(path, a, b)) continue;
    const from = diffValue(a, path);
    const to = diffValue(b, path);
    const words = path === 'mail.excluded' ? describeMail(a[path], b[path]) : describe(from, to);
    changes.push({ path, from, to, effect: classifyChange(path, a, b), message: `${LABELS[path]}: ${words}` });
  }
  return changes;
}

function diffValue(values: PolicyValues, path: PolicyPath): DiffValue {
  return values[path] ?? null;
}

function describe(from: DiffValue, to: DiffValue): string {
  if (isStringList(from) && isStringList(to)) return describeList(listChanges(from, to));
  return `${text(from)} → ${text(to)}`;
}

// Entries of `to` not in `from`, and of `from` not in `to`, each in list order. (Sets: a mail
// exclusion list may hold a thousand entries.)
function listChanges(from: readonly string[], to: readonly string[]): { added: string[]; removed: string[] } {
  const before = new Set(from);
  const after = new Set(to);
  return { added: to.filter((x) => !before.has(x)), removed: from.filter((x) => !after.has(x)) };
}

function describeList({ added, removed }: { added: string[]; removed: string[] }): string {
  const parts = [added.length > 0 ? `added ${added.join(', ')}` : '', removed.length > 0 ? `removed ${removed.join(', ')}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'reordered';
}

// Mail exclusions in the normal form they are compared in, so that `CEO@Acme.test` replaced
// by `ceo@acme.test` (or `Jane <ceo@acme.test>`) reads as one entry written differently, not
// as one added and one removed.
function describeMail(from: readonly string[], to: readonly string[]): string {
  const normal = listChanges(compiledMailList(from).entries, compiledMailList(to).entries);
  const parts = normal.added.length > 0 || normal.removed.length > 0 ? [describeList(normal)] : [];
  const rewritten = respelled(from, to);
  if (rewritten.length > 0) parts.push(`${rewritten.join(', ')} (the same mail)`);
  if (parts.length > 0) return parts.join('; ');
  const raw = listChanges(from, to);
  const reordered = from.length === to.length && raw.added.length === 0 && raw.removed.length === 0;
  return reordered ? 'reordered' : 'same entries, written differently';
}

// Entries of `from` that `to` no longer spells the same way but still holds in normal form,
// each as "old written as new" (the first new spelling of that entry).
function respelled(from: readonly string[], to: readonly string[]): string[] {
  const kept = new Set(to);
  const before = new Set(from);
  const spellings = new Map<string, string>();
  for (const entry of to) {
    if (before.has(entry)) continue;
    const key = normalEntry(entry);
    if (key !== undefined && !spellings.has(key)) spellings.set(key, entry);
  }
  const out: string[] = [];
  for (const entry of from) {
    if (kept.has(entry)) continue;
    const key = normalEntry(entry);
    const now = key === undefined ? undefined : spellings.get(key);
    if (now !== undefined) out.push(`${entry} written as ${now}`);
  }
  return out;
}

function normalEntry(entry: string): string | undefined {
  return compiledMailList([entry]).entries[0];
}

function isStringList(value: DiffValue): value is readonly string[] {
  return Array.isArray(value) && value.every((x) => typeof x === 'string');
}

function text(value: DiffValue): string {
  if (value === null) return 'not set';
  if (value === true) return 'on';
  if (value === false) return 'off';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (value.length === 0) return 'none';
  return value.map((w) => (typeof w === 'string' ? w : `${w.days.join(',')} ${w.start}–${w.end}`)).join('; ');
}
