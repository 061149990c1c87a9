import { describe, expect, it } from 'vitest';
import { isStaffgateError } from '../../src/errors.js';
import { compileIpRules, parseIpEntry, type IpEntryReason } from 'staffgate/net';
import { thrownStaffgateError } from '../helpers.js';


describe('compileIpRules: what each kind of entry covers', () => {
  const office = compileIpRules([
    '203.0.113.7', // one address
    '198.51.100.0/24', // CIDR
    '192.0.2.10-192.0.2.20', // range
    '2001:db8:1::/48', // IPv6 CIDR
    '2001:db8:2::5', // IPv6 address
    '2001:db8:3::10-2001:db8:3::20', // IPv6 range
  ]);
  const cases: [ip: string, inside: boolean][] = [
    ['203.0.113.7', true],
    ['203.0.113.6', false],
    ['203.0.113.8', false],
    ['198.51.100.0', true],
    ['198.51.100.255', true],
    ['198.51.99.255', false],
    ['198.51.101.0', false],
    ['192.0.2.9', false],
    ['192.0.2.10', true],
    ['192.0.2.15', true],
    ['192.0.2.20', true],
    ['192.0.2.21', false],
    ['2001:db8:1::', true],
    ['2001:db8:1:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8:0:ffff:ffff:ffff:ffff:ffff', false],
    ['2001:db8:2::', false],
    ['2001:db8:2::5', true],
    ['2001:0DB8:0002:0000:0000:0000:0000:0005', true],
    ['2001:db8:2::6', false],
    ['2001:db8:3::f', false],
    ['2001:db8:3::10', true],
    ['2001:db8:3::1a', true],
    ['2001:db8:3::20', true],
    ['2001:db8:3::21', false],
  ];
  it.each(cases)('%s → %s', (ip, inside) => {
    expect(office.contains(ip)).toBe(inside);
  });
});

describe('compileIpRules: entries one address apart stay apart, entries that touch join', () => {
  const cases: [entries: string[], ip: string, inside: boolean][] = [
    [['10.0.0.1', '10.0.0.3'], '10.0.0.2', false],
    [['10.0.0.3', '10.0.0.1'], '10.0.0.2', false],
    [['10.0.0.0/31', '10.0.0.3-10.0.0.9'], '10.0.0.2', false],
    [['10.0.0.1', '10.0.0.2', '10.0.0.4'], '10.0.0.3', false],
    [['10.0.0.1', '10.0.0.2', '10.0.0.4'], '10.0.0.2', true],
    [['10.0.0.0/31', '10.0.0.2/31'], '10.0.0.3', true],
    [['2001:db8::1', '2001:db8::3'], '2001:db8::2', false],
    [['2001:db8::/127', '2001:db8::3-2001:db8::9'], '2001:db8::2', false],
    [['2001:db8::1', '2001:db8::2', '2001:db8::4'], '2001:db8::3', false],
  ];
  it.each(cases)('%j: %s → %s', (entries, ip, inside) => {
    expect(compileIpRules(entries).contains(ip)).toBe(inside);
  });
});

