/**
 * fast-check arbitraries for the second-factor inputs of `staffgate/otp`: secrets, codes,
 * instants and one-time-code options, valid ones and hostile spellings, for property tests of
 * a host's own login flow.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { verifyTotp } from 'staffgate/otp';
 * import { hostileTotpCodeArb, totpSecretArb, otpInstantArb } from 'staffgate/testing';
 *
 * fc.assert(fc.property(totpSecretArb(), hostileTotpCodeArb(), otpInstantArb(), (secret, code, at) =>
 *   verifyTotp({ secret, code, at }).ok === false));
 * ```
 *
 * @module
 */
import fc from 'fast-check';
import { ScureBase32Plugin } from 'otplib';
import type { Instant } from '../instant.js';
import type { IssueOneTimeCodeInput, OneTimeCodeChannel, OneTimeCodePurpose } from '../otp/index.js';

const base32 = /* @__PURE__ */ new ScureBase32Plugin();

/** 2000-01-01 to 2100-01-01: the instants a deployed login flow sees. */
const MIN_MS = 946_684_800_000;
const MAX_MS = 4_102_444_800_000;

/**
 * A base32 TOTP secret of `minBytes` to `maxBytes` random bytes (default 20 to 64), spelled as
 * `createTotpEnrollment` (from `staffgate/otp`) spells it: upper case, no padding.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(totpSecretArb(), (secret) => /^[A-Z2-7]+$/.test(secret)));
 * ```
 */
export function totpSecretArb(constraints: { minBytes?: number; maxBytes?: number } = {}): fc.Arbitrary<string> {
  const { minBytes = 20, maxBytes = 64 } = constraints;
  return fc.uint8Array({ minLength: minBytes, maxLength: maxBytes }).map((bytes) => base32.encode(bytes));
}

/**
 * A legacy 80- to 120-bit (10- to 15-byte) secret, refused by `verifyTotp` unless
 * `acceptLegacySecrets` is set.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(legacyTotpSecretArb(), otpInstantArb(), (secret, at) =>
 *   verifyTotp({ secret, code: '123456', at }).ok === false));
 * ```
 */
export function legacyTotpSecretArb(): fc.Arbitrary<string> {
  return totpSecretArb({ minBytes: 10, maxBytes: 15 });
}

/**
 * Strings that are never a usable TOTP secret: not base32, or base32 of under 10 or over 64
 * bytes. Includes look-alikes such as the dotless `ı`, which upper-cases to the base32 `I`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileTotpSecretArb(), (secret) =>
 *   verifyTotp({ secret, code: '123456', at: 0, acceptLegacySecrets: true }).ok === false));
 * ```
 */
export function hostileTotpSecretArb(): fc.Arbitrary<string> {
  const known = fc.constantFrom(
    '',
    ' ',
    '====',
    'GEZDGNBVGY3TQOJQ GEZDGNBVGY3TQOJQ',
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n',
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ0', // 0 is not base32
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1',
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ8',
    'gezdgnbvgy3tqojqgezdgnbvgy3tqojı', // dotless i
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJſ', // long s upper-cases to S
    'ＧＥＺＤＧＮＢＶＧＹ３ＴＱＯＪＱＧＥＺＤＧＮＢＶＧＹ３ＴＱＯＪＱ', // full-width
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ=', // padding that ends no group
    'GEZDGNBVG', // 9 characters: no whole byte count
    '=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    'MZXW6YTBOI', // 6 bytes
  );
  const tooShort = totpSecretArb({ minBytes: 1, maxBytes: 9 });
  const tooLong = totpSecretArb({ minBytes: 65, maxBytes: 80 });
  const withJunk = fc
    .tuple(totpSecretArb(), fc.nat(), fc.constantFrom(' ', '-', '0', '1', '8', '9', '\t', '\u00a0', 'é', 'ı'))
    .map(([s, i, junk]) => {
      const at = i % s.length;
      return s.slice(0, at) + junk + s.slice(at + 1);
    })
    .filter((s) => !/^[A-Z2-7]+$/.test(s));
  return fc.oneof(known, tooShort, tooLong, withJunk);
}

/**
 * Six ASCII digits: the only spelling of a TOTP code `verifyTotp` compares.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(totpCodeArb(), (code) => /^[0-9]{6}$/.test(code)));
 * ```
 */
export function totpCodeArb(): fc.Arbitrary<string> {
  return asciiDigitsArb(6);
}

/**
 * Exactly `length` ASCII digits (a one-time code of that length).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(asciiDigitsArb(8), (code) => code.length === 8));
 * ```
 */
export function asciiDigitsArb(length: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
}

// Digits that `\d` with the `u` flag, Number() or parseInt() might read as 0-9.
const LOOKALIKE_DIGITS: readonly string[] = [
  '\u0660', // Arabic-Indic
  '\u06f0', // Extended Arabic-Indic
  '\u0966', // Devanagari
  '\uff10', // full-width
  '\u{1d7ce}', // mathematical bold (a surrogate pair)
  '\u2070', // superscript
  '\u2080', // subscript
  '\u2460', // circled 1
];

/**
 * Strings that are never exactly `length` ASCII digits (default 6): look-alike digits from
 * other scripts, spaces anywhere, signs, exponents, hex, wrong lengths, trailing newlines.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileOtpCodeArb(), (code) => !/^[0-9]{6}$/.test(code)));
 * ```
 */
