import { describe, expect, it } from 'vitest';
import { evaluateLogin, evaluateSession, parseAccountPolicy, parseStaffOverride, resolvePolicy, type LoginAttempt, type LoginDecision } from 'staffgate';

const monday0900London = '2026-11-23T09:00:00Z'; // 09:00 GMT, a Monday
const monday2000London = '2026-11-23T20:00:00Z';
const office = '203.0.113.7';
const cafe = '198.51.100.23';

const account = parseAccountPolicy({
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '2001:db8::/48'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
});
const policy = resolvePolicy(account, [], { at: monday0900London });
const open = resolvePolicy(parseAccountPolicy({}), [], { at: monday0900London });

function codes(d: LoginDecision): string[] {
  return d.reasons.map((r) => r.code);
}

describe('evaluateLogin: the default policy is permissive', () => {
  it.each(['google', 'microsoft'] as const)('%s from anywhere at any time is allowed', (method) => {
    expect(evaluateLogin(open, { method, ip: cafe, at: monday2000London })).toEqual({ outcome: 'allow', reasons: [] });
  });
  it('a password login still needs the e-mailed code', () => {
    const d = evaluateLogin(open, { method: 'password', ip: cafe, at: monday2000London });
    expect(d.outcome).toBe('challenge');
    expect(d.challenge).toEqual({ step: 'email_code' });
    expect(codes(d)).toEqual(['email_code_required']);
    expect(evaluateLogin(open, { method: 'password', ip: cafe, at: monday2000London, verified: ['email_code'] }).outcome).toBe('allow');
  });
});

describe('evaluateLogin: a table of attempts against the office policy', () => {
  const cases: { name: string; attempt: LoginAttempt; outcome: string; codes: string[]; challenge?: unknown }[] = [
    { name: 'office, office hours, TOTP done', attempt: { method: 'google', ip: office, at: monday0900London, verified: ['totp'] }, outcome: 'allow', codes: [] },
    { name: 'IPv6 office address', attempt: { method: 'google', ip: '2001:db8::42', at: monday0900London, verified: ['totp'] }, outcome: 'allow', codes: [] },
    { name: 'IPv4-mapped office address', attempt: { method: 'google', ip: '::ffff:203.0.113.7', at: monday0900London, verified: ['email'] }, outcome: 'allow', codes: [] },
    { name: 'the café is refused', attempt: { method: 'google', ip: cafe, at: monday0900London, verified: ['totp'] }, outcome: 'deny', codes: ['ip_not_allowed'] },
    { name: 'after hours', attempt: { method: 'google', ip: office, at: monday2000London, verified: ['totp'] }, outcome: 'deny', codes: ['outside_login_hours'] },
    { name: 'café after hours: both reasons', attempt: { method: 'google', ip: cafe, at: monday2000London }, outcome: 'deny', codes: ['ip_not_allowed', 'outside_login_hours'] },
    { name: 'an octal address is invalid', attempt: { method: 'google', ip: '0313.0.113.7', at: monday0900London }, outcome: 'deny', codes: ['ip_invalid'] },
    { name: 'an address with a port is invalid', attempt: { method: 'google', ip: '203.0.113.7:443', at: monday0900London }, outcome: 'deny', codes: ['ip_invalid'] },
    { name: 'deny wins over the pending second factor', attempt: { method: 'password', ip: cafe, at: monday0900London }, outcome: 'deny', codes: ['ip_not_allowed'] },
    { name: '2FA: enrolled TOTP is offered', attempt: { method: 'google', ip: office, at: monday0900London, enrolled: ['totp', 'sms'] }, outcome: 'challenge', codes: ['second_factor_required'], challenge: { step: 'second_factor', factors: ['totp'] } },
    { name: '2FA: nothing enrolled → enroll', attempt: { method: 'google', ip: office, at: monday0900London }, outcome: 'challenge', codes: ['second_factor_enrollment_required'], challenge: { step: 'enroll', factors: ['totp', 'email'] } },
    { name: '2FA: only a disallowed factor enrolled → enroll', attempt: { method: 'google', ip: office, at: monday0900London, enrolled: ['sms'] }, outcome: 'challenge', codes: ['second_factor_enrollment_required'], challenge: { step: 'enroll', factors: ['totp', 'email'] } },
    { name: '2FA: a disallowed factor verified does not count', attempt: { method: 'google', ip: office, at: monday0900London, verified: ['sms'], enrolled: ['sms', 'totp'] }, outcome: 'challenge', codes: ['second_factor_required'], challenge: { step: 'second_factor', factors: ['totp'] } },
    { name: 'password: the e-mailed code comes first', attempt: { method: 'password', ip: office, at: monday0900London, enrolled: ['totp'] }, outcome: 'challenge', codes: ['email_code_required', 'second_factor_required'], challenge: { step: 'email_code' } },
    { name: 'password: then the second factor', attempt: { method: 'password', ip: office, at: monday0900London, enrolled: ['totp'], verified: ['email_code'] }, outcome: 'challenge', codes: ['second_factor_required'], challenge: { step: 'second_factor', factors: ['totp'] } },
    { name: 'password: the login code is not also the e-mail factor', attempt: { method: 'password', ip: office, at: monday0900London, enrolled: ['email'], verified: ['email_code'] }, outcome: 'challenge', codes: ['second_factor_required'], challenge: { step: 'second_factor', factors: ['email'] } },
    { name: 'password: the e-mail factor is not the login code', attempt: { method: 'password', ip: office, at: monday0900London, enrolled: ['email'], verified: ['email'] }, outcome: 'challenge', codes: ['email_code_required'], challenge: { step: 'email_code' } },
    { name: 'password: both steps done', attempt: { method: 'password', ip: office, at: monday0900London, verified: ['email_code', 'email'] }, outcome: 'allow', codes: [] },
    { name: 'SSO MFA claim is ignored by default', attempt: { method: 'microsoft', ip: office, at: monday0900London, sso: { mfa: true }, enrolled: ['totp'] }, outcome: 'challenge', codes: ['second_factor_required'], challenge: { step: 'second_factor', factors: ['totp'] } },
  ];
  it.each(cases)('$name → $outcome', ({ attempt, outcome, codes: expected, challenge }) => {
    const d = evaluateLogin(policy, attempt);
    expect(d.outcome).toBe(outcome);
    expect(codes(d)).toEqual(expected);
    if (challenge) expect(d.challenge).toEqual(challenge);
    else expect(d.challenge).toBeUndefined();
  });
});

