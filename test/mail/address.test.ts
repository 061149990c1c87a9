import { describe, expect, it } from 'vitest';
import { StaffgateError } from '../../src/errors.js';
import { hashOf } from '../../src/mail/exclusions.js';
import {
  compileMailExclusions,
  evaluateMailAddress,
  isExcludedAddress,
  MAX_HEADER_LENGTH,
  type MailExclusions,
  type MailParseError,
} from 'staffgate/mail';

const exclusions = compileMailExclusions([
  'ceo@acme.test',
  'Jane Roe <jane.roe@acme.test>',
  '"john smith"@acme.test',
  '@board.acme.test',
  '@*.holding.test',
  '@bücher.example',
  'zoë@acme.test',
]);

describe('isExcludedAddress: spellings of an excluded address', () => {
  const excluded: string[] = [
    'ceo@acme.test',
    'CEO@ACME.TEST',
    'Ceo@Acme.Test',
    '"ceo"@acme.test',
    '"c\\eo"@acme.test',
    'ceo+board@acme.test',
    'CEO+Private.Stuff@acme.test',
    '<ceo@acme.test>',
    'Jane CEO <ceo@acme.test>',
    '"Doe, John" <ceo@acme.test>',
    '=?utf-8?q?J=C3=A9r=C3=B4me?= <ceo@acme.test>',
    'ceo@acme.test (Jane, CEO)',
    '(lead) ceo (chief) @ (x) acme . test (trailing)',
    ' \t ceo@acme.test \r\n ',
    'ceo@acme.test\r\n',
    'ceo@acme.test\n',
    'x@customer.test,\r\n ceo@acme.test\r\n',
    'Board: ceo@acme.test;',
    '<@relay.example,@mx.example:ceo@acme.test>',
    'other@customer.test, ceo@acme.test',
    'ceo@acme。test',
    'ceo@ａｃｍｅ.test',
    'ＣＥＯ@acme.test',
    'JANE.ROE@acme.test',
    '"jane.roe"@acme.test',
    '"jane".roe@acme.test',
    '"John Smith"@acme.test',
    '"john  smith"@acme.test'.replace('  ', ' '),
    'ZOË@acme.test',
    'zoe\u0308@acme.test',
  ];
  it.each(excluded)('%j is excluded', (address) => {
    expect(isExcludedAddress(exclusions, address)).toBe(true);
    expect(evaluateMailAddress(exclusions, address).reason).toBe('address_excluded');
  });
});

describe('isExcludedAddress: domain and subdomain entries', () => {
  const cases: [string, 'domain_excluded' | 'subdomain_excluded' | 'not_excluded'][] = [
    ['ann@board.acme.test', 'domain_excluded'],
    ['ANN@BOARD.ACME.TEST', 'domain_excluded'],
    ['"any thing"@board.acme.test', 'domain_excluded'],
    ['ann@x.board.acme.test', 'not_excluded'],
    ['ann@acme-board.test', 'not_excluded'],
    ['ann@board.acme.test.evil.test', 'not_excluded'],
    ['ann@holding.test', 'not_excluded'],
    ['ann@eu.holding.test', 'subdomain_excluded'],
    ['ann@a.b.holding.test', 'subdomain_excluded'],
    ['ann@xholding.test', 'not_excluded'],
    ['leser@bücher.example', 'domain_excluded'],
    ['leser@BÜCHER.example', 'domain_excluded'],
    ['leser@xn--bcher-kva.example', 'domain_excluded'],
    ['leser@XN--BCHER-KVA.EXAMPLE', 'domain_excluded'],
    ['leser@bucher.example', 'not_excluded'],
  ];
  it.each(cases)('%j → %s', (address, reason) => {
    expect(evaluateMailAddress(exclusions, address).reason).toBe(reason);
    expect(isExcludedAddress(exclusions, address)).toBe(reason !== 'not_excluded');
  });
});

describe('isExcludedAddress: only the address counts, never the display name', () => {
  const tracked: string[] = [
    '"ceo@acme.test" <x@evil.test>',
    '"CEO <ceo@acme.test>" <x@evil.test>',
    'ceo <x@evil.test>',
    '"Jane Roe" <jane@customer.test>',
    'x@evil.test (ceo@acme.test)',
    '"ceo@board.acme.test" <x@evil.test>',
    'ceo.acme.test@evil.test',
    'ceo@acme.test.evil.test',
    'ceo@acme.testx',
    'ceoo@acme.test',
    'ce.o@acme.test',
    'c\u0435o@acme.test', // Cyrillic е: a different mailbox, not a spelling of ceo
    'ceo@аcme.test', // Cyrillic а: a different domain (xn--cme-5cd.test)
    'jane@acme.test',
    'roe@acme.test',
    'x@evil.test\r\n',
  ];
  it.each(tracked)('%j is not excluded', (address) => {
    expect(isExcludedAddress(exclusions, address)).toBe(false);
    expect(evaluateMailAddress(exclusions, address)).toMatchObject({ excluded: false, reason: 'not_excluded' });
  });

  it('reports the address that was read, in canonical form', () => {
    expect(evaluateMailAddress(exclusions, '"ceo@acme.test" <X@Evil.TEST>')).toEqual({
      excluded: false,
      reason: 'not_excluded',
      addresses: ['X@evil.test'],
    });
  });
});

