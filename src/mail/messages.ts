// Which synced messages may enter the CRM.

import { StaffgateError } from '../errors.js';
import { storedField } from '../stored.js';
import {
  compiledExclusions,
  M_ADDRESS,
  M_DOMAIN,
  M_SUBDOMAIN,
  M_NO_MAILBOX,
  M_NONE,
  M_UNPARSEABLE,
  type CompiledMailExclusions,
  type MailExclusions,
} from './exclusions.js';
import type { MailParseError } from './syntax.js';

/**
 * An address field: one header value (one or several mailboxes) or a list of them.
 *
 * @example
 * ```ts
 * const to: MailAddressField = ['sam@acme.test', '"Li Ng" <li.ng@customer.test>, bob@customer.test'];
 * ```
 */
export type MailAddressField = string | readonly string[] | null | undefined;

/**
 * The address fields of a synced message. Each string may be a bare address, a header mailbox
 * (`Jane <jane@acme.test>`) or a raw header value with several mailboxes. `null` and
 * `undefined` mean the header is absent; `[]` means no addresses.
 *
 * @example
 * ```ts
 * const message: MailMessageAddresses = { from: 'Li Ng <li.ng@customer.test>', to: ['sam@acme.test'], cc: null };
 * ```
 */
export interface MailMessageAddresses {
  readonly from: string;
  readonly to?: MailAddressField;
  readonly cc?: MailAddressField;
  readonly bcc?: MailAddressField;
  readonly replyTo?: MailAddressField;
}

/**
 * The address fields that take part in a decision, in the order they are checked.
 *
 * @example
 * ```ts
 * const d = evaluateMailMessage(message, exclusions);
 * const field: MailField | undefined = d.tracked || d.reason === 'message_invalid' ? undefined : d.field;
 * ```
 */
export type MailField = 'from' | 'to' | 'cc' | 'bcc' | 'replyTo';

/**
 * Options of {@link filterTrackedMessages} and {@link evaluateMailMessage}.
 *
 * @example
 * ```ts
 * filterTrackedMessages(batch, exclusions, { match: 'sender' });
 * ```
 */
export interface MailMatchOptions {
  /**
   * `'any'` (default): a message is excluded when any participant (from, to, cc, bcc,
   * reply-to) is excluded, so an excluded person's thread never enters the CRM whoever wrote
   * it. `'sender'`: only the `from` field counts; other fields are not even read.
   */
  readonly match?: 'any' | 'sender';
}

/**
 * Result of {@link filterTrackedMessages}.
 *
 * @example
 * ```ts
 * const { tracked, excluded, unparseable }: FilterTrackedResult<Synced> = filterTrackedMessages(batch, exclusions);
 * if (unparseable > 0) log(`${unparseable} of ${excluded.length} excluded messages could not be read`);
 * ```
 */
export interface FilterTrackedResult<M> {
  /** Messages that may be tracked, in input order. */
  readonly tracked: M[];
  /** Messages that must not be tracked, in input order (unparseable ones included). */
  readonly excluded: M[];
  /** How many of `excluded` are there only because an address field could not be read. */
  readonly unparseable: number;
}

/**
 * The explained decision for one message.
 *
 * - `not_excluded`: tracked.
 * - `address_excluded` / `domain_excluded` / `subdomain_excluded`: `address` in `field`
 *   matched the exclusion `entry`.
 * - `address_unparseable`: `field` could not be read (`error` says why): fail closed.
 * - `message_invalid`: not an object.
 *
 * An exclusion found anywhere wins over an unreadable field elsewhere, so the reason does not
 * depend on the order of the fields.
 *
 * @example
 * ```ts
 * const d: MailMessageDecision = evaluateMailMessage({ from: 'x@customer.test', bcc: ['ceo@acme.test'] }, exclusions);
 * // { tracked: false, reason: 'address_excluded', field: 'bcc', address: 'ceo@acme.test', entry: 'ceo@acme.test' }
 * ```
 */
export type MailMessageDecision =
  | { readonly tracked: true; readonly reason: 'not_excluded' }
  | {
      readonly tracked: false;
      readonly reason: 'address_excluded' | 'domain_excluded' | 'subdomain_excluded';
      readonly field: MailField;
      readonly address: string;
      readonly entry: string;
    }
  | { readonly tracked: false; readonly reason: 'address_unparseable'; readonly field: MailField; readonly error: MailParseError }
  | { readonly tracked: false; readonly reason: 'message_invalid' };

const OTHER_FIELDS = ['to', 'cc', 'bcc', 'replyTo'] as const;

function senderOnly(options: MailMatchOptions | undefined): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new StaffgateError('invalid_option', 'options must be an object');
  }
  // Own (or class) property only: a polluted Object.prototype's `match: 'sender'` must not
  // narrow the check.
  const match: unknown = storedField(options, 'match') ?? 'any';
  if (match !== 'any' && match !== 'sender') {
    throw new StaffgateError('invalid_option', 'must be "any" or "sender"', { path: ['match'] });
  }
  return match === 'sender';
}

// Match code of one field value: a string, an array of strings, or absent.
function matchField(ex: CompiledMailExclusions, value: unknown): number {
  if (value === undefined || value === null) return M_NONE;
  if (typeof value === 'string') {
    const code = ex.matchValue(value);
    return code === M_NO_MAILBOX ? M_NONE : code;
  }
  if (!Array.isArray(value)) return M_UNPARSEABLE;
  const list: readonly unknown[] = value;
  let result = M_NONE;
  for (let i = 0; i < list.length; i++) {
    const code = ex.matchValue(list[i]);
    if (code === M_UNPARSEABLE) result = M_UNPARSEABLE;
    else if (code !== M_NONE && code !== M_NO_MAILBOX) return code;
  }
  return result;
}

