import { describe, expect, it } from 'vitest';
import { evaluateLogin, parseAccountPolicy, parseStaffOverride, resolvePolicy, safeParseAccountPolicy, safeParseStaffOverride, type AccountPolicyInput } from 'staffgate';

const at = '2026-11-23T09:00:00Z'; // a Monday, 09:00 in London
const office = ['203.0.113.0/24'];
const input: AccountPolicyInput = {
  twoFactor: { required: true, methods: ['totp', 'sms', 'email'] },
  ipLockdown: { enabled: true, allow: office },
  loginHours: { enabled: false, timezone: 'Europe/London', windows: [] },
  layers: [
    { id: 'sales-travel', reason: 'The sales team signs in from customer sites', appliesTo: { teams: ['sales'] }, set: { ipLockdown: { enabled: false } }, reviewBy: '2027-03-31T00:00:00Z' },
    { id: 'admins-totp', reason: 'Admins sign in with an authenticator app only', appliesTo: { roles: ['admin'] }, set: { twoFactor: { methods: ['totp'] } } },
    {
      id: 'contractor-hours',
      reason: 'Contractors work office hours',
      appliesTo: { teams: ['contractors'] },
      set: { loginHours: { enabled: true, windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] } },
      expiresAt: '2027-01-01T00:00:00Z',
    },
  ],
};
const account = parseAccountPolicy(input);

