// The `staffgate` command: check, simulate, review, diff and schema. All the logic is here and
// takes its I/O as a parameter, so tests run it in-process; cli/staffgate.ts wires it to the
// real process. Exit codes: 0 fine, 1 the settings have errors (or an --expect / --fail-on
// condition was met), 2 the command could not run (usage, a missing or malformed file).
import { parseArgs } from 'node:util';
import { isStaffgateError, type StaffgateIssue } from '../src/errors.js';
import { toEpochMs } from '../src/instant.js';
import { targetWords } from '../src/policy/source.js';
import {
  accountPolicyJsonSchema,
  checkChangeSafety,
  diffPolicies,
  lintPolicy,
  reviewLayers,
  reviewOverrides,
  safeParseAccountPolicy,
  safeParseStaffOverride,
  simulateLogin,
  staffOverrideJsonSchema,
  type AccountPolicy,
  type AdminAccess,
  type PolicyFinding,
  type SecondFactor,
  type StaffOverride,
} from '../src/entries/policy.js';
import type { LoginDecision, LoginStep } from '../src/login/index.js';

/** What the command may touch: output, files, the clock. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file as UTF-8 text; throws a Node-style error (`code: 'ENOENT'`, …) when it cannot. */
  readonly readFile: (path: string) => string;
  /** The current instant, for a missing `--at`. */
  readonly now: () => Date;
  readonly version: string;
}

/** Exit codes. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

const USAGE = `Usage: staffgate <command> [options]

Commands:
  check <policy.json> [overrides.json]   Validate the settings and lint them.
      --at <instant>        Judge expiry and review dates at this instant (default: now).
      --admins <ids|file>   Staff ids of administrators, comma-separated, or a .json file of
                            ids or admins (the file safety takes).
      --roles <ids>         The custom roles that exist (comma-separated): layers targeting others are flagged.
      --teams <ids>         The teams that exist (comma-separated): layers targeting others are flagged.
      --strict              Exit 1 on warnings too, not only on errors.
      --json                Print the result as JSON.
  simulate --policy <file> --method <m> --ip <address> [options]
                                          What-if: decide one login, with the full trace.
      --overrides <file>    Staff overrides (a JSON array).
      --staff <id>          Whose overrides apply (needed when the file holds several people's).
      --role <ids>          The person's roles (comma-separated): the policy's layers for them apply.
      --team <ids>          The person's teams (comma-separated): the policy's layers for them apply.
      --method <m>          google, microsoft or password.
      --ip <address>        The client address.
      --at <instant>        When (ISO 8601 with Z or an offset; default: now).
      --verified <steps>    Steps already done: email_code, totp, sms, email (comma-separated).
      --enrolled <factors>  Second factors set up: totp, sms, email (comma-separated).
      --sso-mfa             The identity provider reported MFA (counts with --accept-sso-mfa).
      --accept-sso-mfa      Let the identity provider's MFA satisfy required 2FA.
      --expect <outcome>    Exit 1 unless the outcome is allow, challenge or deny.
      --json                Print the result as JSON.
  review [overrides.json] [--policy <file>]  Overdue, due, expired and unscheduled exceptions (and layers).
      --policy <file>       Also review the layers of this account policy.
      --at <instant>        Review at this instant (default: now).
      --due-within-days <n> How far ahead counts as due (default 14).
      --json                Print the result as JSON.
  diff <before.json> <after.json>        What changed between two account policies.
      --fail-on-weakening   Exit 1 when any change weakens security.
      --json                Print the result as JSON.
  safety <current.json> <proposed.json> --actor <file> [--admins <file>]
                                          Would the change lock out the actor or every admin?
      --actor <file>        The admin saving the change: { staffId, method, ip, enrolled }.
      --admins <file>       Every admin, a JSON array of the same.
      --at <instant>        When (default: now).
      --json                Print the result as JSON.
  schema [policy|override|overrides]     Print the JSON Schema of the settings.

  staffgate --version, staffgate --help

Exit codes: 0 fine; 1 the settings have errors (or --strict / --expect / --fail-on-weakening
tripped); 2 the command could not run (bad usage, a missing or malformed file).
`;

class UsageError extends Error {}

/**
 * Runs the command line `args` (without `node` and the script) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = runCli(['check', 'policy.json'], nodeIo);
 * ```
 */
