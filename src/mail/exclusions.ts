// Compiled exclusion lists and the per-address decision.

import { StaffgateError, type SafeResult, type StaffgateIssue } from '../errors.js';
import { normalizeDomain } from './domain.js';
import { formatAddress, isSeparatorCandidate, localKey, type LocalPartRule } from './local.js';
import { parseAddressList, type MailParseError } from './syntax.js';

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
const M_NOT_FAST = 6;

const MATCH_REASONS = ['not_excluded', 'address_excluded', 'domain_excluded', 'subdomain_excluded'] as const;

interface DomainRule {
  all: boolean;
  locals: Set<string> | undefined;
}

// Classes of ASCII characters for the fast path: which may appear in a plain local part
// (every class but C_OTHER) and which in a domain (C_DIGIT, C_LDH, C_UPPER, C_DOT).
const C_OTHER = 0;
const C_ATEXT = 1; // atext specials other than `-`
const C_DIGIT = 2;
const C_LDH = 3; // lower-case letters and `-`
const C_UPPER = 4;
const C_DOT = 5;
const C_AT = 6;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (c >= 48 && c <= 57) CHAR_CLASS[c] = C_DIGIT;
  else if ((c >= 97 && c <= 122) || c === 45) CHAR_CLASS[c] = C_LDH;
  else if (c >= 65 && c <= 90) CHAR_CLASS[c] = C_UPPER;
  else if (c === 46) CHAR_CLASS[c] = C_DOT;
  else if (c === 64) CHAR_CLASS[c] = C_AT;
  else if ("!#$%&'*+/=?^_`{|}~".includes(ch)) CHAR_CLASS[c] = C_ATEXT;
}

const HASH_MASK = 0x3fffffff; // keeps hashes small integers (Smis) for the Map

/** The hash the fast path computes: over the characters from last to first. */
function reverseHash(domain: string): number {
  let h = 0;
  for (let i = domain.length - 1; i >= 0; i--) h = (Math.imul(h, 31) + domain.charCodeAt(i)) & HASH_MASK;
  return h;
}

// value[start, end) is a DNS label: 1–63 characters, no hyphen at either end.
function plainLabel(value: string, start: number, end: number): boolean {
  return end > start && end - start <= 63 && value.charCodeAt(start) !== 45 && value.charCodeAt(end - 1) !== 45;
}

// The last label, starting at `start`, is a number (all digits, or 0x…): the WHATWG host parser
// would read the name as an IPv4 address. Hex labels are left to the full parser to judge.
function endsInNumber(value: string, start: number, digitsOnly: boolean): boolean {
  return digitsOnly || (value.charCodeAt(start) === 48 && (value.charCodeAt(start + 1) | 32) === 120);
}

// value[start..] equals `domain` (lower case), ignoring ASCII case when `upper` is set.
function sameDomain(value: string, start: number, domain: string, upper: boolean): boolean {
  if (value.length - start !== domain.length) return false;
  if (!upper) return value.startsWith(domain, start);
  for (let i = 0; i < domain.length; i++) {
    let c = value.charCodeAt(start + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== domain.charCodeAt(i)) return false;
  }
  return true;
}

/** The one implementation of {@link MailExclusions}; only this module can make one. */
export class CompiledMailExclusions implements MailExclusions {
  readonly entries: readonly string[];
  readonly options: ResolvedMailExclusionOptions;
  private readonly rule: LocalPartRule;
  private readonly domains = new Map<string, DomainRule>();
  private readonly parents = new Set<string>();
  private readonly parentLengths = new Uint8Array(256);
  // The fast path's view of the same rules, keyed by reverseHash() of the domain, so a plain
  // address is decided without slicing or hashing strings (collisions are verified).
  private readonly domainsByHash = new Map<number, { domain: string; rule: DomainRule }[]>();
  private readonly parentsByHash = new Map<number, string[]>();

