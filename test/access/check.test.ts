import { describe, expect, it } from 'vitest';
import { canEnterSection, canViewItem, explainAccess, parseRoles, resolveAccess, visibilityFilter, type Access, type ItemRef } from 'staffgate/access';

const roles = parseRoles([
  { id: 'sales', visibility: 'own', sections: { deals: 'write', contacts: 'write' } },
  { id: 'sales-lead', visibility: 'group', sections: { deals: 'write', contacts: 'write', reports: 'read' } },
  { id: 'reports-only', visibility: 'none', sections: { reports: 'read' } },
  { id: 'auditor', visibility: 'all', sections: {} },
]);

const rep = resolveAccess(roles, { id: 'ann', roleId: 'sales', groupIds: ['north'] });
const lead = resolveAccess(roles, { id: 'lee', roleId: 'sales-lead', groupIds: ['north', 'east'] });
const loneLead = resolveAccess(roles, { id: 'lou', roleId: 'sales-lead', groupIds: [] });
const reports = resolveAccess(roles, { id: 'rita', roleId: 'reports-only', groupIds: ['north'] });
const admin = resolveAccess(roles, { id: 'ada', roleId: 'admin', groupIds: [] });
const member = resolveAccess(roles, { id: 'max', roleId: 'member', groupIds: ['north'] });
const ghost = resolveAccess(roles, { id: 'gus', roleId: 'ghost', groupIds: ['north'] });
const blockedAdmin = resolveAccess(roles, { id: 'bea', roleId: 'admin', groupIds: [], blockedSections: ['settings', 'api-keys'] });
const blockedLead = resolveAccess(roles, { id: 'lee', roleId: 'sales-lead', groupIds: ['north'], blockedSections: ['reports'] });

describe('canViewItem: one table per scope', () => {
  const deal = (ownerId: string | null, ...groupIds: string[]): ItemRef => ({ ownerId, groupIds });
  const cases: [string, Access, ItemRef, boolean][] = [
    // own
    ['own: my deal', rep, deal('ann'), true],
    ['own: my deal in another group', rep, deal('ann', 'south'), true],
    ['own: a colleague\'s deal in my group', rep, deal('bob', 'north'), false],
    ['own: an unassigned deal', rep, deal(null, 'north'), false],
    ['own: owner differs only by case', rep, deal('Ann'), false],
    ['own: owner with a trailing space', rep, deal('ann '), false],
    // group
    ['group: my deal, no groups', lead, deal('lee'), true],
    ['group: a deal of my group', lead, deal('bob', 'north'), true],
    ['group: a deal of my other group', lead, deal('bob', 'east'), true],
    ['group: a deal in several groups, one mine', lead, deal('bob', 'south', 'east'), true],
    ['group: a deal of another group', lead, deal('bob', 'south'), false],
    ['group: an unassigned deal of my group', lead, deal(null, 'north'), true],
    ['group: an unassigned deal of no group', lead, deal(null), false],
    ['group: group differs only by case', lead, deal('bob', 'North'), false],
    ['group: member without groups sees own', loneLead, deal('lou'), true],
    ['group: member without groups sees no group deal', loneLead, deal('bob', 'north'), false],
    // all
    ['all: anyone\'s deal', admin, deal('bob', 'south'), true],
    ['all: an unassigned deal', admin, deal(null), true],
    ['all (custom role)', resolveAccess(roles, { id: 'aud', roleId: 'auditor', groupIds: [] }), deal('bob'), true],
    // none
    ['none: reports-only sees no deal', reports, deal('rita', 'north'), false],
    ['none: unknown role sees not even own', ghost, deal('gus', 'north'), false],
    // built-in member
    ['built-in member: own deal', member, deal('max'), true],
    ['built-in member: group deal', member, deal('bob', 'north'), false],
  ];
  it.each(cases)('%s', (_label, access, item, expected) => {
    expect(canViewItem(access, item)).toBe(expected);
    expect(explainAccess(access, { item }).allowed).toBe(expected);
  });

  it('hostile items are false (or true only under scope all for an object)', () => {
    const hostile: unknown[] = [null, undefined, 'ann', 0, [], { ownerId: 1 }, { ownerId: ['ann'] }, { ownerId: 'bob', groupIds: 'north' }, { ownerId: 'bob', groupIds: { 0: 'north', length: 1 } }, { ownerId: 'bob', groupIds: [['north']] }];
    for (const item of hostile) {
      expect(canViewItem(rep, item as ItemRef)).toBe(false);
      expect(canViewItem(lead, item as ItemRef)).toBe(false);
      expect(canViewItem(reports, item as ItemRef)).toBe(false);
      expect(canViewItem(admin, item as ItemRef)).toBe(typeof item === 'object' && item !== null);
    }
  });

  it('a malformed or hand-made access is false, never a throw', () => {
    const bad: unknown[] = [null, undefined, 'all', {}, { scope: 'ALL' }, { scope: 'own' }, { scope: 'own', memberId: '' }, { scope: 'group', memberId: '', groupIds: ['north'] }];
    for (const access of bad) {
      expect(canViewItem(access as Access, { ownerId: '', groupIds: ['north'] })).toBe(false);
      expect(visibilityFilter(access as Access)).toEqual({ kind: 'none' });
    }
  });
});

