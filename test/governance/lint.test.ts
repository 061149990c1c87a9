import { describe, expect, it } from 'vitest';
import { lintPolicy, parseAccountPolicy, parseStaffOverride, StaffgateError, type AccountPolicyInput, type PolicyFinding, type StaffOverrideInput } from 'staffgate';

const at = '2026-11-23T09:00:00Z';

// Start strict: the seed article's advice. This baseline has nothing to warn about.
const strict: AccountPolicyInput = {
  loginMethods: ['google', 'microsoft'],
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '2001:db8:1::/48'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '20:00' }] },
  api: { ipAllowlist: { enabled: true, allow: ['198.51.100.25'] }, maxKeyLifetimeDays: 365 },
};
const lint = (patch: AccountPolicyInput, overrides: StaffOverrideInput[] = [], admins?: string[]) =>
  lintPolicy(parseAccountPolicy({ ...strict, ...patch }), overrides.map((o) => parseStaffOverride(o)), { at, ...(admins ? { admins } : {}) });
const summary = (fs: readonly PolicyFinding[]) => fs.map((f) => `${f.severity} ${f.code} ${f.path}`);

describe('lintPolicy: the account', () => {
  it('a strict baseline has no findings', () => {
    expect(lint({})).toEqual([]);
  });

  const table: { name: string; patch: AccountPolicyInput; expected: string[] }[] = [
    { name: 'IP lockdown on with an empty allowlist locks everyone out', patch: { ipLockdown: { enabled: true, allow: [] } }, expected: ['error ip_lockdown_empty_allowlist ipLockdown.allow'] },
    { name: '… and is a warning while report-only', patch: { ipLockdown: { enabled: true, allow: [], mode: 'report' } }, expected: ['warning ip_lockdown_empty_allowlist ipLockdown.allow', 'info rule_report_only ipLockdown.mode'] },
    { name: 'an empty allowlist with the lockdown off is fine', patch: { ipLockdown: { enabled: false, allow: [] } }, expected: [] },
    { name: '0.0.0.0/0 lets every IPv4 address in', patch: { ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '0.0.0.0/0'] } }, expected: ['error ip_allowlist_everyone ipLockdown.allow[1]'] },
    { name: '::/0 lets every IPv6 address in', patch: { ipLockdown: { enabled: true, allow: ['::/0'] } }, expected: ['error ip_allowlist_everyone ipLockdown.allow[0]'] },
    { name: 'a range over all of IPv4 too', patch: { ipLockdown: { enabled: true, allow: ['0.0.0.0-255.255.255.255'] } }, expected: ['error ip_allowlist_everyone ipLockdown.allow[0]'] },
    { name: 'an IPv4-mapped ::ffff:0:0/96 is all of IPv4', patch: { ipLockdown: { enabled: true, allow: ['::ffff:0.0.0.0/96'] } }, expected: ['error ip_allowlist_everyone ipLockdown.allow[0]'] },
    { name: 'a /7 is wider than /8', patch: { ipLockdown: { enabled: true, allow: ['10.0.0.0/7'] } }, expected: ['warning ip_allowlist_too_wide ipLockdown.allow[0]'] },
    { name: 'a /8 itself is not wider than /8', patch: { ipLockdown: { enabled: true, allow: ['10.0.0.0/8'] } }, expected: [] },
    { name: 'a range one address wider than a /8', patch: { ipLockdown: { enabled: true, allow: ['10.0.0.0-11.0.0.0'] } }, expected: ['warning ip_allowlist_too_wide ipLockdown.allow[0]'] },
    { name: 'an IPv6 /31 is wider than an ISP’s /32', patch: { ipLockdown: { enabled: true, allow: ['2001:db8::/31'] } }, expected: ['warning ip_allowlist_too_wide ipLockdown.allow[0]'] },
    { name: 'the API allowlist is checked the same way', patch: { api: { ipAllowlist: { enabled: true, allow: ['0.0.0.0/0'] }, maxKeyLifetimeDays: 30 } }, expected: ['error ip_allowlist_everyone api.ipAllowlist.allow[0]'] },
    { name: 'an API allowlist on and empty refuses every call', patch: { api: { ipAllowlist: { enabled: true, allow: [] }, maxKeyLifetimeDays: 30 } }, expected: ['error api_allowlist_empty api.ipAllowlist.allow'] },
    { name: 'API keys without a longest lifetime', patch: { api: { ipAllowlist: { enabled: true, allow: ['198.51.100.25'] } } }, expected: ['warning api_key_lifetime_unlimited api.maxKeyLifetimeDays'] },
    { name: '2FA required with no factor allowed', patch: { twoFactor: { required: true, methods: [] } }, expected: ['error two_factor_no_methods twoFactor.methods'] },
    { name: 'SMS as the only factor', patch: { twoFactor: { required: true, methods: ['sms'] } }, expected: ['warning two_factor_sms_only twoFactor.methods'] },
    { name: 'SMS next to an app is fine', patch: { twoFactor: { required: true, methods: ['sms', 'totp'] } }, expected: [] },
    { name: '2FA not required', patch: { twoFactor: { required: false, methods: ['totp'] } }, expected: ['info two_factor_not_required twoFactor.required'] },
    { name: 'login hours on with no window', patch: { loginHours: { enabled: true, timezone: 'UTC', windows: [] } }, expected: ['error login_hours_no_windows loginHours.windows'] },
    { name: '… and is a warning while report-only', patch: { loginHours: { enabled: true, timezone: 'UTC', windows: [], mode: 'report' } }, expected: ['warning login_hours_no_windows loginHours.windows', 'info rule_report_only loginHours.mode'] },
    { name: 'password logins next to SSO', patch: { loginMethods: ['google', 'password'] }, expected: ['warning password_login_with_sso loginMethods'] },
    { name: 'password only is not an SSO problem', patch: { loginMethods: ['password'] }, expected: [] },
    { name: 'report-only 2FA', patch: { twoFactor: { required: true, methods: ['totp'], mode: 'report' } }, expected: ['info rule_report_only twoFactor.mode'] },
    { name: 'lockout off: guessing is unbounded', patch: { lockout: { enabled: false } }, expected: ['warning lockout_disabled lockout.enabled'] },
    { name: 'lockout past NIST’s ceiling of 100 failures', patch: { lockout: { maxFailures: 101 } }, expected: ['warning lockout_too_permissive lockout.maxFailures'] },
    { name: 'lockout at exactly 100 failures is within the ceiling', patch: { lockout: { maxFailures: 100 } }, expected: [] },
    { name: 'report-only lockout', patch: { lockout: { mode: 'report' } }, expected: ['info rule_report_only lockout.mode'] },
    { name: 'report-only on a rule that is off says nothing', patch: { twoFactor: { required: false, methods: ['totp'], mode: 'report' } }, expected: ['info two_factor_not_required twoFactor.required'] },
  ];
  it.each(table)('$name', ({ patch, expected }) => {
    expect(summary(lint(patch))).toEqual(expected);
  });

  it('the product default is permissive, and the linter says what is weak', () => {
    expect(summary(lintPolicy(parseAccountPolicy({}), [], { at }))).toEqual([
      'warning password_login_with_sso loginMethods',
      'warning api_key_lifetime_unlimited api.maxKeyLifetimeDays',
      'info two_factor_not_required twoFactor.required',
    ]);
  });

  it('findings come errors first, then warnings, then info', () => {
    const fs = lint({ loginMethods: ['google', 'password'], twoFactor: { required: false, methods: ['sms'] }, ipLockdown: { enabled: true, allow: [] } });
    const order = fs.map((f) => f.severity);
    expect(order).toEqual([...order].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
    expect(order[0]).toBe('error');
  });

  it('messages are plain words', () => {
    const [f] = lint({ ipLockdown: { enabled: true, allow: [] } });
    expect(f?.message).toBe('IP lockdown is on but the allowlist is empty: nobody can sign in.');
  });
});