describe('isExcludedAddress: unreadable input fails closed', () => {
  const unreadable: [unknown, MailParseError][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    [' , ,', 'empty'],
    ['ceo', 'syntax_error'],
    ['ceo@', 'syntax_error'],
    ['@acme.test', 'syntax_error'],
    ['ceo@@acme.test', 'syntax_error'],
    ['.ceo@acme.test', 'syntax_error'],
    ['ceo.@acme.test', 'syntax_error'],
    ['c..eo@acme.test', 'syntax_error'],
    ['ceo@acme.test.', 'syntax_error'],
    ['ceo@acme..test', 'syntax_error'],
    ['""@acme.test', 'syntax_error'],
    ['"ceo@acme.test', 'syntax_error'],
    ['ceo(@acme.test', 'syntax_error'],
    ['<ceo@acme.test', 'syntax_error'],
    ['<>', 'syntax_error'],
    ['x@evil.test <y@evil.test>', 'syntax_error'],
    ['Board: x@evil.test', 'syntax_error'],
    ['A: B: c@d.test;;', 'syntax_error'],
    ['x@evil.test\r\nBcc: y@evil.test', 'syntax_error'],
    ['x@evil.test\n\nBcc: y@evil.test', 'syntax_error'],
    ['x\u0000@evil.test', 'syntax_error'],
    ['"x\u0007"@evil.test', 'syntax_error'],
    ['x@[192.0.2.1]', 'domain_literal_unsupported'],
    ['x@[IPv6:2001:db8::1]', 'domain_literal_unsupported'],
    ['x@192.0.2.1', 'domain_invalid'],
    ['x@0x7f.1', 'domain_invalid'],
    ['x@evil.0x1F', 'domain_invalid'],
    ['x@１２７.０.０.１', 'domain_invalid'],
    ['x@acme_corp.test', 'domain_invalid'],
    ['x@-acme.test', 'domain_invalid'],
    ['x@acme-.test', 'domain_invalid'],
    [`x@${'a'.repeat(64)}.test`, 'domain_invalid'],
    [`x@acme.${'a'.repeat(64)}.test`, 'domain_invalid'],
    [`x@acme.${'a'.repeat(64)}`, 'domain_invalid'],
    ['x@acme.test-', 'domain_invalid'],
    ['x@acme.-test', 'domain_invalid'],
    [`x@${'abcdefghi.'.repeat(26)}test`, 'domain_invalid'],
    ['x@xn--.test', 'domain_invalid'],
    ['x@acme\u00a0.test', 'domain_invalid'],
    ['x@ac％me.test', 'domain_invalid'],
    ['undisclosed-recipients:;', 'no_mailbox'],
    [undefined, 'not_a_string'],
    [null, 'not_a_string'],
    [42, 'not_a_string'],
    [{ address: 'ceo@acme.test' }, 'not_a_string'],
  ];
  it.each(unreadable)('%j → address_unparseable (%s)', (address, error) => {
    expect(isExcludedAddress(exclusions, address as string)).toBe(true);
    expect(evaluateMailAddress(exclusions, address as string)).toEqual({ excluded: true, reason: 'address_unparseable', error });
  });

  it('refuses a value longer than MAX_HEADER_LENGTH as too_long, even when it names an excluded address', () => {
    const long = `ceo@acme.test, ${'x@y.test, '.repeat(MAX_HEADER_LENGTH / 10)}`;
    expect(long.length).toBeGreaterThan(MAX_HEADER_LENGTH);
    expect(evaluateMailAddress(exclusions, long)).toEqual({ excluded: true, reason: 'address_unparseable', error: 'too_long' });
    const justFits = `${'x@y.test, '.repeat(MAX_HEADER_LENGTH / 10 - 1)}z@y.test`;
    expect(justFits.length).toBeLessThanOrEqual(MAX_HEADER_LENGTH);
    expect(evaluateMailAddress(exclusions, justFits).reason).toBe('not_excluded');
  });

  it('drops zero-width characters in domains as IDNA lookup does (so the hostile spelling still matches)', () => {
    expect(evaluateMailAddress(exclusions, 'ceo@ac\u200bme.test')).toMatchObject({ reason: 'address_excluded', address: 'ceo@acme.test' });
    expect(evaluateMailAddress(exclusions, 'ceo@ac\u00adme.test')).toMatchObject({ reason: 'address_excluded', address: 'ceo@acme.test' });
  });

  it('finds a subdomain entry behind the most dots a plain address can have', () => {
    // 254 characters, the most a plain address has: 125 dots, each with a parent entry of the
    // length of the rest (decoys that do not match) but the last, ab, which is the real one.
    const address = `x@${'a.'.repeat(125)}ab`;
    expect(address.length).toBe(254);
    const decoys = Array.from({ length: 124 }, (_, j) => `@*.${'b.'.repeat(j + 1)}ab`);
    const ex = compileMailExclusions([...decoys, '@*.ab']);
    expect(isExcludedAddress(ex, address)).toBe(true);
    expect(isExcludedAddress(ex, `Ann <${address.toUpperCase()}>`)).toBe(true);
    expect(evaluateMailAddress(ex, address)).toMatchObject({ reason: 'subdomain_excluded', entry: '@*.ab' });
    expect(isExcludedAddress(compileMailExclusions(decoys), address)).toBe(false);
  });

  it('reads deeply nested comments without recursion', () => {
    const deep = `${'('.repeat(20_000)}x${')'.repeat(20_000)}ceo@acme.test`;
    expect(evaluateMailAddress(exclusions, deep).reason).toBe('address_excluded');
    expect(evaluateMailAddress(exclusions, `${'('.repeat(20_000)}ceo@acme.test`).reason).toBe('address_unparseable');
  });
});