describe('canEnterSection: the role decides, blocks win', () => {
  const cases: [string, Access, string, 'read' | 'write' | undefined, boolean][] = [
    ['admin: any section', admin, 'settings', 'write', true],
    ['admin: a section nobody listed', admin, 'anything-else', undefined, true],
    ['built-in member: every section read-write', member, 'settings', 'write', true],
    ['sales: listed section, write', rep, 'deals', 'write', true],
    ['sales: listed section, read', rep, 'contacts', 'read', true],
    ['sales: unlisted section', rep, 'reports', undefined, false],
    ['sales: unlisted section "constructor" (a prototype name)', rep, 'constructor', undefined, false],
    ['sales: unlisted section "hasownproperty"', rep, 'hasownproperty', undefined, false],
    ['reports-only: reports, read', reports, 'reports', undefined, true],
    ['reports-only: reports, explicit read', reports, 'reports', 'read', true],
    ['reports-only: reports, write', reports, 'reports', 'write', false],
    ['reports-only: deals', reports, 'deals', undefined, false],
    ['role with sections {}: nothing', resolveAccess(roles, { id: 'a', roleId: 'auditor', groupIds: [] }), 'reports', undefined, false],
    ['blocked admin: settings', blockedAdmin, 'settings', undefined, false],
    ['blocked admin: api-keys', blockedAdmin, 'api-keys', 'write', false],
    ['blocked admin: other sections stay open', blockedAdmin, 'deals', 'write', true],
    ['blocked lead: reports the role grants', blockedLead, 'reports', undefined, false],
    ['blocked lead: deals', blockedLead, 'deals', 'write', true],
    ['unknown role: nothing', ghost, 'deals', undefined, false],
    ['section in capitals', admin, 'Settings', undefined, false],
    ['section with a space', admin, 'settings ', undefined, false],
    ['empty section', admin, '', undefined, false],
    ['section look-alike', admin, '\u0455ettings', undefined, false],
  ];
  it.each(cases)('%s', (_label, access, section, mode, expected) => {
    const options = mode === undefined ? undefined : { mode };
    expect(canEnterSection(access, section, options)).toBe(expected);
    expect(explainAccess(access, mode === undefined ? { section } : { section, mode }).allowed).toBe(expected);
  });

  it('an unknown mode is false, not "read"', () => {
    expect(canEnterSection(admin, 'deals', { mode: 'delete' as 'write' })).toBe(false);
    expect(canEnterSection(admin, 'deals', null as never)).toBe(false);
  });

  it('a non-string section is false', () => {
    for (const section of [undefined, null, 1, ['deals'], { toString: () => 'deals' }]) {
      expect(canEnterSection(admin, section as string)).toBe(false);
    }
  });

  it('a polluted Object.prototype does not grant a section to a cached (JSON) access', () => {
    const cached = JSON.parse(JSON.stringify(rep)) as Access;
    const proto = Object.prototype as Record<string, unknown>;
    proto.settings = 'write';
    try {
      expect(canEnterSection(cached, 'settings')).toBe(false);
      expect(explainAccess(cached, { section: 'settings' }).allowed).toBe(false);
    } finally {
      delete proto.settings;
    }
  });

  it('a hand-made access with a prototype-polluted looking grant is not fooled', () => {
    const access = { ...rep, sections: { kind: 'only', modes: JSON.parse('{"__proto__":{"reports":"write"}}') as Record<string, 'write'> } } as Access;
    expect(canEnterSection(access, 'reports')).toBe(false);
  });
});