describe('compileIpRules: IPv4-mapped addresses are IPv4, other embeddings are IPv6', () => {
  const v4 = compileIpRules(['203.0.113.0/24', '127.0.0.1']);
  const v6All = compileIpRules(['::/0']);
  const cases: [name: string, ip: string, matchesV4Rule: boolean, matchesV6All: boolean][] = [
    ['plain IPv4', '203.0.113.7', true, false],
    ['IPv4-mapped, dotted', '::ffff:203.0.113.7', true, false],
    ['IPv4-mapped, hex', '::ffff:cb00:7107', true, false],
    ['IPv4-mapped, uncompressed, upper case', '0:0:0:0:0:FFFF:CB00:7107', true, false],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1', true, false],
    ['NAT64 64:ff9b::/96', '64:ff9b::203.0.113.7', false, true],
    ['6to4 2002::/16', '2002:cb00:7107::1', false, true],
    ['Teredo 2001::/32', '2001:0:4136:e378:8000:63bf:34ff:8ef8', false, true],
    ['IPv4-compatible ::/96', '::203.0.113.7', false, true],
    ['IPv4-translated ::ffff:0:0:0/96', '::ffff:0:203.0.113.7', false, true],
  ];
  it.each(cases)('%s (%s)', (_name, ip, matchesV4Rule, matchesV6All) => {
    expect(v4.contains(ip)).toBe(matchesV4Rule);
    expect(v6All.contains(ip)).toBe(matchesV6All);
  });

  it('an IPv4-mapped entry is an IPv4 rule', () => {
    const rules = compileIpRules(['::ffff:10.0.0.0/104', '::ffff:192.0.2.1']);
    expect(rules.entries).toEqual(['10.0.0.0/8', '192.0.2.1']);
    expect(rules.contains('10.20.30.40')).toBe(true);
    expect(rules.contains('192.0.2.1')).toBe(true);
    expect(rules.contains('::ffff:10.20.30.40')).toBe(true);
    expect(rules.contains('::10.20.30.40')).toBe(false);
  });

  it('an IPv6 block that spans the mapped block still matches no IPv4 address', () => {
    const wide = compileIpRules(['::/80']);
    expect(wide.contains('::fffe:ffff:ffff')).toBe(true);
    expect(wide.contains('::ffff:ffff:ffff')).toBe(false); // that is 255.255.255.255
    expect(wide.contains('255.255.255.255')).toBe(false);
    expect(wide.contains('::1:0:0:0')).toBe(false);
  });

  it('0.0.0.0 and :: match only where a rule covers them', () => {
    const none = compileIpRules(['10.0.0.0/8', '2001:db8::/32']);
    expect(none.contains('0.0.0.0')).toBe(false);
    expect(none.contains('::')).toBe(false);
    expect(none.contains('::ffff:0.0.0.0')).toBe(false);
    expect(compileIpRules(['0.0.0.0/8']).contains('0.0.0.0')).toBe(true);
    expect(compileIpRules(['0.0.0.0/8']).contains('::')).toBe(false);
    expect(compileIpRules(['::/128']).contains('::')).toBe(true);
    expect(compileIpRules(['::/128']).contains('0.0.0.0')).toBe(false);
    expect(compileIpRules(['0.0.0.0/0']).contains('::')).toBe(false);
  });

  it('an empty list contains nothing', () => {
    const empty = compileIpRules([]);
    expect(empty.contains('203.0.113.7')).toBe(false);
    expect(empty.contains('::1')).toBe(false);
    expect(empty.entries).toEqual([]);
  });
});

describe('compileIpRules: contains never throws and is false for anything that is not a strict address', () => {
  const everything = compileIpRules(['0.0.0.0/0', '::/0']);
  const hostile: unknown[] = [
    '0177.0.0.1',
    '0x7f.0.0.1',
    '2130706433',
    '127.1',
    'fe80::1%eth0',
    '[::1]',
    '127.0.0.1:80',
    ' 127.0.0.1',
    '127.0.0.1.',
    '１２７.0.0.1',
    '',
    'localhost',
    '10.0.0.0/8',
    undefined,
    null,
    2130706433,
    {},
    { toString: () => '127.0.0.1' },
    new String('127.0.0.1'),
    ['127.0.0.1'],
    Symbol('x'),
    'a'.repeat(1_000_000),
  ];
  it.each(hostile.map((h) => [typeof h === 'string' && h.length > 60 ? `${h.slice(0, 20)}… (${h.length} chars)` : String(h), h]))('%s → false', (_label, input) => {
    expect(everything.contains(input as string)).toBe(false);
    expect(everything.explain(input as string)).toMatchObject({ matched: false, reason: 'ip_invalid' });
  });

  it('contains works when detached from its object, and the matcher is frozen', () => {
    const { contains } = compileIpRules(['10.0.0.0/8']);
    expect(['10.1.2.3', '11.0.0.0'].map(contains)).toEqual([true, false]);
    const rules = compileIpRules(['10.0.0.0/8']);
    expect(Object.isFrozen(rules)).toBe(true);
    expect(Object.isFrozen(rules.entries)).toBe(true);
  });

  it('later changes to the input array do not change the matcher', () => {
    const input = ['10.0.0.0/8'];
    const rules = compileIpRules(input);
    input.push('0.0.0.0/0');
    expect(rules.contains('8.8.8.8')).toBe(false);
  });
});

describe('compileIpRules: entries in canonical text', () => {
  it('normalizes every entry and keeps order and duplicates', () => {
    const rules = compileIpRules(['2001:0DB8::/32', '10.0.0.0/8', '2001:db8::/32', '::FFFF:192.0.2.1', '2001:db8::1-2001:db8::ff', '192.0.2.7/32']);
    expect(rules.entries).toEqual(['2001:db8::/32', '10.0.0.0/8', '2001:db8::/32', '192.0.2.1', '2001:db8::1-2001:db8::ff', '192.0.2.7/32']);
  });
});

