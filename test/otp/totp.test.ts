import { afterEach, describe, expect, it, vi } from 'vitest';
import { StaffgateError } from '../../src/errors.js';
import { createTotpEnrollment, verifyTotp, type TotpVerifyInput } from 'staffgate/otp';
import { base32, totpAtStep, unbase32, STEP_MS } from './reference.js';
import { thrownStaffgateError } from '../helpers.js';

// RFC 4226 appendix D / RFC 6238 appendix B: the ASCII secret "12345678901234567890".
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_BYTES = unbase32(RFC_SECRET);

const NOW = Date.UTC(2024, 5, 3, 8, 15, 7); // a Monday morning
const NOW_STEP = Math.floor(NOW / STEP_MS);
const SECRET = base32(Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 255));
const SECRET_BYTES = unbase32(SECRET);
const codeAt = (step: number, bytes = SECRET_BYTES) => totpAtStep(bytes, step);

function verify(overrides: Partial<TotpVerifyInput> = {}) {
  return verifyTotp({ secret: SECRET, code: codeAt(NOW_STEP), at: NOW, ...overrides });
}

function expectOptionError(fn: () => unknown, path: (string | number)[]) {
  const err = thrownStaffgateError(fn);
  expect(err.code).toBe('invalid_option');
  expect(err.path).toEqual(path);
}

describe('verifyTotp: RFC test vectors', () => {
  // RFC 6238 appendix B, SHA-1, 8-digit values; a 6-digit code is the last six digits.
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('RFC 6238 at %i s accepts %s as its last six digits', (seconds, eight) => {
    const result = verifyTotp({ secret: RFC_SECRET, code: eight.slice(2), at: seconds * 1000, window: 0 });
    expect(result).toEqual({ ok: true, step: Math.floor(seconds / 30), drift: 0 });
  });

  // RFC 4226 appendix D: HOTP(K, C) is the TOTP code of time step C.
  it.each([
    [0, '755224'],
    [1, '287082'],
    [2, '359152'],
    [3, '969429'],
    [4, '338314'],
    [5, '254676'],
    [6, '287922'],
    [7, '162583'],
    [8, '399871'],
    [9, '520489'],
  ])('RFC 4226 counter %i accepts %s at that time step', (counter, code) => {
    expect(totpAtStep(RFC_BYTES, counter)).toBe(code); // the reference agrees with the RFC
    expect(verifyTotp({ secret: RFC_SECRET, code, at: counter * STEP_MS + 12_345, window: 0 })).toEqual({ ok: true, step: counter, drift: 0 });
  });

  it('the same instant in every spelling gives the same decision', () => {
    const code = '050471';
    for (const at of [1111111111_000, new Date(1111111111_000), '2005-03-18T01:58:31Z', '2005-03-18T02:58:31.000+01:00']) {
      expect(verifyTotp({ secret: RFC_SECRET, code, at, window: 0 })).toEqual({ ok: true, step: 37037037, drift: 0 });
    }
  });
});

