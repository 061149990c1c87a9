import { parseIpEntry } from '../net/index.js';

interface Interval {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

function intervals(entries: readonly string[]): Interval[] {
  const out: Interval[] = [];
  for (const entry of entries) {
    const info = parseIpEntry(entry);
    if (info.ok) out.push({ family: info.family, first: info.firstValue, last: info.lastValue });
  }
  return out;
}

/**
 * True when the `after` entries cover an address that the `before` entries do not, i.e. the
 * allowlist change lets someone in who was kept out before.
 */
export function ipCoverageGrows(before: readonly string[], after: readonly string[]): boolean {
  // Settings arrays are frozen and shared, so per-request resolution hits this cache.
  let inner = cache.get(before);
  if (!inner) cache.set(before, (inner = new WeakMap()));
  let grows = inner.get(after);
  if (grows === undefined) inner.set(after, (grows = computeGrows(before, after)));
  return grows;
}

const cache = new WeakMap<readonly string[], WeakMap<readonly string[], boolean>>();

function computeGrows(before: readonly string[], after: readonly string[]): boolean {
  const old = intervals(before).sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  for (const range of intervals(after)) {
    // Walk the sorted old intervals, pushing the first uncovered address forward.
    let next = range.first;
    for (const o of old) {
      if (o.family !== range.family || o.last < next) continue;
      if (o.first > next) break;
      next = o.last + 1n;
      if (next > range.last) break;
    }
    if (next <= range.last) return true;
  }
  return false;
}