describe('lintPolicy: overrides', () => {
  const road = { staffId: 'sam', reason: 'Field sales: signs in from customer sites and hotels', reviewBy: '2027-01-15T00:00:00Z', set: { ipLockdown: { enabled: false } } };
  const table: { name: string; overrides: StaffOverrideInput[]; admins?: string[]; expected: string[] }[] = [
    { name: 'a documented, reviewed exception is fine', overrides: [road], expected: [] },
    { name: 'a reason that explains nothing', overrides: [{ ...road, reason: 'temp' }], expected: ['warning override_reason_vague overrides[0].reason'] },
    { name: 'filler words only', overrides: [{ ...road, reason: 'Temporary exception, as requested' }], expected: ['warning override_reason_vague overrides[0].reason'] },
    { name: 'a review date that has passed', overrides: [{ ...road, reviewBy: '2026-11-01T00:00:00Z' }], expected: ['warning override_review_overdue overrides[0].reviewBy'] },
    { name: 'a review date exactly now is overdue', overrides: [{ ...road, reviewBy: at }], expected: ['warning override_review_overdue overrides[0].reviewBy'] },
    { name: 'expired but still stored', overrides: [{ ...road, expiresAt: '2026-10-31T00:00:00Z', reviewBy: '2026-10-01T00:00:00Z' }], expected: ['info override_expired overrides[0].expiresAt'] },
    { name: 'a weakening exception with no date at all', overrides: [{ staffId: 'sam', reason: road.reason, set: road.set }], expected: ['info override_unscheduled overrides[0]'] },
    { name: 'a strengthening exception needs no date', overrides: [{ staffId: 'sam', reason: 'Handles payroll: TOTP only', set: { twoFactor: { methods: ['totp'] } } }], expected: [] },
    { name: 'an exception that changes nothing', overrides: [{ ...road, set: { twoFactor: { required: true } } }], expected: ['info override_no_effect overrides[0].set'] },
    {
      name: 'an exception that weakens an admin',
      overrides: [{ ...road, staffId: 'ada', set: { ipLockdown: { enabled: false }, twoFactor: { methods: ['totp', 'email', 'sms'] } } }],
      admins: ['ada'],
      expected: ['warning override_weakens_admin overrides[0].set.twoFactor.methods', 'warning override_weakens_admin overrides[0].set.ipLockdown.enabled'],
    },
    { name: 'the same exception for a non-admin is only as risky as any other', overrides: [{ ...road, staffId: 'bob' }], admins: ['ada'], expected: [] },
    { name: 'an override that locks its person out', overrides: [{ ...road, set: { loginHours: { windows: [] } } }], expected: ['error login_hours_no_windows overrides[0].set.loginHours.windows'] },
    { name: 'an override that empties its person’s allowlist', overrides: [{ ...road, set: { ipLockdown: { allow: [] } } }], expected: ['error ip_lockdown_empty_allowlist overrides[0].set.ipLockdown.allow'] },
    { name: 'an override that gives its person SMS only', overrides: [{ ...road, set: { twoFactor: { methods: ['sms'] } } }], expected: ['warning two_factor_sms_only overrides[0].set.twoFactor.methods'] },
    { name: 'an override that opens password logins next to SSO', overrides: [{ ...road, set: { loginMethods: ['microsoft', 'password'] } }], expected: ['warning password_login_with_sso overrides[0].set.loginMethods'] },
    { name: 'an override that turns its person’s lockout off', overrides: [{ ...road, set: { lockout: { enabled: false } } }], expected: ['warning lockout_disabled overrides[0].set.lockout.enabled'] },
    { name: 'an override whose allowlist is the whole Internet', overrides: [{ ...road, set: { ipLockdown: { allow: ['0.0.0.0/0'] } } }], expected: ['error ip_allowlist_everyone overrides[0].set.ipLockdown.allow[0]'] },
    {
      name: 'the later of two overrides is blamed for what they do together',
      overrides: [{ ...road, set: { ipLockdown: { allow: [] } } }, { ...road, set: { ipLockdown: { enabled: true } } }],
      expected: ['error ip_lockdown_empty_allowlist overrides[1].set.ipLockdown.allow', 'info override_no_effect overrides[1].set'],
    },
    { name: 'an expired override is not linted for what it would do', overrides: [{ ...road, expiresAt: '2026-01-01T00:00:00Z', reviewBy: '2025-12-01T00:00:00Z', set: { loginHours: { windows: [] } } }], expected: ['info override_expired overrides[0].expiresAt'] },
  ];
  it.each(table)('$name', ({ overrides, admins, expected }) => {
    expect(summary(lint({}, overrides, admins))).toEqual(expected);
  });

  it('findings about a person carry their staffId and say whom they concern', () => {
    const [f] = lint({}, [{ ...road, set: { loginHours: { windows: [] } } }]);
    expect(f).toMatchObject({ staffId: 'sam', message: expect.stringMatching(/^For sam: /) as string });
  });

  it('a finding the account already has is not repeated per person', () => {
    const fs = lint({ twoFactor: { required: true, methods: ['sms'] } }, [{ ...road, set: { twoFactor: { methods: ['sms'] } } }]);
    expect(fs.filter((f) => f.code === 'two_factor_sms_only').map((f) => f.path)).toEqual(['twoFactor.methods']);
  });

  it.each([
    ['travels', true],
    ['VPN', true],
    ['........', true],
    ['aaaaaaaaaaaa', true],
    ['approved by manager', true],
    ['per ticket 4711', true],
    ['Works from the Tokyo office', false],
    ['Night shift support desk', false],
    ['Kundentermine vor Ort, wechselnde Netze', false],
    ['東京オフィス勤務のため', false],
  ])('reason %j is vague: %s', (reason, vague) => {
    const codes = lint({}, [{ ...road, reason }]).map((f) => f.code);
    expect(codes.includes('override_reason_vague')).toBe(vague);
  });
});