describe('verifyTotp: the window', () => {
  it.each([
    // [window, offset of the code's step from now, accepted]
    [1, -1, true],
    [1, 0, true],
    [1, 1, true],
    [1, -2, false],
    [1, 2, false],
    [0, 0, true],
    [0, -1, false],
    [0, 1, false],
    [2, -2, true],
    [2, 2, true],
    [2, 3, false],
    [10, -10, true],
    [10, 11, false],
  ])('window %i, code from step now%+i: accepted = %s', (window, offset, accepted) => {
    const result = verify({ code: codeAt(NOW_STEP + offset), window });
    expect(result).toEqual(accepted ? { ok: true, step: NOW_STEP + offset, drift: offset } : { ok: false, reason: 'code_invalid' });
  });

  it('the default window is one step either side', () => {
    expect(verify({ code: codeAt(NOW_STEP - 1) }).ok).toBe(true);
    expect(verify({ code: codeAt(NOW_STEP + 1) }).ok).toBe(true);
    expect(verify({ code: codeAt(NOW_STEP + 2) })).toEqual({ ok: false, reason: 'code_invalid' });
  });

  it('steps change exactly at multiples of 30 s', () => {
    const step = 56_789_012;
    const code = codeAt(step);
    const start = step * STEP_MS;
    expect(verify({ code, at: start - 1, window: 0 })).toEqual({ ok: false, reason: 'code_invalid' });
    expect(verify({ code, at: start, window: 0 })).toEqual({ ok: true, step, drift: 0 });
    expect(verify({ code, at: start + STEP_MS - 1, window: 0 })).toEqual({ ok: true, step, drift: 0 });
    expect(verify({ code, at: start + STEP_MS, window: 0 })).toEqual({ ok: false, reason: 'code_invalid' });
    // With the default window the code lives from one step before to one step after its own.
    expect(verify({ code, at: start - STEP_MS })).toEqual({ ok: true, step, drift: 1 });
    expect(verify({ code, at: start - STEP_MS - 1 })).toEqual({ ok: false, reason: 'code_invalid' });
    expect(verify({ code, at: start + 2 * STEP_MS - 1 })).toEqual({ ok: true, step, drift: -1 });
    expect(verify({ code, at: start + 2 * STEP_MS })).toEqual({ ok: false, reason: 'code_invalid' });
  });

  it('works at the very first time steps, where the window would reach below zero', () => {
    expect(verifyTotp({ secret: RFC_SECRET, code: '755224', at: 0 })).toEqual({ ok: true, step: 0, drift: 0 });
    expect(verifyTotp({ secret: RFC_SECRET, code: '287082', at: 0 })).toEqual({ ok: true, step: 1, drift: 1 });
  });
});

describe('verifyTotp: single use', () => {
  it('refuses the same code once its step is stored', () => {
    const first = verify();
    expect(first).toEqual({ ok: true, step: NOW_STEP, drift: 0 });
    expect(verify({ lastUsedStep: NOW_STEP })).toEqual({ ok: false, reason: 'code_replayed' });
    expect(verify({ at: NOW + 20_000, lastUsedStep: NOW_STEP })).toEqual({ ok: false, reason: 'code_replayed' });
  });

  it.each([
    // [offset of the code's step, lastUsedStep relative to now, expected]
    [0, -1, 'ok'],
    [0, -5, 'ok'],
    [1, 0, 'ok'],
    [0, 0, 'code_replayed'],
    [-1, 0, 'code_replayed'],
    [-1, -1, 'code_replayed'],
    [0, 1, 'code_replayed'],
    [1, 1, 'code_replayed'],
    [-1, -2, 'ok'],
  ] as const)('code from step now%+i with lastUsedStep now%+i: %s', (offset, lastOffset, expected) => {
    const result = verify({ code: codeAt(NOW_STEP + offset), lastUsedStep: NOW_STEP + lastOffset });
    expect(result).toEqual(expected === 'ok' ? { ok: true, step: NOW_STEP + offset, drift: offset } : { ok: false, reason: expected });
  });

  it('tells a replay from a wrong code at the very first time steps too', () => {
    expect(verifyTotp({ secret: RFC_SECRET, code: '755224', at: 0, lastUsedStep: 0 })).toEqual({ ok: false, reason: 'code_replayed' });
    expect(verifyTotp({ secret: RFC_SECRET, code: '287082', at: 0, lastUsedStep: 0 })).toEqual({ ok: true, step: 1, drift: 1 });
    expect(verifyTotp({ secret: RFC_SECRET, code: '287082', at: 0, lastUsedStep: 1 })).toEqual({ ok: false, reason: 'code_replayed' });
    expect(verifyTotp({ secret: RFC_SECRET, code: '359152', at: 0, lastUsedStep: 1 })).toEqual({ ok: false, reason: 'code_invalid' });
  });

  it('a wrong code is code_invalid, not code_replayed, when a step is stored', () => {
    expect(verify({ code: codeAt(NOW_STEP + 5), lastUsedStep: NOW_STEP })).toEqual({ ok: false, reason: 'code_invalid' });
  });

  it('a lastUsedStep ahead of the whole window is refused, never thrown', () => {
    for (const ahead of [NOW_STEP + 2, NOW_STEP + 1000, Number.MAX_SAFE_INTEGER]) {
      expect(verify({ lastUsedStep: ahead })).toEqual({ ok: false, reason: 'last_used_step_ahead' });
    }
    expect(verify({ lastUsedStep: NOW_STEP + 3, window: 2 })).toEqual({ ok: false, reason: 'last_used_step_ahead' });
    expect(verify({ lastUsedStep: NOW_STEP + 2, window: 2 })).toEqual({ ok: false, reason: 'code_replayed' });
  });

  it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 53], ['5'], [{}], [true]])(
    'lastUsedStep %p is refused as last_used_step_invalid',
    (value) => {
      expect(verify({ lastUsedStep: value as number })).toEqual({ ok: false, reason: 'last_used_step_invalid' });
    },
  );

  it('null and undefined lastUsedStep mean "never used"', () => {
    expect(verify({ lastUsedStep: null }).ok).toBe(true);
    expect(verify({ lastUsedStep: undefined }).ok).toBe(true);
  });
});

