import fc from 'fast-check';
import type { AccountPolicyInput, LoginMethod, PolicyMember, SecondFactor, StaffOverrideInput } from '../policy/index.js';
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
  return fc.record({ ...groups(4, true), layers: fc.array(policyLayerInputArb(), { maxLength: 3 }) }, { requiredKeys: [] }).map(uniqueLayerIds);
}

/**
 * Role ids the layer arbitraries target and {@link policyMemberArb} draws from.
 *
 * @example
 * ```ts
 * const member = { roles: [layerRoleIds[0] ?? 'admin'] }; // in every layer that targets admins
 * ```
 */
export const layerRoleIds: readonly string[] = Object.freeze(['admin', 'member', 'sales-lead', 'support']);
/**
 * Team ids the layer arbitraries target and {@link policyMemberArb} draws from.
 *
 * @example
 * ```ts
 * const everyTeam = { teams: [...layerTeamIds] }; // in every layer that targets a team
 * ```
 */
export const layerTeamIds: readonly string[] = Object.freeze(['sales', 'support', 'contractors', 'north']);

type LayerInput = NonNullable<AccountPolicyInput['layers']>[number];

/**
 * Raw input of one policy layer that `parseAccountPolicy` accepts inside `layers`: a target of
 * one or more roles and teams (from {@link layerRoleIds} and {@link layerTeamIds} unless given),
 * a `set` like an override's, and optional expiry and review dates between 2025 and 2028.
 * Ids are drawn from a small pool; {@link accountPolicyInputArb} makes them unique.
 *
 * @example
 * ```ts
 * const account = fc.array(policyLayerInputArb(), { maxLength: 5 }).map((layers) =>
 *   parseAccountPolicy({ layers: layers.map((l, i) => ({ ...l, id: `layer-${i}` })) }));
 * ```
 */
export function policyLayerInputArb(options: { roles?: readonly string[]; teams?: readonly string[] } = {}): fc.Arbitrary<LayerInput> {
  const roles = options.roles ?? layerRoleIds;
  const teams = options.teams ?? layerTeamIds;
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }).map((ms) => new Date(ms).toISOString());
  const target = fc
    .record({ roles: fc.uniqueArray(fc.constantFrom(...roles), { maxLength: 2 }), teams: fc.uniqueArray(fc.constantFrom(...teams), { maxLength: 2 }) })
    .filter((t) => t.roles.length + t.teams.length > 0)
    .map((t) => ({ ...(t.roles.length > 0 ? { roles: t.roles } : {}), ...(t.teams.length > 0 ? { teams: t.teams } : {}) }));
  return fc.record(
    {
      id: fc.constantFrom('admins-totp', 'sales-travel', 'contractor-hours', 'support-sms', 'layer-5'),
      reason: fc.constantFrom('admins sign in with an app', 'the sales team travels', 'contractors keep office hours'),
      appliesTo: target,
      set: fc.record(groups(3, false), { requiredKeys: [] }),
      expiresAt: instant,
      reviewBy: instant,
    },
    { requiredKeys: ['id', 'reason', 'appliesTo', 'set'] },
  );
}

/**
 * A staff member's roles and teams for `resolvePolicy`'s `member`, drawn from the ids the
 * layer arbitraries target plus ids no layer targets, so some members are in no layer.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(accountArb, policyMemberArb(), (account, member) => {
 *   expect(() => resolvePolicy(account, [], { at, member })).not.toThrow();
 * }));
 * ```
 */
export function policyMemberArb(): fc.Arbitrary<PolicyMember> {
  return fc.record(
    {
      roles: fc.uniqueArray(fc.constantFrom(...layerRoleIds, 'auditor'), { maxLength: 2 }),
      teams: fc.uniqueArray(fc.constantFrom(...layerTeamIds, 'south'), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
}

// Layer ids must be unique in an account: later copies get a suffix.
function uniqueLayerIds(input: AccountPolicyInput): AccountPolicyInput {
  if (input.layers === undefined) return input;
  const seen = new Set<string>();
  const layers = input.layers.map((l, i) => {
    const id = seen.has(l.id) ? `${l.id}-${String(i)}` : l.id;
    seen.add(id);
    return { ...l, id };
  });
  return { ...input, layers };
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
