import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  issueOneTimeCode,
  verifyOneTimeCode,
  type IssueOneTimeCodeInput,
  type OneTimeCodeChallenge,
  type VerifyOneTimeCodeOptions,
} from 'staffgate/otp';
import { thrownStaffgateError } from '../helpers.js';

const AT = Date.parse('2024-06-03T08:15:07.000Z');
const ATTEMPT = 'attempt-7f3a';

function issue(patch: Partial<IssueOneTimeCodeInput> = {}) {
  return issueOneTimeCode({ channel: 'email', at: AT, attemptId: ATTEMPT, ...patch });
}

function check(challenge: OneTimeCodeChallenge, code: string, patch: Partial<VerifyOneTimeCodeOptions> = {}) {
  return verifyOneTimeCode(challenge, code, { at: AT + 1000, attemptId: ATTEMPT, ...patch });
}

/** A six-digit code that is not `code`. */
function wrong(code: string): string {
  return code === '000000' ? '000001' : '000000';
}

function expectThrow(fn: () => unknown, code: string, path: (string | number)[]) {
  const err = thrownStaffgateError(fn);
  expect(err.code).toBe(code);
  expect(err.path).toEqual(path);
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('issueOneTimeCode', () => {
  it('issues six ASCII digits and a record with the documented defaults', () => {
    const { code, challenge } = issue();
    expect(code).toMatch(/^[0-9]{6}$/);
    expect(challenge).toEqual({
      version: 1,
      channel: 'email',
      purpose: 'second_factor',
      attemptId: ATTEMPT,
      digits: 6,
      issuedAt: '2024-06-03T08:15:07.000Z',
      expiresAt: '2024-06-03T08:25:07.000Z', // 10 minutes
      attemptsLeft: 5,
      usedAt: null,
      salt: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
    });
  });

  it('honours channel, purpose, ttlSeconds, digits and maxAttempts', () => {
    const { code, challenge } = issue({ channel: 'sms', ttlSeconds: 300, digits: 8, maxAttempts: 3 });
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(challenge).toMatchObject({ channel: 'sms', digits: 8, attemptsLeft: 3, expiresAt: '2024-06-03T08:20:07.000Z' });
    expect(issue({ purpose: 'email_code' }).challenge.purpose).toBe('email_code');
  });

  it('accepts every spelling of the instant', () => {
    for (const at of [AT, new Date(AT), '2024-06-03T08:15:07Z', '2024-06-03T10:15:07+02:00']) {
      expect(issue({ at }).challenge.issuedAt).toBe('2024-06-03T08:15:07.000Z');
    }
  });

  it('keeps no code in the record: only a salted hash that differs for the same code', () => {
    const values = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const a = issue();
    const b = issue();
    expect(values).toHaveBeenCalled();
    expect(JSON.stringify(a.challenge)).not.toContain(a.code);
    expect(a.challenge.salt).not.toBe(b.challenge.salt);
    expect(a.challenge.hash).not.toBe(b.challenge.hash);
  });

  it('maps random bytes to digits without modulo bias: bytes 250 to 255 are never used', () => {
    // Every other byte is one of 250..255; the rest are 3. A plain `byte % 10` would yield
    // 0 to 5 for the high bytes; rejection sampling yields only 3s.
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      const bytes = array as unknown as Uint8Array;
      for (let i = 0; i < bytes.length; i++) bytes[i] = i % 2 === 0 ? 250 + ((i / 2) % 6) : 3;
      return array;
    });
    expect(issue({ digits: 10 }).code).toBe('3333333333');
    expect(issue().code).toBe('333333');
  });

  it('keeps drawing when a whole batch of bytes is rejected', () => {
    let call = 0;
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      const bytes = array as unknown as Uint8Array;
      bytes.fill(call++ < 3 ? 255 : 17);
      return array;
    });
    expect(issue().code).toBe('777777');
  });

  it.each<[Partial<Record<keyof IssueOneTimeCodeInput, unknown>>, string[]]>([
    [{ channel: 'fax' }, ['channel']],
    [{ channel: undefined }, ['channel']],
    [{ purpose: 'login' }, ['purpose']],
    [{ channel: 'sms', purpose: 'email_code' }, ['purpose']],
    [{ attemptId: '' }, ['attemptId']],
    [{ attemptId: 'x'.repeat(257) }, ['attemptId']],
    [{ attemptId: 42 }, ['attemptId']],
    [{ ttlSeconds: 0 }, ['ttlSeconds']],
    [{ ttlSeconds: 3601 }, ['ttlSeconds']],
    [{ ttlSeconds: 1.5 }, ['ttlSeconds']],
    [{ ttlSeconds: '600' }, ['ttlSeconds']],
    [{ digits: 5 }, ['digits']],
    [{ digits: 11 }, ['digits']],
    [{ maxAttempts: 0 }, ['maxAttempts']],
    [{ maxAttempts: 11 }, ['maxAttempts']],
  ])('refuses %j with invalid_option', (patch, path) => {
    expectThrow(() => issue(patch as Partial<IssueOneTimeCodeInput>), 'invalid_option', path);
  });

  it.each([null, undefined, 'email'])('refuses input of %p with invalid_option', (bad) => {
    expectThrow(() => issueOneTimeCode(bad as never), 'invalid_option', []);
  });

  it.each([[Number.NaN], ['now'], ['2024-06-03T08:15:07'], [new Date(Number.NaN)], [-1], [253_402_300_500_000], [null]])(
    'refuses at = %p with invalid_instant',
    (at) => {
      expectThrow(() => issue({ at: at as number }), 'invalid_instant', ['at']);
    },
  );

  it('throws crypto_unavailable without crypto.getRandomValues', () => {
    vi.stubGlobal('crypto', {});
    expectThrow(() => issue(), 'crypto_unavailable', []);
  });
});

