import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT_POLICY,
  StaffgateError,
  accountPolicyJsonSchema,
  parseAccountPolicy,
  parseStaffOverride,
  safeParseAccountPolicy,
  safeParseStaffOverride,
  staffOverrideJsonSchema,
} from 'staffgate';
import { thrownStaffgateError } from '../helpers.js';


describe('parseAccountPolicy: defaults', () => {
  it('an empty object gives the permissive product default', () => {
    expect(parseAccountPolicy({})).toEqual(DEFAULT_ACCOUNT_POLICY);
  });

  it('a partial group keeps the defaults of its other fields', () => {
    const p = parseAccountPolicy({ twoFactor: { required: true } });
    expect(p.twoFactor).toEqual({ required: true, methods: ['totp', 'sms', 'email'] });
    expect(p.loginHours).toEqual({ enabled: false, timezone: 'UTC', windows: [] });
  });

  it('the result is deeply frozen', () => {
    const p = parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['203.0.113.7'] } });
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.ipLockdown.allow)).toBe(true);
    expect(() => {
      (p.ipLockdown.allow as string[]).push('0.0.0.0/0');
    }).toThrow(TypeError);
  });

  it('does not keep references to the caller’s arrays', () => {
    const allow = ['203.0.113.7'];
    const p = parseAccountPolicy({ ipLockdown: { enabled: true, allow } });
    allow.push('0.0.0.0/0');
    expect(p.ipLockdown.allow).toEqual(['203.0.113.7']);
  });

  it('normalises: duplicate methods dropped, zone canonicalised', () => {
    const p = parseAccountPolicy({
      loginMethods: ['google', 'google', 'password'],
      loginHours: { enabled: true, timezone: 'europe/london', windows: [{ days: ['mon', 'mon'], start: '08:00', end: '18:00' }] },
    });
    expect(p.loginMethods).toEqual(['google', 'password']);
    expect(p.loginHours.timezone).toBe('Europe/London');
    expect(p.loginHours.windows[0]?.days).toEqual(['mon']);
  });

  it('accepts every setting of the seed articles at once', () => {
    const p = parseAccountPolicy({
      loginMethods: ['google', 'microsoft'],
      twoFactor: { required: true, methods: ['totp', 'email'] },
      ipLockdown: { enabled: true, allow: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/48', '192.0.2.10-192.0.2.20'] },
      loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }, { days: ['sat'], start: '22:00', end: '06:00' }] },
      api: { ipAllowlist: { enabled: true, allow: ['198.51.100.25'] }, maxKeyLifetimeDays: 365 },
      mail: { excluded: ['ceo@acme.test', '@board.acme.test'] },
    });
    expect(p.api.maxKeyLifetimeDays).toBe(365);
    expect(p.mail.excluded).toEqual(['ceo@acme.test', '@board.acme.test']);
  });
});