// 0 tracked, 1–3 excluded by an entry, M_UNPARSEABLE excluded because a field is unreadable.
// Named property reads (not a loop over field names) keep this path monomorphic and fast.
function classify(ex: CompiledMailExclusions, message: unknown, sender: boolean): number {
  if (typeof message !== 'object' || message === null) return M_UNPARSEABLE;
  const m = message as MailMessageAddresses;
  let code = ex.matchValue(m.from);
  if (code === M_ADDRESS || code === M_DOMAIN || code === M_SUBDOMAIN) return code;
  let unreadable = code !== M_NONE;
  if (sender) return unreadable ? M_UNPARSEABLE : M_NONE;
  code = matchField(ex, m.to);
  if (code === M_UNPARSEABLE) unreadable = true;
  else if (code !== M_NONE) return code;
  code = matchField(ex, m.cc);
  if (code === M_UNPARSEABLE) unreadable = true;
  else if (code !== M_NONE) return code;
  code = matchField(ex, m.bcc);
  if (code === M_UNPARSEABLE) unreadable = true;
  else if (code !== M_NONE) return code;
  code = matchField(ex, m.replyTo);
  if (code === M_UNPARSEABLE) unreadable = true;
  else if (code !== M_NONE) return code;
  return unreadable ? M_UNPARSEABLE : M_NONE;
}

/**
 * Splits synced messages into those the CRM may track and those it must ignore. By default a
 * message is excluded when any participant is excluded (`{ match: 'sender' }`: only `from`).
 * Never throws on a message: one whose addresses cannot be read is excluded (fail closed) and
 * counted in `unparseable`.
 *
 * @throws {StaffgateError} `invalid_option` when `exclusions` was not made by
 *   {@link compileMailExclusions} or `options` is wrong; never for a message.
 * @example
 * ```ts
 * const exclusions = compileMailExclusions(['ceo@acme.test']);
 * const { tracked, excluded, unparseable } = filterTrackedMessages(
 *   [
 *     { from: 'client@customer.test', to: ['sales@acme.test'] },
 *     { from: 'sales@acme.test', to: ['client@customer.test'], cc: ['Jane CEO <ceo@acme.test>'] },
 *     { from: 'broken <<@', to: [] },
 *   ],
 *   exclusions,
 * );
 * // tracked: the first; excluded: the other two; unparseable: 1
 * ```
 */
export function filterTrackedMessages<M extends MailMessageAddresses>(
  messages: Iterable<M>,
  exclusions: MailExclusions,
  options?: MailMatchOptions,
): FilterTrackedResult<M> {
  const ex = compiledExclusions(exclusions);
  const sender = senderOnly(options);
  const iterable: unknown = messages;
  if (typeof iterable !== 'object' || iterable === null || typeof (iterable as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new StaffgateError('invalid_option', 'messages must be iterable');
  }
  const tracked: M[] = [];
  const excluded: M[] = [];
  let unparseable = 0;
  for (const message of messages) {
    let code: number;
    try {
      code = classify(ex, message, sender);
    } catch {
      // A getter or proxy that throws is a message that cannot be read.
      code = M_UNPARSEABLE;
    }
    if (code === M_NONE) {
      tracked.push(message);
    } else {
      excluded.push(message);
      if (code === M_UNPARSEABLE) unparseable++;
    }
  }
  return { tracked, excluded, unparseable };
}

/**
 * The decision {@link filterTrackedMessages} makes for one message, with the field, address
 * and entry that decided it. Use it to show an admin why a message was not synced.
 *
 * @example
 * ```ts
 * const exclusions = compileMailExclusions(['@board.acme.test']);
 * evaluateMailMessage({ from: 'sales@acme.test', cc: ['ann@board.acme.test'] }, exclusions);
 * // { tracked: false, reason: 'domain_excluded', field: 'cc', address: 'ann@board.acme.test', entry: '@board.acme.test' }
 * ```
 */
export function evaluateMailMessage(
  message: MailMessageAddresses,
  exclusions: MailExclusions,
  options?: MailMatchOptions,
): MailMessageDecision {
  const ex = compiledExclusions(exclusions);
  const sender = senderOnly(options);
  try {
    return explain(ex, message, sender);
  } catch {
    return { tracked: false, reason: 'message_invalid' };
  }
}

function explain(ex: CompiledMailExclusions, message: unknown, sender: boolean): MailMessageDecision {
  if (typeof message !== 'object' || message === null) return { tracked: false, reason: 'message_invalid' };
  const m = message as Record<string, unknown>;
  let unreadable: MailMessageDecision | undefined;
  const fields: readonly MailField[] = sender ? ['from'] : ['from', ...OTHER_FIELDS];
  for (const field of fields) {
    const value = m[field];
    let values: readonly unknown[];
    if (field === 'from') values = [value];
    else if (value === undefined || value === null) values = [];
    else if (Array.isArray(value)) values = value as readonly unknown[];
    else values = [value];
    for (const v of values) {
      const d = ex.explainValue(v, field !== 'from');
      if (d.reason === 'not_excluded') continue;
      if (d.reason === 'address_unparseable') {
        unreadable ??= { tracked: false, reason: 'address_unparseable', field, error: d.error };
        continue;
      }
      return { tracked: false, reason: d.reason, field, address: d.address, entry: d.entry };
    }
  }
  return unreadable ?? { tracked: true, reason: 'not_excluded' };
}