describe('verifyOneTimeCode: the right code', () => {
  it.each([
    ['email', 'second_factor', 'email'],
    ['sms', 'second_factor', 'sms'],
    ['email', 'email_code', 'email_code'],
  ] as const)('a %s code for %s verifies as the %s step', (channel, purpose, step) => {
    const { code, challenge } = issue({ channel, purpose });
    const result = check(challenge, code, { purpose });
    expect(result).toEqual({
      ok: true,
      verified: step,
      challenge: { ...challenge, attemptsLeft: 4, usedAt: '2024-06-03T08:15:08.000Z' },
    });
  });

  it('verifies after a JSON round trip through storage, extra host fields kept', () => {
    const { code, challenge } = issue();
    const stored = JSON.parse(JSON.stringify({ ...challenge, id: 'row-1' })) as OneTimeCodeChallenge;
    const result = check(stored, code);
    expect(result.ok).toBe(true);
    expect(result.challenge).toMatchObject({ id: 'row-1' });
  });

  it('verifies once only', () => {
    const { code, challenge } = issue();
    const first = check(challenge, code);
    expect(first.ok).toBe(true);
    expect(check(first.challenge, code)).toEqual({ ok: false, reason: 'code_already_used', challenge: first.challenge });
  });

  it('does not change the record it was given (pure transition)', () => {
    const { code, challenge } = issue();
    const before = structuredClone(challenge);
    check(challenge, wrong(code));
    check(challenge, code);
    expect(challenge).toEqual(before);
  });
});

describe('verifyOneTimeCode: expiry', () => {
  const { code, challenge } = issue({ ttlSeconds: 600 });
  const expires = AT + 600_000;
  it.each([
    [AT, true],
    [expires - 1, true],
    [expires, false],
    [expires + 1, false],
    [expires + 86_400_000, false],
    [AT - 5_000, true], // a little clock skew between the server that issued and the one that checks
  ])('at issue %+d ms: verifies = %s', (at, ok) => {
    const result = check(challenge, code, { at });
    expect(result.ok).toBe(ok);
    if (!ok) expect(result).toEqual({ ok: false, reason: 'code_expired', challenge });
  });

  it.each([[Number.NaN], ['later'], [null], [-1], [new Date(Number.NaN)]])('at = %p is instant_invalid and spends no try', (at) => {
    expect(check(challenge, code, { at: at as number })).toEqual({ ok: false, reason: 'instant_invalid', challenge });
  });
});

describe('verifyOneTimeCode: the try budget', () => {
  it('each wrong code spends one try; the right one still works on the last try', () => {
    const { code, challenge } = issue({ maxAttempts: 3 });
    const one = check(challenge, wrong(code));
    expect(one).toEqual({ ok: false, reason: 'code_invalid', challenge: { ...challenge, attemptsLeft: 2 } });
    const two = check(one.challenge, wrong(code));
    expect(two.challenge.attemptsLeft).toBe(1);
    const three = check(two.challenge, code);
    expect(three).toMatchObject({ ok: true, challenge: { attemptsLeft: 0 } });
  });

  it('an exhausted challenge refuses even the right code', () => {
    const issued = issue();
    const { code } = issued;
    let { challenge } = issued;
    for (let i = 0; i < 5; i++) challenge = check(challenge, wrong(code)).challenge;
    expect(challenge.attemptsLeft).toBe(0);
    expect(check(challenge, code)).toEqual({ ok: false, reason: 'attempts_exhausted', challenge });
  });

  it.each(['', '12345', '1234567', '12345a', ' 12345', '１２３４５６', '٠١٢٣٤٥', '123 456', '+12345'])(
    'the malformed code %j is refused and spends no try',
    (typed) => {
      const { challenge } = issue();
      expect(check(challenge, typed)).toEqual({ ok: false, reason: 'code_malformed', challenge });
    },
  );

  it('an 8-digit challenge wants 8 digits', () => {
    const { code, challenge } = issue({ digits: 8 });
    expect(check(challenge, code.slice(0, 6))).toMatchObject({ ok: false, reason: 'code_malformed' });
    expect(check(challenge, code).ok).toBe(true);
  });

  it.each([[123456], [null], [undefined], [{}]])('a non-string code %p is malformed', (typed) => {
    const { challenge } = issue();
    expect(check(challenge, typed as string)).toEqual({ ok: false, reason: 'code_malformed', challenge });
  });
});

