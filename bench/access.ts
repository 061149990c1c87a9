// Benchmark of the access capability against casbin (RBAC/ABAC enforcer) and a hand-written
// check. Run: npx tsx bench/access.ts. Not a test: numbers vary with the machine and its load.
import { newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import { compare, report } from './harness.js';
import { canEnterSection, canViewItem, parseRoles, resolveAccess, visibilityFilter, type ItemRef, type RoleDefinition } from 'staffgate/access';

// --- fixtures ---------------------------------------------------------------------------------
const rawRoles: RoleDefinition[] = [
  { id: 'sales', visibility: 'own', sections: { deals: 'write', contacts: 'write' } },
  { id: 'sales-lead', visibility: 'group', sections: { deals: 'write', contacts: 'write', reports: 'read' } },
  { id: 'support', visibility: 'group', sections: { tickets: 'write', contacts: 'read' } },
  { id: 'reports-only', visibility: 'none', sections: { reports: 'read' } },
];
const roles = parseRoles(rawRoles);
const member = { id: 'lee', roleId: 'sales-lead', groupIds: ['g1', 'g2', 'g3', 'g4', 'g5'], blockedSections: ['contacts'] };
const access = resolveAccess(roles, member);

let seed = 42;
function next(n: number): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed % n;
}
const items: ItemRef[] = Array.from({ length: 1_000 }, () => ({
  ownerId: next(10) === 0 ? 'lee' : `u${next(50)}`,
  groupIds: Array.from({ length: next(4) }, () => `g${next(20)}`),
}));
const sections = ['deals', 'contacts', 'reports', 'settings', 'tickets'];

// --- hand-written baseline: what a host might inline -------------------------------------------
const myGroups = new Set(member.groupIds);
const blocked = new Set(member.blockedSections);
const leadSections: Record<string, string> = { deals: 'write', contacts: 'write', reports: 'read' };
const handView = (item: ItemRef): boolean => item.ownerId === member.id || (item.groupIds ?? []).some((g) => myGroups.has(g));
const handSection = (s: string): boolean => !blocked.has(s) && Object.hasOwn(leadSections, s);

// --- casbin: RBAC with deny for sections, ABAC with a custom function for items ---------------
const sectionModel = newModelFromString(`
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act, eft
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))
[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && (r.act == p.act || (r.act == "read" && p.act == "write"))
`);
const sectionPolicy = `
p, sales-lead, deals, write, allow
p, sales-lead, contacts, write, allow
p, sales-lead, reports, read, allow
p, lee, contacts, read, deny
p, lee, contacts, write, deny
g, lee, sales-lead
`;
const sectionEnforcer = await newEnforcer(sectionModel, new StringAdapter(sectionPolicy));

const itemModel = newModelFromString(`
[request_definition]
r = sub, obj
[policy_definition]
p = scope
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = p.scope == r.sub.Scope && (r.sub.Scope == "all" || r.sub.Id == r.obj.ownerId || (r.sub.Scope == "group" && shares(r.sub.Groups, r.obj.groupIds)))
`);
const itemEnforcer = await newEnforcer(itemModel, new StringAdapter('p, group'));
await itemEnforcer.addFunction('shares', (mine: unknown, theirs: unknown) => Array.isArray(theirs) && theirs.some((g) => (mine as Set<string>).has(g as string)));
const casbinSubject = { Id: 'lee', Scope: 'group', Groups: myGroups };

// Sanity: all three agree before anything is timed.
for (const item of items) {
  const expected = canViewItem(access, item);
  if (handView(item) !== expected || itemEnforcer.enforceSync(casbinSubject, item) !== expected) throw new Error('peers disagree on an item');
}
for (const s of sections) {
  const expected = canEnterSection(access, s);
  if (handSection(s) !== expected || sectionEnforcer.enforceSync('lee', s, 'read') !== expected) throw new Error(`peers disagree on section ${s}`);
}

// --- runs -------------------------------------------------------------------------------------
let i = 0;
const pick = <T>(list: readonly T[]): T => list[(i = (i + 1) % list.length)]!;

const HAND_ITEM = 'hand-written check (Set of groups)';
const CASBIN_ITEM = 'casbin enforceSync (ABAC + custom function)';
report('canViewItem (group scope, 5 groups; items with 0-3 groups; CPU time per call)', compare([
  { name: 'staffgate canViewItem', fn: () => canViewItem(access, pick(items)), vs: [HAND_ITEM, CASBIN_ITEM] },
  { name: HAND_ITEM, fn: () => handView(pick(items)) },
  { name: CASBIN_ITEM, fn: () => itemEnforcer.enforceSync(casbinSubject, pick(items)) },
]));

const HAND_SECTION = 'hand-written check';
const CASBIN_SECTION = 'casbin enforceSync (RBAC + deny effect)';
report('canEnterSection (role sections + a blocked section; CPU time per call)', compare([
  { name: 'staffgate canEnterSection', fn: () => canEnterSection(access, pick(sections)), vs: [HAND_SECTION, CASBIN_SECTION] },
  { name: HAND_SECTION, fn: () => handSection(pick(sections)) },
  { name: CASBIN_SECTION, fn: () => sectionEnforcer.enforceSync('lee', pick(sections), 'read') },
]));

const CASBIN_ROLES = 'casbin roleManager.getRoles (roles only)';
report('resolveAccess (per request; CPU time per call)', compare([
  { name: 'staffgate resolveAccess (parsed roles)', fn: () => resolveAccess(roles, member), vs: [CASBIN_ROLES] },
  { name: 'staffgate resolveAccess (raw roles, re-validated)', fn: () => resolveAccess(rawRoles, member), vs: [CASBIN_ROLES] },
  { name: CASBIN_ROLES, fn: () => sectionEnforcer.getRoleManager().getRoles('lee') },
]));

const HAND_FILTER = 'visibilityFilter + hand-written matcher';
const CASBIN_FILTER = 'casbin enforceSync per item';
report('filter 1,000 items in memory (CPU time per filter)', compare([
  { name: 'staffgate items.filter(canViewItem)', fn: () => items.filter((it) => canViewItem(access, it)), vs: [HAND_FILTER, CASBIN_FILTER] },
  { name: HAND_FILTER, fn: () => {
    const f = visibilityFilter(access);
    const groups = f.kind === 'groups' ? new Set(f.groupIds) : new Set<string>();
    return items.filter((it) => f.kind === 'all' || (f.kind !== 'none' && (it.ownerId === f.ownerId || (it.groupIds ?? []).some((g) => groups.has(g)))));
  } },
  { name: CASBIN_FILTER, fn: () => items.filter((it) => itemEnforcer.enforceSync(casbinSubject, it)) },
], { rounds: 9 }));
