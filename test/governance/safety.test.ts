import { describe, expect, it } from 'vitest';
import { checkChangeSafety, parseAccountPolicy, recordLoginFailure, type LockoutRecord, parseStaffOverride, type AccountPolicyInput, type AdminAccess } from 'staffgate';

const at = '2026-11-23T09:00:00Z'; // Monday 09:00 in London
const office: AccountPolicyInput = {
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '2001:db8::/32'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
};
const current = parseAccountPolicy(office);
const propose = (patch: AccountPolicyInput) => parseAccountPolicy({ ...office, ...patch });

const ada: AdminAccess = { staffId: 'ada', method: 'google', ip: '203.0.113.10', enrolled: ['totp'] };
const grace: AdminAccess = { staffId: 'grace', method: 'password', ip: '203.0.113.20', enrolled: ['email'] };
const linus: AdminAccess = { staffId: 'linus', method: 'microsoft', ip: '2001:db8::7', enrolled: ['totp'] };
const admins = [ada, grace, linus];

describe('checkChangeSafety', () => {
  it('a change that keeps everyone in is safe', () => {
    const v = checkChangeSafety(current, propose({ twoFactor: { required: true, methods: ['totp', 'email', 'sms'] } }), { actor: ada, admins, at });
    expect(v).toMatchObject({ safe: true, actorLockedOut: false, allAdminsLockedOut: false, lockedOut: [] });
  });

  it('taking the actor’s own network out of the allowlist locks them out', () => {
    const v = checkChangeSafety(current, propose({ ipLockdown: { enabled: true, allow: ['203.0.113.16/28', '2001:db8::/32'] } }), { actor: ada, admins, at });
    expect(v.safe).toBe(false);
    expect(v.actorLockedOut).toBe(true);
    expect(v.allAdminsLockedOut).toBe(false);
    expect(v.lockedOut).toEqual([
      { staffId: 'ada', actor: true, causedByChange: true, reasons: [expect.objectContaining({ code: 'ip_not_allowed' })] },
    ]);
    expect(v.reasons[0]).toMatchObject({ code: 'actor_locked_out', blocking: true, staffId: 'ada' });
  });

  it('enforcing a report-only lockout the actor is already past locks them out', () => {
    const watching = parseAccountPolicy({ ...office, lockout: { mode: 'report' } });
    let record: LockoutRecord | undefined;
    for (let i = 0; i < 10; i++) record = recordLoginFailure(record, { policy: watching, at: Date.parse(at) - 60_000 + i, ip: ada.ip });
    const actor: AdminAccess = { ...ada, lockout: record ?? null };
    const v = checkChangeSafety(watching, propose({ lockout: { mode: 'enforce' } }), { actor, admins: [actor, grace, linus], at });
    expect(v.safe).toBe(false);
    expect(v.lockedOut).toEqual([{ staffId: 'ada', actor: true, causedByChange: true, reasons: [expect.objectContaining({ code: 'locked_out' })] }]);
    // Still report-only: the same record lets them in.
    expect(checkChangeSafety(watching, watching, { actor, admins: [actor], at }).safe).toBe(true);
  });

  it('another admin locked out alone is reported but does not make the change unsafe', () => {
    const v = checkChangeSafety(current, propose({ loginMethods: ['google', 'microsoft'] }), { actor: ada, admins, at });
    expect(v.safe).toBe(true);
    expect(v.lockedOut.map((l) => [l.staffId, l.reasons.map((r) => r.code)])).toEqual([['grace', ['method_not_allowed']]]);
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'admin_locked_out', blocking: false, staffId: 'grace' })]);
  });

  it('an empty allowlist locks out every admin', () => {
    const v = checkChangeSafety(current, propose({ ipLockdown: { enabled: true, allow: [] } }), { actor: ada, admins, at });
    expect(v).toMatchObject({ safe: false, actorLockedOut: true, allAdminsLockedOut: true });
    expect(v.lockedOut.map((l) => l.staffId)).toEqual(['ada', 'grace', 'linus']);
    expect(v.reasons[0]).toMatchObject({ code: 'all_admins_locked_out', blocking: true });
  });

  it('2FA with no factor allowed locks out every admin', () => {
    const v = checkChangeSafety(current, propose({ twoFactor: { required: true, methods: [] } }), { actor: ada, admins, at });
    expect(v.allAdminsLockedOut).toBe(true);
  });

  it('the same change in report-only mode is safe: report-only rules never deny', () => {
    const v = checkChangeSafety(current, propose({ ipLockdown: { enabled: true, allow: [], mode: 'report' } }), { actor: ada, admins, at });
    expect(v).toMatchObject({ safe: true, lockedOut: [] });
  });

  it('requiring a factor an admin has not set up is a notice, not a lockout: they enrol at next sign-in', () => {
    const v = checkChangeSafety(current, propose({ twoFactor: { required: true, methods: ['totp'] } }), { actor: ada, admins, at });
    expect(v.safe).toBe(true);
    expect(v.lockedOut).toEqual([]);
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'admin_must_enroll', blocking: false, staffId: 'grace' })]);
  });

  it('shorter hours that have closed for the actor lock them out until the next window', () => {
    const v = checkChangeSafety(current, propose({ loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '10:00', end: '18:00' }] } }), {
      actor: ada,
      admins: [],
      at,
    });
    expect(v.actorLockedOut).toBe(true);
    expect(v.lockedOut[0]?.until).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(v.reasons.find((r) => r.code === 'actor_locked_out')?.message).toContain('until 2026-11-23T10:00:00.000Z');
  });

  it('hours with no window lock out for good: no `until`', () => {
    const v = checkChangeSafety(current, propose({ loginHours: { enabled: true, timezone: 'UTC', windows: [] } }), { actor: ada, admins: [], at });
    expect(v.lockedOut[0]).not.toHaveProperty('until');
  });

  it('a lockout that already exists is not caused by the change', () => {
    const away: AdminAccess = { ...grace, ip: '198.51.100.9' };
    const v = checkChangeSafety(current, propose({ twoFactor: { required: true, methods: ['totp', 'email', 'sms'] } }), { actor: ada, admins: [ada, away], at });
    expect(v.lockedOut).toEqual([expect.objectContaining({ staffId: 'grace', causedByChange: false })]);
  });

  it('an admin’s own overrides count, and a change to them is checked through proposedOverrides', () => {
    const roaming = parseStaffOverride({ staffId: 'grace', reason: 'Travels to customer sites every week', reviewBy: '2027-01-01T00:00:00Z', set: { ipLockdown: { enabled: false } } });
    const remote: AdminAccess = { ...grace, ip: '198.51.100.9', overrides: [roaming] };
    expect(checkChangeSafety(current, current, { actor: ada, admins: [remote], at }).lockedOut).toEqual([]);
    const revoked = checkChangeSafety(current, current, { actor: ada, admins: [{ ...remote, proposedOverrides: [] }], at });
    expect(revoked.lockedOut).toEqual([expect.objectContaining({ staffId: 'grace', causedByChange: true })]);
  });

  it('says when a change leaves an admin getting in only through an exception that is about to expire', () => {
    // Ada is at a conference until 10:00 with the lockdown off for her. The change enforces a
    // lockdown she was outside of only because the account had none.
    const open = parseAccountPolicy({ ...office, ipLockdown: { enabled: false, allow: [] } });
    const trip = parseStaffOverride({ staffId: 'ada', reason: 'Conference in Lisbon: hotel network', expiresAt: '2026-11-23T10:00:00Z', set: { ipLockdown: { enabled: false } } });
    const away: AdminAccess = { ...ada, ip: '198.51.100.7', overrides: [trip] };
    const lockdown = propose({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] } });
    const v = checkChangeSafety(open, lockdown, { actor: away, admins: [grace], at });
    expect(v.safe).toBe(true);
    expect(v.reasons).toEqual([
      {
        code: 'admin_access_expires',
        blocking: false,
        staffId: 'ada',
        message: 'You would get in only through an exception that expires at 2026-11-23T10:00:00Z: after it, these settings would lock you out (ip_not_allowed).',
      },
    ]);
    // Not when the exception has no expiry, nor when she already relied on it before the change.
    expect(checkChangeSafety(open, lockdown, { actor: { ...away, overrides: [parseStaffOverride({ ...trip, expiresAt: undefined })] }, admins: [grace], at }).reasons).toEqual([]);
    expect(checkChangeSafety(lockdown, lockdown, { actor: away, admins: [grace], at }).reasons).toEqual([]);
  });

  it('admin_access_expires names the expiry the admin depends on, whatever else the list holds', () => {
    const open = parseAccountPolicy({ ...office, ipLockdown: { enabled: false, allow: [] } });
    const lockdown = propose({ ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] } });
    const trip = parseStaffOverride({ staffId: 'ada', reason: 'Conference in Lisbon: hotel network', expiresAt: '2026-11-23T10:00:00Z', set: { ipLockdown: { enabled: false } } });
    // Expires first, but is not what lets her in: another person's, and one of her own that adds a factor.
    const bobs = parseStaffOverride({ staffId: 'bob', reason: 'Contractor: payroll export this week', expiresAt: '2026-11-23T09:30:00Z', set: { loginMethods: ['google'] } });
    const sms = parseStaffOverride({ staffId: 'ada', reason: 'Phone repair: SMS codes meanwhile', expiresAt: '2026-11-23T09:15:00Z', set: { twoFactor: { methods: ['totp', 'sms'] } } });
    // And one that expires later but is not what lets her in either.
    const email = parseStaffOverride({ staffId: 'ada', reason: 'Backup factor while abroad: e-mail codes', expiresAt: '2026-12-01T00:00:00Z', set: { twoFactor: { methods: ['totp', 'email'] } } });
    const away: AdminAccess = { ...ada, ip: '198.51.100.7', overrides: [bobs, sms, trip, email] };
    const notice = (v: ReturnType<typeof checkChangeSafety>) => v.reasons.find((r) => r.code === 'admin_access_expires')?.message;
    expect(notice(checkChangeSafety(open, lockdown, { actor: away, admins: [grace], at }))).toContain('expires at 2026-11-23T10:00:00Z');
    // Only in the proposed overrides (the change adds the trip): still noted.
    expect(notice(checkChangeSafety(open, lockdown, { actor: { ...away, overrides: [], proposedOverrides: [trip] }, admins: [grace], at }))).toContain('2026-11-23T10:00:00Z');
    // A lasting exception lets her in as well: nothing to note.
    const lasting = parseStaffOverride({ staffId: 'ada', reason: 'Works from the Lisbon branch office', set: { ipLockdown: { allow: ['198.51.100.0/24'] } } });
    expect(notice(checkChangeSafety(open, lockdown, { actor: { ...away, overrides: [lasting, trip] }, admins: [grace], at }))).toBeUndefined();
  });

  it('the actor is checked even when not listed among the admins, and counted once when listed', () => {
    const change = propose({ ipLockdown: { enabled: true, allow: [] } });
    expect(checkChangeSafety(current, change, { actor: ada, admins: [], at })).toMatchObject({ actorLockedOut: true, allAdminsLockedOut: true });
    const listed = checkChangeSafety(current, change, { actor: ada, admins: [ada, ada, grace], at });
    expect(listed.lockedOut.map((l) => l.staffId)).toEqual(['ada', 'grace']);
  });

  it('the actor’s live address wins over their listed usual one', () => {
    const change = propose({ ipLockdown: { enabled: true, allow: ['203.0.113.0/28', '2001:db8::/32'] } });
    const v = checkChangeSafety(current, change, { actor: { ...ada, ip: '203.0.113.99' }, admins: [ada], at });
    expect(v.actorLockedOut).toBe(true);
  });

  it('an unreadable actor address fails closed: the actor counts as locked out', () => {
    const v = checkChangeSafety(current, current, { actor: { ...ada, ip: '203.0.113.010' }, admins: [], at });
    expect(v).toMatchObject({ safe: false, actorLockedOut: true, lockedOut: [{ reasons: [{ code: 'ip_invalid' }] }] });
  });

  it('bad options throw, naming the field', () => {
    expect(() => checkChangeSafety(current, current, { actor: ada, admins, at: 'now' })).toThrow(expect.objectContaining({ code: 'invalid_instant' }) as Error);
    expect(() => checkChangeSafety(current, current, { actor: { ...ada, staffId: '' }, admins, at })).toThrow(expect.objectContaining({ code: 'invalid_option', path: ['actor'] }) as Error);
    expect(() => checkChangeSafety(current, current, { actor: ada, admins: [ada, null as never], at })).toThrow(expect.objectContaining({ path: ['admins', 1] }) as Error);
    expect(() => checkChangeSafety(current, current, { actor: ada, admins: 'ada' as never, at })).toThrow(expect.objectContaining({ path: ['admins'] }) as Error);
    expect(() => checkChangeSafety(current, { twoFactor: { methods: ['push'] } } as never, { actor: ada, admins, at })).toThrow(expect.objectContaining({ path: ['proposed', 'twoFactor', 'methods', 0] }) as Error);
  });
});
