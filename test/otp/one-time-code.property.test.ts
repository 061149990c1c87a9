import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issueOneTimeCode, verifyOneTimeCode, type IssueOneTimeCodeInput, type OneTimeCodeChallenge, type VerifyOneTimeCodeOptions } from 'staffgate/otp';
import { asciiDigitsArb, hostileOtpCodeArb, invalidOtpInstantArb, issueOneTimeCodeInputArb, otpAttemptIdArb } from '../../src/testing/otp.js';
import type { Instant } from '../../src/instant.js';
import { toEpochMs } from '../../src/instant.js';

const RUNS = { numRuns: 200 };

/** What a person (or an attacker) submits against a challenge. */
type Submission =
  | { kind: 'right'; delayMs: number }
  | { kind: 'wrong'; delayMs: number; digits: string }
  | { kind: 'malformed'; delayMs: number; text: string }
  | { kind: 'foreign'; delayMs: number; attemptId: string }
  | { kind: 'purpose'; delayMs: number };

const submission: fc.Arbitrary<Submission> = fc.oneof(
  fc.record({ kind: fc.constant('right' as const), delayMs: fc.integer({ min: 0, max: 400_000 }) }),
  fc.record({ kind: fc.constant('wrong' as const), delayMs: fc.integer({ min: 0, max: 400_000 }), digits: asciiDigitsArb(10) }),
  fc.record({ kind: fc.constant('malformed' as const), delayMs: fc.integer({ min: 0, max: 400_000 }), text: hostileOtpCodeArb() }),
  fc.record({ kind: fc.constant('foreign' as const), delayMs: fc.integer({ min: 0, max: 400_000 }), attemptId: otpAttemptIdArb() }),
  fc.record({ kind: fc.constant('purpose' as const), delayMs: fc.integer({ min: 0, max: 400_000 }) }),
);

/** Plays a sequence of submissions, threading the returned challenge as a host would. */
function play(input: IssueOneTimeCodeInput, submissions: readonly Submission[]) {
  const { code, challenge: first } = issueOneTimeCode(input);
  const purpose = input.purpose ?? 'second_factor';
  let challenge: OneTimeCodeChallenge = first;
  let at = toEpochMs(input.at);
  const steps: { submitted: Submission; before: OneTimeCodeChallenge; result: ReturnType<typeof verifyOneTimeCode>; at: number }[] = [];
  for (const s of submissions) {
    at += s.delayMs;
    let typed = code;
    const options: VerifyOneTimeCodeOptions = { at, attemptId: input.attemptId, purpose };
    if (s.kind === 'wrong') {
      typed = s.digits.slice(0, first.digits);
      if (typed === code) typed = typed.replace(/^./, (d) => String((Number(d) + 1) % 10));
    } else if (s.kind === 'malformed') {
      typed = s.text;
    } else if (s.kind === 'foreign') {
      options.attemptId = s.attemptId === input.attemptId ? `${s.attemptId}-other` : s.attemptId;
    } else if (s.kind === 'purpose') {
      options.purpose = purpose === 'email_code' ? 'second_factor' : 'email_code';
    }
    const result = verifyOneTimeCode(challenge, typed, options);
    steps.push({ submitted: s, before: challenge, result, at });
    challenge = result.challenge;
  }
  return { code, first, steps };
}

