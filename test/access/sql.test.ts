// The SQL recipe of docs/visibility.md, run against a real Postgres (PGlite, in memory): the
// rows the WHERE fragment returns must be exactly the items canViewItem accepts.
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffgateError } from '../../src/errors.js';
import {
  canViewItem,
  parseRoles,
  resolveAccess,
  visibilityFilter,
  visibilitySql,
  type Access,
  type ItemRef,
  type VisibilityFilter,
} from 'staffgate/access';
import { itemRefArb, memberRecordArb, roleDefinitionsArb } from '../../src/testing/access.js';

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.exec(`
    CREATE TABLE deals (id integer PRIMARY KEY, owner_id text, group_ids text[] NOT NULL DEFAULT '{}');
    CREATE TABLE tickets (id integer PRIMARY KEY, "ownerId" text, "groupId" text);
  `);
}, 60_000);

afterAll(async () => {
  await db.close();
});

async function loadDeals(items: readonly ItemRef[]): Promise<void> {
  await db.exec('DELETE FROM deals');
  for (const [id, item] of items.entries()) {
    await db.query('INSERT INTO deals (id, owner_id, group_ids) VALUES ($1, $2, $3)', [id, item.ownerId, [...(item.groupIds ?? [])]]);
  }
}

async function visibleDealIds(access: Access): Promise<number[]> {
  const where = visibilitySql(visibilityFilter(access), { ownerColumn: 'owner_id', groupsColumn: 'group_ids' });
  const result = await db.query<{ id: number }>(`SELECT id FROM deals WHERE ${where.text} ORDER BY id`, [...where.values]);
  return result.rows.map((r) => r.id);
}

function expectedIds(access: Access, items: readonly ItemRef[]): number[] {
  return items.flatMap((item, id) => (canViewItem(access, item) ? [id] : []));
}

const roles = parseRoles([
  { id: 'sales', visibility: 'own', sections: { deals: 'write' } },
  { id: 'sales-lead', visibility: 'group', sections: { deals: 'write', reports: 'read' } },
  { id: 'reports-only', visibility: 'none', sections: { reports: 'read' } },
]);

// Ids that would break naive string building: quotes, SQL, array-literal syntax, NULL, unicode.
const nastyIds = ["O'Brien", 'x"); DROP TABLE deals; --', 'NULL', '{north}', 'a,b', ' spaced ', 'ünï', '😀', '\\', '$1', 'north'];

describe('visibilitySql: the fragment for each filter', () => {
  const columns = { ownerColumn: 'owner_id', groupsColumn: 'group_ids' };
  it.each<[string, VisibilityFilter, string, unknown[]]>([
    ['all', { kind: 'all' }, 'TRUE', []],
    ['none', { kind: 'none' }, 'FALSE', []],
    ['owner', { kind: 'owner', ownerId: 'ann' }, '"owner_id" = $1', ['ann']],
    ['groups', { kind: 'groups', ownerId: 'lee', groupIds: ['east', 'north'] }, '("owner_id" = $1 OR "group_ids" && $2)', ['lee', ['east', 'north']]],
  ])('%s', (_label, filter, text, values) => {
    expect(visibilitySql(filter, columns)).toEqual({ text, values });
  });

  it('single-group column uses = ANY, qualified names are quoted per part, firstParam shifts placeholders', () => {
    expect(visibilitySql({ kind: 'groups', ownerId: 'lee', groupIds: ['north'] }, { ownerColumn: 't.ownerId', groupColumn: 't.groupId', firstParam: 3 })).toEqual({
      text: '("t"."ownerId" = $3 OR "t"."groupId" = ANY($4))',
      values: ['lee', ['north']],
    });
  });

  it.each<[string, unknown]>([
    ['not an object', 'all'],
    ['null', null],
    ['unknown kind', { kind: 'everything' }],
    ['owner without id', { kind: 'owner' }],
    ['owner with empty id', { kind: 'owner', ownerId: '' }],
    ['groups without list', { kind: 'groups', ownerId: 'lee' }],
  ])('a malformed filter (%s) is FALSE', (_label, filter) => {
    expect(visibilitySql(filter as VisibilityFilter, columns)).toEqual({ text: 'FALSE', values: [] });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['injection in a column name', { ownerColumn: 'owner_id; DROP TABLE deals' }, 'ownerColumn'],
    ['quote in a column name', { ownerColumn: 'owner"id' }, 'ownerColumn'],
    ['three-part name', { ownerColumn: 'a.b.c' }, 'ownerColumn'],
    ['empty column', { ownerColumn: '' }, 'ownerColumn'],
    ['bad groups column', { ownerColumn: 'owner_id', groupsColumn: 'group ids' }, 'groupsColumn'],
    ['both group columns', { ownerColumn: 'owner_id', groupsColumn: 'group_ids', groupColumn: 'group_id' }, 'groupColumn'],
    ['firstParam zero', { ownerColumn: 'owner_id', firstParam: 0 }, 'firstParam'],
    ['firstParam fractional', { ownerColumn: 'owner_id', firstParam: 1.5 }, 'firstParam'],
  ])('bad options throw invalid_option: %s', (_label, options, field) => {
    let caught: unknown;
    try {
      visibilitySql({ kind: 'all' }, options as never);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StaffgateError);
    expect((caught as StaffgateError).code).toBe('invalid_option');
    expect((caught as StaffgateError).path).toEqual([field]);
  });

  it.each([null, undefined, 'owner_id'])('columns %j that are not an object throw invalid_option, not a TypeError', (columns) => {
    expect(() => visibilitySql({ kind: 'all' }, columns as never)).toThrow(expect.objectContaining({ name: 'StaffgateError', code: 'invalid_option' }));
  });

  it('a group filter without a group column throws instead of silently dropping the groups', () => {
    expect(() => visibilitySql({ kind: 'groups', ownerId: 'lee', groupIds: ['north'] }, { ownerColumn: 'owner_id' })).toThrow(StaffgateError);
  });
});

