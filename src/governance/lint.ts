import { StaffgateError } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { parseIpEntry } from '../net/index.js';
import { compileLoginHours } from '../hours/index.js';
import { ensureAccount, ensureOverrides } from '../policy/parse.js';
import { accountLayers, resolvePolicy, setEntries, type EffectivePolicy, type FieldSource, type LayerView, type PolicyMember } from '../policy/resolve.js';
import { decidingSource, targetWords } from '../policy/source.js';
import { ruleMode, type PolicyField } from '../policy/effect.js';
import type { AccountPolicy, StaffOverride } from '../policy/schema.js';

/**
 * How bad a finding is. `error`: people are locked out, or a rule does nothing it claims.
 * `warning`: weak or risky. `info`: housekeeping.
 *
 * @example
 * ```ts
 * const blocking: FindingSeverity = 'error';
 * const canSave = !lintPolicy(account, overrides, { at: now }).some((f) => f.severity === blocking);
 * ```
 */
export type FindingSeverity = 'error' | 'warning' | 'info';

/**
 * Every finding {@link lintPolicy} can report: stable codes a host can switch on, translate
 * or silence.
 *
 * @example
 * ```ts
 * const acknowledged = new Set<FindingCode>(['password_login_with_sso']);
 * const shown = lintPolicy(account, overrides, { at: now }).filter((f) => !acknowledged.has(f.code));
 * ```
 */
export type FindingCode =
  | 'ip_lockdown_empty_allowlist'
  | 'ip_allowlist_everyone'
  | 'ip_allowlist_too_wide'
  | 'api_allowlist_empty'
  | 'two_factor_no_methods'
  | 'two_factor_sms_only'
  | 'two_factor_not_required'
  | 'login_hours_no_windows'
  | 'rule_report_only'
  | 'api_key_lifetime_unlimited'
  | 'password_login_with_sso'
  | 'override_reason_vague'
  | 'override_review_overdue'
  | 'override_expired'
  | 'override_unscheduled'
  | 'override_weakens_admin'
  | 'override_no_effect'
  | 'lockout_disabled'
  | 'lockout_too_permissive'
  | 'layer_weakens_admins'
  | 'layer_unknown_role'
  | 'layer_unknown_team'
  | 'layers_conflict'
  | 'layer_review_overdue'
  | 'layer_expired'
  | 'layer_reason_vague'
  | 'layer_unscheduled';

/**
 * One thing the linter found, with the path of the setting to fix, so an admin screen can put
 * the message next to the offending field.
 *
 * @example
 * ```ts
 * const [finding]: PolicyFinding[] = lintPolicy(parseAccountPolicy({ ipLockdown: { enabled: true } }), [], { at: now });
 * // { code: 'ip_lockdown_empty_allowlist', severity: 'error', path: 'ipLockdown.allow', message: 'IP lockdown is on but …' }
 * ```
 */
export interface PolicyFinding {
  readonly code: FindingCode;
  readonly severity: FindingSeverity;
  /** Where: `ipLockdown.allow[2]` in the account, `layers[1].set.twoFactor.methods`, or `overrides[3].set.ipLockdown.enabled`. */
  readonly path: string;
  /** In plain words, for an admin. */
  readonly message: string;
  /** The staff member concerned, for findings about an override or one person's effective rules. */
  readonly staffId?: string;
}

/**
 * Options of {@link lintPolicy}: the instant that expiry and review dates are judged at, and
 * who the administrators are.
 *
 * @example
 * ```ts
 * const options: LintOptions = { at: now, admins: ['ada', 'grace'] };
 * const findings = lintPolicy(account, overrides, options);
 * ```
 */