describe('one-time code laws', () => {
  it('a code verifies at most once', () => {
    fc.assert(
      fc.property(issueOneTimeCodeInputArb(), fc.array(submission, { maxLength: 14 }), (input, subs) => {
        const { steps } = play(input, subs);
        expect(steps.filter((s) => s.result.ok).length).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it('an expired challenge never verifies', () => {
    fc.assert(
      fc.property(issueOneTimeCodeInputArb(), fc.array(submission, { maxLength: 10 }), (input, subs) => {
        const { first, steps } = play(input, subs);
        const expires = toEpochMs(first.expiresAt);
        for (const s of steps) if (s.at >= expires) expect(s.result).toMatchObject({ ok: false });
        // and the right code right at the expiry instant is refused as expired
        const { code, challenge } = issueOneTimeCode(input);
        expect(verifyOneTimeCode(challenge, code, { at: toEpochMs(challenge.expiresAt), attemptId: input.attemptId, purpose: input.purpose ?? 'second_factor' })).toEqual({
          ok: false,
          reason: 'code_expired',
          challenge,
        });
      }),
      RUNS,
    );
  });

  it('the next challenge never has more attempts than the last, and a compared code costs exactly one', () => {
    fc.assert(
      fc.property(issueOneTimeCodeInputArb(), fc.array(submission, { maxLength: 14 }), (input, subs) => {
        const { steps } = play(input, subs);
        for (const { before, result } of steps) {
          expect(result.challenge.attemptsLeft).toBeLessThanOrEqual(before.attemptsLeft);
          expect(result.challenge.attemptsLeft).toBeGreaterThanOrEqual(0);
          const spends = result.ok || ['code_invalid', 'attempt_mismatch', 'purpose_mismatch'].includes(result.reason);
          expect(before.attemptsLeft - result.challenge.attemptsLeft).toBe(spends ? 1 : 0);
        }
      }),
      RUNS,
    );
  });

  it('nothing but the right code, for the right attempt and step, before expiry, verifies', () => {
    fc.assert(
      fc.property(issueOneTimeCodeInputArb(), fc.array(submission, { maxLength: 14 }), (input, subs) => {
        const { first, steps } = play(input, subs);
        for (const { submitted, result, at } of steps) {
          if (!result.ok) continue;
          expect(submitted.kind).toBe('right');
          expect(at).toBeLessThan(toEpochMs(first.expiresAt));
          expect(result.verified).toBe(first.purpose === 'email_code' ? 'email_code' : first.channel);
        }
      }),
      RUNS,
    );
  });

  it('the right code verifies on the first try, for the attempt it was issued for, until it expires', () => {
    fc.assert(
      fc.property(issueOneTimeCodeInputArb(), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (input, fraction) => {
        const { code, challenge } = issueOneTimeCode(input);
        const issued = toEpochMs(challenge.issuedAt);
        const at = issued + Math.floor(fraction * (toEpochMs(challenge.expiresAt) - issued));
        const result = verifyOneTimeCode(challenge, code, { at, attemptId: input.attemptId, purpose: input.purpose ?? 'second_factor' });
        expect(result.ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('a code issued for one attempt never verifies another attempt', () => {
    fc.assert(
      fc.property(issueOneTimeCodeInputArb(), otpAttemptIdArb(), (input, other) => {
        fc.pre(other !== input.attemptId);
        const mine = issueOneTimeCode(input);
        const theirs = issueOneTimeCode({ ...input, attemptId: other });
        const result = verifyOneTimeCode(mine.challenge, theirs.code, { at: input.at, attemptId: other, purpose: input.purpose ?? 'second_factor' });
        expect(result).toMatchObject({ ok: false, reason: 'attempt_mismatch' });
      }),
      RUNS,
    );
  });

  it('a malformed code never verifies and never spends a try', () => {
    fc.assert(
      fc.property(issueOneTimeCodeInputArb(), fc.integer({ min: 6, max: 10 }).chain(hostileOtpCodeArb), (input, typed) => {
        const { challenge } = issueOneTimeCode(input);
        fc.pre(typed.length !== challenge.digits || !/^[0-9]+$/.test(typed));
        const result = verifyOneTimeCode(challenge, typed, { at: input.at, attemptId: input.attemptId, purpose: input.purpose ?? 'second_factor' });
        expect(result).toEqual({ ok: false, reason: 'code_malformed', challenge });
      }),
      RUNS,
    );
  });
});

describe('verifyOneTimeCode never throws', () => {
  it('whatever the record, the code and the options', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (record, code, options) => {
        const result = verifyOneTimeCode(record as OneTimeCodeChallenge, code as string, options as VerifyOneTimeCodeOptions);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a real record with any one field replaced by garbage is refused or decided, never thrown', () => {
    const { code, challenge } = issueOneTimeCode({ channel: 'email', at: 1_717_402_507_000, attemptId: 'a-1' });
    const keys = Object.keys(challenge) as (keyof OneTimeCodeChallenge)[];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything(), (key, value) => {
        const record = { ...challenge, [key]: value } as OneTimeCodeChallenge;
        const result = verifyOneTimeCode(record, code, { at: 1_717_402_508_000, attemptId: 'a-1' });
        expect(typeof result.ok).toBe('boolean');
        // The hash binds purpose, channel, attempt, salt and length: changing any of them can
        // never leave the right code verifying.
        const bound: readonly string[] = ['version', 'purpose', 'channel', 'attemptId', 'digits', 'salt', 'hash', 'usedAt'];
        if (result.ok && bound.includes(key)) expect(JSON.stringify(value)).toBe(JSON.stringify(challenge[key]));
      }),
      { numRuns: 300 },
    );
  });

  it('an invalid instant is instant_invalid and leaves the record unchanged', () => {
    const { code, challenge } = issueOneTimeCode({ channel: 'sms', at: 1_717_402_507_000, attemptId: 'a-1' });
    fc.assert(
      fc.property(invalidOtpInstantArb(), (at) => {
        expect(verifyOneTimeCode(challenge, code, { at: at as Instant, attemptId: 'a-1' })).toEqual({ ok: false, reason: 'instant_invalid', challenge });
      }),
      { numRuns: 200 },
    );
  });
});
