import { describe, expect, it } from 'vitest';
import { StaffgateError, parseAccountPolicy, parseStaffOverride, resolvePolicy } from 'staffgate';

const office = parseAccountPolicy({
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
});
const at = '2026-11-23T09:00:00Z';

const roadUser = parseStaffOverride({
  staffId: 'u_road',
  reason: 'Sales rep on the road, changing networks daily',
  expiresAt: '2027-03-31T00:00:00Z',
  reviewBy: '2026-12-31T00:00:00Z',
  set: { ipLockdown: { enabled: false } },
});

describe('resolvePolicy', () => {
  it('without overrides, the effective policy is the account’s and every source is the account', () => {
    const p = resolvePolicy(office, [], { at });
    expect(p.ipLockdown).toEqual(office.ipLockdown);
    expect(p.loginHours).toEqual(office.loginHours);
    expect(Object.values(p.sources).every((s) => s.layer === 'account')).toBe(true);
    expect(p.applied).toEqual([]);
    expect(p.ignored).toEqual([]);
  });

  it('an override replaces only the fields it names and records itself as their source', () => {
    const p = resolvePolicy(office, [roadUser], { at });
    expect(p.ipLockdown.enabled).toBe(false);
    expect(p.ipLockdown.allow).toEqual(['203.0.113.0/24']);
    expect(p.twoFactor.required).toBe(true);
    expect(p.sources['ipLockdown.enabled']).toEqual({ layer: 'override', staffId: 'u_road', overrideIndex: 0 });
    expect(p.sources['ipLockdown.allow']).toEqual({ layer: 'account' });
    expect(p.staffId).toBe('u_road');
  });

  it('arrays replace whole, they are not merged', () => {
    const o = parseStaffOverride({ staffId: 'u', reason: 'home office', set: { ipLockdown: { allow: ['198.51.100.7'] } } });
    expect(resolvePolicy(office, [o], { at }).ipLockdown.allow).toEqual(['198.51.100.7']);
  });

  it('later overrides win', () => {
    const a = parseStaffOverride({ staffId: 'u', reason: 'a', set: { twoFactor: { methods: ['sms'] } } });
    const b = parseStaffOverride({ staffId: 'u', reason: 'b', set: { twoFactor: { methods: ['totp'] } } });
    const p = resolvePolicy(office, [a, b], { at });
    expect(p.twoFactor.methods).toEqual(['totp']);
    expect(p.sources['twoFactor.methods']).toMatchObject({ overrideIndex: 1 });
  });

  it('a staff member in another zone keeps the office windows, read in their zone', () => {
    const tokyo = parseStaffOverride({ staffId: 'u_tokyo', reason: 'Works from the Tokyo office', set: { loginHours: { timezone: 'Asia/Tokyo' } } });
    const p = resolvePolicy(office, [tokyo], { at });
    expect(p.loginHours).toEqual({ enabled: true, timezone: 'Asia/Tokyo', windows: office.loginHours.windows });
    expect(p.applied[0]?.changes).toEqual([{ field: 'loginHours.timezone', from: 'Europe/London', to: 'Asia/Tokyo', effect: 'weakening' }]);
  });

  describe('expiry', () => {
    const expiring = parseStaffOverride({ staffId: 'u', reason: 'conference week', expiresAt: '2026-11-23T09:00:00Z', set: { ipLockdown: { enabled: false } } });
    it('an override expiring exactly at `at` has no effect and is reported', () => {
      const p = resolvePolicy(office, [expiring], { at: '2026-11-23T09:00:00Z' });
      expect(p.ipLockdown.enabled).toBe(true);
      expect(p.applied).toEqual([]);
      expect(p.ignored).toEqual([{ kind: 'override', index: 0, staffId: 'u', reason: 'expired', expiresAt: '2026-11-23T09:00:00Z', message: 'expired at 2026-11-23T09:00:00Z' }]);
    });
    it('one millisecond earlier it still applies', () => {
      const p = resolvePolicy(office, [expiring], { at: Date.parse('2026-11-23T09:00:00Z') - 1 });
      expect(p.ipLockdown.enabled).toBe(false);
    });
    it('accepts `at` as a Date, an ISO string or epoch ms alike', () => {
      const ms = Date.parse(at);
      const results = [new Date(ms), at, ms].map((t) => resolvePolicy(office, [roadUser], { at: t }));
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
    });
  });

  describe('classifies every change', () => {
    const table: { name: string; set: object; field: string; effect: string }[] = [
      { name: 'turning IP lockdown off', set: { ipLockdown: { enabled: false } }, field: 'ipLockdown.enabled', effect: 'weakening' },
      { name: 'dropping 2FA', set: { twoFactor: { required: false } }, field: 'twoFactor.required', effect: 'weakening' },
      { name: 'adding SMS as a factor', set: { twoFactor: { methods: ['totp', 'email', 'sms'] } }, field: 'twoFactor.methods', effect: 'weakening' },
      { name: 'allowing TOTP only', set: { twoFactor: { methods: ['totp'] } }, field: 'twoFactor.methods', effect: 'strengthening' },
      { name: 'SSO only', set: { loginMethods: ['google'] }, field: 'loginMethods', effect: 'strengthening' },
      { name: 'a wider allowlist', set: { ipLockdown: { allow: ['203.0.0.0/16'] } }, field: 'ipLockdown.allow', effect: 'weakening' },
      { name: 'another network', set: { ipLockdown: { allow: ['198.51.100.0/24'] } }, field: 'ipLockdown.allow', effect: 'weakening' },
      { name: 'a narrower allowlist', set: { ipLockdown: { allow: ['203.0.113.0/25', '203.0.113.200'] } }, field: 'ipLockdown.allow', effect: 'strengthening' },
      { name: 'the same network spelt as a range', set: { ipLockdown: { allow: ['203.0.113.0-203.0.113.255'] } }, field: 'ipLockdown.allow', effect: 'neutral' },
      { name: 'longer hours', set: { loginHours: { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '07:00', end: '18:00' }] } }, field: 'loginHours.windows', effect: 'weakening' },
      { name: 'shorter hours', set: { loginHours: { windows: [{ days: ['mon', 'tue', 'wed', 'thu'], start: '09:00', end: '17:00' }] } }, field: 'loginHours.windows', effect: 'strengthening' },
      { name: 'the same hours split in two', set: { loginHours: { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '12:00' }, { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '12:00', end: '18:00' }] } }, field: 'loginHours.windows', effect: 'neutral' },
      { name: 'a night shift', set: { loginHours: { windows: [{ days: ['fri'], start: '22:00', end: '06:00' }] } }, field: 'loginHours.windows', effect: 'weakening' },
      { name: 'login hours off', set: { loginHours: { enabled: false } }, field: 'loginHours.enabled', effect: 'weakening' },
      { name: 'the same value again', set: { twoFactor: { required: true } }, field: 'twoFactor.required', effect: 'neutral' },
    ];
    it.each(table)('$name is $effect', ({ set, field, effect }) => {
      const o = parseStaffOverride({ staffId: 'u', reason: 'test', set });
      const p = resolvePolicy(office, [o], { at });
      expect(p.applied[0]?.changes.find((c) => c.field === field)?.effect).toBe(effect);
      expect(p.applied[0]?.effect).toBe(effect);
    });

    it('an override that weakens one field and strengthens another counts as weakening', () => {
      const o = parseStaffOverride({ staffId: 'u', reason: 'x', set: { loginMethods: ['google'], ipLockdown: { enabled: false } } });
      expect(resolvePolicy(office, [o], { at }).applied[0]?.effect).toBe('weakening');
    });
  });

  it('flags an override past its review date', () => {
    expect(resolvePolicy(office, [roadUser], { at: '2027-01-02T00:00:00Z' }).applied[0]?.reviewOverdue).toBe(true);
    expect(resolvePolicy(office, [roadUser], { at }).applied[0]?.reviewOverdue).toBe(false);
  });

  describe('whose overrides', () => {
    const other = parseStaffOverride({ staffId: 'u_other', reason: 'x', set: { twoFactor: { required: false } } });
    it('refuses overrides of several people unless one is picked', () => {
      expect(() => resolvePolicy(office, [roadUser, other], { at })).toThrow(StaffgateError);
      try {
        resolvePolicy(office, [roadUser, other], { at });
      } catch (err) {
        expect((err as StaffgateError).code).toBe('invalid_option');
        expect((err as StaffgateError).path).toEqual(['overrides', 1, 'staffId']);
      }
    });
    it('with { staffId } applies only that person’s', () => {
      const p = resolvePolicy(office, [roadUser, other], { at, staffId: 'u_other' });
      expect(p.twoFactor.required).toBe(false);
      expect(p.ipLockdown.enabled).toBe(true);
      expect(p.applied.map((a) => a.index)).toEqual([1]);
    });
  });

  describe('bad input', () => {
    it('an invalid instant throws invalid_instant', () => {
      for (const bad of ['2026-11-23T09:00:00', 'yesterday', Number.NaN, new Date('x')]) {
        expect(() => resolvePolicy(office, [], { at: bad })).toThrow(expect.objectContaining({ code: 'invalid_instant' }) as Error);
      }
    });
    it('raw JSON is validated on the way in', () => {
      const raw = { staffId: 'u', reason: '', set: {} };
      expect(() => resolvePolicy(office, [raw as never], { at })).toThrow(expect.objectContaining({ code: 'invalid_override', path: ['overrides', 0, 'reason'] }) as Error);
      expect(() => resolvePolicy({ ipLockdown: { enabled: 'yes' } } as never, [], { at })).toThrow(StaffgateError);
      expect(resolvePolicy({} as never, [], { at }).loginMethods).toEqual(['google', 'microsoft', 'password']);
    });
  });

  it('the effective policy is frozen', () => {
    const p = resolvePolicy(office, [roadUser], { at });
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.applied[0]?.changes)).toBe(true);
  });
});
