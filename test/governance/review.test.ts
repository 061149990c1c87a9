import { describe, expect, it } from 'vitest';
import { parseStaffOverride, reviewOverrides, type OverrideReview, type StaffOverrideInput } from 'staffgate';

const at = '2026-11-23T09:00:00Z';
const set = { ipLockdown: { enabled: false } };
const make = (o: Partial<StaffOverrideInput> & { staffId: string }) => parseStaffOverride({ reason: 'Field sales: signs in from customer sites', set, ...o });
const lists = (r: OverrideReview) => ({
  overdue: r.overdue.map((i) => i.staffId),
  due: r.due.map((i) => i.staffId),
  expired: r.expired.map((i) => i.staffId),
  unscheduled: r.unscheduled.map((i) => i.staffId),
});

describe('reviewOverrides', () => {
  const table: { name: string; o: Partial<StaffOverrideInput>; list: keyof ReturnType<typeof lists> | 'none'; dateKind?: string; days?: number }[] = [
    { name: 'review date passed', o: { reviewBy: '2026-11-01T00:00:00Z' }, list: 'overdue', dateKind: 'review', days: -22 },
    { name: 'review date exactly now', o: { reviewBy: at }, list: 'overdue', dateKind: 'review', days: 0 },
    { name: 'review date in 3 days', o: { reviewBy: '2026-11-26T09:00:00Z' }, list: 'due', dateKind: 'review', days: 3 },
    { name: 'review date in 2 hours counts as 1 day left', o: { reviewBy: '2026-11-23T11:00:00Z' }, list: 'due', dateKind: 'review', days: 1 },
    { name: 'review date in 14 days (the default horizon, inclusive)', o: { reviewBy: '2026-12-07T09:00:00Z' }, list: 'due', dateKind: 'review', days: 14 },
    { name: 'review date in 15 days', o: { reviewBy: '2026-12-08T09:00:00Z' }, list: 'none' },
    { name: 'expiring in 5 days, no review date', o: { expiresAt: '2026-11-28T09:00:00Z' }, list: 'due', dateKind: 'expiry', days: 5 },
    { name: 'expiring before its review date: the expiry is what comes due', o: { expiresAt: '2026-11-25T09:00:00Z', reviewBy: '2026-11-30T09:00:00Z' }, list: 'due', dateKind: 'expiry', days: 2 },
    { name: 'review before expiry: the review is what comes due', o: { expiresAt: '2026-11-30T09:00:00Z', reviewBy: '2026-11-25T09:00:00Z' }, list: 'due', dateKind: 'review', days: 2 },
    { name: 'expired', o: { expiresAt: '2026-11-20T09:00:00Z' }, list: 'expired', dateKind: 'expiry', days: -3 },
    { name: 'expiring exactly now is expired', o: { expiresAt: at }, list: 'expired', dateKind: 'expiry', days: 0 },
    { name: 'expired and overdue: only expired', o: { expiresAt: '2026-11-20T09:00:00Z', reviewBy: '2026-11-10T09:00:00Z' }, list: 'expired', dateKind: 'expiry', days: -3 },
    { name: 'overdue and expiring soon: overdue', o: { expiresAt: '2026-11-25T09:00:00Z', reviewBy: '2026-11-10T09:00:00Z' }, list: 'overdue', dateKind: 'review', days: -13 },
    { name: 'no date at all', o: {}, list: 'unscheduled' },
    { name: 'far-off dates', o: { expiresAt: '2027-06-01T00:00:00Z', reviewBy: '2027-03-01T00:00:00Z' }, list: 'none' },
  ];
  it.each(table)('$name → $list', ({ o, list, dateKind, days }) => {
    const r = reviewOverrides([make({ staffId: 'sam', ...o })], { at });
    const expected = { overdue: [] as string[], due: [] as string[], expired: [] as string[], unscheduled: [] as string[] };
    if (list !== 'none') expected[list] = ['sam'];
    expect(lists(r)).toEqual(expected);
    const item = list === 'none' ? undefined : r[list][0];
    if (dateKind !== undefined) expect(item).toMatchObject({ dateKind, days });
  });

  it('says whom an exception covers, why, and what it changes', () => {
    const o = make({ staffId: 'sam', id: 'ovr_7', reviewBy: '2026-11-01T00:00:00Z', createdAt: '2026-05-01T00:00:00Z' });
    expect(reviewOverrides([o], { at }).overdue).toEqual([
      {
        index: 0,
        staffId: 'sam',
        id: 'ovr_7',
        reason: 'Field sales: signs in from customer sites',
        set,
        createdAt: '2026-05-01T00:00:00Z',
        reviewBy: '2026-11-01T00:00:00Z',
        date: '2026-11-01T00:00:00Z',
        dateKind: 'review',
        days: -22,
      },
    ]);
  });

  it('sorts each list most urgent first, and keeps several people’s overrides apart', () => {
    const r = reviewOverrides(
      [
        make({ staffId: 'b', reviewBy: '2026-11-20T00:00:00Z' }),
        make({ staffId: 'a', reviewBy: '2026-10-01T00:00:00Z' }),
        make({ staffId: 'c', reviewBy: '2026-11-30T00:00:00Z' }),
        make({ staffId: 'd', reviewBy: '2026-11-24T00:00:00Z' }),
      ],
      { at },
    );
    expect(lists(r)).toEqual({ overdue: ['a', 'b'], due: ['d', 'c'], expired: [], unscheduled: [] });
    expect(r.overdue.map((i) => i.index)).toEqual([1, 0]);
  });

  it('dueWithinDays widens or narrows the horizon; 0 means only what is overdue', () => {
    const o = [make({ staffId: 'sam', reviewBy: '2027-01-10T09:00:00Z' })];
    expect(reviewOverrides(o, { at }).due).toEqual([]);
    expect(reviewOverrides(o, { at, dueWithinDays: 60 }).due.map((i) => i.days)).toEqual([48]);
    expect(reviewOverrides([make({ staffId: 'sam', reviewBy: '2026-11-23T09:00:01Z' })], { at, dueWithinDays: 0 }).due).toEqual([]);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '7'])('dueWithinDays %j throws invalid_option', (dueWithinDays) => {
    expect(() => reviewOverrides([], { at, dueWithinDays: dueWithinDays as number })).toThrow(expect.objectContaining({ code: 'invalid_option', path: ['dueWithinDays'] }) as Error);
  });

  it('a bad `at` throws invalid_instant; raw overrides are validated with their index', () => {
    expect(() => reviewOverrides([], { at: '2026-11-23' })).toThrow(expect.objectContaining({ code: 'invalid_instant' }) as Error);
    expect(() => reviewOverrides([{ staffId: 'x', reason: 'ok', set: {}, reviewBy: 'soon' }], { at })).toThrow(expect.objectContaining({ path: ['overrides', 0, 'reviewBy'] }) as Error);
  });
});
