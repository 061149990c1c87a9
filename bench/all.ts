// `npm run bench`: every bench of bench/ in turn, each in its own process, then one table of
// every figure beside its peer, as a ratio, and every target of an issue with its verdict.
// Each bench hands its figures over through bench/harness.ts (a JSON-lines file named by
// STAFFGATE_BENCH_SUMMARY). Not a test: numbers vary with the machine and its load.
//
//   npm run bench                 (builds first: the mail and footprint benches read dist/)
//   npx tsx bench/all.ts --quiet  (only the summary)
//   npx tsx bench/all.ts net mail (only those benches)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatNs, formatRatio, type SummaryLine } from './harness.js';

const root = resolve(import.meta.dirname, '..');
/** Every bench, with the Node flags it needs. state skips, with its reason, a server that is not there. */
const BENCHES: readonly { name: string; flags?: readonly string[] }[] = [
  { name: 'net', flags: ['--expose-gc'] },
  { name: 'hours' },
  { name: 'login' },
  { name: 'lockout' },
  { name: 'layers' },
  { name: 'state' },
  { name: 'otp' },
  { name: 'access' },
  { name: 'apikeys' },
  { name: 'mail' },
  { name: 'governance' },
  { name: 'footprint' },
];

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const only = args.filter((a) => !a.startsWith('--'));
const unknown = only.filter((n) => !BENCHES.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`no bench named ${unknown.join(', ')}; the benches are ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const chosen = only.length === 0 ? BENCHES : BENCHES.filter((b) => only.includes(b.name));

const dir = mkdtempSync(join(tmpdir(), 'staffgate-bench-'));
const file = join(dir, 'summary.jsonl');
const failed: string[] = [];
try {
  for (const bench of chosen) {
    if (!quiet) console.log(`\n===== bench/${bench.name}.ts =====`);
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const out = spawnSync(process.execPath, [tsx, ...(bench.flags ?? []), join(root, 'bench', `${bench.name}.ts`)], {
      cwd: root,
      env: { ...process.env, STAFFGATE_BENCH_SUMMARY: file },
      stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    });
    if (out.status !== 0) failed.push(bench.name);
  }
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // no bench wrote a figure
  }
  printSummary(text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as SummaryLine));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}

function printSummary(lines: readonly SummaryLine[]): void {
  const ratios = lines.filter((l) => l.kind === 'ratio');
  const targets = lines.filter((l) => l.kind === 'target');
  const fw = Math.min(56, Math.max(6, ...ratios.map((r) => r.figure.length)));
  const pw = Math.min(50, Math.max(4, ...ratios.map((r) => r.peer.length)));
  const cut = (s: string, w: number): string => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  console.log('\n===== summary: each figure beside its peer; ratio = figure time ÷ peer time (below 1: the figure is faster) =====');
  console.log(`${'figure'.padEnd(fw)}  ${'peer'.padEnd(pw)}  ${'figure'.padStart(10)}  ${'peer'.padStart(10)}  ${'ratio'.padStart(8)}`);
  let table = '';
  for (const r of ratios) {
    if (r.table !== table) {
      table = r.table;
      console.log(`${r.bench}: ${r.table}`);
    }
    console.log(`${cut(`  ${r.figure}`, fw)}  ${cut(r.peer, pw)}  ${formatNs(r.ns).padStart(10)}  ${formatNs(r.peerNs).padStart(10)}  ${formatRatio(r.ns / r.peerNs).padStart(8)}`);
  }
  if (targets.length > 0) {
    console.log('\n===== targets of the issues =====');
    for (const t of targets) console.log(`${(t.met ? 'met' : 'NOT met').padEnd(8)} ${t.bench}: ${t.text}`);
  }
}
