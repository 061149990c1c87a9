import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyTotp } from 'staffgate/otp';
import {
  hostileTotpCodeArb,
  hostileTotpSecretArb,
  invalidOtpInstantArb,
  legacyTotpSecretArb,
  otpEpochMsArb,
  otpInstantArb,
  totpCodeArb,
  totpSecretArb,
} from '../../src/testing/otp.js';
import type { Instant } from '../../src/instant.js';
import { toEpochMs } from '../../src/instant.js';
import { totpAtStep, unbase32, STEP_MS } from './reference.js';

// Each run costs a few HMACs in pure JS; these counts keep the file well under a second or two.
const RUNS = { numRuns: 150 };

const stepOf = (ms: number) => Math.floor(ms / STEP_MS);
const lastUsed = fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined });

describe('verifyTotp laws', () => {
  it('agrees with an independent RFC 6238 implementation: a code from a step inside the window verifies at that step, outside it never', () => {
    fc.assert(
      fc.property(totpSecretArb(), otpEpochMsArb(), fc.integer({ min: -4, max: 4 }), fc.integer({ min: 0, max: 3 }), (secret, ms, offset, window) => {
        const step = stepOf(ms) + offset;
        const code = totpAtStep(unbase32(secret), step);
        const result = verifyTotp({ secret, code, at: ms, window });
        if (Math.abs(offset) <= window) {
          // Another step in the window may produce the same six digits (about 1 in 10^6);
          // otplib takes the earliest, so the accepted step is never later than ours.
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.step).toBeLessThanOrEqual(step);
        } else if (result.ok) {
          expect(totpAtStep(unbase32(secret), result.step)).toBe(code); // a genuine collision, never a stray accept
        }
      }),
      RUNS,
    );
  });

  it('an accepted step is always after lastUsedStep and inside the window', () => {
    fc.assert(
      fc.property(totpSecretArb(), otpEpochMsArb(), fc.integer({ min: -2, max: 2 }), lastUsed, (secret, ms, offset, lastOffset) => {
        const now = stepOf(ms);
        const lastUsedStep = lastOffset === undefined ? undefined : now + lastOffset;
        const result = verifyTotp({ secret, code: totpAtStep(unbase32(secret), now + offset), at: ms, lastUsedStep });
        if (result.ok) {
          if (lastUsedStep !== undefined) expect(result.step).toBeGreaterThan(lastUsedStep);
          expect(Math.abs(result.step - now)).toBeLessThanOrEqual(1);
          expect(result.drift).toBe(result.step - now);
        }
      }),
      RUNS,
    );
  });

  it('a code verifies at most once when the host stores each accepted step', () => {
    fc.assert(
      fc.property(
        totpSecretArb(),
        otpEpochMsArb(),
        fc.array(fc.integer({ min: 0, max: 25_000 }), { minLength: 1, maxLength: 6 }),
        (secret, start, delays) => {
          const code = totpAtStep(unbase32(secret), stepOf(start));
          let lastUsedStep: number | undefined;
          let accepted = 0;
          let at = start;
          for (const d of delays) {
            at += d;
            const result = verifyTotp({ secret, code, at, lastUsedStep });
            if (result.ok) {
              accepted++;
              lastUsedStep = result.step;
            } else if (accepted > 0) {
              expect(['code_replayed', 'code_invalid']).toContain(result.reason);
            }
          }
          expect(accepted).toBeLessThanOrEqual(1);
        },
      ),
      RUNS,
    );
  });

  it('widening the window never turns an accept into a refusal', () => {
    fc.assert(
      fc.property(totpSecretArb(), otpEpochMsArb(), fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 }), lastUsed, (secret, ms, offset, window, lastOffset) => {
        const now = stepOf(ms);
        const input = {
          secret,
          code: totpAtStep(unbase32(secret), now + offset),
          at: ms,
          lastUsedStep: lastOffset === undefined ? undefined : now + lastOffset,
        };
        if (verifyTotp({ ...input, window }).ok) expect(verifyTotp({ ...input, window: window + 1 }).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('the decision depends on the instant, not on how it is spelled', () => {
    fc.assert(
      fc.property(totpSecretArb(), otpInstantArb(), fc.integer({ min: -2, max: 2 }), (secret, at, offset) => {
        const ms = toEpochMs(at);
        const code = totpAtStep(unbase32(secret), stepOf(ms) + offset);
        expect(verifyTotp({ secret, code, at })).toEqual(verifyTotp({ secret, code, at: ms }));
      }),
      RUNS,
    );
  });
});

describe('verifyTotp never throws on hostile request-time input', () => {
  it('a hostile code is always code_malformed', () => {
    fc.assert(
      fc.property(totpSecretArb(), hostileTotpCodeArb(), otpEpochMsArb(), (secret, code, at) => {
        expect(verifyTotp({ secret, code, at })).toEqual({ ok: false, reason: 'code_malformed' });
      }),
      { numRuns: 300 },
    );
  });

  it('a hostile secret is refused as secret_invalid or secret_too_short, even with acceptLegacySecrets', () => {
    fc.assert(
      fc.property(hostileTotpSecretArb(), totpCodeArb(), otpEpochMsArb(), fc.boolean(), (secret, code, at, acceptLegacySecrets) => {
        const result = verifyTotp({ secret, code, at, acceptLegacySecrets });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['secret_invalid', 'secret_too_short']).toContain(result.reason);
      }),
      { numRuns: 300 },
    );
  });

  it('a legacy secret is refused unless acceptLegacySecrets is set', () => {
    fc.assert(
      fc.property(legacyTotpSecretArb(), otpEpochMsArb(), (secret, at) => {
        const code = totpAtStep(unbase32(secret), stepOf(at));
        expect(verifyTotp({ secret, code, at })).toEqual({ ok: false, reason: 'secret_too_short' });
        expect(verifyTotp({ secret, code, at, acceptLegacySecrets: true }).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it('an invalid instant is always instant_invalid', () => {
    fc.assert(
      fc.property(totpSecretArb(), totpCodeArb(), invalidOtpInstantArb(), (secret, code, at) => {
        expect(verifyTotp({ secret, code, at: at as Instant })).toEqual({ ok: false, reason: 'instant_invalid' });
      }),
      { numRuns: 300 },
    );
  });

  it('any lastUsedStep, stored value or garbage, yields a decision', () => {
    fc.assert(
      fc.property(totpSecretArb(), totpCodeArb(), otpEpochMsArb(), fc.anything(), (secret, code, at, lastUsedStep) => {
        const result = verifyTotp({ secret, code, at, lastUsedStep: lastUsedStep as number });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
