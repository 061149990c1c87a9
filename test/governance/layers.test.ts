import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkChangeSafety, diffPolicies, lintPolicy, parseAccountPolicy, parseStaffOverride, reviewLayers, simulateLogin, type AccountPolicyInput } from 'staffgate';
import { accountPolicyInputArb } from 'staffgate/testing';

const at = '2026-11-23T09:00:00Z';
const office: AccountPolicyInput = {
  loginMethods: ['google', 'microsoft'],
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
  lockout: { enabled: true },
};
const travel = { id: 'sales-travel', reason: 'The sales team signs in from customer sites', appliesTo: { teams: ['sales'] }, set: { ipLockdown: { enabled: false } }, reviewBy: '2027-03-31T00:00:00Z' };
const admins = { id: 'admins-totp', reason: 'Admins sign in with an authenticator app only', appliesTo: { roles: ['admin'] }, set: { twoFactor: { methods: ['totp' as const] } } };

const codes = (input: AccountPolicyInput, options: Parameters<typeof lintPolicy>[2] = { at }) =>
  lintPolicy(parseAccountPolicy(input), [], options).filter((f) => f.path.startsWith('layers')).map((f) => [f.code, f.path]);

describe('lintPolicy and layers', () => {
  it('a well-kept account with layers has no layer findings', () => {
    expect(codes({ ...office, layers: [travel, admins] }, { at, roles: ['sales-lead'], teams: ['sales'] })).toEqual([]);
  });

  it('flags a layer that weakens security for an admin role', () => {
    const loose = { id: 'admins-anywhere', reason: 'Admins fix outages from home networks', appliesTo: { roles: ['admin', 'support'] }, set: { ipLockdown: { enabled: false } }, reviewBy: '2027-01-01T00:00:00Z' };
    expect(codes({ ...office, layers: [loose] })).toEqual([['layer_weakens_admins', 'layers[0].set.ipLockdown.enabled']]);
    // With the admins' role named otherwise, it is that role that counts.
    expect(codes({ ...office, layers: [loose] }, { at, adminRoles: ['support'] })).toEqual([['layer_weakens_admins', 'layers[0].set.ipLockdown.enabled']]);
    expect(codes({ ...office, layers: [loose] }, { at, adminRoles: [] })).toEqual([]);
  });

  it('flags targets that do not exist, when the roles and teams are given', () => {
    const layer = { ...travel, appliesTo: { roles: ['sales-lead', 'salse-lead'], teams: ['sales', 'slaes'] } };
    expect(codes({ ...office, layers: [layer] }, { at, roles: ['sales-lead'], teams: ['sales'] })).toEqual([
      ['layer_unknown_role', 'layers[0].appliesTo.roles[1]'],
      ['layer_unknown_team', 'layers[0].appliesTo.teams[1]'],
    ]);
    expect(codes({ ...office, layers: [{ ...travel, appliesTo: { roles: ['member'] } }] }, { at, roles: [] })).toEqual([]);
  });

  it('flags two layers that set one field to different values, at the later one', () => {
    const night = { id: 'night-shift', reason: 'Support covers the night from the office', appliesTo: { teams: ['support'] }, set: { ipLockdown: { enabled: true } }, reviewBy: '2027-03-31T00:00:00Z' };
    const findings = lintPolicy(parseAccountPolicy({ ...office, layers: [travel, night] }), [], { at }).filter((f) => f.code === 'layers_conflict');
    expect(findings.map((f) => f.path)).toEqual(['layers[1].set.ipLockdown.enabled']);
    expect(findings[0]?.message).toContain('"sales-travel" and "night-shift" both set ipLockdown.enabled (to false and to true): a person in both gets "night-shift"\'s');
    // Many layers over one field: one finding, at the last of them, naming a few.
    const many = Array.from({ length: 40 }, (_, i) => ({ ...night, id: `night-${String(i)}`, set: { ipLockdown: { enabled: i % 2 === 0 } } }));
    const fights = lintPolicy(parseAccountPolicy({ ...office, layers: many }), [], { at }).filter((x) => x.code === 'layers_conflict');
    expect(fights.map((x) => x.path)).toEqual(['layers[39].set.ipLockdown.enabled']);
    expect(fights[0]?.message).toContain('40 layers set ipLockdown.enabled to different values ("night-0" to true, "night-1" to false');
    expect(fights[0]?.message).toContain('and 35 more');
    // The same value twice is no fight.
    expect(codes({ ...office, layers: [travel, { ...night, set: { ipLockdown: { enabled: false } } }] })).toEqual([]);
  });

  it('housekeeping: past its review date, expired, a vague reason, weakening with no date', () => {
    expect(codes({ ...office, layers: [{ ...travel, reviewBy: '2026-11-01T00:00:00Z' }] })).toEqual([['layer_review_overdue', 'layers[0].reviewBy']]);
    expect(codes({ ...office, layers: [{ ...travel, expiresAt: '2026-11-01T00:00:00Z' }] })).toEqual([['layer_expired', 'layers[0].expiresAt']]);
    expect(codes({ ...office, layers: [{ ...travel, reason: 'as requested' }] })).toEqual([['layer_reason_vague', 'layers[0].reason']]);
    const undated = { id: travel.id, reason: travel.reason, appliesTo: travel.appliesTo, set: travel.set };
    expect(codes({ ...office, layers: [undated] })).toEqual([['layer_unscheduled', 'layers[0]']]);
  });

  it('reports what a layer makes of its people’s rules, at the layer’s field', () => {
    const locked = { id: 'contractors', reason: 'Contractors sign in from the office only', appliesTo: { teams: ['contractors'] }, set: { ipLockdown: { allow: [] } }, reviewBy: '2027-03-31T00:00:00Z' };
    const findings = lintPolicy(parseAccountPolicy({ ...office, layers: [locked] }), [], { at }).filter((f) => f.path.startsWith('layers'));
    expect(findings.map((f) => [f.code, f.severity, f.path])).toEqual([['ip_lockdown_empty_allowlist', 'error', 'layers[0].set.ipLockdown.allow']]);
    expect(findings[0]?.message).toMatch(/^For layer contractors: IP lockdown is on but the allowlist is empty/);
  });

  it('flags an administrator whose team’s layer weakens their rules, overrides or not', () => {
    const account = parseAccountPolicy({ ...office, layers: [travel] });
    const members = { ada: { roles: ['admin'], teams: ['sales'] }, lee: { roles: ['member'], teams: ['sales'] }, kim: { teams: ['sales'] } };
    const f = lintPolicy(account, [], { at, members, admins: ['kim'] }).filter((x) => x.code === 'layer_weakens_admins');
    expect(f.map((x) => [x.staffId, x.path])).toEqual([
      ['ada', 'layers[0].set.ipLockdown.enabled'],
      ['kim', 'layers[0].set.ipLockdown.enabled'],
    ]);
    expect(f[0]?.message).toContain('the layer "sales-travel" (for team sales)');
  });

  it('judges a person’s overrides on top of their layers, and a holder of an admin role as an admin', () => {
    const account = parseAccountPolicy({ ...office, layers: [admins] });
    const sms = parseStaffOverride({ staffId: 'ada', reason: 'Her phone cannot run an authenticator app', reviewBy: '2027-01-01T00:00:00Z', set: { twoFactor: { methods: ['sms'] } } });
    const without = lintPolicy(account, [sms], { at }).map((f) => f.code);
    expect(without).not.toContain('override_weakens_admin');
    const withMember = lintPolicy(account, [sms], { at, members: { ada: { roles: ['admin'] } } });
    expect(withMember.find((f) => f.code === 'override_weakens_admin')).toMatchObject({ path: 'overrides[0].set.twoFactor.methods', staffId: 'ada' });
  });
});