describe('policy layers', () => {
  it('without a member no layer applies: the result is the account’s', () => {
    const p = resolvePolicy(account, [], { at });
    expect(p.ipLockdown.enabled).toBe(true);
    expect(p.twoFactor.methods).toEqual(['totp', 'sms', 'email']);
    expect(p.applied).toEqual([]);
    expect(p.sources['ipLockdown.enabled']).toEqual({ layer: 'account' });
  });

  it('a layer applies to anyone holding one of its roles or in one of its teams', () => {
    const sales = resolvePolicy(account, [], { at, member: { teams: ['north', 'sales'] } });
    expect(sales.ipLockdown.enabled).toBe(false);
    expect(sales.sources['ipLockdown.enabled']).toEqual({ layer: 'layer', layerId: 'sales-travel', layerIndex: 0 });
    expect(sales.applied).toEqual([
      {
        kind: 'layer',
        index: 0,
        id: 'sales-travel',
        reason: 'The sales team signs in from customer sites',
        effect: 'weakening',
        changes: [{ field: 'ipLockdown.enabled', from: true, to: false, effect: 'weakening' }],
        matched: { roles: [], teams: ['sales'] },
        reviewBy: '2027-03-31T00:00:00Z',
        reviewOverdue: false,
      },
    ]);
    const admin = resolvePolicy(account, [], { at, member: { roles: ['admin'] } });
    expect(admin.twoFactor.methods).toEqual(['totp']);
    expect(admin.applied.map((a) => [a.kind, a.effect])).toEqual([['layer', 'strengthening']]);
  });

  it('a person in several layers gets them in list order, then their own overrides', () => {
    const override = parseStaffOverride({ staffId: 'u_7', reason: 'Visits the Tokyo office', set: { ipLockdown: { enabled: true, allow: ['198.51.100.0/24'] } } });
    const p = resolvePolicy(account, [override], { at, member: { roles: ['admin'], teams: ['sales', 'contractors'] } });
    expect(p.applied.map((a) => (a.kind === 'layer' ? a.id : `override of ${a.staffId}`))).toEqual(['sales-travel', 'admins-totp', 'contractor-hours', 'override of u_7']);
    // The override comes last, so it wins the field the sales layer set.
    expect(p.ipLockdown).toEqual({ enabled: true, allow: ['198.51.100.0/24'] });
    expect(p.sources['ipLockdown.enabled'].layer).toBe('override');
    const o = p.applied[3];
    expect(o?.kind === 'override' && o.changes.find((c) => c.field === 'ipLockdown.enabled')).toEqual({ field: 'ipLockdown.enabled', from: false, to: true, effect: 'strengthening' });
    expect(p.sources['loginHours.enabled']).toEqual({ layer: 'layer', layerId: 'contractor-hours', layerIndex: 2 });
  });

  it('when two layers set the same field, the later one in the list wins', () => {
    const a = parseAccountPolicy({
      layers: [
        { id: 'first', reason: 'r', appliesTo: { roles: ['admin'] }, set: { loginMethods: ['google'] } },
        { id: 'second', reason: 'r', appliesTo: { teams: ['ops'] }, set: { loginMethods: ['microsoft'] } },
      ],
    });
    const p = resolvePolicy(a, [], { at, member: { roles: ['admin'], teams: ['ops'] } });
    expect(p.loginMethods).toEqual(['microsoft']);
    expect(p.applied[1]?.changes).toEqual([{ field: 'loginMethods', from: ['google'], to: ['microsoft'], effect: 'weakening' }]);
  });

  it('an expired layer has no effect and is listed as ignored for the people in it', () => {
    const later = '2027-02-01T00:00:00Z';
    const p = resolvePolicy(account, [], { at: later, member: { teams: ['contractors'] } });
    expect(p.loginHours.enabled).toBe(false);
    expect(p.ignored).toEqual([{ kind: 'layer', index: 2, id: 'contractor-hours', reason: 'expired', expiresAt: '2027-01-01T00:00:00Z', message: 'expired at 2027-01-01T00:00:00Z' }]);
    expect(resolvePolicy(account, [], { at: later, member: { teams: ['sales'] } }).ignored).toEqual([]);
  });

  it('a layer past its review date is marked overdue', () => {
    const p = resolvePolicy(account, [], { at: '2027-04-01T00:00:00Z', member: { teams: ['sales'] } });
    expect(p.applied[0]).toMatchObject({ id: 'sales-travel', reviewOverdue: true });
  });

  it('the login decision names the layer that decided', () => {
    const p = resolvePolicy(account, [], { at, member: { teams: ['contractors'] } });
    const d = evaluateLogin(p, { method: 'google', ip: '203.0.113.7', at: '2026-11-23T19:30:00Z', verified: ['totp'] });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]).toMatchObject({ code: 'outside_login_hours', source: 'layer:contractor-hours' });
    expect(d.reasons[0]?.detail).toContain('layer contractor-hours: "Contractors work office hours"');
  });

  it('a layer can make a rule report-only for its people, as an override can', () => {
    const a = parseAccountPolicy({ ...input, layers: [{ id: 'trial', reason: 'Support tries the lockdown before it is enforced', appliesTo: { teams: ['support'] }, set: { ipLockdown: { mode: 'report' } } }] });
    const cafe = { method: 'google' as const, ip: '198.51.100.7', at, verified: ['totp' as const] };
    const support = evaluateLogin(resolvePolicy(a, [], { at, member: { teams: ['support'] } }), cafe);
    expect(support.outcome).toBe('allow');
    expect(support.reported?.map((r) => [r.code, r.source])).toEqual([['ip_not_allowed', 'layer:trial']]);
    expect(evaluateLogin(resolvePolicy(a, [], { at, member: { teams: ['sales'] } }), cafe).outcome).toBe('deny');
  });

  it('a parsed account without layers has no layers field; an empty list is the same account', () => {
    expect('layers' in parseAccountPolicy({})).toBe(false);
    expect(parseAccountPolicy({ layers: [] })).toEqual(parseAccountPolicy({}));
  });

  it('the parsed layers are frozen and normalised', () => {
    const a = parseAccountPolicy({ layers: [{ id: 'x', reason: 'r', appliesTo: { roles: ['admin', 'admin'] }, set: { twoFactor: { methods: ['totp', 'totp'] } } }] });
    expect(a.layers?.[0]?.appliesTo).toEqual({ roles: ['admin'] });
    expect(a.layers?.[0]?.set).toEqual({ twoFactor: { methods: ['totp'] } });
    expect(Object.isFrozen(a.layers?.[0]?.appliesTo.roles)).toBe(true);
  });
});

