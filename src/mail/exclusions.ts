// Compiled exclusion lists and the per-address decision.

import { StaffgateError, type SafeResult, type StaffgateIssue } from '../errors.js';
import { storedField } from '../stored.js';
import { normalizeDomain } from './domain.js';
import { formatAddress, isAtext, isSeparatorCandidate, localKey, type LocalPartRule } from './local.js';
import { matchAddressList, MAX_LOCAL_LENGTH, parseAddressList, type MailboxMatcher, type MailParseError } from './syntax.js';

/**
 * Options of {@link compileMailExclusions}. Every field is optional.
 *
 * @example
 * ```ts
 * const strict = compileMailExclusions(['ceo@acme.test'], { localPartCase: 'exact', subaddress: 'keep' });
 * ```
 */
export interface MailExclusionOptions {
  /**
   * `'fold'` (default): local parts match whatever their case (`CEO@…` is `ceo@…`), as every
   * large mail provider delivers them. `'exact'`: compare as written, as RFC 5321 allows a
   * server to. Domains are always case-insensitive.
   */
  readonly localPartCase?: 'fold' | 'exact';
  /**
   * `'fold'` (default): `ceo+board@acme.test` matches the entry `ceo@acme.test`, because it is
   * delivered to the same mailbox. `'keep'`: sub-addresses are part of the address.
   */
  readonly subaddress?: 'fold' | 'keep';
  /** Characters that start a sub-address when `subaddress` is `'fold'`. Default `'+'`. */
  readonly subaddressSeparators?: string;
}

/**
 * {@link MailExclusionOptions} with every default filled in.
 *
 * @example
 * ```ts
 * compileMailExclusions([]).options; // { localPartCase: 'fold', subaddress: 'fold', subaddressSeparators: '+' }
 * ```
 */
export interface ResolvedMailExclusionOptions {
  readonly localPartCase: 'fold' | 'exact';
  readonly subaddress: 'fold' | 'keep';
  readonly subaddressSeparators: string;
}

/**
 * A compiled exclusion list, made by {@link compileMailExclusions} and passed to
 * {@link isExcludedAddress}, {@link evaluateMailAddress} and `filterTrackedMessages`.
 * Immutable: compile again when the admin changes the list.
 *
 * @example
 * ```ts
 * const exclusions: MailExclusions = compileMailExclusions(['CEO@acme.test', '@*.board.test']);
 * exclusions.entries; // ['ceo@acme.test', '@*.board.test']
 * ```
 */
export interface MailExclusions {
  /**
   * The entries in normal form, duplicates removed, in input order: `ceo@acme.test`,
   * `@board.acme.test` (one domain) or `@*.acme.test` (every subdomain of acme.test).
   */
  readonly entries: readonly string[];
  /** The options the list was compiled with, defaults filled in. */
  readonly options: ResolvedMailExclusionOptions;
}

/**
 * Why an address or message is or is not excluded (see {@link MailAddressDecision}).
 *
 * @example
 * ```ts
 * const code: MailReasonCode = evaluateMailAddress(exclusions, 'ceo@acme.test').reason; // 'address_excluded'
 * ```
 */
export type MailReasonCode =
  | 'not_excluded'
  | 'address_excluded'
  | 'domain_excluded'
  | 'subdomain_excluded'
  | 'address_unparseable';

/**
 * The explained decision for one address header value.
 *
 * - `not_excluded`: every mailbox in it was read and none is excluded (`addresses` lists them).
 * - `address_excluded` / `domain_excluded` / `subdomain_excluded`: `address` matched `entry`.
 * - `address_unparseable`: the value could not be read (`error` says why), so it is treated
 *   as excluded: fail closed.
 *
 * @example
 * ```ts
 * const d = evaluateMailAddress(exclusions, 'Jane <ceo+x@ACME.test>');
 * if (d.excluded && d.reason !== 'address_unparseable') log(`${d.address} matched ${d.entry}`);
 * ```
 */
export type MailAddressDecision =
  | { readonly excluded: false; readonly reason: 'not_excluded'; readonly addresses: readonly string[] }
  | {
      readonly excluded: true;
      readonly reason: 'address_excluded' | 'domain_excluded' | 'subdomain_excluded';
      readonly address: string;
      readonly entry: string;
    }
  | { readonly excluded: true; readonly reason: 'address_unparseable'; readonly error: MailParseError };

