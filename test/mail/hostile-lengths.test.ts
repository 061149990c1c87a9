import { describe, expect, it } from 'vitest';
import { compileMailExclusions, evaluateMailAddress, filterTrackedMessages, isExcludedAddress, parseMailboxList } from 'staffgate/mail';
import { diffPolicies, parseAccountPolicy } from 'staffgate';

const exclusions = compileMailExclusions(['ceo@acme.test', 'zoë@acme.test']);
// A run of combining marks in reverse canonical order: Unicode normalisation reorders it in
// time that grows with the square of its length, so it must be refused before that.
const marks = (n: number): string => '\u0301'.repeat(n) + '\u0316'.repeat(n);

describe('over-long parts fail closed before any Unicode work', () => {
  it('a local part over 256 characters is too_long, and the message is excluded', () => {
    const value = `a${marks(20_000)}@acme.test`;
    expect(evaluateMailAddress(exclusions, value)).toEqual({ excluded: true, reason: 'address_unparseable', error: 'too_long' });
    expect(isExcludedAddress(exclusions, value)).toBe(true);
    expect(filterTrackedMessages([{ from: 'x@customer.test', to: [value] }], exclusions).unparseable).toBe(1);
  });

  it('the limit is 256 characters of local part, quoted or not', () => {
    expect(parseMailboxList(`"${'a'.repeat(257)}"@acme.test`)).toMatchObject({ ok: false, reason: 'too_long' });
    expect(parseMailboxList(`${'a'.repeat(257)}@acme.test`)).toMatchObject({ ok: false, reason: 'too_long' });
    expect(parseMailboxList(`${'a'.repeat(256)}@acme.test`).ok).toBe(true);
  });

  it('a non-ASCII domain over 1,024 characters is refused, even one IDNA would map to a short name', () => {
    // Soft hyphens are mapped away by IDNA: read, this would be x@a.test, which is not excluded.
    const value = `x@a${'\u00ad'.repeat(1100)}.test`;
    expect(evaluateMailAddress(exclusions, value)).toEqual({ excluded: true, reason: 'address_unparseable', error: 'domain_invalid' });
    expect(isExcludedAddress(exclusions, `x@a${'\u00ad'.repeat(1000)}.test`)).toBe(false);
  });

  it('an entry whose normal form would be too long to read back is refused', () => {
    // NFKC turns U+FDFA into 18 characters.
    expect(() => compileMailExclusions([`"${'\uFDFA'.repeat(5600)}"@acme.test`])).toThrow(/too long/);
    // Read at 15 × 1 = 15 characters, 15 × 18 = 270 once normalised: refused by the entry check, not the parser.
    expect(() => compileMailExclusions([`"${'\uFDFA'.repeat(15)}"@acme.test`])).toThrow(/too long/);
    const longest = `"${'\uFDFA'.repeat(14)}"@acme.test`;
    const ex = compileMailExclusions([longest]);
    expect(compileMailExclusions(ex.entries).entries).toEqual(ex.entries);
    // Removing it excludes less mail: a weakening, not "still covered".
    const before = parseAccountPolicy({ mail: { excluded: [longest, 'cfo@acme.test'] } });
    const after = parseAccountPolicy({ mail: { excluded: ['cfo@acme.test'] } });
    expect(diffPolicies(before, after).map((c) => c.effect)).toEqual(['weakening']);
  });

  it('an entry whose local part folds to "*" is refused, not stored as a whole-domain entry', () => {
    expect(() => compileMailExclusions(['*+x@acme.test'])).toThrow(/whole domain/);
    expect(compileMailExclusions(['*@acme.test']).entries).toEqual(['@acme.test']);
  });
});

describe('inherited option values are ignored', () => {
  it('a polluted Object.prototype.match does not narrow the check to the sender', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.match = 'sender';
    try {
      const r = filterTrackedMessages([{ from: 'x@customer.test', cc: ['ceo@acme.test'] }], exclusions, {});
      expect(r.tracked).toHaveLength(0);
    } finally {
      delete proto.match;
    }
  });

  it('a polluted Object.prototype.subaddress / localPartCase does not weaken a list', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.subaddress = 'keep';
    proto.localPartCase = 'exact';
    try {
      const ex = compileMailExclusions(['ceo@acme.test'], {});
      expect(ex.options).toEqual({ localPartCase: 'fold', subaddress: 'fold', subaddressSeparators: '+' });
      expect(isExcludedAddress(ex, 'CEO+x@acme.test')).toBe(true);
    } finally {
      delete proto.subaddress;
      delete proto.localPartCase;
    }
  });
});
