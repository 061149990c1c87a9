// The law checks of staffgate/testing: each passes for a faithful subject (one that does what
// staffgate decides) and catches the bugs host glue code really has. A law check that cannot
// catch a bug is worthless, so every law has mutants here; seeds are fixed so a run is
// repeatable, and each mutant is caught by nearly every seed (see the comment per mutant).
import {
  compileMailExclusions,
  evaluateLogin,
  evaluateSession,
  filterTrackedMessages,
  parseIp,
  resolvePolicy,
  resolveClientIp,
  verifyApiKey,
  verifyTotp,
  type ApiKeyRecord,
} from 'staffgate';
import {
  checkApiKeyGuard,
  checkClientIpResolution,
  checkLoginSessions,
  checkMailTracking,
  checkSessionRechecks,
  checkTotpReplay,
  loginHoursInstantArb,
  NOT_APPLICABLE,
  type LawOptions,
} from 'staffgate/testing';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

const seeded: LawOptions = { seed: 20250611, numRuns: 100 };
// A law must catch a realistic bug at the default 100 runs for (nearly) any seed, not only for
// the one seed above: these mutants are checked against several.
const SEEDS = [1, 2, 3, 4, 5];
async function caughtForEverySeed(check: (options: LawOptions) => Promise<void>, message: RegExp): Promise<void> {
  for (const seed of SEEDS) await expect(check({ seed, numRuns: 100 }), `seed ${seed}`).rejects.toThrow(message);
}
const sessionWhenAllowed = (decision: ReturnType<typeof evaluateLogin>) => ({ session: decision.outcome === 'allow' });

