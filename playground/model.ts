// Everything the playground shows, computed from its state by the library itself: pure, so the
// tests run it in Node as well as in the page. Input is hostile (anything can be typed, pasted
// or linked): every part returns a result or a message at its place, never throws.
import {
  checkChangeSafety,
  compileLoginHours,
  isWithinLoginHours,
  resolveLocalTime,
  WEEKDAYS as LIBRARY_WEEKDAYS,
  lintPolicy,
  reviewLayers,
  reviewOverrides,
  safeParseAccountPolicy,
  safeParseStaffOverride,
  simulateLogin,
  type AccountPolicy,
  type ChangeSafety,
  type CompiledLoginHours,
  type EffectivePolicy,
  type LayerReview,
  type LoginSimulation,
  type OverrideReview,
  type PolicyFinding,
  type StaffOverride,
} from 'staffgate';
import { MAX_TEXT, type PlaygroundState } from './state.js';

/** A problem at a place in an editor: a JSON syntax error (with line and column) or a settings error (with its path). */
export interface EditorIssue {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly EditorIssue[] };

export interface WeekChart {
  readonly title: string;
  readonly timezone: string;
  /** Seven local days from Monday; each 96 quarter hours: open, closed, or absent (skipped by a clock change). */
  readonly days: readonly { readonly label: string; readonly slots: readonly ('open' | 'closed' | 'absent')[] }[];
  /** Where the what-if instant falls: day 0–6 and quarter hour 0–95. */
  readonly now?: { readonly day: number; readonly slot: number };
  /** Where the present instant (the page's clock) falls, when it is in this week. */
  readonly present?: { readonly day: number; readonly slot: number };
  /** Clock changes in the week, at their day and quarter hour. */
  readonly changes: readonly { readonly day: number; readonly slot: number; readonly text: string }[];
  readonly enabled: boolean;
}

export interface Analysis {
  readonly account: Parsed<AccountPolicy>;
  readonly overrides: Parsed<StaffOverride[]>;
  readonly saved: Parsed<AccountPolicy>;
  readonly findings?: readonly PolicyFinding[];
  readonly review?: { readonly overrides: OverrideReview; readonly layers: LayerReview };
  readonly whatIf: { readonly ok: true; readonly simulation: LoginSimulation; readonly localTime: string } | { readonly ok: false; readonly message: string };
  readonly charts: readonly WeekChart[];
  readonly safety?: { readonly ok: true; readonly result: ChangeSafety } | { readonly ok: false; readonly message: string };
}

