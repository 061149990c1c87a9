// Request-time checks on a resolved Access. An Access may have been cached and deserialised by
// the host, so every check re-reads it defensively and answers false / none when it is odd.
import { isSectionId } from './ids.js';
import { onlyObjectPrototypeHas } from '../stored.js';
import type { Access, ItemRef, SectionMode, VisibilityFilter } from './types.js';

/** Object.prototype, to see whether a polluter gave it an item's field names. */
const OBJECT_PROTOTYPE = Object.prototype as { ownerId?: unknown; groupIds?: unknown };

/**
 * Whether the member may see one item. Agrees with {@link visibilityFilter} on every item:
 * `all` sees every item, `own` sees items whose `ownerId` is the member's id, `group` also sees
 * items assigned to any of the member's groups, `none` sees nothing. Never throws; a malformed
 * access or item is `false`.
 *
 * @example
 * ```ts
 * canViewItem(access, { ownerId: 'u7', groupIds: ['team-north'] }); // true for u7 or team-north
 * canViewItem(access, { ownerId: null });                           // unassigned: only `all`
 * ```
 */
export function canViewItem(access: Access, item: ItemRef): boolean {
  return viewsItem(access, item);
}

// Typed `unknown`: the Access may be a deserialised copy and the item a database row.
function viewsItem(access: unknown, item: unknown): boolean {
  try {
    if (typeof access !== 'object' || access === null || typeof item !== 'object' || item === null) return false;
    const a = access as { scope?: unknown; memberId?: unknown; groupIds?: unknown };
    const i = item as { ownerId?: unknown; groupIds?: unknown };
    switch (a.scope) {
      case 'all':
        return true;
      case 'own':
      case 'group': {
        // Same precondition as visibilityFilter: without a member id there is no owner filter.
        if (typeof a.memberId !== 'string' || a.memberId === '') return false;
        // A field that grants is checked to be the item's own (or its class's): an item
        // without an owner or groups is not shared through a polluted Object.prototype (the
        // SQL filter would not match it either). Checked only where it would grant: it costs.
        if (i.ownerId === a.memberId && (OBJECT_PROTOTYPE.ownerId === undefined || !onlyObjectPrototypeHas(item, 'ownerId'))) return true;
        return a.scope === 'group' && sharesGroup(a.groupIds, i.groupIds) && (OBJECT_PROTOTYPE.groupIds === undefined || !onlyObjectPrototypeHas(item, 'groupIds'));
      }
      default:
        return false;
    }
  } catch {
    return false;
  }
}

function sharesGroup(mine: unknown, theirs: unknown): boolean {
  if (!Array.isArray(mine) || !Array.isArray(theirs)) return false;
  const a = mine as readonly unknown[];
  const b = theirs as readonly unknown[];
  for (const group of b) {
    if (typeof group === 'string' && group !== '' && a.includes(group)) return true;
  }
  return false;
}

/**
 * Whether the member may enter a section, for reading (default) or writing. A blocked section
 * is never entered; otherwise the role decides: no `sections` = every section read-write, a
 * `sections` map = only those, each `read` or `write`. Never throws; a section id that is not
 * a lowercase slug, an unknown mode or a malformed access is `false`.
 *
 * @example
 * ```ts
 * canEnterSection(access, 'reports');                     // read
 * canEnterSection(access, 'reports', { mode: 'write' }); // false for a reports-only role
 * ```
 */
export function canEnterSection(access: Access, section: string, options?: { readonly mode?: SectionMode }): boolean {
  return sectionVerdict(access, section, options) === 'granted';
}

export type SectionVerdict = 'granted' | 'access_invalid' | 'section_invalid' | 'mode_invalid' | 'section_blocked' | 'section_not_granted' | 'section_read_only';

/** The reason behind canEnterSection; shared with explainAccess so the two never disagree. */
export function sectionVerdict(access: unknown, section: unknown, options: unknown): SectionVerdict {
  try {
    if (typeof access !== 'object' || access === null) return 'access_invalid';
    if (!isSectionId(section)) return 'section_invalid';
    let write = false;
    if (options !== undefined) {
      if (typeof options !== 'object' || options === null) return 'mode_invalid';
      const mode = (options as { mode?: unknown }).mode;
      if (mode === 'write') write = true;
      else if (mode !== undefined && mode !== 'read') return 'mode_invalid';
    }
    const { blockedSections, sections } = access as Partial<Record<keyof Access, unknown>>;
    if (!Array.isArray(blockedSections)) return 'access_invalid';
    if ((blockedSections as readonly unknown[]).includes(section)) return 'section_blocked';
    if (typeof sections !== 'object' || sections === null) return 'access_invalid';
    const grant = sections as { kind?: unknown; modes?: unknown };
    if (grant.kind === 'all') return 'granted';
    if (grant.kind !== 'only' || typeof grant.modes !== 'object' || grant.modes === null) return 'access_invalid';
    // Own properties only: `constructor` is a valid section id and must not find Object's.
    const modes = grant.modes as Record<string, unknown>;
    const mode = Object.hasOwn(modes, section) ? modes[section] : undefined;
    if (mode === 'write') return 'granted';
    if (mode === 'read') return write ? 'section_read_only' : 'granted';
    return 'section_not_granted';
  } catch {
    return 'access_invalid';
  }
}

const ALL: VisibilityFilter = Object.freeze({ kind: 'all' });
const NONE: VisibilityFilter = Object.freeze({ kind: 'none' });

/**
 * A tagged, database-neutral description of the items the member may see, for the host to turn
 * into a query (see docs/visibility.md for SQL, Prisma, Drizzle and Knex, and `visibilitySql`).
 * `{ kind: 'all' }` and `{ kind: 'none' }` are distinct values. A `group` scope whose member
 * has no groups is `{ kind: 'owner' }`, so `groupIds` is never empty. Never throws; a malformed
 * access is `none`.
 *
 * @example
 * ```ts
 * const f = visibilityFilter(access);
 * if (f.kind === 'owner') db.deals.findMany({ where: { ownerId: f.ownerId } });
 * ```
 */
export function visibilityFilter(access: Access): VisibilityFilter {
  return filterFor(access);
}

function filterFor(access: unknown): VisibilityFilter {
  try {
    if (typeof access !== 'object' || access === null) return NONE;
    const { scope, memberId, groupIds } = access as { scope?: unknown; memberId?: unknown; groupIds?: unknown };
    if (scope === 'all') return ALL;
    if (scope !== 'own' && scope !== 'group') return NONE;
    if (typeof memberId !== 'string' || memberId === '') return NONE;
    if (scope === 'group') {
      const groups = validGroups(groupIds);
      if (groups.length > 0) return { kind: 'groups', groupIds: groups, ownerId: memberId };
    }
    return { kind: 'owner', ownerId: memberId };
  } catch {
    return NONE;
  }
}

// The same groups canViewItem can match: string, non-empty. Deduplicated and sorted.
function validGroups(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return [];
  const out = new Set<string>();
  for (const group of value as readonly unknown[]) if (typeof group === 'string' && group !== '') out.add(group);
  return Object.freeze([...out].sort());
}
