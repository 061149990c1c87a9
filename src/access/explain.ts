// explainAccess: the same decisions as canViewItem / canEnterSection, with the chain of facts
// that led to them (member -> role -> scope -> owner / group, or -> blocked / section).
import { canViewItem, sectionVerdict } from './check.js';
import { storedField } from '../stored.js';
import type { Access, ItemRef, SectionMode, Visibility } from './types.js';

/**
 * Stable reason codes of an {@link AccessExplanation}.
 *
 * Items, allowed: `scope_all`, `owner_match`, `group_match`.
 * Items, denied: `scope_none`, `not_owner` (scope `own`), `no_shared_group` (scope `group`),
 * `item_invalid`.
 * Sections, allowed: `section_granted`. Denied: `section_blocked`, `section_not_granted`,
 * `section_read_only` (write asked, role grants read), `section_invalid` (not a section id),
 * `mode_invalid`.
 * Either: `role_unknown`, `member_invalid` (from resolveAccess), `access_invalid` (not an
 * Access, e.g. a corrupted cached copy).
 *
 * @example
 * ```ts
 * if (explainAccess(access, { item }).code === 'group_match') showBadge('team');
 * ```
 */
export type AccessExplainCode =
  | 'scope_all'
  | 'owner_match'
  | 'group_match'
  | 'scope_none'
  | 'not_owner'
  | 'no_shared_group'
  | 'item_invalid'
  | 'section_granted'
  | 'section_blocked'
  | 'section_not_granted'
  | 'section_read_only'
  | 'section_invalid'
  | 'mode_invalid'
  | 'role_unknown'
  | 'member_invalid'
  | 'access_invalid';

/**
 * One link of the chain, in order: member, role, then scope/owner/group or blocked/section.
 *
 * @example
 * ```ts
 * explainAccess(access, { item }).chain.map((s) => s.step); // ['member', 'role', 'scope', 'owner', 'group']
 * ```
 */
export type AccessStep =
  | { readonly step: 'member'; readonly memberId: string; readonly valid: boolean; readonly message: string }
  | { readonly step: 'role'; readonly roleId: string; readonly source: 'builtin' | 'defined' | 'unknown'; readonly message: string }
  | { readonly step: 'scope'; readonly scope: Visibility; readonly message: string }
  | { readonly step: 'owner'; readonly ownerId: string | null; readonly matches: boolean; readonly message: string }
  | { readonly step: 'group'; readonly sharedGroupIds: readonly string[]; readonly message: string }
  | { readonly step: 'blocked'; readonly section: string; readonly message: string }
  | { readonly step: 'section'; readonly section: string; readonly grant: 'every' | SectionMode | 'none'; readonly message: string };

/**
 * The answer to "why can (or can't) this member see this item / enter this section?".
 *
 * @example
 * ```ts
 * const { allowed, code, message } = explainAccess(access, { section: 'reports' });
 * ```
 */
export interface AccessExplanation {
  /** Exactly what canViewItem / canEnterSection answer for the same input. */
  readonly allowed: boolean;
  readonly code: AccessExplainCode;
  readonly message: string;
  readonly chain: readonly AccessStep[];
}

/**
 * What to explain: an item, or a section (for reading unless `mode: 'write'`).
 *
 * @example
 * ```ts
 * const target: AccessTarget = { section: 'reports', mode: 'write' };
 * ```
 */
export type AccessTarget = { readonly item: ItemRef } | { readonly section: string; readonly mode?: SectionMode };

const SCOPES: readonly unknown[] = ['all', 'group', 'own', 'none'];

/**
 * Explains a visibility or section decision as a chain: member → role → scope → owner → group
 * (items) or member → role → blocked → section (sections). `allowed` always equals what
 * `canViewItem` / `canEnterSection` return. Never throws.
 *
 * @example
 * ```ts
 * const why = explainAccess(access, { item: { ownerId: 'u9', groupIds: ['team-north'] } });
 * why.code;    // 'group_match'
 * why.chain;   // role "sales-lead" -> scope group -> owner u9 is not u7 -> shared group team-north
 * explainAccess(access, { section: 'settings' }).code; // 'section_blocked'
 * ```
 */
