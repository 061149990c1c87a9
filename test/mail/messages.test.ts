import { describe, expect, it } from 'vitest';
import { StaffgateError } from '../../src/errors.js';
import {
  compileMailExclusions,
  evaluateMailMessage,
  filterTrackedMessages,
  type MailMatchOptions,
  type MailMessageAddresses,
  type MailMessageDecision,
} from 'staffgate/mail';

const exclusions = compileMailExclusions(['ceo@acme.test', 'cfo@acme.test', '@board.acme.test']);

type Expectation = MailMessageDecision['reason'];

describe('filterTrackedMessages: any participant (the default)', () => {
  const cases: [string, MailMessageAddresses, Expectation][] = [
    ['customer to sales', { from: 'client@customer.test', to: ['sales@acme.test'] }, 'not_excluded'],
    ['director writes', { from: 'Jane CEO <ceo@acme.test>', to: ['client@customer.test'] }, 'address_excluded'],
    ['director receives', { from: 'client@customer.test', to: ['sales@acme.test', 'CEO@acme.test'] }, 'address_excluded'],
    ['director in cc', { from: 'sales@acme.test', to: ['client@customer.test'], cc: ['cfo@acme.test'] }, 'address_excluded'],
    ['director in bcc', { from: 'sales@acme.test', to: ['client@customer.test'], bcc: ['ceo+bcc@acme.test'] }, 'address_excluded'],
    ['reply-to a director', { from: 'assistant@acme.test', to: ['client@customer.test'], replyTo: ['ceo@acme.test'] }, 'address_excluded'],
    ['board domain in raw To', { from: 'sales@acme.test', to: 'client@customer.test, "Ann" <ann@board.acme.test>' }, 'domain_excluded'],
    ['raw header strings in an array', { from: 'sales@acme.test', to: ['a@customer.test, b@customer.test'] }, 'not_excluded'],
    ['spoofed display name', { from: '"ceo@acme.test" <x@evil.test>', to: ['sales@acme.test'] }, 'not_excluded'],
    ['empty group in To (Bcc-only mail)', { from: 'client@customer.test', to: 'undisclosed-recipients:;', bcc: ['sales@acme.test'] }, 'not_excluded'],
    ['no recipients at all', { from: 'client@customer.test', to: [], cc: [] }, 'not_excluded'],
    ['absent fields as null', { from: 'client@customer.test', to: null, cc: null, bcc: null, replyTo: null }, 'not_excluded'],
    ['unreadable from', { from: 'client@@customer.test', to: ['sales@acme.test'] }, 'address_unparseable'],
    ['empty from', { from: '', to: ['sales@acme.test'] }, 'address_unparseable'],
    ['group-only from', { from: 'Nobody:;', to: ['sales@acme.test'] }, 'address_unparseable'],
    ['unreadable cc', { from: 'client@customer.test', to: ['sales@acme.test'], cc: ['broken <'] }, 'address_unparseable'],
    ['empty string in to', { from: 'client@customer.test', to: [''] }, 'address_unparseable'],
    ['unreadable cc, director in bcc', { from: 'client@customer.test', cc: ['<<'], bcc: ['ceo@acme.test'] }, 'address_excluded'],
    ['IP-literal from', { from: 'x@[192.0.2.1]', to: ['sales@acme.test'] }, 'address_unparseable'],
  ];

  it.each(cases)('%s → %s', (_name, message, reason) => {
    const { tracked, excluded, unparseable } = filterTrackedMessages([message], exclusions);
    expect(tracked.length + excluded.length).toBe(1);
    expect(tracked.includes(message)).toBe(reason === 'not_excluded');
    expect(unparseable).toBe(reason === 'address_unparseable' ? 1 : 0);
    expect(evaluateMailMessage(message, exclusions).reason).toBe(reason);
  });

  it('names the field, address and entry that decided', () => {
    expect(evaluateMailMessage({ from: 'sales@acme.test', to: ['client@customer.test'], bcc: ['Ann <ANN@Board.Acme.test>'] }, exclusions)).toEqual({
      tracked: false,
      reason: 'domain_excluded',
      field: 'bcc',
      address: 'ANN@board.acme.test',
      entry: '@board.acme.test',
    });
    expect(evaluateMailMessage({ from: 'sales@acme.test', cc: ['ok@customer.test', 'bad <'] }, exclusions)).toEqual({
      tracked: false,
      reason: 'address_unparseable',
      field: 'cc',
      error: 'syntax_error',
    });
    expect(evaluateMailMessage({ from: 'client@customer.test' }, exclusions)).toEqual({ tracked: true, reason: 'not_excluded' });
  });

  it('keeps input order and the same objects in both lists', () => {
    const messages: MailMessageAddresses[] = [
      { from: 'a@customer.test' },
      { from: 'ceo@acme.test' },
      { from: 'b@customer.test' },
      { from: 'bad' },
      { from: 'c@customer.test', cc: ['cfo@acme.test'] },
    ];
    const r = filterTrackedMessages(messages, exclusions);
    expect(r.tracked).toEqual([messages[0], messages[2]]);
    expect(r.excluded).toEqual([messages[1], messages[3], messages[4]]);
    expect(r.tracked[0]).toBe(messages[0]);
    expect(r.unparseable).toBe(1);
  });

  it('accepts any iterable, such as a generator', () => {
    function* sync(): Generator<MailMessageAddresses> {
      yield { from: 'a@customer.test' };
      yield { from: 'ceo@acme.test' };
    }
    const r = filterTrackedMessages(sync(), exclusions);
    expect(r.tracked.length).toBe(1);
    expect(r.excluded.length).toBe(1);
  });

  it('keeps extra properties and the caller’s type', () => {
    const r = filterTrackedMessages([{ id: 7, subject: 'Quote', from: 'a@customer.test' }], exclusions);
    const first = r.tracked[0];
    expect(first?.id).toBe(7);
  });
});

