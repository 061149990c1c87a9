// Role definitions: the zod schemas, parsing into frozen values, and the compiled role table
// that resolveAccess looks members up in.
import * as z from 'zod';
import { StaffgateError, type SafeResult, type StaffgateIssue } from '../errors.js';
import { SECTION_ID, opaqueIdProblem } from './ids.js';
import type { RoleDefinition, SectionGrant, SectionMode, Visibility } from './types.js';

const VISIBILITIES = ['own', 'group', 'all', 'none'] as const;
const MODES = ['read', 'write'] as const;

/**
 * zod schema of a section id: a lowercase ASCII slug (`reports`, `deals`, `api-keys`,
 * `settings.security`), 1–64 characters. Exported for admin UIs and for composing schemas.
 *
 * @example
 * ```ts
 * sectionIdSchema.safeParse('Reports').success; // false: one spelling per section
 * ```
 */
export const sectionIdSchema = z
  .string()
  .regex(SECTION_ID, { error: 'a section id is a lowercase slug: a-z, 0-9 and _ . : - (1–64 characters, starting with a letter or digit)' });

/**
 * zod schema of a role id: non-empty, well-formed text without control characters or
 * surrounding spaces. Compared exactly, so `Admin` is not `admin`.
 *
 * @example
 * ```ts
 * roleIdSchema.safeParse(' sales').success; // false
 * ```
 */
export const roleIdSchema = z.string().check((ctx) => {
  const problem = opaqueIdProblem(ctx.value) ?? (ctx.value.trim() !== ctx.value ? 'must not start or end with spaces' : undefined);
  if (problem !== undefined) ctx.issues.push({ code: 'custom', message: `a role id ${problem}`, input: ctx.value });
});

const sectionModesSchema = z.preprocess(
  (value, ctx) => {
    // zod drops an own `__proto__` key silently; a grant nobody can see is refused instead.
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) {
      ctx.issues.push({ code: 'custom', message: '"__proto__" is not a section id', input: value, path: ['__proto__'] });
    }
    return value;
  },
  z.record(sectionIdSchema, z.enum(MODES, { error: 'a section is "read" or "write"' }), {
    error: (issue) => (issue.code === 'invalid_key' ? 'a section id is a lowercase slug: a-z, 0-9 and _ . : - (1–64 characters)' : undefined),
  }),
);

/**
 * zod schema of one {@link RoleDefinition}. Unknown keys are refused: a misspelt `section`
 * would otherwise leave `sections` omitted, which means every section.
 *
 * @example
 * ```ts
 * roleDefinitionSchema.parse({ id: 'reports-only', visibility: 'none', sections: { reports: 'read' } });
 * ```
 */
export const roleDefinitionSchema = z.strictObject({
  id: roleIdSchema,
  visibility: z.enum(VISIBILITIES, { error: 'visibility is "own", "group", "all" or "none"' }),
  sections: sectionModesSchema.optional(),
});

/**
 * zod schema of a list of role definitions, ids unique. This is what {@link parseRoles} checks.
 *
 * @example
 * ```ts
 * roleDefinitionsSchema.safeParse([{ id: 'sales', visibility: 'own' }]).success; // true
 * ```
 */
export const roleDefinitionsSchema = z.array(roleDefinitionSchema).check((ctx) => {
  // Ids are compared exactly, but two ids that are the same text in another Unicode form
  // (NFC `café` and NFD `café`) look identical in an admin screen: duplicates too.
  const seen = new Set<string>();
  ctx.value.forEach((role, index) => {
    const key = role.id.normalize('NFC');
    if (seen.has(key)) {
      ctx.issues.push({ code: 'custom', message: `duplicate role id "${role.id}"`, input: role.id, path: [index, 'id'] });
    }
    seen.add(key);
  });
});

/**
 * The built-in roles: `admin` sees every item and enters every section read-write; `member`
 * sees only its own items (the conservative choice) and, like any role without `sections`,
 * enters every section read-write. Define a role with the same id to replace either.
 *
 * @example
 * ```ts
 * builtinRoles.map((r) => r.id); // ['admin', 'member']
 * ```
 */
export const builtinRoles: readonly RoleDefinition[] = Object.freeze([
  Object.freeze({ id: 'admin', visibility: 'all' }),
  Object.freeze({ id: 'member', visibility: 'own' }),
] satisfies RoleDefinition[]);

