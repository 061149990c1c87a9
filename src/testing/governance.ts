// fast-check arbitraries for governance: policies with report-only rules and API and mail
// settings, overrides that switch rule modes, the admins a change-safety check is asked
// about, and hostile spellings of a rule mode.
import fc from 'fast-check';
import type { AccountPolicyInput, LoginMethod, RuleMode, SecondFactor, StaffOverrideInput } from '../policy/index.js';
import type { AdminAccess } from '../governance/index.js';
import { accountPolicyInputArb, ipEntryTextArb, staffOverrideInputArb } from './policy.js';
import { ipAddressArb } from './net.js';

const methods: LoginMethod[] = ['google', 'microsoft', 'password'];
const factors: SecondFactor[] = ['totp', 'sms', 'email'];

/**
 * `'enforce'` or `'report'`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ruleModeArb(), (mode) => parseAccountPolicy({ ipLockdown: { mode } }) !== undefined));
 * ```
 */
export function ruleModeArb(): fc.Arbitrary<RuleMode> {
  return fc.constantFrom<RuleMode>('enforce', 'report');
}

/**
 * Spellings of a rule mode that `parseAccountPolicy` must refuse: other cases, audit-mode
 * names of other products, whitespace, booleans and numbers.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileRuleModeArb(), (mode) => !safeParseAccountPolicy({ twoFactor: { mode } }).ok));
 * ```
 */
export function hostileRuleModeArb(): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>('Report', 'ENFORCE', 'report ', ' enforce', 'audit', 'monitor', 'dry-run', 'dryrun', 'log', 'off', '', true, false, 0, 1, null, ['report'], { mode: 'report' }, 'r\u0435port');
}

/**
 * Raw account-policy input with everything governance looks at, each rule possibly
 * report-only, the API allowlist and key lifetime, and mail exclusions.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(governedAccountInputArb(), (input) => {
 *   const account = parseAccountPolicy(input);
 *   expect(diffPolicies(account, account)).toEqual([]);
 * }));
 * ```
 */
export function governedAccountInputArb(): fc.Arbitrary<AccountPolicyInput> {
  const mode = fc.option(ruleModeArb(), { nil: undefined });
  const api = fc.record(
    {
      ipAllowlist: fc.record({ enabled: fc.boolean(), allow: fc.array(ipEntryTextArb(), { maxLength: 3 }) }, { requiredKeys: [] }),
      maxKeyLifetimeDays: fc.integer({ min: 1, max: 3650 }),
    },
    { requiredKeys: [] },
  );
  const mail = fc.record({ excluded: fc.subarray(['ceo@acme.test', '@board.acme.test', 'cfo@acme.test', 'Legal@Acme.test']) });
  return fc
    .tuple(accountPolicyInputArb(), mode, mode, mode, fc.option(api, { nil: undefined }), fc.option(mail, { nil: undefined }))
    .map(([input, ipMode, hoursMode, tfMode, apiSettings, mailSettings]) => ({
      ...input,
      ...(input.ipLockdown === undefined || ipMode === undefined ? {} : { ipLockdown: { ...input.ipLockdown, mode: ipMode } }),
      ...(input.loginHours === undefined || hoursMode === undefined ? {} : { loginHours: { ...input.loginHours, mode: hoursMode } }),
      ...(input.twoFactor === undefined || tfMode === undefined ? {} : { twoFactor: { ...input.twoFactor, mode: tfMode } }),
      ...(apiSettings === undefined ? {} : { api: apiSettings }),
      ...(mailSettings === undefined ? {} : { mail: mailSettings }),
    }));
}

/**
 * Raw override input that may also switch a rule's mode, as `staffOverrideInputArb` does
 * otherwise. Pass `staffId` to make every override one person's.
 *
 * @example
 * ```ts
 * const overrides = fc.array(governedOverrideInputArb({ staffId: 'ada' }).map(parseStaffOverride), { maxLength: 3 });
 * ```
 */
export function governedOverrideInputArb(options: { staffId?: string } = {}): fc.Arbitrary<StaffOverrideInput> {
  const mode = fc.option(ruleModeArb(), { nil: undefined });
  return fc.tuple(staffOverrideInputArb(options), mode, mode, mode).map(([o, ipMode, hoursMode, tfMode]) => ({
    ...o,
    set: {
      ...o.set,
      ...(ipMode === undefined ? {} : { ipLockdown: { ...o.set.ipLockdown, mode: ipMode } }),
      ...(hoursMode === undefined ? {} : { loginHours: { ...o.set.loginHours, mode: hoursMode } }),
      ...(tfMode === undefined ? {} : { twoFactor: { ...o.set.twoFactor, mode: tfMode } }),
    },
  }));
}

/**
 * An administrator as `checkChangeSafety` takes them: a method, a valid address in any
 * spelling, and any enrolled factors. No overrides (add your own).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(adminAccessArb({ staffId: 'ada' }), (actor) => checkChangeSafety(a, a, { actor, admins: [], at }).lockedOut.every((l) => !l.causedByChange)));
 * ```
 */
export function adminAccessArb(options: { staffId?: string } = {}): fc.Arbitrary<AdminAccess> {
  return fc.record({
    staffId: options.staffId === undefined ? fc.constantFrom('ada', 'grace', 'linus') : fc.constant(options.staffId),
    method: fc.constantFrom(...methods),
    ip: ipAddressArb().map((a) => a.text),
    enrolled: fc.uniqueArray(fc.constantFrom(...factors)),
  });
}