/** Parses an editor's JSON text: syntax errors with line and column, then the library's own checks. */
export function parseJson(text: string, label: string): Parsed<unknown> {
  if (text.length > MAX_TEXT) {
    return { ok: false, issues: [{ path: label, message: `is too large (${String(Math.round(text.length / 1024))} KB; the playground takes up to ${String(MAX_TEXT / 1024)} KB)` }] };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : undefined;
    const where = offset === undefined ? {} : lineColumn(text, offset);
    return { ok: false, issues: [{ path: label, message: `is not valid JSON: ${message.replace(/^JSON\.parse: /, '')}`, ...where }] };
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function settings<T>(text: string, label: string, parse: (value: unknown) => { ok: true; value: T } | { ok: false; error: { issues: readonly { path: readonly (string | number)[]; message: string }[] } }): Parsed<T> {
  const json = parseJson(text, label);
  if (!json.ok) return json;
  const r = parse(json.value);
  if (r.ok) return { ok: true, value: r.value };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: pathText(i.path) || label, message: i.message })) };
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${String(p)}]` : i === 0 ? p : `.${p}`)).join('');
}

function parseOverrides(value: unknown): { ok: true; value: StaffOverride[] } | { ok: false; error: { issues: { path: (string | number)[]; message: string }[] } } {
  if (!Array.isArray(value)) return { ok: false, error: { issues: [{ path: [], message: 'must be a JSON array of staff overrides' }] } };
  const out: StaffOverride[] = [];
  const issues: { path: (string | number)[]; message: string }[] = [];
  (value as unknown[]).forEach((o, i) => {
    const r = safeParseStaffOverride(o);
    if (r.ok) out.push(r.value);
    else for (const issue of r.error.issues) issues.push({ path: [i, ...issue.path], message: issue.message });
  });
  return issues.length > 0 ? { ok: false, error: { issues } } : { ok: true, value: out };
}

const ids = (text: string): string[] => [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];

/** Everything the page shows for `state`; `present` is the page's clock, marked on the charts when it falls in their week. */
export function analyse(state: PlaygroundState, present?: number): Analysis {
  const account = settings(state.account, 'account policy', safeParseAccountPolicy);
  const overrides = settings(state.overrides, 'overrides', parseOverrides);
  const saved = settings(state.saved, 'saved policy', safeParseAccountPolicy);
  const w = state.whatIf;
  const member = { roles: ids(w.roles), teams: ids(w.teams) };
  const staffId = w.staffId.trim();
  const at = Date.parse(w.at);
  // An instant with an offset, far enough inside the range of a JavaScript Date that the week
  // around it can be walked (±8.64e15 ms, less eight days).
  const validAt = /(Z|[+-]\d\d:\d\d)$/.test(w.at.trim()) && !Number.isNaN(at) && Math.abs(at) < 8.64e15 - 8 * 86_400_000;

  if (!account.ok || !overrides.ok) {
    return { account, overrides, saved, whatIf: { ok: false, message: 'Fix the settings first: the what-if runs on valid settings.' }, charts: [] };
  }
  const a = account.value;
  const os = overrides.value;
  const judgedAt = validAt ? at : undefined;
  const members = staffId === '' ? undefined : { [staffId]: member };
  const findings = judgedAt === undefined ? undefined : lintPolicy(a, os, { at: judgedAt, ...(members ? { members } : {}) });
  const review = judgedAt === undefined ? undefined : { overrides: reviewOverrides(os, { at: judgedAt }), layers: reviewLayers(a, { at: judgedAt }) };

  let whatIf: Analysis['whatIf'];
  let policy: EffectivePolicy | undefined;
  if (!validAt) {
    whatIf = { ok: false, message: `"${w.at}" is not an instant the playground can show: write ISO 8601 with Z or an offset, e.g. 2026-11-23T09:30:00Z.` };
  } else {
    const mine = os.filter((o) => o.staffId === staffId);
    const simulation = simulateLogin(a, mine, { method: w.method, ip: w.ip, at, verified: [...w.verified], enrolled: [...w.enrolled] }, { ...(staffId === '' ? {} : { staffId }), member });
    policy = simulation.policy;
    whatIf = { ok: true, simulation, localTime: localTime(at, policy.loginHours.timezone) };
  }

  const charts: WeekChart[] = [weekChart('Account login hours', a.loginHours.enabled, a.loginHours.timezone, a.loginHours.windows, judgedAt, present)];
  if (policy !== undefined && (policy.loginHours.timezone !== a.loginHours.timezone || policy.loginHours.windows !== a.loginHours.windows || policy.loginHours.enabled !== a.loginHours.enabled)) {
    charts.push(weekChart(`${staffId === '' ? 'This person' : staffId}’s login hours`, policy.loginHours.enabled, policy.loginHours.timezone, policy.loginHours.windows, judgedAt, present));
  }

  let safety: Analysis['safety'];
  if (!saved.ok) safety = { ok: false, message: 'The saved policy is not valid: fix it to compare.' };
  else if (!validAt) safety = { ok: false, message: 'Give the what-if a valid instant to check the change at.' };
  else {
    const actor = { staffId: staffId === '' ? 'you' : staffId, method: w.method, ip: w.ip, enrolled: [...w.enrolled], member, overrides: os.filter((o) => o.staffId === staffId) };
    safety = { ok: true, result: checkChangeSafety(saved.value, a, { actor, admins: [actor], at }) };
  }
  return { account, overrides, saved, ...(findings ? { findings } : {}), ...(review ? { review } : {}), whatIf, charts, safety };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Local calendar fields of an instant in a zone, by the runtime's Intl. */
const clocks = new Map<string, CompiledLoginHours>();

/**
 * Local calendar fields of an instant in a zone, by the library's own reading
 * (resolveLocalTime): the same wall clock isWithinLoginHours judges, so a chart cannot
 * disagree with a decision. The offset is written GMT, GMT+1, GMT+5:45.
 */
function local(ms: number, timezone: string): { y: number; m: number; d: number; h: number; min: number; weekday: number; offset: string } {
  let clock = clocks.get(timezone);
  if (clock === undefined) {
    clock = compileLoginHours({ timezone, windows: [] });
    clocks.set(timezone, clock);
  }
  const t = resolveLocalTime(clock, ms);
  const [y = 0, m = 0, d = 0] = (t?.date ?? '').split('-').map(Number);
  const [h = 0, min = 0] = (t?.time ?? '').split(':').map(Number);
  const off = t?.offsetMinutes ?? 0;
  const abs = Math.abs(off);
  const offset = off === 0 ? 'GMT' : `GMT${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60))}${abs % 60 === 0 ? '' : `:${String(abs % 60).padStart(2, '0')}`}`;
  return { y, m, d, h, min, weekday: t === null ? 0 : (LIBRARY_WEEKDAYS as readonly string[]).indexOf(t.weekday), offset };
}

function localTime(ms: number, timezone: string): string {
  const l = local(ms, timezone);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${WEEKDAYS[l.weekday] ?? ''} ${String(l.y)}-${pad(l.m)}-${pad(l.d)} ${pad(l.h)}:${pad(l.min)} in ${timezone} (${l.offset})`;
}