describe('verifyTotp: malformed codes are refused without throwing', () => {
  const good = codeAt(NOW_STEP);
  it.each([
    ['', 'empty'],
    [good.slice(0, 5), 'five digits'],
    [`${good}0`, 'seven digits'],
    [`${good.slice(0, 3)} ${good.slice(3)}`, 'the space apps display'],
    [` ${good}`, 'leading space'],
    [`${good}\n`, 'trailing newline'],
    [`${good}\u0000`, 'trailing NUL'],
    [`+${good.slice(1)}`, 'plus sign'],
    [`-${good.slice(1)}`, 'minus sign'],
    ['1e5000', 'exponent'],
    ['0x1234', 'hex'],
    ['12345.', 'decimal point'],
    [good.replace(/[0-9]/g, (d) => String.fromCharCode(0x660 + Number(d))), 'Arabic-Indic digits'],
    [good.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))), 'full-width digits'],
    [good.slice(0, 5) + String.fromCodePoint(0x1d7ce + Number(good[5])), 'a mathematical bold digit'],
  ])('%j (%s)', (code) => {
    expect(verify({ code })).toEqual({ ok: false, reason: 'code_malformed' });
  });

  it.each([[123456], [null], [undefined], [{}], [['123456']]])('non-string code %p', (code) => {
    expect(verify({ code: code as string })).toEqual({ ok: false, reason: 'code_malformed' });
  });
});

describe('verifyTotp: secrets', () => {
  const legacy = 'JBSWY3DPEHPK3PXP'; // 10 bytes, the classic tutorial secret
  const legacyCode = codeAt(NOW_STEP, unbase32(legacy));

  it('refuses legacy 10-byte secrets by default', () => {
    expect(verify({ secret: legacy, code: legacyCode })).toEqual({ ok: false, reason: 'secret_too_short' });
  });

  it('accepts legacy 10- to 15-byte secrets with acceptLegacySecrets', () => {
    expect(verify({ secret: legacy, code: legacyCode, acceptLegacySecrets: true })).toEqual({ ok: true, step: NOW_STEP, drift: 0 });
    const fifteen = base32(SECRET_BYTES.slice(0, 15));
    expect(verify({ secret: fifteen, code: codeAt(NOW_STEP, SECRET_BYTES.slice(0, 15)) })).toEqual({ ok: false, reason: 'secret_too_short' });
    expect(verify({ secret: fifteen, code: codeAt(NOW_STEP, SECRET_BYTES.slice(0, 15)), acceptLegacySecrets: true }).ok).toBe(true);
  });

  it('accepts 16 bytes (RFC 4226 minimum) up to 64 bytes', () => {
    for (const n of [16, 20, 32, 64]) {
      const bytes = SECRET_BYTES.length >= n ? SECRET_BYTES.slice(0, n) : Uint8Array.from({ length: n }, (_, i) => i * 7);
      expect(verify({ secret: base32(bytes), code: codeAt(NOW_STEP, bytes) })).toEqual({ ok: true, step: NOW_STEP, drift: 0 });
    }
  });

  it('refuses secrets under 10 bytes even with acceptLegacySecrets', () => {
    const nine = SECRET_BYTES.slice(0, 9);
    expect(verify({ secret: base32(nine), code: codeAt(NOW_STEP, nine), acceptLegacySecrets: true })).toEqual({
      ok: false,
      reason: 'secret_too_short',
    });
  });

  it('accepts lower case and = padding', () => {
    expect(verify({ secret: SECRET.toLowerCase() }).ok).toBe(true);
    const sixteen = SECRET_BYTES.slice(0, 16); // 26 characters, padded to 32
    const padded = base32(sixteen).padEnd(32, '=');
    expect(verify({ secret: padded, code: codeAt(NOW_STEP, sixteen) }).ok).toBe(true);
  });

  it.each([
    ['', 'empty'],
    [`${SECRET.slice(0, 16)} ${SECRET.slice(16)}`, 'a space'],
    [`${SECRET.slice(0, 31)}0`, 'a 0, not base32'],
    [`${SECRET.slice(0, 31)}\u0131`, 'dotless i, which upper-cases to I'],
    [`${SECRET.slice(0, 31)}\u017f`, 'long s, which upper-cases to S'],
    [`${SECRET}=`, 'padding that ends no group'],
    [`=${SECRET}`, 'leading padding'],
    [SECRET.slice(0, 25), '25 characters: not a whole number of bytes'],
    [base32(Uint8Array.from({ length: 65 }, (_, i) => i)), '65 bytes'],
    ['GEZDGNBVGY3TQOJQGEZDGNBVGZ', '26 characters whose spare bits are not zero'],
    [`${SECRET}========`, 'a whole group of padding'],
    [`${SECRET.slice(0, 26)}${'='.repeat(14)}`, 'too much padding'],
  ])('refuses %j (%s) as secret_invalid', (secret) => {
    expect(verify({ secret })).toEqual({ ok: false, reason: 'secret_invalid' });
  });

  it.each([[null], [undefined], [42], [SECRET_BYTES]])('refuses a non-string secret %p', (secret) => {
    expect(verify({ secret: secret as unknown as string })).toEqual({ ok: false, reason: 'secret_invalid' });
  });
});

