import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkChangeSafety,
  compileMailExclusions,
  diffPolicies,
  evaluateLogin,
  evaluateSession,
  isExcludedAddress,
  lintPolicy,
  parseAccountPolicy,
  parseStaffOverride,
  resolvePolicy,
  safeParseAccountPolicy,
  safeParseStaffOverride,
  reviewOverrides,
  type AccountPolicy,
  type LoginDecision,
  type LoginReasonCode,
} from 'staffgate';
import { ipEntryTextArb, loginAttemptArb } from 'staffgate/testing';
import { loginHoursWindowArb } from '../../src/testing/hours.js';
import { adminAccessArb, governedAccountInputArb, governedOverrideInputArb, hostileRuleModeArb, ruleModeArb } from '../../src/testing/governance.js';

const at = Date.UTC(2026, 10, 23, 9);
const accountArb = governedAccountInputArb().map((i) => parseAccountPolicy(i));
const resolve = (a: AccountPolicy) => resolvePolicy(a, [], { at });
// Parsed policies hold readonly arrays, which the input type does not name; parse takes unknown.
const withPatch = (a: AccountPolicy, patch: object): AccountPolicy => parseAccountPolicy({ ...a, ...patch });
const sub = <T>(items: readonly T[]) => fc.subarray([...items]);

// Random edits of a policy, in both directions, so that some diffs only strengthen and some
// weaken.
function editArb(a: AccountPolicy): fc.Arbitrary<object> {
  const bool = fc.boolean();
  const mode = ruleModeArb();
  return fc.oneof(
    fc.subarray(['google', 'microsoft', 'password'] as const, { minLength: 1 }).map((loginMethods) => ({ loginMethods })),
    fc.record({ required: bool, methods: fc.subarray(['totp', 'sms', 'email'] as const), mode }).map((twoFactor) => ({ twoFactor })),
    fc
      .record({ enabled: bool, allow: fc.oneof(sub(a.ipLockdown.allow), fc.array(ipEntryTextArb(), { maxLength: 3 })), mode })
      .map((ipLockdown) => ({ ipLockdown })),
    fc
      .record({ enabled: bool, windows: fc.oneof(sub(a.loginHours.windows), fc.array(loginHoursWindowArb(), { maxLength: 2 })), mode, timezone: fc.constantFrom(a.loginHours.timezone, 'Asia/Tokyo') })
      .map((loginHours) => ({ loginHours })),
  );
}
const pairArb = accountArb.chain((a) => fc.tuple(fc.constant(a), fc.array(editArb(a), { minLength: 1, maxLength: 3 }).map((edits) => withPatch(a, Object.assign({}, ...edits) as object))));

function core(d: LoginDecision) {
  return { ...d, reported: undefined };
}

type Rule = 'ipLockdown' | 'loginHours' | 'twoFactor';
const RULE_CODES: Record<Rule, readonly LoginReasonCode[]> = {
  ipLockdown: ['ip_not_allowed'],
  loginHours: ['outside_login_hours'],
  twoFactor: ['second_factor_required', 'second_factor_enrollment_required'],
};
function setRule(a: AccountPolicy, rule: Rule, on: boolean, mode: 'enforce' | 'report'): AccountPolicy {
  if (rule === 'twoFactor') return withPatch(a, { twoFactor: { ...a.twoFactor, required: on, mode } });
  return withPatch(a, { [rule]: { ...a[rule], enabled: on, mode } });
}
const ruleArb = fc.constantFrom<Rule>('ipLockdown', 'loginHours', 'twoFactor');

