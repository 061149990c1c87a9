import { isStaffgateError, StaffgateError } from '../errors.js';
import { formatGroups, MAX_ADDRESS_LENGTH, scanAddress } from './scan.js';
import { compileIpRules, type IpRules } from './rules.js';

/**
 * Named groups of proxy addresses usable in a trusted-proxy list.
 *
 * - `loopback`: `127.0.0.0/8`, `::1` (a proxy on the same machine).
 * - `linklocal`: `169.254.0.0/16`, `fe80::/10`.
 * - `private`: `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`, `fc00::/7` (RFC 1918 and
 *   unique-local addresses: a load balancer inside your own network).
 *
 * Trusting a preset trusts every host in it to write X-Forwarded-For honestly; list the exact
 * addresses of your proxies when you can.
 *
 * @example
 * ```ts
 * TRUSTED_PROXY_PRESETS.loopback; // ['127.0.0.0/8', '::1']
 * ```
 */
export const TRUSTED_PROXY_PRESETS = Object.freeze({
  loopback: Object.freeze(['127.0.0.0/8', '::1']),
  linklocal: Object.freeze(['169.254.0.0/16', 'fe80::/10']),
  private: Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']),
});

/**
 * Name of a {@link TRUSTED_PROXY_PRESETS} group, usable as an entry of a trusted-proxy list.
 *
 * @example
 * ```ts
 * const preset: TrustedProxyPreset = 'loopback';
 * compileTrustedProxies([preset, '10.0.3.0/24']);
 * ```
 */
export type TrustedProxyPreset = keyof typeof TRUSTED_PROXY_PRESETS;

/**
 * Default for `maxHops`: the most X-Forwarded-For entries accepted from a trusted proxy.
 *
 * @example
 * ```ts
 * resolveClientIp({ remoteAddress, forwardedFor, trustedProxies, maxHops: DEFAULT_MAX_HOPS });
 * ```
 */
export const DEFAULT_MAX_HOPS = 20;

/**
 * Compiles a trusted-proxy list once, at setup: entries as for {@link compileIpRules}, plus
 * the preset names of {@link TRUSTED_PROXY_PRESETS}. Pass the result as `trustedProxies` to
 * {@link resolveClientIp} so no request compiles it again.
 *
 * @throws {StaffgateError} `invalid_ip_entry` with `path: [index]` for a bad entry.
 *
 * @example
 * ```ts
 * const proxies = compileTrustedProxies(['loopback', '10.0.12.0/24']);
 * resolveClientIp({ remoteAddress: '10.0.12.5', forwardedFor: '203.0.113.7', trustedProxies: proxies });
 * // { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' }
 * ```
 */
export function compileTrustedProxies(entries: readonly string[]): IpRules {
  if (!Array.isArray(entries)) {
    throw new StaffgateError('invalid_settings', 'trusted proxies must be an array of strings');
  }
  const list: readonly unknown[] = entries;
  const expanded: unknown[] = [];
  const origin: number[] = [];
  list.forEach((entry, index) => {
    const preset = typeof entry === 'string' && Object.hasOwn(TRUSTED_PROXY_PRESETS, entry) ? TRUSTED_PROXY_PRESETS[entry as TrustedProxyPreset] : undefined;
    for (const e of preset ?? [entry]) {
      expanded.push(e);
      origin.push(index);
    }
  });
  try {
    return compileIpRules(expanded as string[]);
  } catch (err) {
    if (!isStaffgateError(err) || err.code !== 'invalid_ip_entry') throw err;
    // report indexes of the list the caller wrote, not of the expanded one
    const issues = err.issues.map((issue) => {
      const index = origin[Number(issue.path[0])] ?? 0;
      const entry = list[index];
      const hint = typeof entry === 'string' && !/[.:]/.test(entry) ? `; the preset names are ${Object.keys(TRUSTED_PROXY_PRESETS).join(', ')}` : '';
      return { ...issue, path: [index], message: `${issue.message}${hint}` };
    });
    const first = issues[0];
    throw new StaffgateError('invalid_ip_entry', first ? first.message : err.message, { path: first?.path ?? [], issues });
  }
}

/**
 * Request data for {@link resolveClientIp}.
 *
 * @example
 * ```ts
 * const input: ClientIpInput = {
 *   remoteAddress: req.socket.remoteAddress,
 *   forwardedFor: req.headers['x-forwarded-for'],
 *   trustedProxies, // from compileTrustedProxies
 * };
 * ```
 */
