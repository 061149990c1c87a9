import type { core } from 'zod';
import { StaffgateError, type SafeResult, type StaffgateIssue } from '../errors.js';
import { toEpochMs } from '../instant.js';
import { ID_FLAW_MESSAGES, idFlaw } from '../ids.js';
import { compileIpRules } from '../net/index.js';
import { compileLoginHours, parseTimeZone } from '../hours/index.js';
import { compileMailExclusions } from '../mail/index.js';
import {
  accountPolicySchema,
  deepFreeze,
  staffOverrideSchema,
  type AccountPolicy,
  type LoginHoursSettings,
  type LoginWindow,
  type OverrideSet,
  type PolicyLayer,
  type RuleMode,
  type StaffOverride,
} from './schema.js';

type Path = (string | number)[];

// Objects this module produced: resolvePolicy trusts these and parses anything else, so a
// host that passes raw JSON still gets validation instead of undefined behaviour.
const parsedAccounts = new WeakSet();
const parsedOverrides = new WeakSet();

/** @internal */
export function isParsedAccount(value: unknown): value is AccountPolicy {
  return typeof value === 'object' && value !== null && parsedAccounts.has(value);
}
/** @internal */
export function isParsedOverride(value: unknown): value is StaffOverride {
  return typeof value === 'object' && value !== null && parsedOverrides.has(value);
}

/** @internal A parsed account as is; anything else parsed, errors prefixed with `path`. */
export function ensureAccount(value: AccountPolicy, path: Path = []): AccountPolicy {
  if (isParsedAccount(value)) return value;
  const result = safeParseAccountPolicy(value);
  if (result.ok) return result.value;
  throw path.length > 0 ? result.error.withPathPrefix(path) : result.error;
}

/** @internal Each override as is when parsed, else parsed; errors carry `[name, index, …]`. */
export function ensureOverrides(values: readonly StaffOverride[], name = 'overrides'): StaffOverride[] {
  if (!Array.isArray(values)) throw new StaffgateError('invalid_option', 'must be an array of staff overrides', { path: [name] });
  return values.map((o, i) => {
    if (isParsedOverride(o)) return o;
    const result = safeParseStaffOverride(o);
    if (result.ok) return result.value;
    throw result.error.withPathPrefix([name, i]);
  });
}

/**
 * Validates and normalises the account-wide security settings. Every field is optional and
 * gets the permissive product default; unknown keys are refused. Time zones are canonicalised
 * (`europe/london` → `Europe/London`), duplicate methods dropped. The result is deeply frozen.
 *
 * @throws {StaffgateError} naming the path of the first bad field; `error.issues` lists all.
 * @example
 * ```ts
 * const account = parseAccountPolicy({
 *   twoFactor: { required: true },
 *   ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
 * });
 * account.loginMethods; // ['google', 'microsoft', 'password'] (the default)
 * ```
 */
export function parseAccountPolicy(input: unknown): AccountPolicy {
  const result = safeParseAccountPolicy(input);
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Like {@link parseAccountPolicy}, but returns `{ ok: false, error }` instead of throwing.
 *
 * @example
 * ```ts
 * const r = safeParseAccountPolicy({ loginHours: { timezone: 'America/Bogus' } });
 * if (!r.ok) console.log(r.error.code, r.error.pathText); // invalid_time_zone loginHours.timezone
 * ```
 */
export function safeParseAccountPolicy(input: unknown): SafeResult<AccountPolicy> {
  const parsed = accountPolicySchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, error: fromZodIssues(parsed.error.issues, 'invalid_settings') };
  const p = parsed.data;
  const issues: StaffgateIssue[] = [];
  const timezone = checkTimeZone(p.loginHours.timezone, ['loginHours', 'timezone'], issues);
  checkWindows(timezone, p.loginHours.windows, ['loginHours', 'windows'], issues);
  checkIpEntries(p.ipLockdown.allow, ['ipLockdown', 'allow'], issues);
  checkIpEntries(p.api.ipAllowlist.allow, ['api', 'ipAllowlist', 'allow'], issues);
  collect(issues, ['mail', 'excluded'], () => compileMailExclusions(p.mail.excluded));
  const layers = p.layers === undefined ? [] : checkLayers(p.layers, issues);
  if (issues.length > 0 || layers === undefined) return { ok: false, error: fromIssues(issues) };

  const account: AccountPolicy = deepFreeze({
    loginMethods: unique(p.loginMethods),
    twoFactor: { required: p.twoFactor.required, methods: unique(p.twoFactor.methods), ...reportMode(p.twoFactor.mode) },
    ipLockdown: { enabled: p.ipLockdown.enabled, allow: [...p.ipLockdown.allow], ...reportMode(p.ipLockdown.mode) },
    loginHours: { enabled: p.loginHours.enabled, timezone: timezone ?? 'UTC', windows: copyWindows(p.loginHours.windows), ...reportMode(p.loginHours.mode) },
    lockout: {
      enabled: p.lockout.enabled,
      maxFailures: p.lockout.maxFailures,
      windowMinutes: p.lockout.windowMinutes,
      lockoutMinutes: p.lockout.lockoutMinutes,
      networkMaxFailures: p.lockout.networkMaxFailures,
      ...reportMode(p.lockout.mode),
    },
    api: {
      ipAllowlist: { enabled: p.api.ipAllowlist.enabled, allow: [...p.api.ipAllowlist.allow] },
      ...(p.api.maxKeyLifetimeDays === undefined ? {} : { maxKeyLifetimeDays: p.api.maxKeyLifetimeDays }),
    },
    mail: { excluded: [...p.mail.excluded] },
    // Only when there are some: an account without layers parses exactly as before they existed.
    ...(layers.length > 0 ? { layers } : {}),
  });
  parsedAccounts.add(account);
  return { ok: true, value: account };
}

