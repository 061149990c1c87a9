// Second-factor benchmark: staffgate's verifyTotp next to calling otplib directly with the same
// parameters (6 digits, SHA-1, 30 s, ±1 step), and the cost of one-time codes.
// Run: npx tsx bench/otp.ts            (a plain script, not a test; numbers vary by machine)
import { generateSync, verifySync } from 'otplib';
import { compare, report, type Case } from './harness.js';
import { createTotpEnrollment, issueOneTimeCode, verifyOneTimeCode, verifyTotp } from 'staffgate/otp';

// CPU time per call in interleaved rounds (bench/harness.ts); each staffgate case beside the
// otplib call with the same parameters listed before it.
const ROUNDS = 25;

/** Cases from [name, fn] pairs: every second one is compared with the one before it. */
function paired(...list: [string, () => unknown][]): Case[] {
  return list.map(([name, fn], i) => {
    const peer = i % 2 === 1 ? list[i - 1]?.[0] : undefined;
    return peer === undefined ? { name, fn } : { name, fn, vs: [peer] };
  });
}

const { secret } = createTotpEnrollment({ issuer: 'Bench', accountName: 'bench@example.test' });
const at = Date.UTC(2024, 5, 3, 8, 15, 7);
const epoch = Math.floor(at / 1000);
const step = Math.floor(epoch / 30);
const current = generateSync({ secret, epoch });
const previous = generateSync({ secret, epoch: epoch - 30 });
const wrong = current === '000000' ? '000001' : '000000';
const window = { epochTolerance: 30 } as const;

console.log(`node ${process.version}; ${ROUNDS} interleaved rounds per case; ratios of fastest rounds`);

// The usual case: the last accepted step is from an earlier login, outside the window.
const earlier = step - 2_880; // a day ago

report(
  'TOTP, right code of the current step, last use a day ago (otplib tries step-1, then step)',
  compare(paired(
    ['otplib verifySync + afterTimeStep', () => verifySync({ secret, token: current, epoch, ...window, afterTimeStep: earlier })],
    ['staffgate verifyTotp + lastUsedStep', () => verifyTotp({ secret, code: current, at, lastUsedStep: earlier })],
    ['otplib verifySync (first use)', () => verifySync({ secret, token: current, epoch, ...window })],
    ['staffgate verifyTotp (first use)', () => verifyTotp({ secret, code: current, at })],
  ), { rounds: ROUNDS }),
);

report(
  'TOTP, wrong code, last use a day ago (all 3 steps of the window are tried)',
  compare(paired(
    ['otplib verifySync + afterTimeStep', () => verifySync({ secret, token: wrong, epoch, ...window, afterTimeStep: earlier })],
    ['staffgate verifyTotp + lastUsedStep', () => verifyTotp({ secret, code: wrong, at, lastUsedStep: earlier })],
  ), { rounds: ROUNDS }),
);

// Rare: the last use was inside the current window (a second login within a minute). otplib
// alone cannot tell a replay from a wrong code; staffgate makes a second otplib call over the
// steps the first one skipped, so each step is still hashed once but the call overhead is paid
// twice on a refusal.
const recent = step - 1;
report(
  'TOTP, last use one step ago (inside the window)',
  compare(paired(
    ['otplib verifySync + afterTimeStep, right code', () => verifySync({ secret, token: current, epoch, ...window, afterTimeStep: recent })],
    ['staffgate verifyTotp, right code', () => verifyTotp({ secret, code: current, at, lastUsedStep: recent })],
    ['otplib verifySync + afterTimeStep, wrong code', () => verifySync({ secret, token: wrong, epoch, ...window, afterTimeStep: recent })],
    ['staffgate verifyTotp, wrong code', () => verifyTotp({ secret, code: wrong, at, lastUsedStep: recent })],
    ['otplib verifySync + afterTimeStep, replayed code', () => verifySync({ secret, token: previous, epoch, ...window, afterTimeStep: recent })],
    ['staffgate verifyTotp, replayed code', () => verifyTotp({ secret, code: previous, at, lastUsedStep: recent })],
  ), { rounds: ROUNDS }),
);

report(
  'TOTP, malformed code (otplib throws, staffgate returns code_malformed)',
  compare(paired(
    ['otplib verifySync (try/catch)', () => {
      try {
        return verifySync({ secret, token: '12 345', epoch, ...window });
      } catch (err) {
        return err;
      }
    }],
    ['staffgate verifyTotp', () => verifyTotp({ secret, code: '12 345', at })],
  ), { rounds: ROUNDS }),
);

const issued = issueOneTimeCode({ channel: 'email', at, attemptId: 'attempt-1' });
const otcWrong = issued.code === '000000' ? '000001' : '000000';
report(
  'One-time codes (no peer: HMAC-SHA-256 via @noble/hashes, record checks, next record)',
  compare(([
    ['issueOneTimeCode', () => issueOneTimeCode({ channel: 'email', at, attemptId: 'attempt-1' })],
    ['verifyOneTimeCode, right code', () => verifyOneTimeCode(issued.challenge, issued.code, { at, attemptId: 'attempt-1' })],
    ['verifyOneTimeCode, wrong code', () => verifyOneTimeCode(issued.challenge, otcWrong, { at, attemptId: 'attempt-1' })],
    ['verifyOneTimeCode, expired (no hashing)', () => verifyOneTimeCode(issued.challenge, issued.code, { at: at + 3_600_000, attemptId: 'attempt-1' })],
  ] as [string, () => unknown][]).map(([name, fn]) => ({ name, fn })), { rounds: ROUNDS }),
);
