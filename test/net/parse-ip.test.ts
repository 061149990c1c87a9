import { describe, expect, it } from 'vitest';
import { parseIp, type IpParseReason } from 'staffgate/net';

describe('parseIp accepts strict addresses and gives canonical text', () => {
  const accepted: [input: string, family: 4 | 6, canonical: string][] = [
    ['203.0.113.7', 4, '203.0.113.7'],
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['10.0.0.1', 4, '10.0.0.1'],
    ['1.20.100.0', 4, '1.20.100.0'],
    ['2001:db8::1', 6, '2001:db8::1'],
    ['2001:DB8::1', 6, '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 6, '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'], // the first of two equal runs
    ['2001:db8:0:1:0:0:0:1', 6, '2001:db8:0:1::1'], // the longest run, not the first
    ['2001:db8:0:1:1:1:1:1', 6, '2001:db8:0:1:1:1:1:1'], // one zero group is not compressed
    ['::', 6, '::'],
    ['::1', 6, '::1'],
    ['1::', 6, '1::'],
    ['0:0:0:0:0:0:0:0', 6, '::'],
    ['1:2:3:4:5:6:7::', 6, '1:2:3:4:5:6:7:0'], // "::" may stand for a single group
    ['::2:3:4:5:6:7:8', 6, '0:2:3:4:5:6:7:8'],
    ['fe80::1', 6, 'fe80::1'],
    ['FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF', 6, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255', 6, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    // IPv4-mapped IPv6, in any spelling, is the IPv4 address
    ['::ffff:127.0.0.1', 4, '127.0.0.1'],
    ['::FFFF:127.0.0.1', 4, '127.0.0.1'],
    ['::ffff:7f00:1', 4, '127.0.0.1'],
    ['0:0:0:0:0:ffff:7f00:0001', 4, '127.0.0.1'],
    ['0000:0000:0000:0000:0000:FFFF:203.0.113.7', 4, '203.0.113.7'],
    ['::ffff:0.0.0.0', 4, '0.0.0.0'],
    // other IPv4-embedding forms stay IPv6
    ['64:ff9b::203.0.113.7', 6, '64:ff9b::cb00:7107'], // NAT64
    ['2002:cb00:7107::1', 6, '2002:cb00:7107::1'], // 6to4
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 6, '2001:0:4136:e378:8000:63bf:3fff:fdd2'], // Teredo
    ['::127.0.0.1', 6, '::7f00:1'], // IPv4-compatible (deprecated)
    ['::ffff:0:127.0.0.1', 6, '::ffff:0:7f00:1'], // IPv4-translated
  ];
  it.each(accepted)('%s is IPv%i %s', (input, family, canonical) => {
    expect(parseIp(input)).toEqual({ ok: true, family, address: canonical });
  });
});

describe('parseIp refuses what lenient parsers accept, with a reason code', () => {
  const refused: [input: string, reason: IpParseReason][] = [
    // octal, hex, integer and short IPv4 forms (inet_aton reads each as an address)
    ['0177.0.0.1', 'ipv4_leading_zero'],
    ['010.0.0.1', 'ipv4_leading_zero'],
    ['10.0.0.01', 'ipv4_leading_zero'],
    ['127.00.0.1', 'ipv4_leading_zero'],
    ['0x7f.0.0.1', 'ipv4_hex'],
    ['0x7f000001', 'ipv4_hex'],
    ['127.0.0.0x1', 'ipv4_hex'],
    ['2130706433', 'ipv4_short_form'],
    ['127.1', 'ipv4_short_form'],
    ['127.0.1', 'ipv4_short_form'],
    ['0', 'ipv4_short_form'],
    ['256.0.0.1', 'ipv4_octet_out_of_range'],
    ['1.2.3.999', 'ipv4_octet_out_of_range'],
    ['1.2.3.4.', 'ipv4_trailing_dot'],
    ['1.2.3.4.5', 'ipv4_malformed'],
    ['1..2.3', 'ipv4_malformed'],
    ['.1.2.3.4', 'ipv4_malformed'],
    ['1.2.3.-4', 'invalid_character'],
    // zone IDs, ports, brackets
    ['fe80::1%eth0', 'zone_id'],
    ['fe80::1%25eth0', 'zone_id'],
    ['::1%1', 'zone_id'],
    ['10.0.0.1:443', 'port'],
    ['10.0.0.1:', 'port'],
    ['[::1]', 'brackets'],
    ['[::1]:443', 'brackets'],
    ['[10.0.0.1]', 'brackets'],
    // whitespace, anywhere
    [' 10.0.0.1', 'whitespace'],
    ['10.0.0.1 ', 'whitespace'],
    ['10.0.0.1\n', 'whitespace'],
    ['\t::1', 'whitespace'],
    ['10.0. 0.1', 'whitespace'],
    ['::1\r', 'whitespace'],
    // non-ASCII digits and separators
    ['１０.0.0.1', 'non_ascii'], // full-width
    ['١٠.0.0.1', 'non_ascii'], // Arabic-Indic
    ['१०.0.0.1', 'non_ascii'], // Devanagari
    ['10。0.0.1', 'non_ascii'], // ideographic full stop
    ['10．0.0.1', 'non_ascii'],
    ['fe80：：1', 'non_ascii'], // full-width colons
    ['10.0.0.1\u00a0', 'non_ascii'], // no-break space
    ['10.0.0.1\u200b', 'non_ascii'], // zero-width space
    ['10.0.0.1\u0000', 'invalid_character'],
    // malformed IPv6
    ['1:2:3:4:5:6:7', 'ipv6_malformed'],
    ['1:2:3:4:5:6:7:8:9', 'ipv6_malformed'],
    ['1::2::3', 'ipv6_malformed'],
    [':::', 'ipv6_malformed'],
    [':1:2:3:4:5:6:7', 'ipv6_malformed'],
    ['1:2:3:4:5:6:7:', 'ipv6_malformed'],
    ['12345::', 'ipv6_malformed'],
    ['::1:2:3:4:5:6:7:8', 'ipv6_malformed'],
    ['1:2:3:4:5:6:7:8::', 'ipv6_malformed'],
    ['::ffff:01.2.3.4', 'ipv6_malformed'],
    ['::ffff:1.2.3', 'ipv6_malformed'],
    ['::ffff:256.1.1.1', 'ipv6_malformed'],
    ['1.2.3.4::', 'ipv6_malformed'],
    ['1:2', 'ipv6_malformed'],
    ['g::1', 'invalid_character'],
    ['::1/128', 'invalid_character'],
    ['10.0.0.0/8', 'invalid_character'],
    ['localhost', 'invalid_character'],
    // sizes
    ['', 'empty'],
    ['1'.repeat(46), 'too_long'],
    ['1:'.repeat(30), 'too_long'],
  ];
  it.each(refused)('%j is refused: %s', (input, reason) => {
    const result = parseIp(input);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.message).not.toBe('');
  });

  const notStrings: unknown[] = [undefined, null, 2130706433, 0x7f000001n, {}, ['10.0.0.1'], new String('10.0.0.1'), Symbol('ip')];
  it.each(notStrings.map((v) => [v]))(
    'a %s at runtime is not_a_string, never a throw',
    (input) => {
      expect(parseIp(input as string)).toMatchObject({ ok: false, reason: 'not_a_string' });
    },
  );

  it('a huge string is refused without reading it all', () => {
    expect(parseIp(`${'1.'.repeat(500_000)}1`)).toMatchObject({ ok: false, reason: 'too_long' });
  });
});
