// Packs staffgate as npm would publish it, installs the tarball into a throwaway consumer
// outside this repo (only the declared dependencies are linked in, so a missing dependency
// fails here), and checks that it imports from ESM and CJS and type-checks for TypeScript.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'staffgate-pack-'));
const run = (cmd, args, cwd = work) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root));
  const modules = join(work, 'node_modules');
  mkdirSync(join(modules, 'staffgate'), { recursive: true });
  run('tar', ['-xzf', join(work, filename), '-C', join(modules, 'staffgate'), '--strip-components=1']);
  const linked = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
  for (const dep of linked) {
    const target = join(modules, dep);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), target, 'dir');
  }

  const probe = `
    const account = sg.parseAccountPolicy({ twoFactor: { required: true } });
    const policy = sg.resolvePolicy(account, [], { at: '2026-11-23T09:00:00Z' });
    if (policy.twoFactor.required !== true) throw new Error('resolvePolicy gave the wrong answer');
    let threw = false;
    try { sg.parseAccountPolicy({ loginHours: { timezone: 'UTC+25' } }); } catch (e) { threw = e instanceof sg.StaffgateError && e.code === 'invalid_time_zone'; }
    if (!threw) throw new Error('no StaffgateError');
    if (typeof testing.accountPolicyInputArb !== 'function') throw new Error('staffgate/testing is incomplete');
  `;
  writeFileSync(join(work, 'esm.mjs'), `import * as sg from 'staffgate'; import * as testing from 'staffgate/testing';\n${probe}\nconsole.log('esm ok');\n`);
  writeFileSync(join(work, 'cjs.cjs'), `const sg = require('staffgate'); const testing = require('staffgate/testing');\n${probe}\nconsole.log('cjs ok');\n`);
  process.stdout.write(run('node', ['esm.mjs']));
  process.stdout.write(run('node', ['cjs.cjs']));

  const consumer = `
    import { parseAccountPolicy, resolvePolicy, StaffgateError, type EffectivePolicy, type StaffgateErrorCode } from 'staffgate';
    import { accountPolicyInputArb } from 'staffgate/testing';
    const policy: EffectivePolicy = resolvePolicy(parseAccountPolicy({}), [], { at: new Date(0) });
    const code: StaffgateErrorCode = 'invalid_time_zone';
    export const checks = [policy.loginMethods.length, code, StaffgateError.name, accountPolicyInputArb];
  `;
  writeFileSync(join(work, 'consumer.mts'), consumer);
  writeFileSync(join(work, 'consumer.cts'), consumer.replace(/^\s*import (.*) from '(.*)';$/gm, "import $1 from '$2';"));
  for (const moduleResolution of ['nodenext', 'bundler']) {
    const module = moduleResolution === 'nodenext' ? 'nodenext' : 'esnext';
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module, moduleResolution, target: 'es2022', skipLibCheck: false, types: [] }, files: moduleResolution === 'nodenext' ? ['consumer.mts', 'consumer.cts'] : ['consumer.mts'] }),
    );
    run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
    console.log(`types ok (${moduleResolution})`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