describe('verifyOneTimeCode: binding to the attempt and the step', () => {
  it('refuses a code for another attempt and spends a try', () => {
    const mine = issue({ attemptId: 'attempt-A' });
    const theirs = issue({ attemptId: 'attempt-B' });
    const result = verifyOneTimeCode(mine.challenge, theirs.code, { at: AT, attemptId: 'attempt-B' });
    expect(result).toEqual({ ok: false, reason: 'attempt_mismatch', challenge: { ...mine.challenge, attemptsLeft: 4 } });
    // Even the right code is refused when the caller names another attempt.
    expect(verifyOneTimeCode(mine.challenge, mine.code, { at: AT, attemptId: 'attempt-B' })).toMatchObject({
      ok: false,
      reason: 'attempt_mismatch',
    });
  });

  it('the login code and the e-mail second factor are different steps', () => {
    const login = issue({ purpose: 'email_code' });
    expect(check(login.challenge, login.code)).toMatchObject({ ok: false, reason: 'purpose_mismatch', challenge: { attemptsLeft: 4 } });
    const factor = issue({ purpose: 'second_factor' });
    expect(check(factor.challenge, factor.code, { purpose: 'email_code' })).toMatchObject({ ok: false, reason: 'purpose_mismatch' });
  });

  it.each<[string, Partial<OneTimeCodeChallenge>]>([
    ['attemptId', { attemptId: 'attempt-other' }],
    ['purpose', { purpose: 'email_code' }],
    ['channel', { channel: 'sms' }],
    ['salt', { salt: '0'.repeat(32) }],
  ])('editing %s in the stored record makes the right code fail', (_field, edit) => {
    const { code, challenge } = issue();
    const edited = { ...challenge, ...edit };
    const result = verifyOneTimeCode(edited, code, { at: AT, attemptId: edited.attemptId, purpose: edited.purpose });
    expect(result).toMatchObject({ ok: false, reason: 'code_invalid' });
  });
});

describe('verifyOneTimeCode: corrupt records are refused, never thrown', () => {
  const { code, challenge } = issue();
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'challenge'],
    ['an array', []],
    ['version 2', { ...challenge, version: 2 }],
    ['channel fax', { ...challenge, channel: 'fax' }],
    ['sms login code', { ...challenge, channel: 'sms', purpose: 'email_code' }],
    ['unknown purpose', { ...challenge, purpose: 'other' }],
    ['empty attemptId', { ...challenge, attemptId: '' }],
    ['attemptsLeft -1', { ...challenge, attemptsLeft: -1 }],
    ['attemptsLeft 11', { ...challenge, attemptsLeft: 11 }],
    ['attemptsLeft 1.5', { ...challenge, attemptsLeft: 1.5 }],
    ['attemptsLeft "5"', { ...challenge, attemptsLeft: '5' }],
    ['digits 5', { ...challenge, digits: 5 }],
    ['short salt', { ...challenge, salt: challenge.salt.slice(2) }],
    ['upper-case hash', { ...challenge, hash: challenge.hash.toUpperCase() }],
    ['missing hash', { ...challenge, hash: undefined }],
    ['expiry before issue', { ...challenge, expiresAt: challenge.issuedAt }],
    ['lifetime over an hour', { ...challenge, expiresAt: '2024-06-03T09:15:08.000Z' }],
    ['expiry without offset', { ...challenge, expiresAt: '2024-06-03T08:25:07' }],
    ['missing usedAt', { ...challenge, usedAt: undefined }],
    ['usedAt not an instant', { ...challenge, usedAt: 'yesterday' }],
  ])('%s', (_label, record) => {
    const result = check(record as OneTimeCodeChallenge, code);
    expect(result).toEqual({ ok: false, reason: 'challenge_invalid', challenge: record });
  });

  it('options that are not an object give instant_invalid', () => {
    expect(verifyOneTimeCode(challenge, code, undefined as unknown as VerifyOneTimeCodeOptions)).toMatchObject({
      ok: false,
      reason: 'instant_invalid',
    });
  });
});

