import { formatAddress } from './local.js';
import { parseAddressList, type MailParseError } from './syntax.js';

/**
 * One mailbox read from a header value.
 *
 * @example
 * ```ts
 * const r = parseMailboxList('"Roe, Jane" <Jane.Roe@Acme.test>');
 * if (r.ok) r.mailboxes[0]; // { address: 'Jane.Roe@acme.test', localPart: 'Jane.Roe', domain: 'acme.test', name: 'Roe, Jane' }
 * ```
 */
export interface ParsedMailbox {
  /**
   * The address in canonical form: the local part as written (case kept, quotes only where
   * needed, comments dropped), `@`, the domain in lower-case ASCII (IDNs as punycode).
   */
  readonly address: string;
  /** The local part's content, unquoted. */
  readonly localPart: string;
  /** The domain, lower-case ASCII. */
  readonly domain: string;
  /** The display name, quotes removed (RFC 2047 encoded words are left as they are). */
  readonly name?: string;
}

/**
 * Result of {@link parseMailboxList}. `offset` is where reading stopped, for messages.
 *
 * @example
 * ```ts
 * const r: MailboxListResult = parseMailboxList('a@x.test b@y.test');
 * if (!r.ok) console.log(`${r.reason} at ${r.offset}`); // syntax_error at 9
 * ```
 */
export type MailboxListResult =
  | { readonly ok: true; readonly mailboxes: readonly ParsedMailbox[] }
  | { readonly ok: false; readonly reason: MailParseError; readonly offset: number };

/**
 * Reads a raw address header value (`To:`, `Cc:`, `From:`, `Reply-To:` without the field
 * name) holding any number of mailboxes, per RFC 5322 with UTF-8 (RFC 6532) and the obsolete
 * forms readers must accept: display names, quoted local parts, comments, folding white space,
 * groups (flattened; an empty group such as `undisclosed-recipients:;` gives no mailbox) and
 * source routes. Never throws.
 *
 * @example
 * ```ts
 * parseMailboxList('"Roe, Jane" <jane@acme.test>, bob(Sales)@Example.COM, Board: ceo@acme.test;');
 * // { ok: true, mailboxes: [
 * //   { address: 'jane@acme.test', localPart: 'jane', domain: 'acme.test', name: 'Roe, Jane' },
 * //   { address: 'bob@example.com', localPart: 'bob', domain: 'example.com' },
 * //   { address: 'ceo@acme.test', localPart: 'ceo', domain: 'acme.test' } ] }
 * parseMailboxList('ceo@acme.test <x@evil.test>'); // { ok: false, reason: 'syntax_error', offset: 14 }
 * ```
 */
export function parseMailboxList(value: string): MailboxListResult {
  const mailboxes: ParsedMailbox[] = [];
  const outcome = parseAddressList(
    value,
    (localPart, domain, name) => {
      const address = formatAddress(localPart, domain);
      mailboxes.push(name === undefined ? { address, localPart, domain } : { address, localPart, domain, name });
      return false;
    },
    true,
  );
  if (outcome.error !== undefined) return { ok: false, reason: outcome.error, offset: outcome.offset };
  return { ok: true, mailboxes };
}