export function hostileOtpCodeArb(length = 6): fc.Arbitrary<string> {
  const good = asciiDigitsArb(length);
  const known = fc.constantFrom(
    '',
    ' ',
    '123 456',
    ' 123456',
    '123456 ',
    '123456\n',
    '\t123456',
    '123\u00a0456',
    '+12345',
    '-12345',
    '1e5000',
    '0x1234',
    '12345.',
    '1234.5',
    '１２３４５６',
    '١٢٣٤٥٦',
    'null',
    'undefined',
    '000000000000000000000000',
  );
  const lookalike = fc
    .tuple(good, fc.nat(), fc.constantFrom(...LOOKALIKE_DIGITS))
    .map(([code, i, digit]) => {
      const at = i % length;
      return code.slice(0, at) + digit + code.slice(at + 1);
    });
  const inserted = fc
    .tuple(good, fc.nat(), fc.constantFrom(' ', '-', '+', '.', ',', '\n', '\u200b', 'e', 'x', '0'))
    .map(([code, i, ch]) => {
      const at = i % (length + 1);
      return code.slice(0, at) + ch + code.slice(at);
    });
  const wrongLength = fc
    .integer({ min: 0, max: length + 6 })
    .filter((n) => n !== length)
    .chain((n) => asciiDigitsArb(n));
  // Any code point, lone surrogates included. (fast-check's `unit: 'binary'` would do the same
  // but takes seconds to initialise.)
  const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
  const anything = fc.string({ maxLength: 12, unit: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), codePoint) });
  const shape = new RegExp(`^[0-9]{${length}}$`);
  return fc.oneof(known, lookalike, inserted, wrongLength, anything).filter((s) => !shape.test(s));
}

/**
 * A TOTP code as a host might receive it from a hostile client; alias of
 * {@link hostileOtpCodeArb} with six digits.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileTotpCodeArb(), (code) => code !== '123456'));
 * ```
 */
export function hostileTotpCodeArb(): fc.Arbitrary<string> {
  return hostileOtpCodeArb(6);
}

/**
 * A valid instant between 2000 and 2100 in each spelling `at` accepts: epoch ms, a Date, an
 * ISO 8601 string in UTC or with an offset.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(otpInstantArb(), (at) => !Number.isNaN(toEpochMs(at))));
 * ```
 */
export function otpInstantArb(): fc.Arbitrary<Instant> {
  const ms = otpEpochMsArb();
  return fc.oneof(
    ms,
    ms.map((m) => new Date(m)),
    ms.map((m) => new Date(m).toISOString()),
    fc.tuple(ms, fc.integer({ min: -14 * 60, max: 14 * 60 })).map(([m, offset]) => isoWithOffset(m, offset)),
  );
}

/**
 * Epoch milliseconds between 2000 and 2100.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(otpEpochMsArb(), (ms) => Number.isInteger(ms)));
 * ```
 */
export function otpEpochMsArb(): fc.Arbitrary<number> {
  return fc.integer({ min: MIN_MS, max: MAX_MS });
}

/**
 * Values that are not a usable instant for a second factor: invalid dates, strings without an
 * offset, impossible calendar dates, non-finite numbers, wrong types, and instants before 1970.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(totpSecretArb(), invalidOtpInstantArb(), (secret, at) =>
 *   verifyTotp({ secret, code: '123456', at: at as Instant }).ok === false));
 * ```
 */
export function invalidOtpInstantArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -1,
      -86_400_000,
      1e300,
      new Date(Number.NaN),
      '',
      'now',
      '2024-06-01T08:00:00', // no offset: would be read in the server's zone
      '2024-06-01',
      '2024-02-30T08:00:00Z',
      '2024-06-01T24:00:00Z',
      '2024-06-01T08:00:00+25:00',
      ' 2024-06-01T08:00:00Z',
      '1969-12-31T23:59:59Z',
      null,
      undefined,
      {},
      [],
      true,
      1_700_000_000_000n,
    ),
    fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)),
  );
}

/**
 * `email` or `sms`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(oneTimeCodeChannelArb(), (channel) => channel === 'email' || channel === 'sms'));
 * ```
 */
export function oneTimeCodeChannelArb(): fc.Arbitrary<OneTimeCodeChannel> {
  return fc.constantFrom('email', 'sms');
}

/**
 * A login-attempt id as hosts make them: UUIDs, numbers as text, and odd but valid strings
 * (any 1 to 256 characters).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(otpAttemptIdArb(), (id) => id.length >= 1 && id.length <= 256));
 * ```
 */
export function otpAttemptIdArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uuid(),
    fc.nat().map(String),
    fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => s.length <= 256),
    fc.constantFrom('a', 'attempt\n1', 'ä', '0', ' '),
  );
}

/**
 * Valid input for `issueOneTimeCode`, every option sometimes set, sometimes left to its
 * default.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(issueOneTimeCodeInputArb(), (input) => issueOneTimeCode(input).code.length >= 6));
 * ```
 */
export function issueOneTimeCodeInputArb(): fc.Arbitrary<IssueOneTimeCodeInput> {
  return fc
    .record(
      {
        channel: oneTimeCodeChannelArb(),
        at: otpInstantArb(),
        attemptId: otpAttemptIdArb(),
        purpose: fc.constantFrom<OneTimeCodePurpose>('email_code', 'second_factor'),
        ttlSeconds: fc.integer({ min: 1, max: 3600 }),
        digits: fc.integer({ min: 6, max: 10 }),
        maxAttempts: fc.integer({ min: 1, max: 10 }),
      },
      { requiredKeys: ['channel', 'at', 'attemptId'] },
    )
    .map((input) => (input.channel === 'sms' && input.purpose === 'email_code' ? { ...input, purpose: 'second_factor' as const } : input));
}

function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
