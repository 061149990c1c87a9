import { parseAccountPolicy, parseStaffOverride, resolvePolicy, safeParseAccountPolicy, type EffectivePolicy } from 'staffgate/policy';
import type { Printer } from './print.js';

// The seeds' "Settings: Security" article: one baseline for everybody, exceptions per person.
export default function policyScenes(out: Printer): void {
  const at = '2026-11-23T09:00:00Z';
  const account = parseAccountPolicy({
    twoFactor: { required: true, methods: ['totp', 'email'] },
    ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
    loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
  });

  out.scene('Settings: the office baseline');
  out.say('The account enforces 2FA, locks logins to the office network and allows weekday office hours in London.');
  out.show('effective policy for an office worker', summary(resolvePolicy(account, [], { at })));

  out.scene('Settings: a road user’s IP exception');
  const road = parseStaffOverride({
    staffId: 'sam',
    reason: 'Field sales: logs in from customer sites and hotels every day',
    expiresAt: '2027-03-31T00:00:00Z',
    reviewBy: '2027-01-15T00:00:00Z',
    set: { ipLockdown: { enabled: false } },
  });
  const samPolicy = resolvePolicy(account, [road], { at });
  out.say('Sam travels, so the IP lockdown is off for Sam alone; 2FA and hours still come from the account.');
  out.show('effective policy for Sam', summary(samPolicy));
  out.show('what the exception changes', samPolicy.applied.map((a) => `${a.effect}: ${a.changes.map((c) => `${c.field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ')} (“${a.reason}”)`));

  out.scene('Settings: a staff member in another time zone');
  const tokyo = parseStaffOverride({ staffId: 'kenji', reason: 'Runs the Tokyo office', set: { loginHours: { timezone: 'Asia/Tokyo' } } });
  const kenjiPolicy = resolvePolicy(account, [tokyo], { at });
  out.say('Kenji keeps the office hours, 08:00–18:00 on weekdays, but read on a Tokyo clock.');
  out.show('effective login hours for Kenji', `${kenjiPolicy.loginHours.timezone}, windows from ${sourceName(kenjiPolicy, 'loginHours.windows')}, zone from ${sourceName(kenjiPolicy, 'loginHours.timezone')}`);

  out.scene('Settings: an expired exception');
  const expired = parseStaffOverride({
    staffId: 'ana',
    reason: 'Worked from home while the office was refurbished',
    expiresAt: '2026-10-31T00:00:00Z',
    set: { ipLockdown: { enabled: false } },
  });
  const anaPolicy = resolvePolicy(account, [expired], { at });
  out.say('Ana’s exception ended on 31 October, so the office lockdown applies to her again.');
  out.show('IP lockdown for Ana', `${String(anaPolicy.ipLockdown.enabled)} (from ${sourceName(anaPolicy, 'ipLockdown.enabled')})`);
  out.show('ignored', anaPolicy.ignored.map((i) => `override ${String(i.index)}: ${i.message}`));

  out.scene('Settings: a mistake is caught when the settings are saved');
  const bad = safeParseAccountPolicy({ loginHours: { enabled: true, timezone: 'UTC+25' }, ipLockdown: { allow: ['10.0.0.0/33'] } });
  if (!bad.ok) out.show('refused', bad.error.issues.map((i) => `${i.code} at ${i.path.join('.')}: ${i.message}`));
}

function sourceName(p: EffectivePolicy, field: keyof EffectivePolicy['sources']): string {
  const s = p.sources[field];
  if (s.layer === 'account') return 'the account';
  return s.layer === 'layer' ? `layer ${s.layerId}` : `${s.staffId}’s override`;
}

function summary(p: EffectivePolicy): string {
  return [
    `methods ${p.loginMethods.join(', ')}`,
    `2FA ${p.twoFactor.required ? `required (${p.twoFactor.methods.join(', ')})` : 'optional'}`,
    `IP lockdown ${p.ipLockdown.enabled ? `on (${String(p.ipLockdown.allow.length)} entries)` : 'off'}`,
    `hours ${p.loginHours.enabled ? `on, ${p.loginHours.timezone}` : 'off'}`,
  ].join('; ');
}
