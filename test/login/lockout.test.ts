import { describe, expect, it } from 'vitest';
import { StaffgateError, evaluateLogin, parseAccountPolicy, resolvePolicy } from 'staffgate';
import { MAX_FAMILIAR_NETWORKS, checkLockout, lockoutNetwork, recordLoginFailure, recordLoginSuccess, type LockoutRecord } from 'staffgate/login';

const MIN = 60_000;
const t0 = Date.parse('2026-11-23T09:00:00Z');
const office = '203.0.113.7';
const officeToo = '203.0.113.200';
const attacker = '198.51.100.23';

const lockout = { enabled: true, maxFailures: 10, windowMinutes: 15, lockoutMinutes: 15, networkMaxFailures: 100 };
const policy = { lockout };

function fail(record: LockoutRecord | null, n: number, ip: string, start: number, step = 1000): LockoutRecord {
  let r = record;
  for (let i = 0; i < n; i++) r = recordLoginFailure(r, { policy, at: start + i * step, ip });
  if (r === null) throw new Error('no failures');
  return r;
}

describe('recordLoginFailure / checkLockout: the basic rule', () => {
  it('nine failures leave it open, the 10th within 15 min locks for lockoutMinutes', () => {
    const nine = fail(null, 9, attacker, t0);
    expect(checkLockout(nine, { at: t0 + 9000, ip: attacker })).toEqual({ state: 'open', failures: 9 });
    const ten = recordLoginFailure(nine, { policy, at: t0 + 9000, ip: attacker });
    expect(ten.lanes.other.lockedUntil).toBe(t0 + 9000 + 15 * MIN);
    expect(ten.lanes.other.failures).toEqual([]);
    expect(ten.failuresSinceSuccess).toBe(10);
    expect(checkLockout(ten, { at: t0 + 10_000, ip: attacker })).toEqual({ state: 'locked', until: t0 + 9000 + 15 * MIN, lane: 'other', subject: 'person' });
    expect(checkLockout(ten, { at: t0 + 9000 + 15 * MIN - 1, ip: attacker }).state).toBe('locked');
    expect(checkLockout(ten, { at: t0 + 9000 + 15 * MIN, ip: attacker }).state).toBe('open');
  });

  it('failures older than windowMinutes do not count', () => {
    const five = fail(null, 5, attacker, t0);
    // 15 min + later: the first five no longer count
    const later = fail(five, 5, attacker, t0 + 20 * MIN);
    expect(later.lanes.other.lockedUntil).toBeNull();
    expect(later.lanes.other.failures).toHaveLength(5);
    expect(later.failuresSinceSuccess).toBe(10);
    expect(checkLockout(later, { at: t0 + 21 * MIN, ip: attacker }).state).toBe('open');
  });

  it('a failure exactly windowMinutes old no longer counts', () => {
    const nine = fail(null, 9, attacker, t0, 0);
    const r = recordLoginFailure(nine, { policy, at: t0 + 15 * MIN, ip: attacker });
    expect(r.lanes.other.lockedUntil).toBeNull();
    expect(r.lanes.other.failures).toEqual([t0 + 15 * MIN]);
  });

  it('a success resets the count', () => {
    const nine = fail(null, 9, office, t0);
    const ok = recordLoginSuccess(nine, { policy, at: t0 + 10_000, ip: office });
    expect(ok.failuresSinceSuccess).toBe(0);
    expect(ok.lanes.other.failures).toEqual([]);
    expect(ok.lastSuccessAt).toBe(t0 + 10_000);
    expect(ok.familiar).toEqual(['203.0.113.0/24']);
    const r = fail(ok, 9, office, t0 + 20_000);
    expect(checkLockout(r, { at: t0 + 30_000, ip: office }).state).toBe('open');
  });

  it('failures during a lock are counted but do not extend it', () => {
    const locked = fail(null, 10, attacker, t0);
    const until = locked.lanes.other.lockedUntil;
    const more = fail(locked, 30, attacker, t0 + MIN, 10_000);
    expect(more.lanes.other.lockedUntil).toBe(until);
    expect(more.failuresSinceSuccess).toBe(40);
    expect(more.lastFailureAt).toBe(t0 + MIN + 29 * 10_000);
    expect(checkLockout(more, { at: (until ?? 0) + 1, ip: attacker }).state).toBe('open');
  });

  it('with lockout disabled failures never lock but are counted', () => {
    let r: LockoutRecord | null = null;
    for (let i = 0; i < 50; i++) r = recordLoginFailure(r, { policy: { lockout: { ...lockout, enabled: false } }, at: t0 + i, ip: attacker });
    expect(r?.lanes.other.lockedUntil).toBeNull();
    expect(r?.failuresSinceSuccess).toBe(50);
    expect(checkLockout(r, { at: t0 + 100, ip: attacker }).state).toBe('open');
  });

  it('null and undefined records are open', () => {
    expect(checkLockout(null, { at: t0, ip: office })).toEqual({ state: 'open', failures: 0 });
    expect(checkLockout(undefined, { at: t0, ip: office })).toEqual({ state: 'open', failures: 0 });
  });
});

