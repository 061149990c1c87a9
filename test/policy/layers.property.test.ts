import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateLogin, parseAccountPolicy, parseStaffOverride, resolvePolicy, type AccountPolicy, type EffectivePolicy, type LoginDecision, type OverrideSet } from 'staffgate';
import { accountPolicyInputArb, loginAttemptArb, policyLayerInputArb, policyMemberArb, staffOverrideInputArb } from 'staffgate/testing';

const at = Date.UTC(2026, 10, 23, 9);
const account = accountPolicyInputArb().map((i) => parseAccountPolicy(i));
const overrides = fc.array(staffOverrideInputArb({ staffId: 'u_1' }).map((i) => parseStaffOverride(i)), { maxLength: 3 });

function withoutLayers(a: AccountPolicy): AccountPolicy {
  const rest: Record<string, unknown> = { ...a };
  Reflect.deleteProperty(rest, 'layers');
  return parseAccountPolicy(rest);
}

/** What a login decides from: every field of the effective policy but its provenance. */
function rules(p: EffectivePolicy): object {
  return { loginMethods: p.loginMethods, twoFactor: p.twoFactor, ipLockdown: p.ipLockdown, loginHours: p.loginHours, lockout: p.lockout, api: p.api, mail: p.mail };
}

const rank: Record<LoginDecision['outcome'], number> = { deny: 0, challenge: 1, allow: 2 };

describe('policy layer laws', () => {
  it('a person in no layer resolves exactly as without layers', () => {
    const outsider = fc.record({ roles: fc.uniqueArray(fc.constantFrom('auditor', 'guest')), teams: fc.uniqueArray(fc.constantFrom('south', 'board')) }, { requiredKeys: [] });
    fc.assert(
      fc.property(account, overrides, outsider, (a, os, member) => {
        expect(resolvePolicy(a, os, { at, member })).toEqual(resolvePolicy(withoutLayers(a), os, { at }));
      }),
    );
  });

  it('without a member the result is the same whatever layers the account has', () => {
    fc.assert(
      fc.property(account, overrides, (a, os) => {
        expect(resolvePolicy(a, os, { at })).toEqual(resolvePolicy(withoutLayers(a), os, { at }));
      }),
    );
  });

  it('a layer that applies to nobody changes nothing', () => {
    const nobody = policyLayerInputArb({ roles: ['nobody'], teams: ['no-team'] }).map((l) => ({ ...l, id: 'for-nobody' }));
    fc.assert(
      fc.property(account, overrides, nobody, policyMemberArb(), fc.nat(3), (a, os, layer, member, k) => {
        const layers = [...(a.layers ?? [])];
        layers.splice(Math.min(k, layers.length), 0, layer as never);
        const withNobody = parseAccountPolicy({ ...a, layers });
        expect(rules(resolvePolicy(withNobody, os, { at, member }))).toEqual(rules(resolvePolicy(a, os, { at, member })));
      }),
    );
  });

  it('every field a layer set names that layer as its source, unless an override or a later layer set it too', () => {
    fc.assert(
      fc.property(account, overrides, policyMemberArb(), (a, os, member) => {
        const p = resolvePolicy(a, os, { at, member });
        for (const [index, applied] of p.applied.entries()) {
          for (const c of applied.changes) {
            const later = p.applied.slice(index + 1).some((x) => x.changes.some((d) => d.field === c.field));
            if (later) continue;
            const source = p.sources[c.field];
            if (applied.kind === 'layer') expect(source).toEqual({ layer: 'layer', layerId: applied.id, layerIndex: applied.index });
            else expect(source.layer).toBe('override');
          }
        }
        // Layers come before overrides, each group in list order.
        const kinds = p.applied.map((x) => x.kind);
        expect(kinds).toEqual([...kinds].sort((x, y) => (x === y ? 0 : x === 'layer' ? -1 : 1)));
      }),
    );
  });

  it('adding a strengthening layer never makes any decision more permissive', () => {
    // A layer built to strengthen what the person has after the existing layers: fewer methods
    // or factors, 2FA, lockdown or hours switched on, a subset of the allowlist or windows.
    const subset = <T>(items: readonly T[], min = 0) => fc.subarray([...items], { minLength: Math.min(min, items.length) });
    const strengthen = (p: EffectivePolicy): fc.Arbitrary<OverrideSet> =>
      fc.oneof(
        subset(p.loginMethods, 1).map((loginMethods) => ({ loginMethods })),
        fc.constant({ twoFactor: { required: true } }),
        subset(p.twoFactor.methods).map((methods) => ({ twoFactor: { methods } })),
        fc.constant({ ipLockdown: { enabled: true } }),
        subset(p.ipLockdown.allow).map((allow) => ({ ipLockdown: { allow } })),
        fc.constant({ loginHours: { enabled: true } }),
        subset(p.loginHours.windows).map((windows) => ({ loginHours: { windows } })),
      );
    const member = { roles: ['sales-lead'], teams: ['sales', 'north'] };
    const case_ = fc
      .tuple(account, overrides)
      .chain(([a, os]) => fc.tuple(fc.constant(a), fc.constant(os), fc.array(strengthen(resolvePolicy(a, [], { at, member })), { minLength: 1, maxLength: 3 })));
    fc.assert(
      fc.property(case_, loginAttemptArb(), ([a, os, sets], attempt) => {
        const set = Object.assign({}, ...sets) as OverrideSet;
        const layer = { id: 'strengthen', reason: 'property test', appliesTo: { teams: ['sales'] }, set };
        const stronger = parseAccountPolicy({ ...a, layers: [...(a.layers ?? []), layer] });
        const withLayer = resolvePolicy(stronger, os, { at, member });
        const added = withLayer.applied.find((x) => x.kind === 'layer' && x.id === 'strengthen');
        expect(added?.effect).not.toBe('weakening');
        const before = evaluateLogin(resolvePolicy(a, os, { at, member }), attempt);
        const after = evaluateLogin(withLayer, attempt);
        expect(rank[after.outcome]).toBeLessThanOrEqual(rank[before.outcome]);
      }),
    );
  });

  it('resolution with layers is deterministic and frozen', () => {
    fc.assert(
      fc.property(account, overrides, policyMemberArb(), (a, os, member) => {
        const p = resolvePolicy(a, os, { at, member });
        expect(p).toEqual(resolvePolicy(a, os, { at, member }));
        expect(Object.isFrozen(p) && Object.isFrozen(p.applied) && p.applied.every((x) => Object.isFrozen(x))).toBe(true);
      }),
    );
  });

});