// Match codes of the hot path. 1–3 are exclusions; the rest say why nothing matched.
export const M_NONE = 0;
export const M_ADDRESS = 1;
export const M_DOMAIN = 2;
export const M_SUBDOMAIN = 3;
export const M_UNPARSEABLE = 4;
/** Read fine but held no mailbox (an empty group such as `undisclosed-recipients:;`). */
export const M_NO_MAILBOX = 5;
/** matchPlain(): the text needs the full parser. */
const M_NOT_FAST = -1;

const MATCH_REASONS = ['not_excluded', 'address_excluded', 'domain_excluded', 'subdomain_excluded'] as const;

// One domain of the list, with what is excluded at it. The full parser's path finds it through
// a Map by its text; the fast path through an open-addressing table keyed by hashOf() and the
// domain's length, and compares characters before it excludes anything.
class DomainRule {
  all = false;
  locals: Set<string> | undefined = undefined;
  /** Open-addressing slots of the local-part keys (index + 1 into the arrays below). */
  localSlots: Int32Array = EMPTY_SLOTS;
  readonly localHashes: number[] = [];
  readonly localKeys: string[] = [];
  /** The next rule whose domain has the same hash and length, if any: only the first is in the table. */
  twin: DomainRule | undefined = undefined;
  constructor(
    readonly domain: string,
    readonly hash: number,
  ) {}
}

const EMPTY_SLOTS = new Int32Array(1);

// The numbers the fast path compares with. `const enum`s, so that the build writes each number
// in place: a module-level constant becomes a variable in the bundle, and reading those in the
// character loops made the matcher about a tenth slower.
const enum Ch {
  Hyphen = 45,
  Dot = 46,
  Digit0 = 48,
}
/**
 * Flags of the per-list local-part table (see localUnits): its entry for an ASCII character is
 * the character as the local-part key holds it (upper case folded when the list folds case)
 * in the low byte, with these flags; 0 for a character a plain local part never holds.
 */
const enum Unit {
  None = 0,
  Separator = 0x100,
  Dot = 0x200,
  At = 0x400,
}
/** Keeps stored hashes small integers (Smis). */
const enum Hash {
  Mask = 0x3fffffff,
}

// The characters of a host name as the fast path reads them, in one table indexed by the
// UTF-16 code unit itself (64 KiB, so every code unit reads in bounds and non-ASCII reads as
// 0): letters (upper case mapped to lower), digits, `-` and `.` stand for themselves, every
// other code unit is 0.
const HOST_CHARS = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[a-z0-9.-]/.test(ch)) HOST_CHARS[c] = c;
  else if (/[A-Z]/.test(ch)) HOST_CHARS[c] = c + 32;
}

// 31^k mod 2^32, for the hash of a domain's suffix from the hash of the whole and of its prefix.
const POWERS = new Int32Array(256);
POWERS[0] = 1;
for (let k = 1; k < POWERS.length; k++) POWERS[k] = Math.imul(POWERS[k - 1] ?? 0, 31);

/**
 * @internal The hash of a domain or local-part key: the polynomial sum of its characters times
 * powers of 31, mod 2^32, cut to 30 bits. The fast path computes the same sum as it reads.
 */
export function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h & Hash.Mask;
}

/**
 * Where a hash starts probing a table: the hash bits mixed (the finaliser of MurmurHash3).
 * Keys that differ in one character, such as numbered addresses (`roe1050`, `roe1051`), have
 * hashes that differ by a little, and would otherwise sit in neighbouring slots, where linear
 * probing chains them.
 */
function slotOf(h: number, mask: number): number {
  let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) & mask;
}

/** A power of two at least twice `count`: tables stay at most half full. */
function tableSize(count: number): number {
  let size = 4;
  while (size < count * 2) size *= 2;
  return size;
}

/** Open-addressing slots (index + 1, 0 for empty) for items with the given hashes. */
function buildSlots(hashes: readonly number[]): Int32Array {
  const slots = new Int32Array(tableSize(hashes.length));
  const mask = slots.length - 1;
  for (let k = 0; k < hashes.length; k++) {
    let slot = slotOf(hashes[k] ?? 0, mask);
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = k + 1;
  }
  return slots;
}

