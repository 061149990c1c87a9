import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTrustedProxies, resolveClientIp } from 'staffgate/net';
import { hostileIpAddressArb, ipAddressArb, ipv4Text, ipv6Canonical, type IpSample } from '../../src/testing/net.js';

// Trusted proxies of the tests, and the same blocks as BigInt spans for the oracle.
const TRUSTED = ['10.0.0.0/8', '192.168.0.0/16', '2001:db8:ff::/48'];
const SPANS: [family: 4 | 6, first: bigint, last: bigint][] = [
  [4, 0x0a000000n, 0x0affffffn],
  [4, 0xc0a80000n, 0xc0a8ffffn],
  [6, 0x20010db800ffn << 80n, (0x20010db800ffn << 80n) | ((1n << 80n) - 1n)],
];
const trustedProxies = compileTrustedProxies(TRUSTED);

function isTrusted(a: IpSample): boolean {
  return SPANS.some(([family, first, last]) => a.family === family && first <= a.value && a.value <= last);
}

const trustedHop: fc.Arbitrary<IpSample> = fc.constantFrom(...SPANS).chain(([family, first, last]) =>
  fc.bigInt({ min: first, max: last }).map((value) => {
    const canonical = family === 4 ? ipv4Text(value) : ipv6Canonical(value);
    return { text: canonical, family, value, canonical };
  }),
);
const untrustedHop = ipAddressArb().filter((a) => !isTrusted(a));
const anyHop = fc.oneof(trustedHop, untrustedHop);
const separator = fc.constantFrom(',', ', ', ' ,', ',\t', ' , ');

function header(hops: readonly { text: string }[], seps: readonly string[]): string {
  return hops.map((h, i) => (i === 0 ? h.text : `${seps[i % seps.length] ?? ','}${h.text}`)).join('');
}

describe('resolveClientIp laws', () => {
  it("an untrusted socket's header never matters", () => {
    fc.assert(
      fc.property(untrustedHop, fc.option(fc.oneof(fc.string(), fc.array(fc.string()), fc.anything())), (remote, forwardedFor) => {
        const result = resolveClientIp({ remoteAddress: remote.text, forwardedFor: forwardedFor as string, trustedProxies });
        expect(result).toEqual({ ok: true, ip: remote.canonical, family: remote.family, source: 'socket' });
      }),
      { numRuns: 500 },
    );
  });

  it('the client is the right-most untrusted hop, whatever is written left of it', () => {
    fc.assert(
      fc.property(
        trustedHop,
        fc.array(anyHop, { maxLength: 6 }),
        untrustedHop,
        fc.array(trustedHop, { maxLength: 6 }),
        fc.array(separator, { minLength: 1, maxLength: 4 }),
        (remote, attackerWritten, client, proxies, seps) => {
          const result = resolveClientIp({ remoteAddress: remote.text, forwardedFor: header([...attackerWritten, client, ...proxies], seps), trustedProxies });
          expect(result).toEqual({ ok: true, ip: client.canonical, family: client.family, source: 'forwarded_for' });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('splitting the header into several values changes nothing', () => {
    fc.assert(
      fc.property(trustedHop, fc.array(anyHop, { minLength: 1, maxLength: 10 }), fc.nat(), (remote, hops, cut) => {
        const at = cut % (hops.length + 1);
        const joined = resolveClientIp({ remoteAddress: remote.text, forwardedFor: header(hops, [', ']), trustedProxies });
        const parts = [hops.slice(0, at), hops.slice(at)].filter((p) => p.length > 0).map((p) => header(p, [',']));
        expect(resolveClientIp({ remoteAddress: remote.text, forwardedFor: parts, trustedProxies })).toEqual(joined);
      }),
      { numRuns: 500 },
    );
  });

  it('the result is a trusted proxy only when every hop is one', () => {
    fc.assert(
      fc.property(trustedHop, fc.array(anyHop, { maxLength: 10 }), (remote, hops) => {
        const forwardedFor = hops.length > 0 ? header(hops, [', ']) : undefined;
        const result = resolveClientIp({ remoteAddress: remote.text, forwardedFor, trustedProxies });
        // a trusted proxy that names nobody: no client address, never the proxy's own
        if (hops.length === 0) {
          expect(result).toEqual({ ok: false, reason: 'forwarded_for_missing' });
          return;
        }
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(trustedProxies.contains(result.ip)).toBe(hops.every(isTrusted));
        // when every hop is trusted, the client is where the chain starts
        if (hops.every(isTrusted)) expect(result.ip).toBe(hops[0]?.canonical);
      }),
      { numRuns: 500 },
    );
  });

  it('a malformed hop anywhere in the header fails closed', () => {
    // whitespace around an entry is list syntax, not part of the hop, so that class is left out
    const malformed = hostileIpAddressArb()
      .filter((h) => h.class !== 'whitespace' && !h.text.includes(','))
      .map((h) => ({ text: h.text }));
    fc.assert(
      fc.property(trustedHop, fc.array(anyHop, { maxLength: 6 }), malformed, fc.nat(), (remote, hops, bad, at) => {
        const list: { text: string }[] = [...hops];
        list.splice(at % (list.length + 1), 0, bad);
        const result = resolveClientIp({ remoteAddress: remote.text, forwardedFor: header(list, [', ']), trustedProxies });
        expect(result).toEqual({ ok: false, reason: 'forwarded_for_invalid' });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws for request data', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (remoteAddress, forwardedFor) => {
        const result = resolveClientIp({ remoteAddress, forwardedFor, trustedProxies } as Parameters<typeof resolveClientIp>[0]);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
