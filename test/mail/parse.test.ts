import { describe, expect, it } from 'vitest';
import { parseMailboxList, type MailParseError } from 'staffgate/mail';

function addresses(value: string): string[] | MailParseError {
  const r = parseMailboxList(value);
  return r.ok ? r.mailboxes.map((m) => m.address) : r.reason;
}

describe('parseMailboxList: header values with several mailboxes', () => {
  const cases: [string, string[]][] = [
    ['a@x.test', ['a@x.test']],
    ['a@x.test, b@y.test', ['a@x.test', 'b@y.test']],
    ['a@x.test,b@y.test,,c@z.test,', ['a@x.test', 'b@y.test', 'c@z.test']],
    [', a@x.test', ['a@x.test']],
    ['"Roe, Jane" <jane@acme.test>, Bob <bob@acme.test>', ['jane@acme.test', 'bob@acme.test']],
    ['"a@x.test, b@y.test" <c@z.test>', ['c@z.test']],
    ['Jane <jane@acme.test> (works, here), bob@acme.test', ['jane@acme.test', 'bob@acme.test']],
    ['Team: a@x.test, B <b@y.test>;, c@z.test', ['a@x.test', 'b@y.test', 'c@z.test']],
    ['undisclosed-recipients:;', []],
    ['Team: ;, a@x.test', ['a@x.test']],
    ['Empty:(nobody);', []],
    ['A@X.TEST', ['A@x.test']],
    ['"a b"@x.test', ['"a b"@x.test']],
    ['"a\\"b"@x.test', ['"a\\"b"@x.test']],
    ['"a.b"@x.test', ['a.b@x.test']],
    ['"a"."b"@x.test', ['a.b@x.test']],
    ['a . b @ x . test', ['a.b@x.test']],
    ['<@r1.test,,@r2.test:a@x.test>', ['a@x.test']],
    ['<@[192.0.2.1]:a@x.test>', ['a@x.test']],
    ['a@x.test,\r\n b@y.test', ['a@x.test', 'b@y.test']],
    ['"folded\r\n name" <a@x.test>', ['a@x.test']],
    ['J. Smith <js@x.test>', ['js@x.test']],
    ['=?UTF-8?B?w4lsb2TDrWU=?= <e@x.test>', ['e@x.test']],
    ['Zoë Ünal <zoë@bücher.example>', ['zoë@xn--bcher-kva.example']],
    ['user@日本語.jp', ['user@xn--wgv71a119e.jp']],
  ];
  it.each(cases)('%j', (value, expected) => {
    expect(addresses(value)).toEqual(expected);
  });
});

describe('parseMailboxList: parts of each mailbox', () => {
  it('gives local part, domain and decoded display name', () => {
    expect(parseMailboxList('"Roe, Jane \\"JR\\"" <Jane.Roe@Acme.TEST>, bob(Sales)@acme.test, J. Smith <js@x.test>')).toEqual({
      ok: true,
      mailboxes: [
        { address: 'Jane.Roe@acme.test', localPart: 'Jane.Roe', domain: 'acme.test', name: 'Roe, Jane "JR"' },
        { address: 'bob@acme.test', localPart: 'bob', domain: 'acme.test' },
        { address: 'js@x.test', localPart: 'js', domain: 'x.test', name: 'J. Smith' },
      ],
    });
  });

  it('gives no name for a bare angle address', () => {
    expect(parseMailboxList('<a@x.test>')).toEqual({ ok: true, mailboxes: [{ address: 'a@x.test', localPart: 'a', domain: 'x.test' }] });
  });
});

describe('parseMailboxList: unreadable values, with the offset where reading stopped', () => {
  const cases: [string, MailParseError, number][] = [
    ['', 'empty', 0],
    [' ,, ', 'empty', 0],
    ['a@x.test b@y.test', 'syntax_error', 9],
    ['ceo@acme.test <x@evil.test>', 'syntax_error', 14],
    ['Jane Roe, CEO <ceo@acme.test>', 'syntax_error', 8],
    ['a@x.test; b@y.test', 'syntax_error', 8],
    ['Team: a@x.test', 'syntax_error', 14],
    ['A: B: c@d.test;;', 'syntax_error', 4],
    ['"unterminated <a@x.test>', 'syntax_error', 24],
    ['(unterminated a@x.test', 'syntax_error', 22],
    ['<a@x.test', 'syntax_error', 9],
    ['a@x.test>', 'syntax_error', 8],
    ['a@x.test\r\nBcc: b@y.test', 'syntax_error', 8],
    ['a@x.test\rb', 'syntax_error', 8],
    ['a\u0000@x.test', 'syntax_error', 1],
    ['"a\\\u0001"@x.test', 'syntax_error', 2],
    ['a@[192.0.2.1]', 'domain_literal_unsupported', 2],
    ['a@x.test, b@192.0.2.1', 'domain_invalid', 12],
    ['a@x.test, b@x_y.test', 'domain_invalid', 12],
  ];
  it.each(cases)('%j → %s at %d', (value, reason, offset) => {
    expect(parseMailboxList(value)).toEqual({ ok: false, reason, offset });
  });

  it('never throws on a non-string', () => {
    expect(parseMailboxList(undefined as unknown as string)).toEqual({ ok: false, reason: 'not_a_string', offset: 0 });
  });
});
