// The cost of policy layers: resolving a person who is in 3 of an account's 50 layers, with 20
// overrides in the list (5 of them the person's), beside resolving the same person with no
// layers. Target (issue 20): within 2x. The layers are indexed by role and team once per parsed
// account (a WeakMap), so a person's layers are a few map lookups however many there are; what
// remains is applying the three sets and recording their provenance.
// Run: npx tsx bench/layers.ts
import { parseAccountPolicy, parseStaffOverride, resolvePolicy, type AccountPolicyInput, type StaffOverride } from 'staffgate';
import { compare, report, target } from './harness.js';

const at = Date.parse('2026-11-23T09:00:00Z');
const settings: AccountPolicyInput = {
  twoFactor: { required: true, methods: ['totp', 'sms', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '2001:db8::/48'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
};
const sets = [
  { ipLockdown: { enabled: false } },
  { twoFactor: { methods: ['totp' as const] } },
  { loginHours: { windows: [{ days: ['mon' as const, 'tue' as const], start: '09:00', end: '17:00' }] } },
  { lockout: { maxFailures: 5 } },
  { loginMethods: ['google' as const, 'microsoft' as const] },
];
const layers = Array.from({ length: 50 }, (_, i) => ({
  id: `layer-${String(i)}`,
  reason: `Rules for group ${String(i)}`,
  appliesTo: i % 2 === 0 ? { roles: [`role-${String(i)}`] } : { teams: [`team-${String(i)}`], roles: [`role-${String(i)}`] },
  set: sets[i % sets.length] ?? {},
  reviewBy: '2027-06-30T00:00:00Z',
}));
const withLayers = parseAccountPolicy({ ...settings, layers });
const without = parseAccountPolicy(settings);

const overrides: StaffOverride[] = Array.from({ length: 20 }, (_, i) =>
  parseStaffOverride({
    staffId: i % 4 === 0 ? 'u_7' : `u_${String(100 + i)}`,
    reason: `Exception ${String(i)}`,
    reviewBy: '2027-01-31T00:00:00Z',
    set: sets[(i + 2) % sets.length] ?? {},
  }),
);
// In 3 of the 50: two by role, one by team.
const member = { roles: ['role-4', 'role-20', 'not-a-layer'], teams: ['team-33', 'team-x'] };
const options = { at, staffId: 'u_7' };
const check = resolvePolicy(withLayers, overrides, { ...options, member });
const layerCount = check.applied.filter((a) => a.kind === 'layer').length;
if (layerCount !== 3) throw new Error(`expected 3 layers to apply, got ${String(layerCount)}`);

let sink = 0;
const NONE = 'resolvePolicy, no layers, 20 overrides (5 the person’s)';
const rows = compare([
  { name: NONE, fn: () => (sink += resolvePolicy(without, overrides, options).applied.length) },
  { name: 'resolvePolicy, in 3 of 50 layers, same overrides', fn: () => (sink += resolvePolicy(withLayers, overrides, { ...options, member }).applied.length), vs: [NONE] },
  { name: 'resolvePolicy, 50 layers, member in none', fn: () => (sink += resolvePolicy(withLayers, overrides, { ...options, member: { roles: ['x'] } }).applied.length), vs: [NONE] },
  { name: 'resolvePolicy, 50 layers, no member given', fn: () => (sink += resolvePolicy(withLayers, overrides, options).applied.length), vs: [NONE] },
]);
report('Policy layers (CPU time per resolution; ratio to resolving without layers)', rows);
const ratio = (rows[1]?.ns ?? Number.NaN) / (rows[0]?.ns ?? Number.NaN);
target(`resolving a person in 3 of 50 layers with 20 overrides ≤ 2x without layers (${ratio.toFixed(2)}x)`, ratio <= 2);
if (sink === -1) console.log(sink);
