import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../cli/main.js';

const office = {
  loginMethods: ['google', 'microsoft'],
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] },
  api: { maxKeyLifetimeDays: 365 },
};
const overrides = [
  { staffId: 'sam', reason: 'Field sales: signs in from customer sites', reviewBy: '2026-11-01T00:00:00Z', set: { ipLockdown: { enabled: false } } },
  { staffId: 'ada', reason: 'ok', reviewBy: '2027-06-01T00:00:00Z', set: { twoFactor: { required: false } } },
];
const files: Record<string, string> = {
  'policy.json': JSON.stringify(office),
  'overrides.json': JSON.stringify(overrides),
  'sam.json': JSON.stringify([overrides[0]]),
  'locked.json': JSON.stringify({ ...office, ipLockdown: { enabled: true, allow: [] } }),
  'open.json': JSON.stringify({ ...office, ipLockdown: { enabled: false, allow: [] } }),
  'broken.json': '{\n  "ipLockdown": { "enabled": true, }\n}',
  'empty.json': '  \n',
  'bom.json': `\uFEFF${JSON.stringify(office)}`,
  'invalid.json': JSON.stringify({ loginHours: { timezone: 'America/Bogus' }, ipLockdown: { allow: ['10.0.0.0/33'] } }),
  'bad-overrides.json': JSON.stringify([overrides[0], { staffId: 'x', reason: ' ', set: {} }]),
  'object.json': JSON.stringify({ staffId: 'sam' }),
  'actor.json': JSON.stringify({ staffId: 'ada', method: 'google', ip: '203.0.113.10', enrolled: ['totp'] }),
  'admins.json': JSON.stringify([{ staffId: 'grace', method: 'microsoft', ip: '203.0.113.20', enrolled: ['totp'] }]),
  'null.json': 'null',
  'layers.json': JSON.stringify({
    ...office,
    layers: [{ id: 'sales-travel', reason: 'The sales team signs in from customer sites', appliesTo: { teams: ['sales'] }, set: { ipLockdown: { enabled: false } } }],
  }),
  'ada-admin.json': JSON.stringify([{ staffId: 'ada', method: 'google', ip: '203.0.113.10', enrolled: ['totp'] }]),
  'truncated.json': '{\n  "ipLockdown": ',
  'bad-admins.json': JSON.stringify([{ staffId: 'grace', method: 'microsoft', ip: '203.0.113.20' }, { method: 'google' }]),
};

function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (path) => {
      if (path === 'dir') throw Object.assign(new Error('EISDIR: illegal operation on a directory'), { code: 'EISDIR' });
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
    now: () => new Date('2026-11-23T09:00:00Z'),
    version: '9.9.9',
  };
  const code = runCli(args, io);
  return { code, stdout, stderr };
}