describe('reviewLayers', () => {
  it('sorts the layers into overdue, due, expired and unscheduled, like overrides', () => {
    const account = parseAccountPolicy({
      ...office,
      layers: [
        { ...travel, id: 'overdue', reviewBy: '2026-11-01T00:00:00Z' },
        { ...travel, id: 'due', reviewBy: '2026-11-30T00:00:00Z' },
        { ...travel, id: 'expired', reviewBy: undefined, expiresAt: '2026-11-20T00:00:00Z' },
        { ...admins, id: 'undated' },
        { ...travel, id: 'later', reviewBy: '2027-06-01T00:00:00Z' },
      ],
    });
    const r = reviewLayers(account, { at });
    expect(r.overdue.map((l) => [l.id, l.days])).toEqual([['overdue', -22]]);
    expect(r.due.map((l) => [l.id, l.dateKind, l.days])).toEqual([['due', 'review', 7]]);
    expect(r.expired.map((l) => [l.id, l.date])).toEqual([['expired', '2026-11-20T00:00:00Z']]);
    expect(r.unscheduled.map((l) => l.id)).toEqual(['undated']);
    expect(r.overdue[0]?.appliesTo).toEqual({ teams: ['sales'] });
  });

  it('an account without layers has nothing to review; bad options throw, naming the field', () => {
    expect(reviewLayers(parseAccountPolicy(office), { at })).toEqual({ overdue: [], due: [], expired: [], unscheduled: [] });
    expect(() => reviewLayers(parseAccountPolicy(office), { at: 'yesterday' })).toThrow(expect.objectContaining({ code: 'invalid_instant' }));
    expect(() => reviewLayers(parseAccountPolicy(office), { at, dueWithinDays: -1 })).toThrow(expect.objectContaining({ code: 'invalid_option', pathText: 'dueWithinDays' }));
  });
});