export function runCli(args: readonly string[], io: CliIo): number {
  try {
    const [command, ...rest] = args;
    switch (command) {
      case 'check':
        return check(rest, io);
      case 'simulate':
        return simulate(rest, io);
      case 'review':
        return review(rest, io);
      case 'diff':
        return diff(rest, io);
      case 'safety':
        return safety(rest, io);
      case 'schema':
        return schema(rest, io);
      case '--version':
      case '-v':
        io.stdout(`${io.version}\n`);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        (command === undefined ? io.stderr : io.stdout)(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`staffgate: ${err.message}\nRun "staffgate --help" for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof FileError) {
      io.stderr(`staffgate: ${err.message}\n`);
      return EXIT.usage;
    }
    if (isStaffgateError(err)) {
      io.stderr(`staffgate: ${err.message}\n`);
      return EXIT.findings;
    }
    throw err;
  }
}

// ---------------------------------------------------------------- commands

function check(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(args, { at: { type: 'string' }, admins: { type: 'string' }, roles: { type: 'string' }, teams: { type: 'string' }, strict: { type: 'boolean' }, json: { type: 'boolean' } });
  const [policyFile, overridesFile, extra] = positionals;
  if (policyFile === undefined) throw new UsageError('check needs a policy file: staffgate check policy.json [overrides.json]');
  if (extra !== undefined) throw new UsageError(`check takes at most two files (got "${extra}" too)`);
  const at = instantOption(values.at, io);
  const admins = adminIds(values.admins, io);

  const issues: FileIssue[] = [];
  const account = loadAccount(policyFile, io, issues);
  const overrides = overridesFile === undefined ? [] : loadOverrides(overridesFile, io, issues);
  const known = {
    ...(values.roles === undefined ? {} : { roles: listOption(values.roles) }),
    ...(values.teams === undefined ? {} : { teams: listOption(values.teams) }),
  };
  const findings = account === undefined || issues.length > 0 ? [] : lintPolicy(account, overrides, { at, admins, ...known });
  const errors = issues.length + findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const failed = errors > 0 || (values.strict === true && warnings > 0);

  if (values.json === true) {
    io.stdout(`${JSON.stringify({ ok: !failed, at: new Date(at).toISOString(), invalid: issues, findings }, null, 2)}\n`);
    return failed ? EXIT.findings : EXIT.ok;
  }
  const files = overridesFile === undefined ? policyFile : `${policyFile} and ${overridesFile}`;
  if (issues.length > 0) {
    io.stdout(`${files}: the settings are not valid\n`);
    for (const i of issues) io.stdout(`  error    ${i.code.padEnd(28)} ${i.file}: ${i.path}\n           ${i.message}\n`);
    io.stdout(`\n${plural(issues.length, 'problem')} to fix before staffgate can use these settings.\n`);
    return EXIT.findings;
  }
  io.stdout(`${files}: valid; lint at ${new Date(at).toISOString()}\n`);
  for (const f of findings) io.stdout(formatFinding(f));
  const infos = findings.length - errors - warnings;
  io.stdout(`\n${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'note')}.\n`);
  return failed ? EXIT.findings : EXIT.ok;
}

function simulate(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(args, {
    policy: { type: 'string' },
    overrides: { type: 'string' },
    staff: { type: 'string' },
    role: { type: 'string' },
    team: { type: 'string' },
    method: { type: 'string' },
    ip: { type: 'string' },
    at: { type: 'string' },
    verified: { type: 'string' },
    enrolled: { type: 'string' },
    'sso-mfa': { type: 'boolean' },
    'accept-sso-mfa': { type: 'boolean' },
    expect: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`simulate takes options only (got "${positionals[0] ?? ''}"); use --policy <file>`);
  if (values.policy === undefined) throw new UsageError('simulate needs --policy <file>');
  const method = oneOf(values.method, 'method', ['google', 'microsoft', 'password'] as const, true);
  if (values.ip === undefined) throw new UsageError('simulate needs --ip <address>');
  const at = instantOption(values.at, io);
  const verified = listOption(values.verified).map((s) => oneOf(s, 'verified', ['email_code', 'totp', 'sms', 'email'] as const, true));
  const enrolled = listOption(values.enrolled).map((s) => oneOf(s, 'enrolled', ['totp', 'sms', 'email'] as const, true));
  const expect = oneOf(values.expect, 'expect', ['allow', 'challenge', 'deny'] as const, false);

  const issues: FileIssue[] = [];
  const account = loadAccount(values.policy, io, issues);
  const overrides = values.overrides === undefined ? [] : loadOverrides(values.overrides, io, issues);
  if (account === undefined || issues.length > 0) return reportInvalid(issues, io);

  const people = [...new Set(overrides.map((o) => o.staffId))];
  const staffId = values.staff;
  if (staffId === undefined && people.length > 1) {
    throw new UsageError(`the overrides belong to several people (${people.join(', ')}); pick one with --staff <id>`);
  }
  const who = staffId ?? people[0];
  if (staffId !== undefined && values.overrides !== undefined && !people.includes(staffId)) {
    // Not an error (a person without overrides is simulated on the account's rules), but a
    // mistyped id would silently be that person: say so.
    io.stderr(`staffgate: note: ${values.overrides} holds no override of "${staffId}"; the account's rules apply to them.\n`);
  }
  const roles = listOption(values.role);
  const teams = listOption(values.team);
  const member = roles.length > 0 || teams.length > 0 ? { roles, teams } : undefined;
  if (member !== undefined) {
    // Not an error either, but a role or team no layer targets is probably mistyped: say so.
    const targeted = new Set((account.layers ?? []).flatMap((l) => targetWords(l.appliesTo.roles, l.appliesTo.teams)));
    const unknown = targetWords(roles, teams).filter((x) => !targeted.has(x));
    if (unknown.length > 0) io.stderr(`staffgate: note: no layer of ${values.policy} targets ${unknown.join(', ')}.\n`);
  }
  const attempt = {
    method,
    ip: values.ip,
    at,
    verified: verified as LoginStep[],
    enrolled: enrolled as SecondFactor[],
    ...(values['sso-mfa'] === true ? { sso: { mfa: true } } : {}),
  };
  const sim = simulateLogin(account, overrides, attempt, {
    ...(who === undefined ? {} : { staffId: who }),
    ...(member === undefined ? {} : { member }),
    loginOptions: { acceptSsoMfa: values['accept-sso-mfa'] === true },
  });
  const mismatch = expect !== undefined && sim.decision.outcome !== expect;

  if (values.json === true) {
    io.stdout(`${JSON.stringify({ attempt: { ...attempt, at: new Date(at).toISOString() }, staffId: who ?? null, decision: sim.decision, trace: sim.trace, policy: sim.policy }, null, 2)}\n`);
    return mismatch ? EXIT.findings : EXIT.ok;
  }

  const p = sim.policy;
  const inGroups = member === undefined ? '' : ` (${targetWords(roles, teams).join(', ')})`;
  io.stdout(`What if ${who ?? 'a staff member without overrides'}${inGroups} signs in with ${method} from ${values.ip} at ${new Date(at).toISOString()}?\n\n`);
  if (p.applied.length > 0 || p.ignored.length > 0) {
    io.stdout('Layers and overrides\n');
    for (const a of p.applied) {
      const name = a.kind === 'layer' ? `layer ${a.id} (for ${targetWords(a.matched.roles, a.matched.teams).join(', ')})` : `override #${a.index}${a.id === undefined ? '' : ` (${a.id})`}`;
      io.stdout(`  applied  ${name} ${a.effect}: "${a.reason}"${a.reviewOverdue ? ' [review overdue]' : ''}\n`);
      for (const c of a.changes) io.stdout(`           ${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)} (${c.effect})\n`);
    }
    for (const g of p.ignored) io.stdout(`  ignored  ${g.kind === 'layer' ? `layer ${g.id}` : `override #${g.index}${g.id === undefined ? '' : ` (${g.id})`}`}: ${g.message}\n`);
    io.stdout('\n');
  }
  io.stdout('Trace\n');
  for (const s of sim.trace) {
    io.stdout(`  ${s.status.toUpperCase().padEnd(9)} ${s.rule.padEnd(14)} ${s.detail}\n`);
    io.stdout(`  ${''.padEnd(9)} ${''.padEnd(14)} ${s.setting} [${s.source}]\n`);
  }
  io.stdout(`\n${describeDecision(sim.decision)}`);
  if (mismatch) io.stdout(`\nExpected ${expect}, got ${sim.decision.outcome}.\n`);
  return mismatch ? EXIT.findings : EXIT.ok;
}

function review(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(args, { at: { type: 'string' }, 'due-within-days': { type: 'string' }, policy: { type: 'string' }, json: { type: 'boolean' } });
  const [file, extra] = positionals;
  if (file === undefined && values.policy === undefined) throw new UsageError('review needs an overrides file, a --policy file for its layers, or both: staffgate review overrides.json [--policy policy.json]');
  if (extra !== undefined) throw new UsageError(`review takes one file (got "${extra}" too)`);
  const at = instantOption(values.at, io);
  const raw = values['due-within-days'];
  const days = raw === undefined ? 14 : Number(raw);
  if (raw !== undefined && (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(days))) throw new UsageError(`--due-within-days must be a number of days, got "${raw}"`);
  const issues: FileIssue[] = [];
  const overrides = file === undefined ? [] : loadOverrides(file, io, issues);
  const account = values.policy === undefined ? undefined : loadAccount(values.policy, io, issues);
  if (issues.length > 0) return reportInvalid(issues, io);
  const result = reviewOverrides(overrides, { at, dueWithinDays: days });
  const layers = account === undefined ? undefined : reviewLayers(account, { at, dueWithinDays: days });
  if (values.json === true) {
    io.stdout(`${JSON.stringify({ at: new Date(at).toISOString(), ...result, ...(layers === undefined ? {} : { layers }) }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (layers !== undefined) {
    io.stdout(`Layers to review at ${new Date(at).toISOString()} (due within ${days} days)\n`);
    for (const [title, items] of [['Overdue', layers.overdue], ['Due', layers.due], ['Expired (no effect; delete)', layers.expired], ['Unscheduled (no review date, no expiry)', layers.unscheduled]] as const) {
      io.stdout(`\n${title}: ${items.length}\n`);
      for (const l of items) {
        const when = l.date === undefined ? '' : ` ${l.dateKind === 'review' ? 'review' : 'expiry'} ${l.date} (${daysText(l.days ?? 0)})`;
        const who = targetWords(l.appliesTo.roles, l.appliesTo.teams).join(', ');
        io.stdout(`  layer ${l.id} #${l.index} for ${who}:${when}\n    "${l.reason}"; sets ${describeSet(l.set)}\n`);
      }
    }
    if (file === undefined) return EXIT.ok;
    io.stdout('\n');
  }
  io.stdout(`Exceptions to review at ${new Date(at).toISOString()} (due within ${days} days)\n`);
  const groups = [
    ['Overdue', result.overdue],
    ['Due', result.due],
    ['Expired (no effect; delete)', result.expired],
    ['Unscheduled (no review date, no expiry)', result.unscheduled],
  ] as const;
  for (const [title, items] of groups) {
    io.stdout(`\n${title}: ${items.length}\n`);
    for (const i of items) {
      const when = i.date === undefined ? '' : ` ${i.dateKind === 'review' ? 'review' : 'expiry'} ${i.date} (${daysText(i.days ?? 0)})`;
      io.stdout(`  ${i.staffId}${i.id === undefined ? '' : ` (${i.id})`} #${i.index}:${when}\n    "${i.reason}"; sets ${describeSet(i.set)}\n`);
    }
  }
  return EXIT.ok;
}

function diff(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(args, { 'fail-on-weakening': { type: 'boolean' }, json: { type: 'boolean' } });
  const [beforeFile, afterFile, extra] = positionals;
  if (beforeFile === undefined || afterFile === undefined) throw new UsageError('diff needs two policy files: staffgate diff before.json after.json');
  if (extra !== undefined) throw new UsageError(`diff takes two files (got "${extra}" too)`);
  const issues: FileIssue[] = [];
  const before = loadAccount(beforeFile, io, issues);
  const after = loadAccount(afterFile, io, issues);
  if (before === undefined || after === undefined || issues.length > 0) return reportInvalid(issues, io);
  const changes = diffPolicies(before, after);
  const weakens = changes.some((c) => c.effect === 'weakening');
  const failed = values['fail-on-weakening'] === true && weakens;
  if (values.json === true) {
    io.stdout(`${JSON.stringify({ changes }, null, 2)}\n`);
    return failed ? EXIT.findings : EXIT.ok;
  }
  if (changes.length === 0) io.stdout('No changes.\n');
  for (const c of changes) io.stdout(`  ${c.effect.padEnd(13)} ${c.path.padEnd(24)} ${c.message}\n`);
  return failed ? EXIT.findings : EXIT.ok;
}

function safety(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parse(args, { actor: { type: 'string' }, admins: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean' } });
  const [currentFile, proposedFile, extra] = positionals;
  if (currentFile === undefined || proposedFile === undefined) throw new UsageError('safety needs two policy files: staffgate safety current.json proposed.json --actor actor.json');
  if (extra !== undefined) throw new UsageError(`safety takes two files (got "${extra}" too)`);
  if (values.actor === undefined) throw new UsageError('safety needs --actor <file>: the admin saving the change');
  const at = instantOption(values.at, io);
  const issues: FileIssue[] = [];
  const current = loadAccount(currentFile, io, issues);
  const proposed = loadAccount(proposedFile, io, issues);
  if (current === undefined || proposed === undefined || issues.length > 0) return reportInvalid(issues, io);
  const actor = readJson(values.actor, io) as AdminAccess;
  const admins = values.admins === undefined ? [] : readJson(values.admins, io);
  if (!Array.isArray(admins)) throw new FileError(`${values.admins ?? ''} must hold a JSON array of admins`);
  let verdict: ReturnType<typeof checkChangeSafety>;
  try {
    verdict = checkChangeSafety(current, proposed, { actor, admins: admins as AdminAccess[], at });
  } catch (err) {
    // A malformed actor or admins file is a file the command cannot use (exit 2), not an
    // unsafe change (exit 1): name the file, as for any other malformed input.
    const [first, ...rest] = isStaffgateError(err) && err.code === 'invalid_option' ? err.path : [];
    const file = first === 'actor' ? values.actor : first === 'admins' ? values.admins : undefined;
    if (file === undefined || !isStaffgateError(err)) throw err;
    const where = rest.length === 0 ? '' : `${pathText(rest)}: `;
    throw new FileError(`${file}: ${where}${err.issues[0]?.message ?? err.message}`);
  }
  if (values.json === true) {
    io.stdout(`${JSON.stringify(verdict, null, 2)}\n`);
    return verdict.safe ? EXIT.ok : EXIT.findings;
  }
  io.stdout(verdict.safe ? 'Safe to save.\n' : 'NOT safe to save.\n');
  for (const r of verdict.reasons) io.stdout(`  ${r.blocking ? 'blocking' : 'notice  '} ${r.code.padEnd(22)} ${r.message}\n`);
  return verdict.safe ? EXIT.ok : EXIT.findings;
}

function schema(args: readonly string[], io: CliIo): number {
  const { positionals } = parse(args, {});
  const [which = 'policy', extra] = positionals;
  if (extra !== undefined) throw new UsageError(`schema takes one argument (got "${extra}" too)`);
  let out: Record<string, unknown>;
  if (which === 'policy') out = accountPolicyJsonSchema();
  else if (which === 'override') out = staffOverrideJsonSchema();
  else if (which === 'overrides') {
    const item = staffOverrideJsonSchema();
    const { $schema, ...rest } = item;
    out = { $schema, type: 'array', items: rest };
  } else throw new UsageError(`schema takes policy, override or overrides (got "${which}")`);
  io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  return EXIT.ok;
}

// ---------------------------------------------------------------- files

class FileError extends Error {}

/** A settings problem, located in a file. */
interface FileIssue {
  readonly file: string;
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

function readJson(file: string, io: CliIo): unknown {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : 'unreadable';
    throw new FileError(`cannot read ${file}: ${why}`);
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') throw new FileError(`${file} is empty: it should hold JSON`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const m = /at position (\d+)/.exec(message);
    // "Unexpected end of JSON input" names no position: the file ends too soon, so the end it is.
    const position = m?.[1] === undefined ? (/end of JSON input/.test(message) ? text.length : undefined) : Number(m[1]);
    const where = position === undefined ? '' : ` (${lineColumn(text, position)})`;
    throw new FileError(`${file} is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/s, '')}${where}`);
  }
}

function loadAccount(file: string, io: CliIo, issues: FileIssue[]): AccountPolicy | undefined {
  const result = safeParseAccountPolicy(readJson(file, io));
  if (result.ok) return result.value;
  for (const i of result.error.issues) issues.push(fileIssue(file, i));
  return undefined;
}

function loadOverrides(file: string, io: CliIo, issues: FileIssue[]): StaffOverride[] {
  const json = readJson(file, io);
  if (!Array.isArray(json)) throw new FileError(`${file} must hold a JSON array of staff overrides (got ${json === null ? 'null' : typeof json})`);
  const out: StaffOverride[] = [];
  for (const [index, item] of (json as unknown[]).entries()) {
    const result = safeParseStaffOverride(item);
    if (result.ok) out.push(result.value);
    else for (const i of result.error.issues) issues.push(fileIssue(file, { ...i, path: [index, ...i.path] }));
  }
  return out;
}

function fileIssue(file: string, issue: StaffgateIssue): FileIssue {
  return { file, code: issue.code, path: pathText(issue.path), message: issue.message };
}

function reportInvalid(issues: readonly FileIssue[], io: CliIo): number {
  io.stderr('staffgate: the settings are not valid\n');
  for (const i of issues) io.stderr(`  ${i.code.padEnd(20)} ${i.file}: ${i.path}: ${i.message}\n`);
  return EXIT.findings;
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

// ---------------------------------------------------------------- options and formatting

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

function parse<T extends OptionSpec>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));
  }
}

