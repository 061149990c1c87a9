import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtinRoles,
  canEnterSection,
  canViewItem,
  explainAccess,
  parseRoles,
  resolveAccess,
  sectionIdSchema,
  visibilityFilter,
  type Access,
  type ItemRef,
  type VisibilityFilter,
} from 'staffgate/access';
import {
  accessWorldArb,
  hostileItemRefArb,
  hostileSectionIdArb,
  itemRefArb,
  memberRecordArb,
  roleDefinitionsArb,
  sectionIdArb,
} from '../../src/testing/access.js';

// The documented meaning of each tag, as a database would apply it (written independently of
// src/, so a disagreement in either shows up).
function matchesFilter(filter: VisibilityFilter, item: ItemRef): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'owner':
      return item.ownerId === filter.ownerId;
    case 'groups':
      return item.ownerId === filter.ownerId || (item.groupIds ?? []).some((g) => filter.groupIds.includes(g));
  }
}

const SECTIONS = ['deals', 'contacts', 'reports', 'settings', 'constructor', 'mail'];

describe('access laws', () => {
  it('canViewItem and visibilityFilter (evaluated in memory) agree on every item', () => {
    fc.assert(
      fc.property(accessWorldArb(), ({ roles, members, items }) => {
        const parsed = parseRoles(roles);
        for (const member of members) {
          const access = resolveAccess(parsed, member);
          const filter = visibilityFilter(access);
          for (const item of items) {
            if (canViewItem(access, item) !== matchesFilter(filter, item)) return false;
          }
        }
        return true;
      }),
      { numRuns: 400 },
    );
  });

  it('explainAccess says allowed exactly when canViewItem / canEnterSection do', () => {
    fc.assert(
      fc.property(accessWorldArb(), fc.array(fc.oneof(sectionIdArb(), hostileSectionIdArb()), { maxLength: 6 }), ({ roles, members, items }, sections) => {
        const parsed = parseRoles(roles);
        for (const member of members) {
          const access = resolveAccess(parsed, member);
          for (const item of items) {
            const why = explainAccess(access, { item });
            if (why.allowed !== canViewItem(access, item)) return false;
          }
          for (const section of [...sections, ...SECTIONS]) {
            if (explainAccess(access, { section }).allowed !== canEnterSection(access, section)) return false;
            if (explainAccess(access, { section, mode: 'write' }).allowed !== canEnterSection(access, section, { mode: 'write' })) return false;
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('a blocked section can never be entered, whatever the role', () => {
    fc.assert(
      fc.property(
        roleDefinitionsArb({ ids: ['admin', 'member', 'sales', 'lead'], sectionIds: SECTIONS }),
        memberRecordArb({ roleIds: ['admin', 'member', 'sales', 'lead'], sectionIds: SECTIONS }),
        fc.constantFrom(...SECTIONS),
        (roles, member, section) => {
          const access = resolveAccess(parseRoles(roles), { ...member, blockedSections: [...(member.blockedSections ?? []), section] });
          return !canEnterSection(access, section) && !canEnterSection(access, section, { mode: 'write' }) && !explainAccess(access, { section }).allowed;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('blocking more sections never opens a section', () => {
    fc.assert(
      fc.property(
        roleDefinitionsArb({ sectionIds: SECTIONS, ids: ['admin', 'sales'] }),
        memberRecordArb({ roleIds: ['admin', 'sales', 'member'], sectionIds: SECTIONS }),
        fc.array(fc.constantFrom(...SECTIONS), { maxLength: 3 }),
        (roles, member, more) => {
          const parsed = parseRoles(roles);
          const before = resolveAccess(parsed, member);
          const after = resolveAccess(parsed, { ...member, blockedSections: [...(member.blockedSections ?? []), ...more] });
          return SECTIONS.every((s) => (canEnterSection(after, s) ? canEnterSection(before, s) : true));
        },
      ),
    );
  });

  it('changing a member\'s groups never widens an own scope', () => {
    fc.assert(
      fc.property(
        roleDefinitionsArb({ ids: ['sales', 'member'] }),
        memberRecordArb({ roleIds: ['sales', 'member'] }),
        fc.array(fc.constantFrom('north', 'south', 'east', 'west', 'g-1', 'new'), { maxLength: 5 }),
        fc.array(itemRefArb(), { maxLength: 15 }),
        (roles, member, newGroups, items) => {
          const parsed = parseRoles(roles);
          const before = resolveAccess(parsed, member);
          fc.pre(before.scope === 'own');
          const after = resolveAccess(parsed, { ...member, groupIds: newGroups });
          return after.scope === 'own' && items.every((item) => canViewItem(after, item) === canViewItem(before, item)) && JSON.stringify(visibilityFilter(after)) === JSON.stringify(visibilityFilter(before));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('removing groups never widens any scope', () => {
    fc.assert(
      fc.property(accessWorldArb(), fc.nat(), ({ roles, members, items }, drop) => {
        const parsed = parseRoles(roles);
        return members.every((member) => {
          const groups = member.groupIds ?? [];
          const fewer = groups.filter((_, i) => (drop >> i) % 2 === 0);
          const wide = resolveAccess(parsed, member);
          const narrow = resolveAccess(parsed, { ...member, groupIds: fewer });
          return items.every((item) => !canViewItem(narrow, item) || canViewItem(wide, item));
        });
      }),
    );
  });

  it('an unknown role id gives scope none and no section, whatever roles exist', () => {
    fc.assert(
      fc.property(roleDefinitionsArb(), fc.string({ minLength: 1, maxLength: 12 }), (roles, roleId) => {
        const known = new Set([...roles, ...builtinRoles].map((r) => r.id));
        fc.pre(!known.has(roleId));
        const access = resolveAccess(parseRoles(roles), { id: 'u1', roleId, groupIds: ['north'] });
        return access.scope === 'none' && visibilityFilter(access).kind === 'none' && SECTIONS.every((s) => !canEnterSection(access, s));
      }),
    );
  });

  it('sections omitted means every section read-write; sections given means exactly those', () => {
    fc.assert(
      fc.property(roleDefinitionsArb({ sectionIds: SECTIONS }), (roles) => {
        const parsed = parseRoles(roles);
        return roles.every((role) => {
          const access = resolveAccess(parsed, { id: 'u1', roleId: role.id, groupIds: [] });
          return SECTIONS.every((s) => {
            const read = canEnterSection(access, s);
            const write = canEnterSection(access, s, { mode: 'write' });
            if (role.sections === undefined) return read && write;
            const mode = Object.hasOwn(role.sections, s) ? role.sections[s] : undefined;
            return read === (mode !== undefined) && write === (mode === 'write');
          });
        });
      }),
    );
  });

  it('write access to a section implies read access', () => {
    fc.assert(
      fc.property(accessWorldArb(), fc.constantFrom(...SECTIONS), ({ roles, members }, section) => {
        const parsed = parseRoles(roles);
        return members.every((m) => {
          const access = resolveAccess(parsed, m);
          return !canEnterSection(access, section, { mode: 'write' }) || canEnterSection(access, section);
        });
      }),
    );
  });

  it('a group filter never carries an empty group list', () => {
    fc.assert(
      fc.property(accessWorldArb(), ({ roles, members }) => {
        const parsed = parseRoles(roles);
        return members.every((m) => {
          const f = visibilityFilter(resolveAccess(parsed, m));
          return f.kind !== 'groups' || f.groupIds.length > 0;
        });
      }),
    );
  });

  it('an Access survives a JSON round trip with the same answers', () => {
    fc.assert(
      fc.property(accessWorldArb(), ({ roles, members, items }) => {
        const parsed = parseRoles(roles);
        return members.every((m) => {
          const access = resolveAccess(parsed, m);
          const copy = JSON.parse(JSON.stringify(access)) as Access;
          return (
            items.every((item) => canViewItem(copy, item) === canViewItem(access, item)) &&
            SECTIONS.every((s) => canEnterSection(copy, s) === canEnterSection(access, s) && canEnterSection(copy, s, { mode: 'write' }) === canEnterSection(access, s, { mode: 'write' }))
          );
        });
      }),
    );
  });

  it('hostile items and sections never throw, and only scope all sees a non-item object', () => {
    fc.assert(
      fc.property(accessWorldArb(), hostileItemRefArb(), hostileSectionIdArb(), ({ roles, members }, item, section) => {
        const parsed = parseRoles(roles);
        return members.every((m) => {
          const access = resolveAccess(parsed, m);
          const seen = canViewItem(access, item as ItemRef);
          if (typeof item !== 'object' || item === null) {
            if (seen) return false;
          }
          explainAccess(access, { item: item as ItemRef });
          return !canEnterSection(access, section) && explainAccess(access, { section }).code === 'section_invalid';
        });
      }),
    );
  });

  it('a section is enterable by admin exactly when sectionIdSchema accepts its spelling', () => {
    const admin = resolveAccess(parseRoles([]), { id: 'u1', roleId: 'admin', groupIds: [] });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 70 }), fc.string({ unit: 'binary', maxLength: 8 }), sectionIdArb(), hostileSectionIdArb()), (section) => {
        return canEnterSection(admin, section) === sectionIdSchema.safeParse(section).success;
      }),
      { numRuns: 800 },
    );
  });

  it('a member id is refused exactly when it is empty, has a control character or a lone surrogate', () => {
    const wellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('', 'a\u0000', '\u007f', '\ud800', '\udc00a', '\ud83d\ude00')), (id) => {
        const refused = id === '' || /[\u0000-\u001f\u007f]/.test(id) || !wellFormed(id); // eslint-disable-line no-control-regex
        const access = resolveAccess(parseRoles([]), { id, roleId: 'admin', groupIds: [id === '' ? 'g' : id] });
        return (access.reason === 'member_invalid') === refused;
      }),
      { numRuns: 2_000 },
    );
  });

  it('the property helpers are not vacuous: worlds do produce every scope and both answers', () => {
    const scopes = new Set<string>();
    let yes = 0;
    let no = 0;
    fc.assert(
      fc.property(accessWorldArb(), ({ roles, members, items }) => {
        const parsed = parseRoles(roles);
        for (const m of members) {
          const access = resolveAccess(parsed, m);
          scopes.add(access.scope);
          for (const item of items) {
            if (canViewItem(access, item)) yes += 1;
            else no += 1;
          }
        }
      }),
      { numRuns: 300 },
    );
    expect([...scopes].sort()).toEqual(['all', 'group', 'none', 'own']);
    expect(yes).toBeGreaterThan(100);
    expect(no).toBeGreaterThan(100);
  });
});