/** The local-part table of a list (see {@link Unit}). */
function localUnits(rule: LocalPartRule): Uint16Array {
  const units = new Uint16Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (ch === '.') units[c] = Unit.Dot | c;
    else if (ch === '@') units[c] = Unit.At;
    else if (isAtext(c)) units[c] = rule.fold && c >= 65 && c <= 90 ? c + 32 : c;
  }
  for (let k = 0; k < rule.separators.length; k++) {
    const c = rule.separators.charCodeAt(k);
    units[c] = (units[c] ?? 0) | Unit.Separator;
  }
  return units;
}

// The label value[start, end) is a number (all digits), or may be one (0x…).
function maybeNumber(value: string, start: number, end: number): boolean {
  if (value.charCodeAt(start) === 48 && (value.charCodeAt(start + 1) | 32) === 120) return true;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// value[start, start + domain.length) (a validated LDH name) equals the lower-case `domain`.
// `hostChars` is HOST_CHARS (see CompiledMailExclusions.hostChars).
function sameDomain(hostChars: Uint8Array, value: string, start: number, domain: string): boolean {
  for (let i = 0; i < domain.length; i++) if (hostChars[value.charCodeAt(start + i)] !== domain.charCodeAt(i)) return false;
  return true;
}

// value[start, end) (plain ASCII) equals `key`, upper case folded first when `fold`.
function sameLocal(value: string, start: number, end: number, key: string, fold: boolean): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) {
    let c = value.charCodeAt(start + i);
    if (fold && c >= 65 && c <= 90) c += 32;
    if (c !== key.charCodeAt(i)) return false;
  }
  return true;
}

/** The one implementation of {@link MailExclusions}; only this module can make one. */
export class CompiledMailExclusions implements MailExclusions, MailboxMatcher {
  readonly entries: readonly string[];
  readonly options: ResolvedMailExclusionOptions;
  private readonly rule: LocalPartRule;
  private readonly domains = new Map<string, DomainRule>();
  private readonly parents = new Set<string>();
  private readonly parentLengths = new Uint8Array(256);
  // The fast path's view of the same rules: open-addressing tables keyed by hashOf(), so a
  // plain address is decided without slicing or hashing strings (collisions are verified).
  private readonly rules: DomainRule[];
  private readonly ruleSlots: Int32Array;
  private readonly parentSlots: Int32Array;
  private readonly parentRules: DomainRule[] = [];
  private readonly fold: boolean;
  /** The fast path's local-part table (see localUnits). */
  private readonly units: Uint16Array;
  /**
   * Scratch for matchPlain: where the `@*.` candidates of one address start, and their prefix
   * hashes. A plain address has at most 254 characters, so its domain at most 252 and at most
   * 125 dots: 250 entries. matchPlain hands a fuller address to the full parser all the same.
   */
  private readonly probes = new Int32Array(256);
  /** HOST_CHARS, read through the instance: read from the module variable, the loop was slower. */
  private readonly hostChars = HOST_CHARS;

  /** @internal */
  constructor(options: ResolvedMailExclusionOptions, compiled: readonly CompiledEntry[]) {
    this.options = Object.freeze({ ...options });
    this.rule = {
      fold: options.localPartCase === 'fold',
      separators: options.subaddress === 'fold' ? options.subaddressSeparators : '',
    };
    this.fold = this.rule.fold;
    this.units = localUnits(this.rule);
    const texts: string[] = [];
    const seen = new Set<string>();
    for (const e of compiled) {
      if (seen.has(e.text)) continue;
      seen.add(e.text);
      texts.push(e.text);
      if (e.kind === 'subdomains') {
        this.parents.add(e.domain);
        this.parentLengths[e.domain.length] = 1;
        this.parentRules.push(new DomainRule(e.domain, hashOf(e.domain)));
        continue;
      }
      let rule = this.domains.get(e.domain);
      if (rule === undefined) {
        rule = new DomainRule(e.domain, hashOf(e.domain));
        this.domains.set(e.domain, rule);
      }
      if (e.kind === 'domain') {
        rule.all = true;
      } else {
        rule.locals ??= new Set();
        if (!rule.locals.has(e.key)) {
          rule.locals.add(e.key);
          rule.localHashes.push(hashOf(e.key));
          rule.localKeys.push(e.key);
        }
      }
    }
    this.entries = Object.freeze(texts);
    // Domains of the same hash and length are chained behind the first (see matchPlain): only
    // the first goes in the table, each later one is linked to the last of its chain so far.
    const lasts = new Map<string, DomainRule>();
    const heads: DomainRule[] = [];
    for (const rule of this.domains.values()) {
      if (rule.localHashes.length > 0) rule.localSlots = buildSlots(rule.localHashes);
      const key = `${rule.hash}:${rule.domain.length}`;
      const last = lasts.get(key);
      if (last === undefined) heads.push(rule);
      else last.twin = rule;
      lasts.set(key, rule);
    }
    this.rules = heads;
    this.ruleSlots = buildSlots(heads.map((r) => r.hash));
    this.parentSlots = buildSlots(this.parentRules.map((r) => r.hash));
  }