describe('compileIpRules: explain names the first entry that matches', () => {
  const rules = compileIpRules(['10.0.0.0/8', '10.1.0.0/16', '2001:db8::/32', '192.0.2.10-192.0.2.20']);
  it.each([
    ['10.1.2.3', { matched: true, index: 0, entry: '10.0.0.0/8', address: '10.1.2.3', family: 4 }],
    ['::ffff:10.1.2.3', { matched: true, index: 0, entry: '10.0.0.0/8', address: '10.1.2.3', family: 4 }],
    ['2001:DB8::1', { matched: true, index: 2, entry: '2001:db8::/32', address: '2001:db8::1', family: 6 }],
    ['192.0.2.20', { matched: true, index: 3, entry: '192.0.2.10-192.0.2.20', address: '192.0.2.20', family: 4 }],
    ['192.0.2.21', { matched: false, reason: 'no_match', address: '192.0.2.21', family: 4 }],
    ['010.1.2.3', { matched: false, reason: 'ip_invalid', detail: 'ipv4_leading_zero' }],
  ] as const)('%s', (ip, expected) => {
    expect(rules.explain(ip)).toEqual(expected);
  });
});

describe('compileIpRules refuses bad entries with the index and the entry in the error', () => {
  const bad: [entry: unknown, reason: IpEntryReason, messagePart: string][] = [
    ['10.0.0.1/8', 'host_bits_set', 'did you mean 10.0.0.0/8?'],
    ['192.168.1.1/24', 'host_bits_set', 'did you mean 192.168.1.0/24?'],
    ['2001:db8::1/32', 'host_bits_set', 'did you mean 2001:db8::/32?'],
    ['::ffff:10.0.0.1/104', 'host_bits_set', 'did you mean 10.0.0.0/8?'],
    ['10.0.0.0/33', 'prefix_out_of_range', '0 to 32'],
    ['::/129', 'prefix_out_of_range', '0 to 128'],
    ['10.0.0.0/', 'invalid_prefix', 'prefix length'],
    ['10.0.0.0/08', 'invalid_prefix', 'leading zeros'],
    ['10.0.0.0/-1', 'range_malformed', 'range'],
    ['10.0.0.0/8/8', 'invalid_prefix', 'prefix length'],
    ['10.0.0.0/255.0.0.0', 'netmask_notation', 'did you mean 10.0.0.0/8?'],
    ['10.0.0.0/255.0.255.0', 'netmask_notation', 'not a netmask'],
    ['10.0.0.9-10.0.0.1', 'range_reversed', '10.0.0.1-10.0.0.9'],
    ['10.0.0.1-2001:db8::1', 'range_mixed_families', 'IPv4 to an IPv6'],
    ['10.0.0.1-10.0.0.5-10.0.0.9', 'range_malformed', 'one "-"'],
    ['10.0.0.1-', 'invalid_address', 'range end'],
    ['-10.0.0.1', 'invalid_address', 'range start'],
    ['10.0.0.1-20', 'invalid_address', '10.0.0.1-10.0.0.20'],
    ['10.0.0.1 - 10.0.0.9', 'whitespace', 'whitespace'],
    [' 10.0.0.0/8', 'whitespace', 'whitespace'],
    ['10.0.0.1–10.0.0.9', 'non_ascii', 'ASCII hyphen-minus'],
    ['10.0.*.*', 'wildcard', 'wildcards'],
    ['*', 'wildcard', 'wildcards'],
    ['0177.0.0.1', 'invalid_address', 'octal'],
    ['127.1', 'invalid_address', 'four decimal octets'],
    ['0x7f000001/32', 'invalid_address', 'hexadecimal'],
    ['fe80::1%eth0', 'invalid_address', 'zone'],
    ['[::1]', 'invalid_address', 'brackets'],
    ['10.0.0.1:80', 'invalid_address', 'port'],
    ['office', 'invalid_address', 'not an IP address'],
    ['', 'empty', 'empty'],
    ['1'.repeat(200), 'too_long', 'at most'],
    [42, 'not_a_string', 'a number'],
    [null, 'not_a_string', 'null'],
    [undefined, 'not_a_string', 'undefined'],
    [{ ip: '10.0.0.1' }, 'not_a_string', 'an object'],
  ];
  it.each(bad)('%j → %s', (entry, reason, messagePart) => {
    const parsed = parseIpEntry(entry as string);
    expect(parsed).toMatchObject({ ok: false, reason });
    expect(parsed.ok ? '' : parsed.message).toContain(messagePart);
    const err = thrownStaffgateError(() => compileIpRules(['203.0.113.7', entry as string]));
    expect(err.code).toBe('invalid_ip_entry');
    expect(err.path).toEqual([1]);
    expect(err.message).toContain('[1]: ');
    expect(err.message).toContain(messagePart);
    if (typeof entry === 'string' && entry !== '' && entry.length < 50) expect(err.message).toContain(JSON.stringify(entry));
  });

  it('lists every bad entry in issues, the first as the error itself', () => {
    const err = thrownStaffgateError(() => compileIpRules(['10.0.0.1/8', '10.0.0.0/8', 'nope', 7 as unknown as string]));
    expect(err.path).toEqual([0]);
    expect(err.issues.map((i) => i.path)).toEqual([[0], [2], [3]]);
    expect(err.issues.every((i) => i.code === 'invalid_ip_entry')).toBe(true);
  });

  it('a settings parser can prefix its own path', () => {
    const err = thrownStaffgateError(() => compileIpRules(['10.0.0.0/8', '10.0.0.0/8', '10.0.0.1/8'])).withPathPrefix(['ipLockdown', 'allow']);
    expect(err.pathText).toBe('ipLockdown.allow[2]');
    expect(err.message).toBe('ipLockdown.allow[2]: "10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?');
    expect(isStaffgateError(err)).toBe(true);
  });

  it('a value that is not an array is invalid_settings', () => {
    for (const value of [undefined, null, '10.0.0.0/8', { 0: '10.0.0.0/8', length: 1 }]) {
      expect(thrownStaffgateError(() => compileIpRules(value as unknown as string[])).code).toBe('invalid_settings');
    }
  });

  it('a sparse array reports its holes', () => {
    const sparse = ['10.0.0.0/8'];
    sparse[2] = '10.0.0.0/8';
    expect(thrownStaffgateError(() => compileIpRules(sparse)).path).toEqual([1]);
  });
});

