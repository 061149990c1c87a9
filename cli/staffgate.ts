#!/usr/bin/env node
// The `staffgate` executable: wires cli/main.ts to the real process (argv, stdout, the file
// system, the clock). Run from a clone with `npx tsx cli/staffgate.ts …`.
import { readFileSync } from 'node:fs';
import { runCli } from './main.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
  now: () => new Date(),
  version: packageVersion(),
});
