// What a host pays to load staffgate: cold import time in fresh Node processes and the
// minified + gzipped size of each entry point. Not a test: run it by hand after a build.
//
//   npm run build && npx tsx bench/footprint.ts            (--runs 21 for steadier times,
//                                                          --check to exit 1 on a size or
//                                                          dependency budget miss,
//                                                          --sizes-only to skip the timings)
//
// Import time: each case runs in a new `node` process (no tsx, no NODE_OPTIONS), which times
// only the dynamic import() itself, `runs` times, cases interleaved so a noisy neighbour hits
// them all alike. Reported: median and fastest wall time, and the median CPU time of the
// process during the import (less sensitive to other processes on a shared machine).
// Sizes: esbuild bundles of the built dist/ entries (platform browser, as Workers bundlers do),
// minified, gzip level 9; "own" leaves every dependency out.
// Dependency chains: esbuild metafiles of src/, so a heavy dependency in a light entry is
// reported with the exact import chain that brings it in.
// zod vs zod/mini: one settings schema written in both, timed in Node and bundled.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 9;
const CHECK = args.includes('--check');
const SIZES_ONLY = args.includes('--sizes-only');

const ENTRIES = ['net', 'apikeys', 'mail', 'access', 'hours', 'otp', 'login', 'policy'] as const;
const RUNTIME_DEPS = ['zod', 'otplib', 'luxon', 'ipaddr.js', '@noble/hashes'] as const;
/** Packages an IP-only or API-key-only middleware must not load. */
const HEAVY = ['luxon', 'otplib', 'zod'] as const;
const LIGHT_ENTRIES: readonly string[] = ['net', 'apikeys'];
const BUDGET = { rootRatio: 1.3, lightEntryMs: 25, ownGzipBytes: 15 * 1024 } as const;

// ---- import time ----------------------------------------------------------------------------

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

// ---- sizes ----------------------------------------------------------------------------------

interface SizeRow {
  readonly name: string;
  readonly minBytes: number;
  readonly gzipBytes: number;
  readonly ownGzipBytes: number;
  /** Bytes each dependency contributes to the minified bundle. */
  readonly deps: ReadonlyMap<string, number>;
}

function packageOf(path: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match?.[1];
}

async function bundle(entry: string, external: boolean): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    outdir: join(root, '.footprint-out'),
    absWorkingDir: root,
    logLevel: 'silent',
    ...(external ? { packages: 'external' as const } : {}),
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error(`no output for ${entry}`);
  return { code: js.text, metafile: result.metafile };
}

function gzip(text: string): number {
  return gzipSync(Buffer.from(text), { level: 9 }).length;
}

async function measureSize(name: string, distFile: string): Promise<SizeRow> {
  const entry = join(root, 'dist', distFile);
  const full = await bundle(entry, false);
  const own = await bundle(entry, true);
  const deps = new Map<string, number>();
  for (const output of Object.values(full.metafile.outputs)) {
    for (const [path, info] of Object.entries(output.inputs)) {
      const pkg = packageOf(path);
      if (pkg) deps.set(pkg, (deps.get(pkg) ?? 0) + info.bytesInOutput);
    }
  }
  return { name, minBytes: full.code.length, gzipBytes: gzip(full.code), ownGzipBytes: gzip(own.code), deps };
}

/** Minified bytes of staffgate's own code per src/ folder, largest first. */
async function ownCodeByFolder(): Promise<Map<string, number>> {
  const { metafile } = await bundle(join(root, 'src', 'index.ts'), true);
  const folders = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, info] of Object.entries(output.inputs)) {
      const folder = path.split('/').slice(1, 2).join('/').replace(/\.ts$/, '');
      folders.set(folder, (folders.get(folder) ?? 0) + info.bytesInOutput);
    }
  }
  return new Map([...folders.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]));
}

// ---- import chains --------------------------------------------------------------------------

/** The shortest chain of imports from `entry` to package `pkg` in src/, or null. */
function chainTo(metafile: Metafile, entry: string, pkg: string): string[] | null {
  const start = relative(root, entry);
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const imp of metafile.inputs[current]?.imports ?? []) {
      const target = imp.path;
      if (imp.external && (target === pkg || target.startsWith(`${pkg}/`))) {
        const chain = [target];
        for (let at: string | null = current; at !== null; at = previous.get(at) ?? null) chain.unshift(at);
        return chain;
      }
      if (!imp.external && !previous.has(target)) {
        previous.set(target, current);
        queue.push(target);
      }
    }
  }
  return null;
}

