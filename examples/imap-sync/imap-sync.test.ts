// The IMAP sync job over the fixture folder: which messages enter the CRM, and why the others do not.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compileMailExclusions, parseAccountPolicy } from 'staffgate';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT } from '../shared/demo.js';
import { formatPlan, parseHeaderSection, planSync, readMailFolder, toSyncedMessage } from './sync.js';

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));
const exclusions = compileMailExclusions(parseAccountPolicy(DEMO_ACCOUNT).mail.excluded);

describe('planSync over the fixtures', () => {
  it('tracks the customer mail and keeps the board, the CEO and the unreadable sender out', async () => {
    const plan = planSync(await readMailFolder(fixtures), exclusions);
    expect(plan.tracked.map((m) => m.file)).toEqual(['01-customer-quote.eml', '04-folded-group.eml']);
    expect(plan.excluded.map(({ message, decision }) => [message.file, decision])).toEqual([
      ['02-board-minutes.eml', { tracked: false, reason: 'domain_excluded', field: 'from', address: 'chair@board.acme.test', entry: '@board.acme.test' }],
      ['03-ceo-in-cc.eml', { tracked: false, reason: 'address_excluded', field: 'cc', address: 'CEO+private@acme.test', entry: 'ceo@acme.test' }],
      ['05-unreadable-from.eml', { tracked: false, reason: 'address_unparseable', field: 'from', error: 'syntax_error' }],
      ['06-reply-to-ceo.eml', { tracked: false, reason: 'address_excluded', field: 'replyTo', address: 'ceo@acme.test', entry: 'ceo@acme.test' }],
    ]);
    expect(plan.unparseable).toBe(1);
  });

  it('prints the plan', async () => {
    expect(formatPlan(planSync(await readMailFolder(fixtures), exclusions))).toEqual([
      'track  01-customer-quote.eml  "Quote for 40 chairs"',
      'track  04-folded-group.eml  "Delivery dates"',
      'skip   02-board-minutes.eml  "Minutes of the June board meeting"  (domain_excluded: from chair@board.acme.test matches @board.acme.test)',
      'skip   03-ceo-in-cc.eml  "Re: Pricing for next year"  (address_excluded: cc CEO+private@acme.test matches ceo@acme.test)',
      'skip   05-unreadable-from.eml  "You have won"  (address_unparseable: the from header could not be read (syntax_error))',
      'skip   06-reply-to-ceo.eml  "Acquisition talks"  (address_excluded: replyTo ceo@acme.test matches ceo@acme.test)',
      '2 to track, 4 kept out (1 unreadable)',
    ]);
  });

  it('tracks everything when the exclusion list is empty, except what cannot be read', async () => {
    const plan = planSync(await readMailFolder(fixtures), compileMailExclusions([]));
    expect(plan.excluded.map(({ message }) => message.file)).toEqual(['05-unreadable-from.eml']);
  });

  it('runs as a script and prints the same plan', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./sync.ts', import.meta.url))], { timeout: 8000 });
    expect(stdout.split('\n')).toContain('2 to track, 4 kept out (1 unreadable)');
  }, 10_000);
});

describe('header parsing', () => {
  it('unfolds folded fields and keeps every value of a repeated field', () => {
    const headers = parseHeaderSection('To: a@x.test,\r\n b@x.test\r\nTo: c@x.test\r\nSubject: hi\r\n\r\nTo: body@x.test\r\n');
    expect(headers.get('to')).toEqual(['a@x.test, b@x.test', 'c@x.test']);
    expect(headers.get('subject')).toEqual(['hi']);
  });

  it('reads LF-only files and stops at the first empty line', () => {
    const message = toSyncedMessage('m.eml', 'FROM: ann@acme.test\nSubject: x\n\nCc: ceo@acme.test\n');
    expect(message).toMatchObject({ from: 'ann@acme.test', cc: [] });
    expect(planSync([message], exclusions).tracked).toHaveLength(1);
  });

  it('never tracks a message without a From header', () => {
    const message = toSyncedMessage('m.eml', 'To: ann@acme.test\r\n\r\nbody');
    const plan = planSync([message], exclusions);
    expect(plan.tracked).toHaveLength(0);
    expect(plan.excluded[0]?.decision).toMatchObject({ reason: 'address_unparseable', field: 'from' });
  });

  it('keeps out a message with a second, excluded From header', () => {
    const message = toSyncedMessage('m.eml', 'From: desk@partner.test\r\nFrom: chair@board.acme.test\r\n\r\n');
    expect(planSync([message], exclusions).tracked).toHaveLength(0);
  });

  it('keeps out a message whose excluded recipient is only in Bcc', () => {
    const message = toSyncedMessage('m.eml', 'From: ann@acme.test\r\nTo: buyer@customer.test\r\nBcc: Secretary <sec@board.acme.test>\r\n\r\n');
    expect(planSync([message], exclusions).excluded[0]?.decision).toMatchObject({ reason: 'domain_excluded', field: 'bcc' });
  });
});
