import { describe, expect, it } from 'vitest';
import { compileMailExclusions, safeCompileMailExclusions, type MailExclusionOptions } from 'staffgate/mail';
import { thrownStaffgateError } from '../helpers.js';


describe('compileMailExclusions: entries in normal form', () => {
  const cases: [string, string][] = [
    ['ceo@acme.test', 'ceo@acme.test'],
    ['  CEO@Acme.TEST  ', 'ceo@acme.test'],
    ['"ceo"@acme.test', 'ceo@acme.test'],
    ['"Jane Roe"@acme.test', '"jane roe"@acme.test'],
    ['"a\\"b"@acme.test', '"a\\"b"@acme.test'],
    ['ceo(chief)@acme.test', 'ceo@acme.test'],
    ['Jane Roe <ceo@acme.test>', 'ceo@acme.test'],
    ['"Roe, Jane" <Jane.Roe@acme.test>', 'jane.roe@acme.test'],
    ['ceo+board@acme.test', 'ceo@acme.test'],
    ['+15551234@sms.test', '+15551234@sms.test'],
    ['ceo@bücher.example', 'ceo@xn--bcher-kva.example'],
    ['ceo@BÜCHER.example', 'ceo@xn--bcher-kva.example'],
    ['ceo@acme。test', 'ceo@acme.test'],
    ['zoë@acme.test', 'zoë@acme.test'],
    ['ＣＥＯ@acme.test', 'ceo@acme.test'],
    ['@board.acme.test', '@board.acme.test'],
    ['@Board.Acme.TEST', '@board.acme.test'],
    ['*@board.acme.test', '@board.acme.test'],
    ['@*.acme.test', '@*.acme.test'],
    ['*@*.ACME.test', '@*.acme.test'],
    ['@日本語.jp', '@xn--wgv71a119e.jp'],
    ['@straße.de', '@xn--strae-oqa.de'],
    ['@*.internal', '@*.internal'],
  ];
  it.each(cases)('%j → %j', (entry, normal) => {
    expect(compileMailExclusions([entry]).entries).toEqual([normal]);
  });

  it('removes duplicates after normalising, keeping the first position', () => {
    const ex = compileMailExclusions(['ceo@acme.test', '@acme.test', 'CEO@ACME.test', 'ceo+x@acme.test', '*@acme.test']);
    expect(ex.entries).toEqual(['ceo@acme.test', '@acme.test']);
  });

  it('accepts an empty list', () => {
    expect(compileMailExclusions([]).entries).toEqual([]);
  });

  it('returns a frozen entry list and resolved options', () => {
    const ex = compileMailExclusions(['ceo@acme.test']);
    expect(Object.isFrozen(ex.entries)).toBe(true);
    expect(ex.options).toEqual({ localPartCase: 'fold', subaddress: 'fold', subaddressSeparators: '+' });
  });
});

describe('compileMailExclusions: options change the normal form', () => {
  const cases: [string, MailExclusionOptions, string][] = [
    ['CEO@Acme.test', { localPartCase: 'exact' }, 'CEO@acme.test'],
    ['ceo+board@acme.test', { subaddress: 'keep' }, 'ceo+board@acme.test'],
    ['ceo-board@acme.test', { subaddressSeparators: '-' }, 'ceo@acme.test'],
    ['ceo-board+x@acme.test', { subaddressSeparators: '+-' }, 'ceo@acme.test'],
    ['ceo+board@acme.test', { subaddressSeparators: '-' }, 'ceo+board@acme.test'],
    ['Zoë+x@acme.test', { localPartCase: 'exact', subaddress: 'keep' }, 'Zoë+x@acme.test'],
  ];
  it.each(cases)('%j with %j → %j', (entry, options, normal) => {
    expect(compileMailExclusions([entry], options).entries).toEqual([normal]);
  });
});