/** Every runtime dependency a src/ entry imports, with the chain that imports it. */
async function srcChains(cap: string): Promise<Map<string, string[]>> {
  const entry = join(root, 'src', cap, 'index.ts');
  const { metafile } = await bundle(entry, true);
  const chains = new Map<string, string[]>();
  for (const pkg of RUNTIME_DEPS) {
    const chain = chainTo(metafile, entry, pkg);
    if (chain) chains.set(pkg, chain);
  }
  return chains;
}

// ---- zod vs zod/mini ------------------------------------------------------------------------

// One settings schema of the shape of AccountPolicy (strict objects, enums, defaults, bounded
// strings and numbers) in both zod flavours, and its JSON Schema export for admin UIs.
const CLASSIC_BODY = `
const method = z.enum(['google', 'microsoft', 'password']);
const factor = z.enum(['totp', 'sms', 'email']);
const day = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const allow = z.array(z.string().min(1)).default([]);
export const schema = z.strictObject({
  loginMethods: z.array(method).min(1).default(['google', 'microsoft', 'password']),
  twoFactor: z.strictObject({ required: z.boolean().default(false), methods: z.array(factor).default(['totp']) }).default({ required: false, methods: ['totp'] }),
  ipLockdown: z.strictObject({ enabled: z.boolean().default(false), allow }).default({ enabled: false, allow: [] }),
  loginHours: z.strictObject({ enabled: z.boolean().default(false), timezone: z.string().min(1).default('UTC'),
    windows: z.array(z.strictObject({ days: z.array(day).min(1), start: z.string(), end: z.string() })).default([]) }).optional(),
  api: z.strictObject({ ipAllowlist: z.strictObject({ enabled: z.boolean().default(false), allow }).optional(),
    maxKeyLifetimeDays: z.number().int().min(1).max(3650).optional() }).optional(),
  mail: z.strictObject({ excluded: z.array(z.string().min(3)).default([]) }).optional(),
});
export const parse = (input) => schema.safeParse(input);
export const jsonSchema = () => z.toJSONSchema(schema, { io: 'input' });
`;

const MINI_BODY = `
const method = z.enum(['google', 'microsoft', 'password']);
const factor = z.enum(['totp', 'sms', 'email']);
const day = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const allow = z._default(z.array(z.string().check(z.minLength(1))), []);
export const schema = z.strictObject({
  loginMethods: z._default(z.array(method).check(z.minLength(1)), ['google', 'microsoft', 'password']),
  twoFactor: z._default(z.strictObject({ required: z._default(z.boolean(), false), methods: z._default(z.array(factor), ['totp']) }), { required: false, methods: ['totp'] }),
  ipLockdown: z._default(z.strictObject({ enabled: z._default(z.boolean(), false), allow }), { enabled: false, allow: [] }),
  loginHours: z.optional(z.strictObject({ enabled: z._default(z.boolean(), false), timezone: z._default(z.string().check(z.minLength(1)), 'UTC'),
    windows: z._default(z.array(z.strictObject({ days: z.array(day).check(z.minLength(1)), start: z.string(), end: z.string() })), []) })),
  api: z.optional(z.strictObject({ ipAllowlist: z.optional(z.strictObject({ enabled: z._default(z.boolean(), false), allow })),
    maxKeyLifetimeDays: z.optional(z.int().check(z.gte(1), z.lte(3650))) })),
  mail: z.optional(z.strictObject({ excluded: z._default(z.array(z.string().check(z.minLength(3))), []) })),
});
export const parse = (input) => schema.safeParse(input);
export const jsonSchema = () => z.toJSONSchema(schema, { io: 'input' });
`;

interface SchemaVariant {
  readonly name: string;
  readonly source: string;
}

const SCHEMA_VARIANTS: readonly SchemaVariant[] = [
  { name: "zod, import { z }", source: `import { z } from 'zod';${CLASSIC_BODY}` },
  { name: 'zod, import * as z', source: `import * as z from 'zod';${CLASSIC_BODY}` },
  { name: "zod/mini, import { z }", source: `import { z } from 'zod/mini';${MINI_BODY}` },
  { name: 'zod/mini, import * as z', source: `import * as z from 'zod/mini';${MINI_BODY}` },
];

async function schemaSize(source: string, withJsonSchema: boolean): Promise<number> {
  const contents = withJsonSchema ? source : source.replace(/^export const jsonSchema.*$/m, '');
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return gzip(result.outputFiles[0]!.text);
}

