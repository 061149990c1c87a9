import { describe, expect, it } from 'vitest';
import { evaluateLogin, parseAccountPolicy, parseStaffOverride, resolvePolicy, simulateLogin, type LoginAttempt, type LoginSimulation } from 'staffgate';

const account = parseAccountPolicy({
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '2001:db8::/48'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
});
const sam = parseStaffOverride({ staffId: 'sam', reason: 'Field sales: signs in from customer sites', set: { ipLockdown: { enabled: false } } });
const kim = parseStaffOverride({ staffId: 'kim', reason: 'Night shift support desk', set: { loginHours: { mode: 'report' } } });
const monday0830 = '2026-11-23T08:30:00Z';
const monday2000 = '2026-11-23T20:00:00Z';
const statuses = (s: LoginSimulation) => Object.fromEntries(s.trace.map((t) => [t.rule, t.status]));

describe('simulateLogin', () => {
  const table: { name: string; attempt: LoginAttempt; staffId?: string; outcome: string; trace: Record<string, string> }[] = [
    {
      name: 'office, office hours, password, nothing done yet',
      attempt: { method: 'password', ip: '203.0.113.7', at: monday0830, enrolled: ['totp'] },
      outcome: 'challenge',
      trace: { attempt: 'pass', method: 'pass', ip: 'pass', login_hours: 'pass', email_code: 'pending', second_factor: 'pending' },
    },
    {
      name: 'office, all steps done',
      attempt: { method: 'password', ip: '203.0.113.7', at: monday0830, verified: ['email_code', 'totp'] },
      outcome: 'allow',
      trace: { attempt: 'pass', method: 'pass', ip: 'pass', login_hours: 'pass', email_code: 'pass', second_factor: 'pass' },
    },
    {
      name: 'the café after hours: both rules fail, the steps are never reached',
      attempt: { method: 'google', ip: '198.51.100.7', at: monday2000 },
      outcome: 'deny',
      trace: { attempt: 'pass', method: 'pass', ip: 'fail', login_hours: 'fail', email_code: 'off', second_factor: 'skipped' },
    },
    {
      name: 'Sam at the café: the lockdown is off for Sam',
      attempt: { method: 'google', ip: '198.51.100.7', at: monday0830, verified: ['totp'] },
      staffId: 'sam',
      outcome: 'allow',
      trace: { attempt: 'pass', method: 'pass', ip: 'off', login_hours: 'pass', email_code: 'off', second_factor: 'pass' },
    },
    {
      name: 'Kim at night: the hours only report',
      attempt: { method: 'google', ip: '203.0.113.7', at: monday2000, verified: ['email'] },
      staffId: 'kim',
      outcome: 'allow',
      trace: { attempt: 'pass', method: 'pass', ip: 'pass', login_hours: 'reported', email_code: 'off', second_factor: 'pass' },
    },
    {
      name: 'an unreadable address',
      attempt: { method: 'google', ip: '203.0.113.007', at: monday0830 },
      outcome: 'deny',
      trace: { attempt: 'pass', method: 'pass', ip: 'fail', login_hours: 'pass', email_code: 'off', second_factor: 'skipped' },
    },
    {
      name: 'a malformed attempt stops the trace',
      attempt: { method: 'fax', ip: '203.0.113.7', at: monday0830 } as never,
      outcome: 'deny',
      trace: { attempt: 'fail' },
    },
  ];
  it.each(table)('$name', ({ attempt, staffId, outcome, trace }) => {
    const sim = simulateLogin(account, [sam, kim], attempt, { staffId: staffId ?? 'nobody' });
    expect(sim.decision.outcome).toBe(outcome);
    expect(statuses(sim)).toEqual(trace);
  });

  it('gives exactly the decision a live login gets', () => {
    const attempt: LoginAttempt = { method: 'password', ip: '198.51.100.7', at: monday0830, verified: ['email_code'] };
    const sim = simulateLogin(account, [sam], attempt);
    expect(sim.decision).toEqual(evaluateLogin(resolvePolicy(account, [sam], { at: monday0830 }), attempt));
    expect(sim.policy.staffId).toBe('sam');
  });

  it('names the setting and the layer of each step', () => {
    const sim = simulateLogin(account, [sam], { method: 'google', ip: '198.51.100.7', at: monday0830 });
    const ip = sim.trace.find((t) => t.rule === 'ip');
    expect(ip).toEqual({
      rule: 'ip',
      status: 'off',
      setting: 'ipLockdown: off, 2 entries',
      source: 'override #0 of sam: "Field sales: signs in from customer sites"',
      detail: 'IP lockdown is off; 198.51.100.7 is a valid address.',
    });
    const office = simulateLogin(account, [], { method: 'google', ip: '::ffff:203.0.113.9', at: monday0830 });
    expect(office.trace.find((t) => t.rule === 'ip')?.detail).toBe('203.0.113.9 matches entry 0 (203.0.113.0/24).');
    expect(office.trace.find((t) => t.rule === 'login_hours')?.detail).toBe('mon 2026-11-23 08:30 in Europe/London is inside the hours.');
  });

  it('an attempt without a valid instant cannot be simulated: there is no moment to resolve the rules for', () => {
    expect(() => simulateLogin(account, [], { method: 'google', ip: '203.0.113.7', at: 'now' })).toThrow(expect.objectContaining({ code: 'invalid_instant', path: ['attempt', 'at'] }) as Error);
    const throwing = { method: 'google', ip: '203.0.113.7', get at(): string { throw new Error('hostile getter'); } };
    expect(() => simulateLogin(account, [], throwing as LoginAttempt)).toThrow(expect.objectContaining({ code: 'invalid_instant', path: ['attempt', 'at'] }) as Error);
  });
});
