// fast-check arbitraries for the access capability: role definitions, member records and items,
// valid and hostile, for consumers' own property tests.
import fc from 'fast-check';
import type { ItemRef, MemberRecord, RoleDefinition, SectionMode, Visibility } from '../access/index.js';

const visibilities: readonly Visibility[] = ['own', 'group', 'all', 'none'];
const modes: readonly SectionMode[] = ['read', 'write'];

/**
 * Section ids a CRM typically has; small so random roles, blocks and questions collide.
 *
 * @example
 * ```ts
 * commonSectionIds.includes('reports'); // true
 * ```
 */
export const commonSectionIds: readonly string[] = ['deals', 'contacts', 'reports', 'settings', 'api-keys', 'mail', 'settings.security', 'constructor'];

/**
 * A valid section id (lowercase slug), mostly from {@link commonSectionIds}.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(sectionIdArb(), (s) => sectionIdSchema.safeParse(s).success));
 * ```
 */
export function sectionIdArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...commonSectionIds) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_.:-]{0,12}$/) },
  );
}

/**
 * One of `own`, `group`, `all`, `none`.
 *
 * @example
 * ```ts
 * fc.sample(visibilityArb(), 3); // e.g. ['own', 'none', 'all']
 * ```
 */
export function visibilityArb(): fc.Arbitrary<Visibility> {
  return fc.constantFrom(...visibilities);
}

/**
 * A section map of a role (possibly empty, meaning no section).
 *
 * @example
 * ```ts
 * sectionModesArb({ sectionIds: ['deals', 'reports'] }); // e.g. { reports: 'read' }
 * ```
 */
export function sectionModesArb(options: { sectionIds?: readonly string[] } = {}): fc.Arbitrary<Record<string, SectionMode>> {
  const section = options.sectionIds !== undefined && options.sectionIds.length > 0 ? fc.constantFrom(...options.sectionIds) : sectionIdArb();
  return fc.dictionary(section, fc.constantFrom(...modes), { maxKeys: 5 });
}

/**
 * A valid role definition. `sections` is omitted (every section, read-write) about a third of
 * the time.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(roleDefinitionArb(), (role) => parseRoles([role]).length === 1));
 * ```
 */
export function roleDefinitionArb(options: { ids?: readonly string[]; sectionIds?: readonly string[] } = {}): fc.Arbitrary<RoleDefinition> {
  const id = options.ids !== undefined && options.ids.length > 0 ? fc.constantFrom(...options.ids) : roleIdArb();
  const sectionOptions = options.sectionIds === undefined ? {} : { sectionIds: options.sectionIds };
  return fc.record(
    { id, visibility: visibilityArb(), sections: sectionModesArb(sectionOptions) },
    { requiredKeys: ['id', 'visibility'] },
  );
}

/**
 * A valid role id: slugs, department names, UUID-like, and the built-in ids (to replace them).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(roleIdArb(), (id) => roleIdSchema.safeParse(id).success));
 * ```
 */
export function roleIdArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('admin', 'member', 'sales', 'sales-lead', 'support', 'reports-only', 'Sales Team', 'équipe'),
    fc.uuid(),
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,10}[A-Za-z0-9]$/),
  );
}

/**
 * A list of role definitions with unique ids, as `parseRoles` accepts.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(roleDefinitionsArb(), (roles) => safeParseRoles(roles).ok));
 * ```
 */
export function roleDefinitionsArb(options: { ids?: readonly string[]; sectionIds?: readonly string[]; maxLength?: number } = {}): fc.Arbitrary<RoleDefinition[]> {
  const { maxLength = 5, ...roleOptions } = options;
  return fc.uniqueArray(roleDefinitionArb(roleOptions), { selector: (role) => role.id, maxLength });
}

/**
 * A group id: from a small pool by default, so members and items share groups.
 *
 * @example
 * ```ts
 * groupIdArb(['team-a', 'team-b']);
 * ```
 */
