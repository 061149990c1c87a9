import { describe, expect, it } from 'vitest';
import {
  accountPolicyJsonSchema,
  evaluateLogin,
  evaluateSession,
  parseAccountPolicy,
  parseStaffOverride,
  resolvePolicy,
  safeParseAccountPolicy,
  safeParseStaffOverride,
  type AccountPolicyInput,
  type LoginAttempt,
  type LoginDecision,
  type Weekday,
} from 'staffgate';

const monday0900 = '2026-11-23T09:00:00Z';
const monday2000 = '2026-11-23T20:00:00Z';
const office = '203.0.113.7';
const cafe = '198.51.100.23';
const weekdays = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] satisfies Weekday[], start: '08:00', end: '18:00' }];

function policyOf(input: AccountPolicyInput, overrides: unknown[] = []) {
  return resolvePolicy(parseAccountPolicy(input), overrides.map((o) => parseStaffOverride(o)), { at: monday0900 });
}
const codes = (d: LoginDecision) => d.reasons.map((r) => r.code);
const reported = (d: LoginDecision) => (d.reported ?? []).map((r) => `${r.code}:${r.wouldBe}`);

describe('report-only mode: settings', () => {
  it('is accepted on IP lockdown, login hours and 2FA, in the account and in overrides', () => {
    const account = parseAccountPolicy({ ipLockdown: { mode: 'report' }, loginHours: { mode: 'report' }, twoFactor: { mode: 'report' } });
    expect([account.ipLockdown.mode, account.loginHours.mode, account.twoFactor.mode]).toEqual(['report', 'report', 'report']);
    const o = parseStaffOverride({ staffId: 'sam', reason: 'Pilot of the new office lockdown', set: { ipLockdown: { mode: 'enforce' }, loginHours: { mode: 'report' }, twoFactor: { mode: 'enforce' } } });
    expect(o.set).toEqual({ ipLockdown: { mode: 'enforce' }, loginHours: { mode: 'report' }, twoFactor: { mode: 'enforce' } });
  });

  it('absent means enforce, and the account stores an explicit enforce as absent (one spelling per meaning)', () => {
    expect(parseAccountPolicy({}).ipLockdown).toEqual({ enabled: false, allow: [] });
    expect(parseAccountPolicy({ ipLockdown: { mode: 'enforce' } }).ipLockdown).toEqual({ enabled: false, allow: [] });
  });

  it.each(['Report', 'ENFORCE', 'report ', 'audit', 'dry-run', '', true, 1, null, ['report']])('mode %j is refused with its path', (mode) => {
    const r = safeParseAccountPolicy({ loginHours: { mode } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.path).toEqual(['loginHours', 'mode']);
    expect(safeParseStaffOverride({ staffId: 'u', reason: 'Night shift support desk', set: { twoFactor: { mode } } }).ok).toBe(false);
  });

  it('the API allowlist has no report mode', () => {
    expect(safeParseAccountPolicy({ api: { ipAllowlist: { mode: 'report' } } }).ok).toBe(false);
  });

  it('the JSON Schema offers the two modes', () => {
    const schema = accountPolicyJsonSchema() as { properties: { ipLockdown: { properties: { mode: { enum: string[] } } } } };
    expect(schema.properties.ipLockdown.properties.mode.enum).toEqual(['enforce', 'report']);
  });
});

describe('report-only mode: login decisions', () => {
  const lockdown = { enabled: true, allow: ['203.0.113.0/24'] };
  const hours = { enabled: true, timezone: 'Europe/London', windows: weekdays };
  const cases: { name: string; input: AccountPolicyInput; attempt: LoginAttempt; outcome: string; codes: string[]; reported: string[] }[] = [
    {
      name: 'report-only lockdown lets the café in and reports it',
      input: { ipLockdown: { ...lockdown, mode: 'report' } },
      attempt: { method: 'google', ip: cafe, at: monday0900 },
      outcome: 'allow',
      codes: [],
      reported: ['ip_not_allowed:deny'],
    },
    {
      name: 'report-only lockdown reports nothing for the office',
      input: { ipLockdown: { ...lockdown, mode: 'report' } },
      attempt: { method: 'google', ip: office, at: monday0900 },
      outcome: 'allow',
      codes: [],
      reported: [],
    },
    {
      name: 'report-only hours let an evening login in and report it',
      input: { loginHours: { ...hours, mode: 'report' } },
      attempt: { method: 'google', ip: office, at: monday2000 },
      outcome: 'allow',
      codes: [],
      reported: ['outside_login_hours:deny'],
    },
    {
      name: 'report-only 2FA does not ask an enrolled person, but reports it',
      input: { twoFactor: { required: true, methods: ['totp'], mode: 'report' } },
      attempt: { method: 'google', ip: office, at: monday0900, enrolled: ['totp'] },
      outcome: 'allow',
      codes: [],
      reported: ['second_factor_required:challenge'],
    },
    {
      name: 'report-only 2FA does not send an unenrolled person to enrolment, but reports it',
      input: { twoFactor: { required: true, methods: ['totp'], mode: 'report' } },
      attempt: { method: 'google', ip: office, at: monday0900 },
      outcome: 'allow',
      codes: [],
      reported: ['second_factor_enrollment_required:challenge'],
    },
    {
      name: 'report-only 2FA with no factor allowed reports a deny',
      input: { twoFactor: { required: true, methods: [], mode: 'report' } },
      attempt: { method: 'google', ip: office, at: monday0900 },
      outcome: 'allow',
      codes: [],
      reported: ['second_factor_required:deny'],
    },
    {
      name: 'report-only 2FA with a verified factor reports nothing',
      input: { twoFactor: { required: true, methods: ['totp'], mode: 'report' } },
      attempt: { method: 'google', ip: office, at: monday0900, verified: ['totp'] },
      outcome: 'allow',
      codes: [],
      reported: [],
    },
    {
      name: 'the e-mailed code of a password login is still asked for',
      input: { twoFactor: { required: true, methods: ['totp'], mode: 'report' } },
      attempt: { method: 'password', ip: office, at: monday0900, enrolled: ['totp'] },
      outcome: 'challenge',
      codes: ['email_code_required'],
      reported: ['second_factor_required:challenge'],
    },
    {
      name: 'an enforced rule still denies; the report-only one is listed beside it',
      input: { ipLockdown: { ...lockdown, mode: 'report' }, loginHours: hours },
      attempt: { method: 'google', ip: cafe, at: monday2000 },
      outcome: 'deny',
      codes: ['outside_login_hours'],
      reported: ['ip_not_allowed:deny'],
    },
    {
      name: 'a method the account does not allow is denied whatever the modes',
      input: { loginMethods: ['google'], ipLockdown: { ...lockdown, mode: 'report' }, loginHours: { ...hours, mode: 'report' }, twoFactor: { required: true, mode: 'report' } },
      attempt: { method: 'microsoft', ip: office, at: monday0900, verified: ['totp'] },
      outcome: 'deny',
      codes: ['method_not_allowed'],
      reported: [],
    },
  ];
  it.each(cases)('$name', ({ input, attempt, outcome, codes: expected, reported: expectedReported }) => {
    const d = evaluateLogin(policyOf(input), attempt);
    expect(d.outcome).toBe(outcome);
    expect(codes(d)).toEqual(expected);
    expect(reported(d)).toEqual(expectedReported);
  });

  it('a decision with nothing to report has no `reported` key at all', () => {
    expect(evaluateLogin(policyOf({ ipLockdown: { ...lockdown, mode: 'report' } }), { method: 'google', ip: office, at: monday0900 })).toEqual({ outcome: 'allow', reasons: [] });
  });

  it('report-only hours give no retryAt, and the reported reason says it was not enforced', () => {
    const d = evaluateLogin(policyOf({ loginHours: { ...hours, mode: 'report' } }), { method: 'google', ip: office, at: monday2000 });
    expect(d.retryAt).toBeUndefined();
    expect(d.reported?.[0]?.detail).toMatch(/^Report-only rule, not enforced: /);
  });

  it('an unreadable address is refused even under a report-only lockdown, as the account’s rule', () => {
    const p = policyOf({ ipLockdown: { ...lockdown, mode: 'report' } }, [{ staffId: 'sam', reason: 'Pilot of the office lockdown', set: { ipLockdown: { allow: ['192.0.2.0/24'] } } }]);
    const d = evaluateLogin(p, { method: 'google', ip: '203.0.113.007', at: monday0900 });
    expect(d).toMatchObject({ outcome: 'deny', reasons: [{ code: 'ip_invalid', source: 'account' }] });
  });

  it('an override can enforce for one person what the account only reports, and the reason names it', () => {
    const p = policyOf({ ipLockdown: { ...lockdown, mode: 'report' } }, [{ staffId: 'sam', reason: 'Handles payroll: office only', set: { ipLockdown: { mode: 'enforce' } } }]);
    expect(p.ipLockdown.mode).toBe('enforce');
    expect(p.sources['ipLockdown.mode']).toMatchObject({ layer: 'override', staffId: 'sam' });
    expect(evaluateLogin(p, { method: 'google', ip: cafe, at: monday0900 })).toMatchObject({ outcome: 'deny', reasons: [{ code: 'ip_not_allowed', source: 'sam' }] });
  });

  it('an override can make a rule report-only for one person; that change is weakening', () => {
    const p = policyOf({ ipLockdown: lockdown }, [{ staffId: 'sam', reason: 'Trial of remote work in November', set: { ipLockdown: { mode: 'report' } } }]);
    expect(p.applied[0]?.changes).toEqual([{ field: 'ipLockdown.mode', from: 'enforce', to: 'report', effect: 'weakening' }]);
    expect(evaluateLogin(p, { method: 'google', ip: cafe, at: monday0900 })).toMatchObject({ outcome: 'allow', reported: [{ code: 'ip_not_allowed', source: 'sam', wouldBe: 'deny' }] });
  });

  it('moving a rule from report-only to enforced is strengthening', () => {
    const p = policyOf({ loginHours: { ...hours, mode: 'report' } }, [{ staffId: 'sam', reason: 'Works office hours only', set: { loginHours: { mode: 'enforce' } } }]);
    expect(p.applied[0]?.effect).toBe('strengthening');
  });
});

describe('report-only mode: sessions', () => {
  const loginAt = '2026-11-23T08:30:00Z';
  it('a report-only lockdown keeps a session that left the allowlist, and reports it', () => {
    const p = policyOf({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'], mode: 'report' } });
    expect(evaluateSession(p, { ip: cafe, at: monday0900, loginAt })).toMatchObject({ outcome: 'continue', reasons: [], reported: [{ code: 'ip_not_allowed' }] });
  });
  it('report-only hours keep a session after hours, and report it', () => {
    const p = policyOf({ loginHours: { enabled: true, timezone: 'Europe/London', windows: weekdays, mode: 'report' } });
    expect(evaluateSession(p, { ip: office, at: monday2000, loginAt })).toMatchObject({ outcome: 'continue', reasons: [], reported: [{ code: 'outside_login_hours' }] });
  });
  it('nothing to report: no `reported` key', () => {
    const p = policyOf({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'], mode: 'report' } });
    expect(evaluateSession(p, { ip: office, at: monday0900, loginAt })).toEqual({ outcome: 'continue', reasons: [] });
  });
});
