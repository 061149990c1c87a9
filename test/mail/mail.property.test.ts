import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileMailExclusions,
  evaluateMailAddress,
  evaluateMailMessage,
  filterTrackedMessages,
  isExcludedAddress,
  parseMailboxList,
  safeCompileMailExclusions,
  type MailMessageAddresses,
} from 'staffgate/mail';
import {
  hostileMailStringArb,
  mailAddressArb,
  mailAddressSpellingArb,
  mailDisplayNameArb,
  mailDomainArb,
  mailExclusionEntryArb,
  mailHeaderValueArb,
  mailLocalPartArb,
  mailMessageArb,
  mailSubaddressArb,
  quoteMailDisplayName,
} from '../../src/testing/mail.js';

// A small pool so that random messages and random exclusion lists actually meet.
const pool = fc.sample(mailAddressArb({ idn: true }), { numRuns: 12, seed: 42 });
const poolAddress = fc.constantFrom(...pool);
const poolEntry = fc.oneof(
  poolAddress,
  poolAddress.map((a) => `@${a.slice(a.lastIndexOf('@') + 1)}`),
  poolAddress.map((a) => {
    const d = a.slice(a.lastIndexOf('@') + 1);
    return `@*.${d.slice(d.indexOf('.') + 1)}`;
  }),
);

function participants(m: MailMessageAddresses): string[] {
  const out = [m.from];
  for (const v of [m.to, m.cc, m.bcc, m.replyTo]) {
    if (typeof v === 'string') out.push(v);
    else if (v) out.push(...v);
  }
  return out;
}