/**
 * Validates one staff member's exception. It must carry a non-blank `reason`; `createdAt`,
 * `expiresAt` and `reviewBy` are ISO 8601 instants with an offset, and neither the expiry nor
 * the review date may come before `createdAt`. Fields inside `set` are checked like the
 * account's. The result is deeply frozen.
 *
 * @throws {StaffgateError} naming the path of the first bad field.
 * @example
 * ```ts
 * const roadUser = parseStaffOverride({
 *   staffId: 'u_42',
 *   reason: 'Sales rep on the road, changing networks daily',
 *   expiresAt: '2027-03-31T00:00:00Z',
 *   set: { ipLockdown: { enabled: false } },
 * });
 * ```
 */
export function parseStaffOverride(input: unknown): StaffOverride {
  const result = safeParseStaffOverride(input);
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Like {@link parseStaffOverride}, but returns `{ ok: false, error }` instead of throwing: for
 * validating an override an admin is entering.
 *
 * @example
 * ```ts
 * const r = safeParseStaffOverride({ staffId: 'u_42', reason: '', set: {} });
 * if (!r.ok) console.log(r.error.code, r.error.pathText); // invalid_override reason
 * ```
 */
export function safeParseStaffOverride(input: unknown): SafeResult<StaffOverride> {
  const parsed = staffOverrideSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, error: fromZodIssues(parsed.error.issues, 'invalid_override') };
  const o = parsed.data;
  const issues: StaffgateIssue[] = [];

  const staffIdProblem = idProblem(o.staffId);
  if (staffIdProblem !== undefined) issues.push({ code: 'invalid_override', path: ['staffId'], message: staffIdProblem });
  // Login reasons name a layer as `layer:<id>` and an override by its staff id: the prefix is
  // reserved so an audit log can tell them apart.
  else if (o.staffId.startsWith('layer:')) issues.push({ code: 'invalid_override', path: ['staffId'], message: 'must not start with "layer:" (reserved for the sources of layers)' });
  if (blank(o.reason)) {
    issues.push({ code: 'invalid_override', path: ['reason'], message: 'an override needs a reason: say why this person needs an exception' });
  }
  const created = checkInstant(o.createdAt, ['createdAt'], issues);
  const expires = checkInstant(o.expiresAt, ['expiresAt'], issues);
  const review = checkInstant(o.reviewBy, ['reviewBy'], issues);
  if (created !== undefined && expires !== undefined && expires <= created) {
    issues.push({ code: 'invalid_override', path: ['expiresAt'], message: 'the override must expire after it was created' });
  }
  if (created !== undefined && review !== undefined && review < created) {
    issues.push({ code: 'invalid_override', path: ['reviewBy'], message: 'the review date is before the override was created' });
  }

  const set = checkSet(o.set, ['set'], issues);
  if (issues.length > 0 || set === undefined) return { ok: false, error: fromIssues(issues) };

  const override: StaffOverride = deepFreeze({
    staffId: o.staffId,
    reason: o.reason,
    ...(o.id === undefined ? {} : { id: o.id }),
    ...(o.createdAt === undefined ? {} : { createdAt: o.createdAt }),
    ...(o.expiresAt === undefined ? {} : { expiresAt: o.expiresAt }),
    ...(o.reviewBy === undefined ? {} : { reviewBy: o.reviewBy }),
    set,
  });
  parsedOverrides.add(override);
  return { ok: true, value: override };
}

type SetInput = NonNullable<ReturnType<typeof staffOverrideSchema.safeParse>['data']>['set'];