/** A data: module cannot resolve bare specifiers, so zod is pointed at by file URL. */
function dataUrl(source: string): string {
  const file = (path: string) => pathToFileURL(join(root, 'node_modules', path)).href;
  const text = source.replace("from 'zod/mini'", `from '${file('zod/mini/index.js')}'`).replace("from 'zod'", `from '${file('zod/index.js')}'`);
  return `data:text/javascript,${encodeURIComponent(text)}`;
}

// ---- report ---------------------------------------------------------------------------------

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const pad = (text: string, width: number) => text.padStart(width);

function printTimings(cases: readonly ImportCase[], timings: ReadonlyMap<string, ImportTiming>): void {
  const deps = timings.get('runtime deps together')!;
  console.log(`\n  ${'import'.padEnd(28)} ${pad('median', 10)} ${pad('fastest', 10)} ${pad('CPU', 10)} ${pad('vs deps', 8)}  budget`);
  for (const c of cases) {
    if (c.name.startsWith('schema:')) continue;
    const t = timings.get(c.name)!;
    let budget = '';
    const entry = c.name.replace('staffgate/', '');
    if (c.name === 'staffgate') {
      const ratio = t.medianMs / deps.medianMs;
      budget = `<= ${BUDGET.rootRatio}x deps: ${ratio <= BUDGET.rootRatio ? 'ok' : 'over'} (CPU ${(t.cpuMs / deps.cpuMs).toFixed(2)}x)`;
    } else if (c.name.startsWith('staffgate/') && LIGHT_ENTRIES.includes(entry)) {
      budget = `< ${BUDGET.lightEntryMs} ms: ${t.medianMs < BUDGET.lightEntryMs ? 'ok' : 'over'}`;
    }
    const ratio = `${(t.medianMs / deps.medianMs).toFixed(2)}x`;
    console.log(`  ${c.name.padEnd(28)} ${pad(ms(t.medianMs), 10)} ${pad(ms(t.minMs), 10)} ${pad(ms(t.cpuMs), 10)} ${pad(ratio, 8)}  ${budget}`);
  }
  console.log('  (wall-clock median and fastest of the import() alone, CPU median; "vs deps" = median / median of "runtime deps together";');
  console.log('   "staffgate after its deps" = the import of staffgate in a process that already loaded its dependencies)');
}

