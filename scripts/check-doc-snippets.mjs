// Type-checks every ```ts / ```typescript block of README.md and docs/*.md against the library
// source, so the guides cannot rot. Each block is its own module (one in-memory file per block),
// compiled with the repo's tsconfig.json options (strict, exactOptionalPropertyTypes, …) and its
// paths, so `import … from 'staffgate'` and 'staffgate/<cap>' resolve to src/ as a user's code
// sees the package. One program for all blocks, through the compiler API (no child tsc).
//
// The rule: every block is checked alone. Whatever it uses without importing (host-app things
// such as `db` or `req`, values made in an earlier block of the same page, library functions
// imported by an earlier block) is named in the fence's info string, which markdown renderers
// ignore (they read the first word only):
//
//   ```ts declare="db, policy, resolvePolicy"   each name becomes an import: from
//                                                scripts/doc-snippet-stubs.ts when it exports the
//                                                name (typed host things), else from the library
//                                                ('staffgate', then 'staffgate/testing')
//   ```ts declare="expressClientIp as clientIp"  a stub under another name in this block
//   ```ts declare="let message"                  a mutable local initialised from the stub
//   ```ts body                                   the block is a function body (top-level
//                                                `return`): checked inside an async function
//   ```ts in="examples/express"                  the block's file sits in that folder, so its
//                                                relative imports resolve there
//   ```ts skip="signature listing"               not checked; listed with the reason on every run
//
// A literal passed to parseAccountPolicy, parseStaffOverride or parseRoles (which take
// `unknown`, as settings arrive as JSON) must also satisfy AccountPolicyInput,
// StaffOverrideInput or RoleDefinition[], so a misspelled setting fails here too. The safeParse*
// variants are left alone: the guides feed them bad input on purpose.
//
// Unknown attributes, unknown declared names, declared names the block does not use and stubs
// that no block declares are errors. `--show docs/login.md:8` prints the module made for a block.
// Output: `file:line: message` per problem, exit 1; otherwise a summary with the skips and time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const STUBS = join(root, 'scripts', 'doc-snippet-stubs.ts');
const LIBRARY = ['staffgate', 'staffgate/testing']; // where declare= looks after the stubs
// Literal arguments of these parsers are also checked against the input type (see below).
const LITERAL_INPUTS = {
  parseAccountPolicy: "import('staffgate').AccountPolicyInput",
  parseStaffOverride: "import('staffgate').StaffOverrideInput",
  parseRoles: "readonly import('staffgate').RoleDefinition[]",
};
const ATTRIBUTES = new Set(['declare', 'body', 'in', 'skip']);
const rel = (file) => relative(root, file).split(sep).join('/');

const docs = [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).filter((n) => n.endsWith('.md')).sort().map((n) => join(root, 'docs', n))];
const problems = []; // `file:line: message`