  /** @internal The local-part comparison rule. */
  get localRule(): LocalPartRule {
    return this.rule;
  }

  /** @internal Match code for an address given as local-part content and normalised domain. */
  matchParts(local: string, domain: string): number {
    const rule = this.domains.get(domain);
    if (rule !== undefined) {
      if (rule.locals !== undefined && rule.locals.has(localKey(local, this.rule))) return M_ADDRESS;
      if (rule.all) return M_DOMAIN;
    }
    return this.parents.size > 0 ? this.matchParents(domain) : M_NONE;
  }

  // M_SUBDOMAIN when a proper parent of `domain` has an `@*.` entry. Only the suffixes whose
  // length some parent has are sliced and looked up.
  private matchParents(domain: string): number {
    const lengths = this.parentLengths;
    const n = domain.length;
    for (let i = domain.indexOf('.'); i >= 0; i = domain.indexOf('.', i + 1)) {
      if (lengths[n - i - 1] === 1 && this.parents.has(domain.slice(i + 1))) return M_SUBDOMAIN;
    }
    return M_NONE;
  }

  /** @internal The entry text that {@link matchParts} matched. */
  matchedEntry(code: number, local: string, domain: string): string {
    if (code === M_ADDRESS) return formatAddress(localKey(local, this.rule), domain);
    if (code === M_DOMAIN) return `@${domain}`;
    for (let i = domain.indexOf('.'); i >= 0; i = domain.indexOf('.', i + 1)) {
      const parent = domain.slice(i + 1);
      if (this.parents.has(parent)) return `@*.${parent}`;
    }
    return '';
  }

