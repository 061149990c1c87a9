import { describe, expect, it } from 'vitest';
import { StaffgateError } from '../../src/errors.js';
import { builtinRoles, parseRoles, resolveAccess, roleDefinitionSchema, safeParseRoles, sectionIdSchema } from 'staffgate/access';

describe('parseRoles: valid definitions', () => {
  it('accepts the seed roles and returns them frozen, sections sorted', () => {
    const roles = parseRoles([
      { id: 'sales', visibility: 'own', sections: { deals: 'write', contacts: 'write' } },
      { id: 'sales-lead', visibility: 'group', sections: { deals: 'write', contacts: 'write', reports: 'read' } },
      { id: 'support', visibility: 'group', sections: { tickets: 'write' } },
      { id: 'reports-only', visibility: 'none', sections: { reports: 'read' } },
      { id: 'auditor', visibility: 'all', sections: {} },
    ]);
    expect(roles).toHaveLength(5);
    expect(Object.isFrozen(roles)).toBe(true);
    expect(Object.isFrozen(roles[0])).toBe(true);
    expect(Object.keys(roles[0]!.sections!)).toEqual(['contacts', 'deals']);
    expect(roles[4]).toEqual({ id: 'auditor', visibility: 'all', sections: {} });
  });

  it('keeps "sections omitted" and "sections: {}" apart', () => {
    const [every, nothing] = parseRoles([
      { id: 'a', visibility: 'own' },
      { id: 'b', visibility: 'own', sections: {} },
    ]);
    expect(every).not.toHaveProperty('sections');
    expect(nothing!.sections).toEqual({});
  });

  it('accepts an empty list (only the built-ins remain)', () => {
    expect(parseRoles([])).toEqual([]);
  });

  it.each([
    ['plain slug', 'reports'],
    ['with dash', 'api-keys'],
    ['dotted', 'settings.security'],
    ['colon', 'crm:deals'],
    ['digits first', '2fa'],
    ['prototype name that is a slug', 'constructor'],
    ['64 characters', 'a'.repeat(64)],
  ])('section id %s (%s) is valid', (_label, id) => {
    expect(sectionIdSchema.safeParse(id).success).toBe(true);
    expect(() => parseRoles([{ id: 'r', visibility: 'own', sections: { [id]: 'read' } }])).not.toThrow();
  });
});

describe('parseRoles: the built-ins', () => {
  it('ships admin (all, every section) and member (own, every section)', () => {
    expect(builtinRoles).toEqual([
      { id: 'admin', visibility: 'all' },
      { id: 'member', visibility: 'own' },
    ]);
  });

  it('a role with the id "member" replaces the built-in member', () => {
    const roles = parseRoles([{ id: 'member', visibility: 'group', sections: { deals: 'write' } }]);
    const access = resolveAccess(roles, { id: 'u1', roleId: 'member', groupIds: ['north'] });
    expect(access.scope).toBe('group');
    expect(access.reason).toBe('role_defined');
    expect(access.sections).toEqual({ kind: 'only', modes: { deals: 'write' } });
  });

  it('a role with the id "admin" replaces the built-in admin, even with a narrower one', () => {
    const roles = parseRoles([{ id: 'admin', visibility: 'own', sections: { settings: 'write' } }]);
    const access = resolveAccess(roles, { id: 'u1', roleId: 'admin', groupIds: [] });
    expect(access.scope).toBe('own');
    expect(access.reason).toBe('role_defined');
  });
});