export function explainAccess(access: Access, target: AccessTarget): AccessExplanation {
  return explain(access, target);
}

// What explain reads of an Access, typed loosely: it may be a corrupted cached copy.
interface LooseAccess {
  readonly scope: Visibility;
  readonly memberId?: unknown;
  readonly roleId?: unknown;
  readonly reason?: unknown;
  readonly message?: unknown;
  readonly groupIds?: unknown;
  readonly sections?: unknown;
}

type Head = 'role_unknown' | 'member_invalid' | undefined;

function explain(access: unknown, target: unknown): AccessExplanation {
  try {
    if (typeof access !== 'object' || access === null || !SCOPES.includes((access as { scope?: unknown }).scope)) {
      return done(false, 'access_invalid', 'not a resolved access', []);
    }
    const a = access as LooseAccess;
    if (typeof target !== 'object' || target === null) return done(false, 'access_invalid', 'no target given (an item or a section)', []);
    const chain: AccessStep[] = [];
    const head = headOfChain(a, chain);
    if ('item' in target) return explainItem(a, target.item, chain, head);
    if ('section' in target) return explainSection(a, target, chain, head);
    return done(false, 'access_invalid', 'the target names neither an item nor a section', chain);
  } catch {
    return done(false, 'access_invalid', 'the access or target could not be read', []);
  }
}

// The member and role links; returns the deny code when resolveAccess already refused access.
function headOfChain(a: LooseAccess, chain: AccessStep[]): Head {
  const memberId = text(a.memberId);
  const roleId = text(a.roleId);
  if (a.reason === 'member_invalid') {
    chain.push({ step: 'member', memberId, valid: false, message: text(a.message) });
    return 'member_invalid';
  }
  chain.push({ step: 'member', memberId, valid: true, message: `member "${memberId}"` });
  if (a.reason === 'role_unknown') {
    chain.push({ step: 'role', roleId, source: 'unknown', message: `no role has the id "${roleId}": no access` });
    return 'role_unknown';
  }
  const source = a.reason === 'role_builtin' ? 'builtin' : 'defined';
  chain.push({ step: 'role', roleId, source, message: `role "${roleId}" (${source === 'builtin' ? 'built in' : 'defined by the workspace'})` });
  return undefined;
}

function explainItem(a: LooseAccess, item: unknown, chain: AccessStep[], head: Head): AccessExplanation {
  const allowed = canViewItem(a as Access, item as ItemRef);
  const scope = a.scope;
  const roleId = text(a.roleId);
  chain.push({ step: 'scope', scope, message: scopeText(scope) });
  if (head !== undefined) return done(allowed, head, head === 'role_unknown' ? 'unknown role: no item is visible' : 'malformed member record: no item is visible', chain);
  if (scope === 'none') return done(allowed, 'scope_none', `role "${roleId}" sees no items`, chain);
  if (typeof item !== 'object' || item === null) return done(allowed, 'item_invalid', 'the item is not an object', chain);
  if (scope === 'all') return done(allowed, 'scope_all', `role "${roleId}" sees every item`, chain);
  const memberId = a.memberId;
  if (typeof memberId !== 'string' || memberId === '') return done(allowed, 'access_invalid', 'the access has no member id', chain);
  const i = { ownerId: storedField(item, 'ownerId'), groupIds: storedField(item, 'groupIds') };
  const ownerId = typeof i.ownerId === 'string' ? i.ownerId : null;
  const owns = ownerId === memberId;
  chain.push({
    step: 'owner',
    ownerId,
    matches: owns,
    message: owns ? `the item's owner is the member "${memberId}"` : ownerId === null ? 'the item has no owner' : `the item's owner "${ownerId}" is not the member "${memberId}"`,
  });
  if (owns) return done(allowed, 'owner_match', 'visible: the member owns the item', chain);
  if (scope === 'own') return done(allowed, 'not_owner', 'hidden: scope "own" sees only items the member owns', chain);
  const mine: readonly unknown[] = Array.isArray(a.groupIds) ? a.groupIds : [];
  const theirs: readonly unknown[] = Array.isArray(i.groupIds) ? i.groupIds : [];
  const shared = [...new Set(theirs.filter((g): g is string => typeof g === 'string' && g !== '' && mine.includes(g)))].sort();
  chain.push({
    step: 'group',
    sharedGroupIds: shared,
    message:
      shared.length > 0
        ? `the item is assigned to the member's group${shared.length > 1 ? 's' : ''} ${shared.map((g) => `"${g}"`).join(', ')}`
        : "the item is assigned to none of the member's groups",
  });
  return shared.length > 0
    ? done(allowed, 'group_match', "visible: the item belongs to one of the member's groups", chain)
    : done(allowed, 'no_shared_group', "hidden: the member neither owns the item nor shares a group with it", chain);
}