describe('checkLoginSessions: only an allowed login yields a session', () => {
  it('holds for a login flow that does what evaluateLogin says', async () => {
    await checkLoginSessions((c) => ({ session: evaluateLogin(c.policy, c.attempt).outcome === 'allow' }), seeded);
  });

  it('catches a flow that starts the session before the second factor (any outcome but deny)', async () => {
    await expect(checkLoginSessions((c) => ({ session: evaluateLogin(c.policy, c.attempt).outcome !== 'deny' }), seeded)).rejects.toThrow(
      /only an allowed login yields a session[\s\S]*evaluateLogin says challenge/,
    );
  });

  it('catches a flow that forgets the IP lockdown', async () => {
    const subject = checkLoginSessions((c) => {
      const policy = { ...c.policy, ipLockdown: { ...c.policy.ipLockdown, enabled: false } };
      return { session: evaluateLogin(policy, c.attempt).outcome === 'allow' };
    }, seeded);
    await expect(subject).rejects.toThrow(/ip_not_allowed/);
  });

  it('catches a flow that reads login hours in UTC instead of the policy zone', async () => {
    const subject = checkLoginSessions((c) => {
      const policy = { ...c.policy, loginHours: { ...c.policy.loginHours, timezone: 'UTC' } };
      return { session: evaluateLogin(policy, c.attempt).outcome === 'allow' };
    }, { ...seeded, hostileIps: false });
    await expect(subject).rejects.toThrow(/only an allowed login yields a session/);
  });

  it('catches a flow that starts the session when it should ask for an enrollment', async () => {
    await caughtForEverySeed(
      (o) =>
        checkLoginSessions((c) => {
          const d = evaluateLogin(c.policy, c.attempt);
          return { session: d.outcome === 'allow' || d.challenge?.step === 'enroll' };
        }, o),
      /evaluateLogin says challenge \(.*second_factor_enrollment_required/,
    );
  });

  it('catches a password flow that skips the e-mailed code', async () => {
    await caughtForEverySeed(
      (o) => checkLoginSessions((c) => sessionWhenAllowed(evaluateLogin(c.policy, { ...c.attempt, verified: [...(c.attempt.verified ?? []), 'email_code'] })), o),
      /email_code_required/,
    );
  });

  it('often generates the case where the e-mailed login code is taken for the `email` factor too', async () => {
    // A step counts once. The bug shows only for a password login, 2FA required with `email`
    // allowed, and only the e-mailed code done: at least 1 case in 200 (at 100 runs the law then
    // catches it more often than not; it was 1 in 1000).
    let cases = 0;
    let differs = 0;
    await checkLoginSessions((c) => {
      cases += 1;
      const allowed = evaluateLogin(c.policy, c.attempt).outcome === 'allow';
      const v = c.attempt.verified ?? [];
      const mutant = evaluateLogin(c.policy, { ...c.attempt, verified: v.includes('email_code') && !v.includes('email') ? [...v, 'email'] : v }).outcome === 'allow';
      if (mutant !== allowed) differs += 1;
      return { session: allowed };
    }, { seed: 1, numRuns: 2000 });
    expect(differs / cases).toBeGreaterThanOrEqual(1 / 200);
  });

  it("catches a flow that takes the identity provider's MFA for the second factor without opting in", async () => {
    const subject = checkLoginSessions((c) => sessionWhenAllowed(evaluateLogin(c.policy, c.attempt, { acceptSsoMfa: true })), seeded);
    await expect(subject).rejects.toThrow(/second_factor/);
    // …and with the opt-in, the same flow is right.
    await checkLoginSessions((c) => sessionWhenAllowed(evaluateLogin(c.policy, c.attempt, { acceptSsoMfa: true })), { ...seeded, loginOptions: { acceptSsoMfa: true } });
  });

  it('catches an app whose settings storage loses the report-only `mode`', async () => {
    const strip = <T extends object>(rule: T): T => Object.fromEntries(Object.entries(rule).filter(([k]) => k !== 'mode')) as T;
    const subject = checkLoginSessions((c) => {
      const account = { ...c.account, ipLockdown: strip(c.account.ipLockdown), loginHours: strip(c.account.loginHours), twoFactor: strip(c.account.twoFactor) };
      const overrides = c.overrides.map((o) => ({ ...o, set: Object.fromEntries(Object.entries(o.set).map(([k, v]) => [k, Array.isArray(v) ? v : strip(v as object)])) }));
      return sessionWhenAllowed(evaluateLogin(resolvePolicy(account, overrides, { at: c.attempt.at, staffId: c.staffId }), c.attempt));
    }, seeded);
    await expect(subject).rejects.toThrow(/only an allowed login yields a session/);
  });

  it('catches a flow that never creates a session (liveness), unless liveness is off', async () => {
    await expect(checkLoginSessions(() => ({ session: false }), seeded)).rejects.toThrow(/no session was created/);
    await checkLoginSessions(() => ({ session: false }), { ...seeded, requireLiveness: false });
  });

  it('generates only the methods, steps and factors the app supports', async () => {
    await checkLoginSessions(
      (c) => {
        expect(c.attempt.method).toBe('password');
        expect(c.attempt.verified?.every((s) => s === 'email_code' || s === 'totp')).toBe(true);
        expect(c.attempt.enrolled?.every((f) => f === 'totp')).toBe(true);
        expect(parseIp(c.attempt.ip).ok).toBe(true);
        return { session: evaluateLogin(c.policy, c.attempt).outcome === 'allow' };
      },
      { ...seeded, numRuns: 40, methods: ['password'], steps: ['email_code', 'totp'], factors: ['totp'], hostileIps: false },
    );
  });

  it('skips the cases a subject cannot express, and still checks the rest', async () => {
    let seen = 0;
    await checkLoginSessions((c) => {
      if (c.attempt.ip.trim() !== c.attempt.ip) return NOT_APPLICABLE;
      seen += 1;
      return { session: evaluateLogin(c.policy, c.attempt).outcome === 'allow' };
    }, seeded);
    expect(seen).toBeGreaterThan(50);
  });

  it('reports a subject that throws as a broken law', async () => {
    await expect(
      checkLoginSessions(() => {
        throw new Error('500 Internal Server Error');
      }, seeded),
    ).rejects.toThrow(/staffgate law broken[\s\S]*500 Internal Server Error/);
  });
});

describe('checkSessionRechecks: a session the policy ends is never continued', () => {
  it('holds for middleware that does what evaluateSession says', async () => {
    await checkSessionRechecks((c) => ({ continued: evaluateSession(c.policy, c.request).outcome === 'continue' }), seeded);
  });

  it('catches middleware that checks the session once, at login, and never again', async () => {
    await expect(checkSessionRechecks(() => ({ continued: true }), seeded)).rejects.toThrow(/evaluateSession ends the session/);
  });

  it('catches middleware that re-checks the address but not the hours', async () => {
    const subject = checkSessionRechecks((c) => {
      const policy = { ...c.policy, loginHours: { ...c.policy.loginHours, enabled: false } };
      return { continued: evaluateSession(policy, c.request).outcome === 'continue' };
    }, seeded);
    await expect(subject).rejects.toThrow(/outside_login_hours/);
  });

  it('catches middleware that signs everyone out (liveness)', async () => {
    await expect(checkSessionRechecks(() => ({ continued: false }), seeded)).rejects.toThrow(/request was refused/);
  });
});

describe('checkApiKeyGuard: a denied API request never reaches the handler', () => {
  it('holds for middleware that does what verifyApiKey says', async () => {
    await checkApiKeyGuard((c) => ({ passed: verifyApiKey(c.record, c.token, c.request, c.policy).outcome === 'allow' }), seeded);
  });

  it('catches middleware that forgets the workspace API allowlist', async () => {
    const subject = checkApiKeyGuard((c) => ({ passed: verifyApiKey(c.record, c.token, c.request).outcome === 'allow' }), seeded);
    await expect(subject).rejects.toThrow(/ip_not_allowed/);
  });

  it('catches middleware that checks the key but not the endpoint scope', async () => {
    const subject = checkApiKeyGuard((c) => {
      const scope = c.record?.scopes[0] ?? 'read';
      return { passed: verifyApiKey(c.record, c.token, { ...c.request, scope }, c.policy).outcome === 'allow' };
    }, seeded);
    await expect(subject).rejects.toThrow(/scope_missing|request_invalid/);
  });

  it('often asks a key for the other action of a scope it holds (read-only key, write request)', async () => {
    // Middleware that checks the resource but not the action differs from verifyApiKey here:
    // at least 1 case in 110 (it was 1 in 210).
    let cases = 0;
    let differs = 0;
    await checkApiKeyGuard((c) => {
      cases += 1;
      const allowed = verifyApiKey(c.record, c.token, c.request, c.policy).outcome === 'allow';
      const mutant = verifyApiKey(c.record, c.token, { ...c.request, scope: c.request.scope.replace(/write$/, 'read') }, c.policy).outcome === 'allow';
      if (mutant !== allowed) differs += 1;
      return { passed: allowed };
    }, { seed: 1, numRuns: 2000 });
    expect(differs / cases).toBeGreaterThanOrEqual(1 / 110);
  });

  it('catches middleware that loads revoked keys as if they were live', async () => {
    const subject = checkApiKeyGuard((c) => {
      const record: ApiKeyRecord | undefined = c.record === undefined ? undefined : { ...c.record, revokedAt: null };
      return { passed: verifyApiKey(record, c.token, c.request, c.policy).outcome === 'allow' };
    }, seeded);
    await expect(subject).rejects.toThrow(/key_revoked/);
  });

  it('catches middleware that refuses everything (liveness)', async () => {
    await expect(checkApiKeyGuard(() => ({ passed: false }), seeded)).rejects.toThrow(/did not reach the handler/);
  });

  it('says which token, record and request failed (key bytes are random, a replay has others)', async () => {
    const subject = checkApiKeyGuard(() => ({ passed: false }), seeded);
    await expect(subject).rejects.toThrow(/did not reach the handler\ntoken "[^"]+", record \{"id":"\w+","scopes":\[.*\}, request \{"at":"/);
  });
});

