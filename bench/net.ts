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
import { compare, formatNs, prng, report, target, type Case } from './harness.js';

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

/** A case that checks the lookups in turn, one per call. */
function lookupCase(name: string, check: Check, lookups: readonly string[], vs?: readonly string[]): Case {
  let k = 0;
  const fn = (): void => {
    if (check(lookups[k++ % lookups.length]!)) sink++;
  };
  return vs ? { name, fn, vs } : { name, fn };
}

function agree(name: string, ours: Check, peer: Check, lookups: readonly string[]): void {
  let mismatches = 0;
  for (const ip of lookups) if (ours(ip) !== peer(ip)) mismatches++;
  if (mismatches > 0) throw new Error(`${name} disagrees with staffgate on ${mismatches} of ${lookups.length} lookups`);
}

// ---- run ----------------------------------------------------------------------------------

const sizes = quick ? [10, 1_000, 10_000] : [10, 1_000, 100_000];
const STAFFGATE = 'staffgate compileIpRules(...).contains';
const figures = new Map<number, number>();

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
  // A slow peer is checked and timed on the same first 128 inputs; the others on all of them.
  const peers: { name: string; check: Check; inputs: readonly string[] }[] = [
    { name: 'net.BlockList', check: blockListPeer(rules), inputs: size >= 100_000 ? lookups.slice(0, 128) : lookups },
    { name: 'ipaddr.js parse + .match() loop', check: ipaddrPeer(cidrs), inputs: size >= 100_000 ? lookups.slice(0, 128) : lookups },
  ];
  if (size <= 1_000) peers.push({ name: 'casbin ipMatch loop', check: casbinPeer(cidrs), inputs: size >= 1_000 ? lookups.slice(0, 128) : lookups });
  for (const peer of peers) agree(peer.name, ours, peer.check, peer.inputs);

  console.log(
    `\n${size} rules: ${entries.length} entries (${cidrs.length} CIDRs for range-less peers), ${hits}/${lookups.length} lookups inside; all peers agree`,
  );
  console.log(
    `  compile: ${((compileCpu.user + compileCpu.system) / 1000).toFixed(0)} ms CPU (${compileMs.toFixed(0)} ms wall), heap ${retainedMb.toFixed(1)} MB kept / ${grossMb.toFixed(1)} MB before GC`,
  );
  const rows = compare(
    [lookupCase(STAFFGATE, ours, lookups, peers.map((p) => p.name)), ...peers.map((p) => lookupCase(p.name, p.check, p.inputs))],
    { rounds: quick ? 5 : 15 },
  );
  report(`contains(string) with ${size.toLocaleString('en')} rules (CPU time per call; ratio to each peer)`, rows);
  figures.set(size, rows[0]?.ns ?? Number.NaN);
  if (size === 100_000) {
    target(`compile 100,000 rules < 1 s and < 100 MB heap`, compileMs < 1_000 && retainedMb < 100);
  }
}

console.log('');
target(`≤ 300 ns per lookup at 1,000 rules (${formatNs(figures.get(1_000) ?? Number.NaN)})`, (figures.get(1_000) ?? Number.POSITIVE_INFINITY) <= 300);
if (!quick) target(`≤ 500 ns per lookup at 100,000 rules (${formatNs(figures.get(100_000) ?? Number.NaN)})`, (figures.get(100_000) ?? Number.POSITIVE_INFINITY) <= 500);
if (sink < 0) console.log(sink);
