import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateLogin, parseAccountPolicy, parseStaffOverride, resolvePolicy, type AccountPolicy, type EffectivePolicy } from 'staffgate';
import { accountPolicyInputArb, ipEntryTextArb, loginAttemptArb } from 'staffgate/testing';
import { governedOverrideInputArb } from '../../src/testing/governance.js';

const at = Date.UTC(2026, 10, 23);
const accountArb = accountPolicyInputArb().map((i) => parseAccountPolicy(i));
const resolve = (a: AccountPolicy): EffectivePolicy => resolvePolicy(a, [], { at });
const with_ = (a: AccountPolicy, patch: object): AccountPolicy => parseAccountPolicy({ ...a, ...patch });

describe('evaluateLogin laws', () => {
  it('the outcome is deterministic', () => {
    fc.assert(
      fc.property(accountArb, loginAttemptArb(), (a, attempt) => {
        const p = resolve(a);
        expect(evaluateLogin(p, attempt)).toEqual(evaluateLogin(p, attempt));
      }),
    );
  });

  it('adding an allowlist entry never turns allow into deny', () => {
    fc.assert(
      fc.property(accountArb, ipEntryTextArb(), loginAttemptArb(), (a, entry, attempt) => {
        const before = evaluateLogin(resolve(a), attempt);
        const after = evaluateLogin(resolve(with_(a, { ipLockdown: { ...a.ipLockdown, allow: [...a.ipLockdown.allow, entry] } })), attempt);
        if (before.outcome === 'allow') expect(after.outcome).toBe('allow');
        if (before.outcome !== 'deny') expect(after.outcome).not.toBe('deny');
      }),
    );
  });

  it('enabling a rule never turns deny into allow (nor deny into challenge)', () => {
    const enable = fc.constantFrom(
      (a: AccountPolicy) => with_(a, { ipLockdown: { ...a.ipLockdown, enabled: true } }),
      (a: AccountPolicy) => with_(a, { loginHours: { ...a.loginHours, enabled: true } }),
      (a: AccountPolicy) => with_(a, { twoFactor: { ...a.twoFactor, required: true } }),
    );
    fc.assert(
      fc.property(accountArb, enable, loginAttemptArb(), (a, turnOn, attempt) => {
        const before = evaluateLogin(resolve(a), attempt);
        const after = evaluateLogin(resolve(turnOn(a)), attempt);
        if (before.outcome === 'deny') expect(after.outcome).toBe('deny');
        if (before.outcome === 'challenge') expect(after.outcome).not.toBe('allow');
      }),
    );
  });

  it('a strengthening override never allows what the account denies', () => {
    // Overrides built to strengthen: fewer methods or factors, 2FA/lockdown/hours switched on,
    // a subset of the allowlist or of the windows.
    const subset = <T>(items: readonly T[], min = 0) => fc.subarray([...items], { minLength: Math.min(min, items.length) });
    const strengthen = (a: AccountPolicy) =>
      fc.oneof(
        subset(a.loginMethods, 1).map((loginMethods) => ({ loginMethods })),
        fc.constant({ twoFactor: { required: true } }),
        subset(a.twoFactor.methods).map((methods) => ({ twoFactor: { methods } })),
        fc.constant({ ipLockdown: { enabled: true } }),
        subset(a.ipLockdown.allow).map((allow) => ({ ipLockdown: { allow } })),
        fc.constant({ loginHours: { enabled: true } }),
        subset(a.loginHours.windows).map((windows) => ({ loginHours: { windows } })),
      );
    const case_ = accountArb.chain((a) => fc.tuple(fc.constant(a), fc.array(strengthen(a), { minLength: 1, maxLength: 3 })));
    fc.assert(
      fc.property(case_, loginAttemptArb(), ([a, sets], attempt) => {
        const set = Object.assign({}, ...sets) as object;
        const p = resolvePolicy(a, [parseStaffOverride({ staffId: 'u', reason: 'property test', set })], { at });
        expect(p.applied[0]?.effect).not.toBe('weakening');
        const base = evaluateLogin(resolve(a), attempt);
        const withOverrides = evaluateLogin(p, attempt);
        if (base.outcome === 'deny') expect(withOverrides.outcome).toBe('deny');
        if (base.outcome === 'challenge') expect(withOverrides.outcome).not.toBe('allow');
      }),
    );
  });

  it('deny reasons and a challenge never come together', () => {
    fc.assert(
      fc.property(accountArb, loginAttemptArb(), (a, attempt) => {
        const d = evaluateLogin(resolve(a), attempt);
        expect(d.outcome === 'challenge').toBe(d.challenge !== undefined);
        expect(d.outcome === 'allow').toBe(d.reasons.length === 0);
      }),
    );
  });
});

describe('a resolved policy kept for later', () => {
  // Overrides of one person expiring on the hour; the policy resolved at one hour, the attempt
  // made at another (as a host that caches resolved policies, or a long session, does).
  const T0 = Date.UTC(2026, 10, 23, 9);
  const hour = (k: number) => T0 + k * 3_600_000;
  const overridesArb = fc.array(
    fc.tuple(governedOverrideInputArb({ staffId: 'sam' }), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined })).map(([o, k]) =>
      parseStaffOverride({ ...o, expiresAt: k === undefined ? undefined : new Date(hour(k)).toISOString() }),
    ),
    { maxLength: 3 },
  );
  const live = (o: { expiresAt?: string }, t: number) => o.expiresAt === undefined || Date.parse(o.expiresAt) > t;

  it('decides as a policy resolved at the attempt would, or denies as stale when an override started or ended between', () => {
    fc.assert(
      fc.property(accountArb, overridesArb, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), loginAttemptArb(), (a, overrides, r, t, attempt) => {
        const at = hour(t);
        const kept = evaluateLogin(resolvePolicy(a, overrides, { at: hour(r), staffId: 'sam' }), { ...attempt, at });
        const fresh = evaluateLogin(resolvePolicy(a, overrides, { at, staffId: 'sam' }), { ...attempt, at });
        if (overrides.every((o) => live(o, hour(r)) === live(o, at))) {
          expect(kept).toEqual(fresh);
        } else {
          expect(kept).toMatchObject({ outcome: 'deny', reasons: [{ code: 'attempt_invalid', source: 'sam' }] });
          expect(kept.reasons[0]?.detail).toContain('resolve the policy again');
        }
      }),
    );
  });
});

