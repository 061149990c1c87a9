// Mail exclusion throughput: staffgate's filterTrackedMessages next to naive baselines.
// Run: npx tsx bench/mail.ts   (a plain script: benchmarks are never timed unit tests)
//      STRINGS=reused npx tsx bench/mail.ts   (one parsed copy for every pass: see below)
//      SHARED=1 npx tsx bench/mail.ts   (every case in this one process: see below)
//
// Targets (issue #8): >= 1,000,000 messages/s with four pre-parsed addresses each against
// 1,000 exclusions, and >= 300,000 messages/s from raw header strings.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compare, formatNs, report, target, type Measurement, type PassCase } from './harness.js';
import { compileMailExclusions, filterTrackedMessages, type MailMessageAddresses } from 'staffgate/mail';

// Deterministic data: a tiny LCG so runs are comparable.
let seed = 0x2545f491;
function rand(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
}

const FIRST = ['jane', 'john', 'ann', 'bob', 'zoe', 'li', 'omar', 'eva', 'max', 'ivy', 'sam', 'kim'];
const LAST = ['roe', 'doe', 'smith', 'ng', 'khan', 'berg', 'silva', 'ito', 'moreau', 'novak'];

function person(i: number, domain: string): { address: string; name: string } {
  const f = FIRST[i % FIRST.length] ?? 'x';
  const l = LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'y';
  return { address: `${f}.${l}${i}@${domain}`, name: `${f[0]?.toUpperCase() ?? ''}${f.slice(1)} ${l}` };
}

// 1,000 exclusions: 975 addresses over 50 company domains, 20 whole domains, 5 subdomain rules.
const companyDomains = Array.from({ length: 50 }, (_, i) => `corp${i}.test`);
const entries: string[] = [];
for (let i = 0; i < 975; i++) entries.push(person(i, companyDomains[i % 50] ?? 'corp.test').address);
for (let i = 0; i < 20; i++) entries.push(`@board${i}.test`);
for (let i = 0; i < 5; i++) entries.push(`@*.holding${i}.test`);
const exclusions = compileMailExclusions(entries);
if (exclusions.entries.length !== 1000) throw new Error(`expected 1000 entries, got ${exclusions.entries.length}`);

// Participants: mostly customers and staff at other domains, some at the excluded companies,
// about 2 % excluded addresses, and a few in upper case.
const otherDomains = Array.from({ length: 200 }, (_, i) => `customer${i}.example`);
function participant(): { address: string; name: string } {
  const roll = rand(1000);
  let p: { address: string; name: string };
  if (roll < 20) {
    const i = rand(975);
    p = person(i, companyDomains[i % 50] ?? 'corp.test');
  } else if (roll < 25) p = person(rand(5000), `board${rand(20)}.test`);
  else if (roll < 300) p = person(rand(5000) + 1000, companyDomains[rand(50)] ?? 'corp.test');
  else p = person(rand(50_000), otherDomains[rand(200)] ?? 'customer.example');
  if (rand(10) === 0) p = { ...p, address: p.address.toUpperCase() };
  return p;
}

const COUNT = 20_000;
const preParsed: MailMessageAddresses[] = [];
const raw: MailMessageAddresses[] = [];
for (let i = 0; i < COUNT; i++) {
  const [a, b, c, d] = [participant(), participant(), participant(), participant()];
  preParsed.push({ from: a.address, to: [b.address, c.address], cc: [d.address] });
  raw.push({
    from: `"${a.name}" <${a.address}>`,
    to: `${b.name} <${b.address}>, ${c.address}`,
    cc: [`"${d.name.split(' ').reverse().join(', ')}" <${d.address}> (via CRM)`],
  });
}

// Naive baselines: lower-case the whole string and look it up; no domains, no parsing rules.
const list = entries.filter((e) => !e.startsWith('@')).map((e) => e.toLowerCase());
const set = new Set(list);
function fieldsOf(m: MailMessageAddresses): string[] {
  const out = [m.from];
  for (const v of [m.to, m.cc, m.bcc, m.replyTo]) {
    if (typeof v === 'string') out.push(v);
    else if (v) out.push(...v);
  }
  return out;
}
function naiveFilter(messages: readonly MailMessageAddresses[], has: (a: string) => boolean): number {
  let excluded = 0;
  for (const m of messages) if (fieldsOf(m).some((a) => has(a.toLowerCase()))) excluded++;
  return excluded;
}
// Raw headers, naively: split on commas, take what is inside <...>.
const ANGLE = /<([^>]*)>/;
function naiveRawFilter(messages: readonly MailMessageAddresses[], has: (a: string) => boolean): number {
  let excluded = 0;
  for (const m of messages) {
    const hit = fieldsOf(m).some((value) =>
      value.split(',').some((part) => {
        const angle = ANGLE.exec(part);
        return has((angle?.[1] ?? part).trim().toLowerCase());
      }),
    );
    if (hit) excluded++;
  }
  return excluded;
}

