// fast-check arbitraries for the mail capability: addresses, equivalent spellings of one
// address, header values, exclusion entries, synced messages, and hostile text.
import fc from 'fast-check';
import type { MailMessageAddresses } from '../mail/index.js';

const LOWER = Array.from('abcdefghijklmnopqrstuvwxyz');
const ALNUM = Array.from('abcdefghijklmnopqrstuvwxyz0123456789');
const ATEXT_SPECIALS = Array.from("!#$%&'*+-/=?^_`{|}~");
const IDN_LETTERS = Array.from('äöüßéèñçøåłżščřğışæœ日本語中文한국русскийελληνικά');

function label(chars: readonly string[], maxLength = 10): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength });
}

/**
 * A plain ASCII local part (a dot-atom), mostly letters and digits, sometimes with `atext`
 * specials such as `!#$%&'=?^_{|}~-`. Never contains `+`, so sub-address folding leaves it
 * alone (see {@link mailSubaddressArb} for tags).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(mailLocalPartArb(), (local) => parseMailboxList(`${local}@acme.test`).ok));
 * ```
 */
export function mailLocalPartArb(): fc.Arbitrary<string> {
  const atom = fc.oneof(
    { weight: 4, arbitrary: label(ALNUM, 8) },
    { weight: 1, arbitrary: label([...ALNUM, ...ATEXT_SPECIALS.filter((c) => c !== '+')], 6) },
  );
  return fc.array(atom, { minLength: 1, maxLength: 3 }).map((atoms) => atoms.join('.'));
}

/**
 * A sub-address tag to append after `+` (`news`, `crm-2`, `a.b`, or empty); never breaks the
 * dot-atom.
 *
 * @example
 * ```ts
 * const ex = compileMailExclusions(['ceo@acme.test']);
 * fc.assert(fc.property(mailSubaddressArb(), (tag) => isExcludedAddress(ex, `ceo+${tag}@acme.test`)));
 * ```
 */
export function mailSubaddressArb(): fc.Arbitrary<string> {
  const atom = fc.string({ unit: fc.constantFrom(...ALNUM, '-', '_', '+'), minLength: 1, maxLength: 5 });
  return fc.oneof(fc.constant(''), fc.array(atom, { minLength: 1, maxLength: 2 }).map((atoms) => atoms.join('.')));
}

/**
 * A lower-case ASCII host name with 2–3 labels and an alphabetic top-level label.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(mailDomainArb(), (d) => compileMailExclusions([`@${d}`]).entries[0] === `@${d}`));
 * ```
 */
export function mailDomainArb(): fc.Arbitrary<string> {
  const ldh = fc
    .tuple(label(ALNUM, 1), fc.string({ unit: fc.constantFrom(...ALNUM, '-'), maxLength: 8 }), label(ALNUM, 1))
    .map(([a, mid, b]) => (mid === '' ? a : `${a}${mid}${b}`));
  return fc
    .tuple(fc.array(ldh, { minLength: 1, maxLength: 2 }), label(LOWER, 2).filter((t) => t.length >= 2))
    .map(([labels, tld]) => [...labels, tld].join('.'));
}

/**
 * A domain with at least one non-ASCII label (`bücher.test`, `日本語.test`), valid as an IDN.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(mailIdnDomainArb(), (d) => compileMailExclusions([`@${d}`]).entries[0]?.includes('xn--') === true));
 * ```
 */
export function mailIdnDomainArb(): fc.Arbitrary<string> {
  return fc
    .tuple(label(IDN_LETTERS, 6), fc.option(label(ALNUM, 6), { nil: undefined }), fc.constantFrom('test', 'example', 'de', 'jp'))
    .map(([idn, ascii, tld]) => (ascii === undefined ? `${idn}.${tld}` : `${idn}.${ascii}.${tld}`))
    .filter((d) => {
      try {
        return new URL(`http://${d}/`).hostname.split('.').every((l) => l.length > 0 && l.length <= 63);
      } catch {
        return false;
      }
    });
}

/**
 * A bare address `local@domain` in lower case (ASCII unless `idn` is set).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(mailAddressArb(), (a) => isExcludedAddress(compileMailExclusions([a]), a)));
 * ```
 */
export function mailAddressArb(options: { idn?: boolean } = {}): fc.Arbitrary<string> {
  const domain = options.idn === true ? fc.oneof(mailDomainArb(), mailIdnDomainArb()) : mailDomainArb();
  return fc.tuple(mailLocalPartArb(), domain).map(([l, d]) => `${l}@${d}`);
}

