// Compiled allowlists, cached so that a request never re-parses rules.
//
// A key's `allowIps` usually arrives in a record freshly loaded from storage, so a cache keyed
// by the array object alone would miss on every request; a bounded cache keyed by the entries'
// text catches those. The workspace list lives in a long-lived policy object, so a WeakMap on its
// `allow` array is enough. Identity caches are used only for frozen arrays: an array edited in
// place must never be judged by its old entries (a removed address would still be let in).
import { StaffgateError, isStaffgateError } from '../errors.js';
import { compileIpRules } from '../net/index.js';
import type { ApiKeyPolicy } from './types.js';

export type IpMatcher = ReturnType<typeof compileIpRules>;

const byArray = new WeakMap<readonly unknown[], IpMatcher | null>();
const byText = new Map<string, IpMatcher | null>();
const MAX_TEXT_ENTRIES = 1024;

/**
 * The compiled matcher of a record's `allowIps`, or `null` when the list is damaged (not an
 * array of valid entries). Never throws.
 */
export function recordMatcher(allowIps: unknown): IpMatcher | null {
  if (!Array.isArray(allowIps)) return null;
  const entries = allowIps as readonly unknown[];
  const frozen = Object.isFrozen(entries);
  const cached = frozen ? byArray.get(entries) : undefined;
  if (cached !== undefined) return cached;
  const text = cacheKey(entries);
  let matcher = text === null ? undefined : byText.get(text);
  if (matcher === undefined) {
    matcher = compileEntries(entries);
    if (text !== null) {
      if (byText.size >= MAX_TEXT_ENTRIES) byText.clear();
      byText.set(text, matcher);
    }
  }
  if (frozen) byArray.set(entries, matcher);
  return matcher;
}

/**
 * The entries joined by a newline, or `null` when an entry is not a string or holds a newline
 * itself (then two different lists could share a key; such a list is invalid anyway and is
 * compiled, and refused, without the cache).
 */
function cacheKey(entries: readonly unknown[]): string | null {
  let key = '';
  for (const e of entries) {
    if (typeof e !== 'string' || e.includes('\n')) return null;
    key += `${e}\n`;
  }
  return key;
}

function compileEntries(entries: readonly unknown[]): IpMatcher | null {
  const strings: string[] = [];
  for (const e of entries) {
    if (typeof e !== 'string') return null;
    strings.push(e);
  }
  try {
    return compileIpRules(strings);
  } catch {
    return null;
  }
}

const byPolicyList = new WeakMap<readonly string[], IpMatcher>();

/**
 * The workspace API allowlist's matcher, or `null` when it is off. A bad policy is the host's
 * settings error and throws, naming the field (a parsed policy never has one).
 */
export function workspaceMatcher(policy: ApiKeyPolicy | null | undefined): IpMatcher | null {
  if (policy === undefined || policy === null) return null;
  const list = (policy as { api?: { ipAllowlist?: { enabled?: unknown; allow?: unknown } } }).api?.ipAllowlist;
  if (list === undefined || typeof list.enabled !== 'boolean') {
    throw new StaffgateError('invalid_settings', 'expected a boolean', { path: ['api', 'ipAllowlist', 'enabled'] });
  }
  if (!list.enabled) return null;
  const allow = list.allow;
  if (!Array.isArray(allow)) {
    throw new StaffgateError('invalid_settings', 'expected an array of IP entries', { path: ['api', 'ipAllowlist', 'allow'] });
  }
  const entries = allow as readonly string[];
  if (!Object.isFrozen(entries)) return compileChecked(entries, ['api', 'ipAllowlist', 'allow']);
  const cached = byPolicyList.get(entries);
  if (cached !== undefined) return cached;
  const matcher = compileChecked(entries, ['api', 'ipAllowlist', 'allow']);
  byPolicyList.set(entries, matcher);
  return matcher;
}

/**
 * Compiles entries, throwing `invalid_ip_entry` with the path of the bad entry (and every bad
 * entry in `issues`). Used for options (generate time) and the workspace list.
 */
export function compileChecked(entries: readonly unknown[], path: readonly (string | number)[]): IpMatcher {
  try {
    return compileIpRules(entries as readonly string[]);
  } catch (err) {
    throw isStaffgateError(err) ? err.withPathPrefix(path) : err;
  }
}