describe('evaluateLogin: details', () => {
  it('the SSO MFA claim satisfies 2FA only when the host opts in, and never for password logins', () => {
    const sso = { method: 'microsoft', ip: office, at: monday0900London, sso: { mfa: true } } as const;
    expect(evaluateLogin(policy, sso, { acceptSsoMfa: true }).outcome).toBe('allow');
    expect(evaluateLogin(policy, { ...sso, sso: { mfa: false } }, { acceptSsoMfa: true }).outcome).toBe('challenge');
    expect(evaluateLogin(policy, { ...sso, method: 'password', verified: ['email_code'] }, { acceptSsoMfa: true }).outcome).toBe('challenge');
  });

  it.each([['yes'], [1], [['totp']], [{}]])('only an SSO MFA claim of exactly true counts, not %j', (mfa) => {
    const attempt = { method: 'microsoft', ip: office, at: monday0900London, sso: { mfa }, enrolled: ['totp'] };
    expect(evaluateLogin(policy, attempt as never, { acceptSsoMfa: true })).toMatchObject({ outcome: 'challenge', challenge: { step: 'second_factor' } });
  });

  it('a second factor never stands in for the e-mailed code of a password login', () => {
    const d = evaluateLogin(policy, { method: 'password', ip: office, at: monday0900London, verified: ['totp'], enrolled: ['totp'] });
    expect(d).toMatchObject({ outcome: 'challenge', challenge: { step: 'email_code' } });
    expect(codes(d)).toEqual(['email_code_required']);
  });

  it('a method the account does not allow is refused (SSO-only workspace)', () => {
    const ssoOnly = resolvePolicy(parseAccountPolicy({ loginMethods: ['google'] }), [], { at: monday0900London });
    const d = evaluateLogin(ssoOnly, { method: 'password', ip: office, at: monday0900London, verified: ['email_code'] });
    expect(d).toMatchObject({ outcome: 'deny', reasons: [{ code: 'method_not_allowed', source: 'account' }] });
  });

  it('the message shown to the person never reveals the allowlist; the audit detail names the layer', () => {
    const d = evaluateLogin(policy, { method: 'google', ip: cafe, at: monday0900London });
    const reason = d.reasons[0]!;
    expect(reason.message).not.toMatch(/203\.0\.113|2001:db8/);
    expect(reason.detail).toContain(cafe);
    expect(reason.detail).toContain('account default');
  });

  it('outside hours: says when the person can sign in, in their own zone, and gives retryAt', () => {
    const d = evaluateLogin(policy, { method: 'google', ip: office, at: monday2000London });
    expect(d.reasons[0]?.message).toContain('08:00 (Europe/London)');
    expect(d.retryAt).toBe(Date.parse('2026-11-24T08:00:00Z'));
  });

  it('reasons name the override they came from', () => {
    const road = parseStaffOverride({ staffId: 'sam', reason: 'on the road', set: { ipLockdown: { allow: ['192.0.2.0/24'] } } });
    const sam = resolvePolicy(account, [road], { at: monday0900London });
    const d = evaluateLogin(sam, { method: 'google', ip: office, at: monday0900London });
    expect(d.reasons[0]).toMatchObject({ code: 'ip_not_allowed', source: 'sam' });
    expect(d.reasons[0]?.detail).toContain('"on the road"');
  });

  it('a staff member in another zone is judged by their own clock', () => {
    const tokyo = parseStaffOverride({ staffId: 'kenji', reason: 'Tokyo office', set: { loginHours: { timezone: 'Asia/Tokyo' } } });
    const kenji = resolvePolicy(account, [tokyo], { at: monday0900London });
    // 09:00 London = 18:00 Tokyo: just closed there. 00:30 London = 09:30 Tokyo.
    expect(codes(evaluateLogin(kenji, { method: 'google', ip: office, at: monday0900London, verified: ['totp'] }))).toEqual(['outside_login_hours']);
    expect(evaluateLogin(kenji, { method: 'google', ip: office, at: '2026-11-23T00:30:00Z', verified: ['totp'] }).outcome).toBe('allow');
  });

  it('2FA required with no factor allowed fails closed', () => {
    const none = resolvePolicy(parseAccountPolicy({ twoFactor: { required: true, methods: [] } }), [], { at: monday0900London });
    expect(evaluateLogin(none, { method: 'google', ip: office, at: monday0900London, verified: ['totp'] })).toMatchObject({ outcome: 'deny', reasons: [{ code: 'second_factor_required' }] });
  });
});

