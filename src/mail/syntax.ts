// An RFC 5322 (with RFC 6532 UTF-8 and the obsolete forms a reader must accept) parser for
// address header values: `To:`, `Cc:`, `From:` and the like. It reports each mailbox to a
// visitor instead of building a tree, so the per-message path allocates little, and it never
// throws: a value it cannot read yields a reason code and the offset where reading stopped.

import { normalizeDomain, normalizeDomainRange } from './domain.js';
import { isAtext } from './local.js';

/**
 * Why a header value could not be read as addresses.
 *
 * - `not_a_string`: the value is not a string.
 * - `empty`: no address at all (blank, or only commas and comments).
 * - `too_long`: longer than {@link MAX_HEADER_LENGTH} characters.
 * - `syntax_error`: not RFC 5322 address syntax (unbalanced quotes or comments, an address
 *   without `@`, a bare CR or LF, a control character, text after an address…).
 * - `domain_invalid`: the domain is not a host name (or an IDN that does not convert).
 * - `domain_literal_unsupported`: an IP literal domain such as `user@[192.0.2.1]`.
 * - `no_mailbox`: only an empty group (`undisclosed-recipients:;`) where a mailbox is needed.
 *
 * @example
 * ```ts
 * const r = parseMailboxList('ceo@[192.0.2.1]');
 * const why: MailParseError | undefined = r.ok ? undefined : r.reason; // 'domain_literal_unsupported'
 * ```
 */
export type MailParseError =
  | 'not_a_string'
  | 'empty'
  | 'too_long'
  | 'syntax_error'
  | 'domain_invalid'
  | 'domain_literal_unsupported'
  | 'no_mailbox';

/**
 * Longest header value read, in UTF-16 code units; longer values are `too_long` (and so a
 * message carrying one is excluded and counted as unparseable).
 *
 * @example
 * ```ts
 * if (rawTo.length > MAX_HEADER_LENGTH) log('To: header too long to read; the message will not be tracked');
 * ```
 */
export const MAX_HEADER_LENGTH = 100_000;

/**
 * Longest local part (its unquoted content) read, in UTF-16 code units: four times RFC 5321's
 * 64 octets. Longer ones are `too_long`. Unicode normalisation of the local part (NFKC/NFC) is
 * quadratic in a run of combining marks, so it must never see more than this.
 */
export const MAX_LOCAL_LENGTH = 256;

/** Receives each mailbox: its local part (unquoted content), normalised domain, display name. */
export type MailboxVisitor = (local: string, domain: string, name: string | undefined) => boolean | undefined;

/**
 * Decides mailboxes for {@link matchAddressList} instead of a visitor: each returns 0 for no
 * match or a positive code, which stops the parse.
 */
export interface MailboxMatcher {
  /** The code for a mailbox given as local-part content and normalised domain. */
  matchParts(local: string, domain: string): number;
  /**
   * The code for the plain `local@domain` text `s[start, end)`, or a negative number when it
   * needs matchParts() instead. Must decide exactly as matchParts() would.
   */
  matchPlain(s: string, start: number, end: number): number;
}

/** What a parse produced; `error` is undefined on success. */
export interface ParseOutcome {
  readonly error: MailParseError | undefined;
  readonly offset: number;
  /** Mailboxes reported to the visitor or matcher. */
  readonly count: number;
  /** `true` when the visitor or matcher asked to stop. */
  readonly stopped: boolean;
  /** The matcher's code that stopped the parse, 0 if none did. */
  readonly matched: number;
}

const DQUOTE = 34;
const LPAREN = 40;
const RPAREN = 41;
const COMMA = 44;
const DOT = 46;
const COLON = 58;
const SEMI = 59;
const LT = 60;
const GT = 62;
const AT = 64;
const LBRACKET = 91;
const BACKSLASH = 92;

// From `i` to the end there are only CR, LF, spaces and tabs.
function onlyLineEnd(s: string, i: number): boolean {
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c !== 13 && c !== 10 && c !== 32 && c !== 9) return false;
  }
  return true;
}

// A printable character or tab: allowed after a backslash and inside comments and quotes.
function isPrintable(c: number): boolean {
  return c === 9 || (c >= 32 && c !== 127);
}