// 1. The blocks: fences as CommonMark opens and closes them (``` or ~~~, a closing fence at
// least as long), so a ``` inside a ````md block does not start a block.
function extract(file) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const blocks = [];
  let open = null;
  lines.forEach((text, index) => {
    if (open === null) {
      const m = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(text);
      if (m === null || (m[2].startsWith('`') && m[3].includes('`'))) return;
      const [lang = '', ...rest] = m[3].trim().split(/\s+/);
      open = { file, line: index + 1, indent: m[1].length, fence: m[2], lang: lang.toLowerCase(), info: rest.join(' '), body: [] };
      return;
    }
    const close = /^\s*(`{3,}|~{3,})\s*$/.exec(text);
    if (close !== null && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
      if (open.lang === 'ts' || open.lang === 'typescript') blocks.push(open);
      open = null;
      return;
    }
    open.body.push(text.slice(Math.min(open.indent, /^\s*/.exec(text)[0].length)));
  });
  if (open !== null) problems.push(`${rel(file)}:${open.line}: code fence never closed`);
  return blocks;
}

function parseAttributes(block) {
  const attrs = {};
  const re = /([a-z]+)(?:="([^"]*)")?\s*/gy;
  const info = block.info.trim();
  let m;
  while (re.lastIndex < info.length && (m = re.exec(info)) !== null) {
    if (!ATTRIBUTES.has(m[1])) problems.push(`${rel(block.file)}:${block.line}: unknown fence attribute "${m[1]}" (known: ${[...ATTRIBUTES].join(', ')})`);
    attrs[m[1]] = m[2] ?? true;
  }
  if (re.lastIndex < info.length) problems.push(`${rel(block.file)}:${block.line}: cannot read the fence info "${info}"`);
  if (attrs.skip === true || attrs.skip === '') problems.push(`${rel(block.file)}:${block.line}: skip needs a reason: skip="…"`);
  return attrs;
}

const blocks = docs.flatMap(extract).map((block) => ({ ...block, attrs: parseAttributes(block) }));
const skipped = blocks.filter((b) => b.attrs.skip !== undefined);
const checked = blocks.filter((b) => b.attrs.skip === undefined);

// 2. Compiler options: the repo's tsconfig.json, plus `npm:staffgate…` (Deno's specifier) as
// an alias of `staffgate…`. Source files are parsed once and shared by both programs below.
const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
const options = { ...parsed.options, noEmit: true };
options.paths = { ...options.paths };
for (const [alias, targets] of Object.entries(parsed.options.paths ?? {})) options.paths[`npm:${alias}`] = targets;

const virtual = new Map(); // absolute path -> text
const cache = new Map();
const host = ts.createCompilerHost(options, true);
const { getSourceFile, fileExists, readFile } = host;
host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
host.getSourceFile = (f, languageVersion, onError) => {
  if (virtual.has(f)) return ts.createSourceFile(f, virtual.get(f), languageVersion, true, ts.ScriptKind.TS);
  if (!cache.has(f)) cache.set(f, getSourceFile.call(host, f, languageVersion, onError));
  return cache.get(f);
};

// 3. What declare= can name: the stubs' exports, then the library's, each a value or type only.
// Loading this first program parses (and binds) every file the check needs, once.
const parseStart = performance.now();
const resolveEntry = (spec) => ts.resolveModuleName(spec, STUBS, options, host).resolvedModule?.resolvedFileName;
const sources = [STUBS, ...LIBRARY.map(resolveEntry)];
const probe = ts.createProgram({ rootNames: sources, options, host });
const checker = probe.getTypeChecker();
const exported = new Map(); // name -> { source, value }
const stubNames = new Set();
sources.forEach((file, i) => {
  const moduleSymbol = checker.getSymbolAtLocation(probe.getSourceFile(file));
  for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
    const name = symbol.getName();
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const entry = { source: i === 0 ? STUBS : LIBRARY[i - 1], value: (target.flags & ts.SymbolFlags.Value) !== 0 };
    if (i === 0) stubNames.add(name);
    else if (stubNames.has(name)) problems.push(`${rel(STUBS)}: stub "${name}" shadows the library's export of that name`);
    if (!exported.has(name)) exported.set(name, entry);
  }
});
const parseMs = performance.now() - parseStart;

