// Public face of the network capability: strict IP parsing, compiled allowlists and the client
// address behind proxies. See docs/network.md.

export { parseIp, type ParsedIp } from './address.js';
export { describeIpReason, type IpParseReason } from './diagnose.js';
export { type IpEntryFailure, type IpEntryReason } from './entry.js';
export {
  compileIpRules,
  parseIpEntry,
  type IpEntryInfo,
  type IpRuleMatch,
  type IpRuleMiss,
  type IpRules,
  type ParsedIpEntry,
} from './rules.js';
export {
  compileTrustedProxies,
  DEFAULT_MAX_HOPS,
  resolveClientIp,
  TRUSTED_PROXY_PRESETS,
  type ClientIpInput,
  type ClientIpReason,
  type ClientIpResult,
  type TrustedProxyPreset,
} from './client.js';