function explainSection(a: LooseAccess, target: { section: unknown; mode?: unknown }, chain: AccessStep[], head: Head): AccessExplanation {
  const options = 'mode' in target ? { mode: target.mode } : undefined;
  const verdict = sectionVerdict(a, target.section, options);
  const allowed = verdict === 'granted';
  const name = text(target.section);
  if (verdict === 'access_invalid') return done(allowed, 'access_invalid', 'the access could not be read', chain);
  if (verdict === 'section_invalid') return done(allowed, 'section_invalid', 'not a section id (lowercase slug)', chain);
  if (verdict === 'mode_invalid') return done(allowed, 'mode_invalid', 'mode is "read" or "write"', chain);
  if (verdict === 'section_blocked') {
    chain.push({ step: 'blocked', section: name, message: `section "${name}" is blocked for this member, whatever the role says` });
    return done(allowed, 'section_blocked', `denied: "${name}" is blocked for this member`, chain);
  }
  const grant = grantOf(a.sections, name);
  chain.push({
    step: 'section',
    section: name,
    grant,
    message:
      grant === 'every'
        ? 'the role enters every section, read-write'
        : grant === 'none'
          ? `the role does not list "${name}"`
          : `the role grants "${name}" ${grant === 'read' ? 'read-only' : 'read-write'}`,
  });
  if (head !== undefined) return done(allowed, head, head === 'role_unknown' ? 'unknown role: no section' : 'malformed member record: no section', chain);
  if (verdict === 'granted') return done(allowed, 'section_granted', `allowed: the role grants "${name}"`, chain);
  if (verdict === 'section_read_only') return done(allowed, 'section_read_only', `denied: "${name}" is read-only for this role`, chain);
  return done(allowed, 'section_not_granted', `denied: the role does not grant "${name}"`, chain);
}

// sectionVerdict has already checked the grant's shape when we get here.
function grantOf(sections: unknown, name: string): 'every' | SectionMode | 'none' {
  const grant = sections as { kind?: unknown; modes?: Record<string, unknown> };
  if (grant.kind === 'all') return 'every';
  const modes = grant.modes ?? {};
  const mode = Object.hasOwn(modes, name) ? modes[name] : undefined;
  return mode === 'read' || mode === 'write' ? mode : 'none';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function scopeText(scope: Visibility): string {
  switch (scope) {
    case 'all':
      return 'scope "all": every item';
    case 'group':
      return "scope \"group\": own items and items of the member's groups";
    case 'own':
      return 'scope "own": only items the member owns';
    case 'none':
      return 'scope "none": no items';
  }
}

function done(allowed: boolean, code: AccessExplainCode, message: string, chain: readonly AccessStep[]): AccessExplanation {
  return { allowed, code, message, chain };
}