describe('verifyTotp: instants', () => {
  it.each([
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [new Date(Number.NaN)],
    ['yesterday'],
    ['2024-06-03T08:15:07'],
    ['2024-02-30T08:00:00Z'],
    [-1],
    ['1969-12-31T23:59:59Z'],
    [null],
    [{}],
  ])('at = %p is refused as instant_invalid', (at) => {
    expect(verify({ at: at as number })).toEqual({ ok: false, reason: 'instant_invalid' });
  });
});

describe('verifyTotp: the far future', () => {
  it('the last instant a Date can hold still gets a decision', () => {
    const at = 8.64e15;
    const step = Math.floor(at / STEP_MS);
    expect(verify({ at, code: codeAt(step) })).toEqual({ ok: true, step, drift: 0 });
    expect(verify({ at, code: codeAt(step), lastUsedStep: step })).toEqual({ ok: false, reason: 'code_replayed' });
  });
});

describe('verifyTotp: which reason comes first', () => {
  it('reports a bad instant before anything else', () => {
    expect(verify({ at: 'now', code: 'x', secret: '', lastUsedStep: -1 })).toEqual({ ok: false, reason: 'instant_invalid' });
  });
  it('reports the stored state (step, secret) before the typed code', () => {
    expect(verify({ code: 'x', lastUsedStep: -1 })).toEqual({ ok: false, reason: 'last_used_step_invalid' });
    expect(verify({ code: 'x', secret: 'JBSWY3DPEHPK3PXP' })).toEqual({ ok: false, reason: 'secret_too_short' });
  });
  it('reports a malformed code before a lastUsedStep ahead of the clock', () => {
    expect(verify({ code: 'x', lastUsedStep: NOW_STEP + 100 })).toEqual({ ok: false, reason: 'code_malformed' });
  });
});

describe('verifyTotp: options are the host’s and throw when wrong', () => {
  it.each([[-1], [11], [1.5], [Number.NaN], ['1']])('window %p', (window) => {
    expectOptionError(() => verify({ window: window as number }), ['window']);
  });
  it('acceptLegacySecrets must be a boolean', () => {
    expectOptionError(() => verify({ acceptLegacySecrets: 'yes' as unknown as boolean }), ['acceptLegacySecrets']);
  });
});