  /**
   * @internal Match code for the plain ASCII address `value[start, end)` (`local@domain`
   * without quotes, comments or brackets), decided in one pass without the full parser and
   * without allocating: the local part must be a dot-atom and the domain a valid LDH name (the
   * checks of isLdhDomain, inlined). Both parts are hashed as they are read: the local part's
   * key (case folded, sub-address cut, as localKey() makes it) and the domain, whose prefix
   * hash at a `.` gives the hash of the suffix after it for `@*.` entries. Returns M_NOT_FAST
   * whenever the text needs the full parser, which then decides; it never decides differently
   * from it (a property test checks).
   */
  matchPlain(value: string, start: number, end: number): number {
    if (end - start > 254) return M_NOT_FAST;
    const units = this.units;
    let i = start;
    // The previous character's unit: a dot at first, so that a leading dot is refused.
    let prevUnit = Unit.Dot;
    // `cut` is where the first sub-address separator after the first character stands, and
    // `cutHash` the key's hash up to it.
    let keyHash = 0;
    let cut = -1;
    let cutHash = 0;
    for (; i < end; i++) {
      const c = value.charCodeAt(i);
      if (c > 127) return M_NOT_FAST;
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- localUnits() fills the table with Units
      const u = (units[c] ?? 0) as Unit;
      if (u >= Unit.Separator) {
        if (u >= Unit.At) break;
        if (u >= Unit.Dot) {
          if (prevUnit >= Unit.Dot) return M_NOT_FAST; // two dots in a row, or a leading one
        } else if (cut < 0 && i > start) {
          cut = i;
          cutHash = keyHash;
        }
      } else if (u === Unit.None) {
        return M_NOT_FAST;
      }
      prevUnit = u;
      keyHash = (Math.imul(keyHash, 31) + (u & 0xff)) | 0;
    }
    // No `@`, an empty local part, or one ending in a dot.
    if (i === end || prevUnit >= Unit.Dot) return M_NOT_FAST;
    const at = i;
    if (cut < 0) cut = at;
    else keyHash = cutHash;
    // The domain: labels of 1–63 letters, digits and hyphens, no hyphen at either end (`h` is
    // the hash so far, `prev` the character before).
    const parentLengths = this.parentRules.length > 0 ? this.parentLengths : undefined;
    const probes = this.probes;
    const hostChars = this.hostChars;
    let probeCount = 0;
    let h = 0;
    let prev: Ch = Ch.Dot;
    let labelStart = at + 1;
    for (i = at + 1; i < end; i++) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- HOST_CHARS holds character codes
      const x = (hostChars[value.charCodeAt(i)] ?? 0) as Ch;
      if (x < Ch.Digit0) {
        if (x === Ch.Dot) {
          if (prev === Ch.Dot || prev === Ch.Hyphen || i - labelStart > 63) return M_NOT_FAST;
          labelStart = i + 1;
          if (parentLengths !== undefined && parentLengths[end - i - 1] === 1) {
            if (probeCount === probes.length) return M_NOT_FAST;
            probes[probeCount++] = i + 1;
            probes[probeCount++] = (Math.imul(h, 31) + Ch.Dot) | 0;
          }
        } else if (x === Ch.Hyphen) {
          if (prev === Ch.Dot) return M_NOT_FAST;
        } else {
          return M_NOT_FAST;
        }
      }
      prev = x;
      h = (Math.imul(h, 31) + x) | 0;
    }
    // (The domain's limit of 253 characters holds already: the whole address has at most 254.)
    if (prev === Ch.Dot || prev === Ch.Hyphen || end - labelStart > 63) return M_NOT_FAST;
    // A last label that is a number, or may be one (0x…), makes the WHATWG host parser read the
    // name as an IPv4 address: left to the full parser. (Checked here, not in the loop above: a
    // flag kept for every character cost more than reading the last label again.)
    if (maybeNumber(value, labelStart, end)) return M_NOT_FAST;
    // The rule of the domain's hash and length, and its twins (other domains of that hash and
    // length, which are rare). A rule's domain is compared character by character only once the
    // rule would exclude the address: most addresses at a domain with address entries are not
    // one of them, and need no comparison.
    for (let rule = this.findDomain(h & Hash.Mask, end - at - 1); rule !== undefined; rule = rule.twin) {
      if (rule.locals !== undefined && this.hasLocal(rule, keyHash & Hash.Mask, value, start, cut) && sameDomain(hostChars, value, at + 1, rule.domain)) {
        return M_ADDRESS;
      }
      if (rule.all && sameDomain(hostChars, value, at + 1, rule.domain)) return M_DOMAIN;
    }
    // h = hash(prefix) * 31^length(suffix) + hash(suffix), mod 2^32.
    for (let p = 0; p < probeCount; p += 2) {
      const from = probes[p] ?? end;
      const suffixHash = (h - Math.imul(probes[p + 1] ?? 0, POWERS[end - from] ?? 0)) & Hash.Mask;
      if (this.findParent(suffixHash, value, from, end) !== undefined) return M_SUBDOMAIN;
    }
    return M_NONE;
  }

  // The first rule with domain hash `h` and domain length `length` (see DomainRule.twin).
  private findDomain(h: number, length: number): DomainRule | undefined {
    const slots = this.ruleSlots;
    const mask = slots.length - 1;
    for (let slot = slotOf(h, mask); ; slot = (slot + 1) & mask) {
      const k = slots[slot] ?? 0;
      if (k === 0) return undefined;
      const rule = this.rules[k - 1];
      if (rule !== undefined && rule.hash === h && rule.domain.length === length) return rule;
    }
  }

  // The `@*.` parent rule for the domain value[start, end) of hash `h`, if any.
  private findParent(h: number, value: string, start: number, end: number): DomainRule | undefined {
    const slots = this.parentSlots;
    const rules = this.parentRules;
    const mask = slots.length - 1;
    for (let slot = slotOf(h, mask); ; slot = (slot + 1) & mask) {
      const k = slots[slot] ?? 0;
      if (k === 0) return undefined;
      const rule = rules[k - 1];
      if (rule !== undefined && rule.hash === h && rule.domain.length === end - start && sameDomain(this.hostChars, value, start, rule.domain)) return rule;
    }
  }

  // Whether `rule`'s domain has an address entry whose key, of hash `h`, is the plain ASCII
  // value[start, end) (case folded when the rule says so).
  private hasLocal(rule: DomainRule, h: number, value: string, start: number, end: number): boolean {
    const fold = this.fold;
    const slots = rule.localSlots;
    const mask = slots.length - 1;
    for (let slot = slotOf(h, mask); ; slot = (slot + 1) & mask) {
      const k = slots[slot] ?? 0;
      if (k === 0) return false;
      if (rule.localHashes[k - 1] === h && sameLocal(value, start, end, rule.localKeys[k - 1] ?? '', fold)) return true;
    }
  }

  /**
   * @internal Match code for one header value: the first excluded mailbox's code,
   * M_UNPARSEABLE, M_NO_MAILBOX for an empty group, or M_NONE.
   */
  matchValue(value: unknown): number {
    if (typeof value !== 'string') return M_UNPARSEABLE;
    const fast = this.matchPlain(value, 0, value.length);
    if (fast !== M_NOT_FAST) return fast;
    const outcome = matchAddressList(value, this);
    if (outcome.matched !== M_NONE) return outcome.matched;
    if (outcome.error !== undefined) return M_UNPARSEABLE;
    return outcome.count === 0 ? M_NO_MAILBOX : M_NONE;
  }

  /** @internal The explained decision for one header value; `emptyOk` accepts an empty group. */
  explainValue(value: unknown, emptyOk: boolean): MailAddressDecision {
    const addresses: string[] = [];
    let hit: MailAddressDecision | undefined;
    const outcome = parseAddressList(
      value,
      (local, domain) => {
        const code = this.matchParts(local, domain);
        const address = formatAddress(local, domain);
        if (code === M_NONE) {
          addresses.push(address);
          return false;
        }
        hit = {
          excluded: true,
          reason: MATCH_REASONS[code] as 'address_excluded' | 'domain_excluded' | 'subdomain_excluded',
          address,
          entry: this.matchedEntry(code, local, domain),
        };
        return true;
      },
      false,
    );
    if (hit !== undefined) return hit;
    if (outcome.error !== undefined) return { excluded: true, reason: 'address_unparseable', error: outcome.error };
    if (outcome.count === 0 && !emptyOk) return { excluded: true, reason: 'address_unparseable', error: 'no_mailbox' };
    return { excluded: false, reason: 'not_excluded', addresses };
  }
}

