// Second factors, as the seed articles describe them: "Smartphone verification (2FA)" with an
// authenticator app, and "Email and password ... a one-time code sent directly to their inbox",
// plus SMS codes. staffgate decides; this scene plays the host app (storage, mail, SMS) and the
// phone.
import { generateSync } from 'otplib';
import { createTotpEnrollment, issueOneTimeCode, verifyOneTimeCode, verifyTotp, type OneTimeCodeChallenge } from 'staffgate/otp';
import type { Printer } from './print.js';

/** What the phone's authenticator app shows at an instant (the host never computes this). */
function phoneShows(secret: string, atMs: number): string {
  return generateSync({ secret, epoch: Math.floor(atMs / 1000) });
}

export default function otpScenes(out: Printer): void {
  const monday = Date.parse('2024-06-03T08:00:00Z');
  const minutes = (n: number) => monday + n * 60_000;

  // ---------------------------------------------------------------------------------------
  out.scene('Turning on smartphone verification (My Settings → Security → 2FA)');
  out.say('Ann opens her security settings and turns on two-factor authentication.');
  const enrollment = createTotpEnrollment({ issuer: 'Positive User', accountName: 'ann@acme.test' });
  out.show('QR code content (render it; never log it in production)', enrollment.uri);
  out.say('She scans it with Google Authenticator and types the code it shows to confirm.');
  const firstCode = phoneShows(enrollment.secret, minutes(1));
  const confirmed = verifyTotp({ secret: enrollment.secret, code: firstCode, at: minutes(1) });
  out.show(`verifyTotp("${firstCode}")`, confirmed);
  if (!confirmed.ok) throw new Error('enrollment should confirm');
  // The host's record for Ann: the secret (encrypted at rest) and the last step she used.
  const ann = { totpSecret: enrollment.secret, totpLastStep: confirmed.step };
  out.show('the host stores', { totpSecret: '(the base32 secret, encrypted at rest)', totpLastStep: ann.totpLastStep });
  out.say('Only now is 2FA on for Ann: a secret that never produced a code is never activated.');

  // ---------------------------------------------------------------------------------------
  out.scene('Logging in with the authenticator app: each code works once');
  const later = minutes(90);
  const code = phoneShows(ann.totpSecret, later);
  const login = verifyTotp({ secret: ann.totpSecret, code, at: later, lastUsedStep: ann.totpLastStep });
  out.show(`Ann types "${code}" at 09:30`, login);
  if (login.ok) ann.totpLastStep = login.step;
  out.say('Someone who watched her type it tries the same code ten seconds later:');
  out.show(
    'replay at 09:30:10',
    verifyTotp({ secret: ann.totpSecret, code, at: later + 10_000, lastUsedStep: ann.totpLastStep }),
  );
  out.say('The app shows codes as "123 456"; the host strips the space. Without that, the code is malformed, not wrong:');
  out.show(
    `"${code.slice(0, 3)} ${code.slice(3)}" passed as typed`,
    verifyTotp({ secret: ann.totpSecret, code: `${code.slice(0, 3)} ${code.slice(3)}`, at: later, lastUsedStep: ann.totpLastStep }),
  );
  out.say("Her phone's clock runs 40 s fast; the default window of ±1 step still accepts its code:");
  const fastPhone = phoneShows(ann.totpSecret, minutes(200) + 40_000);
  out.show('phone 40 s ahead', verifyTotp({ secret: ann.totpSecret, code: fastPhone, at: minutes(200), lastUsedStep: ann.totpLastStep }));

  // ---------------------------------------------------------------------------------------
  out.scene('Password login: the mandatory e-mailed code');
  out.say('Bob logs in with e-mail and password. The password is right, so the host sends him a login code.');
  const attempt = 'login-attempt-5b1e';
  const sent = issueOneTimeCode({ channel: 'email', purpose: 'email_code', attemptId: attempt, at: minutes(0) });
  out.show('e-mail to bob@acme.test', `Your Positive User login code is ${sent.code}. It expires in 10 minutes.`);
  out.show('the host stores (no code in it)', sent.challenge);
  let challenge: OneTimeCodeChallenge = sent.challenge;
  const typo = sent.code === '000000' ? '000001' : '000000';
  const first = verifyOneTimeCode(challenge, typo, { at: minutes(1), attemptId: attempt, purpose: 'email_code' });
  out.show(`Bob mistypes "${typo}"`, { ok: first.ok, reason: first.ok ? undefined : first.reason, attemptsLeft: first.challenge.attemptsLeft });
  challenge = first.challenge; // always store the next record: the try is spent
  const second = verifyOneTimeCode(challenge, sent.code, { at: minutes(2), attemptId: attempt, purpose: 'email_code' });
  out.show(`Bob types "${sent.code}"`, { ok: second.ok, verified: second.ok ? second.verified : undefined, usedAt: second.challenge.usedAt });
  challenge = second.challenge;
  out.say('The login now counts the step as done: LoginAttempt.verified gets "email_code".');
  const again = verifyOneTimeCode(challenge, sent.code, { at: minutes(3), attemptId: attempt, purpose: 'email_code' });
  out.show('the same code again', again.ok ? 'accepted' : again.reason);
  out.say('The login code is not also the e-mail second factor: checked as one, it is refused.');
  const asFactor = verifyOneTimeCode(sent.challenge, sent.code, { at: minutes(2), attemptId: attempt, purpose: 'second_factor' });
  out.show('login code offered as the second factor', asFactor.ok ? 'accepted' : asFactor.reason);

  // ---------------------------------------------------------------------------------------
  out.scene('SMS code as the second factor: expiry, binding and the try budget');
  const sms = issueOneTimeCode({ channel: 'sms', attemptId: 'login-attempt-77aa', at: minutes(0) });
  out.show('text message', `Positive User code: ${sms.code}`);
  const expired = verifyOneTimeCode(sms.challenge, sms.code, { at: minutes(11), attemptId: 'login-attempt-77aa' });
  out.show('typed 11 minutes later', expired.ok ? 'accepted' : expired.reason);
  const foreign = verifyOneTimeCode(sms.challenge, sms.code, { at: minutes(1), attemptId: 'login-attempt-other' });
  out.show('offered for another login attempt', foreign.ok ? 'accepted' : foreign.reason);
  out.say('Someone guessing: five wrong codes and the challenge is dead, even for the right code.');
  let guessed: OneTimeCodeChallenge = sms.challenge;
  for (let i = 0; i < 5; i++) {
    const guess = String(100000 + i * 111111).slice(0, 6);
    guessed = verifyOneTimeCode(guessed, guess === sms.code ? '999999' : guess, { at: minutes(1), attemptId: 'login-attempt-77aa' }).challenge;
  }
  const dead = verifyOneTimeCode(guessed, sms.code, { at: minutes(2), attemptId: 'login-attempt-77aa' });
  out.show('the right code after five wrong ones', { ok: dead.ok, reason: dead.ok ? undefined : dead.reason, attemptsLeft: dead.challenge.attemptsLeft });
  out.say('The host also counts failures per account (NIST SP 800-63B: at most 100) and prefers the app over SMS.');
}
