import { describeIpReason, diagnoseAddress, type IpParseReason } from './diagnose.js';
import { formatGroups, scanAddress } from './scan.js';

/**
 * Result of {@link parseIp}. On success `address` is the canonical text: a dotted quad for
 * IPv4 (also when the input was an IPv4-mapped IPv6 address such as `::ffff:10.0.0.1`), and
 * RFC 5952 text for IPv6 (lowercase, no leading zeros, longest zero run as `::`).
 *
 * @example
 * ```ts
 * const parsed: ParsedIp = parseIp(req.socket.remoteAddress ?? '');
 * if (!parsed.ok) log.warn(`unparseable peer: ${parsed.reason}`);
 * ```
 */
export type ParsedIp =
  | { readonly ok: true; readonly family: 4 | 6; readonly address: string }
  | { readonly ok: false; readonly reason: IpParseReason; readonly message: string };

/**
 * Parses one IP address strictly, as it arrives with a request. Never throws.
 *
 * Accepted: dotted-quad decimal IPv4 without leading zeros (`203.0.113.7`) and RFC 4291 IPv6
 * text (`2001:DB8::1`, `::ffff:203.0.113.7`). Refused, with a reason code: octal, hex,
 * integer and short IPv4 forms, zone IDs, ports, brackets, whitespace, non-ASCII digits,
 * trailing dots. An IPv4-mapped IPv6 address is the IPv4 address.
 *
 * @example
 * ```ts
 * parseIp('::FFFF:203.0.113.7'); // { ok: true, family: 4, address: '203.0.113.7' }
 * parseIp('2001:0DB8:0:0:0:0:0:1'); // { ok: true, family: 6, address: '2001:db8::1' }
 * parseIp('0177.0.0.1');          // { ok: false, reason: 'ipv4_leading_zero', message: '…' }
 * ```
 */
export function parseIp(input: string): ParsedIp {
  const groups = new Uint16Array(8);
  const family = typeof input === 'string' ? scanAddress(input, 0, input.length, groups) : 0;
  if (family === 0) {
    const reason = diagnoseAddress(input);
    return { ok: false, reason, message: describeIpReason(reason) };
  }
  return { ok: true, family, address: formatGroups(family, groups) };
}
