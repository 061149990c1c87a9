import { toEpochMs } from '../instant.js';
import { compiledMailList } from '../policy/mail-coverage.js';
import { ensureAccount } from '../policy/parse.js';
import { classifyChange, overallEffect, policyValues, POLICY_FIELDS, POLICY_PATHS, sameValue, type ChangeEffect, type PolicyPath, type PolicyValues } from '../policy/effect.js';
import { accountLayers, resolvePolicy, setEntries, type LayerView } from '../policy/resolve.js';
import { targetWords } from '../policy/source.js';
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
  /**
   * Dotted path of the field, e.g. `ipLockdown.allow`; for a layer, `layers.<id>` (added,
   * removed, its target, reason or dates) or `layers.<id>.set.<field>`.
   */
  readonly path: PolicyPath | `layers.${string}`;
  /** The id of the layer the change is in, for changes to layers. */
  readonly layer?: string;
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
  return [...changes, ...layerChanges(ensureAccount(before, ['before']), ensureAccount(after, ['after']))];
}

// Layers are matched by id. Their effect is judged for a person in exactly the layer's roles
// and teams (before and after together), resolved at the start of time so every layer is live:
// what the change does to the rules of the people the layer is for.
const EVER = 0;

function layerChanges(before: AccountPolicy, after: AccountPolicy): PolicyChange[] {
  const old = new Map(accountLayers(before).map((l) => [l.id, l]));
  const now = new Map(accountLayers(after).map((l) => [l.id, l]));
  // By id, so a diff lists the same layers whichever way it is taken.
  const ids = [...new Set([...old.keys(), ...now.keys()])].sort();
  const out: PolicyChange[] = [];
  const moves = reordered(before, after, old, now);
  for (const id of ids) {
    const a = old.get(id);
    const b = now.get(id);
    const member = {
      roles: [...new Set([...(a?.roles ?? []), ...(b?.roles ?? [])])],
      teams: [...new Set([...(a?.teams ?? []), ...(b?.teams ?? [])])],
    };
    const va = policyValues(resolvePolicy(before, [], { at: EVER, member }));
    const vb = policyValues(resolvePolicy(after, [], { at: EVER, member }));
    const fieldEffects = POLICY_PATHS.filter((f) => !sameValue(f, va, vb)).map((f) => classifyChange(f, va, vb));
    const overall = overallEffect(fieldEffects);
    const path = `layers.${id}` as const;
    if (a === undefined || b === undefined) {
      const layer = (a ?? b) as LayerView;
      out.push({ path, layer: id, from: a ? summary(a) : null, to: b ? summary(b) : null, effect: overall, message: `Layer ${id}: ${a ? 'removed' : 'added'} (${summary(layer)})` });
      continue;
    }
    const text = (l: LayerView) => targetText(l);
    if (text(a) !== text(b)) {
      // People who join the layer get its effect; people who leave it lose the old one's.
      const gained = targets(b).some((t) => !targets(a).includes(t));
      const lost = targets(a).some((t) => !targets(b).includes(t));
      const effects = [...(gained ? [layerEffect(after, b)] : []), ...(lost ? [inverse(layerEffect(before, a))] : [])];
      out.push({ path, layer: id, from: text(a), to: text(b), effect: overallEffect(effects), message: `Layer ${id} applies to: ${text(a)} → ${text(b)}` });
    }
    const sa = setEntries(a.set);
    const sb = setEntries(b.set);
    for (const field of POLICY_FIELDS) {
      const x = sa.get(field);
      const y = sb.get(field);
      if (JSON.stringify(x) === JSON.stringify(y)) continue;
      const from = x ?? null;
      const to = y ?? null;
      const effect = sameValue(field, va, vb) ? 'neutral' : classifyChange(field, va, vb);
      out.push({ path: `layers.${id}.set.${field}`, layer: id, from, to, effect, message: `Layer ${id}, ${LABELS[field]}: ${describe(from, to)}` });
    }
    const move = moves.positions.get(id);
    if (move !== undefined) {
      out.push({ path, layer: id, from: move[0], to: move[1], effect: moves.effect, message: `Layer ${id}: moved from position ${String(move[0])} to ${String(move[1])} (of two layers that set a field, the later wins)` });
    }
    for (const key of ['reason', 'reviewBy', 'expiresAt'] as const) {
      const x = a[key] ?? null;
      const y = b[key] ?? null;
      if (x === y) continue;
      const effect = key === 'expiresAt' ? expiryEffect(layerEffect(after, b), x, y) : 'neutral';
      out.push({ path, layer: id, from: x, to: y, effect, message: `Layer ${id}, ${key === 'reason' ? 'reason' : key === 'reviewBy' ? 'review date' : 'expiry'}: ${text2(x)} → ${text2(y)}` });
    }
  }
  return out;
}

