import {
  checkChangeSafety,
  diffPolicies,
  lintPolicy,
  parseAccountPolicy,
  parseStaffOverride,
  reviewOverrides,
  simulateLogin,
  type AdminAccess,
} from 'staffgate/policy';
import type { Printer } from './print.js';

// The seeds' advice, made into library calls: start strict, document why each exception
// exists, review exceptions regularly, and do not lock yourself out while tightening things.
export default function governanceScenes(out: Printer): void {
  const at = '2026-11-23T09:00:00Z'; // a Monday morning in London
  const account = parseAccountPolicy({
    loginMethods: ['google', 'microsoft', 'password'],
    twoFactor: { required: true, methods: ['totp', 'email'] },
    ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
    loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
  });
  const overrides = [
    parseStaffOverride({
      staffId: 'sam',
      reason: 'Field sales: signs in from customer sites and hotels every day',
      reviewBy: '2026-11-01T00:00:00Z',
      expiresAt: '2027-03-31T00:00:00Z',
      set: { ipLockdown: { enabled: false } },
    }),
    parseStaffOverride({ staffId: 'ada', reason: 'as requested', set: { twoFactor: { required: false } } }),
    parseStaffOverride({ staffId: 'ana', reason: 'Worked from home while the office was refurbished', expiresAt: '2026-10-31T00:00:00Z', set: { ipLockdown: { enabled: false } } }),
    parseStaffOverride({ staffId: 'kenji', reason: 'Runs the Tokyo office: office hours on a Tokyo clock', reviewBy: '2026-12-01T00:00:00Z', set: { loginHours: { timezone: 'Asia/Tokyo' } } }),
  ];

  out.scene('Governance: what the linter says about these settings');
  out.say('Ada is an administrator. The linter reads the settings and every exception the way a careful admin would.');
  for (const f of lintPolicy(account, overrides, { at, admins: ['ada'] })) out.show(`${f.severity} ${f.code}`, `${f.path}: ${f.message}`);

  out.scene('Governance: the review list');
  out.say('“Review overrides regularly”: which exceptions are overdue, coming up, expired or never scheduled?');
  const review = reviewOverrides(overrides, { at, dueWithinDays: 14 });
  for (const [title, items] of [
    ['overdue', review.overdue],
    ['due', review.due],
    ['expired', review.expired],
    ['unscheduled', review.unscheduled],
  ] as const) {
    out.show(title, items.length === 0 ? 'none' : items.map((i) => `${i.staffId}: “${i.reason}”${i.date === undefined ? '' : ` (${i.dateKind ?? ''} ${i.date}, ${when(i.days ?? 0)})`}`));
  }

  out.scene('Governance: a risky change caught before saving');
  const ada: AdminAccess = { staffId: 'ada', method: 'google', ip: '203.0.113.10', enrolled: ['totp'] };
  const grace: AdminAccess = { staffId: 'grace', method: 'password', ip: '192.0.2.44', enrolled: ['totp'], overrides: [] };
  out.say('Ada tightens the allowlist to the office’s new /28 and saves. Grace, the other admin, works from the branch office.');
  const tightened = parseAccountPolicy({ ...account, ipLockdown: { enabled: true, allow: ['203.0.113.16/28'] } });
  const verdict = checkChangeSafety(account, tightened, { actor: ada, admins: [ada, grace], at });
  out.show('safe', verdict.safe);
  out.show('why', verdict.reasons.map((r) => `${r.blocking ? 'blocking' : 'notice'}: ${r.message}`));
  out.say('The host refuses to save. Ada tries report-only mode first: the rule never denies, it only reports.');
  const trial = parseAccountPolicy({ ...account, ipLockdown: { enabled: true, allow: ['203.0.113.16/28'], mode: 'report' } });
  out.show('safe in report-only mode', checkChangeSafety(account, trial, { actor: ada, admins: [ada, grace], at }).safe);
  const sim = simulateLogin(trial, [], { method: 'google', ip: '203.0.113.10', at, verified: ['totp'] });
  out.show('Ada signs in during the trial', `${sim.decision.outcome}; reported: ${(sim.decision.reported ?? []).map((r) => `${r.code} (would ${r.wouldBe})`).join(', ')}`);
  out.say('Grace makes another change from a trade fair, where her exception switches the lockdown off until 10:00. She restricts the allowlist to the office and branch: she can still get in now, but not for long.');
  const fair = parseStaffOverride({ staffId: 'grace', reason: 'Trade fair in Lisbon: the venue network', expiresAt: '2026-11-23T10:00:00Z', set: { ipLockdown: { enabled: false } } });
  const atFair: AdminAccess = { ...grace, ip: '198.51.100.80', overrides: [fair] };
  const opened = parseAccountPolicy({ ...account, ipLockdown: { enabled: false, allow: [] } });
  const restricted = parseAccountPolicy({ ...account, ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '192.0.2.0/24'] } });
  const fairVerdict = checkChangeSafety(opened, restricted, { actor: atFair, admins: [ada], at });
  out.show('safe', fairVerdict.safe);
  out.show('why', fairVerdict.reasons.map((r) => `${r.blocking ? 'blocking' : 'notice'}: ${r.message}`));

  out.scene('Governance: the audit log of the change');
  out.say('Every save is recorded with what changed and whether it weakens or strengthens security.');
  for (const c of diffPolicies(account, trial)) out.show(c.effect, `${c.path}: ${c.message}`);
  const relaxed = parseAccountPolicy({ ...account, twoFactor: { required: true, methods: ['totp', 'email', 'sms'] }, loginMethods: ['google', 'microsoft'] });
  for (const c of diffPolicies(account, relaxed)) out.show(c.effect, `${c.path}: ${c.message}`);
  out.say('Mail exclusions are compared by the mail they keep out, not by their text: the whole domain in place of two directors keeps out more; "@*.acme.test" in place of "@acme.test" lets acme.test itself in, because it covers only the subdomains.');
  const withMail = (excluded: string[]) => parseAccountPolicy({ ...account, mail: { excluded } });
  const directors = withMail(['jane.roe@acme.test', 'omar.khan@acme.test']);
  const wholeDomain = withMail(['@acme.test']);
  for (const c of [...diffPolicies(directors, wholeDomain), ...diffPolicies(wholeDomain, withMail(['@*.acme.test']))]) out.show(c.effect, `${c.path}: ${c.message}`);
  out.say('An entry only re-typed (its case, a display name) is named as re-typed, not as added and removed, even beside a real change.');
  for (const c of diffPolicies(directors, withMail(['Jane Roe <Jane.Roe@ACME.test>', 'cfo@acme.test']))) out.show(c.effect, `${c.path}: ${c.message}`);

  out.scene('Governance: the what-if, with its trace');
  out.say('Sam tries to sign in from a hotel on Monday evening. What happens, and why? The simulation answers rule by rule.');
  const evening = simulateLogin(account, overrides, { method: 'password', ip: '198.51.100.23', at: '2026-11-23T19:30:00Z', verified: ['email_code', 'totp'] }, { staffId: 'sam' });
  for (const s of evening.trace) out.show(`${s.rule} ${s.status}`, `${s.detail} [${s.source}]`);
  out.show('decision', `${evening.decision.outcome}: ${evening.decision.reasons.map((r) => r.message).join(' ')}`);
}

function when(days: number): string {
  if (days === 0) return 'today';
  return days > 0 ? `in ${String(days)} days` : `${String(-days)} days ago`;
}