// 4. One virtual file per checked block: generated lines map to the fence's line, block lines
// to their own line in the page.
const used = new Set();
const files = checked.map((block, n) => {
  const where = `${rel(block.file)}:${block.line}`;
  let dir = join(root, 'docs');
  if (typeof block.attrs.in === 'string') {
    dir = join(root, block.attrs.in);
    if (!existsSync(dir)) problems.push(`${where}: in="${block.attrs.in}" is not a folder of the repo`);
  }
  const path = join(dir, `__doc_snippet_${n}_${basename(block.file, '.md')}_${block.line}.ts`);
  const head = [];
  const imports = new Map(); // source -> specifiers
  const lets = [];
  const names = typeof block.attrs.declare === 'string' ? block.attrs.declare.split(',').map((s) => s.trim()).filter(Boolean) : [];
  for (const item of names) {
    const m = /^(let\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(item);
    if (m === null) {
      problems.push(`${where}: cannot read declare entry "${item}"`);
      continue;
    }
    const [, isLet, name, alias = name] = m;
    if (!new RegExp(`(?<![\\w$.])${alias.replace(/\$/g, '\\$')}(?![\\w$])`).test(block.body.join('\n'))) {
      problems.push(`${where}: declare "${alias}": the block does not use it; remove it from the fence`);
    }
    const entry = exported.get(name);
    if (entry === undefined) {
      problems.push(`${where}: declare "${name}": neither ${rel(STUBS)} nor ${LIBRARY.join(' / ')} exports it`);
      continue;
    }
    if (entry.source === STUBS) used.add(name);
    const local = isLet ? `__doc_let_${alias}` : alias;
    const spec = `${entry.value ? '' : 'type '}${name}${local === name ? '' : ` as ${local}`}`;
    imports.set(entry.source, [...(imports.get(entry.source) ?? []), spec]);
    if (isLet) lets.push(`let ${alias} = ${local};`);
  }
  for (const [source, specs] of imports) {
    let spec = source;
    if (source === STUBS) {
      spec = relative(dir, STUBS).split(sep).join('/').replace(/\.ts$/, '.js');
      if (!spec.startsWith('.')) spec = `./${spec}`;
    }
    head.push(`import { ${specs.join(', ')} } from '${spec}';`);
  }
  head.push(...lets);

  // The throwing parsers take `unknown` (settings arrive as JSON), so a misspelled option in a
  // literal passed to them would type-check; the literal must also satisfy the input type.
  const text = block.body.join('\n');
  const edits = [];
  const visit = (node) => {
    const input = ts.isCallExpression(node) && ts.isIdentifier(node.expression) ? LITERAL_INPUTS[node.expression.text] : undefined;
    const arg = input === undefined ? undefined : node.arguments[0];
    if (arg !== undefined && (ts.isObjectLiteralExpression(arg) || ts.isArrayLiteralExpression(arg))) {
      edits.push([arg.getStart(), '('], [arg.end, `) satisfies ${input}`]);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('block.ts', text, ts.ScriptTarget.Latest, true));
  let rewritten = text;
  for (const [at, insert] of edits.sort((a, b) => b[0] - a[0])) rewritten = rewritten.slice(0, at) + insert + rewritten.slice(at);
  const body = rewritten.split('\n'); // insertions add no line, so lines keep their page lines

  const lines = [];
  const map = [];
  const add = (text, docLine) => {
    lines.push(text);
    map.push(docLine);
  };
  for (const text of head) add(text, block.line);
  const first = block.line + 1;
  if (block.attrs.body === true) {
    // Imports stay at the top level; the statements after them become the body of a function.
    const sf = ts.createSourceFile('block.ts', rewritten, ts.ScriptTarget.Latest);
    const lastImport = sf.statements.filter(ts.isImportDeclaration).at(-1);
    const split = lastImport === undefined ? 0 : sf.getLineAndCharacterOfPosition(lastImport.end).line + 1;
    body.slice(0, split).forEach((line, i) => add(line, first + i));
    add('export async function docSnippetBody() {', block.line);
    body.slice(split).forEach((line, i) => add(line, first + split + i));
    add('}', block.line + body.length + 1);
  } else {
    body.forEach((line, i) => add(line, first + i));
  }
  add('export {};', block.line + block.body.length + 1); // a module, even without imports
  virtual.set(path, lines.join('\n'));
  return { block, path, map };
});
const show = process.argv.indexOf('--show');
if (show !== -1) {
  // `--show docs/login.md:8`: print the module generated for that block, with its page lines.
  const file = files.find((f) => `${rel(f.block.file)}:${f.block.line}` === process.argv[show + 1]);
  if (file === undefined) console.log(`no checked block starts at ${process.argv[show + 1] ?? '(missing)'}`);
  else virtual.get(file.path).split('\n').forEach((text, i) => console.log(`${String(file.map[i]).padStart(4)} | ${text}`));
}
for (const name of stubNames) if (!used.has(name)) problems.push(`${rel(STUBS)}: stub "${name}" is declared by no block; remove it`);

// 5. One program for all blocks; report each diagnostic at its line in the page.
const compileStart = performance.now();
const program = ts.createProgram({ rootNames: [...files.map((f) => f.path), STUBS], options, host, oldProgram: probe });
const byPath = new Map(files.map((f) => [f.path, f]));
const message = (d) => ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
const report = (d) => {
  const text = `error TS${d.code}: ${message(d)}`;
  if (d.file === undefined) return problems.push(text);
  const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line;
  const file = byPath.get(d.file.fileName);
  if (file === undefined) return problems.push(`${rel(d.file.fileName)}:${line + 1}: ${text}`);
  return problems.push(`${rel(file.block.file)}:${file.map[line] ?? file.block.line}: ${text}`);
};
program.getOptionsDiagnostics().forEach(report);
program.getGlobalDiagnostics().forEach(report);
for (const file of [...files.map((f) => f.path), STUBS]) {
  const sf = program.getSourceFile(file);
  [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].forEach(report);
}
const compileMs = performance.now() - compileStart;

// 6. The verdict.
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const reasons = new Map();
for (const b of skipped) reasons.set(b.attrs.skip, [...(reasons.get(b.attrs.skip) ?? []), `${rel(b.file)}:${b.line}`]);
const skipText = [...reasons].map(([reason, where]) => `  skipped (${reason}): ${where.join(', ')}`).join('\n');
const summary = `${checked.length} checked, ${skipped.length} skipped, of ${blocks.length} TypeScript blocks in ${docs.length} pages; ${seconds(process.uptime() * 1000)} in all (parse ${seconds(parseMs)}, type-check ${seconds(compileMs)})`;
if (skipText !== '') console.log(skipText);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`check-doc-snippets: ${problems.length} problem(s). ${summary}`);
  process.exit(1);
}
console.log(`check-doc-snippets: ${summary}.`);
