/**
 * Ready-made law checks for a host app's own glue code: the login route, the session and
 * API-key middleware, the client-address lookup, the mail sync filter and the TOTP storage.
 *
 * Each check generates many cases with fast-check (policies, attempts, hostile addresses,
 * instants around DST changes, damaged tokens, tricky mail headers), hands each case to a
 * *subject* you write — a small adapter that runs your code on the case and reports what it
 * did — and compares that with what staffgate decides. A law is a safety rule ("a denied
 * attempt never yields a session"); by default each check also asserts the liveness side
 * ("an allowed attempt does yield one"), so a subject that refuses everything cannot pass by
 * accident. Checks are async, resolve when the law holds, and reject with the smallest
 * counterexample fast-check found when it does not.
 *
 * @example
 * ```ts
 * import { checkLoginSessions } from 'staffgate/testing';
 *
 * it('only an allowed login yields a session', async () => {
 *   await checkLoginSessions(async ({ account, overrides, attempt }) => {
 *     const app = await startMyApp({ account, overrides, clock: attempt.at });
 *     const reply = await app.login({ method: attempt.method, ip: attempt.ip, steps: attempt.verified ?? [] });
 *     return { session: reply.sessionCookie !== undefined };
 *   }, { numRuns: 50 });
 * });
 * ```
 *
 * @module
 */
import fc from 'fast-check';
import { generateSync } from 'otplib';
import { generateApiKey, revokeApiKey, verifyApiKey, type ApiKeyRecord, type ApiKeyRequest } from '../apikeys/index.js';
import { evaluateLogin, evaluateSession, type LoginAttempt, type LoginOptions, type LoginStep, type SessionRequest } from '../login/index.js';
import { compileMailExclusions, evaluateMailMessage, type MailMessageAddresses } from '../mail/index.js';
import { parseIp, resolveClientIp } from '../net/index.js';
import {
  parseAccountPolicy,
  parseStaffOverride,
  resolvePolicy,
  type AccountPolicy,
  type AccountPolicyInput,
  type EffectivePolicy,
  type LoginMethod,
  type RuleMode,
  type SecondFactor,
  type StaffOverride,
} from '../policy/index.js';
import { apiKeyIpArb, apiKeyScopeArb, generateApiKeyOptionsArb, hostileApiKeyIpArb, hostileApiKeyScopeArb, hostileApiKeyTokenArb } from './apikeys.js';
import { loginHoursInstantArb } from './hours.js';
import { hostileMailStringArb, mailAddressArb, mailAddressSpellingArb, mailHeaderValueArb, mailSubaddressArb } from './mail.js';
import { hostileIpAddressArb, ipAddressArb } from './net.js';
import { totpSecretArb } from './otp.js';
import { accountPolicyInputArb, staffOverrideInputArb } from './policy.js';

/**
 * Options every law check takes.
 *
 * @example
 * ```ts
 * await checkSessionRechecks(subject, { numRuns: 200, seed: 42 });
 * ```
 */
export interface LawOptions {
  /** Cases to generate. Default 100. */
  readonly numRuns?: number;
  /** fast-check seed, to replay a failure it reported. */
  readonly seed?: number;
  /**
   * Also require the liveness side of the law (an allowed case is served). Default `true`.
   * Turn it off only when your app adds rules of its own on top of staffgate's.
   */
  readonly requireLiveness?: boolean;
}

/**
 * What a subject returns for a case it cannot express, for example an address with leading
 * white space that HTTP would trim on the way. The case is discarded, not counted as passed.
 *
 * @example
 * ```ts
 * if (attempt.ip.trim() !== attempt.ip) return NOT_APPLICABLE;
 * ```
 */
export const NOT_APPLICABLE = Object.freeze({ notApplicable: true as const });

/**
 * The type of {@link NOT_APPLICABLE}.
 *
 * @example
 * ```ts
 * const skip: NotApplicable = NOT_APPLICABLE;
 * ```
 */
export type NotApplicable = typeof NOT_APPLICABLE;

/**
 * What a subject may return: the answer itself, or a promise of it (for subjects that call an
 * HTTP server or a database).
 *
 * @example
 * ```ts
 * const subject = async (c: LoginLawCase): Promise<{ session: boolean }> => ({ session: (await myLogin(c)).ok });
 * const answer: Awaitable<{ session: boolean }> = subject(someCase);
 * ```
 */
export type Awaitable<T> = T | Promise<T>;

function isNotApplicable(value: unknown): value is NotApplicable {
  return typeof value === 'object' && value !== null && (value as { notApplicable?: unknown }).notApplicable === true;
}