describe('parseRoles: bad definitions throw invalid_role with the path', () => {
  const cases: [string, unknown, (string | number)[]][] = [
    ['not an array', { id: 'sales', visibility: 'own' }, []],
    ['null', null, []],
    ['a role that is not an object', ['sales'], [0]],
    ['missing id', [{ visibility: 'own' }], [0, 'id']],
    ['empty id', [{ id: '', visibility: 'own' }], [0, 'id']],
    ['id with leading space', [{ id: ' sales', visibility: 'own' }], [0, 'id']],
    ['id with trailing space', [{ id: 'sales ', visibility: 'own' }], [0, 'id']],
    ['id with a NUL', [{ id: 'sa\u0000les', visibility: 'own' }], [0, 'id']],
    ['id with a lone surrogate', [{ id: 'sales\ud800', visibility: 'own' }], [0, 'id']],
    ['id not a string', [{ id: 7, visibility: 'own' }], [0, 'id']],
    ['missing visibility', [{ id: 'sales' }], [0, 'visibility']],
    ['unknown visibility', [{ id: 'sales', visibility: 'team' }], [0, 'visibility']],
    ['visibility in capitals', [{ id: 'sales', visibility: 'ALL' }], [0, 'visibility']],
    ['misspelt sections key (would mean every section)', [{ id: 'sales', visibility: 'own', section: { deals: 'read' } }], [0]],
    ['sections not an object', [{ id: 'sales', visibility: 'own', sections: ['deals'] }], [0, 'sections']],
    ['sections null', [{ id: 'sales', visibility: 'own', sections: null }], [0, 'sections']],
    ['section mode unknown', [{ id: 'sales', visibility: 'own', sections: { deals: 'admin' } }], [0, 'sections', 'deals']],
    ['section mode boolean', [{ id: 'sales', visibility: 'own', sections: { deals: true } }], [0, 'sections', 'deals']],
    ['section id in capitals', [{ id: 'sales', visibility: 'own', sections: { Reports: 'read' } }], [0, 'sections', 'Reports']],
    ['section id with space', [{ id: 'sales', visibility: 'own', sections: { 'reports ': 'read' } }], [0, 'sections', 'reports ']],
    ['section id Cyrillic look-alike', [{ id: 'sales', visibility: 'own', sections: { 're\u0440orts': 'read' } }], [0, 'sections', 're\u0440orts']],
    ['section id too long', [{ id: 'sales', visibility: 'own', sections: { ['a'.repeat(65)]: 'read' } }], [0, 'sections', 'a'.repeat(65)]],
    ['section id empty', [{ id: 'sales', visibility: 'own', sections: { '': 'read' } }], [0, 'sections', '']],
    ['duplicate ids', [{ id: 'sales', visibility: 'own' }, { id: 'sales', visibility: 'all' }], [1, 'id']],
    ['the second role is bad', [{ id: 'ok', visibility: 'own' }, { id: 'bad', visibility: 'some' }], [1, 'visibility']],
  ];

  it.each(cases)('%s', (_label, input, path) => {
    let caught: unknown;
    try {
      parseRoles(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StaffgateError);
    const error = caught as StaffgateError;
    expect(error.code).toBe('invalid_role');
    expect(error.path).toEqual(path);
    const safe = safeParseRoles(input);
    expect(safe.ok).toBe(false);
    if (!safe.ok) expect(safe.error.path).toEqual(path);
  });

  it('a "__proto__" section from JSON is refused, not silently dropped', () => {
    const input: unknown = JSON.parse('[{"id":"sales","visibility":"own","sections":{"__proto__":"write","deals":"read"}}]');
    const r = safeParseRoles(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.path).toEqual([0, 'sections', '__proto__']);
  });

  it('reports every problem at once in issues', () => {
    const r = safeParseRoles([
      { id: '', visibility: 'own' },
      { id: 'x', visibility: 'nobody', sections: { Deals: 'read' } },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.issues.map((i) => i.path)).toEqual([[0, 'id'], [1, 'visibility'], [1, 'sections', 'Deals']]);
      expect(r.error.issues.every((i) => i.code === 'invalid_role')).toBe(true);
      expect(r.error.message).toContain('[0].id');
    }
  });

  it('resolveAccess with a raw, bad role list throws invalid_role (settings are not request input)', () => {
    expect(() => resolveAccess([{ id: 'sales', visibility: 'mine' } as never], { id: 'u1', roleId: 'sales', groupIds: [] })).toThrow(StaffgateError);
  });

  it('the exported schema is the one parseRoles uses', () => {
    expect(roleDefinitionSchema.safeParse({ id: 'x', visibility: 'own', extra: 1 }).success).toBe(false);
    expect(roleDefinitionSchema.safeParse({ id: 'x', visibility: 'own' }).success).toBe(true);
  });
});

describe('role lists that cannot be read', () => {
  it('a proxy that throws while read is invalid_role, not its own error', () => {
    const hostile = new Proxy([], {
      get() {
        throw new Error('hostile');
      },
    });
    expect(() => resolveAccess(hostile as never, { id: 'u1', roleId: 'lead' })).toThrow(expect.objectContaining({ name: 'StaffgateError', code: 'invalid_role' }));
  });
});