class AddressParser {
  i = 0;
  error: MailParseError | undefined = undefined;
  errorAt = 0;
  count = 0;
  addresses = 0;
  stopped = false;
  matched = 0;
  private readonly n: number;

  constructor(
    private readonly s: string,
    private readonly visit: MailboxVisitor | undefined,
    private readonly wantNames: boolean,
    private readonly matcher: MailboxMatcher | undefined,
  ) {
    this.n = s.length;
  }

  fail(code: MailParseError, at: number = this.i): false {
    if (this.error === undefined) {
      this.error = code;
      this.errorAt = at;
    }
    return false;
  }

  // After CR or LF at `i`: the index past a fold (CRLF or LF followed by a space or tab), or -1.
  private fold(i: number): number {
    const s = this.s;
    let j = i;
    if (s.charCodeAt(j) === 13) j++;
    if (s.charCodeAt(j) !== 10) return -1;
    j++;
    const w = s.charCodeAt(j);
    return w === 32 || w === 9 ? j : -1;
  }

  /** Skips folding white space and (nested) comments. */
  cfws(): boolean {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9) {
        i++;
      } else if (c === 13 || c === 10) {
        const j = this.fold(i);
        if (j >= 0) {
          i = j;
        } else if (onlyLineEnd(s, i)) {
          // The header line's own CRLF, left on by the host: nothing can follow it.
          i = n;
        } else {
          return this.fail('syntax_error', i);
        }
      } else if (c === LPAREN) {
        let depth = 1;
        i++;
        while (depth > 0) {
          if (i >= n) return this.fail('syntax_error', i);
          const d = s.charCodeAt(i);
          if (d === BACKSLASH) {
            if (i + 1 >= n || !isPrintable(s.charCodeAt(i + 1))) return this.fail('syntax_error', i);
            i += 2;
          } else if (d === LPAREN) {
            depth++;
            i++;
          } else if (d === RPAREN) {
            depth--;
            i++;
          } else if (d === 13 || d === 10) {
            const j = this.fold(i);
            if (j < 0) return this.fail('syntax_error', i);
            i = j;
          } else if (isPrintable(d)) {
            i++;
          } else {
            return this.fail('syntax_error', i);
          }
        }
      } else {
        break;
      }
    }
    this.i = i;
    return true;
  }

  private peek(): number {
    return this.i < this.n ? this.s.charCodeAt(this.i) : -1;
  }

  private skipAtom(): void {
    const s = this.s;
    let i = this.i;
    while (i < this.n && isAtext(s.charCodeAt(i))) i++;
    this.i = i;
  }

  // At a DQUOTE: the decoded content of the quoted string ('' when `decode` is false, for text
  // that is only skipped), or undefined when it is malformed.
  private quoted(decode: boolean): string | undefined {
    const s = this.s;
    const n = this.n;
    let i = this.i + 1;
    let out = '';
    let run = i;
    for (;;) {
      if (i >= n) {
        this.fail('syntax_error', i);
        return undefined;
      }
      const c = s.charCodeAt(i);
      if (c === DQUOTE) {
        if (decode) out += s.slice(run, i);
        this.i = i + 1;
        return out;
      }
      if (c === BACKSLASH) {
        if (i + 1 >= n || !isPrintable(s.charCodeAt(i + 1))) {
          this.fail('syntax_error', i);
          return undefined;
        }
        if (decode) out += s.slice(run, i);
        run = i + 1;
        i += 2;
      } else if (c === 13 || c === 10) {
        const j = this.fold(i);
        if (j < 0) {
          this.fail('syntax_error', i);
          return undefined;
        }
        // The line break of a fold is removed; the white space after it stays.
        if (decode) out += s.slice(run, i);
        run = j;
        i = j;
      } else if (isPrintable(c)) {
        i++;
      } else {
        this.fail('syntax_error', i);
        return undefined;
      }
    }
  }

  // The last domain read by domainRun(): one slice of the input [domainStart, domainEnd) when
  // `domainPlain`, otherwise pieced together in `domainRaw`.
  private domainStart = 0;
  private domainEnd = 0;
  private domainPlain = true;
  private domainRaw = '';

  // A domain after `@`: dot-atom or obsolete atoms with CFWS around the dots. Only read here;
  // domainText() normalises it.
  private domainRun(): boolean {
    if (!this.cfws()) return false;
    const start = this.i;
    if (this.peek() === LBRACKET) return this.fail('domain_literal_unsupported', start);
    // Atoms and dots. Without white space or comments between them (the usual case) the
    // domain is one slice of the input; otherwise it is pieced together.
    let raw = '';
    let plain = true;
    let runStart = -1;
    let runEnd = -1;
    let expectAtom = true;
    for (;;) {
      if (!this.cfws()) return false;
      const c = this.peek();
      const tokenStart = this.i;
      if (c >= 0 && isAtext(c)) {
        if (!expectAtom) break;
        this.skipAtom();
        expectAtom = false;
      } else if (c === DOT) {
        if (expectAtom) return this.fail('syntax_error');
        this.i++;
        expectAtom = true;
      } else {
        break;
      }
      if (runStart < 0) {
        runStart = tokenStart;
      } else if (tokenStart !== runEnd) {
        if (plain) raw = this.s.slice(runStart, runEnd);
        plain = false;
      }
      if (!plain) raw += this.s.slice(tokenStart, this.i);
      runEnd = this.i;
    }
    if (expectAtom) return this.fail('syntax_error');
    this.domainStart = runStart;
    this.domainEnd = runEnd;
    this.domainPlain = plain;
    this.domainRaw = raw;
    this.errorStart = start;
    return true;
  }

  // Where the last domain began (after any CFWS), for its error offset.
  private errorStart = 0;

  // The last domain read, normalised; undefined (and the parse failed) when it is not a host name.
  private domainText(): string | undefined {
    const domain = this.domainPlain ? normalizeDomainRange(this.s, this.domainStart, this.domainEnd) : normalizeDomain(this.domainRaw);
    if (domain === undefined) this.fail('domain_invalid', this.errorStart);
    return domain;
  }

  // A domain after `@`, read and normalised.
  private domain(): string | undefined {
    return this.domainRun() ? this.domainText() : undefined;
  }

  // With a matcher, the code for the addr-spec just read when it is one plain slice of the
  // input, `@` at `atPos` (the last run of words is its local part); -1 when it is not, or
  // when the matcher needs the parts.
  private plainCode(atPos: number): number {
    const matcher = this.matcher;
    if (matcher === undefined || !this.wordsPlain || this.wordsEnd !== atPos || !this.domainPlain || this.domainStart !== atPos + 1) return -1;
    return matcher.matchPlain(this.s, this.wordsStart, this.domainEnd);
  }

  // A run of words and dots: a local part, a display name, or a group name. Only what is known
  // to be needed is built: the display name when names are wanted; the local part later, by
  // localText(), once an `@` shows that the run was one.
  private wordsStart = -1;
  private wordsEnd = -1;
  private wordsPlain = true;
  private wordsName = '';
  private wordsCount = 0;
  private wordsLocalOk = true;
  private wordsStartsWithDot = false;

  private words(): boolean {
    const s = this.s;
    let plain = true;
    let runStart = -1;
    let runEnd = -1;
    let name = '';
    let count = 0;
    let localOk = true;
    let expectWord = true;
    let startsWithDot = false;
    for (;;) {
      const before = this.i;
      if (!this.cfws()) return false;
      const spaced = this.i > before && name !== '';
      const c = this.peek();
      const tokenStart = this.i;
      let text = '';
      if (c === DQUOTE) {
        const q = this.quoted(this.wantNames);
        if (q === undefined) return false;
        text = q;
        plain = false;
      } else if (c >= 0 && isAtext(c)) {
        this.skipAtom();
        if (this.wantNames) text = s.slice(tokenStart, this.i);
      } else if (c === DOT) {
        this.i++;
        if (expectWord) {
          localOk = false;
          if (count === 0) startsWithDot = true;
        }
        if (this.wantNames) name += spaced ? ' .' : '.';
        expectWord = true;
      } else {
        break;
      }
      if (runStart < 0) runStart = tokenStart;
      else if (tokenStart !== runEnd) plain = false;
      runEnd = this.i;
      if (c === DOT) continue;
      if (!expectWord) localOk = false;
      if (this.wantNames) name += spaced ? ` ${text}` : text;
      expectWord = false;
      count++;
    }
    if (expectWord && count > 0) localOk = false;
    this.wordsStart = runStart;
    this.wordsEnd = runEnd;
    this.wordsPlain = plain;
    this.wordsName = name;
    this.wordsCount = count;
    this.wordsLocalOk = localOk;
    this.wordsStartsWithDot = startsWithDot;
    return true;
  }

  // The content of the last run of words as a local part: one slice when it was plain atoms and
  // dots; otherwise (quoted words, comments or spaces between them: rare) read again, decoding.
  private localText(): string {
    if (this.wordsStart < 0) return '';
    if (this.wordsPlain) return this.s.slice(this.wordsStart, this.wordsEnd);
    const save = this.i;
    const end = this.wordsEnd;
    this.i = this.wordsStart;
    let out = '';
    while (this.i < end) {
      this.cfws(); // read once already: cannot fail
      if (this.i >= end) break;
      const c = this.peek();
      if (c === DQUOTE) {
        out += this.quoted(true) ?? '';
      } else if (c === DOT) {
        out += '.';
        this.i++;
      } else {
        const start = this.i;
        this.skipAtom();
        out += this.s.slice(start, this.i);
      }
    }
    this.i = save;
    return out;
  }

  private emit(local: string, domain: string, name: string | undefined): boolean {
    // Fail closed before anything normalises the local part (see MAX_LOCAL_LENGTH).
    if (local.length > MAX_LOCAL_LENGTH) return this.fail('too_long', this.i);
    if (this.matcher !== undefined) return this.found(this.matcher.matchParts(local, domain));
    this.count++;
    if (this.visit?.(local, domain, name) === true) this.stopped = true;
    return true;
  }

  // A mailbox the matcher decided: `code` 0 goes on, any other stops the parse.
  private found(code: number): boolean {
    this.count++;
    if (code !== 0) {
      this.matched = code;
      this.stopped = true;
    }
    return true;
  }

  // With a matcher: when s[this.i, end) is a plain `local@domain` (dot-atom, `@`, host name:
  // no quotes, comments or white space) and the full reading would stop at `end` too, decides
  // it in one pass instead of reading it twice.
  private quick(end: number): boolean {
    const code = this.matcher === undefined ? -1 : this.matcher.matchPlain(this.s, this.i, end);
    if (code < 0) return false;
    this.i = end;
    return this.found(code);
  }

  // `<` [obs-route] addr-spec `>`, with `this.i` just past `<`.
  private angle(name: string | undefined): boolean {
    if (!this.cfws()) return false;
    if (this.matcher !== undefined) {
      const gt = this.s.indexOf('>', this.i);
      if (gt >= 0 && this.quick(gt)) {
        this.i++;
        return true;
      }
    }
    if (this.peek() === AT) {
      // Obsolete source route `<@relay1,@relay2:user@domain>`: the route is dropped.
      for (;;) {
        if (!this.cfws()) return false;
        const c = this.peek();
        if (c === AT) {
          this.i++;
          if (!this.cfws()) return false;
          if (this.peek() === LBRACKET) {
            const close = this.s.indexOf(']', this.i);
            if (close < 0) return this.fail('syntax_error');
            this.i = close + 1;
          } else if (this.domain() === undefined) {
            return false;
          }
        } else if (c === COMMA) {
          this.i++;
        } else if (c === COLON) {
          this.i++;
          break;
        } else {
          return this.fail('syntax_error');
        }
      }
    }
    if (!this.words()) return false;
    if (this.wordsCount === 0 || !this.wordsLocalOk) return this.fail('syntax_error');
    let local = this.wordsPlain ? undefined : this.localText();
    if (local === '' || this.peek() !== AT) return this.fail('syntax_error');
    const atPos = this.i;
    this.i++;
    if (!this.domainRun()) return false;
    const code = this.plainCode(atPos);
    let domain: string | undefined;
    if (code < 0) {
      local ??= this.localText();
      domain = this.domainText();
      if (domain === undefined) return false;
    }
    if (!this.cfws()) return false;
    if (this.peek() !== GT) return this.fail('syntax_error');
    this.i++;
    if (code >= 0) return this.found(code);
    return this.emit(local ?? '', domain ?? '', name);
  }

  /** One address: a mailbox (`addr-spec` or `name <addr-spec>`) or, outside a group, a group. */
  address(inGroup: boolean): boolean {
    if (this.matcher !== undefined) {
      // A bare addr-spec running to the next comma or the end (the usual form of a list).
      const comma = this.s.indexOf(',', this.i);
      if (this.quick(comma < 0 ? this.n : comma)) {
        this.addresses++;
        return true;
      }
    }
    if (!this.words()) return false;
    const c = this.peek();
    if (c === AT) {
      if (this.wordsCount === 0 || !this.wordsLocalOk) return this.fail('syntax_error');
      const local = this.wordsPlain ? undefined : this.localText();
      if (local === '') return this.fail('syntax_error');
      const atPos = this.i;
      this.i++;
      if (!this.domainRun()) return false;
      this.addresses++;
      const code = this.plainCode(atPos);
      if (code >= 0) return this.found(code);
      const domain = this.domainText();
      if (domain === undefined) return false;
      return this.emit(local ?? this.localText(), domain, undefined);
    }
    if (c === LT) {
      if (this.wordsStartsWithDot) return this.fail('syntax_error');
      const name = this.wantNames && this.wordsCount > 0 ? this.wordsName : undefined;
      this.i++;
      this.addresses++;
      return this.angle(name);
    }
    if (c === COLON && !inGroup) {
      if (this.wordsCount === 0 || this.wordsStartsWithDot) return this.fail('syntax_error');
      this.i++;
      this.addresses++;
      if (!this.list(true)) return false;
      if (this.stopped) return true;
      if (this.peek() !== SEMI) return this.fail('syntax_error');
      this.i++;
      return true;
    }
    return this.fail('syntax_error');
  }

  /** An address list (or, inside a group, a mailbox list up to `;`), empty elements allowed. */
  list(inGroup: boolean): boolean {
    for (;;) {
      if (!this.cfws()) return false;
      let c = this.peek();
      if (c < 0) return inGroup ? this.fail('syntax_error') : true;
      if (c === COMMA) {
        this.i++;
        continue;
      }
      if (inGroup && c === SEMI) return true;
      if (!this.address(inGroup)) return false;
      if (this.stopped) return true;
      if (!this.cfws()) return false;
      c = this.peek();
      if (c < 0) return inGroup ? this.fail('syntax_error') : true;
      if (c === COMMA) {
        this.i++;
        continue;
      }
      if (inGroup && c === SEMI) return true;
      return this.fail('syntax_error');
    }
  }
}