/**
 * A display name as a person would type it: plain words, commas, quotes, backslashes, angle
 * brackets, and other people's addresses (`ceo@acme.test`), which must never be mistaken for
 * the address. Quote it with {@link quoteMailDisplayName} before putting it in a header.
 *
 * @example
 * ```ts
 * const ex = compileMailExclusions(['ceo@acme.test']);
 * fc.assert(fc.property(mailDisplayNameArb(), (name) => !isExcludedAddress(ex, `${quoteMailDisplayName(name)} <x@evil.test>`)));
 * ```
 */
export function mailDisplayNameArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('Jane Roe', 'Roe, Jane', 'ceo@acme.test', '<ceo@acme.test>', 'x" <ceo@acme.test>', 'a\\b', '(not a comment)', 'Zoë Ünal'),
    fc.string({ unit: fc.constantFrom(...ALNUM, ' ', ',', '"', '\\', '<', '>', '@', '(', ')', ';', ':', '.', 'é'), maxLength: 20 }),
  );
}

/**
 * `name` as an RFC 5322 quoted string, so any text can be a display name.
 *
 * @example
 * ```ts
 * quoteMailDisplayName('Roe, "JR"'); // '"Roe, \\"JR\\""'
 * ```
 */
export function quoteMailDisplayName(name: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}"`;
}

const COMMENTS = ['(x)', '(Jane (the CEO))', '(ceo@acme.test)', '(a\\)b)', '()'];
const SPACES = [' ', '  ', '\t', '\r\n ', '\n\t'];

function sprinkle(parts: readonly string[], gaps: readonly string[]): string {
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i++) out += (gaps[i - 1] ?? '') + (parts[i] ?? '');
  return out;
}

/**
 * Spellings of one plain ASCII `local@domain` address that RFC 5322 says are the same address:
 * quoted local part with escapes, comments and folding white space around its tokens, angle
 * brackets with a (hostile) display name, a group around it, an obsolete source route, and —
 * unless `caseChanges` is false — upper/lower case changes (equal only when local parts are
 * compared case-insensitively, the default).
 *
 * @example
 * ```ts
 * const ex = compileMailExclusions(['ceo@acme.test']);
 * fc.assert(fc.property(mailAddressSpellingArb('ceo@acme.test'), (s) => isExcludedAddress(ex, s)));
 * ```
 */
export function mailAddressSpellingArb(address: string, options: { caseChanges?: boolean } = {}): fc.Arbitrary<string> {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const cased = (text: string, mask: readonly boolean[]): string =>
    options.caseChanges === false ? text : Array.from(text, (ch, i) => (mask[i % Math.max(1, mask.length)] === true ? ch.toUpperCase() : ch)).join('');
  const gap = fc.oneof({ weight: 3, arbitrary: fc.constant('') }, fc.constantFrom(...SPACES), fc.constantFrom(...COMMENTS));
  return fc
    .record({
      quote: fc.boolean(),
      escapes: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      gaps: fc.array(gap, { minLength: 4, maxLength: 4 }),
      wrap: fc.constantFrom('bare', 'angle', 'named', 'group', 'route'),
      name: mailDisplayNameArb(),
    })
    .map(({ quote, escapes, mask, gaps, wrap, name }) => {
      const l = cased(local, mask);
      const d = cased(domain, [...mask].reverse());
      const localText = quote
        ? `"${Array.from(l, (ch, i) => (escapes[i % escapes.length] === true ? `\\${ch}` : ch)).join('')}"`
        : l;
      const spec = sprinkle([localText, '@', d], [gaps[0] ?? '', gaps[1] ?? '']);
      switch (wrap) {
        case 'bare':
          return sprinkle(['', spec, ''], [gaps[2] ?? '', gaps[3] ?? '']);
        case 'angle':
          return `${gaps[2] ?? ''}<${spec}>${gaps[3] ?? ''}`;
        case 'named':
          return `${quoteMailDisplayName(name)}${gaps[2] ?? ''}<${spec}>`;
        case 'group':
          return `Board${gaps[2] ?? ''}: ${spec};`;
        case 'route':
          return `<@relay.example,@mx.example:${spec}>`;
      }
    });
}

/**
 * A raw header value with 1–4 mailboxes (bare, `Name <addr>`, groups), and the addresses it
 * holds in order.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(mailHeaderValueArb(), ({ header, addresses }) => {
 *   const r = parseMailboxList(header);
 *   return r.ok && r.mailboxes.map((m) => m.address).join() === addresses.join();
 * }));
 * ```
 */
export function mailHeaderValueArb(
  address: fc.Arbitrary<string> = mailAddressArb(),
): fc.Arbitrary<{ header: string; addresses: string[] }> {
  const mailbox = fc.tuple(address, fc.option(mailDisplayNameArb(), { nil: undefined })).map(([a, name]) => ({
    text: name === undefined ? a : `${quoteMailDisplayName(name)} <${a}>`,
    addresses: [a],
  }));
  const group = fc.array(address, { maxLength: 2 }).map((as) => ({ text: `Team: ${as.join(', ')};`, addresses: as }));
  return fc
    .array(fc.oneof({ weight: 4, arbitrary: mailbox }, { weight: 1, arbitrary: group }), { minLength: 1, maxLength: 4 })
    .map((items) => ({ header: items.map((i) => i.text).join(', '), addresses: items.flatMap((i) => i.addresses) }));
}

