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

// A reader that goes away early (`staffgate review … | head`) is not an error of the command:
// stop quietly with the exit code already decided instead of an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
  now: () => new Date(),
  version: packageVersion(),
});
