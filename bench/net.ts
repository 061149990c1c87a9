// Benchmark of compiled IP rules against peers. Not a test: run it by hand.
//
//   npx tsx --expose-gc bench/net.ts     (add --quick for a shorter run)
//
// For 10, 1,000 and 100,000 mixed rules (IPv4 and IPv6 addresses, CIDRs and ranges) it
// times `contains(string)` next to Node's net.BlockList, an ipaddr.js parse + loop of
// `.match()`, and casbin's ipMatch (10 and 1,000 rules only: it re-parses each rule per call).
// Every peer is first checked to give the same answer as staffgate on every lookup input.
// Peers without ranges (ipaddr.js, casbin) get each range as its exact CIDR decomposition.

import { BlockList } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Util } from 'casbin';
import ipaddr from 'ipaddr.js';
import { compileIpRules } from 'staffgate/net';
import { prng } from './harness.js';

const quick = process.argv.includes('--quick');

// ---- deterministic inputs -----------------------------------------------------------------


interface Rule {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  text: string;
  kind: 'address' | 'cidr' | 'range';
}

const V4_BITS = 32n;
const V6_BITS = 128n;

function v4Text(x: bigint): string {
  const n = Number(x);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function v6Text(x: bigint): string {
  const groups: string[] = [];
  for (let k = 7; k >= 0; k--) groups.push(((x >> BigInt(16 * k)) & 0xffffn).toString(16));
  return groups.join(':');
}

function text(family: 4 | 6, x: bigint): string {
  return family === 4 ? v4Text(x) : v6Text(x);
}

function randomBits(rand: () => number, bits: number): bigint {
  let x = 0n;
  for (let i = 0; i < bits; i += 16) x = (x << 16n) | BigInt(Math.floor(rand() * 65536));
  return x & ((1n << BigInt(bits)) - 1n);
}

// Public-looking space: IPv4 in 1.0.0.0–223.255.255.255, IPv6 in 2000::/3 (no mapped or special blocks).
function randomAddress(rand: () => number, family: 4 | 6): bigint {
  if (family === 4) return BigInt(0x01000000 + Math.floor(rand() * (0xdf000000 - 0x01000000)));
  return (0x2n << 124n) | randomBits(rand, 125);
}

function makeRules(count: number, seed: number): Rule[] {
  const rand = prng(seed);
  const rules: Rule[] = [];
  for (let i = 0; i < count; i++) {
    const family: 4 | 6 = rand() < 0.6 ? 4 : 6;
    const bits = family === 4 ? V4_BITS : V6_BITS;
    const base = randomAddress(rand, family);
    const pick = rand();
    if (pick < 0.4) {
      rules.push({ family, first: base, last: base, text: text(family, base), kind: 'address' });
    } else if (pick < 0.8) {
      const prefix = family === 4 ? 16 + Math.floor(rand() * 15) : 32 + Math.floor(rand() * 33);
      const host = bits - BigInt(prefix);
      const first = (base >> host) << host;
      const last = first | ((1n << host) - 1n);
      rules.push({ family, first, last, text: `${text(family, first)}/${prefix}`, kind: 'cidr' });
    } else {
      const width = BigInt(1 + Math.floor(rand() * 255));
      const last = base + width;
      rules.push({ family, first: base, last, text: `${text(family, base)}-${text(family, last)}`, kind: 'range' });
    }
  }
  return rules;
}

/** Exact CIDR cover of [first, last], for peers without ranges. */
function toCidrs(family: 4 | 6, first: bigint, last: bigint): string[] {
  const bits = family === 4 ? V4_BITS : V6_BITS;
  const out: string[] = [];
  let cur = first;
  while (cur <= last) {
    let size = 0n;
    while (size < bits && (cur & ((1n << (size + 1n)) - 1n)) === 0n && cur + (1n << (size + 1n)) - 1n <= last) size++;
    out.push(`${text(family, cur)}/${bits - size}`);
    cur += 1n << size;
  }
  return out;
}

function makeLookups(rules: readonly Rule[], count: number, seed: number): string[] {
  const rand = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const rule = rules[Math.floor(rand() * rules.length)]!;
    if (rand() < 0.5) {
      // inside a rule (sometimes an edge)
      const span = rule.last - rule.first;
      const offset = span === 0n ? 0n : randomBits(rand, 128) % (span + 1n);
      out.push(text(rule.family, rule.first + offset));
    } else {
      out.push(text(rule.family, randomAddress(rand, rule.family)));
    }
  }
  return out;
}

// ---- peers --------------------------------------------------------------------------------

type Check = (ip: string) => boolean;

function blockListPeer(rules: readonly Rule[]): Check {
  const list = new BlockList();
  for (const r of rules) {
    const type = r.family === 4 ? 'ipv4' : 'ipv6';
    if (r.kind === 'address') list.addAddress(text(r.family, r.first), type);
    else if (r.kind === 'range') list.addRange(text(r.family, r.first), text(r.family, r.last), type);
    else list.addSubnet(text(r.family, r.first), Number((r.family === 4 ? V4_BITS : V6_BITS) - bitCount(r.last - r.first)), type);
  }
  return (ip) => list.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
}

function bitCount(span: bigint): bigint {
  let n = 0n;
  while (span > 0n) {
    n++;
    span >>= 1n;
  }
  return n;
}

function cidrList(rules: readonly Rule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    if (r.kind === 'range') out.push(...toCidrs(r.family, r.first, r.last));
    else out.push(r.text.includes('/') ? r.text : `${r.text}/${r.family === 4 ? 32 : 128}`);
  }
  return out;
}