describe('mail exclusion laws', () => {
  it('every RFC 5322 spelling of an excluded address is excluded, and read as that address', () => {
    fc.assert(
      fc.property(
        mailAddressArb().chain((a) => mailAddressSpellingArb(a).map((s) => [a, s] as const)),
        ([address, spelling]) => {
          const ex = compileMailExclusions([address]);
          const d = evaluateMailAddress(ex, spelling);
          // `*@domain` is the documented spelling of a domain entry.
          expect(d.reason).toBe(address.startsWith('*@') ? 'domain_excluded' : 'address_excluded');
          expect(isExcludedAddress(ex, spelling)).toBe(true);
          if (d.excluded && d.reason !== 'address_unparseable') expect(d.address.toLowerCase()).toBe(address);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with localPartCase "exact", spellings that keep the case are excluded and a changed local part is not', () => {
    fc.assert(
      fc.property(
        mailAddressArb().filter((a) => /[a-z]/.test(a.slice(0, a.indexOf('@')))),
        fc.boolean(),
        (address, upper) => {
          const ex = compileMailExclusions([address], { localPartCase: 'exact' });
          const at = address.lastIndexOf('@');
          const domainCased = `${address.slice(0, at)}@${address.slice(at + 1).toUpperCase()}`;
          expect(isExcludedAddress(ex, domainCased)).toBe(true);
          const localCased = `${upper ? address.slice(0, at).toUpperCase() : address.slice(0, at)}${address.slice(at)}`;
          expect(isExcludedAddress(ex, localCased)).toBe(!upper);
        },
      ),
    );
  });

  it('the display name never changes the decision', () => {
    fc.assert(
      fc.property(fc.array(poolEntry, { maxLength: 6 }), poolAddress, mailDisplayNameArb(), (entries, address, name) => {
        const ex = compileMailExclusions(entries);
        expect(isExcludedAddress(ex, `${quoteMailDisplayName(name)} <${address}>`)).toBe(isExcludedAddress(ex, address));
      }),
    );
  });

  it('with sub-address folding, local+tag is excluded exactly when local is', () => {
    fc.assert(
      fc.property(fc.array(poolEntry, { maxLength: 6 }), poolAddress, mailSubaddressArb(), (entries, address, tag) => {
        const ex = compileMailExclusions(entries);
        const at = address.lastIndexOf('@');
        const tagged = `${address.slice(0, at)}+${tag}${address.slice(at)}`;
        expect(isExcludedAddress(ex, tagged)).toBe(isExcludedAddress(ex, address));
      }),
    );
  });

  it('an @domain entry excludes every address at that domain; @*.domain only its subdomains', () => {
    fc.assert(
      fc.property(mailLocalPartArb(), mailDomainArb(), mailDomainArb(), (local, domain, other) => {
        fc.pre(other !== domain && !other.endsWith(`.${domain}`));
        const whole = compileMailExclusions([`@${domain}`]);
        const subs = compileMailExclusions([`@*.${domain}`]);
        expect(isExcludedAddress(whole, `${local}@${domain}`)).toBe(true);
        expect(isExcludedAddress(whole, `${local}@${other}`)).toBe(false);
        expect(isExcludedAddress(subs, `${local}@${domain}`)).toBe(false);
        expect(isExcludedAddress(subs, `${local}@mail.${domain}`)).toBe(true);
        expect(isExcludedAddress(subs, `${local}@${other}`)).toBe(false);
      }),
    );
  });

  it('adding an exclusion entry never turns an excluded message into a tracked one', () => {
    fc.assert(
      fc.property(
        fc.array(poolEntry, { maxLength: 6 }),
        poolEntry,
        fc.array(mailMessageArb(poolAddress), { maxLength: 8 }),
        fc.constantFrom('any' as const, 'sender' as const),
        (entries, extra, messages, match) => {
          const before = filterTrackedMessages(messages, compileMailExclusions(entries), { match });
          const after = filterTrackedMessages(messages, compileMailExclusions([...entries, extra]), { match });
          for (const m of before.excluded) expect(after.excluded).toContain(m);
        },
      ),
    );
  });

  it('filtering partitions the messages, keeping their order', () => {
    fc.assert(
      fc.property(fc.array(poolEntry, { maxLength: 6 }), fc.array(mailMessageArb(poolAddress), { maxLength: 10 }), (entries, messages) => {
        const r = filterTrackedMessages(messages, compileMailExclusions(entries));
        expect(r.tracked.length + r.excluded.length).toBe(messages.length);
        expect(r.tracked).toEqual(messages.filter((m) => r.tracked.includes(m)));
        expect(r.excluded).toEqual(messages.filter((m) => !r.tracked.includes(m)));
      }),
    );
  });

  it('a message is excluded exactly when one of its participants is (any mode)', () => {
    fc.assert(
      fc.property(fc.array(poolEntry, { maxLength: 6 }), mailMessageArb(poolAddress), (entries, message) => {
        const ex = compileMailExclusions(entries);
        const excluded = filterTrackedMessages([message], ex).excluded.length === 1;
        expect(excluded).toBe(participants(message).some((p) => isExcludedAddress(ex, p)));
      }),
    );
  });

  it('sender mode never excludes a message that any-participant mode tracks', () => {
    fc.assert(
      fc.property(fc.array(poolEntry, { maxLength: 6 }), fc.array(mailMessageArb(fc.oneof(poolAddress, hostileMailStringArb())), { maxLength: 8 }), (entries, messages) => {
        const ex = compileMailExclusions(entries);
        const anyMode = filterTrackedMessages(messages, ex);
        const senderMode = filterTrackedMessages(messages, ex, { match: 'sender' });
        for (const m of anyMode.tracked) expect(senderMode.tracked).toContain(m);
        expect(senderMode.unparseable).toBeLessThanOrEqual(anyMode.unparseable + anyMode.excluded.length);
      }),
    );
  });

  it('evaluateMailMessage agrees with filterTrackedMessages, hostile messages included', () => {
    fc.assert(
      fc.property(
        fc.array(poolEntry, { maxLength: 6 }),
        mailMessageArb(fc.oneof(poolAddress, hostileMailStringArb())),
        fc.constantFrom('any' as const, 'sender' as const),
        (entries, message, match) => {
          const ex = compileMailExclusions(entries);
          const r = filterTrackedMessages([message], ex, { match });
          const d = evaluateMailMessage(message, ex, { match });
          expect(d.tracked).toBe(r.tracked.length === 1);
          expect(d.reason === 'address_unparseable').toBe(r.unparseable === 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the quick path for plain addresses decides as the full parser does', () => {
    const plain = fc.string({ unit: fc.constantFrom('a', 'B', 'c', '1', '.', '@', '-', '+', '_', 'x', 'y', 'n'), minLength: 0, maxLength: 14 });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(plain.map((s) => `a@${s}`), plain.map((s) => `@${s}`), plain.map((s) => `@*.${s}`), plain), { maxLength: 5 }),
        plain,
        (candidates, value) => {
          const entries = candidates.filter((c) => safeCompileMailExclusions([c]).ok);
          const ex = compileMailExclusions(entries);
          // evaluateMailAddress always runs the full RFC 5322 parser.
          expect(isExcludedAddress(ex, value)).toBe(evaluateMailAddress(ex, value).excluded);
          expect(isExcludedAddress(ex, value)).toBe(isExcludedAddress(ex, `<${value}>`));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the quick paths decide as the full parser does, in every header position and with every option', () => {
    const unit = fc.constantFrom('a', 'B', 'c', '1', '.', '-', '+', '_', 'x', 'Y', 'n', '=');
    const label = fc.string({ unit: fc.constantFrom('a', 'b', 'C', '0', '9', 'x', '-'), minLength: 0, maxLength: 5 });
    const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
    const local = fc.string({ unit, minLength: 0, maxLength: 8 });
    const address = fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);
    const entry = fc.oneof(address, domain.map((d) => `@${d}`), domain.map((d) => `@*.${d}`));
    const position = fc.constantFrom(
      (v: string) => v,
      (v: string) => `<${v}>`,
      (v: string) => `Jane Roe <${v}>`,
      (v: string) => `"Roe, Jane" <${v}> (via CRM)`,
      (v: string) => `${v}, ann@customer.test`,
      (v: string) => `ann@customer.test,${v}`,
      (v: string) => `Team: ${v}, ann@customer.test;`,
      (v: string) => ` ${v} `,
      (v: string) => `${v} .test`,
      (v: string) => `<${v}`,
    );
    const options = fc.record({
      localPartCase: fc.constantFrom('fold' as const, 'exact' as const),
      subaddress: fc.constantFrom('fold' as const, 'keep' as const),
      subaddressSeparators: fc.constantFrom('+', '+-', '=_'),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.oneof(address, local), position, options, (candidates, value, place, opts) => {
        const entries = candidates.filter((c) => safeCompileMailExclusions([c], opts).ok);
        const ex = compileMailExclusions(entries, opts);
        const header = place(value);
        // evaluateMailAddress and evaluateMailMessage always run the full RFC 5322 parser.
        const full = evaluateMailAddress(ex, header);
        expect(isExcludedAddress(ex, header)).toBe(full.excluded);
        const r = filterTrackedMessages([{ from: 'ann@customer.test', to: header }], ex);
        const d = evaluateMailMessage({ from: 'ann@customer.test', to: header }, ex);
        expect(r.excluded.length).toBe(d.tracked ? 0 : 1);
        expect(r.unparseable).toBe(d.reason === 'address_unparseable' ? 1 : 0);
      }),
      { numRuns: 1500 },
    );
  });

  it('hostile text never throws, and whatever cannot be read is excluded', () => {
    const ex = compileMailExclusions(['ceo@acme.test', '@board.acme.test']);
    fc.assert(
      fc.property(hostileMailStringArb(), (text) => {
        const parsed = parseMailboxList(text);
        const d = evaluateMailAddress(ex, text);
        expect(isExcludedAddress(ex, text)).toBe(d.excluded);
        if (!parsed.ok || parsed.mailboxes.length === 0) expect(d.excluded).toBe(true);
        const r = filterTrackedMessages([{ from: text }, { from: 'a@customer.test', cc: [text] }], ex);
        expect(r.tracked.length + r.excluded.length).toBe(2);
      }),
      { numRuns: 300 },
    );
  });

  it('normal form is a fixed point: compiling the entries again changes nothing', () => {
    const unicodeEntry = fc
      .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), mailDomainArb())
      .map(([local, domain]) => `"${local.replace(/["\\]/g, '\\$&')}"@${domain}`);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(mailExclusionEntryArb(), unicodeEntry), { maxLength: 6 }),
        fc.constantFrom('fold' as const, 'exact' as const),
        fc.constantFrom('fold' as const, 'keep' as const),
        (raw, localPartCase, subaddress) => {
          const entries = raw.filter((e) => safeCompileMailExclusions([e]).ok);
          const options = { localPartCase, subaddress };
          const once = compileMailExclusions(entries, options).entries;
          expect(compileMailExclusions(once, options).entries).toEqual(once);
          const ex = compileMailExclusions(entries, options);
          for (const e of once) if (!e.startsWith('@')) expect(isExcludedAddress(ex, e)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parseMailboxList reads back exactly the mailboxes a header was built from', () => {
    fc.assert(
      fc.property(mailHeaderValueArb(mailAddressArb({ idn: true })), ({ header, addresses }) => {
        const r = parseMailboxList(header);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const expected = addresses.map((a) => {
          const at = a.lastIndexOf('@');
          return `${a.slice(0, at)}@${new URL(`http://${a.slice(at + 1)}/`).hostname}`;
        });
        expect(r.mailboxes.map((m) => m.address)).toEqual(expected);
        // and the canonical addresses, joined, read back the same
        if (expected.length === 0) return;
        const again = parseMailboxList(r.mailboxes.map((m) => m.address).join(', '));
        expect(again.ok && again.mailboxes.map((m) => m.address)).toEqual(expected);
      }),
    );
  });
});
