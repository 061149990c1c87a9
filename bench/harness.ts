// The one benchmark harness of bench/. Every bench times its cases with `compare` (or
// `compareAsync` for calls that wait on a server) and prints them with `report`, which also
// hands each figure and its peer to `npm run bench` (bench/all.ts) for the one summary table.
// Not a test: numbers vary with the machine and its load.
//
// Why our own and not tinybench or mitata: the machines this runs on are shared, so the steady
// figure is the CPU time of this process (process.cpuUsage), which neither reports; cases must
// be interleaved round by round so a neighbour's burst lands on all of them alike; and the mail
// bench needs an untimed setup before every timed pass (a fresh JSON.parse of its messages),
// which tinybench's per-cycle hooks do not give and mitata has no CPU clock for. That is ~150
// lines and no dependency.

import { appendFileSync } from 'node:fs';
import { seededRandom } from '../src/testing/random.js';

/** A case timed call by call: `fn` runs in batches sized to the round. */
export interface CallCase {
  readonly name: string;
  readonly fn: () => unknown;
  /** Names of the rows this one is compared with (ratio = this row's time / that row's). */
  readonly vs?: readonly string[];
}

/**
 * A case timed pass by pass: `setup` runs untimed before every pass and returns the pass,
 * which is timed alone; `ops` is how many operations one pass does (messages, lookups).
 */
export interface PassCase {
  readonly name: string;
  readonly setup: () => () => unknown;
  readonly ops: number;
  readonly vs?: readonly string[];
}

export type Case = CallCase | PassCase;

export interface Measurement {
  readonly name: string;
  /** Fastest round, nanoseconds per operation: the figure the ratios use. */
  readonly ns: number;
  /** Median round, nanoseconds per operation. */
  readonly median: number;
  readonly vs?: readonly string[];
}

export interface CompareOptions {
  /** Interleaved rounds per case (default 15). */
  readonly rounds?: number;
  /** Target length of one round in milliseconds of the clock (default 20). */
  readonly roundMs?: number;
  /** `cpu` (default): this process's CPU time, steady on a shared machine. `wall`: elapsed. */
  readonly clock?: 'cpu' | 'wall';
}

/** Milliseconds by the chosen clock. */
function clockOf(kind: 'cpu' | 'wall'): () => number {
  if (kind === 'wall') return () => performance.now();
  return () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
}

interface Runner {
  /** Runs one round; returns [clock ms, operations]. */
  round(): [number, number];
}

function callRunner(c: CallCase, now: () => number, roundMs: number): Runner {
  let n = 1;
  for (;;) {
    const t = now();
    for (let i = 0; i < n; i++) c.fn();
    const ms = now() - t;
    if (ms >= roundMs / 4) {
      n = Math.max(1, Math.ceil((n * roundMs) / Math.max(ms, 1e-3)));
      break;
    }
    n *= 2;
  }
  return {
    round() {
      const t = now();
      for (let i = 0; i < n; i++) c.fn();
      return [now() - t, n];
    },
  };
}

function passRunner(c: PassCase, now: () => number, roundMs: number): Runner {
  const round = (): [number, number] => {
    let timed = 0;
    let passes = 0;
    while (timed < roundMs || passes === 0) {
      const pass = c.setup();
      const t = now();
      pass();
      timed += now() - t;
      passes++;
    }
    return [timed, passes * c.ops];
  };
  round(); // warm up
  return { round };
}

function summarise(name: string, samples: number[], vs: readonly string[] | undefined): Measurement {
  samples.sort((a, b) => a - b);
  return { name, ns: samples[0] ?? Number.NaN, median: samples[Math.floor(samples.length / 2)] ?? Number.NaN, ...(vs ? { vs } : {}) };
}

/** Times every case in interleaved rounds (order rotated each round); fastest and median round. */
export function compare(cases: readonly Case[], options: CompareOptions = {}): Measurement[] {
  const rounds = options.rounds ?? 15;
  const roundMs = options.roundMs ?? 20;
  const now = clockOf(options.clock ?? 'cpu');
  const runners = cases.map((c) => ('setup' in c ? passRunner(c, now, roundMs) : callRunner(c, now, roundMs)));
  const samples = cases.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + r) % cases.length;
      const [ms, ops] = runners[i]?.round() ?? [Number.NaN, 1];
      samples[i]?.push((ms * 1e6) / ops);
    }
  }
  return cases.map((c, i) => summarise(c.name, samples[i] ?? [], c.vs));
}

