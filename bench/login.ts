// evaluateLogin on a resolved policy with 1,000 allowlist entries, login hours and 2FA, next
// to the cost of one luxon zone conversion (what a naive login-hours check pays per call).
// Run: npx tsx bench/login.ts
import { DateTime } from 'luxon';
import { evaluateLogin, parseAccountPolicy, resolvePolicy, type LoginAttempt } from 'staffgate';
import { compare, report, target } from './harness.js';

const allow: string[] = [];
for (let i = 0; i < 1_000; i++) allow.push(`10.${String(i >> 8)}.${String(i & 255)}.0/24`);
allow.push('203.0.113.0/24');
const account = parseAccountPolicy({
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
});
const at = Date.parse('2026-11-23T09:00:00Z');
const policy = resolvePolicy(account, [], { at });

const allowed: LoginAttempt = { method: 'google', ip: '203.0.113.7', at, verified: ['totp'] };
const challenged: LoginAttempt = { method: 'password', ip: '10.3.200.9', at, enrolled: ['totp'] };
const denied: LoginAttempt = { method: 'google', ip: '198.51.100.7', at: at + 12 * 3_600_000 };

// Agreement first: the cases are what their names say.
const outcomes = [allowed, challenged, denied].map((a) => evaluateLogin(policy, a).outcome);
if (outcomes.join() !== 'allow,challenge,deny') throw new Error(`unexpected outcomes ${outcomes.join()}`);

let sink = 0;
const LUXON = 'luxon DateTime.fromMillis(at, { zone }).weekday';
const vs = [LUXON];
const rows = compare([
  { name: 'evaluateLogin → allow (1,001 rules, hours, 2FA)', fn: () => (sink += evaluateLogin(policy, allowed).reasons.length), vs },
  { name: 'evaluateLogin → challenge (password + 2FA)', fn: () => (sink += evaluateLogin(policy, challenged).reasons.length), vs },
  { name: 'evaluateLogin → deny (IP and hours)', fn: () => (sink += evaluateLogin(policy, denied).reasons.length), vs },
  { name: LUXON, fn: () => (sink += DateTime.fromMillis(at, { zone: 'Europe/London' }).weekday) },
]);
report('Login decisions (CPU time per call; ratio to one luxon zone conversion)', rows);
const allowRow = rows[0]!;
console.log(`\n  allow path: ${Math.round(1e9 / allowRow.ns).toLocaleString('en-US')} decisions/s on one core`);
target('evaluateLogin allow path ≤ 1 µs (≥ 1,000,000 decisions/s)', allowRow.ns <= 1_000);
if (sink === -1) console.log(sink);