describe('compileMailExclusions: bad entries throw invalid_mail_entry naming the index', () => {
  const bad: [unknown, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['ceo', /not an e-mail address/],
    ['ceo@', /not an e-mail address/],
    ['@', /domain/],
    ['@*', /domain/],
    ['@*.', /domain/],
    ['ceo@*.acme.test', /domain/],
    ['@acme.test.', /domain/],
    ['@acme..test', /domain/],
    ['@acme.test:25', /domain/],
    ['@acme.test/path', /domain/],
    ['@ac%6De.test', /domain/],
    ['@192.0.2.1', /domain/],
    ['@0x7f.1', /domain/],
    ['@１２７.０.０.１', /domain/],
    ['@[192.0.2.1]', /domain/],
    ['ceo@[192.0.2.1]', /IP-literal/],
    ['@-acme.test', /domain/],
    ['@acme_corp.test', /domain/],
    ['@xn--.test', /domain/],
    ['ceo@acme', /one-label domain/],
    ['@acme', /one-label domain/],
    ['*@acme', /one-label domain/],
    ['Jane <jane@localhost>', /one-label domain/],
    ['@a b.test', /domain/],
    ['ceo@acme.test, cfo@acme.test', /one address per entry/],
    ['Board: ;', /no address/],
    ['ceo@acme.test <x@evil.test>', /not an e-mail address/],
    ['ceo@acme.test\r\nBcc: x@evil.test', /not an e-mail address/],
    [42, /must be a string/],
    [null, /must be a string/],
  ];
  it.each(bad)('%j', (entry, message) => {
    const err = thrownStaffgateError(() => compileMailExclusions(['ok@acme.test', entry as string]));
    expect(err.code).toBe('invalid_mail_entry');
    expect(err.path).toEqual([1]);
    expect(err.message).toMatch(message);
  });

  it('lists every bad entry in issues, in order, each with its own index', () => {
    const err = thrownStaffgateError(() => compileMailExclusions(['nope', 'ceo@acme.test', '@bad..test', 'also bad']));
    expect(err.issues.map((i) => i.path)).toEqual([[0], [2], [3]]);
    expect(err.issues.every((i) => i.code === 'invalid_mail_entry')).toBe(true);
    expect(err.pathText).toBe('[0]');
  });

  it('prefixes cleanly for the settings parser (mail.excluded[3])', () => {
    const err = thrownStaffgateError(() => compileMailExclusions(['a@b.test', 'c@d.test', 'e@f.test', 'broken']));
    expect(err.withPathPrefix(['mail', 'excluded']).pathText).toBe('mail.excluded[3]');
  });

  it('does not echo a huge entry into the message', () => {
    const err = thrownStaffgateError(() => compileMailExclusions(['x'.repeat(5000)]));
    expect(err.message.length).toBeLessThan(200);
  });

  it('rejects a non-array with invalid_settings', () => {
    expect(thrownStaffgateError(() => compileMailExclusions('ceo@acme.test' as unknown as string[])).code).toBe('invalid_settings');
  });
});

describe('compileMailExclusions: bad options throw invalid_option naming the option', () => {
  const bad: [unknown, (string | number)[]][] = [
    [{ localPartCase: 'lower' }, ['localPartCase']],
    [{ subaddress: true }, ['subaddress']],
    [{ subaddressSeparators: '' }, ['subaddressSeparators']],
    [{ subaddressSeparators: 'a' }, ['subaddressSeparators']],
    [{ subaddressSeparators: '.' }, ['subaddressSeparators']],
    [{ subaddressSeparators: '@' }, ['subaddressSeparators']],
    [{ subaddressSeparators: '++' }, ['subaddressSeparators']],
    [{ subaddressSeparators: 5 }, ['subaddressSeparators']],
    [{ localpartcase: 'fold' }, ['localpartcase']],
    ['fold', []],
    [null, []],
  ];
  it.each(bad)('%j', (options, path) => {
    const err = thrownStaffgateError(() => compileMailExclusions(['ceo@acme.test'], options as MailExclusionOptions));
    expect(err.code).toBe('invalid_option');
    expect(err.path).toEqual(path);
  });
});

describe('safeCompileMailExclusions', () => {
  it('returns the compiled list', () => {
    const r = safeCompileMailExclusions(['CEO@acme.test']);
    expect(r.ok && r.value.entries).toEqual(['ceo@acme.test']);
  });
  it('returns the error instead of throwing', () => {
    const r = safeCompileMailExclusions(['ceo@acme.test', 'not an address']);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_mail_entry');
      expect(r.error.pathText).toBe('[1]');
    }
  });
});
