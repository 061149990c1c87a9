/**
 * E-mail tracking exclusions for IMAP sync: the addresses and domains whose messages must never
 * enter the CRM. Compile the admin's list once with {@link compileMailExclusions}, then decide
 * per address ({@link isExcludedAddress}) or per batch of synced messages
 * ({@link filterTrackedMessages}). See docs/mail.md.
 *
 * @module
 */
export {
  compileMailExclusions,
  safeCompileMailExclusions,
  isExcludedAddress,
  evaluateMailAddress,
  type MailExclusions,
  type MailExclusionOptions,
  type ResolvedMailExclusionOptions,
  type MailAddressDecision,
  type MailReasonCode,
} from './exclusions.js';
export {
  filterTrackedMessages,
  evaluateMailMessage,
  type MailMessageAddresses,
  type MailAddressField,
  type MailField,
  type MailMatchOptions,
  type FilterTrackedResult,
  type MailMessageDecision,
} from './messages.js';
export { parseMailboxList, type ParsedMailbox, type MailboxListResult } from './parse.js';
export { MAX_HEADER_LENGTH, type MailParseError } from './syntax.js';