/** One validated entry. */
export interface CompiledEntry {
  readonly kind: 'address' | 'domain' | 'subdomains';
  readonly domain: string;
  /** Local-part key (address entries only). */
  readonly key: string;
  readonly text: string;
}

const OPTION_KEYS = new Set(['localPartCase', 'subaddress', 'subaddressSeparators']);

function resolveOptions(options: unknown): ResolvedMailExclusionOptions {
  if (options === undefined) return { localPartCase: 'fold', subaddress: 'fold', subaddressSeparators: '+' };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new StaffgateError('invalid_option', 'mail exclusion options must be an object');
  }
  const all = options as Record<string, unknown>;
  for (const key of Object.keys(all)) {
    if (!OPTION_KEYS.has(key)) throw new StaffgateError('invalid_option', `unknown option "${key}"`, { path: [key] });
  }
  // Own (or class) properties only: a polluted Object.prototype's `subaddress: 'keep'` must
  // not weaken the list.
  const o = { localPartCase: storedField(all, 'localPartCase'), subaddress: storedField(all, 'subaddress'), subaddressSeparators: storedField(all, 'subaddressSeparators') };
  const localPartCase = o.localPartCase ?? 'fold';
  if (localPartCase !== 'fold' && localPartCase !== 'exact') {
    throw new StaffgateError('invalid_option', 'must be "fold" or "exact"', { path: ['localPartCase'] });
  }
  const subaddress = o.subaddress ?? 'fold';
  if (subaddress !== 'fold' && subaddress !== 'keep') {
    throw new StaffgateError('invalid_option', 'must be "fold" or "keep"', { path: ['subaddress'] });
  }
  const seps = o.subaddressSeparators ?? '+';
  if (typeof seps !== 'string' || !validSeparators(seps)) {
    throw new StaffgateError('invalid_option', "must be one or more distinct characters of !#$%&'*+-/=?^_`{|}~", {
      path: ['subaddressSeparators'],
    });
  }
  return { localPartCase, subaddress, subaddressSeparators: seps };
}

