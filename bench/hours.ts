// Benchmark of login-hours checks against luxon. Not a test: run it by hand.
//
//   npx tsx bench/hours.ts            (add --quick for a shorter run)
//
// isWithinLoginHours looks the instant's UTC offset up in a cached per-zone table and does
// arithmetic; the peer is one luxon conversion, DateTime.fromMillis(ms, { zone }), which is
// what a direct implementation pays per check before it even compares times. Instants rotate
// through 4,096 seeded random instants in 2024–2025, in four zones with DST (London,
// New York, Lord Howe, Kathmandu). Every check is first verified to agree with luxon.

import { DateTime } from 'luxon';
import { compileLoginHours, isWithinLoginHours, nextLoginWindow, type CompiledLoginHours } from 'staffgate/hours';
import { referenceIsWithinLoginHours } from '../src/testing/hours.js';
import { compare, prng, report } from './harness.js';

const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 15;


const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
const schedules = zones.map((timezone) => ({
  timezone,
  windows: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start: '08:00', end: '18:00' },
    { days: ['sat'] as const, start: '22:00', end: '06:00' },
  ].map((w) => ({ ...w, days: [...w.days] })),
}));
const compiled: CompiledLoginHours[] = schedules.map((s) => compileLoginHours(s));

const N = 4096;
const random = prng(0xb0a7);
const from = Date.UTC(2024, 0, 1);
const span = Date.UTC(2026, 0, 1) - from;
const instants = Array.from({ length: N }, () => from + Math.floor(random() * span));
const isoInstants = instants.map((t) => new Date(t).toISOString());

// Same answers first: a benchmark of a wrong implementation is worthless.
for (let i = 0; i < N; i++) {
  const z = i & 3;
  const at = instants[i]!;
  if (isWithinLoginHours(compiled[z]!, at) !== referenceIsWithinLoginHours(schedules[z]!, at)) {
    throw new Error(`disagreement with luxon at ${zones[z]} ${new Date(at).toISOString()}`);
  }
}

let i = 0;
let sink = 0;
const LUXON = 'luxon DateTime.fromMillis(ms, { zone }) (one conversion)';
const CHECK = 'luxon-based check (conversion + window test)';
const rows = compare(
  [
    { name: 'staffgate isWithinLoginHours(compiled, ms)', vs: [LUXON, CHECK], fn: () => {
      i = (i + 1) & (N - 1);
      if (isWithinLoginHours(compiled[i & 3]!, instants[i]!)) sink++;
    } },
    { name: 'staffgate isWithinLoginHours(compiled, isoString)', vs: [LUXON], fn: () => {
      i = (i + 1) & (N - 1);
      if (isWithinLoginHours(compiled[i & 3]!, isoInstants[i]!)) sink++;
    } },
    { name: LUXON, fn: () => {
      i = (i + 1) & (N - 1);
      sink += DateTime.fromMillis(instants[i]!, { zone: zones[i & 3]! }).minute;
    } },
    { name: CHECK, fn: () => {
      i = (i + 1) & (N - 1);
      if (referenceIsWithinLoginHours(schedules[i & 3]!, instants[i]!)) sink++;
    } },
    { name: 'staffgate nextLoginWindow(compiled, ms)', vs: [LUXON], fn: () => {
      i = (i + 1) & (N - 1);
      if (nextLoginWindow(compiled[i & 3]!, instants[i]!) !== null) sink++;
    } },
    { name: 'staffgate compileLoginHours (2 windows, cached zone)', vs: [LUXON], fn: () => {
      i = (i + 1) & (N - 1);
      sink += compileLoginHours(schedules[i & 3]!).openMinutesPerWeek;
    } },
  ],
  { rounds },
);

report('login hours: one check (CPU time per call; ratio to one luxon conversion)', rows);
const [within, , luxon] = rows;
if (within !== undefined && luxon !== undefined) {
  console.log(`\n  isWithinLoginHours costs 1/${(luxon.ns / within.ns).toFixed(0)} of one luxon zone conversion.`);
}

// Cold cost: the first check of an instant in a new 49-day table chunk samples Intl once per
// UTC day and bisects each offset change. Measured over zones not used above.
const coldZones = Intl.supportedValuesOf('timeZone').filter((z) => z.startsWith('America/')).slice(0, quick ? 20 : 80);
const cold: number[] = [];
for (const timezone of coldZones) {
  const hours = compileLoginHours({ timezone, windows: [{ days: ['mon'], start: '08:00', end: '18:00' }] });
  const t0 = performance.now();
  if (isWithinLoginHours(hours, Date.UTC(2024, 2, 10, 12))) sink++;
  cold.push((performance.now() - t0) * 1e3);
}
cold.sort((a, b) => a - b);
console.log(`  first check in a new zone and table chunk (table build): median ${(cold[cold.length >> 1] ?? Number.NaN).toFixed(0)} µs over ${cold.length} zones`);
if (sink === -1) console.log(sink);
