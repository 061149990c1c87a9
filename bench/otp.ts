// Second-factor benchmark: staffgate's verifyTotp next to calling otplib directly with the same
// parameters (6 digits, SHA-1, 30 s, ±1 step), and the cost of one-time codes.
// Run: npx tsx bench/otp.ts            (a plain script, not a test; numbers vary by machine)
import { generateSync, verifySync } from 'otplib';
import { createTotpEnrollment, issueOneTimeCode, verifyOneTimeCode, verifyTotp } from 'staffgate/otp';

// The machine this runs on may be shared: rounds are timed in this process's CPU time
// (process.cpuUsage), not wall time, so time spent descheduled does not count; cases are
// interleaved in many short rounds and compared by their fastest round, median alongside.
const ROUNDS = 40;
const ROUND_MS = 10;

interface Timing {
  best: number;
  median: number;
}

/** CPU milliseconds used by this process so far (user + system). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** ns per call of each case: best and median over ROUNDS interleaved rounds. */
function measure(cases: Record<string, () => unknown>): Record<string, Timing> {
  const names = Object.keys(cases);
  const iterations: Record<string, number> = {};
  const samples: Record<string, number[]> = {};
  for (const name of names) {
    const fn = cases[name]!;
    for (let i = 0; i < 300; i++) fn(); // warm up
    let n = 50;
    for (;;) {
      const t = cpuMs();
      for (let i = 0; i < n; i++) fn();
      const ms = cpuMs() - t;
      if (ms >= ROUND_MS / 2) {
        iterations[name] = Math.max(1, Math.ceil((n * ROUND_MS) / ms));
        break;
      }
      n *= 2;
    }
    samples[name] = [];
  }
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order so no case always runs right after another.
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]!;
      const fn = cases[name]!;
      const n = iterations[name]!;
      const t = cpuMs();
      for (let i = 0; i < n; i++) fn();
      samples[name]!.push(((cpuMs() - t) * 1e6) / n);
    }
  }
  const out: Record<string, Timing> = {};
  for (const name of names) {
    const sorted = [...samples[name]!].sort((a, b) => a - b);
    out[name] = { best: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
  }
  return out;
}

/** Prints each case; `peers` maps a case to the case it is compared with (itself for a baseline). */
function report(title: string, results: Record<string, Timing>, peers: Record<string, string> = {}): void {
  console.log(`\n${title}`);
  for (const [name, { best, median }] of Object.entries(results)) {
    const peerName = peers[name];
    const peer = peerName === undefined ? undefined : results[peerName];
    const ratio =
      peer === undefined || peerName === undefined
        ? ''
        : peerName === name
          ? '  (peer)'
          : `  ${(best / peer.best).toFixed(2)}x (median ${(median / peer.median).toFixed(2)}x) of ${peerName}`;
    console.log(`  ${name.padEnd(50)} best ${(best / 1000).toFixed(2).padStart(7)} µs  median ${(median / 1000).toFixed(2).padStart(7)} µs${ratio}`);
  }
}

/** Pairs each staffgate case with the otplib case listed before it. */
function pairs(...names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < names.length; i += 2) {
    out[names[i]!] = names[i]!;
    out[names[i + 1]!] = names[i]!;
  }
  return out;
}

const { secret } = createTotpEnrollment({ issuer: 'Bench', accountName: 'bench@example.test' });
const at = Date.UTC(2024, 5, 3, 8, 15, 7);
const epoch = Math.floor(at / 1000);
const step = Math.floor(epoch / 30);
const current = generateSync({ secret, epoch });
const previous = generateSync({ secret, epoch: epoch - 30 });
const wrong = current === '000000' ? '000001' : '000000';
const window = { epochTolerance: 30 } as const;

console.log(`node ${process.version}; ${ROUNDS} interleaved rounds of ~${ROUND_MS} ms CPU per case; ratios of best rounds (and of medians)`);

// The usual case: the last accepted step is from an earlier login, outside the window.
const earlier = step - 2_880; // a day ago

