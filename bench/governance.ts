// Governance: what report-only mode costs a login decision (next to the same rule enforced),
// and what the admin-side calls cost at realistic sizes (lint and review of 200 exceptions,
// a change-safety check for 10 admins, a diff, a simulation). The issue names no peer
// library; the enforced decision is the baseline the report-only one is compared with.
// Run: npx tsx bench/governance.ts
import {
  checkChangeSafety,
  diffPolicies,
  evaluateLogin,
  lintPolicy,
  parseAccountPolicy,
  parseStaffOverride,
  resolvePolicy,
  reviewOverrides,
  simulateLogin,
  type AdminAccess,
  type LoginAttempt,
  type StaffOverride,
} from 'staffgate';
import { compare, report } from './harness.js';

const at = Date.parse('2026-11-23T09:00:00Z');
const settings = {
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '2001:db8::/48'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
  api: { maxKeyLifetimeDays: 365 },
};
const enforced = parseAccountPolicy(settings);
const reportOnly = parseAccountPolicy({ ...settings, ipLockdown: { ...settings.ipLockdown, mode: 'report' } });
const enforcedPolicy = resolvePolicy(enforced, [], { at });
const reportPolicy = resolvePolicy(reportOnly, [], { at });

const cafe: LoginAttempt = { method: 'google', ip: '198.51.100.7', at, verified: ['totp'] };
const office: LoginAttempt = { method: 'google', ip: '203.0.113.7', at, verified: ['totp'] };
const outcomes = [evaluateLogin(enforcedPolicy, cafe).outcome, evaluateLogin(reportPolicy, cafe).outcome, evaluateLogin(reportPolicy, office).outcome];
if (outcomes.join() !== 'deny,allow,allow') throw new Error(`unexpected outcomes ${outcomes.join()}`);

const overrides: StaffOverride[] = [];
for (let i = 0; i < 200; i++) {
  const day = String(1 + (i % 28)).padStart(2, '0');
  overrides.push(
    parseStaffOverride({
      staffId: `u_${String(i % 50)}`,
      reason: i % 7 === 0 ? 'temp' : `Field sales, region ${String(i)}: signs in from customer sites`,
      reviewBy: `2026-${i % 2 === 0 ? '11' : '12'}-${day}T09:00:00Z`,
      ...(i % 5 === 0 ? { expiresAt: `2026-10-${day}T09:00:00Z` } : {}),
      set: i % 3 === 0 ? { ipLockdown: { enabled: false } } : { twoFactor: { methods: ['totp'] } },
    }),
  );
}
const admins: AdminAccess[] = Array.from({ length: 10 }, (_, i) => ({ staffId: `admin_${String(i)}`, method: 'google', ip: `203.0.113.${String(10 + i)}`, enrolled: ['totp'] }));
const proposed = parseAccountPolicy({ ...settings, ipLockdown: { enabled: true, allow: ['203.0.113.0/28'] }, twoFactor: { required: true, methods: ['totp'] } });

let sink = 0;
const ENFORCED = 'evaluateLogin, lockdown enforced → deny';
const login = compare([
  { name: ENFORCED, fn: () => (sink += evaluateLogin(enforcedPolicy, cafe).reasons.length) },
  { name: 'evaluateLogin, lockdown report-only → allow + reported', fn: () => (sink += evaluateLogin(reportPolicy, cafe).reported?.length ?? 0), vs: [ENFORCED] },
  { name: 'evaluateLogin, lockdown report-only, nothing to report', fn: () => (sink += evaluateLogin(reportPolicy, office).reasons.length), vs: [ENFORCED] },
]);
report('Report-only mode on the login path (CPU time per call; ratio to the enforced decision)', login);

// The admin-side calls have no peer: their times are for scale, ratios to the first row.
const admin = compare(
  [
    { name: 'diffPolicies (2 fields differ)', fn: () => (sink += diffPolicies(enforced, proposed).length) },
    { name: 'simulateLogin (resolve + decide + trace)', fn: () => (sink += simulateLogin(enforced, [], cafe).trace.length) },
    { name: 'checkChangeSafety (10 admins)', fn: () => (sink += checkChangeSafety(enforced, proposed, { actor: admins[0]!, admins, at }).lockedOut.length) },
    { name: 'reviewOverrides (200 exceptions)', fn: () => (sink += reviewOverrides(overrides, { at }).overdue.length) },
    { name: 'lintPolicy (200 exceptions of 50 staff)', fn: () => (sink += lintPolicy(enforced, overrides, { at, admins: ['u_0'] }).length) },
  ],
  { rounds: 7 },
);
report('Admin-side governance calls (CPU time per call; ratio to the first row)', admin);
const reportRow = login[1]!;
const enforcedRow = login[0]!;
console.log(`\n  report-only costs ${(reportRow.ns / enforcedRow.ns).toFixed(2)}x the enforced decision on the same attempt`);
if (sink === -1) console.log(sink);