  /** @internal */
  constructor(options: ResolvedMailExclusionOptions, compiled: readonly CompiledEntry[]) {
    this.options = Object.freeze({ ...options });
    this.rule = {
      fold: options.localPartCase === 'fold',
      separators: options.subaddress === 'fold' ? options.subaddressSeparators : '',
    };
    const texts: string[] = [];
    const seen = new Set<string>();
    for (const e of compiled) {
      if (seen.has(e.text)) continue;
      seen.add(e.text);
      texts.push(e.text);
      if (e.kind === 'subdomains') {
        this.parents.add(e.domain);
        this.parentLengths[e.domain.length] = 1;
        continue;
      }
      let rule = this.domains.get(e.domain);
      if (rule === undefined) {
        rule = { all: false, locals: undefined };
        this.domains.set(e.domain, rule);
      }
      if (e.kind === 'domain') rule.all = true;
      else (rule.locals ??= new Set()).add(e.key);
    }
    this.entries = Object.freeze(texts);
    for (const [domain, rule] of this.domains) {
      const h = reverseHash(domain);
      const bucket = this.domainsByHash.get(h);
      if (bucket === undefined) this.domainsByHash.set(h, [{ domain, rule }]);
      else bucket.push({ domain, rule });
    }
    for (const parent of this.parents) {
      const h = reverseHash(parent);
      const bucket = this.parentsByHash.get(h);
      if (bucket === undefined) this.parentsByHash.set(h, [parent]);
      else bucket.push(parent);
    }
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

  // A bare ASCII `local@domain` without quotes, comments or brackets, decided in one pass
  // without the full parser and without allocating: the local part must be a dot-atom and the
  // domain a valid LDH name (the checks of isLdhDomain, inlined). The domain is read backwards,
  // hashing it as it goes, so each `.` gives the hash of a parent domain for `@*.` entries and
  // the end gives the whole domain's hash. Returns M_NOT_FAST whenever the text needs the full
  // parser, which then decides; it never decides differently from it (a property test checks).
  private fastMatch(value: string): number {
    const n = value.length;
    if (n === 0 || n > 254) return M_NOT_FAST;
    let i = 0;
    let afterDot = true;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      const k = c < 128 ? CHAR_CLASS[c] : C_OTHER;
      if (k === C_DOT) {
        if (afterDot) return M_NOT_FAST;
        afterDot = true;
      } else if (k === C_AT) {
        break;
      } else if (k === C_OTHER) {
        return M_NOT_FAST;
      } else {
        afterDot = false;
      }
    }
    // No `@`, an empty local part, or one ending in a dot.
    if (i === n || afterDot) return M_NOT_FAST;
    const at = i;
    if (n - at - 1 > 253) return M_NOT_FAST;
    const parents = this.parentsByHash.size > 0;
    let h = 0;
    let upper = false;
    let labelEnd = n;
    let lastLabelDigits = true;
    let parentHit = false;
    for (i = n - 1; i > at; i--) {
      let c = value.charCodeAt(i);
      const k = c < 128 ? CHAR_CLASS[c] : C_OTHER;
      if (k === C_DOT) {
        if (!plainLabel(value, i + 1, labelEnd)) return M_NOT_FAST;
        if (labelEnd === n && endsInNumber(value, i + 1, lastLabelDigits)) return M_NOT_FAST;
        if (parents && !parentHit) parentHit = this.isParent(h, value, i + 1, upper);
        labelEnd = i;
      } else if (k === C_UPPER) {
        upper = true;
        c += 32;
        if (labelEnd === n) lastLabelDigits = false;
      } else if (k === C_LDH) {
        if (labelEnd === n) lastLabelDigits = false;
      } else if (k !== C_DIGIT) {
        return M_NOT_FAST;
      }
      h = (Math.imul(h, 31) + c) & HASH_MASK;
    }
    if (!plainLabel(value, at + 1, labelEnd)) return M_NOT_FAST;
    if (labelEnd === n && endsInNumber(value, at + 1, lastLabelDigits)) return M_NOT_FAST;
    const bucket = this.domainsByHash.get(h);
    if (bucket !== undefined) {
      for (const { domain, rule } of bucket) {
        if (!sameDomain(value, at + 1, domain, upper)) continue;
        if (rule.locals !== undefined && rule.locals.has(localKey(value.slice(0, at), this.rule))) return M_ADDRESS;
        if (rule.all) return M_DOMAIN;
        break;
      }
    }
    return parentHit ? M_SUBDOMAIN : M_NONE;
  }

  // Whether value[start..] (a proper suffix of a domain, hash `h`) has an `@*.` entry.
  private isParent(h: number, value: string, start: number, upper: boolean): boolean {
    const bucket = this.parentsByHash.get(h);
    if (bucket === undefined) return false;
    for (const parent of bucket) if (sameDomain(value, start, parent, upper)) return true;
    return false;
  }

  /**
   * @internal Match code for one header value: the first excluded mailbox's code,
   * M_UNPARSEABLE, M_NO_MAILBOX for an empty group, or M_NONE.
   */
  matchValue(value: unknown): number {
    if (typeof value !== 'string') return M_UNPARSEABLE;
    const fast = this.fastMatch(value);
    if (fast !== M_NOT_FAST) return fast;
    let found = M_NONE;
    const outcome = parseAddressList(
      value,
      (local, domain) => {
        const code = this.matchParts(local, domain);
        if (code === M_NONE) return false;
        found = code;
        return true;
      },
      false,
    );
    if (found !== M_NONE) return found;
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
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) throw new StaffgateError('invalid_option', `unknown option "${key}"`, { path: [key] });
  }
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