describe('isExcludedAddress: explained matches name the entry', () => {
  it.each([
    ['Jane <JANE.ROE+x@Acme.test>', 'JANE.ROE+x@acme.test', 'jane.roe@acme.test'],
    ['"John Smith"@ACME.test', '"John Smith"@acme.test', '"john smith"@acme.test'],
    ['a@EU.Holding.test', 'a@eu.holding.test', '@*.holding.test'],
    ['leser@Bücher.example', 'leser@xn--bcher-kva.example', '@xn--bcher-kva.example'],
  ])('%j matched %j by %j', (input, address, entry) => {
    expect(evaluateMailAddress(exclusions, input)).toMatchObject({ excluded: true, address, entry });
  });
});

describe('local-part options', () => {
  const exact = compileMailExclusions(['CEO@acme.test'], { localPartCase: 'exact' });
  const keep = compileMailExclusions(['ceo@acme.test'], { subaddress: 'keep' });
  const dash = compileMailExclusions(['ceo@acme.test'], { subaddressSeparators: '-' });
  const cases: [string, string, boolean, MailExclusions][] = [
    ['exact', 'CEO@acme.test', true, exact],
    ['exact', 'CEO@ACME.TEST', true, exact],
    ['exact', 'ceo@acme.test', false, exact],
    ['exact', '"CEO"@acme.test', true, exact],
    ['exact', 'CEO+x@acme.test', true, exact],
    ['keep', 'ceo+x@acme.test', false, keep],
    ['keep', 'CEO@acme.test', true, keep],
    ['dash', 'ceo-x@acme.test', true, dash],
    ['dash', 'ceo+x@acme.test', false, dash],
    ['dash', '-ceo@acme.test', false, dash],
  ];
  it.each(cases)('%s: %j → %s', (_name, address, expected, ex) => {
    expect(isExcludedAddress(ex, address)).toBe(expected);
  });

  it('never folds a leading separator away (+1555@… is not @…)', () => {
    const ex = compileMailExclusions(['+15551234@sms.test']);
    expect(isExcludedAddress(ex, '+15551234@sms.test')).toBe(true);
    expect(isExcludedAddress(ex, '+15559999@sms.test')).toBe(false);
    expect(isExcludedAddress(ex, '+15551234+x@sms.test')).toBe(true);
  });
});