async function main(): Promise<number> {
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    console.error('dist/ is missing: run `npm run build` first');
    return 1;
  }
  const misses: string[] = [];
  const depSpecs = RUNTIME_DEPS.map((d) => (d === '@noble/hashes' ? '@noble/hashes/sha2.js' : d));
  const floor = join(mkdtempSync(join(tmpdir(), 'staffgate-footprint-')), 'floor.mjs');
  writeFileSync(floor, 'export default 1;\n');

  const cases: ImportCase[] = [
    { name: 'a one-line module (floor)', specifiers: [pathToFileURL(floor).href] },
    ...depSpecs.map((s) => ({ name: s, specifiers: [s] })),
    { name: 'zod/mini', specifiers: ['zod/mini'] },
    { name: 'runtime deps together', specifiers: depSpecs },
    { name: 'staffgate', specifiers: ['staffgate'] },
    { name: 'staffgate after its deps', specifiers: [...depSpecs, 'staffgate'], onlyLast: true },
    ...ENTRIES.map((e) => ({ name: `staffgate/${e}`, specifiers: [`staffgate/${e}`] })),
    { name: 'schema: zod', specifiers: [dataUrl(SCHEMA_VARIANTS[0]!.source)] },
    { name: 'schema: zod/mini', specifiers: [dataUrl(SCHEMA_VARIANTS[2]!.source)] },
    { name: 'schema: zod, build only', specifiers: ['zod', dataUrl(SCHEMA_VARIANTS[0]!.source)], onlyLast: true },
    { name: 'schema: zod/mini, build only', specifiers: ['zod/mini', dataUrl(SCHEMA_VARIANTS[2]!.source)], onlyLast: true },
  ];
  const timings = SIZES_ONLY ? new Map<string, ImportTiming>() : measureImports(cases, `Cold import in a fresh Node ${process.version} process: ${RUNS} runs of ${cases.length} cases…`);
  rmSync(join(floor, '..'), { recursive: true, force: true });
  if (!SIZES_ONLY) printTimings(cases, timings);

  console.log('\nMinified + gzipped bundles of dist/ (esbuild, platform browser, gzip -9)');
  const own = await measureSize('staffgate, own code', 'index.js');
  const ownOk = own.ownGzipBytes < BUDGET.ownGzipBytes;
  if (!ownOk) misses.push(`staffgate's own code is ${kB(own.ownGzipBytes)} gzip, budget < ${kB(BUDGET.ownGzipBytes)}`);
  const rows = [own, ...(await Promise.all(ENTRIES.map((e) => measureSize(`staffgate/${e}`, `${e}.js`))))];
  const whole = rows[0]!.gzipBytes;
  console.log(`  ${'entry'.padEnd(18)} ${pad('min', 9)} ${pad('gzip', 9)} ${pad('own gzip', 9)} ${pad('vs root', 8)}  dependencies (minified bytes in the bundle)`);
  for (const r of rows) {
    const list = [...r.deps.entries()].sort((a, b) => b[1] - a[1]).map(([pkg, bytes]) => `${pkg} ${kB(bytes)}`).join(', ') || 'none';
    const name = r === own ? 'staffgate' : r.name;
    console.log(`  ${name.padEnd(18)} ${pad(kB(r.minBytes), 9)} ${pad(kB(r.gzipBytes), 9)} ${pad(kB(r.ownGzipBytes), 9)} ${pad(`${((100 * r.gzipBytes) / whole).toFixed(0)}%`, 8)}  ${list}`);
  }
  console.log(`  staffgate's own code (every capability, dependencies excluded): ${kB(own.ownGzipBytes)} gzip; budget < ${kB(BUDGET.ownGzipBytes)}: ${ownOk ? 'ok' : 'over'}`);
  const folders = await ownCodeByFolder();
  const total = [...folders.values()].reduce((sum, n) => sum + n, 0);
  console.log(`  own code by folder, minified (${kB(total)} in all): ${[...folders.entries()].map(([f, n]) => `${f} ${kB(n)}`).join(', ')}`);

  console.log('\nRuntime dependencies per entry, with the import chain from src/ that brings each in');
  for (const cap of ENTRIES) {
    const chains = await srcChains(cap);
    const heavy = HEAVY.filter((pkg) => chains.has(pkg));
    const verdict = LIGHT_ENTRIES.includes(cap) ? `   (no ${HEAVY.join(', ')}: ${heavy.length === 0 ? 'ok' : 'MISS'})` : '';
    console.log(`  staffgate/${cap}: ${chains.size === 0 ? 'none' : [...chains.keys()].join(', ')}${verdict}`);
    for (const [pkg, chain] of chains) {
      console.log(`      ${pkg}: ${chain.join(' -> ')}`);
      if (verdict && heavy.includes(pkg as (typeof HEAVY)[number])) misses.push(`staffgate/${cap} pulls ${pkg}: ${chain.join(' -> ')}`);
    }
  }

  console.log('\nzod vs zod/mini: one settings schema of the shape of AccountPolicy');
  const classic = timings.get('schema: zod');
  const mini = timings.get('schema: zod/mini');
  const classicBuild = timings.get('schema: zod, build only');
  const miniBuild = timings.get('schema: zod/mini, build only');
  const both = (t: ImportTiming | undefined) => (t ? `${t.medianMs.toFixed(1)} / ${t.cpuMs.toFixed(1)} ms` : '-');
  console.log(`  ${'variant'.padEnd(26)} ${pad('import+build', 18)} ${pad('build only', 18)} ${pad('bundle gzip', 12)} ${pad('w/o JSON Schema', 16)}`);
  for (const v of SCHEMA_VARIANTS) {
    const isMini = v.name.startsWith('zod/mini');
    const [t, b] = isMini ? [mini, miniBuild] : [classic, classicBuild];
    const [withJson, without] = await Promise.all([schemaSize(v.source, true), schemaSize(v.source, false)]);
    console.log(`  ${v.name.padEnd(26)} ${pad(both(t), 18)} ${pad(both(b), 18)} ${pad(kB(withJson), 12)} ${pad(kB(without), 16)}`);
  }
  console.log('  (Node times: median wall / median CPU. "build only" = evaluating the schema module once zod is loaded.');
  console.log('   Node loads whole modules, so the import form changes bundle sizes only.)');
  if (classic && mini && classicBuild && miniBuild) {
    const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    console.log(`  mini/classic in Node: import+build ${x(mini.medianMs, classic.medianMs)} wall, ${x(mini.cpuMs, classic.cpuMs)} CPU; build only ${x(miniBuild.medianMs, classicBuild.medianMs)} wall, ${x(miniBuild.cpuMs, classicBuild.cpuMs)} CPU`);
  }


  if (misses.length > 0) {
    console.log(`\nBudget misses (sizes and dependencies; times are never enforced):\n${misses.map((m) => `  - ${m}`).join('\n')}`);
  }
  return CHECK && misses.length > 0 ? 1 : 0;
}

process.exitCode = await main();
