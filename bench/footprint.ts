// What a host pays to load staffgate in Node: cold import time in fresh Node processes, per
// entry point and beside its runtime dependencies. Not a test: run it by hand after a build.
//
//   npm run bench:footprint                    (builds first; 9 runs per case)
//   npm run build && npx tsx bench/footprint.ts --runs 21   (steadier times)
//
// Each case runs in a new `node` process (no tsx, no NODE_OPTIONS), which times only the
// dynamic import() itself, `runs` times, cases interleaved so a noisy neighbour hits them all
// alike. Reported: median and fastest wall time, and the median CPU time of the process during
// the import (less sensitive to other processes on a shared machine). The time budgets are
// reported, never enforced: times depend on the machine.
//
// Bundle sizes are size-limit's (the "size-limit" budgets in package.json, `npx size-limit`),
// and scripts/check-entry-deps.mjs checks which dependencies each light entry loads; both run
// in `npm test`.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { report, target, type Measurement } from './harness.js';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 9;

const RUNTIME_DEPS = ['zod', 'otplib', 'luxon', '@noble/hashes'] as const;
/** Entries an IP-only or API-key-only middleware loads: they should cost little beyond the floor. */
const LIGHT_ENTRIES: readonly string[] = ['net', 'apikeys'];
const BUDGET = { rootRatio: 1.3, lightEntryMs: 25 } as const;

/** Every subpath entry of package.json "exports" but the test kit (it needs fast-check). */
function subpathEntries(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  return Object.keys(pkg.exports)
    .filter((key) => key.startsWith('./') && key !== './package.json' && key !== './testing')
    .map((key) => key.slice(2));
}

interface ImportCase {
  readonly name: string;
  readonly specifiers: readonly string[];
  readonly onlyLast?: boolean;
}

interface ImportTiming {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly cpuMs: number;
}

interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

// The child imports each specifier in turn and reports the wall and CPU time of each import.
const CHILD = `
const out = [];
for (const s of JSON.parse(process.argv[1])) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await import(s);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  out.push({ wall, cpu: (cpu.user + cpu.system) / 1000 });
}
console.log(JSON.stringify(out));
`;

/** Times one case; `onlyLast` counts only the last import (the others are loaded before it). */
function timeImport(c: ImportCase): Sample {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, JSON.stringify(c.specifiers)], { cwd: root, env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`import of ${c.specifiers.join(', ')} failed: ${out.stderr}`);
  const samples = JSON.parse(out.stdout.trim()) as Sample[];
  const counted = c.onlyLast ? samples.slice(-1) : samples;
  return { wall: counted.reduce((sum, x) => sum + x.wall, 0), cpu: counted.reduce((sum, x) => sum + x.cpu, 0) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function measureImports(cases: readonly ImportCase[], title: string): Map<string, ImportTiming> {
  console.log(title);
  const samples = new Map(cases.map((c) => [c.name, { wall: [] as number[], cpu: [] as number[] }]));
  for (const c of cases) timeImport(c); // warm the file-system cache once
  for (let run = 0; run < RUNS; run++) {
    for (const c of cases) {
      const { wall, cpu } = timeImport(c);
      samples.get(c.name)!.wall.push(wall);
      samples.get(c.name)!.cpu.push(cpu);
    }
  }
  return new Map(
    cases.map((c) => {
      const s = samples.get(c.name)!;
      return [c.name, { name: c.name, medianMs: median(s.wall), minMs: Math.min(...s.wall), cpuMs: median(s.cpu) }];
    }),
  );
}

const DEPS = 'runtime deps together';

/** The import times as harness rows (fastest and median run), staffgate's beside its deps. */
function printTimings(cases: readonly ImportCase[], timings: ReadonlyMap<string, ImportTiming>): void {
  const rows: Measurement[] = cases.map((c) => {
    const t = timings.get(c.name);
    const row = { name: c.name, ns: (t?.minMs ?? Number.NaN) * 1e6, median: (t?.medianMs ?? Number.NaN) * 1e6 };
    return c.name.startsWith('staffgate') ? { ...row, vs: [DEPS] } : row;
  });
  report('Cold import() in a fresh process (wall time; ratio to importing the runtime dependencies)', rows);
  console.log('  ("staffgate after its deps" = the import of staffgate in a process that already loaded its dependencies)');
  const deps = timings.get(DEPS);
  const root = timings.get('staffgate');
  if (deps && root) {
    const ratio = root.medianMs / deps.medianMs;
    target(`staffgate (root) ≤ ${String(BUDGET.rootRatio)}x its runtime dependencies, medians (${ratio.toFixed(2)}x; CPU ${(root.cpuMs / deps.cpuMs).toFixed(2)}x)`, ratio <= BUDGET.rootRatio);
  }
  for (const entry of LIGHT_ENTRIES) {
    const t = timings.get(`staffgate/${entry}`);
    if (t) target(`staffgate/${entry} < ${String(BUDGET.lightEntryMs)} ms, median (${t.medianMs.toFixed(1)} ms)`, t.medianMs < BUDGET.lightEntryMs);
  }
}

function main(): number {
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    console.error('dist/ is missing: run `npm run build` first');
    return 1;
  }
  const depSpecs = RUNTIME_DEPS.map((d) => (d === '@noble/hashes' ? '@noble/hashes/sha2.js' : d));
  const floorDir = mkdtempSync(join(tmpdir(), 'staffgate-footprint-'));
  const floor = join(floorDir, 'floor.mjs');
  writeFileSync(floor, 'export default 1;\n');

  const cases: ImportCase[] = [
    { name: 'a one-line module (floor)', specifiers: [pathToFileURL(floor).href] },
    ...depSpecs.map((s) => ({ name: s, specifiers: [s] })),
    { name: 'runtime deps together', specifiers: depSpecs },
    { name: 'staffgate', specifiers: ['staffgate'] },
    { name: 'staffgate after its deps', specifiers: [...depSpecs, 'staffgate'], onlyLast: true },
    ...subpathEntries().map((e) => ({ name: `staffgate/${e}`, specifiers: [`staffgate/${e}`] })),
  ];
  try {
    const timings = measureImports(cases, `Cold import in a fresh Node ${process.version} process: ${RUNS} runs of ${cases.length} cases…`);
    printTimings(cases, timings);
  } finally {
    rmSync(floorDir, { recursive: true, force: true });
  }
  return 0;
}

process.exitCode = main();
