// Checks the API reference: every name exported from the public entries (typedoc.json's
// entryPoints) must carry a TSDoc summary and an @example block, and no {@link} may dangle.
// Runs typedoc through its API with the repo's typedoc.json, writes the JSON model to the OS
// temp directory (never into the repo, no HTML), and exits 1 listing the offenders. Other
// typedoc warnings are printed but not fatal.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Application, TSConfigReader, TypeDocReader } from 'typedoc';

const root = resolve(import.meta.dirname, '..');
process.chdir(root);

// typedoc ReflectionKind values (stable in the JSON schema).
const KIND = { Module: 2, Namespace: 4, Enum: 8, Variable: 32, Function: 64, Class: 128, Interface: 256, TypeAlias: 2097152, Reference: 4194304 };
const KIND_NAME = Object.fromEntries(Object.entries(KIND).map(([name, value]) => [value, name]));

const app = await Application.bootstrapWithPlugins({}, [new TypeDocReader(), new TSConfigReader()]);
app.logger.level = 2; // LogLevel.Warn: no info line about the temporary JSON file

const fatal = [];
const warnings = [];
const log = app.logger.log.bind(app.logger);
app.logger.log = (message, level) => {
  const text = String(message);
  if (/Failed to resolve link|unresolved link/i.test(text)) fatal.push(text);
  else if (level >= 2) warnings.push(text); // LogLevel.Warn and up
  log(message, level);
};

const project = await app.convert();
if (!project) {
  console.error('check-docs: typedoc could not convert the project.');
  process.exit(1);
}
app.validate(project);

const work = mkdtempSync(join(tmpdir(), 'staffgate-docs-'));
let model;
try {
  const file = join(work, 'api.json');
  await app.generateJson(project, file);
  model = JSON.parse(readFileSync(file, 'utf8'));
} finally {
  rmSync(work, { recursive: true, force: true });
}

const hasSummary = (comment) => (comment?.summary ?? []).some((part) => part.text.trim() !== '');
const hasExample = (comment) => (comment?.blockTags ?? []).some((tag) => tag.tag === '@example');

const offenders = [];
let checked = 0;
const visit = (node, path) => {
  for (const child of node.children ?? []) {
    const name = `${path}.${child.name}`;
    if (child.kind === KIND.Reference) continue; // an alias of a name checked where it is declared
    if (child.kind === KIND.Module || child.kind === KIND.Namespace) {
      visit(child, name);
      continue;
    }
    checked += 1;
    const comments = [child.comment, ...(child.signatures ?? []).map((signature) => signature.comment)].filter(Boolean);
    const missing = [];
    const signaturesDocumented = (child.signatures ?? []).every((signature) => hasSummary(signature.comment) || hasSummary(child.comment));
    if (!comments.some(hasSummary) || !signaturesDocumented) missing.push('summary');
    if (!comments.some(hasExample)) missing.push('@example');
    if (missing.length > 0) offenders.push(`${name} (${KIND_NAME[child.kind] ?? child.kind}): no ${missing.join(', no ')}`);
  }
};
for (const entry of model.children ?? []) visit(entry, entry.name);

if (warnings.length > 0) console.log(`check-docs: ${warnings.length} non-fatal typedoc warning(s), see above.`);
if (offenders.length > 0 || fatal.length > 0) {
  if (offenders.length > 0) console.error(`check-docs: ${offenders.length} of ${checked} exported names lack documentation:\n  ${offenders.join('\n  ')}`);
  if (fatal.length > 0) console.error(`check-docs: ${fatal.length} unresolved link(s):\n  ${fatal.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-docs: all ${checked} exported names have a summary and an @example; no unresolved links.`);