describe('checkClientIpResolution: the client address is the one resolveClientIp finds', () => {
  it('holds for a lookup that is resolveClientIp', async () => {
    await checkClientIpResolution((c) => {
      const r = resolveClientIp(c);
      return r.ok ? r.ip : undefined;
    }, seeded);
  });

  it('holds for a lookup that returns another spelling of the same address', async () => {
    await checkClientIpResolution((c) => {
      const r = resolveClientIp(c);
      return r.ok ? (r.family === 4 ? `::ffff:${r.ip}` : r.ip.toUpperCase()) : '';
    }, seeded);
  });

  it("catches the left-most X-Forwarded-For entry, which the client chose (a forged address)", async () => {
    const subject = checkClientIpResolution((c) => (c.forwardedFor?.split(',')[0]?.trim() || c.remoteAddress), seeded);
    await expect(subject).rejects.toThrow(/but resolveClientIp finds|not an address/);
  });

  it('catches trusting X-Forwarded-For from any peer', async () => {
    const subject = checkClientIpResolution((c) => {
      const r = resolveClientIp({ ...c, trustedProxies: ['0.0.0.0/0', '::/0'] });
      return r.ok ? r.ip : undefined;
    }, seeded);
    // either a forged address is used, or a real one is lost: both break the law
    await expect(subject).rejects.toThrow(/resolveClientIp finds/);
  });

  it('catches a lookup that never finds an address (liveness)', async () => {
    await expect(checkClientIpResolution(() => undefined, seeded)).rejects.toThrow(/the app found no address/);
  });
});

