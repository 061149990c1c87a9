import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAccountPolicy, parseStaffOverride, resolvePolicy, type AccountPolicy, type EffectivePolicy } from 'staffgate';
import { accountPolicyInputArb, staffOverrideInputArb } from 'staffgate/testing';

const account = accountPolicyInputArb().map((i) => parseAccountPolicy(i));
const override = staffOverrideInputArb({ staffId: 'u_1' }).map((i) => parseStaffOverride(i));
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) });

function settings(p: AccountPolicy | EffectivePolicy): AccountPolicy {
  return { loginMethods: p.loginMethods, twoFactor: p.twoFactor, ipLockdown: p.ipLockdown, loginHours: p.loginHours, lockout: p.lockout, api: p.api, mail: p.mail };
}

describe('resolvePolicy laws', () => {
  it('with no override the effective policy equals the account’s', () => {
    fc.assert(
      fc.property(account, instant, (a, at) => {
        expect(settings(resolvePolicy(a, [], { at }))).toEqual(settings(a));
      }),
    );
  });

  it('resolution is deterministic', () => {
    fc.assert(
      fc.property(account, fc.array(override, { maxLength: 4 }), instant, (a, os, at) => {
        expect(resolvePolicy(a, os, { at })).toEqual(resolvePolicy(a, os, { at }));
      }),
    );
  });

  it('an expired override never changes anything', () => {
    fc.assert(
      fc.property(account, fc.array(override, { maxLength: 3 }), override, instant, (a, os, extra, at) => {
        const expired = parseStaffOverride({ ...extra, expiresAt: new Date(at - 1).toISOString() });
        const without = resolvePolicy(a, os, { at });
        const withIt = resolvePolicy(a, [...os, expired], { at });
        expect(settings(withIt)).toEqual(settings(without));
        expect(withIt.sources).toEqual(without.sources);
        expect(withIt.ignored.map((i) => i.index)).toContain(os.length);
      }),
    );
  });

  it('overrides that touch disjoint fields commute', () => {
    fc.assert(
      fc.property(account, override, override, instant, (a, x, rawY, at) => {
        // Drop from y every group x names, so the two touch disjoint fields.
        const set = Object.fromEntries(Object.entries(rawY.set).filter(([k]) => !(k in x.set)));
        const y = parseStaffOverride({ ...rawY, set });
        const xy = resolvePolicy(a, [x, y], { at });
        const yx = resolvePolicy(a, [y, x], { at });
        expect(settings(xy)).toEqual(settings(yx));
      }),
    );
  });

  it('every field an applied override names has that override as its source, others keep theirs', () => {
    fc.assert(
      fc.property(account, fc.array(override, { minLength: 1, maxLength: 4 }), instant, (a, os, at) => {
        const p = resolvePolicy(a, os, { at });
        const last = new Map<string, number>();
        for (const ap of p.applied) for (const c of ap.changes) last.set(c.field, ap.index);
        for (const [field, source] of Object.entries(p.sources)) {
          const idx = last.get(field);
          if (idx === undefined) expect(source).toEqual({ layer: 'account' });
          else expect(source).toMatchObject({ layer: 'override', overrideIndex: idx });
        }
      }),
    );
  });

  it('a change classified neutral leaves the field as permissive as before', () => {
    fc.assert(
      fc.property(account, override, instant, (a, o, at) => {
        const p = resolvePolicy(a, [{ ...o, expiresAt: undefined } as never], { at });
        for (const c of p.applied[0]?.changes ?? []) {
          if (typeof c.from === 'boolean') expect(c.effect === 'neutral').toBe(c.from === c.to);
        }
      }),
    );
  });
});