async function runLaw<T>(law: string, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>, options: LawOptions): Promise<void> {
  const property = fc.asyncProperty(arbitrary, async (value) => {
    await check(value);
  });
  try {
    await fc.assert(property, { numRuns: options.numRuns ?? 100, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  } catch (err) {
    // fast-check keeps the subject's own error as `cause`; put its message first, it says what went wrong.
    const detail = err instanceof Error ? err.message : String(err);
    const cause: unknown = err instanceof Error ? err.cause : undefined;
    const what = cause instanceof Error ? `${cause.message}\n\n` : '';
    throw new Error(`staffgate law broken: ${law}\n${what}${detail}`, { cause: err });
  }
}

function skipIfNotApplicable(result: unknown): void {
  fc.pre(!isNotApplicable(result));
}

// ---------------------------------------------------------------------------------------------
// Login: only an allowed login yields a session

/**
 * One generated login case: the settings to install, the person's overrides, the policy they
 * resolve to at the attempt's instant, and the attempt.
 *
 * @example
 * ```ts
 * const subject: LoginSubject = ({ account, overrides, attempt }) => myLogin({ account, overrides, attempt });
 * ```
 */
export interface LoginLawCase {
  /** The account settings, parsed. Store them as your app would (they are plain JSON). */
  readonly account: AccountPolicy;
  /** The staff member's overrides, parsed; all belong to {@link LoginLawCase.staffId}. */
  readonly overrides: readonly StaffOverride[];
  readonly staffId: string;
  /** `resolvePolicy(account, overrides, { at: attempt.at, staffId })`. */
  readonly policy: EffectivePolicy;
  /**
   * The attempt. `ip` is sometimes hostile (`010.0.0.1`, `1.2.3.4%eth0`, `[::1]:443`, white
   * space, non-ASCII digits); `verified` lists the steps your subject should complete when
   * your app asks for them, `enrolled` the second factors to set up for the person first, and
   * `sso` (Google and Microsoft logins only, sometimes) what the identity provider says about
   * MFA: it counts as the second factor only when you pass `loginOptions: { acceptSsoMfa: true }`.
   */
  readonly attempt: LoginAttempt;
}

/**
 * Your app's login run on a {@link LoginLawCase}: whether it ended with a session.
 *
 * @example
 * ```ts
 * const subject: LoginSubject = async (c) => ({ session: (await runMyLoginFlow(c)).cookie !== undefined });
 * ```
 */
export type LoginSubject = (c: LoginLawCase) => Awaitable<{ readonly session: boolean } | NotApplicable>;

/**
 * Options of {@link checkLoginSessions}: what your app supports, so every case is one it can
 * express.
 *
 * @example
 * ```ts
 * const options: LoginLawOptions = { methods: ['password'], steps: ['email_code', 'totp'], factors: ['totp'] };
 * ```
 */
export interface LoginLawOptions extends LawOptions {
  /** Login methods to generate. Default all. */
  readonly methods?: readonly LoginMethod[];
  /** Steps `verified` may list. Default all (`email_code`, `totp`, `sms`, `email`). */
  readonly steps?: readonly LoginStep[];
  /** Factors `enrolled` may list. Default all. */
  readonly factors?: readonly SecondFactor[];
  /** Whether `ip` may be hostile. Default `true`. */
  readonly hostileIps?: boolean;
  /** The staff id overrides are generated for. Default `'u_1'`. */
  readonly staffId?: string;
  /** Passed to `evaluateLogin` when computing the expected outcome (e.g. `acceptSsoMfa`). */
  readonly loginOptions?: LoginOptions;
}

const ALL_METHODS: readonly LoginMethod[] = ['google', 'microsoft', 'password'];
const ALL_STEPS: readonly LoginStep[] = ['email_code', 'totp', 'sms', 'email'];
const ALL_FACTORS: readonly SecondFactor[] = ['totp', 'sms', 'email'];

type ModeRule = 'ipLockdown' | 'loginHours' | 'twoFactor';
const MODE_RULES: readonly ModeRule[] = ['ipLockdown', 'loginHours', 'twoFactor'];

/**
 * Settings and overrides for one staff member, with the client address sometimes added to the
 * allowlist and hours sometimes off; sometimes one rule is report-only on the account, and an
 * override sometimes switches a rule's mode (an app that stores settings must keep `mode`).
 */
function settingsArb(staffId: string, ip: fc.Arbitrary<string>) {
  const modeSwitch = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.tuple(fc.constantFrom(...MODE_RULES), fc.constantFrom<RuleMode>('enforce', 'report')));
  return fc
    .record({
      input: accountPolicyInputArb(),
      overrides: fc.array(fc.tuple(staffOverrideInputArb({ staffId }), modeSwitch), { maxLength: 2 }),
      ip,
      allowIp: fc.boolean(),
      hoursOff: fc.boolean(),
      twoFactorOn: fc.boolean(),
      reportOnly: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constantFrom(...MODE_RULES)),
      at: loginHoursInstantArb({ fromYear: 2024, toYear: 2029 }),
    })
    .map(({ input, overrides, ip, allowIp, hoursOff, twoFactorOn, reportOnly, at }) => {
      // Without these nudges most random policies deny before any step is asked for, and the
      // interesting cases (one step short of allow) are rare.
      let account: AccountPolicyInput = input;
      if (allowIp && parseIp(ip).ok) account = { ...account, ipLockdown: { ...account.ipLockdown, allow: [...(account.ipLockdown?.allow ?? []), ip] } };
      if (hoursOff) account = { ...account, loginHours: { ...account.loginHours, enabled: false } };
      if (twoFactorOn) account = { ...account, twoFactor: { ...account.twoFactor, required: true } };
      if (reportOnly !== undefined) account = { ...account, [reportOnly]: { ...account[reportOnly], mode: 'report' } };
      const withModes = overrides.map(([o, sw]) => (sw === undefined ? o : { ...o, set: { ...o.set, [sw[0]]: { ...o.set[sw[0]], mode: sw[1] } } }));
      return { account: parseAccountPolicy(account), overrides: withModes.map((o) => parseStaffOverride(o)), ip, at };
    });
}

