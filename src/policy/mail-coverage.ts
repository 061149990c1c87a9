import { compileMailExclusions, evaluateMailAddress, type MailExclusions } from '../mail/index.js';

// What a list of mail exclusions keeps out of the CRM, for diffPolicies. Lists are compared by
// the mail they exclude, not by their text: `ceo@acme.test` replaced by `@acme.test` keeps
// out more mail, `@acme.test` replaced by `@*.acme.test` lets acme.test's own mail in.

// Parsed policies hold frozen arrays, so one compile serves the effect and the message.
const cache = new WeakMap<readonly string[], MailExclusions>();
const entrySets = new WeakMap<MailExclusions, ReadonlySet<string>>();

/** The list compiled as parseAccountPolicy validates it (the default options). */
export function compiledMailList(list: readonly string[]): MailExclusions {
  let compiled = cache.get(list);
  if (compiled === undefined) cache.set(list, (compiled = compileMailExclusions(list)));
  return compiled;
}

// The normal-form entries of a compiled list, as a set.
function entrySet(by: MailExclusions): ReadonlySet<string> {
  let set = entrySets.get(by);
  if (set === undefined) entrySets.set(by, (set = new Set(by.entries)));
  return set;
}

// `domain` is a proper subdomain of a `@*.` entry of `by`.
function underWildcard(entries: ReadonlySet<string>, domain: string): boolean {
  for (let i = domain.indexOf('.'); i >= 0; i = domain.indexOf('.', i + 1)) {
    if (entries.has(`@*.${domain.slice(i + 1)}`)) return true;
  }
  return false;
}

/**
 * Whether `by` excludes all the mail that the normal-form `entry` excludes: an address entry
 * when `by` excludes that address; `@domain` when `by` has it or a `@*.` parent of it;
 * `@*.domain` when `by` has it or a `@*.` parent (no finite list of domains covers every
 * subdomain).
 */
function covers(by: MailExclusions, entry: string): boolean {
  if (!entry.startsWith('@')) {
    // Not isExcludedAddress: it answers true for text it cannot read, which here would call a
    // removed entry covered. Unreadable is "not covered", so the change reads as weakening.
    const d = evaluateMailAddress(by, entry);
    return d.excluded && d.reason !== 'address_unparseable';
  }
  const entries = entrySet(by);
  return entries.has(entry) || underWildcard(entries, entry.slice(entry.startsWith('@*.') ? 3 : 1));
}

/** True when `after` lets in mail that `before` kept out: some entry of `before` is no longer covered. */
export function mailCoverageShrinks(before: readonly string[], after: readonly string[]): boolean {
  const by = compiledMailList(after);
  return compiledMailList(before).entries.some((entry) => !covers(by, entry));
}