function instantOption(value: string | undefined, io: CliIo): number {
  if (value === undefined) return io.now().getTime();
  const ms = toEpochMs(value);
  if (Number.isNaN(ms)) throw new UsageError(`--at must be an ISO 8601 instant with Z or an offset, e.g. 2026-11-23T08:30:00Z (got "${value}")`);
  return ms;
}

// check's --admins: staff ids separated by commas, or (as safety takes it) a .json file of
// ids or of admins with a staffId. A file name read as one id would drop every admin finding.
function adminIds(value: string | undefined, io: CliIo): string[] {
  if (value === undefined || !value.toLowerCase().endsWith('.json')) return listOption(value);
  const data = readJson(value, io);
  if (!Array.isArray(data)) throw new FileError(`${value} must hold a JSON array of staff ids or admins`);
  return (data as unknown[]).map((a, i) => {
    const id: unknown = typeof a === 'object' && a !== null ? (a as { staffId?: unknown }).staffId : a;
    if (typeof id !== 'string' || id === '') throw new FileError(`${value}: [${String(i)}]: must be a staff id or an admin with a staffId`);
    return id;
  });
}

function listOption(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function oneOf<const T extends string>(value: string | undefined, name: string, allowed: readonly T[], required: true): T;
function oneOf<const T extends string>(value: string | undefined, name: string, allowed: readonly T[], required: false): T | undefined;
function oneOf<const T extends string>(value: string | undefined, name: string, allowed: readonly T[], required: boolean): T | undefined {
  if (value === undefined) {
    if (required) throw new UsageError(`--${name} is required: one of ${allowed.join(', ')}`);
    return undefined;
  }
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

function formatFinding(f: PolicyFinding): string {
  return `  ${f.severity.padEnd(8)} ${f.code.padEnd(28)} ${f.path}\n           ${f.message}\n`;
}

function describeDecision(d: LoginDecision): string {
  const lines: string[] = [];
  const challenge = d.challenge === undefined ? '' : d.challenge.step === 'email_code' ? ' (next: e-mailed code)' : ` (next: ${d.challenge.step} ${d.challenge.factors.join('/')})`;
  lines.push(`Decision: ${d.outcome.toUpperCase()}${challenge}`);
  for (const r of d.reasons) lines.push(`  ${r.code} [${r.source}]: ${r.message}`, `    ${r.detail}`);
  if (d.retryAt !== undefined) lines.push(`  retry at ${new Date(d.retryAt).toISOString()}`);
  if (d.reported !== undefined) {
    lines.push('Reported by report-only rules (not enforced):');
    for (const r of d.reported) lines.push(`  ${r.code} [${r.source}] would ${r.wouldBe}: ${r.message}`, `    ${r.detail}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeSet(set: StaffOverride['set']): string {
  const parts: string[] = [];
  for (const [group, value] of Object.entries(set)) {
    if (Array.isArray(value)) parts.push(`${group} = ${value.join(', ')}`);
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value as object)) parts.push(`${group}.${k} = ${JSON.stringify(v)}`);
  }
  return parts.join('; ') || 'nothing';
}

function daysText(days: number): string {
  if (days === 0) return 'today';
  return days > 0 ? `in ${plural(days, 'day')}` : `${plural(-days, 'day')} ago`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function pathText(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}
