import { describe, expect, it } from 'vitest';
import { diffPolicies, parseAccountPolicy, POLICY_PATHS, StaffgateError, type AccountPolicyInput } from 'staffgate';

const office: AccountPolicyInput = {
  loginMethods: ['google', 'password'],
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
  api: { ipAllowlist: { enabled: true, allow: ['198.51.100.25'] }, maxKeyLifetimeDays: 365 },
  mail: { excluded: ['ceo@acme.test', '@board.acme.test'] },
};
const before = parseAccountPolicy(office);
const edit = (patch: AccountPolicyInput) => parseAccountPolicy({ ...office, ...patch });

describe('diffPolicies', () => {
  it('the same policy has no changes', () => {
    expect(diffPolicies(before, before)).toEqual([]);
    expect(diffPolicies(before, parseAccountPolicy(office))).toEqual([]);
  });

  const table: { name: string; patch: AccountPolicyInput; path: string; from: unknown; to: unknown; effect: string; message: string }[] = [
    { name: 'IP lockdown off', patch: { ipLockdown: { enabled: false, allow: ['203.0.113.0/24'] } }, path: 'ipLockdown.enabled', from: true, to: false, effect: 'weakening', message: 'IP lockdown: on → off' },
    { name: 'IP lockdown report-only', patch: { ipLockdown: { enabled: true, allow: ['203.0.113.0/24'], mode: 'report' } }, path: 'ipLockdown.mode', from: 'enforce', to: 'report', effect: 'weakening', message: 'IP lockdown mode: enforce → report' },
    { name: 'a second office network', patch: { ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '192.0.2.0/24'] } }, path: 'ipLockdown.allow', from: ['203.0.113.0/24'], to: ['203.0.113.0/24', '192.0.2.0/24'], effect: 'weakening', message: 'IP allowlist: added 192.0.2.0/24' },
    { name: 'half the office network', patch: { ipLockdown: { enabled: true, allow: ['203.0.113.0/25'] } }, path: 'ipLockdown.allow', from: ['203.0.113.0/24'], to: ['203.0.113.0/25'], effect: 'strengthening', message: 'IP allowlist: added 203.0.113.0/25; removed 203.0.113.0/24' },
    { name: 'the same network as a range', patch: { ipLockdown: { enabled: true, allow: ['203.0.113.0-203.0.113.255'] } }, path: 'ipLockdown.allow', from: ['203.0.113.0/24'], to: ['203.0.113.0-203.0.113.255'], effect: 'neutral', message: 'IP allowlist: added 203.0.113.0-203.0.113.255; removed 203.0.113.0/24' },
    { name: 'SMS allowed too', patch: { twoFactor: { required: true, methods: ['totp', 'email', 'sms'] } }, path: 'twoFactor.methods', from: ['totp', 'email'], to: ['totp', 'email', 'sms'], effect: 'weakening', message: 'Second factors allowed: added sms' },
    { name: '2FA not required', patch: { twoFactor: { required: false, methods: ['totp', 'email'] } }, path: 'twoFactor.required', from: true, to: false, effect: 'weakening', message: '2FA required: on → off' },
    { name: 'SSO only', patch: { loginMethods: ['google'] }, path: 'loginMethods', from: ['google', 'password'], to: ['google'], effect: 'strengthening', message: 'Login methods: removed password' },
    { name: 'the methods reordered', patch: { loginMethods: ['password', 'google'] }, path: 'loginMethods', from: ['google', 'password'], to: ['password', 'google'], effect: 'neutral', message: 'Login methods: reordered' },
    { name: 'the hours in another zone', patch: { loginHours: { ...office.loginHours, timezone: 'Asia/Tokyo' } }, path: 'loginHours.timezone', from: 'Europe/London', to: 'Asia/Tokyo', effect: 'weakening', message: 'Login hours time zone: Europe/London → Asia/Tokyo' },
    {
      name: 'shorter hours',
      patch: { loginHours: { ...office.loginHours, windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }] } },
      path: 'loginHours.windows',
      from: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
      to: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
      effect: 'strengthening',
      message: 'Login hours windows: mon,tue,wed,thu,fri 08:00–18:00 → mon,tue,wed,thu,fri 09:00–17:00',
    },
    { name: 'API allowlist off', patch: { api: { ipAllowlist: { enabled: false, allow: ['198.51.100.25'] }, maxKeyLifetimeDays: 365 } }, path: 'api.ipAllowlist.enabled', from: true, to: false, effect: 'weakening', message: 'API IP allowlist: on → off' },
    { name: 'another API server', patch: { api: { ipAllowlist: { enabled: true, allow: ['198.51.100.26'] }, maxKeyLifetimeDays: 365 } }, path: 'api.ipAllowlist.allow', from: ['198.51.100.25'], to: ['198.51.100.26'], effect: 'weakening', message: 'API IP allowlist entries: added 198.51.100.26; removed 198.51.100.25' },
    { name: 'API keys without a limit', patch: { api: { ipAllowlist: { enabled: true, allow: ['198.51.100.25'] } } }, path: 'api.maxKeyLifetimeDays', from: 365, to: null, effect: 'weakening', message: 'Longest API key lifetime (days): 365 → not set' },
    { name: 'API keys for 90 days', patch: { api: { ipAllowlist: { enabled: true, allow: ['198.51.100.25'] }, maxKeyLifetimeDays: 90 } }, path: 'api.maxKeyLifetimeDays', from: 365, to: 90, effect: 'strengthening', message: 'Longest API key lifetime (days): 365 → 90' },
    { name: 'an exclusion dropped', patch: { mail: { excluded: ['ceo@acme.test'] } }, path: 'mail.excluded', from: ['ceo@acme.test', '@board.acme.test'], to: ['ceo@acme.test'], effect: 'weakening', message: 'Mail exclusions: removed @board.acme.test' },
    { name: 'an exclusion added', patch: { mail: { excluded: ['ceo@acme.test', '@board.acme.test', 'cfo@acme.test'] } }, path: 'mail.excluded', from: ['ceo@acme.test', '@board.acme.test'], to: ['ceo@acme.test', '@board.acme.test', 'cfo@acme.test'], effect: 'strengthening', message: 'Mail exclusions: added cfo@acme.test' },
    { name: 'an exclusion re-cased', patch: { mail: { excluded: ['CEO@acme.test', '@board.acme.test'] } }, path: 'mail.excluded', from: ['ceo@acme.test', '@board.acme.test'], to: ['CEO@acme.test', '@board.acme.test'], effect: 'neutral', message: 'Mail exclusions: ceo@acme.test written as CEO@acme.test (the same mail)' },
  ];
  it.each(table)('$name: $path is $effect', ({ patch, path, from, to, effect, message }) => {
    expect(diffPolicies(before, edit(patch))).toEqual([{ path, from, to, effect, message }]);
  });

  // Mail exclusions are compared by the mail they keep out of the CRM, not by their text.
  const mailTable: { name: string; from: string[]; to: string[]; effect: string; message: string }[] = [
    { name: 'an address replaced by its whole domain', from: ['ceo@acme.test'], to: ['@acme.test'], effect: 'strengthening', message: 'added @acme.test; removed ceo@acme.test' },
    { name: 'a whole domain replaced by one address at it', from: ['@acme.test'], to: ['ceo@acme.test'], effect: 'weakening', message: 'added ceo@acme.test; removed @acme.test' },
    { name: 'a domain replaced by its subdomains, which leaves the domain out', from: ['@acme.test'], to: ['@*.acme.test'], effect: 'weakening', message: 'added @*.acme.test; removed @acme.test' },
    { name: 'a subdomain folded into its parent wildcard', from: ['@board.acme.test'], to: ['@*.acme.test'], effect: 'strengthening', message: 'added @*.acme.test; removed @board.acme.test' },
    { name: 'an address folded into a wildcard over its domain', from: ['ceo@eu.acme.test'], to: ['@*.acme.test'], effect: 'strengthening', message: 'added @*.acme.test; removed ceo@eu.acme.test' },
    { name: 'a wildcard narrowed to a deeper one', from: ['@*.acme.test'], to: ['@*.board.acme.test'], effect: 'weakening', message: 'added @*.board.acme.test; removed @*.acme.test' },
    { name: 'a wildcard widened to a shallower one', from: ['@*.board.acme.test'], to: ['@*.acme.test'], effect: 'strengthening', message: 'added @*.acme.test; removed @*.board.acme.test' },
    { name: 'an entry now covered, kept too', from: ['ceo@acme.test'], to: ['ceo@acme.test', '@acme.test'], effect: 'strengthening', message: 'added @acme.test' },
    { name: 'an entry dropped that the rest still covers', from: ['ceo@acme.test', '@acme.test'], to: ['@acme.test'], effect: 'neutral', message: 'removed ceo@acme.test' },
    { name: 'one exclusion swapped for an unrelated one', from: ['ceo@acme.test'], to: ['cfo@acme.test'], effect: 'weakening', message: 'added cfo@acme.test; removed ceo@acme.test' },
    { name: 'an address pasted with its display name', from: ['ceo@acme.test'], to: ['Jane Roe <ceo@acme.test>'], effect: 'neutral', message: 'ceo@acme.test written as Jane Roe <ceo@acme.test> (the same mail)' },
    { name: 'a sub-address of the same mailbox', from: ['ceo@acme.test'], to: ['ceo+board@acme.test'], effect: 'neutral', message: 'ceo@acme.test written as ceo+board@acme.test (the same mail)' },
    { name: 'a domain in upper case and as *@', from: ['@board.acme.test'], to: ['*@BOARD.acme.test'], effect: 'neutral', message: '@board.acme.test written as *@BOARD.acme.test (the same mail)' },
    { name: 'one re-cased beside a real change', from: ['CEO@acme.test', 'a@x.test'], to: ['ceo@acme.test', 'b@x.test'], effect: 'weakening', message: 'added b@x.test; removed a@x.test; CEO@acme.test written as ceo@acme.test (the same mail)' },
    { name: 'the same entries reordered', from: ['ceo@acme.test', '@board.acme.test'], to: ['@board.acme.test', 'ceo@acme.test'], effect: 'neutral', message: 'reordered' },
    { name: 'a duplicate added', from: ['ceo@acme.test'], to: ['ceo@acme.test', 'CEO@acme.test'], effect: 'neutral', message: 'same entries, written differently' },
    { name: 'a duplicate removed', from: ['ceo@acme.test', 'CEO@acme.test'], to: ['ceo@acme.test'], effect: 'neutral', message: 'same entries, written differently' },
  ];
  it.each(mailTable)('mail exclusions, $name: $effect', ({ from, to, effect, message }) => {
    const changes = diffPolicies(edit({ mail: { excluded: from } }), edit({ mail: { excluded: to } }));
    expect(changes).toEqual([{ path: 'mail.excluded', from, to, effect, message: `Mail exclusions: ${message}` }]);
  });

  it('a detail of a rule that is off counts as neutral: the switch carries the effect', () => {
    const open = parseAccountPolicy({ ipLockdown: { enabled: false, allow: [] } });
    const locked = parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] } });
    expect(diffPolicies(open, locked).map((c) => `${c.path}:${c.effect}`)).toEqual(['ipLockdown.enabled:strengthening', 'ipLockdown.allow:neutral']);
    expect(diffPolicies(locked, open).map((c) => `${c.path}:${c.effect}`)).toEqual(['ipLockdown.enabled:weakening', 'ipLockdown.allow:neutral']);
    const editedWhileOff = parseAccountPolicy({ ipLockdown: { enabled: false, allow: ['0.0.0.0/0'] } });
    expect(diffPolicies(open, editedWhileOff)).toMatchObject([{ path: 'ipLockdown.allow', effect: 'neutral' }]);
    const reportOnly = parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'], mode: 'report' } });
    expect(diffPolicies(reportOnly, parseAccountPolicy({ ipLockdown: { enabled: true, allow: ['0.0.0.0/0'], mode: 'report' } }))).toMatchObject([{ path: 'ipLockdown.allow', effect: 'neutral' }]);
  });

  it('lists several changes in the stable order of POLICY_PATHS', () => {
    const after = edit({ mail: { excluded: [] }, loginMethods: ['google'], ipLockdown: { enabled: false, allow: [] } });
    const paths = diffPolicies(before, after).map((c) => c.path);
    expect(paths).toEqual(['loginMethods', 'ipLockdown.enabled', 'ipLockdown.allow', 'mail.excluded']);
    const order = (p: string): number => (POLICY_PATHS as readonly string[]).indexOf(p);
    expect([...paths].sort((a, b) => order(a) - order(b))).toEqual(paths);
  });

  it('takes raw JSON too, with the product defaults filled in', () => {
    expect(diffPolicies({} as never, { ipLockdown: { enabled: true, allow: ['203.0.113.7'] } } as never).map((c) => `${c.path}:${c.effect}`)).toEqual([
      'ipLockdown.enabled:strengthening',
      'ipLockdown.allow:neutral',
    ]);
  });

  it('invalid settings throw, with the side named in the path', () => {
    try {
      diffPolicies(before, { loginHours: { timezone: 'Mars/Olympus' } } as never);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StaffgateError);
      expect((err as StaffgateError).code).toBe('invalid_time_zone');
      expect((err as StaffgateError).path).toEqual(['after', 'loginHours', 'timezone']);
    }
    expect(() => diffPolicies({ ipLockDown: {} } as never, before)).toThrow(expect.objectContaining({ path: ['before', 'ipLockDown'] }) as Error);
  });
});