describe('evaluateLogin: hostile and malformed attempts never throw and are denied', () => {
  const bad: { name: string; attempt: unknown }[] = [
    { name: 'null', attempt: null },
    { name: 'a string', attempt: 'google' },
    { name: 'unknown method', attempt: { method: 'facebook', ip: office, at: monday0900London } },
    { name: 'method with different case', attempt: { method: 'Google', ip: office, at: monday0900London } },
    { name: 'ip not a string', attempt: { method: 'google', ip: 3405803783, at: monday0900London } },
    { name: 'at missing', attempt: { method: 'google', ip: office } },
    { name: 'at without offset', attempt: { method: 'google', ip: office, at: '2026-11-23T09:00:00' } },
    { name: 'at NaN', attempt: { method: 'google', ip: office, at: Number.NaN } },
    { name: 'at an invalid Date', attempt: { method: 'google', ip: office, at: new Date('nope') } },
    { name: 'verified with an unknown step', attempt: { method: 'google', ip: office, at: monday0900London, verified: ['password'] } },
    { name: 'verified not an array', attempt: { method: 'google', ip: office, at: monday0900London, verified: 'totp' } },
    { name: 'enrolled with an unknown factor', attempt: { method: 'google', ip: office, at: monday0900London, enrolled: ['push'] } },
    { name: 'a getter that throws', attempt: Object.defineProperty({ ip: office, at: monday0900London }, 'method', { get() { throw new Error('boom'); } }) },
    { name: 'a proxy whose traps throw', attempt: new Proxy({}, { get() { throw new Error('boom'); } }) },
  ];
  it.each(bad)('$name → deny attempt_invalid, from the attempt', ({ attempt }) => {
    const d = evaluateLogin(policy, attempt as LoginAttempt);
    expect(d.outcome).toBe('deny');
    expect(codes(d)).toEqual(['attempt_invalid']);
    expect(d.reasons[0]?.source).toBe('attempt');
  });

  const badIps = ['', ' 203.0.113.7', '203.0.113.7 ', '0x cb.0.113.7', '203.0.113', '203.0.113.7.', '[2001:db8::1]', 'fe80::1%eth0', '２０３.0.113.7', 'localhost', '203.0.113.07'];
  it.each(badIps)('client address %j → deny ip_invalid, even with no lockdown', (ip) => {
    expect(codes(evaluateLogin(open, { method: 'google', ip, at: monday0900London }))).toEqual(['ip_invalid']);
  });

  it('a hand-made policy with a broken allowlist is denied, not thrown', () => {
    const broken = { ...policy, ipLockdown: { enabled: true, allow: ['not-an-ip'] } };
    expect(evaluateLogin(broken, { method: 'google', ip: office, at: monday0900London }).outcome).toBe('deny');
  });
});