/**
 * Checks the semantic rules of an override's or a layer's `set` (zones, windows, IP entries),
 * reporting under `path`; returns the normalised copy, or `undefined` when it has a problem.
 */
function checkSet(s: SetInput, path: Path, issues: StaffgateIssue[]): OverrideSet | undefined {
  const before = issues.length;
  let timezone: string | undefined;
  if (s.loginHours?.timezone !== undefined) timezone = checkTimeZone(s.loginHours.timezone, [...path, 'loginHours', 'timezone'], issues);
  // Windows mean the same wall-clock times in any zone, so UTC stands in when the set keeps
  // the account's zone.
  if (s.loginHours?.windows !== undefined) checkWindows(timezone ?? 'UTC', s.loginHours.windows, [...path, 'loginHours', 'windows'], issues);
  if (s.ipLockdown?.allow !== undefined) checkIpEntries(s.ipLockdown.allow, [...path, 'ipLockdown', 'allow'], issues);
  if (issues.length > before) return undefined;
  return {
    ...(s.loginMethods === undefined ? {} : { loginMethods: unique(s.loginMethods) }),
    ...(s.twoFactor === undefined
      ? {}
      : {
          twoFactor: {
            ...(s.twoFactor.required === undefined ? {} : { required: s.twoFactor.required }),
            ...(s.twoFactor.methods === undefined ? {} : { methods: unique(s.twoFactor.methods) }),
            ...(s.twoFactor.mode === undefined ? {} : { mode: s.twoFactor.mode }),
          },
        }),
    ...(s.ipLockdown === undefined
      ? {}
      : {
          ipLockdown: {
            ...(s.ipLockdown.enabled === undefined ? {} : { enabled: s.ipLockdown.enabled }),
            ...(s.ipLockdown.allow === undefined ? {} : { allow: [...s.ipLockdown.allow] }),
            ...(s.ipLockdown.mode === undefined ? {} : { mode: s.ipLockdown.mode }),
          },
        }),
    ...(s.loginHours === undefined ? {} : { loginHours: copyHours(s.loginHours, timezone) }),
    ...(s.lockout === undefined
      ? {}
      : {
          lockout: {
            ...(s.lockout.enabled === undefined ? {} : { enabled: s.lockout.enabled }),
            ...(s.lockout.maxFailures === undefined ? {} : { maxFailures: s.lockout.maxFailures }),
            ...(s.lockout.windowMinutes === undefined ? {} : { windowMinutes: s.lockout.windowMinutes }),
            ...(s.lockout.lockoutMinutes === undefined ? {} : { lockoutMinutes: s.lockout.lockoutMinutes }),
            ...(s.lockout.mode === undefined ? {} : { mode: s.lockout.mode }),
          },
        }),
  };
}

type LayersInput = NonNullable<NonNullable<ReturnType<typeof accountPolicySchema.safeParse>['data']>['layers']>;

/**
 * Checks the account's layers: ids (unique, like staff ids), a reason, a target that names at
 * least one role or team, instants, and each `set` like an override's. Returns the normalised
 * layers, or `undefined` when one has a problem (reported in `issues`).
 */
function checkLayers(layers: LayersInput, issues: StaffgateIssue[]): PolicyLayer[] | undefined {
  const before = issues.length;
  const out: PolicyLayer[] = [];
  const seen = new Map<string, number>();
  layers.forEach((l, i) => {
    const path: Path = ['layers', i];
    const problem = idProblem(l.id);
    if (problem !== undefined) issues.push({ code: 'invalid_settings', path: [...path, 'id'], message: problem });
    const first = seen.get(l.id);
    if (first !== undefined) issues.push({ code: 'invalid_settings', path: [...path, 'id'], message: `"${l.id}" is also the id of layer ${String(first)}: layer ids must be unique` });
    else seen.set(l.id, i);
    if (blank(l.reason)) issues.push({ code: 'invalid_settings', path: [...path, 'reason'], message: 'a layer needs a reason: say why these roles or teams need other rules' });
    const roles = l.appliesTo.roles ?? [];
    const teams = l.appliesTo.teams ?? [];
    if (roles.length === 0 && teams.length === 0) {
      issues.push({ code: 'invalid_settings', path: [...path, 'appliesTo'], message: 'a layer must target at least one role or team (appliesTo.roles or appliesTo.teams)' });
    }
    for (const [name, ids] of [['roles', roles], ['teams', teams]] as const) {
      ids.forEach((id, k) => {
        const flaw = idProblem(id);
        if (flaw !== undefined) issues.push({ code: 'invalid_settings', path: [...path, 'appliesTo', name, k], message: flaw });
      });
    }
    checkInstant(l.expiresAt, [...path, 'expiresAt'], issues);
    checkInstant(l.reviewBy, [...path, 'reviewBy'], issues);
    const set = checkSet(l.set, [...path, 'set'], issues);
    if (set === undefined) return;
    out.push({
      id: l.id,
      reason: l.reason,
      appliesTo: { ...(roles.length > 0 ? { roles: unique(roles) } : {}), ...(teams.length > 0 ? { teams: unique(teams) } : {}) },
      set,
      ...(l.expiresAt === undefined ? {} : { expiresAt: l.expiresAt }),
      ...(l.reviewBy === undefined ? {} : { reviewBy: l.reviewBy }),
    });
  });
  return issues.length > before ? undefined : out;
}