export interface LintOptions {
  /** The instant to judge expiry and review dates at. */
  readonly at: Instant;
  /** Staff ids of the administrators: overrides that weaken their security are flagged. */
  readonly admins?: readonly string[];
  /** Role ids whose holders are administrators: layers for them that weaken security are flagged. Default `['admin']`. */
  readonly adminRoles?: readonly string[];
  /** The custom role ids that exist (`admin` and `member` always do): a layer targeting another is flagged. */
  readonly roles?: readonly string[];
  /** The team (group) ids that exist: a layer targeting another is flagged. */
  readonly teams?: readonly string[];
  /** Each staff member's roles and teams, so their overrides are judged on top of their layers (and a holder of an admin role counts as an admin). */
  readonly members?: Readonly<Record<string, PolicyMember>>;
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Reviews an account's security settings and its staff overrides the way a careful admin
 * would, and says what is risky: rules that lock everyone out (IP lockdown with an empty
 * allowlist, login hours with no window, 2FA with no factor), allowlist entries that let the
 * world in, SMS as the only factor, password logins next to SSO, API keys that never expire,
 * and overrides with no real reason, past their review date, expired but still stored, or
 * weakening an administrator's security. Findings come errors first, then warnings, then info.
 *
 * Each staff member's overrides are also resolved at `at`, and what they make of that person's
 * rules is checked too (`For sam: …`, with the override's path).
 *
 * @throws {StaffgateError} `invalid_instant` for a bad `at`; parse errors for invalid raw settings.
 * @example
 * ```ts
 * const findings = lintPolicy(account, overrides, { at: now, admins: ['ada'] });
 * for (const f of findings) console.log(`${f.severity} ${f.code} ${f.path}: ${f.message}`);
 * // error ip_lockdown_empty_allowlist ipLockdown.allow: IP lockdown is on but the allowlist is empty: nobody can sign in.
 * ```
 */
export function lintPolicy(account: AccountPolicy, overrides: readonly StaffOverride[] = [], options: LintOptions): PolicyFinding[] {
  const at = toEpochMs(options.at);
  if (Number.isNaN(at)) throw new StaffgateError('invalid_instant', 'is not a valid instant (a Date, epoch ms, or ISO 8601 with an offset)', { path: ['at'] });
  const admins = new Set(options.admins ?? []);
  const base = ensureAccount(account);
  const list = ensureOverrides(overrides);
  const findings: PolicyFinding[] = [];

  const accountFindings = ruleFindings(base);
  for (const f of accountFindings) findings.push({ code: f.code, severity: f.severity, path: f.path, message: f.message });
  entryFindings(base.ipLockdown.allow, 'ipLockdown.allow', 'IP lockdown', findings);
  entryFindings(base.api.ipAllowlist.allow, 'api.ipAllowlist.allow', 'API allowlist', findings);
  if (base.api.ipAllowlist.enabled && base.api.ipAllowlist.allow.length === 0) {
    findings.push(finding('api_allowlist_empty', 'error', 'api.ipAllowlist.allow', 'The API IP allowlist is on but empty: every API call is refused.'));
  }
  if (base.api.maxKeyLifetimeDays === undefined) {
    findings.push(
      finding('api_key_lifetime_unlimited', 'warning', 'api.maxKeyLifetimeDays', 'API keys may be created without an expiry: a leaked key works until someone notices. Set a longest lifetime, e.g. 365 days.'),
    );
  }

  // The account's findings by code and field, with the most severe rank: a person's finding is
  // new when the account lacks it or has it only at a lower severity (report-only there,
  // enforced for this person by an override: a warning for the account, a lockout for them).
  const accountKeys = new Map<string, number>();
  for (const f of accountFindings) {
    const key = `${f.code} ${f.field}`;
    accountKeys.set(key, Math.min(accountKeys.get(key) ?? Number.POSITIVE_INFINITY, SEVERITY_ORDER[f.severity]));
  }
  // Each person's overrides resolved on their own (the list grouped once: resolving the whole
  // list per person made 20,000 people take 43 s); `indexes` maps back to the caller's list.
  const byStaff = new Map<string, number[]>();
  for (const [index, o] of list.entries()) {
    const indexes = byStaff.get(o.staffId);
    if (indexes === undefined) byStaff.set(o.staffId, [index]);
    else indexes.push(index);
  }
  const adminRoles = options.adminRoles ?? ['admin'];
  lintLayers(base, at, options, adminRoles, accountKeys, findings);
  adminsThroughLayers(base, at, admins, adminRoles, options.members, findings);
  for (const [staffId, indexes] of byStaff) {
    const own = indexes.map((i) => list[i] as StaffOverride);
    const member = options.members !== undefined && Object.hasOwn(options.members, staffId) ? options.members[staffId] : undefined;
    const policy = resolvePolicy(base, own, member === undefined ? { at, staffId } : { at, staffId, member });
    const isAdmin = admins.has(staffId) || (member?.roles ?? []).some((r) => adminRoles.includes(r));
    lintStaff(policy, staffId, own, indexes, accountKeys, isAdmin, findings);
  }

  return findings.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i).map(({ f }) => f);
}

// `own` are one person's overrides, `indexes[k]` the index of `own[k]` in the caller's list.
function lintStaff(
  policy: EffectivePolicy,
  staffId: string,
  own: readonly StaffOverride[],
  indexes: readonly number[],
  accountKeys: ReadonlyMap<string, number>,
  isAdmin: boolean,
  out: PolicyFinding[],
): void {
  // What this person's live overrides make of their rules: only findings an override caused
  // and the account does not already have.
  for (const f of ruleFindings(policy)) {
    const accountRank = accountKeys.get(`${f.code} ${f.field}`);
    if (accountRank !== undefined && accountRank <= SEVERITY_ORDER[f.severity]) continue;
    const source = decidingOverride(policy, f.fields);
    if (source === undefined) continue;
    out.push({ code: f.code, severity: f.severity, path: `overrides[${String(indexes[source.overrideIndex])}].set.${f.field}`, message: `For ${staffId}: ${f.message}`, staffId });
  }

  for (const [k, o] of own.entries()) {
    const at = `overrides[${String(indexes[k])}]`;
    const ignored = policy.ignored.find((g) => g.kind === 'override' && g.index === k);
    if (ignored) {
      out.push({ ...finding('override_expired', 'info', `${at}.expiresAt`, `The exception for ${staffId} expired at ${ignored.expiresAt} and has no effect: delete it.`), staffId });
      continue;
    }
    if (vagueReason(o.reason)) {
      out.push({
        ...finding('override_reason_vague', 'warning', `${at}.reason`, `The reason "${o.reason}" does not say why ${staffId} needs this exception. Say what they do that the account rules prevent, so it still makes sense at review.`),
        staffId,
      });
    }
    const applied = policy.applied.find((a) => a.kind === 'override' && a.index === k);
    if (applied === undefined) continue;
    if (applied.reviewOverdue) {
      out.push({ ...finding('override_review_overdue', 'warning', `${at}.reviewBy`, `The exception for ${staffId} was due for review at ${applied.reviewBy ?? ''}: confirm it is still needed, or remove it.`), staffId });
    }
    if (applied.effect === 'weakening' && applied.expiresAt === undefined && applied.reviewBy === undefined) {
      out.push({ ...finding('override_unscheduled', 'info', at, `The exception for ${staffId} weakens their security and has neither an expiry nor a review date: nobody will look at it again.`), staffId });
    }
    if (applied.changes.length > 0 && applied.effect === 'neutral') {
      out.push({ ...finding('override_no_effect', 'info', `${at}.set`, `The exception for ${staffId} changes nothing at sign-in: the values it sets already hold, are spelt differently, or belong to a rule that is off.`), staffId });
    }
    if (isAdmin) {
      for (const c of applied.changes) {
        if (c.effect !== 'weakening') continue;
        out.push({
          ...finding('override_weakens_admin', 'warning', `${at}.set.${c.field}`, `${staffId} is an administrator, and this exception weakens their ${c.field}: an admin account is the most valuable one to take over.`),
          staffId,
        });
      }
    }
    entryFindings(o.set.ipLockdown?.allow ?? [], `${at}.set.ipLockdown.allow`, `${staffId}'s IP lockdown`, out, staffId);
  }
}

// The account's layers: housekeeping (expired, review overdue, vague reason, no date), targets
// that do not exist, layers that fight over a field, what each does for the people it targets
// (findings the account lacks), and weakening for holders of an admin role.
function lintLayers(
  base: AccountPolicy,
  at: number,
  options: LintOptions,
  adminRoles: readonly string[],
  accountKeys: ReadonlyMap<string, number>,
  out: PolicyFinding[],
): void {
  const layers = accountLayers(base);
  const knownRoles = options.roles === undefined ? undefined : new Set(['admin', 'member', ...options.roles]);
  const knownTeams = options.teams === undefined ? undefined : new Set(options.teams);
  const live: { layer: LayerView; fields: Map<string, string> }[] = [];
  for (const l of layers) {
    const i = l.index;
    const where = `layers[${String(i)}]`;
    const name = `The layer "${l.id}"`;
    if (l.expiresAt !== undefined && toEpochMs(l.expiresAt) <= at) {
      out.push(finding('layer_expired', 'info', `${where}.expiresAt`, `${name} expired at ${l.expiresAt} and has no effect: delete it.`));
      continue;
    }
    if (vagueReason(l.reason)) {
      out.push(finding('layer_reason_vague', 'warning', `${where}.reason`, `The reason "${l.reason}" does not say why these roles or teams need other rules. Say what they do that the account rules prevent, so it still makes sense at review.`));
    }
    if (l.reviewBy !== undefined && toEpochMs(l.reviewBy) <= at) {
      out.push(finding('layer_review_overdue', 'warning', `${where}.reviewBy`, `${name} was due for review at ${l.reviewBy}: confirm its roles and teams still need it, or remove it.`));
    }
    for (const [k, role] of l.roles.entries()) {
      if (knownRoles !== undefined && !knownRoles.has(role)) {
        out.push(finding('layer_unknown_role', 'warning', `${where}.appliesTo.roles[${String(k)}]`, `${name} targets the role "${role}", which does not exist: nobody gets the layer through it.`));
      }
    }
    for (const [k, team] of l.teams.entries()) {
      if (knownTeams !== undefined && !knownTeams.has(team)) {
        out.push(finding('layer_unknown_team', 'warning', `${where}.appliesTo.teams[${String(k)}]`, `${name} targets the team "${team}", which does not exist: nobody gets the layer through it.`));
      }
    }

    // What the layer makes of the rules of someone in exactly its roles and teams.
    const policy = resolvePolicy(base, [], { at, member: { roles: l.roles, teams: l.teams } });
    const applied = policy.applied.find((a) => a.kind === 'layer' && a.index === i);
    for (const f of ruleFindings(policy)) {
      const accountRank = accountKeys.get(`${f.code} ${f.field}`);
      if (accountRank !== undefined && accountRank <= SEVERITY_ORDER[f.severity]) continue;
      const source = decidingSource(policy, f.fields);
      if (source.layer !== 'layer' || source.layerIndex !== i) continue;
      out.push(finding(f.code, f.severity, `${where}.set.${f.field}`, `For layer ${l.id}: ${f.message}`));
    }
    if (applied?.effect === 'weakening' && l.expiresAt === undefined && l.reviewBy === undefined) {
      out.push(finding('layer_unscheduled', 'info', where, `${name} weakens security for its roles and teams and has neither an expiry nor a review date: nobody will look at it again.`));
    }
    // For each admin role it targets, the changes that weaken an administrator's rules.
    for (const role of l.roles.filter((r) => adminRoles.includes(r))) {
      const forAdmins = resolvePolicy(base, [], { at, member: { roles: [role] } }).applied.find((a) => a.kind === 'layer' && a.index === i);
      for (const c of forAdmins?.changes ?? []) {
        if (c.effect !== 'weakening') continue;
        out.push(
          finding('layer_weakens_admins', 'warning', `${where}.set.${c.field}`, `${name} applies to the role "${role}", whose holders are administrators, and weakens their ${c.field}: an admin account is the most valuable one to take over.`),
        );
      }
    }
    entryFindings(l.set.ipLockdown?.allow ?? [], `${where}.set.ipLockdown.allow`, `IP lockdown of layer ${l.id}`, out);
    live.push({ layer: l, fields: new Map([...setEntries(l.set)].map(([field, value]) => [field, JSON.stringify(value)])) });
  }

  // Live layers setting one field to different values: a person in several gets the last one's.
  // One finding per field (at the last layer), however many layers take part.
  const byField = new Map<string, { layer: LayerView; value: string }[]>();
  for (const l of live) {
    for (const [field, value] of l.fields) {
      const list = byField.get(field);
      if (list === undefined) byField.set(field, [{ layer: l.layer, value }]);
      else list.push({ layer: l.layer, value });
    }
  }
  for (const [field, setters] of byField) {
    if (new Set(setters.map((x) => x.value)).size < 2) continue;
    const last = setters[setters.length - 1];
    if (last === undefined) continue;
    const first = setters[0];
    const message =
      setters.length === 2 && first !== undefined
        ? `The layers "${first.layer.id}" and "${last.layer.id}" both set ${field} (to ${first.value} and to ${last.value}): a person in both gets "${last.layer.id}"'s, the later one in the list.`
        : `${String(setters.length)} layers set ${field} to different values (${setters.slice(0, 5).map((x) => `"${x.layer.id}" to ${x.value}`).join(', ')}${setters.length > 5 ? `, and ${String(setters.length - 5)} more` : ''}): a person in several gets the last one's in the list, "${last.layer.id}"'s.`;
    out.push(finding('layers_conflict', 'warning', `layers[${String(last.layer.index)}].set.${field}`, `${message} Make the layers' roles and teams exclude each other, or set the field in one place.`));
  }
}

// Administrators whose roles and teams are known: a layer that weakens their rules through a
// team, or a role that is not an admin role (those are flagged per layer already), is flagged
// for each of them, whether they have overrides or not.
function adminsThroughLayers(
  base: AccountPolicy,
  at: number,
  admins: ReadonlySet<string>,
  adminRoles: readonly string[],
  members: LintOptions['members'],
  out: PolicyFinding[],
): void {
  if (members === undefined) return;
  for (const staffId of Object.keys(members)) {
    const member = members[staffId];
    if (member === undefined || !(admins.has(staffId) || (member.roles ?? []).some((r) => adminRoles.includes(r)))) continue;
    const policy = resolvePolicy(base, [], { at, member });
    for (const a of policy.applied) {
      if (a.kind !== 'layer') continue;
      if (a.matched.roles.some((r) => adminRoles.includes(r))) continue; // reported for the role
      for (const c of a.changes) {
        if (c.effect !== 'weakening') continue;
        out.push({
          ...finding('layer_weakens_admins', 'warning', `layers[${String(a.index)}].set.${c.field}`, `${staffId} is an administrator, and the layer "${a.id}" (for ${targetWords(a.matched.roles, a.matched.teams).join(', ')}) weakens their ${c.field}.`),
          staffId,
        });
      }
    }
  }
}

interface RuleFinding {
  readonly code: FindingCode;
  readonly severity: FindingSeverity;
  readonly message: string;
  /** The field the path points at. */
  readonly field: PolicyField;
  /** Every field whose value led to the finding, to find the override responsible. */
  readonly fields: readonly PolicyField[];
  readonly path: string;
}

// Checks of the rules as they hold, for the account or one person's effective policy.
function ruleFindings(p: AccountPolicy): RuleFinding[] {
  const out: RuleFinding[] = [];
  const add = (code: FindingCode, severity: FindingSeverity, field: PolicyField, fields: readonly PolicyField[], message: string) => {
    out.push({ code, severity, field, fields, message, path: field });
  };
  const reportOnly = (rule: { readonly mode?: 'enforce' | 'report' }) => ruleMode(rule) === 'report';

  if (p.ipLockdown.enabled && p.ipLockdown.allow.length === 0) {
    const report = reportOnly(p.ipLockdown);
    add('ip_lockdown_empty_allowlist', report ? 'warning' : 'error', 'ipLockdown.allow', ['ipLockdown.enabled', 'ipLockdown.allow', 'ipLockdown.mode'], report
      ? 'IP lockdown is report-only with an empty allowlist: once enforced, nobody can sign in.'
      : 'IP lockdown is on but the allowlist is empty: nobody can sign in.');
  }
  if (p.loginHours.enabled && compileLoginHours({ timezone: p.loginHours.timezone, windows: p.loginHours.windows }).openMinutesPerWeek === 0) {
    const report = reportOnly(p.loginHours);
    add('login_hours_no_windows', report ? 'warning' : 'error', 'loginHours.windows', ['loginHours.enabled', 'loginHours.windows', 'loginHours.mode'], report
      ? 'Login hours are report-only with no open window: once enforced, nobody can sign in.'
      : 'Login hours are on but no window is open: nobody can sign in at any time.');
  }
  if (p.twoFactor.required && p.twoFactor.methods.length === 0) {
    const report = reportOnly(p.twoFactor);
    add('two_factor_no_methods', report ? 'warning' : 'error', 'twoFactor.methods', ['twoFactor.required', 'twoFactor.methods', 'twoFactor.mode'], report
      ? '2FA is report-only and allows no factor: once enforced, nobody can complete a sign-in.'
      : '2FA is required but no factor is allowed: nobody can complete a sign-in.');
  }
  if (p.twoFactor.methods.length === 1 && p.twoFactor.methods[0] === 'sms') {
    add('two_factor_sms_only', 'warning', 'twoFactor.methods', ['twoFactor.methods'], 'SMS is the only second factor: SMS codes can be intercepted or moved to another SIM. Allow an authenticator app (totp) too.');
  }
  if (!p.twoFactor.required) {
    add('two_factor_not_required', 'info', 'twoFactor.required', ['twoFactor.required'], '2FA is not required. It is one of the strongest protections there is: require it wherever people can use it.');
  }
  if (p.loginMethods.includes('password') && (p.loginMethods.includes('google') || p.loginMethods.includes('microsoft'))) {
    add('password_login_with_sso', 'warning', 'loginMethods', ['loginMethods'], 'Password logins are allowed next to Google/Microsoft sign-in: a person whose company account was removed could still sign in with their password.');
  }
  if (!p.lockout.enabled) {
    add('lockout_disabled', 'warning', 'lockout.enabled', ['lockout.enabled'], 'Sign-in lockout is off: passwords and codes can be guessed without limit. Turn it on (10 failures in 15 minutes is the default).');
  } else if (p.lockout.maxFailures > 100) {
    add('lockout_too_permissive', 'warning', 'lockout.maxFailures', ['lockout.maxFailures'], `Lockout allows ${p.lockout.maxFailures} failed sign-ins in a row: NIST SP 800-63B allows at most 100. Lower lockout.maxFailures.`);
  }
  const modes: [PolicyField, boolean, string][] = [
    ['ipLockdown.mode', p.ipLockdown.enabled && reportOnly(p.ipLockdown), 'IP lockdown is report-only: sign-ins from outside the allowlist are let in and only reported.'],
    ['loginHours.mode', p.loginHours.enabled && reportOnly(p.loginHours), 'Login hours are report-only: sign-ins outside the hours are let in and only reported.'],
    ['twoFactor.mode', p.twoFactor.required && reportOnly(p.twoFactor), '2FA is report-only: nobody is asked for a second factor; missing ones are only reported.'],
    ['lockout.mode', p.lockout.enabled && reportOnly(p.lockout), 'Lockout is report-only: people past the failure limit are let in and only reported.'],
  ];
  for (const [field, on, message] of modes) if (on) add('rule_report_only', 'info', field, [field], message);
  return out;
}

function entryFindings(entries: readonly string[], path: string, what: string, out: PolicyFinding[], staffId?: string): void {
  for (const [i, entry] of entries.entries()) {
    const info = parseIpEntry(entry);
    if (!info.ok) continue;
    const bits = info.family === 4 ? 32 : 128;
    const who = staffId === undefined ? {} : { staffId };
    if (info.size === 1n << BigInt(bits)) {
      out.push({ ...finding('ip_allowlist_everyone', 'error', `${path}[${i}]`, `"${entry}" in the ${what} covers every IPv${info.family} address: for those the allowlist does nothing.`), ...who });
    } else if (info.size > 1n << BigInt(bits - (info.family === 4 ? 8 : 32))) {
      const limit = info.family === 4 ? '/8 (16.7 million addresses)' : '/32';
      out.push({ ...finding('ip_allowlist_too_wide', 'warning', `${path}[${i}]`, `"${entry}" in the ${what} is wider than ${limit}: it lets in far more than one organisation's network.`), ...who });
    }
  }
}

// The latest live override among the fields, if any of them came from one.
function decidingOverride(policy: EffectivePolicy, fields: readonly PolicyField[]): Extract<FieldSource, { layer: 'override' }> | undefined {
  let best: Extract<FieldSource, { layer: 'override' }> | undefined;
  for (const f of fields) {
    const s = policy.sources[f];
    if (s.layer === 'override' && (best === undefined || s.overrideIndex > best.overrideIndex)) best = s;
  }
  return best;
}

function finding(code: FindingCode, severity: FindingSeverity, path: string, message: string): PolicyFinding {
  return { code, severity, path, message };
}

// Words that say an exception exists, not why.
const FILLER = new Set(
  'a an the as per for by to of on in is it this be just please ok okay yes no na n tbd todo tmp temp temporary temporarily exception exceptions override overrides overridden request requested requests needed need needs required require requires access allow allowed allowing user users staff special approved approval manager admin admins fix fixed issue issues misc other reason reasons because test testing asdf xxx x see ticket same various'.split(
    ' ',
  ),
);

/**
 * True when a reason does not explain anything: fewer than 8 letters or digits ("vpn",
 * "travel"), or made only of filler words ("temporary exception", "as requested", "approved by
 * manager"), or one character repeated.
 */
function vagueReason(reason: string): boolean {
  const words = reason.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const letters = words.join('');
  if (letters.length < 8) return true;
  if (/^(.)\1*$/u.test(letters)) return true;
  return words.every((w) => FILLER.has(w) || /^\d+$/.test(w));
}