describe('evaluateSession', () => {
  const loginAt = '2026-11-23T08:30:00Z';
  it('continues while the address and the hours still hold', () => {
    expect(evaluateSession(policy, { ip: office, at: monday0900London, loginAt })).toEqual({ outcome: 'continue', reasons: [] });
  });
  it('ends when the address leaves the allowlist', () => {
    expect(evaluateSession(policy, { ip: cafe, at: monday0900London, loginAt })).toMatchObject({ outcome: 'end', reasons: [{ code: 'ip_not_allowed' }] });
  });
  it('ends when the login hours are over', () => {
    expect(evaluateSession(policy, { ip: office, at: '2026-11-23T18:00:00Z', loginAt })).toMatchObject({ outcome: 'end', reasons: [{ code: 'outside_login_hours' }] });
  });
  it.each([
    { ip: office, at: 'later', loginAt },
    { ip: office, at: monday0900London, loginAt: 'x' },
    { ip: office, at: loginAt, loginAt: monday0900London },
    { ip: undefined, at: monday0900London, loginAt },
  ])('ends a malformed check %#', (request) => {
    expect(evaluateSession(policy, request as never)).toMatchObject({ outcome: 'end', reasons: [{ code: 'request_invalid' }] });
  });
  it.each(['0313.0.113.7', '203.0.113.7 ', 'office', ''])('ends a session whose address %j cannot be read (ip_invalid)', (ip) => {
    expect(evaluateSession(policy, { ip, at: monday0900London, loginAt })).toMatchObject({ outcome: 'end', reasons: [{ code: 'ip_invalid' }] });
    expect(evaluateSession(open, { ip, at: monday0900London, loginAt })).toMatchObject({ outcome: 'end', reasons: [{ code: 'ip_invalid' }] });
  });
  it('a report-only lockdown still ends a session whose address cannot be read', () => {
    const reportOnly = resolvePolicy(parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'], mode: 'report' } }), [], { at: monday0900London });
    expect(evaluateSession(reportOnly, { ip: cafe, at: monday0900London, loginAt }).outcome).toBe('continue');
    expect(evaluateSession(reportOnly, { ip: '0313.0.113.7', at: monday0900London, loginAt })).toMatchObject({ outcome: 'end', reasons: [{ code: 'ip_invalid' }] });
  });
});

describe('a resolved policy used after an override in it has expired', () => {
  // Sam's trip switches the office lockdown off until 10:00; the host resolved at 09:00 and
  // keeps the policy (a cache, a long session).
  const trip = parseStaffOverride({ staffId: 'sam', reason: 'Trip to Lisbon', expiresAt: '2026-11-23T10:00:00Z', set: { ipLockdown: { enabled: false } } });
  const lockdown = parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] } });
  const kept = resolvePolicy(lockdown, [trip], { at: '2026-11-23T09:00:00Z', staffId: 'sam' });
  const loginAt = '2026-11-23T09:30:00Z';

  it('decides by the override while it holds', () => {
    expect(evaluateLogin(kept, { method: 'google', ip: cafe, at: '2026-11-23T09:59:59Z' }).outcome).toBe('allow');
    expect(evaluateSession(kept, { ip: cafe, at: '2026-11-23T09:59:59Z', loginAt }).outcome).toBe('continue');
  });

  it.each(['2026-11-23T10:00:00Z', '2026-11-30T09:00:00Z'])('denies at %s, asking for the policy to be resolved again', (at) => {
    const d = evaluateLogin(kept, { method: 'google', ip: cafe, at });
    expect(d).toMatchObject({ outcome: 'deny', reasons: [{ code: 'attempt_invalid', source: 'sam' }] });
    expect(d.reasons[0]?.detail).toMatch(/override #0 of sam in it expired at 2026-11-23T10:00:00Z.*resolve the policy again/);
    expect(evaluateSession(kept, { ip: cafe, at, loginAt })).toMatchObject({ outcome: 'end', reasons: [{ code: 'request_invalid', source: 'sam' }] });
    expect(evaluateLogin(resolvePolicy(lockdown, [trip], { at, staffId: 'sam' }), { method: 'google', ip: cafe, at })).toMatchObject({ outcome: 'deny', reasons: [{ code: 'ip_not_allowed' }] });
  });

  it('a hand-made copy whose override expiry is edited in place is judged by the edit', () => {
    const override = { ...kept.applied[0] } as { expiresAt?: string };
    const copy = { ...kept, applied: [override] } as unknown as typeof kept;
    expect(evaluateLogin(copy, { method: 'google', ip: cafe, at: '2026-11-23T09:30:00Z' }).outcome).toBe('allow');
    override.expiresAt = '2026-11-23T09:15:00Z';
    expect(codes(evaluateLogin(copy, { method: 'google', ip: cafe, at: '2026-11-23T09:30:00Z' }))).toEqual(['attempt_invalid']);
  });

  it('denies an attempt before an override that the policy left out as expired had expired', () => {
    const later = resolvePolicy(lockdown, [trip], { at: '2026-11-23T11:00:00Z', staffId: 'sam' });
    expect(evaluateLogin(later, { method: 'google', ip: office, at: '2026-11-23T11:00:00Z' }).outcome).toBe('allow');
    expect(evaluateLogin(later, { method: 'google', ip: cafe, at: '2026-11-23T09:30:00Z' })).toMatchObject({ outcome: 'deny', reasons: [{ code: 'attempt_invalid', source: 'sam' }] });
  });
});