describe('diffPolicies and layers', () => {
  const before = parseAccountPolicy({ ...office, layers: [travel] });
  it('reports a layer added or removed with its effect on the people in it', () => {
    const added = diffPolicies(parseAccountPolicy(office), before);
    expect(added).toEqual([
      { path: 'layers.sales-travel', layer: 'sales-travel', from: null, to: 'team sales; sets ipLockdown.enabled', effect: 'weakening', message: 'Layer sales-travel: added (team sales; sets ipLockdown.enabled)' },
    ]);
    expect(diffPolicies(before, parseAccountPolicy(office)).map((c) => [c.path, c.effect])).toEqual([['layers.sales-travel', 'strengthening']]);
  });

  it('reports a layer’s fields, target and dates', () => {
    const after = parseAccountPolicy({ ...office, layers: [{ ...travel, appliesTo: { teams: ['sales', 'support'] }, set: { ipLockdown: { enabled: false }, twoFactor: { methods: ['totp'] } }, expiresAt: '2027-01-01T00:00:00Z' }] });
    expect(diffPolicies(before, after).map((c) => [c.path, c.effect, c.message])).toEqual([
      ['layers.sales-travel', 'weakening', 'Layer sales-travel applies to: team sales → team sales, team support'],
      ['layers.sales-travel.set.twoFactor.methods', 'strengthening', 'Layer sales-travel, Second factors allowed: not set → totp'],
      ['layers.sales-travel', 'strengthening', 'Layer sales-travel, expiry: not set → 2027-01-01T00:00:00Z'],
    ]);
  });

  it('reports layers that changed order, with the effect of the new order', () => {
    const relaxed = { id: 'ops-relaxed', reason: 'Ops sign in from the data centre without 2FA', appliesTo: { teams: ['ops'] }, set: { twoFactor: { required: false } }, reviewBy: '2027-01-01T00:00:00Z' };
    const strict = { id: 'admins-2fa', reason: 'Administrators always use a second factor', appliesTo: { roles: ['admin'] }, set: { twoFactor: { required: true } } };
    const x = parseAccountPolicy({ ...office, layers: [relaxed, strict] });
    const y = parseAccountPolicy({ ...office, layers: [strict, relaxed] });
    // An admin in ops had 2FA (the admins' layer came last); now the ops layer wins.
    expect(diffPolicies(x, y).map((c) => [c.path, c.from, c.to, c.effect])).toEqual([
      ['layers.admins-2fa', 2, 1, 'weakening'],
      ['layers.ops-relaxed', 1, 2, 'weakening'],
    ]);
    expect(diffPolicies(y, x).map((c) => c.effect)).toEqual(['strengthening', 'strengthening']);
    expect(diffPolicies(x, x)).toEqual([]);
  });

  it('an account without layers diffs exactly as before layers existed', () => {
    fc.assert(
      fc.property(accountPolicyInputArb(), accountPolicyInputArb(), (x, y) => {
        const strip = (i: AccountPolicyInput): AccountPolicyInput => ({ ...i, layers: [] });
        expect(diffPolicies(parseAccountPolicy(strip(x)), parseAccountPolicy(strip(y))).every((c) => c.layer === undefined && !c.path.startsWith('layers'))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe('checkChangeSafety and simulateLogin through layers', () => {
  it('an admin locked out through their layer is caught', () => {
    const current = parseAccountPolicy({ ...office, layers: [admins] });
    // The admins' layer now allows another office's network only.
    const proposed = parseAccountPolicy({ ...office, layers: [{ ...admins, set: { ipLockdown: { allow: ['198.51.100.0/24'] } } }] });
    const ada = { staffId: 'ada', method: 'google' as const, ip: '203.0.113.10', enrolled: ['totp' as const], member: { roles: ['admin'] } };
    const r = checkChangeSafety(current, proposed, { actor: ada, admins: [ada], at });
    expect(r.safe).toBe(false);
    expect(r.lockedOut.map((l) => l.staffId)).toEqual(['ada']);
    // Without the role, the layer is not theirs and nothing changes for them.
    const plain = { staffId: ada.staffId, method: ada.method, ip: ada.ip, enrolled: ada.enrolled };
    expect(checkChangeSafety(current, proposed, { actor: plain, admins: [plain], at }).safe).toBe(true);
  });

  it('says when an admin would get in only through a layer that expires', () => {
    const remote = { id: 'remote-week', reason: 'The platform team works from home this week', appliesTo: { teams: ['platform'] }, set: { ipLockdown: { enabled: false } }, expiresAt: '2026-12-01T00:00:00Z' };
    const current = parseAccountPolicy({ ...office, ipLockdown: { enabled: false, allow: [] }, layers: [remote] });
    const proposed = parseAccountPolicy({ ...office, layers: [remote] });
    const ada = { staffId: 'ada', method: 'google' as const, ip: '198.51.100.7', enrolled: ['totp' as const], member: { roles: ['admin'], teams: ['platform'] } };
    const r = checkChangeSafety(current, proposed, { actor: ada, admins: [ada], at });
    expect(r.safe).toBe(true);
    expect(r.reasons.map((x) => [x.code, x.message])).toEqual([
      ['admin_access_expires', 'You would get in only through an exception that expires at 2026-12-01T00:00:00Z (layer remote-week): after it, these settings would lock you out (ip_not_allowed).'],
    ]);
  });

  it('the what-if trace names the layer that decided each step', () => {
    const account = parseAccountPolicy({ ...office, layers: [travel, admins] });
    const sim = simulateLogin(account, [], { method: 'google', ip: '198.51.100.7', at, verified: ['email'], enrolled: ['totp', 'email'] }, { member: { roles: ['admin'], teams: ['sales'] } });
    const source = (rule: string) => sim.trace.find((s) => s.rule === rule)?.source;
    expect(source('ip')).toBe('layer sales-travel: "The sales team signs in from customer sites"');
    expect(source('second_factor')).toBe('layer admins-totp: "Admins sign in with an authenticator app only"');
    expect(source('method')).toBe('account default');
    expect(sim.decision.outcome).toBe('challenge');
  });
});