describe('parseAccountPolicy: invalid settings name the field', () => {
  const cases: { name: string; input: unknown; code: string; path: string; message?: RegExp }[] = [
    { name: 'not an object', input: 'strict', code: 'invalid_settings', path: '(root)' },
    { name: 'null', input: null, code: 'invalid_settings', path: '(root)' },
    { name: 'unknown login method', input: { loginMethods: ['facebook'] }, code: 'invalid_settings', path: 'loginMethods[0]', message: /one of "google", "microsoft", "password"/ },
    { name: 'no login method at all', input: { loginMethods: [] }, code: 'invalid_settings', path: 'loginMethods', message: /must not be empty/ },
    { name: 'a string for a boolean', input: { twoFactor: { required: 'yes' } }, code: 'invalid_settings', path: 'twoFactor.required', message: /boolean/ },
    { name: 'unknown factor', input: { twoFactor: { methods: ['push'] } }, code: 'invalid_settings', path: 'twoFactor.methods[0]' },
    { name: 'a misspelt setting is refused, never ignored', input: { ipLockDown: { enabled: true } }, code: 'invalid_settings', path: 'ipLockDown', message: /unknown setting/ },
    { name: 'a misspelt nested setting', input: { ipLockdown: { enable: true } }, code: 'invalid_settings', path: 'ipLockdown.enable' },
    { name: 'bad IANA zone', input: { loginHours: { timezone: 'America/Bogus' } }, code: 'invalid_time_zone', path: 'loginHours.timezone' },
    { name: 'fixed offset dressed as a zone', input: { loginHours: { timezone: 'UTC+25' } }, code: 'invalid_time_zone', path: 'loginHours.timezone' },
    { name: 'the server zone: local', input: { loginHours: { timezone: 'local' } }, code: 'invalid_time_zone', path: 'loginHours.timezone' },
    { name: 'the server zone: system', input: { loginHours: { timezone: 'system' } }, code: 'invalid_time_zone', path: 'loginHours.timezone' },
    { name: '25:00', input: { loginHours: { windows: [{ days: ['mon'], start: '25:00', end: '18:00' }] } }, code: 'invalid_time_of_day', path: 'loginHours.windows[0].start' },
    { name: 'a window with no days', input: { loginHours: { windows: [{ days: [], start: '08:00', end: '18:00' }] } }, code: 'invalid_settings', path: 'loginHours.windows[0].days' },
    { name: 'a CIDR prefix over 32', input: { ipLockdown: { allow: ['10.0.0.0/33'] } }, code: 'invalid_ip_entry', path: 'ipLockdown.allow[0]' },
    { name: 'an octal address', input: { ipLockdown: { allow: ['203.0.113.7', '0177.0.0.1'] } }, code: 'invalid_ip_entry', path: 'ipLockdown.allow[1]' },
    { name: 'a bad API allowlist entry', input: { api: { ipAllowlist: { allow: ['example.com'] } } }, code: 'invalid_ip_entry', path: 'api.ipAllowlist.allow[0]' },
    { name: 'a key lifetime of zero days', input: { api: { maxKeyLifetimeDays: 0 } }, code: 'invalid_settings', path: 'api.maxKeyLifetimeDays' },
    { name: 'a fractional key lifetime', input: { api: { maxKeyLifetimeDays: 1.5 } }, code: 'invalid_settings', path: 'api.maxKeyLifetimeDays', message: /whole number/ },
    { name: 'a bad mail exclusion', input: { mail: { excluded: ['ceo@acme.test', 'not an address'] } }, code: 'invalid_mail_entry', path: 'mail.excluded[1]' },
  ];
  it.each(cases)('$name → $code at $path', ({ input, code, path, message }) => {
    const err = thrownStaffgateError(() => parseAccountPolicy(input));
    expect(err.code).toBe(code);
    expect(err.pathText).toBe(path);
    expect(err.message.startsWith(path === '(root)' ? '' : `${path}: `)).toBe(true);
    if (message) expect(err.message).toMatch(message);
  });

  it('lists every problem, not only the first', () => {
    const err = thrownStaffgateError(() => parseAccountPolicy({ ipLockdown: { allow: ['10.0.0.0/33'] }, loginHours: { timezone: 'Mars/Olympus' } }));
    expect(err.issues.map((i) => i.code).sort()).toEqual(['invalid_ip_entry', 'invalid_time_zone']);
  });

  it('the safe variant returns the same error instead of throwing', () => {
    const r = safeParseAccountPolicy({ loginHours: { timezone: 'America/Bogus' } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(StaffgateError);
      expect(r.error.code).toBe('invalid_time_zone');
      expect(r.error.path).toEqual(['loginHours', 'timezone']);
    }
    expect(safeParseAccountPolicy({})).toEqual({ ok: true, value: DEFAULT_ACCOUNT_POLICY });
  });
});

describe('parseStaffOverride', () => {
  const valid = { staffId: 'u_42', reason: 'On the road, changing networks', set: { ipLockdown: { enabled: false } } };

  it('keeps what was given and nothing else', () => {
    expect(parseStaffOverride(valid)).toEqual(valid);
  });

  it('canonicalises an override’s own zone', () => {
    const o = parseStaffOverride({ ...valid, set: { loginHours: { timezone: 'asia/tokyo' } } });
    expect(o.set.loginHours).toEqual({ timezone: 'Asia/Tokyo' });
  });

  const cases: { name: string; input: unknown; code: string; path: string }[] = [
    { name: 'empty reason', input: { ...valid, reason: '' }, code: 'invalid_override', path: 'reason' },
    { name: 'blank reason', input: { ...valid, reason: '   \n' }, code: 'invalid_override', path: 'reason' },
    { name: 'missing reason', input: { staffId: 'u_42', set: {} }, code: 'invalid_override', path: 'reason' },
    { name: 'missing staffId', input: { reason: 'x', set: {} }, code: 'invalid_override', path: 'staffId' },
    { name: 'missing set', input: { staffId: 'u_42', reason: 'x' }, code: 'invalid_override', path: 'set' },
    { name: 'review date before creation', input: { ...valid, createdAt: '2026-11-01T00:00:00Z', reviewBy: '2026-10-01T00:00:00Z' }, code: 'invalid_override', path: 'reviewBy' },
    { name: 'expiry before creation', input: { ...valid, createdAt: '2026-11-01T00:00:00Z', expiresAt: '2026-11-01T00:00:00Z' }, code: 'invalid_override', path: 'expiresAt' },
    { name: 'expiry without an offset (server-zone dependent)', input: { ...valid, expiresAt: '2026-12-01T00:00:00' }, code: 'invalid_instant', path: 'expiresAt' },
    { name: 'a date that does not exist', input: { ...valid, reviewBy: '2026-02-30T00:00:00Z' }, code: 'invalid_instant', path: 'reviewBy' },
    { name: 'a field an override cannot set', input: { ...valid, set: { mail: { excluded: [] } } }, code: 'invalid_override', path: 'set.mail' },
    { name: 'a bad zone in the override', input: { ...valid, set: { loginHours: { timezone: 'UTC+25' } } }, code: 'invalid_time_zone', path: 'set.loginHours.timezone' },
    { name: 'a bad window in the override', input: { ...valid, set: { loginHours: { windows: [{ days: ['mon'], start: '08:00', end: '24:30' }] } } }, code: 'invalid_time_of_day', path: 'set.loginHours.windows[0].end' },
    { name: 'a bad IP in the override', input: { ...valid, set: { ipLockdown: { allow: ['10.0.0.0/33'] } } }, code: 'invalid_ip_entry', path: 'set.ipLockdown.allow[0]' },
  ];
  it.each(cases)('$name → $code at $path', ({ input, code, path }) => {
    const r = safeParseStaffOverride(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.pathText).toBe(path);
    }
    expect(() => parseStaffOverride(input)).toThrow(StaffgateError);
  });
});