describe('visibilitySql against Postgres (PGlite)', () => {
  const items: ItemRef[] = [
    { ownerId: 'ann', groupIds: ['north'] },
    { ownerId: 'bob', groupIds: ['north'] },
    { ownerId: 'bob', groupIds: ['south'] },
    { ownerId: 'lee', groupIds: [] },
    { ownerId: null, groupIds: ['east'] },
    { ownerId: null, groupIds: [] },
    { ownerId: 'ann', groupIds: ['south', 'east'] },
    { ownerId: "O'Brien", groupIds: ['{north}', 'a,b'] },
    { ownerId: 'NULL', groupIds: ['NULL'] },
  ];
  const members = [
    ['sales rep', { id: 'ann', roleId: 'sales', groupIds: ['north'] }],
    ['sales lead', { id: 'lee', roleId: 'sales-lead', groupIds: ['north', 'east'] }],
    ['lead without groups', { id: 'lee', roleId: 'sales-lead', groupIds: [] }],
    ['admin', { id: 'ada', roleId: 'admin', groupIds: [] }],
    ['reports-only', { id: 'rita', roleId: 'reports-only', groupIds: ['north'] }],
    ['unknown role', { id: 'ann', roleId: 'Admin', groupIds: ['north'] }],
    ['malformed member', { id: '', roleId: 'admin', groupIds: [] }],
    ['nasty ids', { id: "O'Brien", roleId: 'sales-lead', groupIds: ['a,b', 'NULL'] }],
    ['id that looks like NULL', { id: 'NULL', roleId: 'sales', groupIds: [] }],
  ] as const;

  it.each(members)('%s: the rows are exactly what canViewItem accepts', async (_label, member) => {
    await loadDeals(items);
    const access = resolveAccess(roles, member);
    const rows = await visibleDealIds(access);
    expect(rows).toEqual(expectedIds(access, items));
  });

  it('the table survives hostile ids (parameters, not string building)', async () => {
    await loadDeals(nastyIds.map((ownerId) => ({ ownerId, groupIds: [ownerId] })));
    for (const id of nastyIds) {
      const access = resolveAccess(roles, { id, roleId: 'sales-lead', groupIds: [id] });
      expect(await visibleDealIds(access)).toEqual([nastyIds.indexOf(id)]);
    }
    const count = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM deals');
    expect(count.rows[0]?.n).toBe(nastyIds.length);
  });

  it('splices into a larger query with firstParam', async () => {
    await loadDeals(items);
    const access = resolveAccess(roles, { id: 'lee', roleId: 'sales-lead', groupIds: ['north'] });
    const where = visibilitySql(visibilityFilter(access), { ownerColumn: 'owner_id', groupsColumn: 'group_ids', firstParam: 2 });
    const result = await db.query<{ id: number }>(`SELECT id FROM deals WHERE id >= $1 AND ${where.text} ORDER BY id`, [2, ...where.values]);
    expect(result.rows.map((r) => r.id)).toEqual(expectedIds(access, items).filter((id) => id >= 2));
  });

  it('a single group column (camelCase, Prisma-style) works with groupColumn', async () => {
    await db.exec('DELETE FROM tickets');
    const tickets: { ownerId: string | null; groupId: string | null }[] = [
      { ownerId: 'sam', groupId: 'support-eu' },
      { ownerId: 'tom', groupId: 'support-eu' },
      { ownerId: 'tom', groupId: 'support-us' },
      { ownerId: null, groupId: null },
    ];
    for (const [id, t] of tickets.entries()) await db.query('INSERT INTO tickets VALUES ($1, $2, $3)', [id, t.ownerId, t.groupId]);
    const access = resolveAccess(roles, { id: 'sam', roleId: 'sales-lead', groupIds: ['support-eu'] });
    const where = visibilitySql(visibilityFilter(access), { ownerColumn: 'ownerId', groupColumn: 'groupId' });
    const result = await db.query<{ id: number }>(`SELECT id FROM tickets WHERE ${where.text} ORDER BY id`, [...where.values]);
    const expected = tickets.flatMap((t, id) => (canViewItem(access, { ownerId: t.ownerId, groupIds: t.groupId === null ? [] : [t.groupId] }) ? [id] : []));
    expect(result.rows.map((r) => r.id)).toEqual(expected);
    expect(expected).toEqual([0, 1]);
  });

  it('law: for random roles, members and items, Postgres returns exactly the rows canViewItem accepts', async () => {
    const memberIds = ['u1', 'u2', "O'Brien", 'NULL'];
    const groupIds = ['north', 'south', '{east}', 'a,b'];
    const roleIds = ['admin', 'member', 'sales', 'lead', 'ghost'];
    await fc.assert(
      fc.asyncProperty(
        roleDefinitionsArb({ ids: roleIds.slice(0, 4) }),
        fc.array(memberRecordArb({ memberIds, roleIds, groupIds }), { minLength: 1, maxLength: 3 }),
        fc.array(itemRefArb({ ownerIds: [...memberIds, 'u9'], groupIds: [...groupIds, 'west'] }), { maxLength: 10 }),
        async (roleList, memberList, itemList) => {
          const parsed = parseRoles(roleList);
          await loadDeals(itemList);
          for (const member of memberList) {
            const access = resolveAccess(parsed, member);
            expect(await visibleDealIds(access)).toEqual(expectedIds(access, itemList));
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);
});