export interface AsyncCase {
  readonly name: string;
  readonly fn: () => Promise<unknown>;
  readonly vs?: readonly string[];
}

/**
 * Times async cases, each call awaited before the next (a round trip cannot be batched away),
 * in wall time (waiting on a server is the cost), in interleaved rounds of `batch` calls.
 */
export async function compareAsync(cases: readonly AsyncCase[], options: { rounds?: number; batch?: number } = {}): Promise<Measurement[]> {
  const rounds = options.rounds ?? 15;
  const batch = options.batch ?? 40;
  for (const c of cases) for (let i = 0; i < batch; i++) await c.fn();
  const samples = cases.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + r) % cases.length;
      const c = cases[i];
      if (c === undefined) continue;
      const t = performance.now();
      for (let j = 0; j < batch; j++) await c.fn();
      samples[i]?.push(((performance.now() - t) * 1e6) / batch);
    }
  }
  return cases.map((c, i) => summarise(c.name, samples[i] ?? [], c.vs));
}

/** Nanoseconds as a short figure: 412 ns, 3.10 µs, 1.25 ms. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(ns < 10 ? 1 : 0)} ns`;
}

/** A ratio of two times: 1.32x, or 1/171 when the first is much the smaller. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  if (ratio < 0.1) return `1/${(1 / ratio).toFixed(0)}`;
  return `${ratio.toFixed(2)}x`;
}

/** What bench/all.ts collects: one line per figure beside one peer, or per target. */
export type SummaryLine =
  | { readonly kind: 'ratio'; readonly bench: string; readonly table: string; readonly figure: string; readonly peer: string; readonly ns: number; readonly peerNs: number }
  | { readonly kind: 'target'; readonly bench: string; readonly text: string; readonly met: boolean };

const SUMMARY_FILE = process.env.STAFFGATE_BENCH_SUMMARY;
const BENCH = (process.argv[1] ?? '').split('/').pop()?.replace(/\.ts$/, '') ?? '';

function emit(line: SummaryLine): void {
  if (SUMMARY_FILE) appendFileSync(SUMMARY_FILE, `${JSON.stringify(line)}\n`);
}

/**
 * Prints a table: each row's fastest and median round, and its ratio (time ÷ time) to each row
 * named in its `vs`, or, in a table where no row names one, to the first row. The `vs` pairs go to the summary.
 */
export function report(title: string, rows: readonly Measurement[]): void {
  const byName = new Map(rows.map((r) => [r.name, r]));
  // A table whose rows name their peers shows only those ratios; one that names none compares
  // every row with the first.
  const first = rows.some((r) => r.vs) ? undefined : rows[0];
  console.log(`\n${title}`);
  console.log(`  ${'case'.padEnd(54)} ${'fastest'.padStart(10)} ${'median'.padStart(10)}  ratio`);
  for (const r of rows) {
    const peers = r.vs ?? (first && first !== r ? [first.name] : []);
    const ratios = peers.map((p) => {
      const peer = byName.get(p);
      if (peer === undefined) throw new Error(`${r.name}: no row named ${p}`);
      if (r.vs) emit({ kind: 'ratio', bench: BENCH, table: title, figure: r.name, peer: p, ns: r.ns, peerNs: peer.ns });
      return `${formatRatio(r.ns / peer.ns)} ${p}`;
    });
    console.log(`  ${r.name.padEnd(54)} ${formatNs(r.ns).padStart(10)} ${formatNs(r.median).padStart(10)}  ${ratios.join('; ')}`);
  }
}

/** Prints a target of an issue and whether it is met; the summary repeats it. */
export function target(text: string, met: boolean): void {
  console.log(`  target: ${text}: ${met ? 'met' : 'NOT met'}`);
  emit({ kind: 'target', bench: BENCH, text, met });
}

/** A seeded pseudo-random source (mulberry32), so benchmark inputs are the same on every run. */
export const prng = seededRandom;