export interface ClientIpInput {
  /** The peer address of the socket (`req.socket.remoteAddress` in Node, which may be undefined once the socket closed). */
  readonly remoteAddress: string | undefined;
  /** X-Forwarded-For: one header value, or several (they form one list, in order). */
  readonly forwardedFor?: string | readonly string[] | undefined;
  /** Proxies whose X-Forwarded-For is believed: entries and preset names, or the result of {@link compileTrustedProxies}. */
  readonly trustedProxies: readonly string[] | IpRules;
  /** Most X-Forwarded-For entries accepted; more gives `too_many_hops`. Default {@link DEFAULT_MAX_HOPS}. */
  readonly maxHops?: number;
}

/**
 * Why {@link resolveClientIp} found no client address.
 *
 * - `input_invalid`: the input is not an object.
 * - `remote_address_invalid`: the socket address is missing or not a strict address.
 * - `forwarded_for_missing`: the socket is a trusted proxy and there is no X-Forwarded-For (or
 *   no value in it): the proxy's own address is never taken for the client's.
 * - `forwarded_for_invalid`: the socket is a trusted proxy and X-Forwarded-For has an empty,
 *   malformed or non-string entry.
 * - `too_many_hops`: the socket is a trusted proxy and X-Forwarded-For has more entries than `maxHops`.
 *
 * @example
 * ```ts
 * const client = resolveClientIp(input);
 * if (!client.ok) return deny(client.reason satisfies ClientIpReason);
 * ```
 */
export type ClientIpReason = 'input_invalid' | 'remote_address_invalid' | 'forwarded_for_missing' | 'forwarded_for_invalid' | 'too_many_hops';

/**
 * Result of {@link resolveClientIp}: the client address, or why there is none (treat as deny).
 *
 * @example
 * ```ts
 * const client: ClientIpResult = resolveClientIp(input);
 * const allowed = client.ok && office.contains(client.ip);
 * ```
 */
export type ClientIpResult =
  | {
      readonly ok: true;
      /** Canonical text of the client address. */
      readonly ip: string;
      readonly family: 4 | 6;
      /** `socket` when the remote address is the client, `forwarded_for` when a header entry is. */
      readonly source: 'socket' | 'forwarded_for';
    }
  | { readonly ok: false; readonly reason: ClientIpReason };

/**
 * Finds the client address of a request. Never throws for request data.
 *
 * The socket address is the client unless it is a trusted proxy. Then X-Forwarded-For is read
 * from the right (each proxy appends the address it received the request from), skipping
 * trusted proxies; the first untrusted entry is the client. When every entry is a trusted
 * proxy, the left-most is the client; a trusted socket that sends no header names nobody
 * (`forwarded_for_missing`). The header is read only when the socket is a trusted
 * proxy, and then every entry in it must be a strict address, with at most `maxHops` entries:
 * otherwise `{ ok: false }`. The left-most entries are whatever the client chose to send,
 * which is why the walk starts at the right.
 *
 * @throws {StaffgateError} only for a bad `trustedProxies` list (`invalid_ip_entry`, path
 *   `['trustedProxies', index]`) or `maxHops` (`invalid_option`): setup errors, not request data.
 *
 * @example
 * ```ts
 * const trustedProxies = compileTrustedProxies(['10.0.0.0/8']);
 * resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.1, 203.0.113.7, 10.0.0.9', trustedProxies });
 * // { ok: true, ip: '203.0.113.7', family: 4, source: 'forwarded_for' }
 * resolveClientIp({ remoteAddress: '203.0.113.7', forwardedFor: '10.0.0.1', trustedProxies });
 * // { ok: true, ip: '203.0.113.7', family: 4, source: 'socket' } (the header of an untrusted peer is ignored)
 * ```
 */
export function resolveClientIp(input: ClientIpInput): ClientIpResult {
  if (typeof input !== 'object' || (input as unknown) === null) return { ok: false, reason: 'input_invalid' };
  try {
    return resolve(input);
  } catch (err) {
    // Setup errors are the host's and keep their type; anything else came from request data
    // (a throwing getter, a proxy posing as an array) and is refused.
    if (err instanceof StaffgateError) throw err;
    return { ok: false, reason: 'input_invalid' };
  }
}

