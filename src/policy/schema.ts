import * as z from 'zod';
import type { LoginHoursWindow, Weekday } from '../hours/index.js';

export type { Weekday };

/** How a person signs in: Google or Microsoft single sign-on, or e-mail + password (+ e-mailed code). */
export type LoginMethod = 'google' | 'microsoft' | 'password';
/** A second factor: authenticator-app TOTP, an SMS code, or an e-mailed code. */
export type SecondFactor = 'totp' | 'sms' | 'email';

/**
 * How a rule acts. `enforce` (the default): it denies or challenges. `report`: it never
 * denies or challenges; the login decision lists what it would have done in `reported`, so an
 * admin can watch a new rule before switching it on for real.
 */
export type RuleMode = 'enforce' | 'report';

export const LOGIN_METHODS: readonly LoginMethod[] = ['google', 'microsoft', 'password'];
export const SECOND_FACTORS: readonly SecondFactor[] = ['totp', 'sms', 'email'];
/** Both rule modes, `enforce` first (the default). */
export const RULE_MODES: readonly RuleMode[] = ['enforce', 'report'];

/** One weekly login window, wall-clock times in the schedule's zone (`end` may be before `start`: overnight). */
export type LoginWindow = LoginHoursWindow;

export interface TwoFactorSettings {
  /** Every login needs a second factor. Default `false`. */
  readonly required: boolean;
  /** The factors a person may use. Default all three. */
  readonly methods: readonly SecondFactor[];
  /** `report`: 2FA is never asked for, only reported. Absent means `enforce`. */
  readonly mode?: RuleMode;
}

/** An on/off list of addresses: the API allowlist. */
export interface IpAllowlistSettings {
  /** Only addresses in `allow` get through. Default `false`. */
  readonly enabled: boolean;
  /** Addresses, CIDRs and start–end ranges, IPv4 and IPv6. Default `[]`. */
  readonly allow: readonly string[];
}

export interface IpLockdownSettings extends IpAllowlistSettings {
  /** `report`: logins from outside `allow` are reported, not refused. Absent means `enforce`. */
  readonly mode?: RuleMode;
}

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

export interface ApiSettings {
  /** The API's own allowlist, independent of the login lockdown. Default off and empty. */
  readonly ipAllowlist: IpAllowlistSettings;
  /** Longest lifetime of a new API key, in days. Default: no limit. */
  readonly maxKeyLifetimeDays?: number;
}

export interface MailSettings {
  /** Addresses (`ceo@acme.test`) and domains (`@board.acme.test`) never tracked. Default `[]`. */
  readonly excluded: readonly string[];
}

/** The account-wide security defaults, as returned by {@link parseAccountPolicy}: every field present. */
export interface AccountPolicy {
  readonly loginMethods: readonly LoginMethod[];
  readonly twoFactor: TwoFactorSettings;
  readonly ipLockdown: IpLockdownSettings;
  readonly loginHours: LoginHoursSettings;
  readonly api: ApiSettings;
  readonly mail: MailSettings;
}

/** The fields a staff override may replace; each is optional and replaces the account's whole. */
export interface OverrideSet {
  readonly loginMethods?: readonly LoginMethod[];
  readonly twoFactor?: Partial<TwoFactorSettings>;
  readonly ipLockdown?: Partial<IpLockdownSettings>;
  readonly loginHours?: Partial<LoginHoursSettings>;
}

/** One staff member's exception to the account defaults, as returned by {@link parseStaffOverride}. */
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
const loginHoursFields = {
  enabled: z.boolean(),
  timezone: z.string().describe('IANA time zone, e.g. "Europe/London"'),
  windows: z.array(loginWindow),
};

/** The product default: anyone may log in from anywhere at any time with any method. */
export const DEFAULT_ACCOUNT_POLICY: AccountPolicy = deepFreeze({
  loginMethods: ['google', 'microsoft', 'password'],
  twoFactor: { required: false, methods: ['totp', 'sms', 'email'] },
  ipLockdown: { enabled: false, allow: [] },
  loginHours: { enabled: false, timezone: 'UTC', windows: [] },
  api: { ipAllowlist: { enabled: false, allow: [] } },
  mail: { excluded: [] },
});

const D = DEFAULT_ACCOUNT_POLICY;

/**
 * zod schema of the account policy's structure. Unknown keys are refused, so a misspelt
 * setting is an error instead of a silently ignored rule. Semantic checks (IP entries, time
 * zones, times of day, mail entries) are done by {@link parseAccountPolicy}, which you should
 * call rather than this schema.
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
});

/** zod schema of a staff override's structure (see {@link accountPolicySchema} for the caveat). */
export const staffOverrideSchema = z.strictObject({
  staffId: z.string().min(1),
  reason: z.string(),
  id: z.string().min(1).optional(),
  createdAt: instant.optional(),
  expiresAt: instant.optional(),
  reviewBy: instant.optional(),
  set: z.strictObject({
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
  }),
});

/** Input accepted by {@link parseAccountPolicy}: every field optional. */
export type AccountPolicyInput = z.input<typeof accountPolicySchema>;
/** Input accepted by {@link parseStaffOverride}. */
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

/** JSON Schema (draft 2020-12) of a staff override, for host admin screens. */
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