describe('layer settings that are wrong throw, naming the field', () => {
  const layer = { id: 'l', reason: 'why', appliesTo: { roles: ['admin'] }, set: {} };
  it.each([
    ['a layer that targets nothing', { ...layer, appliesTo: {} }, 'invalid_settings', 'layers[0].appliesTo'],
    ['empty target lists', { ...layer, appliesTo: { roles: [], teams: [] } }, 'invalid_settings', 'layers[0].appliesTo'],
    ['an unknown field', { ...layer, priority: 1 }, 'invalid_settings', 'layers[0].priority'],
    ['an unknown field in the target', { ...layer, appliesTo: { roles: ['admin'], groups: ['x'] } }, 'invalid_settings', 'layers[0].appliesTo.groups'],
    ['a field a layer cannot set', { ...layer, set: { mail: { excluded: [] } } }, 'invalid_settings', 'layers[0].set.mail'],
    ['a blank reason', { ...layer, reason: ' \u200b ' }, 'invalid_settings', 'layers[0].reason'],
    ['a blank id', { ...layer, id: '   ' }, 'invalid_settings', 'layers[0].id'],
    ['a role id with a control character', { ...layer, appliesTo: { roles: ['ad\u0000min'] } }, 'invalid_settings', 'layers[0].appliesTo.roles[0]'],
    ['an expiry without an offset', { ...layer, expiresAt: '2027-01-01T00:00:00' }, 'invalid_instant', 'layers[0].expiresAt'],
    ['a bad zone in the set', { ...layer, set: { loginHours: { timezone: 'Mars/Olympus' } } }, 'invalid_time_zone', 'layers[0].set.loginHours.timezone'],
    ['a bad IP entry in the set', { ...layer, set: { ipLockdown: { allow: ['10.0.0.0/33'] } } }, 'invalid_ip_entry', 'layers[0].set.ipLockdown.allow[0]'],
  ])('%s', (_name, bad, code, path) => {
    const r = safeParseAccountPolicy({ layers: [bad] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.code, r.error.pathText]).toEqual([code, path]);
  });

  it('duplicate ids name the second one', () => {
    const r = safeParseAccountPolicy({ layers: [layer, { ...layer, appliesTo: { teams: ['ops'] } }] });
    expect(r.ok ? undefined : r.error.pathText).toBe('layers[1].id');
    expect(r.ok ? '' : r.error.message).toContain('"l" is also the id of layer 0: layer ids must be unique');
  });

  it('a staff id may not look like the source of a layer', () => {
    const r = safeParseStaffOverride({ staffId: 'layer:sales-travel', reason: 'Pretends to be a layer in the audit log', set: {} });
    expect(r.ok ? undefined : [r.error.code, r.error.pathText]).toEqual(['invalid_override', 'staffId']);
  });

  it('layers that are not a list are refused', () => {
    const r = safeParseAccountPolicy({ layers: { admins: layer } });
    expect(r.ok ? undefined : r.error.pathText).toBe('layers');
  });
});

describe('a member that is not roles and teams throws, naming the field', () => {
  it.each([
    ['not an object', 'admin', 'member'],
    ['roles not a list', { roles: 'admin' }, 'member.roles'],
    ['a team id that is not a string', { teams: ['sales', 7] }, 'member.teams[1]'],
    ['null', null, 'member'],
  ])('%s', (_name, member, path) => {
    expect(() => resolvePolicy(account, [], { at, member: member as never })).toThrow(expect.objectContaining({ code: 'invalid_option', pathText: path }));
  });

  it.each([
    ['expiresAt', '2000-01-01T00:00:00Z'],
    ['roles', ['contractor']],
    ['teams', ['contractors']],
    ['layers', [{ id: 'evil', reason: 'injected', appliesTo: { roles: ['admin'] }, set: { twoFactor: { required: false } } }]],
  ])('an Object.prototype polluted with %s neither expires, retargets nor adds a layer', (key, value) => {
    const strict = parseAccountPolicy({ layers: [{ id: 'admins-2fa', reason: 'Admins always use 2FA', appliesTo: { roles: ['admin'] }, set: { twoFactor: { required: true } } }] });
    const plain = parseAccountPolicy({});
    const proto = Object.prototype as Record<string, unknown>;
    proto[key] = value;
    try {
      expect(resolvePolicy(strict, [], { at, member: { roles: ['admin'] } }).twoFactor.required).toBe(true);
      expect(resolvePolicy(strict, [], { at, member: { roles: ['contractor'], teams: ['contractors'] } }).applied).toEqual([]);
      expect(resolvePolicy(plain, [], { at, member: { roles: ['admin'] } }).applied).toEqual([]);
    } finally {
      Reflect.deleteProperty(proto, key);
    }
  });

  it('an Object.prototype polluted with roles does not put anyone in a layer', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.roles = ['admin'];
    try {
      expect(resolvePolicy(account, [], { at, member: {} }).applied).toEqual([]);
    } finally {
      Reflect.deleteProperty(proto, 'roles');
    }
  });
});