describe('parseIpEntry tells a linter how wide an entry is', () => {
  it.each([
    ['203.0.113.7', { family: 4, kind: 'address', normalized: '203.0.113.7', prefixLength: 32, size: 1n }],
    ['2001:DB8::7', { family: 6, kind: 'address', normalized: '2001:db8::7', prefixLength: 128, size: 1n }],
    ['10.0.0.0/8', { family: 4, kind: 'cidr', normalized: '10.0.0.0/8', prefixLength: 8, size: 2n ** 24n, first: '10.0.0.0', last: '10.255.255.255' }],
    ['0.0.0.0/0', { family: 4, kind: 'cidr', normalized: '0.0.0.0/0', prefixLength: 0, size: 2n ** 32n }],
    ['::/0', { family: 6, kind: 'cidr', normalized: '::/0', prefixLength: 0, size: 2n ** 128n }],
    ['::ffff:0.0.0.0/96', { family: 4, kind: 'cidr', normalized: '0.0.0.0/0', prefixLength: 0, size: 2n ** 32n }],
    ['2001:db8::/48', { family: 6, kind: 'cidr', normalized: '2001:db8::/48', prefixLength: 48, size: 2n ** 80n, last: '2001:db8:0:ffff:ffff:ffff:ffff:ffff' }],
    ['192.0.2.10-192.0.2.20', { family: 4, kind: 'range', normalized: '192.0.2.10-192.0.2.20', prefixLength: 27, size: 11n }],
    ['192.0.2.0-192.0.2.255', { family: 4, kind: 'range', prefixLength: 24, size: 256n }],
    ['10.0.0.0-11.0.0.0', { family: 4, kind: 'range', prefixLength: 7, size: 2n ** 24n + 1n }],
    ['1.2.3.4-1.2.3.4', { family: 4, kind: 'range', prefixLength: 32, size: 1n }],
    ['0.0.0.0-255.255.255.255', { family: 4, kind: 'range', prefixLength: 0, size: 2n ** 32n }],
    ['::ffff:1.2.3.4-1.2.3.8', { family: 4, kind: 'range', normalized: '1.2.3.4-1.2.3.8', size: 5n }],
    ['2001:db8::-2001:db8::ffff', { family: 6, kind: 'range', normalized: '2001:db8::-2001:db8::ffff', prefixLength: 112, size: 65536n }],
  ] as const)('%s', (entry, expected) => {
    expect(parseIpEntry(entry)).toMatchObject({ ok: true, ...expected });
  });
});
