import * as z from 'zod';
import type { LoginHoursWindow, Weekday } from '../hours/index.js';

export type { Weekday };

/**
 * How a person signs in: Google or Microsoft single sign-on, or e-mail + password (+ e-mailed
 * code). An account lists the methods it allows in `loginMethods`; an attempt names the one used.
 *
 * @example
 * ```ts
 * const method: LoginMethod = req.body.provider === 'google' ? 'google' : 'password';
 * const decision = evaluateLogin(policy, { method, ip: clientIp, at: now });
 * ```
 */
export type LoginMethod = 'google' | 'microsoft' | 'password';
/**
 * A second factor: authenticator-app TOTP, an SMS code, or an e-mailed code. Used both for
 * the factors an account allows (`twoFactor.methods`) and for those a person has set up.
 *
 * @example
 * ```ts
 * const enrolled: SecondFactor[] = user.totpSecret ? ['totp', 'email'] : ['email'];
 * evaluateLogin(policy, { method: 'google', ip: clientIp, at: now, enrolled });
 * ```
 */
export type SecondFactor = 'totp' | 'sms' | 'email';

/**
 * How a rule acts. `enforce` (the default): it denies or challenges. `report`: it never
 * denies or challenges; the login decision lists what it would have done in `reported`, so an
 * admin can watch a new rule before switching it on for real.
 *
 * @example
 * ```ts
 * // Trial a lockdown: logins from elsewhere still succeed but show up in `decision.reported`.
 * const account = parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'], mode: 'report' satisfies RuleMode } });
 * ```
 */
export type RuleMode = 'enforce' | 'report';

/**
 * Every login method, in the order admin screens list them (also the default of
 * `loginMethods`). Use it to build a method picker or to validate a method from a request.
 *
 * @example
 * ```ts
 * const method = LOGIN_METHODS.find((m) => m === req.body.method); // LoginMethod | undefined
 * ```
 */
export const LOGIN_METHODS: readonly LoginMethod[] = ['google', 'microsoft', 'password'];
/**
 * Every second factor, in the order admin screens list them (also the default of
 * `twoFactor.methods`). Use it to render the factor checkboxes of the 2FA settings.
 *
 * @example
 * ```ts
 * const boxes = SECOND_FACTORS.map((f) => ({ factor: f, checked: account.twoFactor.methods.includes(f) }));
 * ```
 */
export const SECOND_FACTORS: readonly SecondFactor[] = ['totp', 'sms', 'email'];
/**
 * Both rule modes, `enforce` first (the default): the options of a rule's "enforce / report
 * only" switch.
 *
 * @example
 * ```ts
 * const options = RULE_MODES.map((mode) => ({ value: mode, selected: (account.ipLockdown.mode ?? 'enforce') === mode }));
 * ```
 */
export const RULE_MODES: readonly RuleMode[] = ['enforce', 'report'];

/**
 * One weekly login window, wall-clock times in the schedule's zone (`end` may be before
 * `start`: overnight).
 *
 * @example
 * ```ts
 * const nightShift: LoginWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '22:00', end: '06:00' };
 * ```
 */
export type LoginWindow = LoginHoursWindow;

/**
 * The `twoFactor` rule: whether a second factor is required and which factors count. Without
 * an enrolled factor a person is asked to set one up (`enroll`) rather than refused.
 *
 * @example
 * ```ts
 * const twoFactor: TwoFactorSettings = { required: true, methods: ['totp', 'email'] };
 * parseAccountPolicy({ twoFactor });
 * ```
 */
export interface TwoFactorSettings {
  /** Every login needs a second factor. Default `false`. */
  readonly required: boolean;
  /** The factors a person may use. Default all three. */
  readonly methods: readonly SecondFactor[];
  /** `report`: 2FA is never asked for, only reported. Absent means `enforce`. */
  readonly mode?: RuleMode;
}