function clientIpArb(hostile: boolean): fc.Arbitrary<string> {
  const valid = ipAddressArb().map((a) => a.text);
  return hostile ? fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileIpAddressArb().map((h) => h.text) }) : valid;
}

/** All of `items`, all but one, none, or any subset, so complete logins and logins one step short are both common. */
function subsetArb<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  if (items.length === 0) return fc.constant([]);
  const allButOne = fc.nat({ max: items.length - 1 }).map((skip) => items.filter((_, i) => i !== skip));
  const all: fc.Arbitrary<T[]> = fc.constant(null).map(() => [...items]);
  const none: fc.Arbitrary<T[]> = fc.constant(null).map(() => []);
  const some: fc.Arbitrary<T[]> = fc.uniqueArray(fc.constantFrom(...items));
  return fc.oneof({ weight: 2, arbitrary: all }, { weight: 2, arbitrary: allButOne }, { weight: 1, arbitrary: none }, { weight: 1, arbitrary: some });
}

function codesOf(reasons: readonly { code: string }[]): string {
  return reasons.length === 0 ? 'no reasons' : reasons.map((r) => r.code).join(', ');
}

/**
 * Law: **only an allowed login yields a session.** A denied attempt (wrong method, address
 * outside the allowlist or unreadable, outside login hours) or one still missing a step (the
 * e-mailed code, a second factor, an enrollment) never ends with a session. With liveness on
 * (the default), an attempt `evaluateLogin` allows does end with one.
 *
 * Your subject installs the case's settings, runs your real login flow for `attempt`
 * (completing the steps in `attempt.verified` when asked), and reports whether a session was
 * created. Restrict `methods`, `steps` and `factors` to what your app supports.
 *
 * @example
 * ```ts
 * await checkLoginSessions(async ({ account, overrides, staffId, attempt }) => {
 *   db.reset({ account, overrides, staff: [{ id: staffId, enrolled: attempt.enrolled ?? [] }] });
 *   clock.set(attempt.at);
 *   const result = await loginAs(staffId, { from: attempt.ip, completing: attempt.verified ?? [] });
 *   return { session: result.session !== undefined };
 * }, { methods: ['password'], steps: ['email_code', 'totp'], factors: ['totp'] });
 * ```
 */
