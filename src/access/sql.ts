// visibilitySql: a VisibilityFilter as a parameterised Postgres WHERE fragment. Values always
// travel as parameters; column names are validated and quoted, never interpolated raw.
import { StaffgateError } from '../errors.js';
import type { VisibilityFilter } from './types.js';

/**
 * Column names for {@link visibilitySql}: `column` or `table.column`, plain identifiers.
 *
 * @example
 * ```ts
 * const columns: VisibilitySqlColumns = { ownerColumn: 'deals.owner_id', groupsColumn: 'deals.group_ids' };
 * ```
 */
export interface VisibilitySqlColumns {
  /** Column holding the owner's member id (`text`, or any type the ids cast to). */
  readonly ownerColumn: string;
  /** An array column (`text[]`) of the item's groups: matched with `&&` (overlap). */
  readonly groupsColumn?: string;
  /** Or a single-group column: matched with `= ANY($n)`. Give one of the two for group scopes. */
  readonly groupColumn?: string;
  /** Number of the first placeholder, to splice into a query that already has parameters. Default 1. */
  readonly firstParam?: number;
}

/**
 * A parameterised WHERE fragment, in the `{ text, values }` shape node-postgres and PGlite take.
 *
 * @example
 * ```ts
 * const { text, values } = visibilitySql(filter, columns); // '"owner_id" = $1', ['u7']
 * ```
 */
export interface SqlFragment {
  readonly text: string;
  readonly values: readonly unknown[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Turns a {@link VisibilityFilter} into a Postgres WHERE fragment with `$n` placeholders:
 * `TRUE`, `FALSE`, `"owner_id" = $1`, or `("owner_id" = $1 OR "group_ids" && $2)`. The
 * fragment is self-contained (parenthesised), so it can be ANDed with other conditions.
 * Tested against Postgres (PGlite): it returns exactly the rows `canViewItem` accepts.
 *
 * A filter that is not one of the four shapes yields `FALSE` (fails closed). Bad column
 * options are a programming error and throw `invalid_option`, as does a `groups` filter when
 * neither `groupsColumn` nor `groupColumn` is configured.
 *
 * @example
 * ```ts
 * const where = visibilitySql(visibilityFilter(access), { ownerColumn: 'owner_id', groupsColumn: 'group_ids' });
 * const { rows } = await pg.query(`SELECT * FROM deals WHERE ${where.text} ORDER BY id`, [...where.values]);
 * ```
 */
export function visibilitySql(filter: VisibilityFilter, columns: VisibilitySqlColumns): SqlFragment {
  if (typeof columns !== 'object' || (columns as unknown) === null) {
    throw new StaffgateError('invalid_option', 'columns must be an object such as { ownerColumn: "owner_id", groupsColumn: "group_ids" }');
  }
  const owner = quoteColumn(columns.ownerColumn, 'ownerColumn');
  const groups = columns.groupsColumn === undefined ? undefined : quoteColumn(columns.groupsColumn, 'groupsColumn');
  const group = columns.groupColumn === undefined ? undefined : quoteColumn(columns.groupColumn, 'groupColumn');
  if (groups !== undefined && group !== undefined) {
    throw new StaffgateError('invalid_option', 'give groupsColumn (an array column) or groupColumn (one group per item), not both', { path: ['groupColumn'] });
  }
  const first = columns.firstParam ?? 1;
  if (!Number.isSafeInteger(first) || first < 1 || first > 65_000) {
    throw new StaffgateError('invalid_option', 'firstParam must be an integer from 1 to 65000', { path: ['firstParam'] });
  }
  const shape = readFilter(filter);
  switch (shape.kind) {
    case 'all':
      return { text: 'TRUE', values: [] };
    case 'none':
      return { text: 'FALSE', values: [] };
    case 'owner':
      return { text: `${owner} = $${first}`, values: [shape.ownerId] };
    case 'groups': {
      const match = groups !== undefined ? `${groups} && $${first + 1}` : group !== undefined ? `${group} = ANY($${first + 1})` : undefined;
      if (match === undefined) {
        throw new StaffgateError('invalid_option', 'a group-scoped filter needs groupsColumn or groupColumn', { path: ['groupsColumn'] });
      }
      return { text: `(${owner} = $${first} OR ${match})`, values: [shape.ownerId, [...shape.groupIds]] };
    }
  }
}

type Shape = { kind: 'all' } | { kind: 'none' } | { kind: 'owner'; ownerId: string } | { kind: 'groups'; ownerId: string; groupIds: readonly string[] };

// The filter comes from request-time data (maybe a cached copy): anything odd is `none`.
function readFilter(filter: unknown): Shape {
  try {
    if (typeof filter !== 'object' || filter === null) return { kind: 'none' };
    const f = filter as { kind?: unknown; ownerId?: unknown; groupIds?: unknown };
    if (f.kind === 'all') return { kind: 'all' };
    if (f.kind !== 'owner' && f.kind !== 'groups') return { kind: 'none' };
    if (typeof f.ownerId !== 'string' || f.ownerId === '') return { kind: 'none' };
    if (f.kind === 'owner') return { kind: 'owner', ownerId: f.ownerId };
    if (!Array.isArray(f.groupIds)) return { kind: 'none' };
    const groupIds = (f.groupIds as readonly unknown[]).filter((g): g is string => typeof g === 'string' && g !== '');
    return groupIds.length > 0 ? { kind: 'groups', ownerId: f.ownerId, groupIds } : { kind: 'owner', ownerId: f.ownerId };
  } catch {
    return { kind: 'none' };
  }
}

function quoteColumn(name: unknown, field: string): string {
  if (typeof name !== 'string') throw new StaffgateError('invalid_option', 'a column name must be a string', { path: [field] });
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
    throw new StaffgateError('invalid_option', `"${name}" is not a column name (identifier or table.identifier, letters, digits, _)`, { path: [field] });
  }
  // Always quoted: a camelCase Prisma column keeps its case, a reserved word stays a name.
  return parts.map((p) => `"${p}"`).join('.');
}