/**
 * A valid exclusion entry: an address, `@domain` or `@*.domain`.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.array(mailExclusionEntryArb()), (entries) => compileMailExclusions(entries).entries.length <= entries.length));
 * ```
 */
export function mailExclusionEntryArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: mailAddressArb() },
    { weight: 1, arbitrary: mailDomainArb().map((d) => `@${d}`) },
    { weight: 1, arbitrary: mailDomainArb().map((d) => `@*.${d}`) },
  );
}

/**
 * Text that is not a readable address, or is one only in a tricky way: unbalanced quotes,
 * comments and brackets, CR/LF header injection, control characters, IP literals, trailing
 * dots, percent escapes, full-width and zero-width characters, very long or deeply nested input.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostileMailStringArb(), (s) => {
 *   const r = parseMailboxList(s); // never throws
 *   return r.ok || isExcludedAddress(exclusions, s); // unreadable means excluded
 * }));
 * ```
 */
export function hostileMailStringArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '@',
      'ceo@',
      '@acme.test',
      'ceo@@acme.test',
      'ceo@acme.test.',
      '.ceo@acme.test',
      'ce..o@acme.test',
      'ceo@acme..test',
      'ceo@[192.0.2.1]',
      'ceo@[IPv6:2001:db8::1]',
      'ceo@192.0.2.1',
      'ceo@0x7f.1',
      'ceo@acme.test:25',
      'ceo@acme.test/x',
      'ceo@ac%6De.test',
      'ceo@acme.test\r\nBcc: x@evil.test',
      'ceo@acme.test\u0000',
      '"ceo@acme.test',
      'ceo(@acme.test',
      '<ceo@acme.test',
      'ceo@acme.test>',
      'ceo@acme.test <x@evil.test>',
      'x@evil.test <ceo@acme.test>',
      'Board: ceo@acme.test',
      'undisclosed-recipients:;',
      'A: B: c@d.test;;',
      '<>',
      'ceo@ａｃｍｅ.test',
      'ceo@acme\u200b.test',
      'ceo@xn--.test',
      'c\u0435o@acme.test',
      `${'('.repeat(500)}x${')'.repeat(500)}a@b.test`,
      `${'a'.repeat(300)}@acme.test`,
      `a@${'b'.repeat(64)}.test`,
      'x@y.test, '.repeat(12_000),
      // Work that grows with the square of the length, were it not cut off first: a local part
      // of combining marks in reverse canonical order (normalisation reorders them), a
      // non-ASCII label of distinct code points (punycode), and a long domain of soft hyphens
      // that IDNA would map away to `a.test`.
      `a${'\u0301'.repeat(2000)}${'\u0316'.repeat(2000)}@acme.test`,
      `x@${Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('')}.test`,
      `x@a${'\u00ad'.repeat(1100)}.test`,
    ),
    fc.string({ unit: fc.constantFrom('a', '@', '.', '"', '\\', '(', ')', '<', '>', ',', ':', ';', '[', ']', ' ', '\r', '\n', '\t', 'é', '\u0000'), maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );
}

/**
 * A synced message's address fields, drawn from `address` (default {@link mailAddressArb});
 * `to`/`cc`/`bcc`/`replyTo` are sometimes absent, sometimes a single raw header string.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(fc.array(mailMessageArb()), (batch) => {
 *   const r = filterTrackedMessages(batch, exclusions);
 *   return r.tracked.length + r.excluded.length === batch.length;
 * }));
 * ```
 */
export function mailMessageArb(address: fc.Arbitrary<string> = mailAddressArb()): fc.Arbitrary<MailMessageAddresses> {
  const field = fc.oneof(
    { weight: 3, arbitrary: fc.array(address, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(address, { minLength: 1, maxLength: 3 }).map((as) => as.join(', ')) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.record({ from: address, to: field, cc: field, bcc: field, replyTo: field }).map((m) => {
    const out: { from: string; to?: string | string[]; cc?: string | string[]; bcc?: string | string[]; replyTo?: string | string[] } = {
      from: m.from,
    };
    if (m.to !== undefined) out.to = m.to;
    if (m.cc !== undefined) out.cc = m.cc;
    if (m.bcc !== undefined) out.bcc = m.bcc;
    if (m.replyTo !== undefined) out.replyTo = m.replyTo;
    return out;
  });
}
