// Public shapes of the access capability. Plain, serialisable data: an Access can be cached in a
// session and sent back; every check re-validates what it reads and fails closed.

/**
 * Which items a role sees: `own` = items whose owner is the member; `group` = own items plus
 * items of any of the member's groups; `all` = every item; `none` = no item.
 *
 * @example
 * ```ts
 * const v: Visibility = 'group';
 * ```
 */
export type Visibility = 'own' | 'group' | 'all' | 'none';

/**
 * How a role may use a section: `read` (view only) or `write` (view and change).
 *
 * @example
 * ```ts
 * const sections: Record<string, SectionMode> = { reports: 'read', deals: 'write' };
 * ```
 */
export type SectionMode = 'read' | 'write';

/**
 * A role as the host stores it (JSON). `admin` and `member` are built in; a role with the same
 * id replaces the built-in one.
 *
 * @example
 * ```ts
 * const sales: RoleDefinition = { id: 'sales', visibility: 'own', sections: { deals: 'write', contacts: 'write' } };
 * ```
 */
export interface RoleDefinition {
  /** Compared exactly (case-sensitive, no trimming). */
  readonly id: string;
  readonly visibility: Visibility;
  /** Omitted = every section, read-write. Given = only these sections (`{}` = no section). */
  readonly sections?: Readonly<Record<string, SectionMode>>;
}

/**
 * A staff member as the host knows them at request time. Checked on every call; a malformed
 * record never throws, it resolves to no access (`member_invalid`).
 *
 * @example
 * ```ts
 * const member: MemberRecord = { id: 'u7', roleId: 'sales', groupIds: ['team-north'], blockedSections: ['settings'] };
 * ```
 */
export interface MemberRecord {
  readonly id: string;
  readonly roleId: string;
  /** Omitted = no groups. */
  readonly groupIds?: readonly string[] | undefined;
  /** Sections this member may not enter, whatever the role says. */
  readonly blockedSections?: readonly string[] | undefined;
}

/**
 * An item (deal, contact, ticket…) as far as visibility cares: who owns it and which groups it
 * is assigned to. `ownerId: null` is an unassigned item: only `all`, or a shared group, sees it.
 *
 * @example
 * ```ts
 * const deal: ItemRef = { ownerId: 'u7', groupIds: ['team-north'] };
 * ```
 */
export interface ItemRef {
  readonly ownerId: string | null;
  readonly groupIds?: readonly string[] | null | undefined;
}

/**
 * Sections a role may enter: every section read-write (`all`), or exactly the listed ones
 * (`only`, possibly none). Two tagged values, never `undefined` against `{}`.
 *
 * @example
 * ```ts
 * if (access.sections.kind === 'only') Object.keys(access.sections.modes); // the listed sections
 * ```
 */
export type SectionGrant =
  | { readonly kind: 'all' }
  | { readonly kind: 'only'; readonly modes: Readonly<Record<string, SectionMode>> };

/**
 * Why an {@link Access} is what it is.
 *
 * - `role_builtin`: the member's role is the built-in `admin` or `member`.
 * - `role_defined`: the member's role is one the host defined (or a replaced built-in).
 * - `role_unknown`: no role has the member's `roleId`: no access at all.
 * - `member_invalid`: the member record is malformed: no access at all.
 *
 * @example
 * ```ts
 * if (access.reason === 'member_invalid') log.warn(access.message);
 * ```
 */
export type AccessReasonCode = 'role_builtin' | 'role_defined' | 'role_unknown' | 'member_invalid';

/**
 * What one member may see and enter, resolved by `resolveAccess`. Plain frozen data.
 *
 * @example
 * ```ts
 * const access: Access = resolveAccess(roles, member);
 * session.access = JSON.stringify(access); // plain data; checks re-validate a parsed copy
 * ```
 */
export interface Access {
  /** The member's id ('' when the record was malformed). */
  readonly memberId: string;
  /** The role id the member carries ('' when the record was malformed). */
  readonly roleId: string;
  readonly reason: AccessReasonCode;
  /** A sentence for people: which role, or what was wrong with the record. */
  readonly message: string;
  /** Item visibility. */
  readonly scope: Visibility;
  /** The member's groups, deduplicated and sorted. */
  readonly groupIds: readonly string[];
  /** Sections the role grants, before blocks. */
  readonly sections: SectionGrant;
  /** The member's blocked sections, deduplicated and sorted; they win over `sections`. */
  readonly blockedSections: readonly string[];
}

/**
 * A database-neutral description of the items an {@link Access} may see, for the host to turn
 * into a query. `all` and `none` are distinct tags; `groups` means "owned by `ownerId` OR
 * assigned to any of `groupIds`" (never empty: a group scope without groups is `owner`).
 *
 * @example
 * ```ts
 * const f: VisibilityFilter = visibilityFilter(access);
 * switch (f.kind) { case 'all': case 'none': case 'owner': case 'groups': }
 * ```
 */
export type VisibilityFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'owner'; readonly ownerId: string }
  | { readonly kind: 'groups'; readonly groupIds: readonly string[]; readonly ownerId: string };