describe('createTotpEnrollment', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('returns a 160-bit base32 secret and an otpauth:// URI apps read', () => {
    const { secret, uri } = createTotpEnrollment({ issuer: 'Acme CRM', accountName: 'ann@acme.test' });
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(unbase32(secret)).toHaveLength(20);
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Acme CRM:ann@acme.test');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('Acme CRM');
    // Parameters left out mean the defaults every app assumes: SHA1, 6 digits, 30 s.
    for (const p of ['algorithm', 'digits', 'period']) {
      const v = url.searchParams.get(p);
      if (v !== null) expect(['SHA1', '6', '30']).toContain(v);
    }
  });

  it('the enrolled secret verifies the codes an authenticator computes from the URI', () => {
    const { uri } = createTotpEnrollment({ issuer: 'Acme', accountName: 'bob' });
    const secret = new URL(uri).searchParams.get('secret')!;
    const code = totpAtStep(unbase32(secret), NOW_STEP);
    expect(verifyTotp({ secret, code, at: NOW })).toEqual({ ok: true, step: NOW_STEP, drift: 0 });
  });

  it('encodes characters that need it in the label and the issuer', () => {
    const { uri } = createTotpEnrollment({ issuer: 'Smith & Söhne', accountName: 'a+b/c?d#e@x.test' });
    const url = new URL(uri);
    expect(url.searchParams.get('issuer')).toBe('Smith & Söhne');
    expect(decodeURIComponent(url.pathname)).toBe('/Smith & Söhne:a+b/c?d#e@x.test');
    expect(url.hash).toBe('');
    expect(url.search.startsWith('?secret=')).toBe(true);
  });

  it('draws every secret from crypto.getRandomValues', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const a = createTotpEnrollment({ issuer: 'Acme', accountName: 'ann' });
    const b = createTotpEnrollment({ issuer: 'Acme', accountName: 'ann' });
    expect(spy).toHaveBeenCalled();
    expect(a.secret).not.toBe(b.secret);
  });

  it('secretBytes sets the length, 20 to 64', () => {
    expect(unbase32(createTotpEnrollment({ issuer: 'A', accountName: 'b', secretBytes: 32 }).secret)).toHaveLength(32);
    expect(unbase32(createTotpEnrollment({ issuer: 'A', accountName: 'b', secretBytes: 64 }).secret)).toHaveLength(64);
  });

  it.each([
    [{ issuer: '' }, ['issuer']],
    [{ issuer: '   ' }, ['issuer']],
    [{ issuer: 'Acme:CRM' }, ['issuer']],
    [{ issuer: 'Acme\nCRM' }, ['issuer']],
    [{ issuer: 'x'.repeat(257) }, ['issuer']],
    [{ issuer: 42 }, ['issuer']],
    [{ accountName: '' }, ['accountName']],
    [{ accountName: 'ann:admin' }, ['accountName']],
    [{ accountName: 'ann\u0000' }, ['accountName']],
    [{ accountName: 'ann\u0085' }, ['accountName']],
    [{ secretBytes: 19 }, ['secretBytes']],
    [{ secretBytes: 16 }, ['secretBytes']],
    [{ secretBytes: 65 }, ['secretBytes']],
    [{ secretBytes: 20.5 }, ['secretBytes']],
    [{ secretBytes: '20' }, ['secretBytes']],
  ])('refuses %j with invalid_option', (patch, path) => {
    expectOptionError(() => createTotpEnrollment({ issuer: 'Acme', accountName: 'ann', ...(patch as object) }), path);
  });

  it.each([null, undefined, 'Acme'])('refuses options of %p with invalid_option', (bad) => {
    expectOptionError(() => createTotpEnrollment(bad as never), []);
  });

  it('throws crypto_unavailable without crypto.getRandomValues, never falling back', () => {
    vi.stubGlobal('crypto', undefined);
    expect(() => createTotpEnrollment({ issuer: 'Acme', accountName: 'ann' })).toThrow(
      expect.objectContaining({ code: 'crypto_unavailable' }) as Error,
    );
  });
});

describe('verifyTotp: tampered input is refused, never thrown', () => {
  it.each([null, undefined, 'JBSWY3DP', 42])('input %j → input_invalid', (input) => {
    expect(verifyTotp(input as never)).toEqual({ ok: false, reason: 'input_invalid' });
  });

  it('a throwing getter → input_invalid', () => {
    const input = Object.defineProperty({ code: '123456', at: 0 }, 'secret', { get() { throw new Error('boom'); } });
    expect(verifyTotp(input as never)).toEqual({ ok: false, reason: 'input_invalid' });
  });

  it('a bad option still throws StaffgateError: it is the host’s setup error', () => {
    expect(() => verifyTotp({ secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', code: '123456', at: 0, window: 99 })).toThrow(StaffgateError);
  });
});