describe('checkMailTracking: a message with an excluded participant is never tracked', () => {
  it('holds for a sync filter that is filterTrackedMessages', async () => {
    await checkMailTracking((c) => {
      const { tracked } = filterTrackedMessages(c.messages, compileMailExclusions(c.entries));
      return { tracked: tracked.map((m) => c.messages.indexOf(m)) };
    }, seeded);
  });

  it('catches a filter that looks at the sender only', async () => {
    const subject = checkMailTracking((c) => {
      const { tracked } = filterTrackedMessages(c.messages, compileMailExclusions(c.entries), { match: 'sender' });
      return { tracked: tracked.map((m) => c.messages.indexOf(m)) };
    }, seeded);
    await expect(subject).rejects.toThrow(/was tracked, but (to|cc|bcc|replyTo) |cannot be read/);
  });

  it('catches a filter that tracks what it cannot read (fails open)', async () => {
    const subject = checkMailTracking((c) => {
      const exclusions = compileMailExclusions(c.entries);
      const tracked: number[] = [];
      c.messages.forEach((m, i) => {
        const { excluded } = filterTrackedMessages([m], exclusions);
        const unreadableOnly = excluded.length === 1 && filterTrackedMessages([m], exclusions).unparseable === 1;
        if (excluded.length === 0 || unreadableOnly) tracked.push(i);
      });
      return { tracked };
    }, seeded);
    await expect(subject).rejects.toThrow(/cannot be read/);
  });

  it('catches a filter that compares addresses as plain lower-case strings', async () => {
    const subject = checkMailTracking((c) => {
      const excluded = c.entries.map((e) => e.toLowerCase());
      const tracked: number[] = [];
      c.messages.forEach((m, i) => {
        const all = [m.from, m.to, m.cc, m.bcc, m.replyTo].flat().filter((v): v is string => typeof v === 'string');
        if (!all.some((v) => excluded.some((e) => (e.startsWith('@') ? v.toLowerCase().endsWith(e) : v.toLowerCase() === e)))) tracked.push(i);
      });
      return { tracked };
    }, seeded);
    await expect(subject).rejects.toThrow(/was tracked, but/);
  });

  it('catches a filter that does not fold sub-addresses (ceo+board@ is the mailbox ceo@)', async () => {
    const subject = checkMailTracking((c) => {
      const { tracked } = filterTrackedMessages(c.messages, compileMailExclusions(c.entries, { subaddress: 'keep' }));
      return { tracked: tracked.map((m) => c.messages.indexOf(m)) };
    }, seeded);
    await expect(subject).rejects.toThrow(/was tracked, but \w+ \S+\+\S*@\S+ matches/);
  });

  it('catches a filter that tracks nothing (liveness)', async () => {
    await expect(checkMailTracking(() => ({ tracked: [] }), seeded)).rejects.toThrow(/was not tracked/);
  });
});

describe('checkTotpReplay: an accepted TOTP code is never accepted again', () => {
  it('holds when the last used step is stored and passed back', async () => {
    const lastStep = new Map<string, number>();
    await checkTotpReplay(({ staffId, secret, code, at }) => {
      const r = verifyTotp({ secret, code, at, lastUsedStep: lastStep.get(staffId) });
      if (r.ok) lastStep.set(staffId, r.step);
      return r.ok;
    }, seeded);
  });

  it('holds for a store that outlives one run (one test database per file, a retried test)', async () => {
    const store = new Map<string, { secret: string; lastUsedStep?: number }>();
    const subject = ({ staffId, secret, code, at }: { staffId: string; secret: string; code: string; at: number }) => {
      if (!store.has(staffId)) store.set(staffId, { secret }); // enroll the first time the id is seen
      const staff = store.get(staffId)!;
      const r = verifyTotp({ secret: staff.secret, code, at, ...(staff.lastUsedStep === undefined ? {} : { lastUsedStep: staff.lastUsedStep }) });
      if (r.ok) staff.lastUsedStep = r.step;
      return r.ok;
    };
    await checkTotpReplay(subject, { ...seeded, numRuns: 20 });
    await checkTotpReplay(subject, { ...seeded, numRuns: 20 });
  });

  it('catches an app that never stores the step', async () => {
    const subject = checkTotpReplay(({ secret, code, at }) => verifyTotp({ secret, code, at }).ok, seeded);
    await expect(subject).rejects.toThrow(/accepted again/);
  });

  it('catches an app that stores the step per secret but compares it with <', async () => {
    const lastStep = new Map<string, number>();
    const subject = checkTotpReplay(({ staffId, secret, code, at }) => {
      const r = verifyTotp({ secret, code, at });
      const last = lastStep.get(staffId);
      if (!r.ok || (last !== undefined && r.step < last)) return false;
      lastStep.set(staffId, r.step);
      return true;
    }, seeded);
    await expect(subject).rejects.toThrow(/accepted again/);
  });

  it('catches an app that refuses every code (liveness)', async () => {
    await expect(checkTotpReplay(() => false, seeded)).rejects.toThrow(/refused on first use/);
  });
});

describe('loginHoursInstantArb: instants around DST changes', () => {
  it('comes near every Europe/London change, also those on the 29th to 31st', () => {
    const zone = 'Europe/London';
    const changes: number[] = [];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2029, 0, 1); t += 3_600_000) {
      if (DateTime.fromMillis(t, { zone }).offset !== DateTime.fromMillis(t + 3_600_000, { zone }).offset) changes.push(t + 3_600_000);
    }
    const instants = fc.sample(loginHoursInstantArb({ fromYear: 2024, toYear: 2029 }), { numRuns: 20_000, seed: 1 });
    const missed = changes.filter((t) => !instants.some((x) => x >= t - 3_600_000 && x <= t + 3_600_000)).map((t) => new Date(t).toISOString());
    expect(missed).toEqual([]);
  });
});
