// Checks, after a build, that the light entries load no heavy dependency: an IP-only, mail-only
// or API-key-only middleware must not pay for zod, luxon or otplib, and a login path not for zod. It follows the static
// imports of the built files (ESM and CJS) as Node loads them, with no tree-shaking, which
// is a superset of what a bundler keeps; a miss prints the import chain that brings the
// package in and the src/ file that imports it. Sizes are size-limit's (package.json).
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Entry → packages it must never load. */
const FORBIDDEN = {
  './net': ['zod', 'luxon', 'otplib'],
  './mail': ['zod', 'luxon', 'otplib'],
  './apikeys': ['zod', 'luxon', 'otplib'],
  // The login decision takes a resolved policy: the parser (and zod) stays where settings are saved.
  './login': ['zod'],
};

const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** The static import graph from `file`: every input esbuild reaches, and the imports of each. */
async function importGraph(file) {
  const { metafile } = await build({
    entryPoints: [file],
    absWorkingDir: root,
    bundle: true,
    packages: 'external',
    // Node runs every `import './chunk.js'`; "sideEffects": false must not hide one here.
    ignoreAnnotations: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    metafile: true,
    outdir: join(root, '.entry-deps-out'),
    logLevel: 'silent',
  });
  return metafile.inputs;
}

/** Shortest chain of files from `start` to an import of package `name`, or null. */
function chainTo(inputs, start, name) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const imp of inputs[current]?.imports ?? []) {
      if (imp.kind === 'dynamic-import') continue; // loaded on call, not on import
      if (imp.external) {
        if (packageName(imp.path) !== name) continue;
        const chain = [imp.path];
        for (let at = current; at !== null; at = previous.get(at) ?? null) chain.unshift(at);
        return chain;
      }
      if (!previous.has(imp.path)) {
        previous.set(imp.path, current);
        queue.push(imp.path);
      }
    }
  }
  return null;
}

/** The src/ files, per the built file's source map, whose source imports package `name`. */
function sourcesImporting(file, name) {
  const mapFile = join(root, `${file}.map`);
  if (!existsSync(mapFile)) return [];
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pattern = new RegExp(`(?:from|import|require)\\s*\\(?\\s*['"]${escaped}(?:/[^'"]*)?['"]`);
  return (map.sources ?? [])
    .filter((_, i) => pattern.test(map.sourcesContent?.[i] ?? ''))
    .map((source) => relative(root, normalize(join(root, file, '..', source))));
}

const misses = [];
for (const [entry, forbidden] of Object.entries(FORBIDDEN)) {
  const conditions = pkg.exports?.[entry];
  const name = `staffgate${entry.slice(1)}`;
  if (!conditions) {
    misses.push(`${name} is not in package.json "exports"`);
    continue;
  }
  const loaded = new Set();
  for (const condition of ['import', 'require']) {
    const file = normalize(conditions[condition]?.default ?? '');
    if (!file || !existsSync(join(root, file))) {
      misses.push(`${name} (${condition}): ${file || 'no file'} is missing; run \`npm run build\` first`);
      continue;
    }
    const inputs = await importGraph(file);
    for (const input of Object.values(inputs)) {
      for (const imp of input.imports) if (imp.external && imp.kind !== 'dynamic-import') loaded.add(packageName(imp.path));
    }
    for (const dep of forbidden) {
      const chain = chainTo(inputs, file, dep);
      if (!chain) continue;
      const importer = chain.at(-2);
      const sources = importer ? sourcesImporting(importer, dep) : [];
      const via = sources.length > 0 ? ` (imported by ${sources.join(', ')})` : '';
      misses.push(`${name} (${condition}) loads ${dep}: ${chain.join(' -> ')}${via}`);
    }
  }
  const list = [...loaded].sort().join(', ') || 'no dependency';
  console.log(`${name} loads ${list}; must not load ${forbidden.join(', ')}`);
}

if (misses.length > 0) {
  console.error(`\nEntry dependency check failed:\n${misses.map((m) => `  - ${m}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('entry dependencies ok');
}