export async function checkLoginSessions(subject: LoginSubject, options: LoginLawOptions = {}): Promise<void> {
  const staffId = options.staffId ?? 'u_1';
  const methods = options.methods ?? ALL_METHODS;
  const steps = options.steps ?? ALL_STEPS;
  const factors = options.factors ?? ALL_FACTORS;
  const arbitrary = fc
    .record({
      settings: settingsArb(staffId, clientIpArb(options.hostileIps ?? true)),
      method: fc.constantFrom(...methods),
      // Mostly a method the policy allows: a wrong method is denied before anything else is looked at.
      allowedMethod: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
      verified: subsetArb(steps),
      enrolled: subsetArb(factors),
      // Steps aimed at what this policy needs: all of them, or all but one (the e-mailed code or
      // the second factor), sometimes plus factors the policy does not allow; and sometimes no
      // allowed factor set up, so the enrollment step is asked for.
      stepShape: fc.constantFrom('drawn', 'drawn', 'complete', 'short'),
      pick: fc.nat(),
      disallowedToo: fc.boolean(),
      noAllowedFactor: fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, fc.constant(true)),
      // What Google or Microsoft said about MFA (counts only with `loginOptions.acceptSsoMfa`).
      sso: fc.option(fc.record({ mfa: fc.boolean() }), { nil: undefined }),
    })
    .map(({ settings, method: drawn, allowedMethod, verified: drawnSteps, enrolled: drawnFactors, stepShape, pick, disallowedToo, noAllowedFactor, sso }): LoginLawCase => {
      const allowed = methods.filter((m) => settings.account.loginMethods.includes(m));
      const method = allowedMethod && allowed.length > 0 && !allowed.includes(drawn) ? (allowed[pick % allowed.length] ?? drawn) : drawn;
      const policy = resolvePolicy(settings.account, settings.overrides, { at: settings.at, staffId });
      const policyFactors = policy.twoFactor.methods;
      let verified = drawnSteps;
      if (stepShape !== 'drawn') {
        const usable = policyFactors.filter((f) => steps.includes(f));
        const needed: LoginStep[] = [];
        if (method === 'password' && steps.includes('email_code')) needed.push('email_code');
        if (policy.twoFactor.required && usable.length > 0) needed.push(usable[pick % usable.length] ?? 'totp');
        verified = stepShape === 'short' ? needed.filter((_, i) => i !== pick % Math.max(1, needed.length)) : needed;
        if (disallowedToo) verified = [...verified, ...steps.filter((s) => s !== 'email_code' && !(policyFactors as readonly string[]).includes(s))];
      }
      const enrolled = noAllowedFactor ? factors.filter((f) => !policyFactors.includes(f)) : drawnFactors;
      const attempt: LoginAttempt = { method, ip: settings.ip, at: settings.at, verified, enrolled, ...(sso === undefined || method === 'password' ? {} : { sso }) };
      return { account: settings.account, overrides: settings.overrides, staffId, policy, attempt };
    });
  await runLaw(
    'only an allowed login yields a session',
    arbitrary,
    async (c) => {
      const expected = evaluateLogin(c.policy, c.attempt, options.loginOptions);
      const result = await subject(c);
      skipIfNotApplicable(result);
      if (isNotApplicable(result)) return;
      if (result.session && expected.outcome !== 'allow') {
        throw new Error(`a session was created, but evaluateLogin says ${expected.outcome} (${codesOf(expected.reasons)})`);
      }
      if (!result.session && expected.outcome === 'allow' && options.requireLiveness !== false) {
        throw new Error('evaluateLogin allows this attempt, but no session was created');
      }
    },
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// Sessions: a session the policy ends is never continued

/**
 * One generated session re-check: the settings, the policy at the request's instant, and the
 * request (`ip` sometimes hostile; `loginAt` sometimes after `at`, which is malformed).
 *
 * @example
 * ```ts
 * const subject: SessionSubject = ({ policy, request }) => ({ continued: myMiddleware(policy, request) === 'next' });
 * ```
 */
export interface SessionLawCase {
  readonly account: AccountPolicy;
  readonly overrides: readonly StaffOverride[];
  readonly staffId: string;
  /** `resolvePolicy(account, overrides, { at: request.at, staffId })`. */
  readonly policy: EffectivePolicy;
  readonly request: SessionRequest;
}

/**
 * Your session middleware on a {@link SessionLawCase}: whether the request went on to the route.
 *
 * @example
 * ```ts
 * const subject: SessionSubject = async (c) => ({ continued: (await getWithSession(c)).status === 200 });
 * ```
 */
export type SessionSubject = (c: SessionLawCase) => Awaitable<{ readonly continued: boolean } | NotApplicable>;

/**
 * Options of {@link checkSessionRechecks}.
 *
 * @example
 * ```ts
 * const options: SessionLawOptions = { numRuns: 50, hostileIps: false };
 * ```
 */
export interface SessionLawOptions extends LawOptions {
  /** Whether `request.ip` may be hostile. Default `true`. */
  readonly hostileIps?: boolean;
  /** The staff id overrides are generated for. Default `'u_1'`. */
  readonly staffId?: string;
}

/**
 * Law: **a session the policy ends is never continued.** When `evaluateSession` says `end`
 * (address left the allowlist or unreadable, login hours over, malformed request), your
 * middleware does not let the request through. With liveness on, it does let through every
 * request `evaluateSession` continues.
 *
 * @example
 * ```ts
 * await checkSessionRechecks(async ({ account, overrides, staffId, request }) => {
 *   db.reset({ account, overrides, sessions: [{ id: 's1', staffId, loginAt: request.loginAt }] });
 *   clock.set(request.at);
 *   const res = await get('/me', { cookie: 'sid=s1', from: request.ip });
 *   return { continued: res.status === 200 };
 * });
 * ```
 */
export async function checkSessionRechecks(subject: SessionSubject, options: SessionLawOptions = {}): Promise<void> {
  const staffId = options.staffId ?? 'u_1';
  const arbitrary = fc
    .record({
      settings: settingsArb(staffId, clientIpArb(options.hostileIps ?? true)),
      sessionAge: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 12 * 3_600_000 }) }, { weight: 1, arbitrary: fc.integer({ min: -3_600_000, max: -1 }) }),
    })
    .map(({ settings, sessionAge }): SessionLawCase => {
      const request: SessionRequest = { ip: settings.ip, at: settings.at, loginAt: settings.at - sessionAge };
      const policy = resolvePolicy(settings.account, settings.overrides, { at: settings.at, staffId });
      return { account: settings.account, overrides: settings.overrides, staffId, policy, request };
    });
  await runLaw(
    'a session the policy ends is never continued',
    arbitrary,
    async (c) => {
      const expected = evaluateSession(c.policy, c.request);
      const result = await subject(c);
      skipIfNotApplicable(result);
      if (isNotApplicable(result)) return;
      if (result.continued && expected.outcome === 'end') {
        throw new Error(`the request went through, but evaluateSession ends the session (${codesOf(expected.reasons)})`);
      }
      if (!result.continued && expected.outcome === 'continue' && options.requireLiveness !== false) {
        throw new Error('evaluateSession continues this session, but the request was refused');
      }
    },
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// API keys: a denied API request never reaches the handler

/**
 * One generated API request: a stored record (sometimes missing, revoked or another key's),
 * the token presented (sometimes damaged or junk), the request and the workspace policy.
 *
 * @example
 * ```ts
 * const subject: ApiKeySubject = ({ record, token, request, policy }) => ({ passed: myGuard(record, token, request, policy) });
 * ```
 */
export interface ApiKeyLawCase {
  /** What your store returns for the token's id: `undefined` when there is none. */
  readonly record: ApiKeyRecord | undefined;
  /** The `Authorization: Bearer` token as sent. */
  readonly token: string;
  /** The instant, client address and the scope the endpoint needs. */
  readonly request: ApiKeyRequest;
  /** The workspace settings; `policy.api.ipAllowlist` is the API allowlist. */
  readonly policy: AccountPolicy;
}

/**
 * Your API-key middleware on an {@link ApiKeyLawCase}: whether the request reached the handler.
 *
 * @example
 * ```ts
 * const subject: ApiKeySubject = async (c) => ({ passed: (await callApi(c)).status < 400 });
 * ```
 */
export type ApiKeySubject = (c: ApiKeyLawCase) => Awaitable<{ readonly passed: boolean } | NotApplicable>;

// An address inside each allowlist entry `generateApiKeyOptionsArb` uses.
const MEMBER_OF: Readonly<Record<string, string>> = {
  '203.0.113.0/24': '203.0.113.5',
  '192.0.2.10-192.0.2.20': '192.0.2.15',
  '2001:db8::/48': '2001:db8::5',
  '10.0.0.0/8': '10.1.2.3',
};

/**
 * Law: **a denied API request never reaches the handler.** Whatever `verifyApiKey` refuses
 * (malformed, unknown, revoked or expired key, missing scope, address outside the key's or
 * the workspace's allowlist, unreadable address or instant) your middleware stops. With
 * liveness on, it lets through every request `verifyApiKey` allows.
 *
 * @example
 * ```ts
 * await checkApiKeyGuard(async ({ record, token, request, policy }) => {
 *   db.reset({ policy, apiKeys: record ? [record] : [] });
 *   clock.set(request.at);
 *   const res = await get(`/api/${request.scope}`, { authorization: `Bearer ${token}`, from: request.ip });
 *   return { passed: res.status === 200 };
 * });
 * ```
 */
export async function checkApiKeyGuard(subject: ApiKeySubject, options: LawOptions = {}): Promise<void> {
  const arbitrary = fc.record({
    key: generateApiKeyOptionsArb(),
    other: generateApiKeyOptionsArb(),
    tokenKind: fc.constantFrom('own', 'own', 'own', 'own', 'own', 'own', 'damaged', 'hostile', 'other'),
    damageAt: fc.nat(),
    hostileToken: hostileApiKeyTokenArb(),
    recordKind: fc.constantFrom('own', 'own', 'own', 'own', 'own', 'revoked', 'revoked', 'missing', 'other'),
    offset: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 86_400_000 }) }, fc.integer({ min: -86_400_000, max: 500 * 86_400_000 })),
    ipKind: fc.constantFrom('listed', 'listed', 'listed', 'any', 'hostile'),
    ip: apiKeyIpArb(),
    hostileIp: hostileApiKeyIpArb(),
    // 'sibling': a granted scope with the other action (write implies read; read never write).
    scopeKind: fc.constantFrom('granted', 'granted', 'granted', 'sibling', 'any', 'hostile'),
    anyScope: apiKeyScopeArb(),
    hostileScope: hostileApiKeyScopeArb(),
    pick: fc.nat(),
    workspaceList: fc.constantFrom('off', 'off', 'listed', 'listed', 'other'),
  });
  await runLaw(
    'a denied API request never reaches the handler',
    arbitrary,
    async (g) => {
      // Keys are generated here, in the property, because generation draws real randomness.
      const own = generateApiKey(g.key);
      const other = generateApiKey(g.other);
      const createdAt = Date.parse(own.record.createdAt);
      let token = own.token;
      if (g.tokenKind === 'damaged') {
        const i = g.damageAt % token.length;
        token = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      } else if (g.tokenKind === 'hostile') token = g.hostileToken;
      else if (g.tokenKind === 'other') token = other.token;
      let record: ApiKeyRecord | undefined = own.record;
      if (g.recordKind === 'missing') record = undefined;
      else if (g.recordKind === 'revoked') record = revokeApiKey(own.record, { at: createdAt });
      else if (g.recordKind === 'other') record = other.record;
      // A listed address: one inside an entry of the key's own allowlist, when it has one.
      const listed = (own.record.allowIps ?? []).map((e) => MEMBER_OF[e] ?? e).filter((e) => parseIp(e).ok);
      const ip = g.ipKind === 'hostile' ? g.hostileIp : g.ipKind === 'any' || listed.length === 0 ? g.ip : (listed[g.pick % listed.length] ?? g.ip);
      const granted = own.record.scopes;
      const grantedScope = granted[g.pick % granted.length] ?? g.anyScope;
      const sibling = grantedScope.endsWith('read') ? `${grantedScope.slice(0, -4)}write` : `${grantedScope.slice(0, -5)}read`;
      const scope = g.scopeKind === 'hostile' ? g.hostileScope : g.scopeKind === 'any' ? g.anyScope : g.scopeKind === 'sibling' ? sibling : grantedScope;
      const allow = g.workspaceList === 'listed' && parseIp(ip).ok ? [ip] : ['192.0.2.0/24'];
      const policy = parseAccountPolicy({ api: { ipAllowlist: { enabled: g.workspaceList !== 'off', allow } } });
      const c: ApiKeyLawCase = { record, token, request: { at: createdAt + g.offset, ip, scope }, policy };

      const expected = verifyApiKey(c.record, c.token, c.request, c.policy);
      const result = await subject(c);
      skipIfNotApplicable(result);
      if (isNotApplicable(result)) return;
      // Keys are random, so a replay with the seed presents other bytes: the counterexample
      // fast-check prints shows only what was drawn, so say here what the subject was given.
      const given = `\ntoken ${JSON.stringify(c.token.slice(0, 120))}, record ${c.record === undefined ? 'none' : JSON.stringify({ id: c.record.id, scopes: c.record.scopes, expiresAt: c.record.expiresAt, revokedAt: c.record.revokedAt, allowIps: c.record.allowIps })}, request ${JSON.stringify({ ...c.request, at: new Date(c.request.at).toISOString() })}`;
      if (result.passed && expected.outcome === 'deny') {
        throw new Error(`the request reached the handler, but verifyApiKey denies it (${codesOf(expected.reasons)})${given}`);
      }
      if (!result.passed && expected.outcome === 'allow' && options.requireLiveness !== false) {
        throw new Error(`verifyApiKey allows this request, but it did not reach the handler${given}`);
      }
    },
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// Client address: the one resolveClientIp finds, never a forged one

/**
 * One generated request as it reaches your app: the socket's peer address, the
 * X-Forwarded-For header (absent, honest, forged or malformed) and your trusted proxies.
 *
 * @example
 * ```ts
 * const subject: ClientIpSubject = ({ remoteAddress, forwardedFor, trustedProxies }) => myClientIp(remoteAddress, forwardedFor, trustedProxies);
 * ```
 */
export interface ClientIpLawCase {
  readonly remoteAddress: string;
  readonly forwardedFor: string | undefined;
  /** Entries and preset names as `resolveClientIp` takes them. */
  readonly trustedProxies: readonly string[];
}

/**
 * Your client-address lookup on a {@link ClientIpLawCase}: the address your app would use,
 * or `undefined` (or `''`) when it has none.
 *
 * @example
 * ```ts
 * const subject: ClientIpSubject = async (c) => (await echoClientIp(c)).ip;
 * ```
 */
export type ClientIpSubject = (c: ClientIpLawCase) => Awaitable<string | undefined | NotApplicable>;

const PROXY_LISTS: readonly (readonly string[])[] = [[], ['loopback'], ['10.0.0.0/8'], ['loopback', 'private'], ['203.0.113.0/24', '2001:db8::/32']];
const PROXY_ADDRESSES = ['127.0.0.1', '::1', '10.0.0.2', '10.1.2.3', '192.168.1.1', 'fd00::1', '203.0.113.9', '2001:db8::9'];

/**
 * Law: **the client address is the one `resolveClientIp` finds, never a forged one.** An
 * X-Forwarded-For header sent by a peer that is not a trusted proxy never changes the address
 * your app uses, a malformed hop leaves it with no address rather than a guess, and (with
 * liveness on) your app finds the address whenever `resolveClientIp` does. Addresses are
 * compared in canonical form, so `::ffff:203.0.113.7` and `203.0.113.7` are the same.
 *
 * @example
 * ```ts
 * await checkClientIpResolution(({ remoteAddress, forwardedFor, trustedProxies }) => {
 *   const req = fakeRequest({ socket: { remoteAddress }, headers: { 'x-forwarded-for': forwardedFor } });
 *   return clientIpOf(req, { trustedProxies }); // your helper
 * });
 * ```
 */
export async function checkClientIpResolution(subject: ClientIpSubject, options: LawOptions = {}): Promise<void> {
  const anyIp = ipAddressArb().map((a) => a.text);
  const hop = fc.oneof({ weight: 4, arbitrary: anyIp }, { weight: 3, arbitrary: fc.constantFrom(...PROXY_ADDRESSES) }, { weight: 1, arbitrary: hostileIpAddressArb().map((h) => h.text) });
  const arbitrary = fc.record({
    trustedProxies: fc.constantFrom(...PROXY_LISTS),
    remoteAddress: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PROXY_ADDRESSES) }, { weight: 3, arbitrary: anyIp }, { weight: 1, arbitrary: hostileIpAddressArb().map((h) => h.text) }),
    forwardedFor: fc.option(
      fc.tuple(fc.array(hop, { minLength: 1, maxLength: 4 }), fc.constantFrom(', ', ',', ' , ')).map(([hops, sep]) => hops.join(sep)),
      { nil: undefined, freq: 4 },
    ),
  });
  await runLaw(
    'the client address is the one resolveClientIp finds, never a forged one',
    arbitrary,
    async (c) => {
      const expected = resolveClientIp(c);
      const result = await subject(c);
      skipIfNotApplicable(result);
      if (isNotApplicable(result)) return;
      const found = result === undefined || result === '' ? undefined : parseIp(result);
      if (found !== undefined && !found.ok) throw new Error(`the app uses "${result}", which is not an address`);
      if (found !== undefined && (!expected.ok || expected.ip !== found.address)) {
        throw new Error(`the app uses ${found.address}, but resolveClientIp finds ${expected.ok ? expected.ip : `none (${expected.reason})`}`);
      }
      if (found === undefined && expected.ok && options.requireLiveness !== false) {
        throw new Error(`resolveClientIp finds ${expected.ip}, but the app found no address`);
      }
    },
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// Mail: a message with an excluded participant is never tracked

/**
 * One generated sync batch: the admin's exclusion entries and the synced messages (address
 * fields as raw header values: display names, groups, comments, case and `+tag` variants,
 * and unreadable text).
 *
 * @example
 * ```ts
 * const subject: MailSubject = ({ entries, messages }) => ({ tracked: mySyncFilter(entries, messages).map((m) => messages.indexOf(m)) });
 * ```
 */
export interface MailLawCase {
  readonly entries: readonly string[];
  readonly messages: readonly MailMessageAddresses[];
}

/**
 * Your sync filter on a {@link MailLawCase}: the positions (indexes into `messages`) of the
 * messages your job would store in the CRM.
 *
 * @example
 * ```ts
 * const subject: MailSubject = async (c) => ({ tracked: await dryRunSync(c.entries, c.messages) });
 * ```
 */
export type MailSubject = (c: MailLawCase) => Awaitable<{ readonly tracked: readonly number[] } | NotApplicable>;

/**
 * Law: **a message with an excluded participant is never tracked.** A message whose sender or
 * any recipient (to, cc, bcc, reply-to) is excluded, or whose address headers cannot be read,
 * never reaches the CRM. With liveness on, every message `evaluateMailMessage` tracks is
 * tracked.
 *
 * @example
 * ```ts
 * await checkMailTracking(({ entries, messages }) => {
 *   const stored = runSyncDry(entries, messages); // your job, without IMAP and storage
 *   return { tracked: stored.map((m) => messages.indexOf(m)) };
 * });
 * ```
 */
export async function checkMailTracking(subject: MailSubject, options: LawOptions = {}): Promise<void> {
  const arbitrary = fc.uniqueArray(mailAddressArb(), { minLength: 3, maxLength: 3 }).chain((pool) => {
    const domainOf = (a: string) => a.slice(a.lastIndexOf('@') + 1);
    const entry = fc.oneof(fc.constantFrom(...pool), fc.constantFrom(...pool.map((a) => `@${domainOf(a)}`)));
    // A pool address, sometimes with a `+tag` (delivered to the same mailbox), in any RFC 5322 spelling.
    const tagged = fc.tuple(fc.constantFrom(...pool), fc.option(mailSubaddressArb(), { nil: undefined })).map(([a, tag]) => (tag === undefined ? a : a.replace('@', `+${tag}@`)));
    const spelling = tagged.chain((a) => mailAddressSpellingArb(a));
    const address = fc.oneof({ weight: 3, arbitrary: spelling }, { weight: 2, arbitrary: mailAddressArb() }, { weight: 1, arbitrary: hostileMailStringArb() });
    const header = fc.oneof({ weight: 3, arbitrary: address }, { weight: 1, arbitrary: mailHeaderValueArb(fc.oneof(fc.constantFrom(...pool), mailAddressArb())).map((h) => h.header) });
    const list = fc.oneof(fc.constant(undefined), fc.array(header, { maxLength: 2 }), header);
    const message = fc.record({ from: address, to: list, cc: list, bcc: list, replyTo: list }, { requiredKeys: ['from'] });
    return fc.record({ entries: fc.uniqueArray(entry, { maxLength: 3 }), messages: fc.array(message, { minLength: 1, maxLength: 6 }) });
  });
  await runLaw(
    'a message with an excluded participant is never tracked',
    arbitrary,
    async (c) => {
      const exclusions = compileMailExclusions(c.entries);
      const result = await subject(c);
      skipIfNotApplicable(result);
      if (isNotApplicable(result)) return;
      const tracked = new Set(result.tracked);
      c.messages.forEach((message, i) => {
        const decision = evaluateMailMessage(message, exclusions);
        if (tracked.has(i) && !decision.tracked) {
          const why = decision.reason === 'address_unparseable' ? `its ${decision.field} header cannot be read` : decision.reason === 'message_invalid' ? 'it is not a message' : `${decision.field} ${decision.address} matches ${decision.entry}`;
          throw new Error(`message ${i} was tracked, but ${why}`);
        }
        if (!tracked.has(i) && decision.tracked && options.requireLiveness !== false) {
          throw new Error(`message ${i} has no excluded participant, but was not tracked`);
        }
      });
      for (const i of tracked) if (!Number.isInteger(i) || i < 0 || i >= c.messages.length) throw new Error(`tracked index ${i} is not a message of the batch`);
    },
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// TOTP: an accepted code is never accepted again

/**
 * One TOTP submission: the staff member (a fresh id per generated case), their secret, the
 * code typed and the instant.
 *
 * @example
 * ```ts
 * const subject: TotpSubject = ({ staffId, secret, code, at }) => myApp.submitTotp(staffId, secret, code, at);
 * ```
 */
export interface TotpLawStep {
  readonly staffId: string;
  /** Base32 secret: enroll the staff member with it the first time you see the id. */
  readonly secret: string;
  readonly code: string;
  /** Epoch ms. */
  readonly at: number;
}

/**
 * Your TOTP step (verification plus storing the last used step) on one submission: whether
 * it accepted the code. It is called several times per case, in order, for the same staff member.
 *
 * @example
 * ```ts
 * const subject: TotpSubject = async (s) => (await postCode(s)).status === 200;
 * ```
 */
export type TotpSubject = (step: TotpLawStep) => Awaitable<boolean>;

const STEP_MS = 30_000;
let totpRuns = 0;

function totpAt(secret: string, atMs: number): string {
  return generateSync({ secret, epoch: Math.floor(atMs / 1000) });
}

/**
 * Law: **an accepted TOTP code is never accepted again**, nor is an older one after it, even
 * within the drift window. Checks that your app stores the `step` `verifyTotp` returns and
 * passes it back as `lastUsedStep`. With liveness on, the current code is accepted first,
 * and the next step's code afterwards.
 *
 * @example
 * ```ts
 * const lastStep = new Map<string, number>();
 * await checkTotpReplay(({ staffId, secret, code, at }) => {
 *   const r = verifyTotp({ secret, code, at, lastUsedStep: lastStep.get(staffId) });
 *   if (r.ok) lastStep.set(staffId, r.step);
 *   return r.ok;
 * });
 * ```
 */
export async function checkTotpReplay(subject: TotpSubject, options: LawOptions = {}): Promise<void> {
  // Staff ids are unique in the process, not only in this run: a store that outlives one run
  // (a test database set up once per file, a retried test) must never see an id again.
  totpRuns += 1;
  const run = totpRuns;
  let counter = 0;
  const arbitrary = fc.record({
    secret: totpSecretArb({ minBytes: 20, maxBytes: 32 }),
    at: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }),
    later: fc.integer({ min: 0, max: STEP_MS - 1 }),
  });
  await runLaw(
    'an accepted TOTP code is never accepted again',
    arbitrary,
    async ({ secret, at, later }) => {
      counter += 1;
      const staffId = `law-totp-${run}-${counter}`;
      const liveness = options.requireLiveness !== false;
      const code = totpAt(secret, at);
      const first = await subject({ staffId, secret, code, at });
      if (!first && liveness) throw new Error('the current code was refused on first use');
      if (!first) return;
      const again = at + later;
      if (await subject({ staffId, secret, code, at: again })) throw new Error(`the same code was accepted again ${later} ms later`);
      const older = totpAt(secret, at - STEP_MS);
      if (older !== code && (await subject({ staffId, secret, code: older, at: again }))) {
        throw new Error("the previous step's code was accepted after a newer one");
      }
      const next = at + STEP_MS;
      const nextCode = totpAt(secret, next);
      if (nextCode !== code && liveness && !(await subject({ staffId, secret, code: nextCode, at: next }))) {
        throw new Error("the next step's code was refused");
      }
    },
    options,
  );
}
