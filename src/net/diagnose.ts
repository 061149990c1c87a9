// Why a string is not an address. Runs only after the scanner has said no, so the request path
// never pays for it; its answers feed the reason codes and the messages admins read.

import { MAX_ADDRESS_LENGTH } from './scan.js';

/**
 * Why {@link parseIp} refused a string. Stable snake_case codes a host can switch on or log.
 *
 * | code | example |
 * | --- | --- |
 * | `not_a_string` | `undefined`, `2130706433` (a number) |
 * | `empty` | `''` |
 * | `too_long` | more than 45 characters |
 * | `whitespace` | `' 10.0.0.1'`, `'10.0.0.1\n'` |
 * | `non_ascii` | `'１０.0.0.1'` (full-width digits), `'10。0.0.1'` |
 * | `invalid_character` | `'10.0.0.1/32'`, control characters |
 * | `brackets` | `'[::1]'` |
 * | `zone_id` | `'fe80::1%eth0'` |
 * | `port` | `'10.0.0.1:443'` |
 * | `ipv4_leading_zero` | `'010.0.0.1'` (inet_aton reads it as octal) |
 * | `ipv4_hex` | `'0x7f.0.0.1'` |
 * | `ipv4_short_form` | `'127.1'`, `'2130706433'` |
 * | `ipv4_octet_out_of_range` | `'256.0.0.1'` |
 * | `ipv4_trailing_dot` | `'10.0.0.1.'` |
 * | `ipv4_malformed` | `'1.2.3.4.5'`, `'1..2.3'` |
 * | `ipv6_malformed` | `'1:2:3'`, `'::1::'`, `'12345::'` |
 *
 * @example
 * ```ts
 * const r = parseIp('010.0.0.1');
 * const reason: IpParseReason | undefined = r.ok ? undefined : r.reason; // 'ipv4_leading_zero'
 * ```
 */
export type IpParseReason =
  | 'not_a_string'
  | 'empty'
  | 'too_long'
  | 'whitespace'
  | 'non_ascii'
  | 'invalid_character'
  | 'brackets'
  | 'zone_id'
  | 'port'
  | 'ipv4_leading_zero'
  | 'ipv4_hex'
  | 'ipv4_short_form'
  | 'ipv4_octet_out_of_range'
  | 'ipv4_trailing_dot'
  | 'ipv4_malformed'
  | 'ipv6_malformed';

const MESSAGES: Record<IpParseReason, string> = {
  not_a_string: 'an IP address must be a string',
  empty: 'the address is empty',
  too_long: `an IP address has at most ${MAX_ADDRESS_LENGTH} characters`,
  whitespace: 'the address contains whitespace; spaces, tabs and line breaks are not trimmed',
  non_ascii: 'the address contains non-ASCII characters (digits, dots and colons must be ASCII)',
  invalid_character: 'the address contains a character that is not a hex digit, "." or ":"',
  brackets: 'brackets are URL syntax, not part of an IPv6 address; write ::1, not [::1]',
  zone_id: 'zone IDs (%eth0) are local to one machine and are not accepted',
  port: 'a port is not part of an IP address; write 10.0.0.1, not 10.0.0.1:443',
  ipv4_leading_zero: 'an IPv4 octet has a leading zero, which some parsers read as octal; write 10.0.0.1, not 010.0.0.1',
  ipv4_hex: 'hexadecimal IPv4 octets (0x7f) are not accepted; write four decimal octets',
  ipv4_short_form: 'an IPv4 address has exactly four decimal octets (127.1 and 2130706433 are not accepted)',
  ipv4_octet_out_of_range: 'an IPv4 octet is above 255',
  ipv4_trailing_dot: 'the address ends with a dot',
  ipv4_malformed: 'not a dotted-quad IPv4 address',
  ipv6_malformed: 'not an RFC 4291 IPv6 address',
};

/**
 * The English sentence for a {@link IpParseReason}, as used in `message` fields.
 *
 * @example
 * ```ts
 * describeIpReason('zone_id'); // 'zone IDs (%eth0) are local to one machine and are not accepted'
 * ```
 */
export function describeIpReason(reason: IpParseReason): string {
  return MESSAGES[reason];
}

const WHITESPACE = /[\t\n\v\f\r ]/;
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;
const NON_ASCII = /[\u0080-\uffff]/;
const IPV4_WITH_PORT = /^[0-9]+(?:\.[0-9]+)+:[0-9]*$/;

/** Classifies a value the scanner refused. */
export function diagnoseAddress(input: unknown): IpParseReason {
  if (typeof input !== 'string') return 'not_a_string';
  if (input.length === 0) return 'empty';
  if (input.length > 1024) return 'too_long'; // not worth reading further
  if (WHITESPACE.test(input)) return 'whitespace';
  if (NON_ASCII.test(input)) return 'non_ascii';
  if (CONTROL.test(input)) return 'invalid_character';
  if (input.includes('[') || input.includes(']')) return 'brackets';
  if (input.includes('%')) return 'zone_id';
  if (IPV4_WITH_PORT.test(input)) return 'port';
  if (input.length > MAX_ADDRESS_LENGTH) return 'too_long';
  if (input.includes(':')) return /^[0-9a-fA-F:.]+$/.test(input) ? 'ipv6_malformed' : 'invalid_character';
  if (!/^[0-9a-fA-FxX.]+$/.test(input)) return 'invalid_character';
  if (/0x/i.test(input)) return 'ipv4_hex';
  if (input.endsWith('.') && input.length > 1) return 'ipv4_trailing_dot';
  const parts = input.split('.');
  if (parts.some((p) => p === '')) return 'ipv4_malformed';
  if (parts.some((p) => !/^[0-9]+$/.test(p))) return 'ipv4_malformed';
  if (parts.length < 4) return 'ipv4_short_form';
  if (parts.length > 4) return 'ipv4_malformed';
  if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return 'ipv4_leading_zero';
  if (parts.some((p) => Number(p) > 255)) return 'ipv4_octet_out_of_range';
  return 'ipv4_malformed';
}