/**
 * An on/off list of addresses: the API allowlist. Turning it on with an empty `allow` refuses
 * every call, which `lintPolicy` reports.
 *
 * @example
 * ```ts
 * const ipAllowlist: IpAllowlistSettings = { enabled: true, allow: ['203.0.113.0/24', '2001:db8::/32'] };
 * parseAccountPolicy({ api: { ipAllowlist } });
 * ```
 */
export interface IpAllowlistSettings {
  /** Only addresses in `allow` get through. Default `false`. */
  readonly enabled: boolean;
  /** Addresses, CIDRs and start–end ranges, IPv4 and IPv6. Default `[]`. */
  readonly allow: readonly string[];
}

/**
 * The `ipLockdown` rule: logins are only allowed from the addresses in `allow`. A staff
 * override may turn it off or widen it for one person (someone who travels).
 *
 * @example
 * ```ts
 * const ipLockdown: IpLockdownSettings = { enabled: true, allow: ['198.51.100.0/24', '192.0.2.10-192.0.2.20'], mode: 'enforce' };
 * parseAccountPolicy({ ipLockdown });
 * ```
 */
export interface IpLockdownSettings extends IpAllowlistSettings {
  /** `report`: logins from outside `allow` are reported, not refused. Absent means `enforce`. */
  readonly mode?: RuleMode;
}

/**
 * The `loginHours` rule: logins only inside weekly wall-clock windows read in one IANA zone,
 * so the hours follow that zone's DST changes. Outside the windows a login is denied with
 * `retryAt` and a live session is ended by `evaluateSession`.
 *
 * @example
 * ```ts
 * const loginHours: LoginHoursSettings = {
 *   enabled: true,
 *   timezone: 'Europe/London',
 *   windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
 * };
 * parseAccountPolicy({ loginHours });
 * ```
 */
export interface LoginHoursSettings {
  /** Logins only inside `windows`. Default `false`. */
  readonly enabled: boolean;
  /** IANA zone the windows are read in. Default `'UTC'`. */
  readonly timezone: string;
  /** Weekly windows. Default `[]`. */
  readonly windows: readonly LoginWindow[];
  /** `report`: logins outside the windows are reported, not refused. Absent means `enforce`. */
  readonly mode?: RuleMode;
}

/**
 * The `lockout` rule: brute-force protection. After `maxFailures` failed sign-in steps (a
 * wrong password, e-mailed code, TOTP or SMS code) within `windowMinutes`, the person is
 * refused for `lockoutMinutes`. Failures from networks the person never signed in from count
 * apart from those from their familiar networks, so a guessing attack from elsewhere does not
 * lock them out of the office (see `recordLoginFailure`). On by default: 10 failures in 15
 * minutes lock for 15 minutes.
 *
 * @example
 * ```ts
 * const lockout: LockoutSettings = { enabled: true, maxFailures: 5, windowMinutes: 15, lockoutMinutes: 30, networkMaxFailures: 100 };
 * parseAccountPolicy({ lockout });
 * ```
 */
export interface LockoutSettings {
  /** Failed sign-in steps lock the person out. Default `true`. */
  readonly enabled: boolean;
  /** Failures within the window that lock: 1 to 1000. Default 10 (NIST 800-63B allows at most 100). */
  readonly maxFailures: number;
  /** How long a failure counts, in minutes: 1 to 1440. Default 15. */
  readonly windowMinutes: number;
  /** How long a lock lasts, in minutes: 1 to 10080 (a week). Default 15. */
  readonly lockoutMinutes: number;
  /**
   * Failures from one client network (IPv4 /24, IPv6 /48) across all accounts, within the same
   * window, that throttle that network for everyone: 1 to 1000 (a record keeps at most 1000 instants). Default 100. Account-wide:
   * an override cannot change it.
   */
  readonly networkMaxFailures: number;
  /** `report`: a locked person is let in and the lock only reported. Absent means `enforce`. */
  readonly mode?: RuleMode;
}

