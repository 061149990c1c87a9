// resolveAccess: role table + member record -> Access. The member record arrives with the
// request, so nothing about it throws; the role definitions are settings and do.
import { describe, isOpaqueId, isSectionId, opaqueIdProblem } from './ids.js';
import { roleTableFor } from './roles.js';
import { storedField } from '../stored.js';
import type { Access, MemberRecord, RoleDefinition, SectionGrant, Visibility } from './types.js';

/** Object.prototype, to see whether a polluter gave it a member record's field names. */
const PROTO = Object.prototype as { id?: unknown; roleId?: unknown; groupIds?: unknown; blockedSections?: unknown };
const NO_SECTIONS: SectionGrant = Object.freeze({ kind: 'only', modes: Object.freeze(Object.create(null) as Record<string, never>) });
const EMPTY: readonly string[] = Object.freeze([]);

const SCOPE_TEXT: Record<Visibility, string> = {
  all: 'sees every item',
  group: "sees own items and items of the member's groups",
  own: 'sees only items the member owns',
  none: 'sees no items',
};

/**
 * Resolves what one member may see and enter: the member's role (built-in or defined) gives the
 * visibility scope and the sections; the member's blocked sections win over the role.
 *
 * Never throws for the member record: an unknown `roleId` gives scope `none` with reason
 * `role_unknown` (never admin), and a malformed record (missing or empty id, non-string
 * groups, a blocked section that is not a section id, a throwing getter…) gives scope `none`
 * with reason `member_invalid`. Role definitions are settings: pass the output of `parseRoles`
 * (compiled once); a raw list is validated on every call and throws `invalid_role`.
 *
 * @example
 * ```ts
 * const roles = parseRoles([{ id: 'sales-lead', visibility: 'group', sections: { deals: 'write' } }]);
 * const access = resolveAccess(roles, { id: 'u7', roleId: 'sales-lead', groupIds: ['team-north'] });
 * access.scope;                    // 'group'
 * visibilityFilter(access);        // { kind: 'groups', ownerId: 'u7', groupIds: ['team-north'] }
 * ```
 */
export function resolveAccess(roles: readonly RoleDefinition[], member: MemberRecord): Access {
  const table = roleTableFor(roles);
  const read = readMember(member);
  if (!read.ok) {
    return Object.freeze({
      memberId: read.id,
      roleId: read.roleId,
      reason: 'member_invalid',
      message: `member record is malformed (${read.problem}): no access`,
      scope: 'none',
      groupIds: EMPTY,
      sections: NO_SECTIONS,
      blockedSections: EMPTY,
    });
  }
  const role = table.get(read.roleId);
  if (role === undefined) {
    return Object.freeze({
      memberId: read.id,
      roleId: read.roleId,
      reason: 'role_unknown',
      message: `no role has the id "${read.roleId}": no access`,
      scope: 'none',
      groupIds: read.groupIds,
      sections: NO_SECTIONS,
      blockedSections: read.blockedSections,
    });
  }
  const builtin = role.source === 'builtin';
  return Object.freeze({
    memberId: read.id,
    roleId: role.id,
    reason: builtin ? 'role_builtin' : 'role_defined',
    message: `role "${role.id}"${builtin ? ' (built in)' : ''} ${SCOPE_TEXT[role.visibility]}`,
    scope: role.visibility,
    groupIds: read.groupIds,
    sections: role.sections,
    blockedSections: read.blockedSections,
  });
}

type ReadMember =
  | { ok: true; id: string; roleId: string; groupIds: readonly string[]; blockedSections: readonly string[] }
  | { ok: false; id: string; roleId: string; problem: string };

function readMember(member: unknown): ReadMember {
  let id = '';
  let roleId = '';
  try {
    if (typeof member !== 'object' || member === null || Array.isArray(member)) {
      return { ok: false, id, roleId, problem: `expected an object, got ${describe(member)}` };
    }
    const record = member as Record<string, unknown>;
    // Each field read once, as an own (or class) property: a field only a polluted
    // Object.prototype supplies is missing, never a role or a group. (storedField only when
    // Object.prototype has such a field at all: a load by name is several times cheaper.)
    const rawId = PROTO.id === undefined ? record.id : storedField(record, 'id');
    const rawRole = PROTO.roleId === undefined ? record.roleId : storedField(record, 'roleId');
    const idOk = isOpaqueId(rawId);
    const roleOk = isOpaqueId(rawRole);
    if (idOk) id = rawId;
    if (roleOk) roleId = rawRole;
    if (!idOk) return { ok: false, id, roleId, problem: `id ${opaqueIdProblem(rawId) ?? 'is invalid'}` };
    if (!roleOk) return { ok: false, id, roleId, problem: `roleId ${opaqueIdProblem(rawRole) ?? 'is invalid'}` };
    const groups = readList(PROTO.groupIds === undefined ? record.groupIds : storedField(record, 'groupIds'), isOpaqueId, 'groupIds', 'a group id');
    if (typeof groups === 'string') return { ok: false, id, roleId, problem: groups };
    const blocked = readList(PROTO.blockedSections === undefined ? record.blockedSections : storedField(record, 'blockedSections'), isSectionId, 'blockedSections', 'a section id (lowercase slug)');
    if (typeof blocked === 'string') return { ok: false, id, roleId, problem: blocked };
    return { ok: true, id, roleId, groupIds: groups, blockedSections: blocked };
  } catch {
    // A getter or proxy that throws: the record cannot be trusted.
    return { ok: false, id, roleId, problem: 'reading the record threw' };
  }
}

// A list field: omitted = empty; otherwise every entry must pass. Returns the problem text on
// failure, else the entries deduplicated and sorted (already sorted lists are only copied).
function readList(value: unknown, valid: (v: unknown) => boolean, field: string, what: string): readonly string[] | string {
  if (value === undefined) return EMPTY;
  if (!Array.isArray(value)) return `${field} must be an array, got ${describe(value)}`;
  const list: readonly unknown[] = value;
  // Each entry is read once into a copy, and the copy is what is validated and returned: a
  // getter, proxy or Array subclass (its own slice or iterator) cannot swap entries afterwards.
  const length = list.length;
  if (length === 0) return EMPTY;
  const copy: string[] = [];
  let ascending = true;
  for (let i = 0; i < length; i += 1) {
    const entry = list[i];
    if (!valid(entry)) return `${field}[${i}] is not ${what}`;
    if (i > 0 && !((copy[i - 1] as string) < (entry as string))) ascending = false;
    copy.push(entry as string);
  }
  if (ascending) return Object.freeze(copy);
  return Object.freeze([...new Set(copy)].sort());
}
