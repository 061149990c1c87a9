import { compileIpRules, type IpRules } from '../net/index.js';
import { compileLoginHours, type CompiledLoginHours } from '../hours/index.js';
import type { LoginHoursSettings, LoginWindow } from '../policy/schema.js';

// Effective policies share the account's frozen arrays for every field no override replaced,
// so keying the compiled forms by those arrays compiles each allowlist and schedule once per
// settings load, however many staff and requests use it. Only frozen settings are cached: a
// hand-made policy whose arrays can still change is compiled afresh on every call, so an entry
// removed in place can never keep letting someone in.
const ipRulesCache = new WeakMap<readonly string[], IpRules>();
const hoursCache = new WeakMap<readonly LoginWindow[], Map<string, CompiledLoginHours>>();

/** Compiled allowlist for these entries (throws StaffgateError for a bad entry). */
export function ipRulesFor(allow: readonly string[]): IpRules {
  if (!Object.isFrozen(allow)) return compileIpRules(allow);
  let rules = ipRulesCache.get(allow);
  if (!rules) {
    rules = compileIpRules(allow);
    ipRulesCache.set(allow, rules);
  }
  return rules;
}

/** Compiled login hours for this zone and these windows (throws StaffgateError for bad settings). */
export function loginHoursFor(hours: LoginHoursSettings): CompiledLoginHours {
  if (!windowsFrozen(hours.windows)) return compileLoginHours({ timezone: hours.timezone, windows: hours.windows });
  let byZone = hoursCache.get(hours.windows);
  if (!byZone) {
    byZone = new Map();
    hoursCache.set(hours.windows, byZone);
  }
  let compiled = byZone.get(hours.timezone);
  if (!compiled) {
    compiled = compileLoginHours({ timezone: hours.timezone, windows: hours.windows });
    byZone.set(hours.timezone, compiled);
  }
  return compiled;
}

function windowsFrozen(windows: readonly LoginWindow[]): boolean {
  if (!Object.isFrozen(windows)) return false;
  for (const w of windows) if (!Object.isFrozen(w) || !Object.isFrozen(w.days)) return false;
  return true;
}