/**
 * Account-wide API-key settings: the addresses API calls may come from and the longest
 * lifetime a new key may have. They are not overridable per person.
 *
 * @example
 * ```ts
 * const api: ApiSettings = { ipAllowlist: { enabled: true, allow: ['10.20.0.0/16'] }, maxKeyLifetimeDays: 365 };
 * parseAccountPolicy({ api });
 * ```
 */
export interface ApiSettings {
  /** The API's own allowlist, independent of the login lockdown. Default off and empty. */
  readonly ipAllowlist: IpAllowlistSettings;
  /** Longest lifetime of a new API key, in days. Default: no limit. */
  readonly maxKeyLifetimeDays?: number;
}

/**
 * The mail-tracking settings: addresses and domains whose messages the CRM must never track
 * (the board, HR, a lawyer). Not overridable per person.
 *
 * @example
 * ```ts
 * const mail: MailSettings = { excluded: ['ceo@acme.test', '@board.acme.test'] };
 * parseAccountPolicy({ mail });
 * ```
 */
export interface MailSettings {
  /** Addresses (`ceo@acme.test`) and domains (`@board.acme.test`) never tracked. Default `[]`. */
  readonly excluded: readonly string[];
}

/**
 * The account-wide security defaults, as returned by {@link parseAccountPolicy}: every field
 * present. Store the raw input, parse it when loaded, and pass the result to
 * {@link resolvePolicy} with the person's overrides.
 *
 * @example
 * ```ts
 * const account: AccountPolicy = parseAccountPolicy(await db.loadSecuritySettings(workspaceId));
 * if (account.twoFactor.required) showBanner('Two-factor authentication is required in this workspace');
 * ```
 */
export interface AccountPolicy {
  readonly loginMethods: readonly LoginMethod[];
  readonly twoFactor: TwoFactorSettings;
  readonly ipLockdown: IpLockdownSettings;
  readonly loginHours: LoginHoursSettings;
  readonly lockout: LockoutSettings;
  readonly api: ApiSettings;
  readonly mail: MailSettings;
  /**
   * Rules for roles and teams, applied between the account defaults and the staff overrides,
   * in list order (a later layer wins a field both set). Absent when there are none.
   */
  readonly layers?: readonly PolicyLayer[];
}

/**
 * Which staff a {@link PolicyLayer} applies to: anyone holding one of `roles` or belonging to
 * one of `teams` (the role and team ids of `resolveAccess`). At least one id in all.
 *
 * @example
 * ```ts
 * const appliesTo: LayerTarget = { roles: ['admin'], teams: ['sales-emea'] };
 * ```
 */
export interface LayerTarget {
  readonly roles?: readonly string[];
  readonly teams?: readonly string[];
}

/**
 * Security settings for a role or a team: the same `set` as a staff override, with a reason,
 * an optional expiry and review date. {@link resolvePolicy} applies the layers a person is in
 * after the account defaults and before that person's own overrides.
 *
 * @example
 * ```ts
 * const travelling: PolicyLayer = {
 *   id: 'sales-travel',
 *   reason: 'The sales team signs in from customer sites',
 *   appliesTo: { teams: ['sales'] },
 *   set: { ipLockdown: { enabled: false } },
 *   reviewBy: '2027-06-30T00:00:00Z',
 * };
 * ```
 */
export interface PolicyLayer {
  /** Unique within the account; names the layer in sources, reasons and reports. */
  readonly id: string;
  /** Why the layer exists. Required, never blank. */
  readonly reason: string;
  readonly appliesTo: LayerTarget;
  readonly set: OverrideSet;
  /** From this instant on the layer has no effect (ISO 8601 with offset). */
  readonly expiresAt?: string;
  /** When someone should look at the layer again (ISO 8601 with offset). */
  readonly reviewBy?: string;
}