describe('lintPolicy: bad input', () => {
  it('an invalid `at` throws invalid_instant', () => {
    expect(() => lintPolicy(parseAccountPolicy({}), [], { at: 'tomorrow' })).toThrow(expect.objectContaining({ code: 'invalid_instant', path: ['at'] }) as Error);
  });
  it('raw settings are validated, with the override’s index in the path', () => {
    expect(() => lintPolicy(parseAccountPolicy({}), [{ staffId: 'x', reason: ' ', set: {} }], { at })).toThrow(StaffgateError);
    expect(() => lintPolicy(parseAccountPolicy({}), [{ staffId: 'x', reason: ' ', set: {} }], { at })).toThrow(expect.objectContaining({ path: ['overrides', 0, 'reason'] }) as Error);
    expect(lintPolicy({} as never, [], { at }).length).toBeGreaterThan(0);
  });
});

describe('lintPolicy: many people in one list', () => {
  it('paths name the index in the list passed, whatever the order of the people', () => {
    const base = { reason: 'Field sales: signs in from customer sites and hotels', reviewBy: '2027-01-15T00:00:00Z' };
    const findings = lint({}, [
      { ...base, staffId: 'sam', set: { loginMethods: ['google'] } },
      { ...base, staffId: 'kim', set: { ipLockdown: { allow: [] } } },
      { ...base, staffId: 'sam', reason: 'VPN', set: { loginHours: { timezone: 'Europe/London' } } },
      { ...base, staffId: 'kim', set: { twoFactor: { methods: [] } } },
    ]);
    expect(summary(findings)).toEqual([
      'error ip_lockdown_empty_allowlist overrides[1].set.ipLockdown.allow',
      'error two_factor_no_methods overrides[3].set.twoFactor.methods',
      'warning override_reason_vague overrides[2].reason',
      'info override_no_effect overrides[2].set',
    ]);
  });
});