/**
 * The week (Monday to Sunday, local) around `at` in `timezone`, in quarter hours: each open when
 * the hours admit its first minute, absent when a clock change skips it. The slots are found by
 * walking real instants every 15 minutes from the Monday, so repeated and skipped local times
 * come out as they are.
 */
export function weekChart(title: string, enabled: boolean, timezone: string, windows: AccountPolicy['loginHours']['windows'], at: number | undefined, present?: number): WeekChart {
  const base = at ?? Date.UTC(2026, 10, 23, 12);
  const compiled = compileLoginHours({ timezone, windows });
  const l = local(base, timezone);
  // Local Monday 00:00: step back to the Monday, then walk to midnight by quarter hours.
  let start = base - (l.weekday * 24 + l.h) * 3_600_000 - l.min * 60_000;
  start -= start % 60_000;
  const days = WEEKDAYS.map((label) => ({ label, slots: Array.from({ length: 96 }, (): 'open' | 'closed' | 'absent' => 'absent') }));
  const changes: { day: number; slot: number; text: string }[] = [];
  let previous: string | undefined;
  let now: WeekChart['now'];
  let presentSlot: WeekChart['present'];
  const weekStartDay = local(start, timezone);
  for (let t = start - 3 * 3_600_000; t < start + 8 * 86_400_000; t += 15 * 60_000) {
    const p = local(t, timezone);
    const dayIndex = Math.round((Date.UTC(p.y, p.m - 1, p.d) - Date.UTC(weekStartDay.y, weekStartDay.m - 1, weekStartDay.d)) / 86_400_000);
    const slot = p.h * 4 + Math.floor(p.min / 15);
    if (previous !== undefined && p.offset !== previous && dayIndex >= 0 && dayIndex < 7) changes.push({ day: dayIndex, slot, text: `${previous} → ${p.offset}` });
    previous = p.offset;
    if (dayIndex < 0 || dayIndex > 6) continue;
    const day = days[dayIndex];
    if (day === undefined) continue;
    day.slots[slot] = !enabled || isWithinLoginHours(compiled, t) ? 'open' : 'closed';
    if (at !== undefined && at >= t && at < t + 15 * 60_000) now = { day: dayIndex, slot };
    if (present !== undefined && present >= t && present < t + 15 * 60_000) presentSlot = { day: dayIndex, slot };
  }
  return { title, timezone, days, changes, enabled, ...(now ? { now } : {}), ...(presentSlot ? { present: presentSlot } : {}) };
}