/**
 * Validates role definitions (JSON the host stores) and returns them frozen and normalised.
 * Pass the result to `resolveAccess`: a parsed list is compiled once and reused, a raw list is
 * re-validated on every call.
 *
 * @throws StaffgateError `invalid_role` with the path of the first bad field (all in `issues`).
 * @example
 * ```ts
 * const roles = parseRoles([
 *   { id: 'sales', visibility: 'own', sections: { deals: 'write', contacts: 'write' } },
 *   { id: 'reports-only', visibility: 'none', sections: { reports: 'read' } },
 * ]);
 * ```
 */
export function parseRoles(input: unknown): readonly RoleDefinition[] {
  const result = safeParseRoles(input);
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * {@link parseRoles} without throwing: `{ ok: true, value }` or `{ ok: false, error }`.
 *
 * @example
 * ```ts
 * const r = safeParseRoles(json);
 * if (!r.ok) console.error(r.error.pathText, r.error.message); // e.g. "[1].sections.Reports: …"
 * ```
 */
export function safeParseRoles(input: unknown): SafeResult<readonly RoleDefinition[]> {
  const parsed = roleDefinitionsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: toError(parsed.error.issues) };
  const roles = Object.freeze(parsed.data.map((role) => freezeRole(role.id, role.visibility, role.sections)));
  TABLES.set(roles, buildTable(roles));
  return { ok: true, value: roles };
}

/** A role as resolveAccess uses it. */
export interface CompiledRole {
  readonly id: string;
  readonly visibility: Visibility;
  readonly sections: SectionGrant;
  readonly source: 'builtin' | 'defined';
}

export type RoleTable = ReadonlyMap<string, CompiledRole>;

// Lists produced by parseRoles are frozen, so their compiled table never goes stale. A WeakMap
// keeps no list alive and holds no state a decision depends on (a miss only costs a re-parse).
const TABLES = new WeakMap<object, RoleTable>();

/** The compiled table for `roles`: cached for parsed lists, validated now (and thrown) for raw ones. */
export function roleTableFor(roles: readonly RoleDefinition[]): RoleTable {
  const cached = TABLES.get(roles);
  if (cached !== undefined) return cached;
  return buildTable(parseRolesUncached(roles));
}

function parseRolesUncached(input: unknown): readonly RoleDefinition[] {
  let parsed: ReturnType<typeof roleDefinitionsSchema.safeParse>;
  try {
    parsed = roleDefinitionsSchema.safeParse(input);
  } catch (cause) {
    // A proxy or getter that throws while the list is read: settings that cannot be read.
    throw new StaffgateError('invalid_role', 'roles could not be read (a getter or proxy threw)', { cause });
  }
  if (!parsed.success) throw toError(parsed.error.issues);
  return parsed.data.map((role) => freezeRole(role.id, role.visibility, role.sections));
}

const EVERY_SECTION: SectionGrant = Object.freeze({ kind: 'all' });

const BUILTIN_TABLE: ReadonlyMap<string, CompiledRole> = new Map(
  builtinRoles.map((role) => [role.id, compileRole(role, 'builtin')] as const),
);

function buildTable(roles: readonly RoleDefinition[]): RoleTable {
  const table = new Map(BUILTIN_TABLE);
  for (const role of roles) table.set(role.id, compileRole(role, 'defined'));
  return table;
}

function compileRole(role: RoleDefinition, source: 'builtin' | 'defined'): CompiledRole {
  let sections: SectionGrant = EVERY_SECTION;
  if (role.sections !== undefined) {
    const modes = Object.create(null) as Record<string, SectionMode>;
    for (const [section, mode] of Object.entries(role.sections)) modes[section] = mode;
    sections = Object.freeze({ kind: 'only', modes: Object.freeze(modes) });
  }
  return Object.freeze({ id: role.id, visibility: role.visibility, sections, source });
}

function freezeRole(id: string, visibility: Visibility, sections: Record<string, SectionMode> | undefined): RoleDefinition {
  if (sections === undefined) return Object.freeze({ id, visibility });
  // Sorted keys give a stable, diff-friendly value; a plain object so it prints and serialises.
  const copy: Record<string, SectionMode> = {};
  for (const key of Object.keys(sections).sort()) copy[key] = sections[key] as SectionMode;
  return Object.freeze({ id, visibility, sections: Object.freeze(copy) });
}

function toError(zodIssues: readonly z.core.$ZodIssue[]): StaffgateError {
  const issues: StaffgateIssue[] = zodIssues.map((issue) => ({
    code: 'invalid_role',
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: issue.message,
  }));
  const first = issues[0] ?? { code: 'invalid_role', path: [], message: 'invalid role definitions' };
  return new StaffgateError('invalid_role', first.message, { path: first.path, issues });
}
