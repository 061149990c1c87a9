import { evaluateLogin, type LoginAttempt, type LoginDecision } from 'staffgate/login';
import { parseAccountPolicy, parseStaffOverride, resolvePolicy, type EffectivePolicy } from 'staffgate/policy';
import type { Printer } from './print.js';

// The seeds' login scenarios: office network only, road users, other time zones, 2FA, SSO.
export default function loginScenes(out: Printer): void {
  const monday0930 = '2026-11-23T09:30:00Z';
  const office = '203.0.113.7';
  const cafe = '198.51.100.23';
  const account = parseAccountPolicy({
    twoFactor: { required: true, methods: ['totp', 'email'] },
    ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
    loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
  });
  const everyone = resolvePolicy(account, [], { at: monday0930 });
  const show = (label: string, p: EffectivePolicy, attempt: LoginAttempt): void => {
    out.show(label, explain(evaluateLogin(p, attempt)));
  };

  out.scene('Login: the office network only, the café is refused');
  out.say('IP lockdown allows the office router’s network. Alex tries from the office, then from a café’s Wi-Fi.');
  show('Alex at the office', everyone, { method: 'google', ip: office, at: monday0930, verified: ['totp'] });
  show('Alex at the café', everyone, { method: 'google', ip: cafe, at: monday0930, verified: ['totp'] });

  out.scene('Login: 2FA enforced');
  out.say('A password login needs the e-mailed code first, then the second factor.');
  show('step 1: password accepted', everyone, { method: 'password', ip: office, at: monday0930, enrolled: ['totp'] });
  show('step 2: e-mailed code entered', everyone, { method: 'password', ip: office, at: monday0930, enrolled: ['totp'], verified: ['email_code'] });
  show('step 3: authenticator code entered', everyone, { method: 'password', ip: office, at: monday0930, enrolled: ['totp'], verified: ['email_code', 'totp'] });
  show('a new starter with no second factor yet', everyone, { method: 'google', ip: office, at: monday0930 });

  out.scene('Login: the road user');
  const roadUser = parseStaffOverride({ staffId: 'sam', reason: 'Field sales, changing networks daily', expiresAt: '2027-03-31T00:00:00Z', set: { ipLockdown: { enabled: false } } });
  const sam = resolvePolicy(account, [roadUser], { at: monday0930 });
  out.say('Sam’s override turns the IP lockdown off for Sam only; 2FA still applies.');
  show('Sam at a customer site', sam, { method: 'google', ip: cafe, at: monday0930, verified: ['totp'] });
  show('Alex at the same site', everyone, { method: 'google', ip: cafe, at: monday0930, verified: ['totp'] });
  out.say('The host caches Sam’s resolved policy. In April the override has expired, so the cached copy no longer holds: it is refused, and resolving again brings the lockdown back.');
  const april = '2027-04-05T09:30:00Z';
  show('Sam in April, cached policy', sam, { method: 'google', ip: cafe, at: april, verified: ['totp'] });
  show('Sam in April, resolved again', resolvePolicy(account, [roadUser], { at: april }), { method: 'google', ip: cafe, at: april, verified: ['totp'] });

  out.scene('Login: a staff member in another time zone');
  const kenji = resolvePolicy(account, [parseStaffOverride({ staffId: 'kenji', reason: 'Runs the Tokyo office', set: { loginHours: { timezone: 'Asia/Tokyo' }, ipLockdown: { enabled: false } } })], { at: monday0930 });
  out.say('At 09:30 in London it is 18:30 in Tokyo: Kenji’s office hours are over, and the message says when he can sign in.');
  show('Kenji at 09:30 London time', kenji, { method: 'google', ip: cafe, at: monday0930, verified: ['totp'] });
  show('Kenji at 00:30 London time (09:30 Tokyo)', kenji, { method: 'google', ip: cafe, at: '2026-11-24T00:30:00Z', verified: ['totp'] });

  out.scene('Login: an SSO-only workspace');
  const sso = resolvePolicy(parseAccountPolicy({ loginMethods: ['google', 'microsoft'] }), [], { at: monday0930 });
  out.say('Only Google and Microsoft logins are allowed. When IT removes a leaver’s company account, the identity provider refuses them,');
  out.say('and the password route that would bypass it is closed:');
  show('a leaver tries e-mail + password', sso, { method: 'password', ip: cafe, at: monday0930, verified: ['email_code'] });
}

function explain(d: LoginDecision): string {
  const next = d.challenge ? ` → next step: ${d.challenge.step}${'factors' in d.challenge ? ` (${d.challenge.factors.join(' or ')})` : ''}` : '';
  const why = d.reasons.map((r) => `\n    ${r.code} [${r.source}]: ${r.message}\n      audit: ${r.detail}`).join('');
  return `${d.outcome.toUpperCase()}${next}${why}`;
}