// Every timed pass gets a fresh copy of the messages from JSON.parse (not timed): flat strings
// whose hashes nobody has computed yet, as a host gets them from an IMAP library or a database.
// STRINGS=reused times every pass on one parsed copy instead, so the naive Set baseline hits
// V8's cached string hashes after the first pass: the way the issue's peer figures were taken.
const REUSED = process.env.STRINGS === 'reused';
const preJson = JSON.stringify(preParsed);
const rawJson = JSON.stringify(raw);

interface Case {
  readonly name: string;
  readonly json: string;
  readonly run: (messages: MailMessageAddresses[]) => number;
  readonly vs?: readonly string[];
}
function bench(name: string, json: string, run: (messages: MailMessageAddresses[]) => number, vs?: readonly string[]): Case {
  return vs ? { name, json, run, vs } : { name, json, run };
}

// Not a peer but a floor: reading every character of every address once (one charCodeAt each,
// summed), deciding nothing. A matcher that validates addresses, as staffgate must to fail
// closed on a malformed one, reads each character at least once, so it cannot beat this; the
// ratio says how much of staffgate's time is the reading itself.
function sumCharacters(value: string): number {
  let sum = 0;
  for (let i = 0; i < value.length; i++) sum = (sum + value.charCodeAt(i)) | 0;
  return sum;
}
function sumField(value: MailMessageAddresses['to']): number {
  if (typeof value === 'string') return sumCharacters(value);
  let sum = 0;
  if (value) for (const a of value) sum = (sum + sumCharacters(a)) | 0;
  return sum;
}
function readEveryCharacter(messages: readonly MailMessageAddresses[]): number {
  let sum = 0;
  for (const m of messages) {
    sum = (sum + sumCharacters(m.from) + sumField(m.to) + sumField(m.cc) + sumField(m.bcc) + sumField(m.replyTo)) | 0;
  }
  return sum === 0.5 ? 1 : -1; // -1: decides nothing (and the sum stays live)
}

const PRE = 'staffgate filterTrackedMessages, pre-parsed';
const RAW = 'staffgate filterTrackedMessages, raw headers';
const preSet = 'naive Set.has(lowercase), pre-parsed';
const preList = 'naive Array.includes(lowercase), pre-parsed';
const FLOOR = 'floor: read every character once, pre-parsed';
const rawSet = 'naive split+regex+Set.has, raw headers';
const rawList = 'naive split+regex+Array.includes, raw headers';
const cases = [
  bench(PRE, preJson, (m) => filterTrackedMessages(m, exclusions).excluded.length, [preSet, preList, FLOOR]),
  bench(preSet, preJson, (m) => naiveFilter(m, (a) => set.has(a))),
  bench(preList, preJson, (m) => naiveFilter(m, (a) => list.includes(a))),
  bench(FLOOR, preJson, readEveryCharacter),
  bench(RAW, rawJson, (m) => filterTrackedMessages(m, exclusions).excluded.length, [rawSet, rawList]),
  bench(rawSet, rawJson, (m) => naiveRawFilter(m, (a) => set.has(a))),
  bench(rawList, rawJson, (m) => naiveRawFilter(m, (a) => list.includes(a))),
];

// The machine may be shared: the harness times this process's CPU time, and the cases are
// interleaved over several rounds, each case's fastest round kept, so a burst of someone
// else's load does not land on one case only.
//
// Each pass is set up untimed: a fresh copy of the messages from JSON.parse (see above).
//
// Each case runs in a fresh process of its own (this script again, with CASE set), as a sync
// job runs one kind of input: in one shared process, the functions that both staffgate cases
// go through see both message shapes and are compiled for both, and each case's garbage may
// be collected on the next one's time. SHARED=1 runs every case in this process, to compare.
function passCase(c: Case): PassCase {
  const reused = REUSED ? (JSON.parse(c.json) as MailMessageAddresses[]) : undefined;
  const setup = (): (() => unknown) => {
    const messages = reused ?? (JSON.parse(c.json) as MailMessageAddresses[]);
    return () => c.run(messages);
  };
  return c.vs ? { name: c.name, setup, ops: COUNT, vs: c.vs } : { name: c.name, setup, ops: COUNT };
}