describe('smart lockout: familiar networks', () => {
  const known = recordLoginSuccess(null, { policy, at: t0, ip: office });

  it('failures from an unfamiliar /24 lock other networks but not the familiar one', () => {
    const attacked = fail(known, 10, attacker, t0 + MIN);
    expect(attacked.lanes.other.lockedUntil).toBe(t0 + MIN + 9000 + 15 * MIN);
    expect(attacked.lanes.familiar.lockedUntil).toBeNull();
    expect(checkLockout(attacked, { at: t0 + 2 * MIN, ip: officeToo })).toEqual({ state: 'open', failures: 0 });
    expect(checkLockout(attacked, { at: t0 + 2 * MIN, ip: '198.51.200.1' }).state).toBe('locked');
    expect(checkLockout(attacked, { at: t0 + 2 * MIN, ip: 'not-an-ip' }).state).toBe('locked');
  });

  it('failures from a familiar network lock every network', () => {
    const r = fail(known, 10, officeToo, t0 + MIN);
    expect(r.lanes.familiar.lockedUntil).not.toBeNull();
    expect(checkLockout(r, { at: t0 + 2 * MIN, ip: office })).toMatchObject({ state: 'locked', lane: 'familiar' });
    expect(checkLockout(r, { at: t0 + 2 * MIN, ip: attacker })).toMatchObject({ state: 'locked', lane: 'familiar' });
  });

  it('a success from the familiar network leaves the other lane locked', () => {
    const attacked = fail(known, 10, attacker, t0 + MIN);
    const ok = recordLoginSuccess(attacked, { policy, at: t0 + 3 * MIN, ip: office });
    expect(ok.lanes.other.lockedUntil).toBe(attacked.lanes.other.lockedUntil);
    expect(checkLockout(ok, { at: t0 + 4 * MIN, ip: attacker }).state).toBe('locked');
    expect(checkLockout(ok, { at: t0 + 4 * MIN, ip: office }).state).toBe('open');
  });

  it('remembers at most MAX_FAMILIAR_NETWORKS, most recent first', () => {
    let r: LockoutRecord | null = null;
    for (let i = 0; i < 8; i++) r = recordLoginSuccess(r, { policy, at: t0 + i, ip: `10.0.${String(i)}.1` });
    expect(r?.familiar).toHaveLength(MAX_FAMILIAR_NETWORKS);
    expect(r?.familiar[0]).toBe('10.0.7.0/24');
    r = recordLoginSuccess(r, { policy, at: t0 + 9, ip: '10.0.5.9' });
    expect(r.familiar.slice(0, 2)).toEqual(['10.0.5.0/24', '10.0.7.0/24']);
    expect(r.familiar).toHaveLength(MAX_FAMILIAR_NETWORKS);
  });
});

describe('lockoutNetwork', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:203.0.113.7', '203.0.113.0/24'],
    ['2001:db8:1:2::9', '2001:db8:1::/48'],
    ['2001:db8:1:ffff:ffff:ffff:ffff:ffff', '2001:db8:1::/48'],
    ['2001:db8::1', '2001:db8::/48'],
    ['2001:0:0:1::1', '2001::/48'],
    ['::1', '::/48'],
    ['fe80:1:2:3::', 'fe80:1:2::/48'],
  ])('%s → %s', (ip, net) => {
    expect(lockoutNetwork(ip)).toBe(net);
  });
  it.each(['', 'nope', '203.0.113.7:443', '999.1.1.1'])('%j is undefined', (ip) => {
    expect(lockoutNetwork(ip)).toBeUndefined();
  });
  it('IPv6 addresses in one /48 share a lane', () => {
    const known = recordLoginSuccess(null, { policy, at: t0, ip: '2001:db8:1:2::9' });
    expect(known.familiar).toEqual(['2001:db8:1::/48']);
    const attacked = fail(known, 10, '2001:db8:2::1', t0 + MIN);
    expect(checkLockout(attacked, { at: t0 + 2 * MIN, ip: '2001:db8:1:ffff::1' }).state).toBe('open');
    expect(checkLockout(attacked, { at: t0 + 2 * MIN, ip: '2001:db8:2:ffff::1' }).state).toBe('locked');
  });
});