function validSeparators(seps: string): boolean {
  if (seps.length === 0) return false;
  for (let i = 0; i < seps.length; i++) {
    const ch = seps.charAt(i);
    if (!isSeparatorCandidate(ch) || seps.indexOf(ch) !== i) return false;
  }
  return true;
}

function show(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

const PARSE_MESSAGES: Record<MailParseError, string> = {
  not_a_string: 'must be a string',
  empty: 'is empty',
  too_long: 'is too long',
  syntax_error: 'is not an e-mail address, "@domain" or "@*.domain"',
  domain_invalid: 'has a domain that is not a valid host name',
  domain_literal_unsupported: 'uses an IP-literal domain, which is not supported',
  no_mailbox: 'holds no address',
};

// Messages may come from `root@localhost`, but an entry with a one-label domain is almost
// always a typo (`ceo@acme`) that would silently never match, so entries refuse it.
const SINGLE_LABEL = 'has a one-label domain; write the full domain (acme.test, not acme)';

function compileEntry(entry: unknown, rule: LocalPartRule): CompiledEntry | string {
  if (typeof entry !== 'string') return PARSE_MESSAGES.not_a_string;
  const text = entry.trim();
  if (text === '') return PARSE_MESSAGES.empty;
  // `@domain`, `*@domain`, `@*.domain`: a whole domain, or every subdomain of one.
  const domainForm = text.startsWith('@') ? text.slice(1) : text.startsWith('*@') ? text.slice(2) : undefined;
  if (domainForm !== undefined) {
    const sub = domainForm.startsWith('*.');
    const domain = normalizeDomain(sub ? domainForm.slice(2) : domainForm);
    if (domain === undefined) return `${PARSE_MESSAGES.domain_invalid}: ${show(entry)}`;
    if (!sub && !domain.includes('.')) return `${SINGLE_LABEL}: ${show(entry)}`;
    return sub
      ? { kind: 'subdomains', domain, key: '', text: `@*.${domain}` }
      : { kind: 'domain', domain, key: '', text: `@${domain}` };
  }
  const found: { local: string; domain: string }[] = [];
  const outcome = parseAddressList(
    text,
    (local, domain) => {
      found.push({ local, domain });
      return false;
    },
    false,
  );
  if (outcome.error !== undefined) return `${PARSE_MESSAGES[outcome.error]}: ${show(entry)}`;
  const first = found[0];
  if (first === undefined) return `${PARSE_MESSAGES.no_mailbox}: ${show(entry)}`;
  if (found.length > 1) return `holds ${found.length} addresses; put one address per entry: ${show(entry)}`;
  if (!first.domain.includes('.')) return `${SINGLE_LABEL}: ${show(entry)}`;
  if (first.local === '*') return { kind: 'domain', domain: first.domain, key: '', text: `@${first.domain}` };
  const key = localKey(first.local, rule);
  // `*+x@acme.test` folds to `*@acme.test`, which reads back as the whole domain: refused, so a
  // list in normal form compiles to itself.
  if (key === '*') return `folds to "*", which means the whole domain; write @${first.domain} for that: ${show(entry)}`;
  // NFKC may lengthen a local part: keep the normal form readable (and so recompilable).
  if (key.length > MAX_LOCAL_LENGTH) return `${PARSE_MESSAGES.too_long}: ${show(entry)}`;
  return { kind: 'address', domain: first.domain, key, text: formatAddress(key, first.domain) };
}

/**
 * Like {@link compileMailExclusions}, but returns `{ ok: false, error }` instead of throwing.
 *
 * @example
 * ```ts
 * const r = safeCompileMailExclusions(['ceo@acme.test', 'not an address']);
 * if (!r.ok) console.log(r.error.code, r.error.pathText); // invalid_mail_entry [1]
 * ```
 */
export function safeCompileMailExclusions(
  entries: readonly string[],
  options?: MailExclusionOptions,
): SafeResult<MailExclusions> {
  try {
    return { ok: true, value: compileMailExclusions(entries, options) };
  } catch (err) {
    if (err instanceof StaffgateError) return { ok: false, error: err };
    throw err;
  }
}

/**
 * Validates and compiles the "excluded addresses" list once, at setup. An entry is an address
 * (`ceo@acme.test`, also `Jane Roe <ceo@acme.test>` as pasted from a mail client), a domain
 * (`@board.acme.test`, or `*@board.acme.test`), or every subdomain of one (`@*.acme.test`).
 * Domains are case-folded and IDNs converted to punycode; local parts are compared per
 * `options` (case-insensitive and with `+tag` sub-addresses folded, by default).
 *
 * @throws {StaffgateError} `invalid_mail_entry` listing every bad entry, each with its index as
 *   path (`[3]`); `invalid_option` for bad options; `invalid_settings` if `entries` is not an array.
 * @example
 * ```ts
 * const exclusions = compileMailExclusions(['CEO@Acme.test', '@board.acme.test', '@bücher.example']);
 * exclusions.entries; // ['ceo@acme.test', '@board.acme.test', '@xn--bcher-kva.example']
 * isExcludedAddress(exclusions, 'Jane <ceo+private@ACME.test>'); // true
 * ```
 */
export function compileMailExclusions(entries: readonly string[], options?: MailExclusionOptions): MailExclusions {
  const resolved = resolveOptions(options);
  if (!Array.isArray(entries)) {
    throw new StaffgateError('invalid_settings', 'mail exclusions must be an array of strings');
  }
  const rule: LocalPartRule = {
    fold: resolved.localPartCase === 'fold',
    separators: resolved.subaddress === 'fold' ? resolved.subaddressSeparators : '',
  };
  const compiled: CompiledEntry[] = [];
  const issues: StaffgateIssue[] = [];
  const list: readonly unknown[] = entries;
  for (let i = 0; i < list.length; i++) {
    const result = compileEntry(list[i], rule);
    if (typeof result === 'string') issues.push({ code: 'invalid_mail_entry', path: [i], message: result });
    else compiled.push(result);
  }
  const first = issues[0];
  if (first !== undefined) {
    throw new StaffgateError('invalid_mail_entry', first.message, { path: first.path, issues });
  }
  return new CompiledMailExclusions(resolved, compiled);
}

/** Returns the compiled list, or throws for anything {@link compileMailExclusions} did not make. */
export function compiledExclusions(exclusions: unknown): CompiledMailExclusions {
  if (exclusions instanceof CompiledMailExclusions) return exclusions;
  throw new StaffgateError('invalid_option', 'exclusions must come from compileMailExclusions()');
}

/**
 * `true` when the address must not be tracked. Takes a bare address (`ceo@acme.test`), a
 * header mailbox (`Jane Roe <ceo@acme.test>`) or a whole header value with several mailboxes
 * (`true` when any is excluded). Only the address counts, never the display name. Never throws
 * on the address: one that cannot be read (or holds no mailbox) is excluded, failing closed.
 *
 * @example
 * ```ts
 * const exclusions = compileMailExclusions(['ceo@acme.test']);
 * isExcludedAddress(exclusions, 'CEO@acme.test');                   // true
 * isExcludedAddress(exclusions, '"ceo@acme.test" <x@evil.test>');   // false: the address is x@evil.test
 * isExcludedAddress(exclusions, 'not an address');                  // true: fail closed
 * ```
 */
export function isExcludedAddress(exclusions: MailExclusions, address: string): boolean {
  return compiledExclusions(exclusions).matchValue(address) !== M_NONE;
}

/**
 * Like {@link isExcludedAddress}, with the reason: which address matched which entry, or why
 * the value could not be read.
 *
 * @example
 * ```ts
 * const exclusions = compileMailExclusions(['@board.acme.test']);
 * evaluateMailAddress(exclusions, 'Ann <ann@Board.Acme.test>');
 * // { excluded: true, reason: 'domain_excluded', address: 'ann@board.acme.test', entry: '@board.acme.test' }
 * ```
 */
export function evaluateMailAddress(exclusions: MailExclusions, address: string): MailAddressDecision {
  return compiledExclusions(exclusions).explainValue(address, false);
}
