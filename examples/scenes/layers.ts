import { evaluateLogin, lintPolicy, parseAccountPolicy, parseStaffOverride, resolvePolicy, simulateLogin, type EffectivePolicy } from 'staffgate';
import type { Printer } from './print.js';

// Rules for roles and teams instead of one exception per person: a travelling sales team,
// administrators on an authenticator app only, contractors on office hours.
export default function layerScenes(out: Printer): void {
  const at = '2026-11-23T09:00:00Z'; // a Monday morning in London
  const account = parseAccountPolicy({
    loginMethods: ['google', 'microsoft'],
    twoFactor: { required: true, methods: ['totp', 'sms', 'email'] },
    ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
    loginHours: { enabled: false, timezone: 'Europe/London', windows: [] },
    layers: [
      { id: 'sales-travel', reason: 'The sales team signs in from customer sites and hotels', appliesTo: { teams: ['sales'] }, set: { ipLockdown: { enabled: false } }, reviewBy: '2027-06-30T00:00:00Z' },
      { id: 'admins-totp', reason: 'Administrators sign in with an authenticator app only', appliesTo: { roles: ['admin'] }, set: { twoFactor: { methods: ['totp'] } } },
      {
        id: 'contractor-hours',
        reason: 'Contractors work office hours, Monday to Friday',
        appliesTo: { teams: ['contractors'] },
        set: { loginHours: { enabled: true, windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] } },
        expiresAt: '2027-12-31T00:00:00Z',
      },
    ],
  });

  out.scene('Layers: one rule for a whole team');
  out.say('300 sales staff travel. Instead of 300 exceptions, one layer for the team "sales" turns the IP lockdown off for all of them.');
  const lee = resolvePolicy(account, [], { at, member: { roles: ['member'], teams: ['sales'] } });
  out.show('Lee (team sales), IP lockdown', `${onOff(lee.ipLockdown.enabled)}, from ${from(lee, 'ipLockdown.enabled')}`);
  out.show('Lee signs in from a hotel', evaluateLogin(lee, { method: 'google', ip: '198.51.100.7', at, verified: ['sms'] }).outcome);
  const office = resolvePolicy(account, [], { at, member: { roles: ['member'], teams: ['support'] } });
  out.show('an office worker signs in from the hotel', evaluateLogin(office, { method: 'google', ip: '198.51.100.7', at, verified: ['sms'] }).outcome);

  out.scene('Layers: administrators on an authenticator app, contractors on office hours');
  const ada = resolvePolicy(account, [], { at, member: { roles: ['admin'] } });
  out.show('Ada (role admin), second factors', `${ada.twoFactor.methods.join(', ')}, from ${from(ada, 'twoFactor.methods')}`);
  const late = simulateLogin(account, [], { method: 'google', ip: '203.0.113.7', at: '2026-11-23T19:30:00Z', verified: ['totp'] }, { member: { teams: ['contractors'] } });
  const hours = late.trace.find((s) => s.rule === 'login_hours');
  out.show('a contractor at 19:30', `${late.decision.outcome}: ${hours?.detail ?? ''} [${hours?.source ?? ''}]`);

  out.scene('Layers: the order, and a person’s own exception');
  out.say('A person in several layers gets them in list order, then their own overrides, which win.');
  const sam = parseStaffOverride({ staffId: 'sam', reason: 'Visits the Tokyo office this quarter, on its network', reviewBy: '2027-01-31T00:00:00Z', set: { ipLockdown: { enabled: true, allow: ['192.0.2.0/24'] } } });
  const samPolicy = resolvePolicy(account, [sam], { at, member: { roles: ['admin'], teams: ['sales', 'contractors'] } });
  out.show('applied, in order', samPolicy.applied.map((a) => `${a.kind === 'layer' ? `layer ${a.id}` : `override of ${a.staffId}`} (${a.effect})`));
  out.show('Sam’s IP lockdown', `${onOff(samPolicy.ipLockdown.enabled)} with ${samPolicy.ipLockdown.allow.join(', ')}, from ${from(samPolicy, 'ipLockdown.enabled')}`);

  out.scene('Layers: what the linter says');
  const risky = parseAccountPolicy({
    ...account,
    layers: [
      ...(account.layers ?? []),
      { id: 'admins-anywhere', reason: 'Administrators fix outages from home', appliesTo: { roles: ['admin'] }, set: { ipLockdown: { enabled: false } } },
      { id: 'support-office', reason: 'Support works from the office network only', appliesTo: { teams: ['support', 'sales'] }, set: { ipLockdown: { enabled: true } }, reviewBy: '2026-11-01T00:00:00Z' },
    ],
  });
  for (const f of lintPolicy(risky, [], { at, teams: ['sales', 'support', 'contractors'] }).filter((x) => x.path.startsWith('layers'))) {
    out.show(`${f.severity} ${f.code}`, `${f.path}: ${f.message}`);
  }
}

function onOff(on: boolean): string {
  return on ? 'on' : 'off';
}

function from(p: EffectivePolicy, field: keyof EffectivePolicy['sources']): string {
  const s = p.sources[field];
  if (s.layer === 'account') return 'the account';
  return s.layer === 'layer' ? `layer ${s.layerId}` : `${s.staffId}’s override`;
}
