import { describe, expect, it } from 'vitest';
import {
  compileMailExclusions,
  evaluateMailMessage,
  filterTrackedMessages,
  isExcludedAddress,
  parseMailboxList,
  safeCompileMailExclusions,
} from 'staffgate/mail';

// The examples in docs/mail.md, so the guide cannot drift from the library.
describe('docs/mail.md examples', () => {
  const exclusions = compileMailExclusions(['Jane Roe <jane.roe@acme.test>', 'cfo@acme.test', '@board.acme.test']);

  it('quick start', () => {
    expect(exclusions.entries).toEqual(['jane.roe@acme.test', 'cfo@acme.test', '@board.acme.test']);
    const messages = [
      { from: '"Li Ng" <li.ng@customer.test>', to: ['sam@acme.test'] },
      { from: 'sam@acme.test', to: 'Jane.Roe+board@ACME.test', cc: ['ann@board.acme.test'] },
      { from: 'Jane Roe, CEO <jane.roe@acme.test>', to: ['sam@acme.test'] },
    ];
    const { tracked, excluded, unparseable } = filterTrackedMessages(messages, exclusions);
    expect(tracked).toEqual([messages[0]]);
    expect(excluded).toEqual([messages[1], messages[2]]);
    expect(unparseable).toBe(1);
    expect(isExcludedAddress(exclusions, 'CFO@acme.test')).toBe(true);
    expect(isExcludedAddress(exclusions, '"cfo@acme.test" <x@evil.test>')).toBe(false);
  });

  it('safe compile with every bad entry', () => {
    const r = safeCompileMailExclusions(['ceo@acme.test', 'ceo@acme', 'board.acme.test']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_mail_entry');
    expect(r.error.issues.map((i) => i.path)).toEqual([[1], [2]]);
    expect(r.error.withPathPrefix(['mail', 'excluded']).pathText).toBe('mail.excluded[1]');
  });

  it('strict local parts', () => {
    const strict = compileMailExclusions(['CEO@acme.test'], { localPartCase: 'exact', subaddress: 'keep' });
    expect(isExcludedAddress(strict, 'CEO@ACME.test')).toBe(true);
    expect(isExcludedAddress(strict, 'ceo@acme.test')).toBe(false);
    expect(isExcludedAddress(strict, 'CEO+x@acme.test')).toBe(false);
  });

  it('parseMailboxList', () => {
    expect(parseMailboxList('"Roe, Jane" <Jane.Roe@Acme.TEST>, bob(Sales)@acme.test, Board: ceo@acme.test;')).toEqual({
      ok: true,
      mailboxes: [
        { address: 'Jane.Roe@acme.test', localPart: 'Jane.Roe', domain: 'acme.test', name: 'Roe, Jane' },
        { address: 'bob@acme.test', localPart: 'bob', domain: 'acme.test' },
        { address: 'ceo@acme.test', localPart: 'ceo', domain: 'acme.test' },
      ],
    });
    expect(parseMailboxList('ceo@acme.test <x@evil.test>')).toEqual({ ok: false, reason: 'syntax_error', offset: 14 });
  });

  it('evaluateMailMessage', () => {
    expect(evaluateMailMessage({ from: 'sam@acme.test', cc: ['Ann <ANN@Board.Acme.test>'] }, exclusions)).toEqual({
      tracked: false,
      reason: 'domain_excluded',
      field: 'cc',
      address: 'ANN@board.acme.test',
      entry: '@board.acme.test',
    });
  });

  it('IMAP envelope mapping', () => {
    interface EnvelopeAddress {
      name?: string;
      address?: string;
    }
    interface Envelope {
      from?: EnvelopeAddress[];
      to?: EnvelopeAddress[];
      cc?: EnvelopeAddress[];
    }
    const list = (a: EnvelopeAddress[] = []): string[] => a.flatMap((x) => (x.address ? [x.address] : []));
    const toMessage = (uid: number, env: Envelope) => ({ uid, from: list(env.from).join(', '), to: list(env.to), cc: list(env.cc) });
    const ceo = compileMailExclusions(['ceo@acme.test']);
    const batch = [
      toMessage(101, { from: [{ name: 'Li Ng', address: 'li.ng@customer.test' }], to: [{ address: 'sam@acme.test' }] }),
      toMessage(102, { to: [{ address: 'sam@acme.test' }] }),
      toMessage(103, { from: [{ address: 'sam@acme.test' }], to: [{ name: 'undisclosed-recipients' }], cc: [{ address: 'CEO@acme.test' }] }),
    ];
    const r = filterTrackedMessages(batch, ceo);
    expect(r.tracked.map((m) => m.uid)).toEqual([101]);
    expect(r.unparseable).toBe(1);
  });
});
