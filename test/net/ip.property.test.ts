import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIp } from 'staffgate/net';
import { hostileIpAddressArb, ipAddressArb, ipv4MappedAddressArb, ipv4Text, ipv6AddressArb } from '../../src/testing/net.js';

describe('parseIp laws', () => {
  it('every valid spelling parses to the address it denotes', () => {
    fc.assert(
      fc.property(ipAddressArb(), (a) => {
        expect(parseIp(a.text)).toEqual({ ok: true, family: a.family, address: a.canonical });
      }),
      { numRuns: 3000 },
    );
  });

  it('an IPv4-mapped spelling is the IPv4 address', () => {
    fc.assert(
      fc.property(ipv4MappedAddressArb(), (a) => {
        expect(parseIp(a.text)).toEqual({ ok: true, family: 4, address: ipv4Text(a.value) });
      }),
      { numRuns: 1000 },
    );
  });

  it('canonical IPv6 text agrees with the WHATWG URL serializer (RFC 5952)', () => {
    fc.assert(
      fc.property(ipv6AddressArb(), (a) => {
        const parsed = parseIp(a.text);
        expect(parsed.ok && `[${parsed.address}]`).toBe(new URL(`http://[${a.text}]/`).hostname);
      }),
      { numRuns: 2000 },
    );
  });

  it('canonical text is a fixed point', () => {
    fc.assert(
      fc.property(ipAddressArb(), (a) => {
        const once = parseIp(a.text);
        expect(once.ok && parseIp(once.address)).toEqual(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('every hostile spelling is refused, with the reason of its class', () => {
    fc.assert(
      fc.property(hostileIpAddressArb(), (h) => {
        expect(parseIp(h.text)).toMatchObject({ ok: false, reason: h.class });
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts exactly what Node accepts as an IP, minus zone IDs (differential)', () => {
    const piece = fc.constantFrom(...'0123456789abcdefABCDEF:.%'.split(''), '::', '1.2.3.4', 'ffff', '0', '00', '255', '256');
    const text = fc.array(piece, { maxLength: 20 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(parseIp(s).ok).toBe(isIPv4(s) || (isIPv6(s) && !s.includes('%')));
      }),
      { numRuns: 10_000 },
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.string({ unit: 'binary' })), (input) => {
        const result = parseIp(input as string);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});