describe('lookups never match on a hash alone', () => {
  // Each pair has the same 30-bit hash in the quick path's tables (and the same length), so a
  // lookup that trusted the hash would exclude the wrong address.
  const domainPair = ['an.test', 'c0.test'] as const;
  const domainQuad = ['anan.test', 'anc0.test', 'c0an.test', 'c0c0.test'] as const;
  const localPair = ['pycxshx', 'abqfgwk'] as const;

  it('the pairs below do collide (else the tests after this one prove nothing)', () => {
    expect(hashOf(domainPair[0])).toBe(hashOf(domainPair[1]));
    for (const d of domainQuad) expect(hashOf(d)).toBe(hashOf(domainQuad[0]));
    expect(hashOf(`mail.${domainPair[0]}`)).toBe(hashOf(`mail.${domainPair[1]}`));
    expect(hashOf(localPair[0])).toBe(hashOf(localPair[1]));
  });

  it('a domain entry does not exclude a different domain with the same hash', () => {
    const ex = compileMailExclusions([`@${domainPair[0]}`]);
    expect(isExcludedAddress(ex, `ann@${domainPair[0]}`)).toBe(true);
    expect(isExcludedAddress(ex, `ann@${domainPair[1]}`)).toBe(false);
    expect(isExcludedAddress(ex, `Ann <ann@${domainPair[1].toUpperCase()}>`)).toBe(false);
  });

  it('an address entry does not exclude the same local part at a different domain with the same hash', () => {
    const ex = compileMailExclusions([`ann@${domainPair[0]}`]);
    expect(isExcludedAddress(ex, `ann@${domainPair[0]}`)).toBe(true);
    expect(isExcludedAddress(ex, `ann@${domainPair[1]}`)).toBe(false);
    expect(isExcludedAddress(ex, `Ann <ANN+x@${domainPair[1]}>`)).toBe(false);
  });

  it('a subdomain entry does not exclude the subdomains of a different parent with the same hash', () => {
    const ex = compileMailExclusions([`@*.${domainPair[0]}`]);
    expect(isExcludedAddress(ex, `ann@mail.${domainPair[0]}`)).toBe(true);
    expect(isExcludedAddress(ex, `ann@mail.${domainPair[1]}`)).toBe(false);
  });

  it('an address entry does not exclude a different local part with the same hash', () => {
    const ex = compileMailExclusions([`${localPair[0]}@acme.test`]);
    expect(isExcludedAddress(ex, `${localPair[0]}@acme.test`)).toBe(true);
    expect(isExcludedAddress(ex, `${localPair[1]}@acme.test`)).toBe(false);
    expect(isExcludedAddress(ex, `x@acme.test, ${localPair[1].toUpperCase()}+tag@acme.test`)).toBe(false);
  });

  it('both entries of a colliding pair still match themselves', () => {
    const ex = compileMailExclusions([...domainPair.map((d) => `@${d}`), ...localPair.map((l) => `${l}@acme.test`)]);
    for (const d of domainPair) expect(evaluateMailAddress(ex, `x@${d}`)).toMatchObject({ excluded: true, entry: `@${d}` });
    for (const d of domainPair) expect(isExcludedAddress(ex, `X@${d.toUpperCase()}`)).toBe(true);
    for (const l of localPair) expect(isExcludedAddress(ex, `${l}@acme.test`)).toBe(true);
    expect(isExcludedAddress(ex, 'other@acme.test')).toBe(false);
  });

  it('four colliding domains with entries each match their own entries only', () => {
    const ex = compileMailExclusions([...domainQuad.map((d) => `ceo@${d}`), `@${domainQuad[2]}`]);
    for (const d of domainQuad) expect(evaluateMailAddress(ex, `CEO@${d}`)).toMatchObject({ reason: 'address_excluded', entry: `ceo@${d}` });
    for (const d of domainQuad) expect(isExcludedAddress(ex, `cfo@${d}`)).toBe(d === domainQuad[2]);
  });

  it('address entries at two colliding domains each match their own domain only', () => {
    for (const order of [domainPair, [...domainPair].reverse()]) {
      const ex = compileMailExclusions([`ann@${order[0]}`, `bob@${order[1]}`]);
      expect(isExcludedAddress(ex, `ann@${order[0]}`)).toBe(true);
      expect(isExcludedAddress(ex, `bob@${order[1]}`)).toBe(true);
      expect(isExcludedAddress(ex, `bob@${order[0]}`)).toBe(false);
      expect(isExcludedAddress(ex, `ann@${order[1]}`)).toBe(false);
    }
  });
});

describe('exclusions must come from compileMailExclusions', () => {
  it.each([
    [{ entries: ['ceo@acme.test'], options: { localPartCase: 'fold', subaddress: 'fold', subaddressSeparators: '+' } }],
    [undefined],
    [null],
  ])('%# throws invalid_option', (fake) => {
    expect(() => isExcludedAddress(fake as unknown as MailExclusions, 'ceo@acme.test')).toThrow(StaffgateError);
    expect(() => evaluateMailAddress(fake as unknown as MailExclusions, 'ceo@acme.test')).toThrow(/compileMailExclusions/);
  });
});