/**
 * The fields a staff override may replace; each is optional and replaces the account's whole.
 * Only the login rules are here: API and mail settings are account-wide.
 *
 * @example
 * ```ts
 * const set: OverrideSet = { ipLockdown: { enabled: false }, twoFactor: { methods: ['totp'] } };
 * parseStaffOverride({ staffId: 'u_42', reason: 'Travels weekly to client sites', set });
 * ```
 */
export interface OverrideSet {
  readonly loginMethods?: readonly LoginMethod[];
  readonly twoFactor?: Partial<TwoFactorSettings>;
  readonly ipLockdown?: Partial<IpLockdownSettings>;
  readonly loginHours?: Partial<LoginHoursSettings>;
  /** The person's lockout rule; `networkMaxFailures` is account-wide and not here. */
  readonly lockout?: Partial<Omit<LockoutSettings, 'networkMaxFailures'>>;
}

/**
 * One staff member's exception to the account defaults, as returned by
 * {@link parseStaffOverride}. The required `reason` and the optional dates feed the review
 * list ({@link reviewOverrides}) and the audit trail.
 *
 * @example
 * ```ts
 * const override: StaffOverride = parseStaffOverride({
 *   staffId: 'u_42',
 *   reason: 'Works from the Tokyo office until the move',
 *   reviewBy: '2027-01-15T00:00:00Z',
 *   set: { loginHours: { timezone: 'Asia/Tokyo' } },
 * });
 * override.set.loginHours?.timezone; // 'Asia/Tokyo'
 * ```
 */
export interface StaffOverride {
  readonly staffId: string;
  /** Why the exception exists. Required, never blank. */
  readonly reason: string;
  /** Optional id of the override record, shown in reports. */
  readonly id?: string;
  /** When the exception was granted (ISO 8601 with offset). */
  readonly createdAt?: string;
  /** From this instant on the override has no effect (ISO 8601 with offset). */
  readonly expiresAt?: string;
  /** When someone should look at the exception again (ISO 8601 with offset). */
  readonly reviewBy?: string;
  readonly set: OverrideSet;
}

const loginMethod = z.enum(['google', 'microsoft', 'password']);
const ruleMode = z
  .enum(['enforce', 'report'])
  .describe('"enforce" (default): the rule denies or challenges. "report": it never does; the decision lists what it would have done');
const secondFactor = z.enum(['totp', 'sms', 'email']);
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const timeOfDay = z.string().describe('Wall-clock time "HH:MM", 24-hour');
const ipEntry = z.string().describe('An IP address, a CIDR ("203.0.113.0/24") or a range ("192.0.2.10-192.0.2.20")');
const instant = z.string().describe('ISO 8601 instant with Z or an offset, e.g. "2026-12-31T23:59:00Z"');

const loginWindow = z.strictObject({
  days: z.array(weekday).min(1),
  start: timeOfDay,
  end: timeOfDay,
});

const twoFactorFields = {
  required: z.boolean(),
  methods: z.array(secondFactor),
};
const ipListFields = {
  enabled: z.boolean(),
  allow: z.array(ipEntry),
};
const lockoutFields = {
  enabled: z.boolean(),
  maxFailures: z.number().int().min(1).max(1000).describe('Failed sign-in steps within the window that lock the person out'),
  windowMinutes: z.number().int().min(1).max(1440).describe('Minutes a failure counts'),
  lockoutMinutes: z.number().int().min(1).max(10_080).describe('Minutes a lock lasts'),
  networkMaxFailures: z.number().int().min(1).max(1000).describe('Failures from one client network (IPv4 /24, IPv6 /48) across all accounts that throttle it'),
};
const loginHoursFields = {
  enabled: z.boolean(),
  timezone: z.string().describe('IANA time zone, e.g. "Europe/London"'),
  windows: z.array(loginWindow),
};

/**
 * The product default: anyone may log in from anywhere at any time with any method. It is
 * what {@link parseAccountPolicy} returns for `{}`, and a baseline to diff a workspace against.
 *
 * @example
 * ```ts
 * const changes = diffPolicies(DEFAULT_ACCOUNT_POLICY, account);
 * console.log(`${changes.length} settings differ from the defaults`);
 * ```
 */
