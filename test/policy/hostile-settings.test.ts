import { afterEach, describe, expect, it } from 'vitest';
import { evaluateLogin, lintPolicy, reviewOverrides, simulateLogin, parseAccountPolicy, parseStaffOverride, resolvePolicy, safeParseStaffOverride } from 'staffgate';

const at = '2026-11-23T10:00:00Z';
const P = Object.prototype as Record<string, unknown>;
afterEach(() => {
  for (const k of ['mode', 'ipLockdown', 'expiresAt']) Reflect.deleteProperty(P, k);
});

describe('a polluted Object.prototype never relaxes a policy', () => {
  const account = parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] }, twoFactor: { required: true, methods: ['totp'] } });

  it('Object.prototype.mode = "report" does not make the rules report-only', () => {
    P.mode = 'report';
    const policy = resolvePolicy(account, [], { at });
    const d = evaluateLogin(policy, { method: 'google', ip: '198.51.100.9', at });
    delete P.mode;
    expect(policy.ipLockdown.mode).toBeUndefined();
    expect(d.outcome).toBe('deny');
  });

  it('simulateLogin does not describe an enforced rule as report-only under Object.prototype.mode', () => {
    P.mode = 'report';
    const sim = simulateLogin(account, [], { method: 'google', ip: '198.51.100.9', at });
    delete P.mode;
    expect(sim.decision.outcome).toBe('deny');
    expect(JSON.stringify(sim.trace)).not.toContain('report-only');
  });

  it('Object.prototype.ipLockdown does not leak into an override that does not name it', () => {
    const tokyo = parseStaffOverride({ staffId: 'sam', reason: 'Works from the Tokyo office', set: { loginHours: { timezone: 'Asia/Tokyo' } } });
    P.ipLockdown = { enabled: false };
    const policy = resolvePolicy(account, [tokyo], { at });
    delete P.ipLockdown;
    expect(policy.ipLockdown.enabled).toBe(true);
  });

  it('Object.prototype.expiresAt does not expire an override', () => {
    const strict = parseStaffOverride({ staffId: 'sam', reason: 'Handles payroll exports, SSO only', set: { loginMethods: ['google'] } });
    P.expiresAt = '1970-01-01T00:00:00Z';
    const policy = resolvePolicy(account, [strict], { at });
    delete P.expiresAt;
    expect(policy.loginMethods).toEqual(['google']);
  });

  it('reviewOverrides agrees: an override Object.prototype.expiresAt "expires" is not listed as expired', () => {
    const strict = parseStaffOverride({ staffId: 'sam', reason: 'Handles payroll exports, SSO only', set: { loginMethods: ['google'] } });
    P.expiresAt = '1970-01-01T00:00:00Z';
    const review = reviewOverrides([strict], { at });
    delete P.expiresAt;
    expect(review.expired).toEqual([]);
  });
});

describe('lintPolicy reports a person-level lockout even when the account has the report-only warning', () => {
  it.each([
    ['ipLockdown', { ipLockdown: { enabled: true, allow: [], mode: 'report' } }, 'ip_lockdown_empty_allowlist'],
    ['loginHours', { loginHours: { enabled: true, windows: [], mode: 'report' } }, 'login_hours_no_windows'],
    ['twoFactor', { twoFactor: { required: true, methods: [], mode: 'report' } }, 'two_factor_no_methods'],
  ] as const)('%s', (rule, input, code) => {
    const account = parseAccountPolicy(input);
    const o = parseStaffOverride({ staffId: 'sam', reason: 'Pilot of enforcement for the finance team', reviewBy: '2027-01-01T00:00:00Z', set: { [rule]: { mode: 'enforce' } } });
    expect(evaluateLogin(resolvePolicy(account, [o], { at }), { method: 'google', ip: '203.0.113.7', at, verified: ['totp'], enrolled: ['totp'] }).outcome).toBe('deny');
    const f = lintPolicy(account, [o], { at }).find((x) => x.code === code && x.staffId === 'sam');
    expect(f?.severity).toBe('error');
  });
});

describe('override ids and reasons follow the id rules', () => {
  it.each([['sam\u0000'], [' sam'], ['sam\ud800']])('staffId %j is refused', (staffId) => {
    const r = safeParseStaffOverride({ staffId, reason: 'Field sales on the road', set: {} });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.path).toEqual(['staffId']);
  });
  it.each([['\u200b'], ['\u3164'], [' \u200b\ufeff\u2060 ']])('reason %j is blank', (reason) => {
    const r = safeParseStaffOverride({ staffId: 'sam', reason, set: {} });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.path).toEqual(['reason']);
  });
  it('a staffId option that is not a string is refused, not matched against nobody', () => {
    const o = parseStaffOverride({ staffId: 'sam', reason: 'Handles payroll exports, SSO only', set: { loginMethods: ['google'] } });
    expect(() => resolvePolicy(parseAccountPolicy({}), [o], { at, staffId: null as unknown as string })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
  });
});
