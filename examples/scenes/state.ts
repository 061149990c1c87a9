// Security state on many app servers: lockout of a guessing attack that leaves the person at
// the office signing in, and one e-mailed code submitted twice at once, accepted once. The
// in-memory store stands in for the database every app server shares.
import { parseAccountPolicy, resolvePolicy, evaluateLogin } from 'staffgate';
import { issueOneTimeCode } from 'staffgate/otp';
import { createMemoryStateStore, readStoredLockout, recordStoredLoginFailure, recordStoredLoginSuccess, saveOneTimeCode, verifyStoredOneTimeCode } from 'staffgate/state';
import type { Printer } from './print.js';

export default async function stateScenes(out: Printer): Promise<void> {
  const monday = Date.parse('2026-11-23T09:00:00Z');
  let now = monday;
  const store = createMemoryStateStore({ clock: () => now });
  const account = parseAccountPolicy({ loginMethods: ['password'], lockout: { maxFailures: 10, windowMinutes: 15, lockoutMinutes: 15 } });
  const policy = resolvePolicy(account, [], { at: monday });
  const key = 'lockout:ann@acme.test';
  const office = '203.0.113.10';
  const attacker = '198.51.100.77';

  // ---------------------------------------------------------------------------------------
  out.scene('A guessing attack is locked out; Ann at the office still signs in');
  out.say('Ann signed in from the office on Friday; her lockout record remembers that network (203.0.113.0/24).');
  await recordStoredLoginSuccess(store, key, { policy, at: monday - 3 * 86_400_000, ip: office });
  out.say('On Monday at 09:00 someone tries twelve passwords for ann@acme.test from 198.51.100.77.');
  for (let i = 0; i < 12; i++) {
    now = monday + i * 1_000;
    await recordStoredLoginFailure(store, key, { policy, at: now, ip: attacker });
  }
  const record = await readStoredLockout(store, key);
  out.show('the attacker’s thirteenth try', evaluateLogin(policy, { method: 'password', ip: attacker, at: now, verified: ['email_code'], lockout: record }));
  out.show('Ann at the office, a minute later', evaluateLogin(policy, { method: 'password', ip: office, at: now + 60_000, verified: ['email_code'], lockout: record }));
  out.say('The message never says whether a password was right. Failures from a network Ann never used lock only the other networks.');

  // ---------------------------------------------------------------------------------------
  out.scene('The same e-mailed code, submitted on two servers at once, is accepted once');
  const attemptId = 'login-42';
  const { code, challenge } = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId, at: now });
  await saveOneTimeCode(store, `otp:${attemptId}`, challenge);
  out.say('Ann double-clicks "Verify": two requests reach two app servers with the same code.');
  const both = await Promise.all([0, 1].map(() => verifyStoredOneTimeCode(store, `otp:${attemptId}`, code, { at: now, attemptId, purpose: 'email_code' })));
  out.show('server A', both[0]);
  out.show('server B', both[1]);
  out.say('Both read the challenge; only the compare-and-swap that still saw the version it read could write it used.');
  out.say('The same helpers run on PostgreSQL and Redis through the adapters in examples/state/ (tested there on the real servers, and on three racing processes).');
}