export const DEFAULT_ACCOUNT_POLICY: AccountPolicy = deepFreeze({
  loginMethods: ['google', 'microsoft', 'password'],
  twoFactor: { required: false, methods: ['totp', 'sms', 'email'] },
  ipLockdown: { enabled: false, allow: [] },
  loginHours: { enabled: false, timezone: 'UTC', windows: [] },
  lockout: { enabled: true, maxFailures: 10, windowMinutes: 15, lockoutMinutes: 15, networkMaxFailures: 100 },
  api: { ipAllowlist: { enabled: false, allow: [] } },
  mail: { excluded: [] },
});

// What a staff override or a policy layer may set: the login rules, each field optional.
const overrideSetSchema = z.strictObject({
  loginMethods: z.array(loginMethod).min(1).optional(),
  twoFactor: z
    .strictObject({ required: twoFactorFields.required.optional(), methods: twoFactorFields.methods.optional(), mode: ruleMode.optional() })
    .optional(),
  ipLockdown: z.strictObject({ enabled: ipListFields.enabled.optional(), allow: ipListFields.allow.optional(), mode: ruleMode.optional() }).optional(),
  loginHours: z
    .strictObject({
      enabled: loginHoursFields.enabled.optional(),
      timezone: loginHoursFields.timezone.optional(),
      windows: loginHoursFields.windows.optional(),
      mode: ruleMode.optional(),
    })
    .optional(),
  lockout: z
    .strictObject({
      enabled: lockoutFields.enabled.optional(),
      maxFailures: lockoutFields.maxFailures.optional(),
      windowMinutes: lockoutFields.windowMinutes.optional(),
      lockoutMinutes: lockoutFields.lockoutMinutes.optional(),
      mode: ruleMode.optional(),
    })
    .optional(),
});

const roleOrTeamId = z.string().min(1);
const layerSchema = z.strictObject({
  id: z.string().min(1),
  reason: z.string(),
  appliesTo: z.strictObject({
    roles: z.array(roleOrTeamId).optional().describe('Role ids (as in resolveAccess): anyone holding one is in the layer'),
    teams: z.array(roleOrTeamId).optional().describe('Team (group) ids: anyone in one is in the layer'),
  }),
  set: overrideSetSchema,
  expiresAt: instant.optional(),
  reviewBy: instant.optional(),
});

const D = DEFAULT_ACCOUNT_POLICY;

/**
 * zod schema of the account policy's structure. Unknown keys are refused, so a misspelt
 * setting is an error instead of a silently ignored rule. Semantic checks (IP entries, time
 * zones, times of day, mail entries) are done by {@link parseAccountPolicy}, which you should
 * call rather than this schema.
 *
 * @example
 * ```ts
 * // Reuse the structure in a host's own zod schema, e.g. a settings import endpoint.
 * const importBody = z.object({ workspaceId: z.string(), settings: accountPolicySchema });
 * const { settings } = importBody.parse(req.body);
 * const account = parseAccountPolicy(settings); // the semantic checks
 * ```
 */
