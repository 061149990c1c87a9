import { describe, expect, it } from 'vitest';
import {
  compileIpRules,
  compileTrustedProxies,
  DEFAULT_MAX_HOPS,
  resolveClientIp,
  TRUSTED_PROXY_PRESETS,
  type ClientIpInput,
  type ClientIpResult,
} from 'staffgate/net';
import { thrownStaffgateError } from '../helpers.js';

const lb = compileTrustedProxies(['10.0.0.0/8']);

describe('resolveClientIp: the socket is the client unless it is a trusted proxy', () => {
  const cases: [name: string, input: ClientIpInput, expected: ClientIpResult][] = [
    [
      'untrusted socket, no header',
      { remoteAddress: '203.0.113.7', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'socket' },
    ],
    [
      'untrusted socket: a forged header is ignored',
      { remoteAddress: '203.0.113.7', forwardedFor: '10.0.0.1', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'socket' },
    ],
    [
      'untrusted socket: even a malformed header is ignored',
      { remoteAddress: '203.0.113.7', forwardedFor: 'garbage, , 0177.0.0.1', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'socket' },
    ],
    [
      'no trusted proxies at all',
      { remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.1', trustedProxies: [] },
      { ok: true, ip: '10.0.0.2', family: 4, source: 'socket' },
    ],
    [
      'an IPv4-mapped socket address is the IPv4 address',
      { remoteAddress: '::ffff:203.0.113.7', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'socket' },
    ],
    [
      'an IPv6 socket address comes back canonical',
      { remoteAddress: '2001:DB8:0:0:0:0:0:7', trustedProxies: lb },
      { ok: true, ip: '2001:db8::7', family: 6, source: 'socket' },
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(resolveClientIp(input)).toEqual(expected);
  });
});

describe('resolveClientIp: behind trusted proxies, X-Forwarded-For is read from the right', () => {
  const cases: [name: string, input: ClientIpInput, expected: ClientIpResult][] = [
    [
      'one load balancer',
      { remoteAddress: '10.0.0.2', forwardedFor: '203.0.113.7', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
    [
      'a client-supplied entry on the left is skipped over',
      { remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.1, 203.0.113.7', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
    [
      'two trusted hops, then the client',
      { remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.1, 203.0.113.7, 10.0.0.9, 10.1.1.1', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
    [
      'a spoofed "trusted" address left of the client does not matter',
      { remoteAddress: '10.0.0.2', forwardedFor: '10.9.9.9, 203.0.113.7', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
    [
      'several header values form one list, in order',
      { remoteAddress: '10.0.0.2', forwardedFor: ['198.51.100.1, 203.0.113.7', '10.0.0.9'], trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
    [
      'optional whitespace around entries (spaces and tabs)',
      { remoteAddress: '10.0.0.2', forwardedFor: ' 203.0.113.7 ,\t10.0.0.9\t', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
    [
      'IPv6 client, canonical text',
      { remoteAddress: '10.0.0.2', forwardedFor: '2001:DB8::0:7', trustedProxies: lb },
      { ok: true, ip: '2001:db8::7', family: 6, source: 'forwarded_for' },
    ],
    [
      'an IPv4-mapped hop is IPv4 (and may be a trusted proxy)',
      { remoteAddress: '::ffff:10.0.0.2', forwardedFor: '203.0.113.7, ::ffff:10.0.0.9', trustedProxies: lb },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
    [
      'every hop trusted: the left-most is the client',
      { remoteAddress: '10.0.0.2', forwardedFor: '10.5.5.5, 10.0.0.9', trustedProxies: lb },
      { ok: true, ip: '10.5.5.5', family: 4, source: 'forwarded_for' },
    ],
    [
      'trusted socket without the header: no client address (fail closed)',
      { remoteAddress: '10.0.0.2', trustedProxies: lb },
      { ok: false, reason: 'forwarded_for_missing' },
    ],
    [
      'trusted socket with an empty list of header values: no client address',
      { remoteAddress: '10.0.0.2', forwardedFor: [], trustedProxies: lb },
      { ok: false, reason: 'forwarded_for_missing' },
    ],
    [
      'the loopback preset covers ::1 and IPv4-mapped loopback',
      { remoteAddress: '::ffff:127.0.0.1', forwardedFor: '203.0.113.7, ::1', trustedProxies: ['loopback'] },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
    [
      'presets mixed with entries, compiled per call',
      { remoteAddress: '192.168.1.1', forwardedFor: '203.0.113.7, 198.51.100.20', trustedProxies: ['private', '198.51.100.0/24'] },
      { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' },
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(resolveClientIp(input)).toEqual(expected);
  });
});

describe('resolveClientIp fails closed on anything odd from a trusted proxy', () => {
  const hostileHeaders: [name: string, forwardedFor: unknown][] = [
    ['empty header value', ''],
    ['only whitespace', '  '],
    ['empty element in the middle', '203.0.113.7,,10.0.0.9'],
    ['trailing comma', '203.0.113.7,'],
    ['leading comma', ',203.0.113.7'],
    ['an empty value among several', ['203.0.113.7', '']],
    ['octal hop', '0177.0.0.1'],
    ['hex hop', '0x7f000001'],
    ['short hop', '127.1'],
    ['hop with a port', '203.0.113.7:51234'],
    ['bracketed IPv6 hop', '[2001:db8::1]'],
    ['bracketed IPv6 hop with a port', '[2001:db8::1]:443'],
    ['zone ID', 'fe80::1%eth0'],
    ['non-ASCII digits', '２０３.0.113.7'],
    ['trailing dot', '203.0.113.7.'],
    ['"unknown" from a proxy', 'unknown'],
    ['a hostname', 'client.example'],
    ['a line break inside', '203.0.113.7\n, 10.0.0.9'],
    ['malformed entry left of the client', 'garbage, 203.0.113.7'],
    ['malformed entry right of a trusted hop', '203.0.113.7, 10.0.0.9, nope'],
    ['a number instead of a string', 2130706433],
    ['an object', { ip: '203.0.113.7' }],
    ['null', null],
    ['a non-string value in the list', ['203.0.113.7', 7]],
    ['an enormous single entry', '1'.repeat(100_000)],
  ];
  it.each(hostileHeaders)('%s → forwarded_for_invalid', (_name, forwardedFor) => {
    const input = { remoteAddress: '10.0.0.2', forwardedFor, trustedProxies: lb } as unknown as ClientIpInput;
    expect(resolveClientIp(input)).toEqual({ ok: false, reason: 'forwarded_for_invalid' });
  });

  it(`more than maxHops entries (default ${DEFAULT_MAX_HOPS}) → too_many_hops`, () => {
    const hops = (n: number) => Array.from({ length: n }, (_, i) => `198.51.100.${i % 250}`).join(', ');
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: hops(DEFAULT_MAX_HOPS), trustedProxies: lb })).toMatchObject({ ok: true });
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: hops(DEFAULT_MAX_HOPS + 1), trustedProxies: lb })).toEqual({ ok: false, reason: 'too_many_hops' });
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: hops(3), trustedProxies: lb, maxHops: 2 })).toEqual({ ok: false, reason: 'too_many_hops' });
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: hops(2), trustedProxies: lb, maxHops: 2 })).toMatchObject({ ok: true });
  });

  it('a header of a million entries is refused without reading all of it', () => {
    const huge = new Array<string>(1_000_000).fill('198.51.100.1').join(',');
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: huge, trustedProxies: lb })).toEqual({ ok: false, reason: 'too_many_hops' });
  });

  it.each([undefined, null, '', ' 10.0.0.2', '0177.0.0.1', '[::1]', '10.0.0.2:443', 167772162, {}])('socket address %j → remote_address_invalid', (remoteAddress) => {
    const input = { remoteAddress, forwardedFor: '203.0.113.7', trustedProxies: lb } as unknown as ClientIpInput;
    expect(resolveClientIp(input)).toEqual({ ok: false, reason: 'remote_address_invalid' });
  });

  it.each([undefined, null, 'x', 7])('input %j → input_invalid', (input) => {
    expect(resolveClientIp(input as unknown as ClientIpInput)).toEqual({ ok: false, reason: 'input_invalid' });
  });
});

describe('trusted proxies are configuration: a bad list throws at once', () => {

  it('names the bad entry with its path inside the input', () => {
    const err = thrownStaffgateError(() => resolveClientIp({ remoteAddress: '10.0.0.2', trustedProxies: ['loopback', '10.0.0.1/8'] }));
    expect(err.code).toBe('invalid_ip_entry');
    expect(err.pathText).toBe('trustedProxies[1]');
    expect(err.message).toContain('did you mean 10.0.0.0/8?');
  });

  it('indexes refer to the list as written, presets counted once', () => {
    const err = thrownStaffgateError(() => compileTrustedProxies(['private', 'loopback', 'localhost']));
    expect(err.path).toEqual([2]);
    expect(err.message).toContain('the preset names are loopback, linklocal, private');
  });

  it.each([0, -1, 1.5, Number.NaN, '3', 1001])('maxHops %j → invalid_option', (maxHops) => {
    const err = thrownStaffgateError(() => resolveClientIp({ remoteAddress: '10.0.0.2', trustedProxies: lb, maxHops: maxHops as number }));
    expect(err.code).toBe('invalid_option');
    expect(err.pathText).toBe('maxHops');
  });

  it.each([undefined, null, 'loopback', 5])('trustedProxies %j → invalid_option', (trustedProxies) => {
    const err = thrownStaffgateError(() => resolveClientIp({ remoteAddress: '10.0.0.2', trustedProxies } as unknown as ClientIpInput));
    expect(err.code).toBe('invalid_option');
  });

  it('compileIpRules output is accepted as trusted proxies too', () => {
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '203.0.113.7', trustedProxies: compileIpRules(['10.0.0.2']) })).toMatchObject({
      ip: '203.0.113.7',
    });
  });

  it('presets expand to the documented blocks', () => {
    expect(compileTrustedProxies(['loopback']).entries).toEqual(['127.0.0.0/8', '::1']);
    expect(compileTrustedProxies(['private']).entries).toEqual([...TRUSTED_PROXY_PRESETS.private]);
    const linklocal = compileTrustedProxies(['linklocal']);
    expect(['169.254.1.1', 'fe80::1', '10.0.0.1'].map(linklocal.contains)).toEqual([true, true, false]);
    const priv = compileTrustedProxies(['private']);
    expect(['10.1.1.1', '172.16.0.1', '172.31.255.255', '172.32.0.0', '192.168.0.1', 'fd00::1', '100.64.0.1', '8.8.8.8'].map(priv.contains)).toEqual([
      true,
      true,
      true,
      false,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('resolveClientIp: tampered request data fails closed', () => {
  it('a throwing getter or a proxy posing as the header is input_invalid, never thrown', () => {
    const getter = Object.defineProperty({ trustedProxies: ['loopback'] }, 'remoteAddress', { get() { throw new Error('boom'); } });
    expect(resolveClientIp(getter as never)).toEqual({ ok: false, reason: 'input_invalid' });
    const header = new Proxy(['203.0.113.7'], { get() { throw new Error('boom'); } });
    expect(resolveClientIp({ remoteAddress: '127.0.0.1', forwardedFor: header, trustedProxies: ['loopback'] })).toEqual({ ok: false, reason: 'input_invalid' });
  });
  it('a bad trusted-proxy list is still the host’s setup error', () => {
    expect(() => resolveClientIp({ remoteAddress: '127.0.0.1', trustedProxies: ['10.0.0.1/8'] })).toThrow(/trustedProxies/);
  });
});
