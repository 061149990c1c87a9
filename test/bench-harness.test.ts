// The bench harness (bench/harness.ts) is not shipped, but the figures of every issue's speed
// target come from it: what it counts must be what the benches say it counts.
import { describe, expect, it } from 'vitest';
import { compare, formatRatio, report } from '../bench/harness.js';

/** Burns about `ms` of CPU time. */
function burn(ms: number): number {
  const { user, system } = process.cpuUsage();
  const start = (user + system) / 1000;
  let x = 0;
  for (;;) {
    for (let i = 0; i < 1_000; i++) x = (x * 31 + i) | 0;
    const now = process.cpuUsage();
    if ((now.user + now.system) / 1000 - start >= ms) return x;
  }
}

describe('bench harness', () => {
  it('does not count the setup of a pass, only the pass', () => {
    const [row] = compare([{ name: 'cheap pass, costly setup', ops: 1, setup: () => (burn(4), () => burn(0.5)) }], { rounds: 3, roundMs: 5 });
    expect(row?.ns).toBeGreaterThan(0.3e6);
    expect(row?.ns).toBeLessThan(3e6);
  });

  it('reports the fastest round as the figure, never above the median', () => {
    const rows = compare([{ name: 'a', fn: () => burn(0.05) }, { name: 'b', fn: () => burn(0.2), vs: ['a'] }], { rounds: 5, roundMs: 4 });
    for (const r of rows) expect(r.ns).toBeLessThanOrEqual(r.median);
    expect((rows[1]?.ns ?? 0) / (rows[0]?.ns ?? 1)).toBeGreaterThan(2);
  });

  it('refuses a peer that is not in the table', () => {
    expect(() => {
      report('t', [{ name: 'a', ns: 1, median: 1, vs: ['nobody'] }]);
    }).toThrow(/no row named nobody/);
  });

  it('writes a large speed-up as a fraction', () => {
    expect(formatRatio(1.234)).toBe('1.23x');
    expect(formatRatio(1 / 171)).toBe('1/171');
  });
});