// A layer's roles and teams, as read by resolvePolicy (own properties only).
function targets(l: LayerView): string[] {
  return targetWords(l.roles, l.teams);
}

function inverse(effect: ChangeEffect): ChangeEffect {
  return effect === 'weakening' ? 'strengthening' : effect === 'strengthening' ? 'weakening' : 'neutral';
}

/**
 * The layers kept in both lists whose order among them changed, with their 1-based positions
 * before and after, and the effect of the new order on a person in all of their roles and
 * teams (order decides which of two layers wins a field both set).
 */
function reordered(before: AccountPolicy, after: AccountPolicy, old: ReadonlyMap<string, LayerView>, now: ReadonlyMap<string, LayerView>): { positions: Map<string, [number, number]>; effect: ChangeEffect } {
  const a = accountLayers(before).filter((l) => now.has(l.id)).map((l) => l.id);
  const b = accountLayers(after).filter((l) => old.has(l.id)).map((l) => l.id);
  const positions = new Map<string, [number, number]>();
  b.forEach((id, i) => {
    if (a[i] !== id) positions.set(id, [(old.get(id)?.index ?? 0) + 1, (now.get(id)?.index ?? 0) + 1]);
  });
  if (positions.size === 0) return { positions, effect: 'neutral' };
  const moved = [...positions.keys()].flatMap((id) => [old.get(id), now.get(id)]).filter((l): l is LayerView => l !== undefined);
  const member = { roles: [...new Set(moved.flatMap((l) => l.roles))], teams: [...new Set(moved.flatMap((l) => l.teams))] };
  const va = policyValues(resolvePolicy(before, [], { at: EVER, member }));
  const vb = policyValues(resolvePolicy(after, [], { at: EVER, member }));
  return { positions, effect: overallEffect(POLICY_PATHS.filter((f) => !sameValue(f, va, vb)).map((f) => classifyChange(f, va, vb))) };
}

function text2(value: string | null): string {
  return value ?? 'not set';
}

// What a layer does for the people in it, against the account without it.
function layerEffect(account: AccountPolicy, layer: LayerView): ChangeEffect {
  const applied = resolvePolicy(account, [], { at: EVER, member: { roles: layer.roles, teams: layer.teams } }).applied;
  return applied.find((x) => x.kind === 'layer' && x.id === layer.id)?.effect ?? 'neutral';
}

// A later (or no) expiry keeps a layer's effect longer; an earlier one ends it sooner.
function expiryEffect(effect: ChangeEffect, from: string | null, to: string | null): ChangeEffect {
  if (effect === 'neutral') return 'neutral';
  const end = (v: string | null): number => (v === null ? Number.POSITIVE_INFINITY : toEpochMs(v));
  const longer = end(to) > end(from);
  if (effect === 'weakening') return longer ? 'weakening' : 'strengthening';
  return longer ? 'strengthening' : 'weakening';
}

function targetText(l: LayerView): string {
  return targets(l).join(', ');
}

function summary(l: LayerView): string {
  const fields = [...setEntries(l.set).keys()];
  return `${targetText(l)}; sets ${fields.length > 0 ? fields.join(', ') : 'nothing'}`;
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