describe('validation does not depend on the server’s time zone', () => {
  it('compares instants with offsets the same way under any TZ', () => {
    const before = process.env.TZ;
    try {
      for (const tz of ['UTC', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Kathmandu']) {
        process.env.TZ = tz;
        const same = { staffId: 'a', reason: 'r', createdAt: '2026-03-29T01:30:00+01:00', reviewBy: '2026-03-29T00:30:00Z', set: {} };
        const earlier = { ...same, reviewBy: '2026-03-29T00:29:00Z' };
        expect(safeParseStaffOverride(same).ok, tz).toBe(true);
        expect(safeParseStaffOverride(earlier).ok, tz).toBe(false);
        expect(parseAccountPolicy({ loginHours: { timezone: 'Europe/London' } }).loginHours.timezone, tz).toBe('Europe/London');
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});

describe('JSON Schema export', () => {
  it('describes every setting with its default, for admin screens', () => {
    const schema = accountPolicyJsonSchema() as { properties: Record<string, { default?: unknown }>; additionalProperties?: unknown };
    expect(Object.keys(schema.properties).sort()).toEqual(['api', 'ipLockdown', 'layers', 'lockout', 'loginHours', 'loginMethods', 'mail', 'twoFactor']);
    expect(schema.properties.loginMethods?.default).toEqual(['google', 'microsoft', 'password']);
    expect(schema.properties.lockout?.default).toEqual({
      enabled: true,
      maxFailures: 10,
      windowMinutes: 15,
      lockoutMinutes: 15,
      networkMaxFailures: 100,
    });
    expect(schema.additionalProperties).toBe(false);
  });

  it('requires staffId, reason and set on an override', () => {
    const schema = staffOverrideJsonSchema() as { required: string[] };
    expect(schema.required.sort()).toEqual(['reason', 'set', 'staffId']);
  });
});
