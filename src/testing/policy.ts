import fc from 'fast-check';
import type { AccountPolicyInput, LoginMethod, SecondFactor, StaffOverrideInput } from '../policy/index.js';
import { loginHoursWindowArb, trickyTimeZones } from './hours.js';
import { ipRuleEntryArb } from './net.js';

const methods: LoginMethod[] = ['google', 'microsoft', 'password'];
const factors: SecondFactor[] = ['totp', 'sms', 'email'];

/**
 * A valid allowlist entry as text (address, CIDR or range; IPv4, IPv6 or IPv4-mapped), for
 * filling allowlists in a host's own settings tests.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ipEntryTextArb(), (entry) => parseIpEntry(entry).ok));
 * ```
 */
export function ipEntryTextArb(): fc.Arbitrary<string> {
  return ipRuleEntryArb().map((e) => e.text);
}

function lockoutArb(account: boolean) {
  const rule = {
    enabled: fc.boolean(),
    maxFailures: fc.integer({ min: 1, max: 1000 }),
    windowMinutes: fc.integer({ min: 1, max: 1440 }),
    lockoutMinutes: fc.integer({ min: 1, max: 10080 }),
    mode: fc.constantFrom('enforce' as const, 'report' as const),
  };
  // The per-network ceiling is account-wide: an override cannot set it.
  return account ? fc.record({ ...rule, networkMaxFailures: fc.integer({ min: 1, max: 1000 }) }, { requiredKeys: [] }) : fc.record(rule, { requiredKeys: [] });
}

function groups(maxEntries: number, account: boolean) {
  return {
    lockout: lockoutArb(account),
    loginMethods: fc.uniqueArray(fc.constantFrom(...methods), { minLength: 1 }),
    twoFactor: fc.record({ required: fc.boolean(), methods: fc.uniqueArray(fc.constantFrom(...factors)) }, { requiredKeys: [] }),
    ipLockdown: fc.record({ enabled: fc.boolean(), allow: fc.array(ipEntryTextArb(), { maxLength: maxEntries }) }, { requiredKeys: [] }),
    loginHours: fc.record(
      { enabled: fc.boolean(), timezone: fc.constantFrom(...trickyTimeZones), windows: fc.array(loginHoursWindowArb().map((w) => ({ days: [...w.days], start: w.start, end: w.end })), { maxLength: 3 }) },
      { requiredKeys: [] },
    ),
  };
}

/**
 * Raw account-policy input that `parseAccountPolicy` accepts; any field may be missing.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(accountPolicyInputArb(), (input) => {
 *   const account = parseAccountPolicy(input);
 *   expect(myAdminScreen.render(account)).toBeDefined();
 * }));
 * ```
 */
export function accountPolicyInputArb(): fc.Arbitrary<AccountPolicyInput> {
  return fc.record(groups(4, true), { requiredKeys: [] });
}

/**
 * Raw staff-override input that `parseStaffOverride` accepts, with optional expiry and review
 * dates between 2025 and 2028. Pass `staffId` to make every override one person's.
 *
 * @example
 * ```ts
 * const overrides = fc.array(staffOverrideInputArb({ staffId: 'u_1' }).map(parseStaffOverride));
 * ```
 */
export function staffOverrideInputArb(options: { staffId?: string } = {}): fc.Arbitrary<StaffOverrideInput> {
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }).map((ms) => new Date(ms).toISOString());
  return fc.record(
    {
      staffId: options.staffId === undefined ? fc.constantFrom('u_1', 'u_2') : fc.constant(options.staffId),
      reason: fc.constantFrom('travels weekly', 'works from Tokyo', 'temporary contractor'),
      expiresAt: instant,
      reviewBy: instant,
      set: fc.record(groups(3, false), { requiredKeys: [] }),
    },
    { requiredKeys: ['staffId', 'reason', 'set'] },
  );
}
