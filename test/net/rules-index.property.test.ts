import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileIpRules } from 'staffgate/net';
import { ipCoveredBy, ipEntryEdges, ipRuleEntryArb, ipSampleOf, ipv4Text, ipv6Canonical, type IpEntrySample } from '../../src/testing/net.js';

const MAX = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;
const covered = ipCoveredBy;
const edges = ipEntryEdges;
const sample = ipSampleOf;

const entries = (max: number) => fc.array(ipRuleEntryArb(), { minLength: 0, maxLength: max });

// Large lists go through a bucket table in front of the binary search: these laws use lists
// big enough to build it.
describe('compileIpRules with thousands of entries agrees with a BigInt oracle', () => {
  it('for thousands of rules (the bucketed index), at edges', () => {
    // Thousands of single addresses per family keep thousands of disjoint intervals after
    // merging, so lookups go through the bucket table; the random entries add wide blocks that
    // span buckets. Singles are checked through a Set to keep the oracle fast.
    const v4 = fc.uniqueArray(fc.bigInt({ min: 0n, max: MAX[4] }), { minLength: 2200, maxLength: 2600 });
    const v6 = fc.uniqueArray(fc.bigInt({ min: 0n, max: MAX[6] }), { minLength: 2200, maxLength: 2600 }).map((vs) => vs.filter((v) => v >> 32n !== 0xffffn));
    fc.assert(
      fc.property(v4, v6, entries(30), (singles4, singles6, wide) => {
        const singles = [...singles4.map((v) => sample(4, v)), ...singles6.map((v) => sample(6, v))];
        const keys = new Set(singles.map((a) => `${a.family}:${a.value}`));
        const compiled = compileIpRules([...singles.map((a) => a.text), ...wide.map((r) => r.text)]);
        const singleEntries = singles.map((a): IpEntrySample => ({ text: a.text, family: a.family, kind: 'address', first: a.value, last: a.value }));
        for (const a of [...edges(wide), ...edges(singleEntries).filter((_, i) => i % 7 === 0)]) {
          const expected = keys.has(`${a.family}:${a.value}`) || covered(wide, a);
          expect(compiled.contains(a.text), a.text).toBe(expected);
        }
      }),
      { numRuns: 10, endOnFailure: true }, // shrinking arrays this big takes minutes
    );
  });

  it('for thousands of rules inside one block (the index skips the shared prefix), around the block', () => {
    // Every start inside 10.0.0.0/16 or 2001:db8::/32, plus blocks that run past the end:
    // addresses below, inside and above the shared prefix all take a different path.
    const arb = fc.constantFrom<4 | 6>(4, 6).chain((family) => {
      const base = family === 4 ? 0x0a000000n : 0x20010db8n << 96n;
      const hostBits = family === 4 ? 16n : 96n;
      const inside = fc.bigInt({ min: 0n, max: (1n << hostBits) - 1n }).map((v) => base + v);
      const span = fc.tuple(inside, fc.bigInt({ min: 0n, max: 1n << (hostBits + 1n) })).map(([first, width]): IpEntrySample => {
        const last = first + width > MAX[family] ? MAX[family] : first + width;
        const text = (v: bigint) => (family === 4 ? ipv4Text(v) : ipv6Canonical(v));
        return { text: `${text(first)}-${text(last)}`, family, kind: 'range', first, last };
      });
      const probe = fc.oneof(inside, fc.bigInt({ min: 0n, max: MAX[family] }), fc.bigInt({ min: base - 1000n, max: base + (2n << hostBits) }));
      return fc.tuple(fc.constant(family), fc.uniqueArray(inside, { minLength: 2100, maxLength: 2400 }), fc.array(span, { maxLength: 5 }), fc.array(probe, { minLength: 50, maxLength: 100 }));
    });
    fc.assert(
      fc.property(arb, ([family, singles, spans, probes]) => {
        const keys = new Set(singles);
        const compiled = compileIpRules([...singles.map((v) => sample(family, v).text), ...spans.map((r) => r.text)]);
        const edgeValues = edges(spans).filter((a) => a.family === family).map((a) => a.value);
        for (const v of [...probes, ...edgeValues]) {
          const a = sample(family, v);
          if (a.family !== family) continue; // landed in the IPv4-mapped block
          expect(compiled.contains(a.text), a.text).toBe(keys.has(v) || covered(spans, a));
        }
      }),
      { numRuns: 10, endOnFailure: true },
    );
  });

});
