import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileIpRules, parseIpEntry } from 'staffgate/net';
import { ipAddressArb, ipCoveredBy, ipEntryEdges, ipRuleEntryArb, ipv4Text, ipv6Canonical } from '../../src/testing/net.js';

const MAX = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;
const covered = ipCoveredBy;
const edges = ipEntryEdges;

const entries = (max: number) => fc.array(ipRuleEntryArb(), { minLength: 0, maxLength: max });

describe('compileIpRules agrees with a BigInt oracle', () => {
  it('for random rules and random addresses', () => {
    fc.assert(
      fc.property(entries(25), fc.array(ipAddressArb(), { maxLength: 25 }), (rules, addresses) => {
        const compiled = compileIpRules(rules.map((r) => r.text));
        for (const a of addresses) expect(compiled.contains(a.text)).toBe(covered(rules, a));
      }),
      { numRuns: 400 },
    );
  });

  it('at range edges: first, last, one below, one above', () => {
    fc.assert(
      fc.property(entries(25), (rules) => {
        const compiled = compileIpRules(rules.map((r) => r.text));
        for (const a of edges(rules)) expect(compiled.contains(a.text), a.text).toBe(covered(rules, a));
      }),
      { numRuns: 400 },
    );
  });

  it('explain names the first entry that covers the address', () => {
    fc.assert(
      fc.property(entries(15), fc.array(ipAddressArb(), { maxLength: 15 }), (rules, addresses) => {
        const compiled = compileIpRules(rules.map((r) => r.text));
        for (const a of [...addresses, ...edges(rules)]) {
          const index = rules.findIndex((e) => e.family === a.family && e.first <= a.value && a.value <= e.last);
          const result = compiled.explain(a.text);
          if (index < 0) expect(result).toEqual({ matched: false, reason: 'no_match', address: a.canonical, family: a.family });
          else expect(result).toEqual({ matched: true, index, entry: compiled.entries[index], address: a.canonical, family: a.family });
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('allowlist laws', () => {
  it('adding an allowlist entry never turns allow into deny', () => {
    fc.assert(
      fc.property(entries(15), ipRuleEntryArb(), fc.array(ipAddressArb(), { maxLength: 20 }), (rules, extra, addresses) => {
        const before = compileIpRules(rules.map((r) => r.text));
        const after = compileIpRules([...rules, extra].map((r) => r.text));
        for (const a of [...addresses, ...edges([extra])]) {
          if (before.contains(a.text)) expect(after.contains(a.text)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('entry order and duplicates never change a decision', () => {
    fc.assert(
      fc.property(
        entries(15).chain((rules) => fc.tuple(fc.constant(rules), fc.shuffledSubarray([...rules, ...rules], { minLength: rules.length * 2 }))),
        fc.array(ipAddressArb(), { maxLength: 20 }),
        ([rules, shuffled], addresses) => {
          const a = compileIpRules(rules.map((r) => r.text));
          const b = compileIpRules(shuffled.map((r) => r.text));
          for (const x of [...addresses, ...edges(rules)]) expect(b.contains(x.text)).toBe(a.contains(x.text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an IPv6 rule never matches an IPv4 or IPv4-mapped address', () => {
    const v6Rules = entries(15).map((rules) => rules.filter((r) => r.family === 6));
    const v4 = ipAddressArb().filter((a) => a.family === 4);
    fc.assert(
      fc.property(v6Rules, v4, (rules, a) => {
        const compiled = compileIpRules([...rules.map((r) => r.text), '::/0']);
        expect(compiled.contains(a.text)).toBe(false);
        expect(compiled.contains(`::ffff:${ipv4Text(a.value)}`)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('the normalized entries compile to the same matcher', () => {
    fc.assert(
      fc.property(entries(15), fc.array(ipAddressArb(), { maxLength: 20 }), (rules, addresses) => {
        const original = compileIpRules(rules.map((r) => r.text));
        const normalized = compileIpRules(original.entries);
        expect(normalized.entries).toEqual(original.entries);
        for (const a of [...addresses, ...edges(rules)]) expect(normalized.contains(a.text)).toBe(original.contains(a.text));
      }),
      { numRuns: 200 },
    );
  });

  it('contains never throws, whatever it is given', () => {
    const compiled = compileIpRules(['0.0.0.0/0', '::/0', '10.0.0.0-10.0.0.9']);
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.string({ unit: 'grapheme' })), (input) => {
        expect(typeof compiled.contains(input as string)).toBe('boolean');
        expect(typeof compiled.explain(input as string).matched).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseIpEntry laws', () => {
  it('reports the span, size and covering prefix of every entry', () => {
    fc.assert(
      fc.property(ipRuleEntryArb(), (e) => {
        const parsed = parseIpEntry(e.text);
        const bits = e.family === 4 ? 32 : 128;
        const text = (v: bigint) => (e.family === 4 ? ipv4Text(v) : ipv6Canonical(v));
        expect(parsed).toMatchObject({
          ok: true,
          family: e.family,
          first: text(e.first),
          last: text(e.last),
          firstValue: e.first,
          lastValue: e.last,
          size: e.last - e.first + 1n,
        });
        if (!parsed.ok) return;
        // the smallest CIDR around the span: its prefix is the number of leading bits first and last share
        const shared = bits - (e.first ^ e.last).toString(2).replace(/^0$/, '').length;
        if (parsed.kind !== 'address') expect(parsed.prefixLength).toBe(shared);
        else expect(parsed.prefixLength).toBe(bits);
        // the normalized form is itself an entry with the same meaning
        expect(parseIpEntry(parsed.normalized)).toEqual(parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('a CIDR with any host bit set is refused and its network suggested', () => {
    const arb = fc.constantFrom<4 | 6>(4, 6).chain((family) => {
      const bits = family === 4 ? 32 : 128;
      return fc.tuple(fc.constant(family), fc.integer({ min: 0, max: bits - 1 }), fc.bigInt({ min: 0n, max: MAX[family] }));
    });
    fc.assert(
      fc.property(arb, ([family, prefix, value]) => {
        const bits = BigInt(family === 4 ? 32 : 128);
        const host = bits - BigInt(prefix);
        const network = (value >> host) << host;
        fc.pre(value !== network && !(family === 6 && value >> 32n === 0xffffn));
        const text = (v: bigint) => (family === 4 ? ipv4Text(v) : ipv6Canonical(v));
        const result = parseIpEntry(`${text(value)}/${prefix}`);
        expect(result).toMatchObject({ ok: false, reason: 'host_bits_set', suggestion: `${text(network)}/${prefix}` });
        expect(() => compileIpRules([`${text(value)}/${prefix}`])).toThrow(/host bits/);
      }),
      { numRuns: 1000 },
    );
  });
});
