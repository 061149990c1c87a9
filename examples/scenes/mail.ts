import {
  compileMailExclusions,
  evaluateMailAddress,
  evaluateMailMessage,
  filterTrackedMessages,
  parseMailboxList,
  safeCompileMailExclusions,
  type MailMessageAddresses,
  type MailMessageDecision,
} from 'staffgate/mail';
import type { Printer } from './print.js';

// The seeds' "Email Tracking Exclusions (IMAP)" and "Protecting Internal Executive Privacy":
// staff connect their inboxes over IMAP, and the directors' mail must never enter the CRM.
export default function mailScenes(out: Printer): void {
  out.scene('Mail: the admin lists the directors');
  out.say('Workspace Settings → Email → Inbox settings → Excluded addresses. The admin pastes the directors as their mail client shows them, and the whole board domain.');
  const excluded = ['Jane Roe <Jane.Roe@Acme.test>', 'cfo@acme.test', '@board.acme.test'];
  const exclusions = compileMailExclusions(excluded);
  out.show('typed', excluded);
  out.show('stored (normal form)', exclusions.entries);

  out.scene('Mail: a sync batch from a salesperson’s inbox');
  out.say('Four messages arrive from Sam’s IMAP inbox. Only the address of each participant counts, never the display name.');
  const batch: (MailMessageAddresses & { subject: string })[] = [
    { subject: 'Quote for 40 seats', from: '"Li Ng" <li.ng@customer.test>', to: ['sam@acme.test'] },
    { subject: 'Board pack, confidential', from: 'sam@acme.test', to: 'jane.roe+board@ACME.test', cc: ['ann@board.acme.test'] },
    { subject: 'Re: Quote for 40 seats', from: 'sam@acme.test', to: ['li.ng@customer.test'], bcc: ['"CFO" <cfo@acme.test>'] },
    { subject: 'Urgent wire transfer', from: '"jane.roe@acme.test" <ceo-office@evil.test>', to: ['sam@acme.test'] },
  ];
  const result = filterTrackedMessages(batch, exclusions);
  for (const message of batch) out.show(message.subject, explain(evaluateMailMessage(message, exclusions)));
  out.show('tracked', result.tracked.map((m) => m.subject));
  out.show('never tracked', result.excluded.map((m) => m.subject));
  out.say('The spoofed "wire transfer" names Jane in its display name only, so it is tracked like any outside mail — where the team can see it.');

  out.scene('Mail: only what the directors send');
  out.say('An account that only wants to hide what directors write (not what they receive) uses { match: "sender" }.');
  const senderOnly = filterTrackedMessages(batch, exclusions, { match: 'sender' });
  out.show('tracked with match: sender', senderOnly.tracked.map((m) => m.subject));

  out.scene('Mail: a header nobody can read');
  out.say('A message whose addresses cannot be read might be a director’s, so it is kept out of the CRM (fail closed) and counted.');
  const broken = filterTrackedMessages([{ from: 'Jane Roe, CEO <jane.roe@acme.test>', to: ['sam@acme.test'] }], exclusions);
  out.show('result', { tracked: broken.tracked.length, excluded: broken.excluded.length, unparseable: broken.unparseable });
  out.show('why', parseMailboxList('Jane Roe, CEO <jane.roe@acme.test>'));

  out.scene('Mail: spellings that are the same mailbox');
  for (const spelling of ['JANE.ROE@acme.test', '"jane.roe"@acme.test', 'jane.roe(director)@acme.test', 'jane.roe@ａｃｍｅ.test', 'x@Board.Acme.test']) {
    out.show(spelling, evaluateMailAddress(exclusions, spelling));
  }

  out.scene('Mail: a typo is refused when the list is saved');
  const typo = safeCompileMailExclusions(['ceo@acme.test', 'ceo@acme', 'board.acme.test', '@acme..test']);
  if (!typo.ok) out.show('refused', typo.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`));
  out.say('"ceo@acme" is almost surely a typo for a full domain; "board.acme.test" needs an @ in front to mean the domain. Nothing is saved until every entry is right.');
}

function explain(d: MailMessageDecision): string {
  switch (d.reason) {
    case 'not_excluded':
      return 'tracked';
    case 'address_excluded':
    case 'domain_excluded':
    case 'subdomain_excluded':
      return `not tracked: ${d.field} ${d.address} matches ${d.entry}`;
    case 'address_unparseable':
      return `not tracked: ${d.field} cannot be read (${d.error})`;
    case 'message_invalid':
      return 'not tracked: not a message';
  }
}