describe('a hand-made policy edited in place', () => {
  it('is judged by its login hours now, also when only a window object was edited', () => {
    const window = { days: ['mon'], start: '08:00', end: '18:00' };
    const handMade = { ...open, loginHours: { enabled: true, timezone: 'Europe/London', windows: Object.freeze([window]) } } as unknown as typeof open;
    expect(evaluateLogin(handMade, { method: 'google', ip: cafe, at: monday0900London }).outcome).toBe('allow');
    window.start = '10:00';
    expect(codes(evaluateLogin(handMade, { method: 'google', ip: cafe, at: monday0900London }))).toEqual(['outside_login_hours']);
  });
});

describe('evaluateLogin: tampered attempt objects', () => {
  const at = '2026-11-23T09:00:00Z';
  const twoFa = resolvePolicy(parseAccountPolicy({ twoFactor: { required: true } }), [], { at });

  it('an array that brings its own `includes` cannot fake a completed step', () => {
    const verified = Object.assign([] as string[], { includes: () => true, some: () => true });
    const d = evaluateLogin(twoFa, { method: 'password', ip: '203.0.113.7', at, verified } as never);
    expect(d.outcome).toBe('challenge');
  });

  it('a getter that answers differently on each read cannot pass validation with one value and decide with another', () => {
    let reads = 0;
    const attempt = {
      get method() {
        reads += 1;
        return reads === 1 ? 'google' : 'password';
      },
      ip: '203.0.113.7',
      at,
      verified: ['totp'],
    };
    const d = evaluateLogin(twoFa, attempt as never);
    expect(reads).toBe(1);
    expect(d.outcome).toBe('allow');
  });

  it('an absurdly long steps list is malformed', () => {
    const verified = Array.from({ length: 100_000 }, () => 'totp');
    expect(evaluateLogin(twoFa, { method: 'google', ip: '203.0.113.7', at, verified } as never).reasons[0]?.code).toBe('attempt_invalid');
  });
});

describe('evaluateLogin: compiled settings never go stale', () => {
  it('a hand-made policy whose allowlist is edited in place is judged by the list as it is now', () => {
    const at = '2026-11-23T09:00:00Z';
    const base = resolvePolicy(parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['10.0.0.0/8'] } }), [], { at });
    const allow = ['10.0.0.0/8'];
    const handMade = { ...base, ipLockdown: { enabled: true, allow } };
    const attempt = { method: 'google', ip: '10.1.2.3', at } as const;
    expect(evaluateLogin(handMade, attempt).outcome).toBe('allow');
    allow.splice(0, 1, '192.0.2.0/24');
    expect(evaluateLogin(handMade, attempt)).toMatchObject({ outcome: 'deny', reasons: [{ code: 'ip_not_allowed' }] });
  });
});