interface Timing {
  readonly samples: number[];
  readonly excluded: number;
}

/** Case `k` in this process: two rounds of passes, ~250 ms of timed CPU each. */
function timeCase(k: number): Timing {
  const c = cases[k];
  if (c === undefined) throw new Error(`no case ${String(k)}`);
  const [m] = compare([passCase(c)], { rounds: 2, roundMs: 250 });
  return { samples: [m?.ns ?? Number.NaN], excluded: c.run(JSON.parse(c.json) as MailMessageAddresses[]) };
}

/** Times case `k` in a fresh process: this script with the same loader flags and CASE=k. */
function timeCaseInChild(k: number): Timing {
  const out = spawnSync(process.execPath, [...process.execArgv, process.argv[1] ?? ''], {
    env: { ...process.env, CASE: String(k), STAFFGATE_BENCH_SUMMARY: '' },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`case ${String(k)} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '') as Timing;
}

const CHILD_CASE = process.env.CASE;
if (CHILD_CASE !== undefined) {
  console.log(JSON.stringify(timeCase(Number(CHILD_CASE))));
  process.exit(0);
}

// The cases import the built package: say so when src/mail is newer than dist/mail.js.
const root = join(import.meta.dirname, '..');
const built = statSync(join(root, 'dist', 'mail.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const newest = Math.max(...readdirSync(join(root, 'src', 'mail')).map((f) => statSync(join(root, 'src', 'mail', f)).mtimeMs));
if (newest > built) console.log('warning: src/mail is newer than dist/mail.js, which is what this measures: run `npm run build` first\n');

const SHARED = process.env.SHARED === '1';
const ROUNDS = Number(process.env.ROUNDS ?? 7);
let rows: Measurement[];
const excluded = new Map<string, number>();
if (SHARED) {
  rows = compare(cases.map(passCase), { rounds: ROUNDS, roundMs: 250 });
  for (const c of cases) excluded.set(c.name, c.run(JSON.parse(c.json) as MailMessageAddresses[]));
} else {
  const samples = cases.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    cases.forEach((c, k) => {
      const t = timeCaseInChild(k);
      samples[k]?.push(...t.samples);
      excluded.set(c.name, t.excluded);
    });
  }
  rows = cases.map((c, k) => {
    const sorted = [...(samples[k] ?? [])].sort((x, y) => x - y);
    const m = { name: c.name, ns: sorted[0] ?? Number.NaN, median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN };
    return c.vs ? { ...m, vs: c.vs } : m;
  });
}

console.log(`mail exclusions: ${COUNT.toLocaleString('en-US')} messages x 4 addresses, ${exclusions.entries.length} exclusions (975 addresses, 20 domains, 5 subdomain rules)`);
console.log(
  `node ${process.version}; CPU time per message, fastest of ${String(ROUNDS)} interleaved rounds; ${SHARED ? 'all cases in one process' : 'each case in a fresh process'}; ${REUSED ? 'one parsed copy reused (cached string hashes)' : 'fresh strings from JSON.parse each pass'}`,
);
const perSecond = (r: Measurement | undefined): number => (r ? 1e9 / r.ns : 0);
const excludedOf = (r: Measurement): string => String(excluded.get(r.name) ?? '-');
report('pre-parsed addresses (time per message; ratio to each peer)', rows.slice(0, 4));
report('raw header strings (time per message; ratio to each peer)', rows.slice(4));
console.log('\n  messages excluded:');
for (const r of rows) if (r.name !== FLOOR) console.log(`    ${r.name.padEnd(52)} ${excludedOf(r)}`);
const pre = rows[0];
const floor = rows[3];
const rawRow = rows[4];
target(`pre-parsed ≥ 1,000,000 messages per CPU-second (${Math.round(perSecond(pre)).toLocaleString('en-US')})`, perSecond(pre) >= 1e6);
target(`raw headers ≥ 300,000 messages per CPU-second (${Math.round(perSecond(rawRow)).toLocaleString('en-US')})`, perSecond(rawRow) >= 3e5);
if (pre && floor) {
  console.log(`  per address (a message's time / 4): staffgate ${formatNs(pre.ns / 4)}, reading its characters alone ${formatNs(floor.ns / 4)}: staffgate takes ${(pre.ns / floor.ns).toFixed(2)}x the floor`);
}
console.log('  (the naive baselines know no domains, case rules, sub-addresses or RFC 5322, so they exclude fewer messages)');