describe('visibilityFilter: tagged values', () => {
  it.each([
    ['all', admin, { kind: 'all' }],
    ['none (reports-only)', reports, { kind: 'none' }],
    ['none (unknown role)', ghost, { kind: 'none' }],
    ['own', rep, { kind: 'owner', ownerId: 'ann' }],
    ['group', lead, { kind: 'groups', ownerId: 'lee', groupIds: ['east', 'north'] }],
    ['group without groups is owner', loneLead, { kind: 'owner', ownerId: 'lou' }],
  ] as const)('%s', (_label, access, expected) => {
    expect(visibilityFilter(access)).toEqual(expected);
  });

  it('"none" and "all" are different values, and neither is {} or null', () => {
    expect(visibilityFilter(admin)).not.toEqual(visibilityFilter(reports));
    expect(visibilityFilter(reports)).not.toEqual({});
    expect(visibilityFilter(reports)).not.toBeNull();
  });
});

describe('explainAccess: the chain role -> scope -> group', () => {
  it('why can the lead see deal 42? through the group', () => {
    const why = explainAccess(lead, { item: { ownerId: 'bob', groupIds: ['east'] } });
    expect(why.allowed).toBe(true);
    expect(why.code).toBe('group_match');
    expect(why.chain.map((s) => s.step)).toEqual(['member', 'role', 'scope', 'owner', 'group']);
    expect(why.chain[1]).toMatchObject({ step: 'role', roleId: 'sales-lead', source: 'defined' });
    expect(why.chain[2]).toMatchObject({ step: 'scope', scope: 'group' });
    expect(why.chain[3]).toMatchObject({ step: 'owner', ownerId: 'bob', matches: false });
    expect(why.chain[4]).toMatchObject({ step: 'group', sharedGroupIds: ['east'] });
  });

  it.each([
    ['owner_match', rep, { ownerId: 'ann' }, true],
    ['not_owner', rep, { ownerId: 'bob', groupIds: ['north'] }, false],
    ['no_shared_group', lead, { ownerId: 'bob', groupIds: ['south'] }, false],
    ['scope_all', admin, { ownerId: null }, true],
    ['scope_none', reports, { ownerId: 'rita' }, false],
    ['role_unknown', ghost, { ownerId: 'gus' }, false],
    ['member_invalid', resolveAccess(roles, { id: '', roleId: 'admin', groupIds: [] }), { ownerId: '' }, false],
    ['item_invalid', admin, null, false],
  ] as const)('%s', (code, access, item, allowed) => {
    const why = explainAccess(access, { item: item as ItemRef });
    expect(why.code).toBe(code);
    expect(why.allowed).toBe(allowed);
    expect(why.message.length).toBeGreaterThan(0);
  });

  it.each([
    ['section_granted', reports, 'reports', undefined],
    ['section_read_only', reports, 'reports', 'write'],
    ['section_not_granted', reports, 'deals', undefined],
    ['section_blocked', blockedLead, 'reports', undefined],
    ['section_invalid', admin, 'Reports', undefined],
    ['role_unknown', ghost, 'deals', undefined],
  ] as const)('section %s', (code, access, section, mode) => {
    const why = explainAccess(access, mode === undefined ? { section } : { section, mode });
    expect(why.code).toBe(code);
    expect(why.allowed).toBe(code === 'section_granted');
  });

  it('a blocked section names the block in the chain', () => {
    const why = explainAccess(blockedAdmin, { section: 'settings' });
    expect(why.chain.at(-1)).toMatchObject({ step: 'blocked', section: 'settings' });
  });

  it('a bad access or target is access_invalid, never a throw', () => {
    expect(explainAccess(null as never, { section: 'deals' }).code).toBe('access_invalid');
    expect(explainAccess(admin, null as never).code).toBe('access_invalid');
    expect(explainAccess(admin, {} as never).code).toBe('access_invalid');
    expect(explainAccess(admin, { section: 'deals', mode: 'admin' as 'read' }).code).toBe('mode_invalid');
  });
});