describe('network-subject records (credential stuffing)', () => {
  const netPolicy = { lockout: { ...lockout, networkMaxFailures: 3 } };
  it('lock after networkMaxFailures, and a success changes no count', () => {
    let r: LockoutRecord | null = null;
    for (let i = 0; i < 2; i++) r = recordLoginFailure(r, { policy: netPolicy, at: t0 + i, ip: attacker, subject: 'network' });
    const ok = recordLoginSuccess(r, { policy: netPolicy, at: t0 + 5, ip: attacker, subject: 'network' });
    expect(ok.lanes.other.failures).toHaveLength(2);
    expect(ok.familiar).toEqual([]);
    expect(checkLockout(ok, { at: t0 + 6, ip: attacker })).toEqual({ state: 'open', failures: 2 });
    const locked = recordLoginFailure(ok, { policy: netPolicy, at: t0 + 10, ip: attacker, subject: 'network' });
    expect(locked.subject).toBe('network');
    expect(checkLockout(locked, { at: t0 + 11, ip: attacker })).toEqual({ state: 'locked', until: t0 + 10 + 15 * MIN, lane: 'other', subject: 'network' });
  });
  it('a person record passed as a network record is replaced by a locked one', () => {
    const person = fail(null, 1, attacker, t0);
    const r = recordLoginFailure(person, { policy: netPolicy, at: t0 + 1, ip: attacker, subject: 'network' });
    expect(r.subject).toBe('network');
    expect(r.lanes.familiar.lockedUntil).toBe(t0 + 1 + 15 * MIN);
    expect(r.lanes.other.lockedUntil).toBe(t0 + 1 + 15 * MIN);
  });
});

describe('evaluateLogin with lockout records', () => {
  const at = '2026-11-23T09:05:00Z';
  const atMs = Date.parse(at);
  const open = resolvePolicy(parseAccountPolicy({}), [], { at });
  const reportOnly = resolvePolicy(parseAccountPolicy({ lockout: { mode: 'report' } }), [], { at });
  const off = resolvePolicy(parseAccountPolicy({ lockout: { enabled: false } }), [], { at });
  const locked = fail(null, 10, attacker, atMs - MIN);
  const until = locked.lanes.other.lockedUntil ?? 0;

  it('a locked record denies with locked_out, a retryAt at the lock end, and a message with the wait', () => {
    const d = evaluateLogin(open, { method: 'password', ip: attacker, at, lockout: locked });
    expect(d.outcome).toBe('deny');
    expect(d.reasons.map((r) => r.code)).toEqual(['locked_out']);
    expect(d.retryAt).toBe(until);
    const message = d.reasons[0]?.message ?? '';
    expect(message).toMatch(/try again in \d+ minutes?/i);
    expect(message).toContain(`${String(Math.ceil((until - atMs) / MIN))} minutes`);
    expect(message.toLowerCase()).not.toContain('password');
  });

  it('a locked network record denies with locked_out', () => {
    let net: LockoutRecord | null = null;
    for (let i = 0; i < 3; i++) net = recordLoginFailure(net, { policy: { lockout: { ...lockout, networkMaxFailures: 3 } }, at: atMs - MIN + i, ip: attacker, subject: 'network' });
    const d = evaluateLogin(open, { method: 'google', ip: attacker, at, networkLockout: net });
    expect(d.outcome).toBe('deny');
    expect(d.reasons.map((r) => r.code)).toEqual(['locked_out']);
    expect(d.reasons[0]?.message.toLowerCase()).not.toContain('password');
  });

  it('an open record does not deny', () => {
    const d = evaluateLogin(open, { method: 'google', ip: attacker, at, lockout: fail(null, 3, attacker, atMs - MIN) });
    expect(d.outcome).toBe('allow');
  });

  it('the lock is only reported in report mode', () => {
    const d = evaluateLogin(reportOnly, { method: 'google', ip: attacker, at, lockout: locked });
    expect(d.outcome).toBe('allow');
    expect(d.reported?.map((r) => r.code)).toEqual(['locked_out']);
    expect(d.reported?.[0]?.wouldBe).toBe('deny');
    expect(d.retryAt).toBeUndefined();
  });

  it.each([
    ['a string', 'garbage'],
    ['wrong version', { ...locked, version: 2 }],
    ['a person record as the network record', locked],
  ])('a corrupt record (%s) is lockout_record_invalid, even in report mode', (_name, record) => {
    const attempt = _name.includes('network') ? { networkLockout: record as LockoutRecord } : { lockout: record as LockoutRecord };
    for (const p of [open, reportOnly]) {
      const d = evaluateLogin(p, { method: 'google', ip: attacker, at, ...attempt });
      expect(d.outcome).toBe('deny');
      expect(d.reasons.map((r) => r.code)).toEqual(['lockout_record_invalid']);
      expect(d.reasons[0]?.message.toLowerCase()).not.toContain('password');
    }
  });

  it('with the lockout rule off, records are not checked', () => {
    expect(evaluateLogin(off, { method: 'google', ip: attacker, at, lockout: locked }).outcome).toBe('allow');
  });
});