function resolve(input: ClientIpInput): ClientIpResult {
  const trusted = toTrustedRules(input.trustedProxies);
  const maxHops = readMaxHops(input.maxHops);
  const groups = new Uint16Array(8);
  const remote: unknown = input.remoteAddress;
  const remoteFamily = typeof remote === 'string' ? scanAddress(remote, 0, remote.length, groups) : 0;
  if (remoteFamily === 0) return { ok: false, reason: 'remote_address_invalid' };
  const remoteText = formatGroups(remoteFamily, groups);
  if (!trusted.contains(remoteText)) return { ok: true, ip: remoteText, family: remoteFamily, source: 'socket' };

  const header: unknown = input.forwardedFor;
  let values: readonly unknown[];
  // A trusted proxy always says whom it forwards for. Without the header the request came from
  // the proxy's own network, or the proxy is misconfigured; either way it has no client
  // address, and taking the proxy's own would let everything behind it pass an allowlist that
  // covers the proxies.
  if (header === undefined) return { ok: false, reason: 'forwarded_for_missing' };
  else if (typeof header === 'string') values = [header];
  else if (Array.isArray(header)) values = header;
  else return { ok: false, reason: 'forwarded_for_invalid' };

  let client: { ip: string; family: 4 | 6 } | undefined;
  let leftMost: { ip: string; family: 4 | 6 } | undefined;
  let hops = 0;
  // Walk values from the last to the first, and each value from its end, without splitting:
  // the work is bounded by maxHops whatever size of header the client sent.
  for (let v = values.length - 1; v >= 0; v--) {
    const value = values[v];
    if (typeof value !== 'string') return { ok: false, reason: 'forwarded_for_invalid' };
    let end = value.length;
    for (;;) {
      // the previous comma, looked for only as far back as an entry can reach
      const floor = end > MAX_HOP_LENGTH ? end - MAX_HOP_LENGTH : 0;
      let comma = end - 1;
      while (comma >= floor && value.charCodeAt(comma) !== COMMA) comma--;
      if (comma < floor && floor > 0) return { ok: false, reason: 'forwarded_for_invalid' };
      const start = comma + 1;
      hops++;
      if (hops > maxHops) return { ok: false, reason: 'too_many_hops' };
      // optional whitespace around list elements (RFC 9110, section 5.6.1)
      let from = start;
      let to = end;
      while (from < to && isOws(value.charCodeAt(from))) from++;
      while (to > from && isOws(value.charCodeAt(to - 1))) to--;
      if (to - from > MAX_ADDRESS_LENGTH) return { ok: false, reason: 'forwarded_for_invalid' };
      const family = scanAddress(value, from, to, groups);
      if (family === 0) return { ok: false, reason: 'forwarded_for_invalid' };
      if (client === undefined) {
        const hop = { ip: formatGroups(family, groups), family };
        if (trusted.contains(hop.ip)) leftMost = hop;
        else client = hop;
      }
      if (comma < 0) break;
      end = comma;
    }
  }
  if (client) return { ok: true, ip: client.ip, family: client.family, source: 'forwarded_for' };
  if (leftMost) return { ok: true, ip: leftMost.ip, family: leftMost.family, source: 'forwarded_for' };
  return { ok: false, reason: 'forwarded_for_missing' };
}

const COMMA = 44;
/** An address plus generous optional whitespace around it. */
const MAX_HOP_LENGTH = MAX_ADDRESS_LENGTH + 32;

function isOws(code: number): boolean {
  return code === 32 || code === 9;
}

function toTrustedRules(value: ClientIpInput['trustedProxies']): IpRules {
  if (Array.isArray(value)) {
    try {
      return compileTrustedProxies(value);
    } catch (err) {
      if (isStaffgateError(err)) throw err.withPathPrefix(['trustedProxies']);
      throw err;
    }
  }
  const candidate = value as Partial<IpRules> | null | undefined;
  if (typeof candidate === 'object' && candidate !== null && typeof candidate.contains === 'function') return candidate as IpRules;
  throw new StaffgateError('invalid_option', 'trustedProxies must be an array of entries or the result of compileTrustedProxies', { path: ['trustedProxies'] });
}

function readMaxHops(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_HOPS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw new StaffgateError('invalid_option', 'maxHops must be an integer from 1 to 1000', { path: ['maxHops'] });
  }
  return value;
}