/**
 * Parses an address header value (`a@x.test, "B" <b@y.test>, Team: c@z.test;`), calling
 * `visit` for each mailbox in order. Stops early when `visit` returns `true`.
 */
export function parseAddressList(value: unknown, visit: MailboxVisitor, wantNames: boolean): ParseOutcome {
  return run(value, visit, wantNames, undefined);
}

/**
 * Parses an address header value as {@link parseAddressList} does, deciding each mailbox with
 * `matcher`: `matched` in the outcome is the first non-zero code, which stops the parse.
 */
export function matchAddressList(value: unknown, matcher: MailboxMatcher): ParseOutcome {
  return run(value, undefined, false, matcher);
}

function run(value: unknown, visit: MailboxVisitor | undefined, wantNames: boolean, matcher: MailboxMatcher | undefined): ParseOutcome {
  if (typeof value !== 'string') return { error: 'not_a_string', offset: 0, count: 0, stopped: false, matched: 0 };
  if (value.length > MAX_HEADER_LENGTH) return { error: 'too_long', offset: MAX_HEADER_LENGTH, count: 0, stopped: false, matched: 0 };
  const p = new AddressParser(value, visit, wantNames, matcher);
  const ok = p.list(false);
  if (!ok) return { error: p.error ?? 'syntax_error', offset: p.errorAt, count: p.count, stopped: false, matched: 0 };
  if (p.addresses === 0) return { error: 'empty', offset: 0, count: 0, stopped: false, matched: 0 };
  return { error: undefined, offset: value.length, count: p.count, stopped: p.stopped, matched: p.matched };
}