describe('filterTrackedMessages: { match: "sender" }', () => {
  const sender: MailMatchOptions = { match: 'sender' };
  const cases: [string, MailMessageAddresses, Expectation][] = [
    ['director writes', { from: 'ceo@acme.test', to: ['client@customer.test'] }, 'address_excluded'],
    ['director only receives', { from: 'client@customer.test', to: ['ceo@acme.test'] }, 'not_excluded'],
    ['board member only in cc', { from: 'client@customer.test', cc: ['ann@board.acme.test'] }, 'not_excluded'],
    ['unreadable cc is not read', { from: 'client@customer.test', cc: ['<<<'] }, 'not_excluded'],
    ['unreadable from', { from: 'client@', to: ['sales@acme.test'] }, 'address_unparseable'],
    ['one of several authors', { from: 'client@customer.test, cfo@acme.test' }, 'address_excluded'],
  ];
  it.each(cases)('%s → %s', (_name, message, reason) => {
    const r = filterTrackedMessages([message], exclusions, sender);
    expect(r.tracked.length).toBe(reason === 'not_excluded' ? 1 : 0);
    expect(r.unparseable).toBe(reason === 'address_unparseable' ? 1 : 0);
    expect(evaluateMailMessage(message, exclusions, sender).reason).toBe(reason);
  });
});

describe('filterTrackedMessages: malformed messages never throw and are excluded', () => {
  const hostile: [string, unknown][] = [
    ['null', null],
    ['a string', 'ceo@acme.test'],
    ['a number', 42],
    ['no from', { to: ['a@customer.test'] }],
    ['from is a number', { from: 7 }],
    ['from is an array', { from: ['a@customer.test'] }],
    ['to is a number', { from: 'a@customer.test', to: 5 }],
    ['to is an object', { from: 'a@customer.test', to: { 0: 'b@customer.test' } }],
    ['to holds a number', { from: 'a@customer.test', to: [5] }],
    ['to holds null', { from: 'a@customer.test', to: [null] }],
    [
      'a throwing getter',
      Object.defineProperty({ from: 'a@customer.test' }, 'cc', {
        enumerable: true,
        get(): never {
          throw new Error('boom');
        },
      }),
    ],
    [
      'a throwing proxy',
      new Proxy(
        {},
        {
          get(): never {
            throw new Error('boom');
          },
        },
      ),
    ],
  ];
  it.each(hostile)('%s', (_name, message) => {
    const r = filterTrackedMessages([message as MailMessageAddresses], exclusions);
    expect(r.tracked.length).toBe(0);
    expect(r.excluded.length).toBe(1);
    expect(r.excluded[0] === message).toBe(true);
    expect(r.unparseable).toBe(1);
    const d = evaluateMailMessage(message as MailMessageAddresses, exclusions);
    expect(d.tracked).toBe(false);
    expect(['address_unparseable', 'message_invalid']).toContain(d.reason);
  });
});

describe('filterTrackedMessages: programming errors throw', () => {
  it.each([
    ['a fake exclusions object', () => filterTrackedMessages([], { entries: [], options: exclusions.options })],
    ['bad match option', () => filterTrackedMessages([], exclusions, { match: 'all' as 'any' })],
    ['options not an object', () => filterTrackedMessages([], exclusions, 'sender' as unknown as MailMatchOptions)],
    ['messages not iterable', () => filterTrackedMessages(5 as unknown as MailMessageAddresses[], exclusions)],
    ['messages is a string', () => filterTrackedMessages('ceo@acme.test' as unknown as MailMessageAddresses[], exclusions)],
    ['evaluate with a bad option', () => evaluateMailMessage({ from: 'a@b.test' }, exclusions, { match: 'from' as 'any' })],
  ])('%s → invalid_option', (_name, run) => {
    expect(run).toThrow(StaffgateError);
    try {
      run();
    } catch (err) {
      expect((err as StaffgateError).code).toBe('invalid_option');
    }
  });
});
