import {
  canEnterSection,
  canViewItem,
  explainAccess,
  parseRoles,
  resolveAccess,
  safeParseRoles,
  visibilityFilter,
  visibilitySql,
  type Access,
  type ItemRef,
} from 'staffgate/access';
import type { Printer } from './print.js';

// The seeds' "team access levels" passages: administrators and team members by default, custom
// roles per department that see their own items or their group's, a Reports-only access level,
// and specific people blocked from selected sections.
export default function accessScenes(out: Printer): void {
  const roles = parseRoles([
    { id: 'sales', visibility: 'own', sections: { deals: 'write', contacts: 'write' } },
    { id: 'sales-lead', visibility: 'group', sections: { deals: 'write', contacts: 'write', reports: 'read' } },
    { id: 'support', visibility: 'group', sections: { tickets: 'write', contacts: 'read' } },
    { id: 'reports-only', visibility: 'none', sections: { reports: 'read' } },
  ]);
  const deals: (ItemRef & { id: number; title: string })[] = [
    { id: 41, title: 'Acme renewal', ownerId: 'ann', groupIds: ['sales-north'] },
    { id: 42, title: 'Globex upsell', ownerId: 'bob', groupIds: ['sales-north'] },
    { id: 43, title: 'Initech pilot', ownerId: 'ann', groupIds: ['sales-north'] },
    { id: 44, title: 'Umbrella tender', ownerId: 'cho', groupIds: ['sales-south'] },
    { id: 45, title: 'Inbound lead, unassigned', ownerId: null, groupIds: ['sales-north'] },
  ];
  const visible = (access: Access): string => {
    const ids = deals.filter((d) => canViewItem(access, d)).map((d) => `#${d.id}`);
    return ids.length > 0 ? ids.join(', ') : '(none)';
  };
  const sections = (access: Access): string =>
    ['deals', 'contacts', 'reports', 'tickets', 'settings']
      .map((s) => `${s}: ${canEnterSection(access, s, { mode: 'write' }) ? 'read-write' : canEnterSection(access, s) ? 'read-only' : '—'}`)
      .join(', ');

  out.scene('Team access: a sales rep sees only their own deals');
  const ann = resolveAccess(roles, { id: 'ann', roleId: 'sales', groupIds: ['sales-north'] });
  out.say('Ann has the "sales" role: visibility "own". She sees deals assigned to her, even though she is in the north team.');
  out.show('deals Ann sees', visible(ann));
  out.show('sections', sections(ann));
  out.show('why not #42?', explainAccess(ann, { item: deals[1]! }).chain.map((s) => s.message).join(' → '));
  out.show('what the database is asked', visibilitySql(visibilityFilter(ann), { ownerColumn: 'owner_id', groupsColumn: 'group_ids' }));

  out.scene('Team access: the sales lead sees everything assigned to the group');
  const lee = resolveAccess(roles, { id: 'lee', roleId: 'sales-lead', groupIds: ['sales-north'] });
  out.say('Lee leads the north team: visibility "group" = own deals plus every deal assigned to a team Lee belongs to.');
  out.show('deals Lee sees', visible(lee));
  const why = explainAccess(lee, { item: deals[1]! });
  out.show('why can Lee see deal #42?', `${why.code}: ${why.chain.map((s) => s.message).join(' → ')}`);
  out.show('filter', visibilityFilter(lee));
  out.show('as SQL', visibilitySql(visibilityFilter(lee), { ownerColumn: 'owner_id', groupsColumn: 'group_ids' }));

  out.scene('Team access: a Reports-only user sees reports and nothing else');
  const rita = resolveAccess(roles, { id: 'rita', roleId: 'reports-only', groupIds: ['sales-north'] });
  out.say('"If you have a user who just logs in to view reports, then perhaps it\'s better to give them Reports-only access."');
  out.show('deals Rita sees', visible(rita));
  out.show('sections', sections(rita));
  out.show('may Rita edit a report?', explainAccess(rita, { section: 'reports', mode: 'write' }).message);
  out.show('filter', visibilityFilter(rita));

  out.scene('Team access: administrators and team members (the built-in roles)');
  const ada = resolveAccess(roles, { id: 'ada', roleId: 'admin', groupIds: [] });
  const max = resolveAccess(roles, { id: 'max', roleId: 'member', groupIds: ['sales-south'] });
  out.say('Without any custom role, "admin" sees every item and every section; "member" sees its own items (and every section).');
  out.show('deals the admin sees', visible(ada));
  out.show('deals a plain member (max) sees', visible(max));

  out.scene('Team access: a member blocked from a section');
  const bob = resolveAccess(roles, { id: 'bob', roleId: 'sales-lead', groupIds: ['sales-north'], blockedSections: ['reports'] });
  const dan = resolveAccess(roles, { id: 'dan', roleId: 'admin', groupIds: [], blockedSections: ['settings'] });
  out.say('Bob leads a team too, but the owner keeps him out of reports; Dan is an admin kept out of the security settings.');
  out.show('Bob: sections', sections(bob));
  out.show('Bob: reports?', explainAccess(bob, { section: 'reports' }).chain.map((s) => s.message).join(' → '));
  out.show('Dan: settings?', `${String(canEnterSection(dan, 'settings'))} (${explainAccess(dan, { section: 'settings' }).code}); deals: ${String(canEnterSection(dan, 'deals', { mode: 'write' }))}`);

  out.scene('Team access: a mistyped role is no access, never admin');
  const typo = resolveAccess(roles, { id: 'eve', roleId: 'Admin', groupIds: ['sales-north'] });
  out.show('Eve (roleId "Admin")', `${typo.scope}: ${typo.message}`);
  out.show('deals Eve sees', visible(typo));
  const broken = resolveAccess(roles, JSON.parse('{"id":"fay","roleId":"sales","groupIds":"sales-north"}') as never);
  out.show('a malformed member record', `${broken.scope}: ${broken.message}`);
  const badRoles = safeParseRoles([{ id: 'support', visibility: 'group', section: { tickets: 'write' } }]);
  out.show('a misspelt role setting', badRoles.ok ? 'accepted?!' : `${badRoles.error.code}: ${badRoles.error.message}`);
}
