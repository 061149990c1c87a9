import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canEnterSection, canViewItem, parseRoles, resolveAccess, visibilityFilter, type MemberRecord } from 'staffgate/access';
import { hostileMemberRecordArb, hostileRoleIdArb } from '../../src/testing/access.js';

const roles = parseRoles([
  { id: 'sales', visibility: 'own', sections: { deals: 'write', contacts: 'write' } },
  { id: 'sales-lead', visibility: 'group', sections: { deals: 'write', contacts: 'write', reports: 'read' } },
  { id: 'reports-only', visibility: 'none', sections: { reports: 'read' } },
]);

describe('resolveAccess: role -> scope and sections', () => {
  it.each([
    ['built-in admin', 'admin', 'all', 'role_builtin', { kind: 'all' }],
    ['built-in member', 'member', 'own', 'role_builtin', { kind: 'all' }],
    ['sales rep', 'sales', 'own', 'role_defined', { kind: 'only', modes: { contacts: 'write', deals: 'write' } }],
    ['sales lead', 'sales-lead', 'group', 'role_defined', { kind: 'only', modes: { contacts: 'write', deals: 'write', reports: 'read' } }],
    ['reports-only', 'reports-only', 'none', 'role_defined', { kind: 'only', modes: { reports: 'read' } }],
    ['unknown role', 'marketing', 'none', 'role_unknown', { kind: 'only', modes: {} }],
  ] as const)('%s', (_label, roleId, scope, reason, sections) => {
    const access = resolveAccess(roles, { id: 'u1', roleId, groupIds: ['north'] });
    expect(access.scope).toBe(scope);
    expect(access.reason).toBe(reason);
    expect(access.sections).toEqual(sections);
    expect(access.memberId).toBe('u1');
    expect(access.roleId).toBe(roleId);
  });

  it('deduplicates and sorts groups and blocked sections', () => {
    const access = resolveAccess(roles, { id: 'u1', roleId: 'sales-lead', groupIds: ['south', 'north', 'south'], blockedSections: ['reports', 'deals', 'reports'] });
    expect(access.groupIds).toEqual(['north', 'south']);
    expect(access.blockedSections).toEqual(['deals', 'reports']);
  });

  it('omitted groupIds and blockedSections mean none', () => {
    const access = resolveAccess(roles, { id: 'u1', roleId: 'sales-lead' });
    expect(access.groupIds).toEqual([]);
    expect(access.blockedSections).toEqual([]);
    expect(access.scope).toBe('group');
  });

  it('returns frozen data that survives a JSON round trip with the same answers', () => {
    const access = resolveAccess(roles, { id: 'u1', roleId: 'sales-lead', groupIds: ['north'], blockedSections: ['contacts'] });
    expect(Object.isFrozen(access)).toBe(true);
    const copy = JSON.parse(JSON.stringify(access)) as typeof access;
    const item = { ownerId: 'u2', groupIds: ['north'] };
    expect(canViewItem(copy, item)).toBe(canViewItem(access, item));
    for (const s of ['deals', 'contacts', 'reports', 'settings', 'constructor']) {
      expect(canEnterSection(copy, s)).toBe(canEnterSection(access, s));
      expect(canEnterSection(copy, s, { mode: 'write' })).toBe(canEnterSection(access, s, { mode: 'write' }));
    }
    expect(visibilityFilter(copy)).toEqual(visibilityFilter(access));
  });

  it('accepts a raw (unparsed) role list and answers the same as a parsed one', () => {
    const raw = [{ id: 'sales', visibility: 'own' as const }];
    expect(resolveAccess(raw, { id: 'u1', roleId: 'sales', groupIds: [] })).toEqual(resolveAccess(parseRoles(raw), { id: 'u1', roleId: 'sales', groupIds: [] }));
  });
});