// Blank includes invisible text (zero-width spaces, fillers): those are not whitespace to trim().
function blank(text: string): boolean {
  return text.replace(/\p{Default_Ignorable_Code_Point}/gu, '').trim() === '';
}

// Staff ids follow the rules of member ids (staffgate/access), and may not start or end with
// spaces: they are compared exactly, so such an id would make an override silently miss the
// person (or, stored as U+FFFD by a UTF-8 database, hit another).
function idProblem(id: string): string | undefined {
  if (id.trim() === '') return 'must not be blank';
  if (id.trim() !== id) return 'must not start or end with spaces';
  const flaw = idFlaw(id);
  return flaw === undefined ? undefined : ID_FLAW_MESSAGES[flaw];
}

function copyHours(
  h: { enabled?: boolean | undefined; windows?: readonly LoginWindow[] | undefined; mode?: RuleMode | undefined },
  timezone: string | undefined,
): Partial<LoginHoursSettings> {
  return {
    ...(h.enabled === undefined ? {} : { enabled: h.enabled }),
    ...(timezone === undefined ? {} : { timezone }),
    ...(h.windows === undefined ? {} : { windows: copyWindows(h.windows) }),
    ...(h.mode === undefined ? {} : { mode: h.mode }),
  };
}

// The account stores `mode` only when a rule is report-only: absent is `enforce`, so a parsed
// policy has one spelling per meaning. (An override keeps an explicit `enforce`: it can undo
// an account's `report`.)
function reportMode(mode: RuleMode | undefined): { mode?: 'report' } {
  return mode === 'report' ? { mode } : {};
}

function copyWindows(windows: readonly LoginWindow[]): LoginWindow[] {
  return windows.map((w) => ({ days: unique(w.days), start: w.start, end: w.end }));
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function collect(issues: StaffgateIssue[], prefix: Path, run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof StaffgateError)) throw err;
    for (const issue of err.issues) issues.push({ ...issue, path: [...prefix, ...issue.path] });
  }
}

function checkTimeZone(zone: string, path: Path, issues: StaffgateIssue[]): string | undefined {
  let canonical: string | undefined;
  collect(issues, path, () => {
    canonical = parseTimeZone(zone);
  });
  return canonical;
}

function checkWindows(timezone: string | undefined, windows: readonly LoginWindow[], path: Path, issues: StaffgateIssue[]): void {
  // A bad zone is reported already; the windows are still checked against UTC.
  collect(issues, path.slice(0, -1), () => compileLoginHours({ timezone: timezone ?? 'UTC', windows }));
}

function checkIpEntries(entries: readonly string[], path: Path, issues: StaffgateIssue[]): void {
  collect(issues, path, () => compileIpRules(entries));
}

function checkInstant(value: string | undefined, path: Path, issues: StaffgateIssue[]): number | undefined {
  if (value === undefined) return undefined;
  const ms = toEpochMs(value);
  if (Number.isNaN(ms)) {
    issues.push({ code: 'invalid_instant', path, message: `"${value}" is not an ISO 8601 instant with Z or an offset, e.g. "2026-12-31T23:59:00Z"` });
    return undefined;
  }
  return ms;
}

function fromIssues(issues: readonly StaffgateIssue[]): StaffgateError {
  const first = issues[0];
  if (first === undefined) return new StaffgateError('invalid_settings', 'invalid settings');
  return new StaffgateError(first.code, first.message, { path: first.path, issues });
}

function fromZodIssues(zodIssues: readonly core.$ZodIssue[], code: 'invalid_settings' | 'invalid_override'): StaffgateError {
  const issues: StaffgateIssue[] = zodIssues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      return { code, path: [...path, key], message: `unknown setting "${key}" (check the spelling; unknown settings are refused, never ignored)` };
    }
    return { code, path, message: plainMessage(issue) };
  });
  return fromIssues(issues);
}

function plainMessage(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)} (got ${describe(issue.input)})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${describe(issue.input)})`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  if (expected === 'array' || expected === 'object') return `an ${expected}`;
  return `a ${expected}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
