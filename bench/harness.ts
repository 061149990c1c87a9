// A small benchmark harness shared by the plain-script benchmarks in bench/. Each case runs
// in batches; the figure is the median time per call over the batches, so a neighbour process
// stealing the CPU for a moment moves the mean but not the median. Not a test.

import { seededRandom } from '../src/testing/random.js';

export interface Measurement {
  readonly name: string;
  /** Median nanoseconds per call. */
  readonly ns: number;
}

/** Median ns per call of `fn`, over batches of `batch` calls for about `ms` milliseconds. */
export function measure(name: string, fn: () => unknown, options: { batch?: number; ms?: number } = {}): Measurement {
  const batch = options.batch ?? 1_000;
  const budget = options.ms ?? 500;
  for (let i = 0; i < batch * 2; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < budget || samples.length < 5) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push(((performance.now() - t0) * 1e6) / batch);
  }
  samples.sort((a, b) => a - b);
  return { name, ns: samples[Math.floor(samples.length / 2)] ?? Number.NaN };
}

/**
 * Median ns per call of an async `fn`, each call awaited before the next (a round trip to a
 * server cannot be batched away), over batches of `batch` calls for about `ms` milliseconds.
 */
export async function measureAsync(name: string, fn: () => Promise<unknown>, options: { batch?: number; ms?: number } = {}): Promise<Measurement> {
  const batch = options.batch ?? 50;
  const budget = options.ms ?? 1_000;
  for (let i = 0; i < batch; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < budget || samples.length < 5) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    samples.push(((performance.now() - t0) * 1e6) / batch);
  }
  samples.sort((a, b) => a - b);
  return { name, ns: samples[Math.floor(samples.length / 2)] ?? Number.NaN };
}

/** Prints a table of measurements with each one's ratio to the first row. */
export function report(title: string, rows: readonly Measurement[]): void {
  const base = rows[0]?.ns ?? Number.NaN;
  console.log(`\n${title}`);
  console.log(`  ${'case'.padEnd(52)} ${'ns/op'.padStart(10)} ${'ops/s'.padStart(13)} ${'ratio'.padStart(8)}`);
  for (const r of rows) {
    const ops = Math.round(1e9 / r.ns).toLocaleString('en-US');
    console.log(`  ${r.name.padEnd(52)} ${r.ns.toFixed(1).padStart(10)} ${ops.padStart(13)} ${`${(r.ns / base).toFixed(2)}x`.padStart(8)}`);
  }
}

/** A seeded pseudo-random source (mulberry32), so benchmark inputs are the same on every run. */
export const prng = seededRandom;