report(
  'TOTP, right code of the current step, last use a day ago (otplib tries step-1, then step)',
  measure({
    'otplib verifySync + afterTimeStep': () => verifySync({ secret, token: current, epoch, ...window, afterTimeStep: earlier }),
    'staffgate verifyTotp + lastUsedStep': () => verifyTotp({ secret, code: current, at, lastUsedStep: earlier }),
    'otplib verifySync (first use)': () => verifySync({ secret, token: current, epoch, ...window }),
    'staffgate verifyTotp (first use)': () => verifyTotp({ secret, code: current, at }),
  }),
  pairs('otplib verifySync + afterTimeStep', 'staffgate verifyTotp + lastUsedStep', 'otplib verifySync (first use)', 'staffgate verifyTotp (first use)'),
);

report(
  'TOTP, wrong code, last use a day ago (all 3 steps of the window are tried)',
  measure({
    'otplib verifySync + afterTimeStep': () => verifySync({ secret, token: wrong, epoch, ...window, afterTimeStep: earlier }),
    'staffgate verifyTotp + lastUsedStep': () => verifyTotp({ secret, code: wrong, at, lastUsedStep: earlier }),
  }),
  pairs('otplib verifySync + afterTimeStep', 'staffgate verifyTotp + lastUsedStep'),
);

// Rare: the last use was inside the current window (a second login within a minute). otplib
// alone cannot tell a replay from a wrong code; staffgate makes a second otplib call over the
// steps the first one skipped, so each step is still hashed once but the call overhead is paid
// twice on a refusal.
const recent = step - 1;
report(
  'TOTP, last use one step ago (inside the window)',
  measure({
    'otplib verifySync + afterTimeStep, right code': () => verifySync({ secret, token: current, epoch, ...window, afterTimeStep: recent }),
    'staffgate verifyTotp, right code': () => verifyTotp({ secret, code: current, at, lastUsedStep: recent }),
    'otplib verifySync + afterTimeStep, wrong code': () => verifySync({ secret, token: wrong, epoch, ...window, afterTimeStep: recent }),
    'staffgate verifyTotp, wrong code': () => verifyTotp({ secret, code: wrong, at, lastUsedStep: recent }),
    'otplib verifySync + afterTimeStep, replayed code': () => verifySync({ secret, token: previous, epoch, ...window, afterTimeStep: recent }),
    'staffgate verifyTotp, replayed code': () => verifyTotp({ secret, code: previous, at, lastUsedStep: recent }),
  }),
  pairs(
    'otplib verifySync + afterTimeStep, right code',
    'staffgate verifyTotp, right code',
    'otplib verifySync + afterTimeStep, wrong code',
    'staffgate verifyTotp, wrong code',
    'otplib verifySync + afterTimeStep, replayed code',
    'staffgate verifyTotp, replayed code',
  ),
);

report(
  'TOTP, malformed code (otplib throws, staffgate returns code_malformed)',
  measure({
    'otplib verifySync (try/catch)': () => {
      try {
        return verifySync({ secret, token: '12 345', epoch, ...window });
      } catch (err) {
        return err;
      }
    },
    'staffgate verifyTotp': () => verifyTotp({ secret, code: '12 345', at }),
  }),
  pairs('otplib verifySync (try/catch)', 'staffgate verifyTotp'),
);

const issued = issueOneTimeCode({ channel: 'email', at, attemptId: 'attempt-1' });
const otcWrong = issued.code === '000000' ? '000001' : '000000';
report(
  'One-time codes (no peer: HMAC-SHA-256 via @noble/hashes, record checks, next record)',
  measure({
    'issueOneTimeCode': () => issueOneTimeCode({ channel: 'email', at, attemptId: 'attempt-1' }),
    'verifyOneTimeCode, right code': () => verifyOneTimeCode(issued.challenge, issued.code, { at, attemptId: 'attempt-1' }),
    'verifyOneTimeCode, wrong code': () => verifyOneTimeCode(issued.challenge, otcWrong, { at, attemptId: 'attempt-1' }),
    'verifyOneTimeCode, expired (no hashing)': () => verifyOneTimeCode(issued.challenge, issued.code, { at: at + 3_600_000, attemptId: 'attempt-1' }),
  }),
);
