// The import structure of src/, as docs/index.md ("Architecture") draws it: each folder sits on
// a layer and imports only from lower layers (or from itself), and no file imports itself back
// through any chain. Type-only imports count too: a circle of types is still a circle for a
// reader. Fails naming the import that breaks the rule.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** The layer of each unit of src/: a folder, or a file at the top of src/. Lower imports nothing higher. */
const LAYERS: Readonly<Record<string, number>> = {
  // Shared helpers every capability uses.
  'errors.ts': 0,
  'instant.ts': 0,
  'ids.ts': 0,
  'stored.ts': 0,
  // Capabilities that stand alone.
  net: 1,
  hours: 1,
  mail: 1,
  otp: 1,
  access: 1,
  // The settings model (on net, hours, mail) and API keys (on net).
  policy: 2,
  apikeys: 2,
  // The login decision, composed on the settings model.
  login: 3,
  // Governance (lint, review, diff, change safety, simulation) and the state helpers, on login.
  governance: 4,
  state: 4,
  // What the package exports: the testing kit, the entries that gather several folders, the root.
  testing: 5,
  entries: 6,
  'index.ts': 7,
};

type Graph = ReadonlyMap<string, readonly string[]>;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** File → the src files it imports (static, dynamic and type-only), paths relative to src/. */
function importGraph(): Graph {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(SRC, resolve(dirname(file), name.replace(/\.js$/, '.ts'))));
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

function unitOf(file: string): string {
  const parts = file.split('/');
  return parts.length === 1 ? file : (parts[0] ?? file);
}

/** Imports that go to a higher layer, or to a unit no layer names, as "from → to". */
function upwardImports(graph: Graph, layers: Readonly<Record<string, number>>): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    const a = layers[unitOf(from)];
    for (const to of targets) {
      const b = layers[unitOf(to)];
      if (a === undefined || b === undefined) found.push(`${from} → ${to} (a unit without a layer)`);
      else if (unitOf(from) !== unitOf(to) && b >= a) found.push(`${from} → ${to} (layer ${String(a)} imports layer ${String(b)})`);
    }
  }
  return found;
}

/** Every circle of imports, each as its files in order (Tarjan's strongly connected components). */
function importCycles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.reverse());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('the import structure of src/', () => {
  const graph = importGraph();

  it('reads the real graph (every folder, imports found)', () => {
    const units = new Set([...graph.keys()].map(unitOf));
    for (const unit of ['policy', 'login', 'governance', 'net', 'index.ts']) expect(units).toContain(unit);
    expect(graph.get('governance/safety.ts')).toContain('login/index.ts');
  });

  it('has no circle anywhere', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('imports only downwards: settings model, then login, then governance', () => {
    expect(upwardImports(graph, LAYERS)).toEqual([]);
  });

  it('no file of the settings model imports login or governance', () => {
    const offending = [...graph].filter(([from, to]) => from.startsWith('policy/') && to.some((t) => t.startsWith('login/') || t.startsWith('governance/')));
    expect(offending).toEqual([]);
  });
});

describe('the guard itself', () => {
  it('finds the circle that issue 21 removed (policy → governance → login → policy)', () => {
    const old: Graph = new Map([
      ['policy/index.ts', ['policy/safety.ts', 'policy/schema.ts']],
      ['policy/safety.ts', ['login/index.ts']],
      ['login/index.ts', ['login/evaluate.ts']],
      ['login/evaluate.ts', ['policy/index.ts']],
      ['policy/schema.ts', []],
    ]);
    expect(importCycles(old)).toEqual([['policy/index.ts', 'policy/safety.ts', 'login/index.ts', 'login/evaluate.ts']]);
    expect(upwardImports(old, LAYERS)).toEqual(['policy/safety.ts → login/index.ts (layer 2 imports layer 3)']);
  });

  it('finds a file importing itself, an import between peers of one layer, and an unknown folder', () => {
    const graph: Graph = new Map([
      ['net/a.ts', ['net/a.ts']],
      ['hours/zone.ts', ['mail/parse.ts']],
      ['extras/x.ts', ['net/a.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['net/a.ts']]);
    expect(upwardImports(graph, LAYERS)).toEqual(['hours/zone.ts → mail/parse.ts (layer 1 imports layer 1)', 'extras/x.ts → net/a.ts (a unit without a layer)']);
  });
});
