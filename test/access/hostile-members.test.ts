import { afterEach, describe, expect, it } from 'vitest';
import { canEnterSection, canViewItem, explainAccess, parseRoles, resolveAccess, safeParseRoles, visibilityFilter } from 'staffgate/access';

const roles = parseRoles([{ id: 'lead', visibility: 'group' }]);
const P = Object.prototype as Record<string, unknown>;
afterEach(() => {
  for (const k of ['id', 'roleId', 'groupIds', 'ownerId']) Reflect.deleteProperty(P, k);
});

describe('a polluted Object.prototype grants nothing', () => {
  it('a member without roleId is malformed, not admin', () => {
    P.roleId = 'admin';
    const a = resolveAccess(roles, { id: 'u1' } as never);
    delete P.roleId;
    expect(a.scope).toBe('none');
    expect(a.reason).toBe('member_invalid');
  });
  it('a member without groupIds has no groups', () => {
    P.groupIds = ['g-secret'];
    const a = resolveAccess(roles, { id: 'u1', roleId: 'lead' });
    delete P.groupIds;
    expect(a.groupIds).toEqual([]);
  });
  it('an item without ownerId is not owned through a polluted Object.prototype.ownerId', () => {
    const rep = resolveAccess(parseRoles([{ id: 'rep', visibility: 'own' }]), { id: 'u1', roleId: 'rep' });
    P.ownerId = 'u1';
    const seen = canViewItem(rep, { groupIds: [] } as never);
    const why = explainAccess(rep, { item: { groupIds: [] } as never });
    delete P.ownerId;
    expect(seen).toBe(false);
    expect(why).toMatchObject({ allowed: false, code: 'not_owner' });
  });
  it('a member without an id is malformed, not whoever a polluter names', () => {
    P.id = 'ceo';
    const a = resolveAccess(roles, { roleId: 'lead' } as never);
    delete P.id;
    expect(a.reason).toBe('member_invalid');
  });
  it('an item without groupIds is not shared with a polluted group (canViewItem agrees with the filter)', () => {
    const lead = resolveAccess(roles, { id: 'u1', roleId: 'lead', groupIds: ['g1'] });
    P.groupIds = ['g1'];
    const seen = canViewItem(lead, { ownerId: 'other' });
    delete P.groupIds;
    expect(seen).toBe(false);
  });
});

describe('the member record is read once; what is validated is what is used', () => {
  it('a getter that answers differently on a second read cannot unblock a section', () => {
    let reads = 0;
    const blocked: string[] = [];
    Object.defineProperty(blocked, 0, { get: () => (++reads === 1 ? 'reports' : 'Reports'), enumerable: true });
    const a = resolveAccess(roles, { id: 'u3', roleId: 'member', blockedSections: blocked });
    expect(canEnterSection(a, 'reports')).toBe(false);
    // Also on the path that sorts and deduplicates (entries out of order).
    let reads2 = 0;
    const unsorted: string[] = ['zz'];
    Object.defineProperty(unsorted, 1, { get: () => (++reads2 === 1 ? 'reports' : 'Reports'), enumerable: true });
    const b = resolveAccess(roles, { id: 'u3', roleId: 'member', blockedSections: unsorted });
    expect(canEnterSection(b, 'reports')).toBe(false);
  });
  it('an array whose slice() lies cannot drop a block', () => {
    class Sneaky extends Array<string> {
      override slice(): string[] {
        return [];
      }
    }
    const a = resolveAccess(roles, { id: 'u4', roleId: 'member', blockedSections: Sneaky.from(['reports']) });
    expect(canEnterSection(a, 'reports')).toBe(false);
  });
  it('a getter cannot slip an unvalidated group in', () => {
    let reads = 0;
    const groups: string[] = [];
    Object.defineProperty(groups, 0, { get: () => (++reads === 1 ? 'g1' : 'g-secret'), enumerable: true });
    const a = resolveAccess(roles, { id: 'u5', roleId: 'lead', groupIds: groups });
    expect(visibilityFilter(a)).toEqual({ kind: 'groups', ownerId: 'u5', groupIds: ['g1'] });
  });
});

describe('role ids that are the same text in another Unicode form are duplicates', () => {
  it('café (NFC) and café (NFD) are refused together', () => {
    const r = safeParseRoles([{ id: 'caf\u00e9', visibility: 'none' }, { id: 'cafe\u0301', visibility: 'all' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.path).toEqual([1, 'id']);
  });
});
