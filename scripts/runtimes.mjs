// Runs the runtime smoke suite (test/runtimes/) against the BUILT package on Node, Bun, Deno and
// workerd (Cloudflare Workers, through miniflare), and fails if any runtime fails.
// It builds nothing of staffgate itself: run `npm run build` first.
//
// How: the suite is bundled (staffgate left external) into a throwaway consumer directory whose
// node_modules/staffgate links to this repo, so every runtime resolves `staffgate/<cap>` through
// package.json "exports" to dist/, as an installed copy would. For workerd the consumer's entry
// is bundled once more with everything in it (as wrangler does) and served by Miniflare.
//
//   node scripts/runtimes.mjs                  all four runtimes
//   STAFFGATE_RUNTIMES=node,deno node scripts/runtimes.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const RUNTIMES = ['node', 'bun', 'deno', 'workerd'];
const TIMEOUT_MS = 45_000;
const selected = (process.env.STAFFGATE_RUNTIMES ?? RUNTIMES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
const unknown = selected.filter((name) => !RUNTIMES.includes(name));
if (unknown.length > 0) fail(`unknown runtime(s) ${unknown.join(', ')}; choose from ${RUNTIMES.join(', ')}`);
if (!existsSync(join(root, 'dist', 'index.js'))) fail('dist/ is missing: run `npm run build` first');

const work = mkdtempSync(join(tmpdir(), 'staffgate-runtimes-'));
try {
  process.exitCode = await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'staffgate-runtime-smoke', private: true, type: 'module' }));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(root, join(work, 'node_modules', 'staffgate'), process.platform === 'win32' ? 'junction' : 'dir');

  // The suite itself, staffgate external. tsconfigRaw keeps the repo's `paths` (staffgate -> src/)
  // out of it: the point is to run dist/.
  await build({
    entryPoints: { cli: join(root, 'test/runtimes/cli.ts'), worker: join(root, 'test/runtimes/worker.ts') },
    outdir: work,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['staffgate', 'staffgate/*'],
    tsconfigRaw: '{}',
    logLevel: 'warning',
  });

  const runs = selected.map(async (name) => {
    const started = performance.now();
    let outcome;
    try {
      outcome = name === 'workerd' ? await runWorkerd() : await runProcess(name);
    } catch (error) {
      outcome = { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
    return { name, seconds: (performance.now() - started) / 1000, ...outcome };
  });
  const results = await Promise.all(runs);

  // Every runtime runs the same checks; a different count means a block went missing somewhere.
  const counts = new Set(results.filter((r) => r.result).map((r) => r.result.checks));
  let failed = 0;
  for (const r of results) {
    const ok = r.ok && r.result?.ok === true && r.result.runtime.startsWith(r.name) && counts.size === 1;
    let detail = r.problem ?? '';
    if (r.result && !r.result.runtime.startsWith(r.name)) detail ||= `ran on ${r.result.runtime}, not ${r.name}`;
    if (r.result && counts.size > 1) detail ||= `check counts differ between runtimes: ${[...counts].join(' vs ')}`;
    if (!ok) failed += 1;
    const label = (r.result?.runtime ?? r.name).padEnd(14);
    const checks = r.result ? `${r.result.checks} checks` : '';
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${label} ${checks.padEnd(10)} ${r.seconds.toFixed(1)} s${detail ? `  ${detail}` : ''}`);
    for (const failure of r.result?.failures ?? []) console.log(`       - ${failure}`);
  }
  if (failed > 0) console.log(`${failed} of ${results.length} runtime(s) failed`);
  return failed > 0 ? 1 : 0;
}

function binary(name) {
  if (name === 'node') return process.execPath;
  const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  if (!existsSync(bin)) throw new Error(`${name} is not installed (npm ci installs it as a devDependency)`);
  return bin;
}

async function runProcess(name) {
  // Deno runs with no permissions at all: the suite needs none, and it proves the library asks
  // for none (no env, no fs, no net). It finds node_modules from the consumer's package.json.
  const args = name === 'deno' ? ['run', '--quiet', '--no-prompt', '--no-lock', 'cli.js'] : ['cli.js'];
  const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  const { code, stdout, stderr } = await exec(binary(name), args, { cwd: work, env });
  const result = lastJsonLine(stdout);
  if (result) return { ok: code === 0, result, problem: code === 0 ? undefined : `exit code ${code}` };
  return { ok: false, problem: `exit code ${code}, no result: ${(stderr || stdout).trim().split('\n').slice(-6).join(' | ')}` };
}

async function runWorkerd() {
  const { Miniflare } = await import('miniflare');
  // What a Workers build (wrangler, esbuild) makes of a consumer's code: one ES module. The
  // node_modules link is kept as it is, so staffgate sits inside node_modules like an install.
  const bundled = await build({
    entryPoints: [join(work, 'worker.js')],
    outfile: join(work, 'worker.bundle.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    preserveSymlinks: true,
    logLevel: 'warning',
    write: false,
  });
  const script = bundled.outputFiles[0].text;
  const mf = new Miniflare({ modules: true, script, compatibilityDate: '2025-12-01' });
  try {
    const response = await withTimeout(mf.dispatchFetch('http://smoke.test/'), 'workerd');
    const text = await response.text();
    const result = parseJson(text);
    if (!result) return { ok: false, problem: `HTTP ${response.status}: ${text.slice(0, 300)}` };
    return { ok: response.ok, result };
  } finally {
    await mf.dispose();
  }
}

function exec(command, args, options) {
  return new Promise((done, reject) => {
    // npm's .bin shims are .cmd files on Windows, which only a shell can start.
    const child = spawn(command, args, { ...options, shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? `${signal} (timed out after ${TIMEOUT_MS / 1000} s?)`, stdout, stderr });
    });
  });
}

function withTimeout(promise, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} timed out after ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function lastJsonLine(text) {
  const lines = text.trim().split('\n');
  return parseJson(lines[lines.length - 1] ?? '');
}

function parseJson(text) {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && typeof value.runtime === 'string' && typeof value.checks === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

function fail(message) {
  console.error(`runtimes: ${message}`);
  process.exit(1);
}