export const accountPolicySchema = z.strictObject({
  loginMethods: z.array(loginMethod).min(1).default([...D.loginMethods]),
  twoFactor: z
    .strictObject({
      required: twoFactorFields.required.default(D.twoFactor.required),
      methods: twoFactorFields.methods.default([...D.twoFactor.methods]),
      mode: ruleMode.optional(),
    })
    .default({ required: D.twoFactor.required, methods: [...D.twoFactor.methods] }),
  ipLockdown: z
    .strictObject({
      enabled: ipListFields.enabled.default(false),
      allow: ipListFields.allow.default([]),
      mode: ruleMode.optional(),
    })
    .default({ enabled: false, allow: [] }),
  loginHours: z
    .strictObject({
      enabled: loginHoursFields.enabled.default(false),
      timezone: loginHoursFields.timezone.default(D.loginHours.timezone),
      windows: loginHoursFields.windows.default([]),
      mode: ruleMode.optional(),
    })
    .default({ enabled: false, timezone: D.loginHours.timezone, windows: [] }),
  lockout: z
    .strictObject({
      enabled: lockoutFields.enabled.default(D.lockout.enabled),
      maxFailures: lockoutFields.maxFailures.default(D.lockout.maxFailures),
      windowMinutes: lockoutFields.windowMinutes.default(D.lockout.windowMinutes),
      lockoutMinutes: lockoutFields.lockoutMinutes.default(D.lockout.lockoutMinutes),
      networkMaxFailures: lockoutFields.networkMaxFailures.default(D.lockout.networkMaxFailures),
      mode: ruleMode.optional(),
    })
    .default({ ...D.lockout }),
  api: z
    .strictObject({
      ipAllowlist: z
        .strictObject({
          enabled: ipListFields.enabled.default(false),
          allow: ipListFields.allow.default([]),
        })
        .default({ enabled: false, allow: [] }),
      maxKeyLifetimeDays: z.number().int().positive().max(36_500).optional(),
    })
    .default({ ipAllowlist: { enabled: false, allow: [] } }),
  mail: z
    .strictObject({
      excluded: z.array(z.string()).default([]),
    })
    .default({ excluded: [] }),
  layers: z
    .array(layerSchema)
    .optional()
    .describe('Settings for roles and teams, applied after the account defaults and before staff overrides, in list order (a later layer wins)'),
});

/**
 * zod schema of a staff override's structure (see {@link accountPolicySchema} for the
 * caveat: the semantic checks are done by {@link parseStaffOverride}).
 *
 * @example
 * ```ts
 * const body = z.object({ override: staffOverrideSchema }).parse(req.body);
 * const override = parseStaffOverride(body.override);
 * ```
 */
export const staffOverrideSchema = z.strictObject({
  staffId: z.string().min(1),
  reason: z.string(),
  id: z.string().min(1).optional(),
  createdAt: instant.optional(),
  expiresAt: instant.optional(),
  reviewBy: instant.optional(),
  set: overrideSetSchema,
});

/**
 * Input accepted by {@link parseAccountPolicy}: every field optional. Type the settings a
 * host stores or builds in an admin form with it, so a misspelt key fails to compile.
 *
 * @example
 * ```ts
 * const input: AccountPolicyInput = { twoFactor: { required: true, methods: ['totp'] }, api: { maxKeyLifetimeDays: 90 } };
 * const account = parseAccountPolicy(input);
 * ```
 */
export type AccountPolicyInput = z.input<typeof accountPolicySchema>;
/**
 * Input accepted by {@link parseStaffOverride}: the shape a host stores for one exception.
 *
 * @example
 * ```ts
 * const input: StaffOverrideInput = {
 *   staffId: 'u_7',
 *   reason: 'Night-shift support engineer',
 *   expiresAt: '2027-06-30T00:00:00Z',
 *   set: { loginHours: { enabled: false } },
 * };
 * const override = parseStaffOverride(input);
 * ```
 */
export type StaffOverrideInput = z.input<typeof staffOverrideSchema>;

/**
 * JSON Schema (draft 2020-12) of the account policy input, for host admin screens and form
 * generators. Defaults are included.
 *
 * @example
 * ```ts
 * const schema = accountPolicyJsonSchema();
 * schema.properties.loginMethods.default; // ['google', 'microsoft', 'password']
 * ```
 */
export function accountPolicyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(accountPolicySchema, { io: 'input' });
}

/**
 * JSON Schema (draft 2020-12) of a staff override, for host admin screens and for validating
 * overrides sent to a host's API before they are stored.
 *
 * @example
 * ```ts
 * const schema = staffOverrideJsonSchema();
 * schema.required; // ['staffId', 'reason', 'set']
 * ```
 */
export function staffOverrideJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(staffOverrideSchema, { io: 'input' });
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