describe('governance laws', () => {
  it('a rule mode is "enforce" or "report", spelt exactly; anything else is refused with its path', () => {
    fc.assert(
      fc.property(hostileRuleModeArb(), fc.constantFrom('ipLockdown', 'loginHours', 'twoFactor'), (mode, rule) => {
        const account = safeParseAccountPolicy({ [rule]: { mode } });
        expect(account.ok).toBe(false);
        if (!account.ok) expect(account.error.path).toEqual([rule, 'mode']);
        expect(safeParseStaffOverride({ staffId: 'u', reason: 'Night shift support desk', set: { [rule]: { mode } } }).ok).toBe(false);
      }),
    );
  });

  it('diffPolicies(p, p) is empty', () => {
    fc.assert(
      fc.property(governedAccountInputArb(), (input) => {
        expect(diffPolicies(parseAccountPolicy(input), parseAccountPolicy(input))).toEqual([]);
      }),
    );
  });

  it('a diff names the same fields in both directions', () => {
    fc.assert(
      fc.property(accountArb, accountArb, (p, q) => {
        expect(diffPolicies(q, p).map((c) => c.path)).toEqual(diffPolicies(p, q).map((c) => c.path));
      }),
    );
  });

  it('a diff with no weakening change never makes a denied login allowed (nor a challenged one allowed)', () => {
    let checked = 0;
    fc.assert(
      fc.property(pairArb, fc.array(loginAttemptArb(), { minLength: 1, maxLength: 4 }), ([p, q], attempts) => {
        if (diffPolicies(p, q).some((c) => c.effect === 'weakening')) return;
        checked++;
        for (const attempt of attempts) {
          const before = evaluateLogin(resolve(p), attempt);
          const after = evaluateLogin(resolve(q), attempt);
          if (before.outcome === 'deny') expect(after.outcome).toBe('deny');
          if (before.outcome === 'challenge') expect(after.outcome).not.toBe('allow');
        }
      }),
      { numRuns: 200 },
    );
    expect(checked).toBeGreaterThan(20);
  });

  it('report-only never changes the decision compared with the rule switched off', () => {
    fc.assert(
      fc.property(accountArb, ruleArb, loginAttemptArb(), (a, rule, attempt) => {
        const reportOnly = evaluateLogin(resolve(setRule(a, rule, true, 'report')), attempt);
        const off = evaluateLogin(resolve(setRule(a, rule, false, 'enforce')), attempt);
        expect(core(reportOnly)).toEqual(core(off));
        const session = { ip: attempt.ip, at: attempt.at, loginAt: attempt.at };
        const sReport = evaluateSession(resolve(setRule(a, rule, true, 'report')), session);
        const sOff = evaluateSession(resolve(setRule(a, rule, false, 'enforce')), session);
        expect({ ...sReport, reported: undefined }).toEqual({ ...sOff, reported: undefined });
      }),
    );
  });

  it('a report-only rule reports exactly what enforcing it would do', () => {
    fc.assert(
      fc.property(accountArb, ruleArb, loginAttemptArb(), (a, rule, attempt) => {
        const reported = evaluateLogin(resolve(setRule(a, rule, true, 'report')), attempt);
        const enforced = evaluateLogin(resolve(setRule(a, rule, true, 'enforce')), attempt);
        const mine = (reported.reported ?? []).filter((r) => RULE_CODES[rule].includes(r.code));
        if (mine.length === 0) expect(core(enforced)).toEqual(core(reported));
        if (mine.some((r) => r.wouldBe === 'deny')) expect(enforced.outcome).toBe('deny');
        if (mine.length > 0 && mine.every((r) => r.wouldBe === 'challenge') && reported.outcome !== 'deny') expect(enforced.outcome).toBe('challenge');
      }),
    );
  });

  it('an override’s changes and the diff of the policies it produces agree', () => {
    fc.assert(
      fc.property(accountArb, governedOverrideInputArb({ staffId: 'u' }), (a, raw) => {
        const o = parseStaffOverride({ ...raw, expiresAt: undefined });
        const p = resolvePolicy(a, [o], { at });
        const effective = parseAccountPolicy({ loginMethods: p.loginMethods, twoFactor: p.twoFactor, ipLockdown: p.ipLockdown, loginHours: p.loginHours, api: p.api, mail: p.mail, lockout: p.lockout, layers: a.layers });
        const applied = new Map((p.applied[0]?.changes ?? []).map((c) => [c.field, c.effect]));
        for (const change of diffPolicies(a, effective)) expect(applied.get(change.path as never)).toBe(change.effect);
      }),
    );
  });

  it('a lockout error from the linter means every login is denied', () => {
    const lockouts = new Set(['ip_lockdown_empty_allowlist', 'login_hours_no_windows', 'two_factor_no_methods']);
    fc.assert(
      fc.property(accountArb, fc.array(loginAttemptArb(), { minLength: 1, maxLength: 4 }), (a, attempts) => {
        const errors = lintPolicy(a, [], { at }).filter((f) => f.severity === 'error' && lockouts.has(f.code));
        for (const e of errors) {
          // An account's error locks everyone out; a layer's, everyone in that layer.
          const layer = /^layers\[(\d+)\]/.exec(e.path);
          const target = layer ? a.layers?.[Number(layer[1])]?.appliesTo : undefined;
          const member = target ? { roles: target.roles ?? [], teams: target.teams ?? [] } : undefined;
          const policy = resolvePolicy(a, [], member ? { at, member } : { at });
          for (const attempt of attempts) expect(evaluateLogin(policy, attempt).outcome).toBe('deny');
        }
      }),
    );
  });

  it("a person's findings do not depend on the other people in the list", () => {
    const overridesArb = fc.array(fc.tuple(fc.constantFrom('sam', 'kim', 'ada'), fc.nat()), { maxLength: 6 }).chain((who) =>
      fc.tuple(...who.map(([staffId]) => governedOverrideInputArb({ staffId }))),
    );
    fc.assert(
      fc.property(accountArb, overridesArb, fc.subarray(['sam', 'kim', 'ada']), (a, inputs, admins) => {
        const list = inputs.map((o) => parseStaffOverride(o));
        const all = lintPolicy(a, list, { at, admins });
        for (const staffId of ['sam', 'kim', 'ada']) {
          // Linted alone, with their own overrides only, the paths renumbered to the whole list.
          const indexes = list.flatMap((o, i) => (o.staffId === staffId ? [i] : []));
          const alone = lintPolicy(a, indexes.map((i) => list[i] as (typeof list)[number]), { at, admins })
            .filter((f) => f.staffId === staffId)
            .map((f) => ({ ...f, path: f.path.replace(/^overrides\[(\d+)\]/, (_, k: string) => `overrides[${String(indexes[Number(k)])}]`) }));
          expect(all.filter((f) => f.staffId === staffId)).toEqual(alone);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('checking a policy against itself never blames the change', () => {
    fc.assert(
      fc.property(accountArb, adminAccessArb({ staffId: 'ada' }), fc.array(adminAccessArb(), { maxLength: 3 }), (a, actor, admins) => {
        expect(checkChangeSafety(a, a, { actor, admins, at }).lockedOut.every((l) => !l.causedByChange)).toBe(true);
      }),
    );
  });

  it('a proposal whose rules are all report-only locks nobody out but for the method or an unreadable address', () => {
    fc.assert(
      fc.property(accountArb, accountArb, adminAccessArb({ staffId: 'ada' }), fc.array(adminAccessArb(), { maxLength: 3 }), (current, p, actor, admins) => {
        const proposed = withPatch(p, { ipLockdown: { ...p.ipLockdown, mode: 'report' }, loginHours: { ...p.loginHours, mode: 'report' }, twoFactor: { ...p.twoFactor, mode: 'report' } });
        for (const l of checkChangeSafety(current, proposed, { actor, admins, at }).lockedOut) {
          for (const r of l.reasons) expect(['method_not_allowed', 'ip_invalid']).toContain(r.code);
        }
      }),
    );
  });

  it('every override lands in at most one review list; expired and overdue are exactly the ones past their dates', () => {
    fc.assert(
      fc.property(fc.array(governedOverrideInputArb().map((o) => parseStaffOverride(o)), { maxLength: 6 }), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }), (os, now) => {
        const r = reviewOverrides(os, { at: now });
        const all = [...r.overdue, ...r.due, ...r.expired, ...r.unscheduled].map((i) => i.index);
        expect(new Set(all).size).toBe(all.length);
        const past = (s: string | undefined) => s !== undefined && Date.parse(s) <= now;
        expect(r.expired.map((i) => i.index).sort()).toEqual(os.flatMap((o, i) => (past(o.expiresAt) ? [i] : [])).sort());
        expect(r.overdue.map((i) => i.index).sort()).toEqual(os.flatMap((o, i) => (!past(o.expiresAt) && past(o.reviewBy) ? [i] : [])).sort());
      }),
    );
  });
});

describe('diffPolicies on mail exclusions', () => {
  // Entries over a few nested domains and two mailboxes, spelt in several ways (case, a
  // sub-address, a display name, `*@`), so that random lists overlap, nest and cover each other.
  const DOMAINS = ['acme.test', 'board.acme.test', 'eu.board.acme.test', 'other.test'];
  const LOCALS = ['ceo', 'cfo'];
  const addressArb = fc
    .tuple(fc.constantFrom(...LOCALS), fc.constantFrom(...DOMAINS), fc.constantFrom('', '+x'), fc.boolean(), fc.boolean())
    .map(([local, domain, tag, upper, named]) => {
      const address = `${upper ? local.toUpperCase() : local}${tag}@${domain}`;
      return named ? `Jane Roe <${address}>` : address;
    });
  const entryArb = fc.oneof(addressArb, fc.constantFrom(...DOMAINS.flatMap((d) => [`@${d}`, `*@${d.toUpperCase()}`, `@*.${d}`])));
  const listArb = fc.array(entryArb, { maxLength: 4 });
  // Every mailbox whose fate can differ between two such lists: each local part, and one that no
  // list names, at each domain and at a subdomain of each that no list names.
  const PROBES = [...LOCALS, 'zz'].flatMap((l) => DOMAINS.flatMap((d) => [`${l}@${d}`, `${l}@new.${d}`]));
  const keptOut = (list: string[]) => {
    const exclusions = compileMailExclusions(list);
    return new Set(PROBES.filter((p) => isExcludedAddress(exclusions, p)));
  };
  const mailEffect = (from: string[], to: string[]) =>
    diffPolicies(parseAccountPolicy({ mail: { excluded: from } }), parseAccountPolicy({ mail: { excluded: to } })).find((c) => c.path === 'mail.excluded')?.effect ?? 'neutral';

  it('weakening exactly when some mailbox kept out before gets in after; strengthening when only the reverse', () => {
    fc.assert(
      fc.property(listArb, listArb, (from, to) => {
        const before = keptOut(from);
        const after = keptOut(to);
        const lost = [...before].some((p) => !after.has(p));
        const gained = [...after].some((p) => !before.has(p));
        expect(mailEffect(from, to)).toBe(lost ? 'weakening' : gained ? 'strengthening' : 'neutral');
      }),
      { numRuns: 400 },
    );
  });

  it('re-spelling entries (case, display name) is one neutral change that names no entry added or removed', () => {
    const respell = (entry: string) => (entry.includes('<') ? entry : entry.startsWith('@') ? `*${entry.toUpperCase()}` : `Jane Roe <${entry.toUpperCase()}>`);
    fc.assert(
      fc.property(listArb, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (from, which) => {
        const to = from.map((e, i) => (which[i] === true ? respell(e) : e));
        const changes = diffPolicies(parseAccountPolicy({ mail: { excluded: from } }), parseAccountPolicy({ mail: { excluded: to } }));
        for (const c of changes) {
          expect(c.effect).toBe('neutral');
          expect(c.message).not.toMatch(/added|removed/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('swapping before and after swaps weakening and strengthening', () => {
    const mirror = { weakening: 'strengthening', strengthening: 'weakening', neutral: 'neutral' } as const;
    fc.assert(
      fc.property(listArb, listArb, (from, to) => {
        const forward = mailEffect(from, to);
        const back = mailEffect(to, from);
        // Both directions may weaken (each list keeps out mail the other lets in).
        if (forward !== 'weakening' || back !== 'weakening') expect(back).toBe(mirror[forward]);
      }),
    );
  });
});