describe('staffgate check', () => {
  it('valid settings with only warnings exit 0 and list the findings', () => {
    const r = run('check', 'policy.json', 'overrides.json', '--admins', 'ada');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('policy.json and overrides.json: valid; lint at 2026-11-23T09:00:00.000Z');
    expect(r.stdout).toMatch(/warning\s+override_review_overdue\s+overrides\[0\]\.reviewBy/);
    expect(r.stdout).toMatch(/warning\s+override_weakens_admin\s+overrides\[1\]\.set\.twoFactor\.required/);
    expect(r.stdout).toContain('0 errors, 3 warnings');
  });

  it('--admins also takes the admins file that safety takes (a file name is not one staff id)', () => {
    const r = run('check', 'policy.json', 'overrides.json', '--admins', 'ada-admin.json');
    expect(r.stdout).toMatch(/warning\s+override_weakens_admin\s+overrides\[1\]\.set\.twoFactor\.required/);
    expect(run('check', 'policy.json', '--admins', 'bad-admins.json')).toMatchObject({ code: 2, stderr: expect.stringContaining('bad-admins.json: [1]: must be a staff id or an admin with a staffId') as string });
  });

  it('--strict fails on warnings', () => {
    expect(run('check', 'policy.json', 'overrides.json', '--strict').code).toBe(1);
    expect(run('check', 'policy.json', '--strict').code).toBe(0);
  });

  it('a lint error exits 1', () => {
    const r = run('check', 'locked.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error\s+ip_lockdown_empty_allowlist\s+ipLockdown\.allow/);
    expect(r.stdout).toContain('1 error,');
  });

  it('--at decides what is overdue', () => {
    expect(run('check', 'policy.json', 'overrides.json', '--at', '2026-10-01T00:00:00Z').stdout).not.toContain('override_review_overdue');
  });

  it('invalid settings exit 1 with every problem, its file and its path', () => {
    const r = run('check', 'policy.json', 'bad-overrides.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the settings are not valid');
    expect(r.stdout).toMatch(/invalid_override\s+bad-overrides\.json: \[1\]\.reason/);
    const semantic = run('check', 'invalid.json');
    expect(semantic.stdout).toMatch(/invalid_time_zone\s+invalid\.json: loginHours\.timezone/);
    expect(semantic.stdout).toMatch(/invalid_ip_entry\s+invalid\.json: ipLockdown\.allow\[0\]/);
  });

  it('--json gives a machine-readable result with the same exit code', () => {
    const r = run('check', 'locked.json', '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; findings: { code: string }[] };
    expect(out.ok).toBe(false);
    expect(out.findings.map((f) => f.code)).toContain('ip_lockdown_empty_allowlist');
  });

  it('a file starting with a byte-order mark is read', () => {
    expect(run('check', 'bom.json').code).toBe(0);
  });
});

describe('staffgate check and review with layers', () => {
  it('check --roles and --teams flag layers that target roles or teams that do not exist', () => {
    const r = run('check', 'layers.json', '--at', '2026-11-23T09:00:00Z', '--teams', 'support', '--json');
    const findings = (JSON.parse(r.stdout) as { findings: { code: string; path: string }[] }).findings;
    expect(findings.filter((f) => f.code === 'layer_unknown_team').map((f) => f.path)).toEqual(['layers[0].appliesTo.teams[0]']);
    const known = JSON.parse(run('check', 'layers.json', '--at', '2026-11-23T09:00:00Z', '--teams', 'sales,support', '--json').stdout) as { findings: { code: string }[] };
    expect(known.findings.map((f) => f.code)).not.toContain('layer_unknown_team');
  });

  it('review --policy lists the layers due for review, with or without an overrides file', () => {
    const alone = run('review', '--policy', 'layers.json', '--at', '2027-01-01T00:00:00Z');
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('Layers to review at 2027-01-01T00:00:00.000Z');
    expect(alone.stdout).toContain('layer sales-travel #0 for team sales:');
    expect(alone.stdout).not.toContain('Exceptions to review');
    const both = run('review', 'overrides.json', '--policy', 'layers.json', '--at', '2027-01-01T00:00:00Z', '--json');
    const json = JSON.parse(both.stdout) as { overdue: unknown[]; layers: { unscheduled: { id: string }[] } };
    expect(json.layers.unscheduled.map((l) => l.id)).toEqual(['sales-travel']);
    expect(run('review').stderr).toContain('review needs an overrides file, a --policy file for its layers, or both');
  });
});

describe('staffgate simulate', () => {
  it('--team and --role apply the policy’s layers, and the trace names the layer that decided', () => {
    const base = ['simulate', '--policy', 'layers.json', '--method', 'google', '--ip', '198.51.100.7', '--at', '2026-11-23T08:30:00Z', '--verified', 'totp', '--enrolled', 'totp'];
    const outsider = run(...base, '--expect', 'deny');
    expect(outsider.code).toBe(0);
    const sales = run(...base, '--team', 'sales,north', '--role', 'member', '--expect', 'allow');
    expect(sales.code).toBe(0);
    expect(sales.stdout).toContain('(role member, team sales, team north) signs in');
    expect(sales.stdout).toContain('applied  layer sales-travel (for team sales) weakening: "The sales team signs in from customer sites"');
    expect(sales.stdout).toContain('[layer sales-travel: "The sales team signs in from customer sites"]');
    expect(sales.stderr).toBe('staffgate: note: no layer of layers.json targets role member, team north.\n');
    const json = JSON.parse(run(...base, '--team', 'sales', '--json').stdout) as { decision: { outcome: string }; policy: { sources: Record<string, unknown> } };
    expect(json.decision.outcome).toBe('allow');
    expect(json.policy.sources['ipLockdown.enabled']).toEqual({ layer: 'layer', layerId: 'sales-travel', layerIndex: 0 });
  });

  it('prints the what-if with its full trace', () => {
    const r = run('simulate', '--policy', 'policy.json', '--overrides', 'sam.json', '--method', 'google', '--ip', '198.51.100.7', '--at', '2026-11-23T08:30:00Z', '--enrolled', 'totp');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('What if sam signs in with google from 198.51.100.7 at 2026-11-23T08:30:00.000Z?');
    expect(r.stdout).toContain('applied  override #0 weakening: "Field sales: signs in from customer sites" [review overdue]');
    expect(r.stdout).toMatch(/OFF\s+ip\s+IP lockdown is off; 198\.51\.100\.7 is a valid address\./);
    expect(r.stdout).toMatch(/PASS\s+login_hours\s+mon 2026-11-23 08:30 in Europe\/London is inside the hours\./);
    expect(r.stdout).toMatch(/PENDING\s+second_factor/);
    expect(r.stdout).toContain('Decision: CHALLENGE (next: second_factor totp)');
  });

  it('--expect exits 1 when the outcome differs, 0 when it matches', () => {
    const base = ['simulate', '--policy', 'policy.json', '--method', 'google', '--ip', '198.51.100.7', '--at', '2026-11-23T08:30:00Z'];
    expect(run(...base, '--expect', 'deny').code).toBe(0);
    const r = run(...base, '--expect', 'allow');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Expected allow, got deny.');
  });

  it('--json prints the decision and the trace', () => {
    const r = run('simulate', '--policy', 'policy.json', '--method', 'microsoft', '--ip', '203.0.113.9', '--verified', 'totp', '--json');
    const out = JSON.parse(r.stdout) as { decision: { outcome: string }; trace: { rule: string }[] };
    expect(out.decision.outcome).toBe('allow');
    expect(out.trace.map((t) => t.rule)).toEqual(['attempt', 'method', 'ip', 'login_hours', 'email_code', 'second_factor']);
  });

  it('overrides of several people need --staff', () => {
    const r = run('simulate', '--policy', 'policy.json', '--overrides', 'overrides.json', '--method', 'google', '--ip', '203.0.113.9');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('several people (sam, ada); pick one with --staff <id>');
    expect(run('simulate', '--policy', 'policy.json', '--overrides', 'overrides.json', '--staff', 'ada', '--method', 'google', '--ip', '203.0.113.9').code).toBe(0);
  });

  it('a --staff id with no override in the file is simulated on the account rules, with a note', () => {
    const r = run('simulate', '--policy', 'policy.json', '--overrides', 'overrides.json', '--staff', 'smа', '--method', 'google', '--ip', '203.0.113.9');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('note: overrides.json holds no override of "smа"; the account\'s rules apply to them.');
    expect(run('simulate', '--policy', 'policy.json', '--overrides', 'overrides.json', '--staff', 'sam', '--method', 'google', '--ip', '203.0.113.9').stderr).toBe('');
  });
});

describe('staffgate review, diff, safety, schema', () => {
  it('review lists the exceptions to look at', () => {
    const r = run('review', 'overrides.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Overdue: 1');
    expect(r.stdout).toContain('sam #0: review 2026-11-01T00:00:00Z (22 days ago)');
    expect(r.stdout).toContain('sets ipLockdown.enabled = false');
    expect(run('review', 'overrides.json', '--due-within-days', 'soon').code).toBe(2);
  });

  it('diff marks each change; --fail-on-weakening trips on a weakening one', () => {
    const r = run('diff', 'policy.json', 'open.json');
    expect(r.stdout).toMatch(/weakening\s+ipLockdown\.enabled\s+IP lockdown: on → off/);
    expect(r.code).toBe(0);
    expect(run('diff', 'policy.json', 'open.json', '--fail-on-weakening').code).toBe(1);
    expect(run('diff', 'open.json', 'policy.json', '--fail-on-weakening').code).toBe(0);
    expect(run('diff', 'policy.json', 'policy.json').stdout).toBe('No changes.\n');
  });

  it('safety refuses a change that locks out the actor', () => {
    const r = run('safety', 'policy.json', 'locked.json', '--actor', 'actor.json', '--admins', 'admins.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT safe to save.');
    expect(r.stdout).toMatch(/blocking all_admins_locked_out/);
    expect(run('safety', 'policy.json', 'policy.json', '--actor', 'actor.json').stdout).toBe('Safe to save.\n');
  });

  it.each([
    ['policy', 'loginMethods'],
    ['override', 'staffId'],
  ])('schema %s prints JSON Schema', (which, property) => {
    const r = run('schema', which);
    const schema = JSON.parse(r.stdout) as { $schema: string; properties: Record<string, unknown> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties).toHaveProperty(property);
  });

  it('schema overrides describes the overrides file: an array', () => {
    const schema = JSON.parse(run('schema', 'overrides').stdout) as { type: string; items: { properties: Record<string, unknown> } };
    expect(schema.type).toBe('array');
    expect(schema.items.properties).toHaveProperty('reason');
    expect(JSON.parse(run('schema').stdout)).toEqual(JSON.parse(run('schema', 'policy').stdout));
  });
});

describe('friendly errors', () => {
  const table: { args: string[]; code: number; stderr: string }[] = [
    { args: ['check', 'missing.json'], code: 2, stderr: 'staffgate: cannot read missing.json: no such file' },
    { args: ['check', 'dir'], code: 2, stderr: 'staffgate: cannot read dir: it is a directory' },
    { args: ['check', 'broken.json'], code: 2, stderr: 'staffgate: broken.json is not valid JSON: Expected double-quoted property name (line 2, column 36)' },
    { args: ['check', 'truncated.json'], code: 2, stderr: 'staffgate: truncated.json is not valid JSON: Unexpected end of JSON input (line 2, column 17)' },
    { args: ['check', 'empty.json'], code: 2, stderr: 'staffgate: empty.json is empty: it should hold JSON' },
    { args: ['check', 'policy.json', 'object.json'], code: 2, stderr: 'staffgate: object.json must hold a JSON array of staff overrides (got object)' },
    { args: ['check'], code: 2, stderr: 'check needs a policy file' },
    { args: ['check', 'a', 'b', 'c'], code: 2, stderr: 'check takes at most two files' },
    { args: ['check', 'policy.json', '--at', 'yesterday'], code: 2, stderr: '--at must be an ISO 8601 instant' },
    { args: ['check', 'policy.json', '--bogus'], code: 2, stderr: "Unknown option '--bogus'" },
    { args: ['simulate', '--policy', 'policy.json', '--ip', '1.2.3.4'], code: 2, stderr: '--method is required: one of google, microsoft, password' },
    { args: ['simulate', '--policy', 'policy.json', '--method', 'sms', '--ip', '1.2.3.4'], code: 2, stderr: '--method must be one of google, microsoft, password (got "sms")' },
    { args: ['simulate', '--policy', 'policy.json', '--method', 'google'], code: 2, stderr: 'simulate needs --ip <address>' },
    { args: ['simulate', '--policy', 'policy.json', '--method', 'google', '--ip', '1.2.3.4', '--verified', 'password'], code: 2, stderr: '--verified must be one of email_code, totp, sms, email' },
    { args: ['simulate', '--policy', 'invalid.json', '--method', 'google', '--ip', '1.2.3.4'], code: 1, stderr: 'invalid_time_zone' },
    { args: ['simulate', 'policy.json'], code: 2, stderr: 'use --policy <file>' },
    { args: ['safety', 'policy.json', 'locked.json'], code: 2, stderr: 'safety needs --actor <file>' },
    // A malformed actor or admins file cannot be used (2), it does not make the change unsafe (1).
    { args: ['safety', 'policy.json', 'locked.json', '--actor', 'null.json'], code: 2, stderr: 'staffgate: null.json: must describe an admin with a staffId, method and ip' },
    { args: ['safety', 'policy.json', 'locked.json', '--actor', 'actor.json', '--admins', 'bad-admins.json'], code: 2, stderr: 'staffgate: bad-admins.json: [1]: must describe an admin' },
    { args: ['schema', 'roles'], code: 2, stderr: 'schema takes policy, override or overrides (got "roles")' },
    { args: ['frobnicate'], code: 2, stderr: 'unknown command "frobnicate"' },
    { args: [], code: 2, stderr: 'Usage: staffgate <command>' },
  ];
  it.each(table)('$args → exit $code', ({ args, code, stderr }) => {
    const r = run(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(stderr);
    expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('--help and --version', () => {
    expect(run('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('check <policy.json> [overrides.json]') as string });
    expect(run('--version')).toEqual({ code: 0, stdout: '9.9.9\n', stderr: '' });
  });
});

describe('the staffgate executable', () => {
  it('runs from a clean clone through tsx, with real files and exit codes', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const policy = fileURLToPath(new URL('./fixtures/locked.json', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/staffgate.ts', 'check', policy, '--at', '2026-11-23T09:00:00Z'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/error\s+ip_lockdown_empty_allowlist/);
    expect(r.status).toBe(1);
    const missing = spawnSync(process.execPath, ['--import', 'tsx', 'cli/staffgate.ts', 'check', 'no/such/policy.json'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('staffgate: cannot read no/such/policy.json: no such file\n');
  }, 60_000);

  it('stops quietly when the reader goes away (`staffgate review … | head`)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'staffgate-cli-'));
    const file = join(dir, 'overrides.json');
    // Far more output than a pipe holds, so the writes go on after the reader has exited.
    writeFileSync(file, JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ staffId: `u${i}`, reason: 'Field sales: signs in from customer sites', set: { ipLockdown: { enabled: false } } }))));
    try {
      const r = spawnSync('/bin/sh', ['-c', `"$0" --import tsx cli/staffgate.ts review "$1" --at 2026-11-23T09:00:00Z | head -c 1 >/dev/null`, process.execPath, file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).not.toContain('EPIPE');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