export function groupIdArb(pool: readonly string[] = ['north', 'south', 'east', 'west', 'g-1']): fc.Arbitrary<string> {
  return fc.constantFrom(...pool);
}

/**
 * A well-formed member record. Pass pools of ids so members, roles and items meet.
 *
 * @example
 * ```ts
 * memberRecordArb({ memberIds: ['u1', 'u2'], roleIds: ['admin', 'sales'] });
 * ```
 */
export function memberRecordArb(
  options: { memberIds?: readonly string[]; roleIds?: readonly string[]; groupIds?: readonly string[]; sectionIds?: readonly string[] } = {},
): fc.Arbitrary<MemberRecord> {
  const id = options.memberIds !== undefined && options.memberIds.length > 0 ? fc.constantFrom(...options.memberIds) : fc.constantFrom('u1', 'u2', 'u3', 'ann', 'bob');
  const roleId = options.roleIds !== undefined && options.roleIds.length > 0 ? fc.constantFrom(...options.roleIds) : roleIdArb();
  const section = options.sectionIds !== undefined && options.sectionIds.length > 0 ? fc.constantFrom(...options.sectionIds) : sectionIdArb();
  return fc.record(
    { id, roleId, groupIds: fc.array(groupIdArb(options.groupIds), { maxLength: 4 }), blockedSections: fc.array(section, { maxLength: 3 }) },
    { requiredKeys: ['id', 'roleId'] },
  );
}

/**
 * An item (deal, contact…): an owner from the pool or none (`null`), and 0–3 groups.
 *
 * @example
 * ```ts
 * itemRefArb({ ownerIds: ['u1', 'u2'] });
 * ```
 */
export function itemRefArb(options: { ownerIds?: readonly string[]; groupIds?: readonly string[] } = {}): fc.Arbitrary<ItemRef> {
  const owner = options.ownerIds !== undefined && options.ownerIds.length > 0 ? fc.constantFrom(...options.ownerIds) : fc.constantFrom('u1', 'u2', 'u3', 'ann', 'bob');
  return fc.record(
    { ownerId: fc.option(owner, { nil: null, freq: 6 }), groupIds: fc.array(groupIdArb(options.groupIds), { maxLength: 3 }) },
    { requiredKeys: ['ownerId'] },
  );
}

/**
 * Role ids that look like a real one but are not: case, spaces, look-alike letters, zero-width
 * characters, control characters, prototype names. As a member's `roleId` each must give no
 * access (unless a role with exactly that id is defined).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileRoleIdArb(), (roleId) => resolveAccess(roles, { id: 'u1', roleId }).scope === 'none'));
 * ```
 */
export function hostileRoleIdArb(): fc.Arbitrary<string> {
  return fc.constantFrom(
    'Admin',
    'ADMIN',
    ' admin',
    'admin ',
    '\u0430dmin', // Cyrillic а
    'admin\u200b', // zero-width space
    'ad\u00admin', // soft hyphen
    '\uff41\uff44\uff4d\uff49\uff4e', // full-width
    'admin\u0000',
    'admin\n',
    '\ud800admin',
    '',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '*',
  );
}

/**
 * Section ids that are not valid slugs (or are prototype names): never enterable.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileSectionIdArb(), (s) => !canEnterSection(adminAccess, s)));
 * ```
 */
export function hostileSectionIdArb(): fc.Arbitrary<string> {
  return fc.constantFrom(
    'Reports',
    'REPORTS',
    ' reports',
    'reports ',
    're\u0440\u043erts', // Cyrillic р, о
    'reports\u200b',
    'reports\u0000',
    '',
    '__proto__',
    'hasOwnProperty',
    '*',
    '-reports',
    'a'.repeat(65),
    'reports/../settings',
    'settings security',
  );
}