describe('invalid updates throw StaffgateError', () => {
  const base = { policy, at: t0, ip: office };
  it.each([
    ['NaN at', { ...base, at: Number.NaN }, 'invalid_instant'],
    ['negative at', { ...base, at: -1 }, 'invalid_instant'],
    ['year 10000', { ...base, at: 253_402_300_800_000 }, 'invalid_instant'],
    ['unknown subject', { ...base, subject: 'team' }, 'invalid_option'],
    ['no policy', { ...base, policy: null }, 'invalid_option'],
    ['policy without lockout', { ...base, policy: {} }, 'invalid_option'],
    ['enabled not boolean', { ...base, policy: { lockout: { ...lockout, enabled: 'yes' } } }, 'invalid_option'],
    ['maxFailures 0', { ...base, policy: { lockout: { ...lockout, maxFailures: 0 } } }, 'invalid_option'],
    ['maxFailures 1.5', { ...base, policy: { lockout: { ...lockout, maxFailures: 1.5 } } }, 'invalid_option'],
    ['lockoutMinutes too long', { ...base, policy: { lockout: { ...lockout, lockoutMinutes: 10_081 } } }, 'invalid_option'],
  ])('%s', (_name, update, code) => {
    for (const fn of [recordLoginFailure, recordLoginSuccess]) {
      let err: unknown;
      try {
        fn(null, update as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StaffgateError);
      expect((err as StaffgateError).code).toBe(code);
    }
  });
  it.each(['lockout', 'enabled', 'maxFailures'])('a polluted Object.prototype.%s does not stand in for a missing rule field', (field) => {
    const rest = Object.fromEntries(Object.entries(lockout).filter(([k]) => k !== field));
    const policyLacking = field === 'lockout' ? {} : { lockout: rest };
    const proto = Object.prototype as Record<string, unknown>;
    proto[field] = field === 'lockout' ? lockout : field === 'enabled' ? true : 10;
    try {
      expect(() => recordLoginFailure(null, { ...base, policy: policyLacking as never })).toThrow(StaffgateError);
    } finally {
      Reflect.deleteProperty(proto, field);
    }
  });
  it('an unparseable ip does not throw and counts as unfamiliar', () => {
    const known = recordLoginSuccess(null, { policy, at: t0, ip: office });
    const r = recordLoginFailure(known, { policy, at: t0 + 1, ip: 'bogus' });
    expect(r.lanes.other.failures).toEqual([t0 + 1]);
    expect(recordLoginFailure(known, { policy, at: t0 + 1, ip: 42 as never }).lanes.other.failures).toEqual([t0 + 1]);
  });
});

describe('the per-network ceiling', () => {
  it('is at most 1000, what a record can hold, so a higher one is refused at setup', () => {
    expect(() => parseAccountPolicy({ lockout: { networkMaxFailures: 1001 } })).toThrow(StaffgateError);
    expect(parseAccountPolicy({ lockout: { networkMaxFailures: 1000 } }).lockout.networkMaxFailures).toBe(1000);
  });
});