describe('verifyOneTimeCode: which reason comes first', () => {
  it('used before expired before exhausted before binding before the code', () => {
    const { code, challenge } = issue();
    const late = AT + 3_600_000;
    const used = { ...challenge, usedAt: challenge.issuedAt, attemptsLeft: 0 };
    expect(check(used, 'x', { at: late, attemptId: 'other' })).toMatchObject({ reason: 'code_already_used' });
    const spent = { ...challenge, attemptsLeft: 0 };
    expect(check(spent, 'x', { at: late, attemptId: 'other' })).toMatchObject({ reason: 'code_expired' });
    expect(check(spent, 'x', { attemptId: 'other' })).toMatchObject({ reason: 'attempts_exhausted' });
    expect(check(challenge, 'x', { attemptId: 'other' })).toMatchObject({ reason: 'attempt_mismatch' });
    expect(check(challenge, 'x', { purpose: 'email_code' })).toMatchObject({ reason: 'purpose_mismatch' });
    expect(check(challenge, 'x')).toMatchObject({ reason: 'code_malformed' });
    expect(check(challenge, wrong(code))).toMatchObject({ reason: 'code_invalid' });
  });
});

describe('verifyOneTimeCode: clocks and tampered input', () => {
  const issued = issueOneTimeCode({ channel: 'email', at: AT, attemptId: ATTEMPT, purpose: 'email_code' });
  const options = { attemptId: ATTEMPT, purpose: 'email_code' } as const;

  it('a check far before the code was issued is refused: that clock cannot judge expiry', () => {
    expect(verifyOneTimeCode(issued.challenge, issued.code, { ...options, at: 0 })).toMatchObject({ ok: false, reason: 'instant_invalid' });
    expect(verifyOneTimeCode(issued.challenge, issued.code, { ...options, at: AT - 5 * 60_000 - 1 })).toMatchObject({ ok: false, reason: 'instant_invalid' });
  });

  it('a little clock skew between servers is accepted', () => {
    expect(verifyOneTimeCode(issued.challenge, issued.code, { ...options, at: AT - 5 * 60_000 })).toMatchObject({ ok: true });
  });

  it('a record or options object whose reading throws is refused, not thrown', () => {
    const record = Object.defineProperty({ ...issued.challenge }, 'hash', { get() { throw new Error('boom'); } });
    expect(verifyOneTimeCode(record, issued.code, { ...options, at: AT })).toMatchObject({ ok: false, reason: 'challenge_invalid' });
    const badOptions = Object.defineProperty({ purpose: 'email_code' }, 'attemptId', { get() { throw new Error('boom'); } });
    expect(verifyOneTimeCode(issued.challenge, issued.code, { ...badOptions, at: AT } as never)).toMatchObject({ ok: false });
    const throwingOptions = Object.defineProperty({ at: AT, purpose: 'email_code' }, 'attemptId', { get() { throw new Error('boom'); } });
    expect(verifyOneTimeCode(issued.challenge, issued.code, throwingOptions as never)).toMatchObject({ ok: false, reason: 'challenge_invalid' });
  });

  it('a stored hash damaged at its last character refuses the right code', () => {
    const last = issued.challenge.hash.slice(-1);
    const hash = `${issued.challenge.hash.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    expect(verifyOneTimeCode({ ...issued.challenge, hash }, issued.code, { ...options, at: AT })).toMatchObject({ ok: false, reason: 'code_invalid' });
  });

  it('a used code whose usedAt was not stored stays refused when Object.prototype is polluted', () => {
    const used = verifyOneTimeCode(issued.challenge, issued.code, { ...options, at: AT });
    expect(used.ok).toBe(true);
    const row: Record<string, unknown> = { ...used.challenge };
    delete row.usedAt;
    const polluted = Object.prototype as Record<string, unknown>;
    try {
      polluted.usedAt = null;
      expect(verifyOneTimeCode(row as never, issued.code, { ...options, at: AT + 1 })).toMatchObject({ ok: false, reason: 'challenge_invalid' });
    } finally {
      delete polluted.usedAt;
    }
  });

  it('fields a storage class defines on its prototype are read as usual', () => {
    const rest: Record<string, unknown> = { ...issued.challenge };
    delete rest.usedAt;
    class Row {
      get usedAt(): string | null {
        return null;
      }
    }
    const row = Object.assign(new Row(), rest) as unknown as OneTimeCodeChallenge;
    expect(verifyOneTimeCode(row, issued.code, { ...options, at: AT })).toMatchObject({ ok: true, verified: 'email_code' });
  });
});
