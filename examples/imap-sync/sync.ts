// An IMAP sync job, minus the IMAP: reads a folder of .eml files (what `FETCH … BODY.PEEK[HEADER]`
// returns), takes the address headers, and decides with the workspace's mail exclusions which
// messages may enter the CRM. It prints the plan and changes nothing.
//
//   npx tsx examples/imap-sync/sync.ts [folder]      # default: examples/imap-sync/fixtures
//
// A real job fetches only the header fields it needs from the server, runs the same
// `planSync`, and stores the tracked messages. Unreadable address headers are never tracked:
// a message whose participants cannot be read could be anyone's.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compileMailExclusions,
  evaluateMailMessage,
  filterTrackedMessages,
  parseAccountPolicy,
  type MailExclusions,
  type MailMessageDecision,
} from 'staffgate';
import { DEMO_ACCOUNT } from '../shared/demo.js';

/** One synced message: its address headers as raw values, and what the plan prints. */
export interface SyncedMessage {
  readonly file: string;
  readonly subject: string;
  readonly messageId: string | undefined;
  /** Raw `From:` value; `''` when the header is missing (which is never tracked). */
  readonly from: string;
  /** Raw values of every `To:`, `Cc:`, `Bcc:` and `Reply-To:` header (a header may repeat). */
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo: readonly string[];
}

/** What the job would do. */
export interface SyncPlan {
  readonly tracked: readonly SyncedMessage[];
  /** Each message kept out, with the reason (`address_excluded`, `domain_excluded`, `address_unparseable`, …). */
  readonly excluded: readonly { readonly message: SyncedMessage; readonly decision: MailMessageDecision }[];
  /** How many were kept out only because an address header could not be read. */
  readonly unparseable: number;
}

/**
 * The header section of a message (RFC 5322 §2.2): lines up to the first empty one, folded
 * lines unfolded (a line break followed by a space or tab continues the field). Field names
 * are lower-cased; a field that appears twice keeps both values, in order.
 */
export function parseHeaderSection(raw: string): Map<string, string[]> {
  const end = raw.search(/\r?\n\r?\n/);
  const section = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n(?=[ \t])/g, '');
  const fields = new Map<string, string[]>();
  for (const line of section.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // not a field (an mbox "From " line, garbage): ignore it
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = fields.get(name);
    if (values === undefined) fields.set(name, [value]);
    else values.push(value);
  }
  return fields;
}

/** Reads one .eml file's text into a {@link SyncedMessage}. */
export function toSyncedMessage(file: string, raw: string): SyncedMessage {
  const headers = parseHeaderSection(raw);
  const all = (name: string): string[] => headers.get(name) ?? [];
  return {
    file,
    subject: all('subject')[0] ?? '',
    messageId: all('message-id')[0],
    // Several From: headers are malformed; joined, they read as one list, and any excluded
    // sender among them still excludes the message.
    from: all('from').join(', '),
    to: all('to'),
    cc: all('cc'),
    bcc: all('bcc'),
    replyTo: all('reply-to'),
  };
}

/** Reads every `.eml` file of a folder, in file-name order. */
export async function readMailFolder(dir: string): Promise<SyncedMessage[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.eml')).sort();
  return Promise.all(names.map(async (name) => toSyncedMessage(name, await readFile(join(dir, name), 'utf8'))));
}

/** Splits the messages into tracked and excluded, and explains each exclusion. */
export function planSync(messages: readonly SyncedMessage[], exclusions: MailExclusions): SyncPlan {
  // Default match mode 'any': an excluded person anywhere in from/to/cc/bcc/reply-to keeps
  // the whole message out, whoever wrote it.
  const { tracked, excluded, unparseable } = filterTrackedMessages(messages, exclusions);
  return { tracked, excluded: excluded.map((message) => ({ message, decision: evaluateMailMessage(message, exclusions) })), unparseable };
}

function why(decision: MailMessageDecision): string {
  switch (decision.reason) {
    case 'address_excluded':
    case 'domain_excluded':
    case 'subdomain_excluded':
      return `${decision.reason}: ${decision.field} ${decision.address} matches ${decision.entry}`;
    case 'address_unparseable':
      return `address_unparseable: the ${decision.field} header could not be read (${decision.error})`;
    case 'message_invalid':
    case 'not_excluded':
      return decision.reason;
  }
}

/** The plan as lines for a person to read. */
export function formatPlan(plan: SyncPlan): string[] {
  const lines = plan.tracked.map((m) => `track  ${m.file}  "${m.subject}"`);
  for (const { message, decision } of plan.excluded) lines.push(`skip   ${message.file}  "${message.subject}"  (${why(decision)})`);
  lines.push(`${plan.tracked.length} to track, ${plan.excluded.length} kept out (${plan.unparseable} unreadable)`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('./fixtures', import.meta.url));
  // The exclusions come from the account settings, validated and compiled once per run.
  const account = parseAccountPolicy(DEMO_ACCOUNT);
  const exclusions = compileMailExclusions(account.mail.excluded);
  console.log(`Excluded: ${exclusions.entries.join(', ')}`);
  for (const line of formatPlan(planSync(await readMailFolder(dir), exclusions))) console.log(line);
}