/**
 * Member records that are malformed: not objects, wrong types, hostile ids, sparse or
 * poisoned arrays, getters that throw. `resolveAccess` must give each scope `none`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileMemberRecordArb(), (m) => resolveAccess(roles, m as MemberRecord).reason === 'member_invalid'));
 * ```
 */
export function hostileMemberRecordArb(): fc.Arbitrary<unknown> {
  const badId = fc.constantFrom<unknown>('', 'u1\u0000', '\udc00u1', 1, null, undefined, {}, ['u1'], true);
  const badList = fc.oneof(
    fc.constantFrom<unknown>('north', null, 1, {}, { length: 1, 0: 'north' }),
    fc.array(fc.constantFrom<unknown>('', 1, null, undefined, {}, ['north'], 'north\u0000', '\ud800'), { minLength: 1, maxLength: 3 }).map((bad) => ['north', ...bad]),
  );
  const badSections = fc.oneof(
    fc.constantFrom<unknown>('settings', null, 7),
    hostileSectionIdArb().map((s) => ['deals', s]),
  );
  const throwing = fc.constantFrom('id', 'roleId', 'groupIds', 'blockedSections').map((key) => {
    const record: Record<string, unknown> = { id: 'u1', roleId: 'admin', groupIds: [] };
    Object.defineProperty(record, key, {
      enumerable: true,
      get() {
        throw new Error('hostile getter');
      },
    });
    return record;
  });
  const sparse = fc.constant({ id: 'u1', roleId: 'admin', groupIds: [, 'north'] }); // eslint-disable-line no-sparse-arrays
  return fc.oneof(
    fc.constantFrom<unknown>(null, undefined, 0, 'u1', true, [], ['u1', 'admin']),
    badId.map((id) => ({ id, roleId: 'admin', groupIds: [] })),
    badId.map((roleId) => ({ id: 'u1', roleId, groupIds: [] })),
    badList.map((groupIds) => ({ id: 'u1', roleId: 'admin', groupIds })),
    badSections.map((blockedSections) => ({ id: 'u1', roleId: 'admin', groupIds: [], blockedSections })),
    throwing,
    sparse,
  );
}

/**
 * Items that are not items: `canViewItem` must answer `false` (except scope `all` for objects).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileItemRefArb(), (item) => !canViewItem(ownAccess, item as ItemRef)));
 * ```
 */
export function hostileItemRefArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(null, undefined, 0, 'u1', [], true),
    fc.record({
      ownerId: fc.constantFrom<unknown>(undefined, null, 1, {}, ['u1'], '', 'U1', 'u1 ', '\u0075\u0031\u200b'),
      groupIds: fc.constantFrom<unknown>(undefined, null, 'north', ['North'], [1, null], { 0: 'north', length: 1 }, [''], [['north']]),
    }),
  );
}

/**
 * A small world for property tests: roles, members and items drawn from shared pools, so that
 * owners, groups, roles and sections actually meet.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(accessWorldArb(), ({ roles, members, items }) => { ... }));
 * ```
 */
export function accessWorldArb(): fc.Arbitrary<{ roles: RoleDefinition[]; members: MemberRecord[]; items: ItemRef[] }> {
  const memberIds = ['u1', 'u2', 'u3', 'u4'];
  const groupIds = ['north', 'south', 'east'];
  const sectionIds = ['deals', 'contacts', 'reports', 'settings', 'constructor'];
  const roleIds = ['admin', 'member', 'sales', 'lead', 'reports-only'];
  return fc.record({
    roles: roleDefinitionsArb({ ids: roleIds, sectionIds }),
    members: fc.array(memberRecordArb({ memberIds, roleIds: [...roleIds, 'ghost', 'Admin'], groupIds, sectionIds }), { minLength: 1, maxLength: 4 }),
    items: fc.array(itemRefArb({ ownerIds: [...memberIds, 'u9'], groupIds: [...groupIds, 'west'] }), { maxLength: 12 }),
  });
}