describe('resolveAccess: an unknown role is never admin', () => {
  it.each([
    'Admin', 'ADMIN', ' admin', 'admin ', '\u0430dmin', 'admin\u200b', 'ad\u00admin', '\uff41\uff44\uff4d\uff49\uff4e',
    '__proto__', 'constructor', 'toString', 'hasOwnProperty', '*', 'SALES', 'sales ',
  ])('roleId %j gives no access', (roleId) => {
    const access = resolveAccess(roles, { id: 'u1', roleId, groupIds: ['north'] });
    expect(access.scope).toBe('none');
    expect(['role_unknown', 'member_invalid']).toContain(access.reason);
    expect(visibilityFilter(access)).toEqual({ kind: 'none' });
    expect(canViewItem(access, { ownerId: 'u1', groupIds: ['north'] })).toBe(false);
    expect(canEnterSection(access, 'deals')).toBe(false);
  });

  it('hostile role ids (property)', () => {
    fc.assert(
      fc.property(hostileRoleIdArb(), (roleId) => {
        const access = resolveAccess(roles, { id: 'u1', roleId, groupIds: [] });
        return access.scope === 'none' && !canEnterSection(access, 'settings');
      }),
    );
  });
});

describe('resolveAccess: a malformed member record fails closed, never throws', () => {
  const cases: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'u1'],
    ['an array', ['u1', 'admin']],
    ['missing id', { roleId: 'admin', groupIds: [] }],
    ['empty id', { id: '', roleId: 'admin', groupIds: [] }],
    ['numeric id', { id: 7, roleId: 'admin', groupIds: [] }],
    ['id with NUL', { id: 'u1\u0000', roleId: 'admin', groupIds: [] }],
    ['id with a lone surrogate', { id: '\udc00', roleId: 'admin', groupIds: [] }],
    ['missing roleId', { id: 'u1', groupIds: [] }],
    ['empty roleId', { id: 'u1', roleId: '', groupIds: [] }],
    ['roleId not a string', { id: 'u1', roleId: ['admin'], groupIds: [] }],
    ['groupIds a string', { id: 'u1', roleId: 'admin', groupIds: 'north' }],
    ['groupIds null', { id: 'u1', roleId: 'admin', groupIds: null }],
    ['groupIds array-like', { id: 'u1', roleId: 'admin', groupIds: { 0: 'north', length: 1 } }],
    ['a numeric group', { id: 'u1', roleId: 'admin', groupIds: ['north', 3] }],
    ['an empty group', { id: 'u1', roleId: 'admin', groupIds: [''] }],
    ['a sparse group list', { id: 'u1', roleId: 'admin', groupIds: [, 'north'] }], // eslint-disable-line no-sparse-arrays
    ['blockedSections a string', { id: 'u1', roleId: 'admin', groupIds: [], blockedSections: 'settings' }],
    ['blocked section in capitals', { id: 'u1', roleId: 'admin', groupIds: [], blockedSections: ['Settings'] }],
    ['blocked section with a space', { id: 'u1', roleId: 'admin', groupIds: [], blockedSections: ['settings '] }],
    ['blocked section look-alike', { id: 'u1', roleId: 'admin', groupIds: [], blockedSections: ['\u0455ettings'] }],
  ];

  it.each(cases)('%s', (_label, member) => {
    const access = resolveAccess(roles, member as MemberRecord);
    expect(access.scope).toBe('none');
    expect(access.reason).toBe('member_invalid');
    expect(access.message).toMatch(/malformed/);
    expect(visibilityFilter(access)).toEqual({ kind: 'none' });
    expect(canEnterSection(access, 'settings')).toBe(false);
  });

  it('a throwing getter is member_invalid, not an exception', () => {
    const member = { roleId: 'admin', groupIds: [] } as Record<string, unknown>;
    Object.defineProperty(member, 'id', {
      get() {
        throw new Error('boom');
      },
    });
    const access = resolveAccess(roles, member as unknown as MemberRecord);
    expect(access.reason).toBe('member_invalid');
    expect(access.scope).toBe('none');
  });

  it('a Proxy that throws on every read is member_invalid', () => {
    const member = new Proxy({}, {
      get() {
        throw new Error('boom');
      },
    });
    expect(resolveAccess(roles, member as MemberRecord).reason).toBe('member_invalid');
  });

  it('hostile member records (property): scope none, no section, no throw', () => {
    fc.assert(
      fc.property(hostileMemberRecordArb(), (member) => {
        const access = resolveAccess(roles, member as MemberRecord);
        return access.scope === 'none' && access.reason === 'member_invalid' && !canEnterSection(access, 'deals') && !canEnterSection(access, 'reports');
      }),
    );
  });

  it('extra fields on a member record are ignored (hosts pass their own user objects)', () => {
    const member = { id: 'u1', roleId: 'sales', groupIds: [], email: 'ann@acme.test', isAdmin: true };
    expect(resolveAccess(roles, member).scope).toBe('own');
  });
});