function ipaddrPeer(cidrs: readonly string[]): Check {
  const v4: [ipaddr.IPv4, number][] = [];
  const v6: [ipaddr.IPv6, number][] = [];
  for (const c of cidrs) {
    const parsed = ipaddr.parseCIDR(c);
    if (parsed[0].kind() === 'ipv4') v4.push(parsed as [ipaddr.IPv4, number]);
    else v6.push(parsed as [ipaddr.IPv6, number]);
  }
  return (ip) => {
    const addr = ipaddr.parse(ip);
    if (addr.kind() === 'ipv4') {
      const a = addr as ipaddr.IPv4;
      for (const r of v4) if (a.match(r)) return true;
    } else {
      const a = addr as ipaddr.IPv6;
      for (const r of v6) if (a.match(r)) return true;
    }
    return false;
  };
}

function casbinPeer(cidrs: readonly string[]): Check {
  return (ip) => {
    for (const c of cidrs) if (Util.ipMatchFunc(ip, c)) return true;
    return false;
  };
}

// ---- timing -------------------------------------------------------------------------------

let sink = 0;

/**
 * Median nanoseconds per lookup over `rounds` rounds of `batch` lookups. Measured in CPU time
 * of this process (process.cpuUsage), not wall time, so other work on a shared machine does
 * not count against whichever candidate happened to run while it was busy.
 */
function time(check: Check, lookups: readonly string[], batch: number, rounds: number): number {
  const samples: number[] = [];
  let k = 0;
  for (let warm = 0; warm < Math.min(3, rounds); warm++) {
    for (let i = 0; i < batch; i++) if (check(lookups[(k++) % lookups.length]!)) sink++;
  }
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < batch; i++) if (check(lookups[(k++) % lookups.length]!)) sink++;
    const c = process.cpuUsage(c0);
    samples.push(((c.user + c.system) * 1e3) / batch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function format(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function agree(name: string, ours: Check, peer: Check, lookups: readonly string[]): void {
  let mismatches = 0;
  for (const ip of lookups) if (ours(ip) !== peer(ip)) mismatches++;
  if (mismatches > 0) throw new Error(`${name} disagrees with staffgate on ${mismatches} of ${lookups.length} lookups`);
}

// ---- run ----------------------------------------------------------------------------------

const sizes = quick ? [10, 1_000, 10_000] : [10, 1_000, 100_000];
const rows: string[][] = [['rules', 'staffgate', 'net.BlockList', 'ipaddr.js loop', 'casbin ipMatch', 'compile']];

for (const size of sizes) {
  const rules = makeRules(size, size);
  const lookups = makeLookups(rules, 2048, size + 1);
  const entries = rules.map((r) => r.text);

  if (typeof globalThis.gc === 'function') globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const compiled = compileIpRules(entries);
  const compileCpu = process.cpuUsage(c0);
  const compileMs = performance.now() - t0;
  const heapAfter = process.memoryUsage().heapUsed;
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const grossMb = (heapAfter - heapBefore) / 2 ** 20;
  const ours: Check = compiled.contains;

  const hits = lookups.filter(ours).length;
  const cidrs = cidrList(rules);
  const peers: { name: string; check: Check; costly: boolean }[] = [
    { name: 'net.BlockList', check: blockListPeer(rules), costly: size >= 100_000 },
    { name: 'ipaddr.js loop', check: ipaddrPeer(cidrs), costly: size >= 100_000 },
  ];
  if (size <= 1_000) peers.push({ name: 'casbin ipMatch', check: casbinPeer(cidrs), costly: size >= 1_000 });

  const ourNs = time(ours, lookups, 8192, quick ? 15 : 41);
  const cells = [size.toLocaleString('en'), format(ourNs)];
  for (const name of ['net.BlockList', 'ipaddr.js loop', 'casbin ipMatch']) {
    const peer = peers.find((p) => p.name === name);
    if (!peer) {
      cells.push('—');
      continue;
    }
    // A slow peer is checked and timed on the same first 128 inputs; the others on all of them.
    const inputs = peer.costly ? lookups.slice(0, 128) : lookups;
    agree(name, ours, peer.check, inputs);
    const ns = peer.costly ? time(peer.check, inputs, 8, quick ? 3 : 7) : time(peer.check, inputs, size >= 1_000 ? 256 : 4096, quick ? 9 : 21);
    cells.push(`${format(ns)} (${(ns / ourNs).toFixed(0)}×)`);
  }
  cells.push(
    `${((compileCpu.user + compileCpu.system) / 1000).toFixed(0)} ms CPU (${compileMs.toFixed(0)} ms wall), heap ${retainedMb.toFixed(1)} MB kept / ${grossMb.toFixed(1)} MB before GC`,
  );
  rows.push(cells);
  console.log(
    `${size} rules: ${entries.length} entries (${cidrs.length} CIDRs for range-less peers), ${hits}/${lookups.length} lookups inside; all peers agree`,
  );
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
console.log('');
console.log('median CPU time per contains(string) call; (N×) = how many times slower than staffgate');
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
console.log('');
console.log(`targets: ≤ 300 ns at 1,000 rules, ≤ 500 ns at 100,000; compile 100,000 rules < 1 s and < 100 MB heap${quick ? ' (quick run: 10,000 instead of 100,000)' : ''}`);
if (sink < 0) console.log(sink);
