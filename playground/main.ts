// The playground page: the editors and the what-if form hold the state; every change re-runs
// the analysis (model.ts) and rewrites the link. No framework: the page is small, and every
// text that came from the state is set as text, never as HTML.
import { analyse, type Analysis, type EditorIssue, type Parsed, type WeekChart } from './model.js';
import { DEFAULT_STATE, EXAMPLES } from './examples.js';
import { decodeState, encodeState, FACTORS, MAX_FRAGMENT, METHODS, STEPS, type Factor, type Method, type PlaygroundState, type Step } from './state.js';

const $ = (id: string): HTMLElement => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
};
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
};

const account = $('account') as HTMLTextAreaElement;
const overrides = $('overrides') as HTMLTextAreaElement;
const saved = $('saved') as HTMLTextAreaElement;
const form = $('whatif') as HTMLFormElement;
const linkStatus = $('link-status');

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const f = form.elements.namedItem(name);
  if (!(f instanceof HTMLInputElement) && !(f instanceof HTMLSelectElement)) throw new Error(`the form has no ${name}`);
  return f;
}

function checked<T extends string>(name: string, known: readonly T[]): T[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)].filter((b) => b.checked && (known as readonly string[]).includes(b.value)).map((b) => b.value as T);
}

function readState(): PlaygroundState {
  const method = field('method').value;
  return {
    account: account.value,
    overrides: overrides.value,
    saved: saved.value,
    whatIf: {
      staffId: field('staffId').value,
      roles: field('roles').value,
      teams: field('teams').value,
      method: (METHODS as readonly string[]).includes(method) ? (method as Method) : 'google',
      ip: field('ip').value,
      at: field('at').value,
      verified: checked<Step>('verified', STEPS),
      enrolled: checked<Factor>('enrolled', FACTORS),
    },
  };
}

function writeState(state: PlaygroundState): void {
  account.value = state.account;
  overrides.value = state.overrides;
  saved.value = state.saved;
  const w = state.whatIf;
  field('staffId').value = w.staffId;
  field('roles').value = w.roles;
  field('teams').value = w.teams;
  field('method').value = w.method;
  field('ip').value = w.ip;
  field('at').value = w.at;
  for (const b of form.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) {
    b.checked = b.name === 'verified' ? (w.verified as readonly string[]).includes(b.value) : (w.enrolled as readonly string[]).includes(b.value);
  }
}

function showIssues(list: HTMLElement, parsed: Parsed<unknown>, editor: HTMLTextAreaElement): void {
  list.replaceChildren();
  editor.setAttribute('aria-invalid', String(!parsed.ok));
  if (parsed.ok) return;
  for (const issue of parsed.issues) list.append(el('li', issueText(issue)));
}

function issueText(i: EditorIssue): string {
  const where = i.line === undefined ? i.path : `${i.path}, line ${String(i.line)}, column ${String(i.column ?? 0)}`;
  return `${where}: ${i.message}`;
}

const MAX_SHOWN = 200;

function render(a: Analysis): void {
  showIssues($('account-errors'), a.account, account);
  showIssues($('overrides-errors'), a.overrides, overrides);
  showIssues($('saved-errors'), a.saved, saved);

  const lint = $('lint');
  lint.replaceChildren();
  if (a.findings === undefined) lint.append(el('li', 'Nothing to lint until the settings and the instant are valid.', 'muted'));
  else if (a.findings.length === 0) lint.append(el('li', 'No findings.', 'muted'));
  for (const f of (a.findings ?? []).slice(0, MAX_SHOWN)) {
    const li = el('li', undefined, `finding ${f.severity}`);
    li.append(el('strong', `${f.severity} ${f.code}`), el('code', f.path), el('span', f.message));
    lint.append(li);
  }
  if ((a.findings?.length ?? 0) > MAX_SHOWN) lint.append(el('li', `… and ${String((a.findings?.length ?? 0) - MAX_SHOWN)} more.`, 'muted'));

  const review = $('review');
  review.replaceChildren();
  const r = a.review;
  if (r !== undefined) {
    for (const [list, items] of [['overdue', r.overrides.overdue], ['due', r.overrides.due], ['expired', r.overrides.expired], ['unscheduled', r.overrides.unscheduled]] as const) {
      for (const o of items) review.append(el('li', `${list}: override of ${o.staffId} (“${o.reason}”)${o.date === undefined ? '' : `, ${o.dateKind ?? ''} ${o.date}`}`));
    }
    for (const [list, items] of [['overdue', r.layers.overdue], ['due', r.layers.due], ['expired', r.layers.expired], ['unscheduled', r.layers.unscheduled]] as const) {
      for (const l of items) review.append(el('li', `${list}: layer ${l.id} (“${l.reason}”)${l.date === undefined ? '' : `, ${l.dateKind ?? ''} ${l.date}`}`));
    }
    if (review.childElementCount === 0) review.append(el('li', 'Nothing due for review.', 'muted'));
  }

  const decision = $('decision');
  const tbody = $('trace').querySelector('tbody');
  tbody?.replaceChildren();
  $('at-local').textContent = a.whatIf.ok ? a.whatIf.localTime : '';
  if (!a.whatIf.ok) decision.replaceChildren(el('p', a.whatIf.message, 'error'));
  else {
    const d = a.whatIf.simulation.decision;
    const head = el('p', undefined, `outcome ${d.outcome}`);
    head.append(el('strong', d.outcome.toUpperCase()), el('span', d.reasons.map((x) => ` ${x.code}: ${x.message}`).join(';')));
    decision.replaceChildren(head);
    for (const s of a.whatIf.simulation.trace) {
      const tr = el('tr', undefined, `status-${s.status}`);
      tr.append(el('td', s.rule), el('td', s.status), el('td', s.detail), el('td', s.setting), el('td', s.source));
      tbody?.append(tr);
    }
  }

  const charts = $('charts');
  charts.replaceChildren(...a.charts.map(chart));

  const safety = $('safety');
  if (a.safety === undefined) safety.replaceChildren(el('p', 'Fix the settings first.', 'muted'));
  else if (!a.safety.ok) safety.replaceChildren(el('p', a.safety.message, 'error'));
  else {
    const s = a.safety.result;
    const out = [el('p', s.safe ? 'Safe to save.' : 'Not safe to save.', s.safe ? 'safe' : 'unsafe')];
    for (const reason of s.reasons) out.push(el('p', `${reason.blocking ? 'blocking' : 'notice'}: ${reason.message}`));
    safety.replaceChildren(...out);
  }
}

const SVG = 'http://www.w3.org/2000/svg';

function chart(c: WeekChart): HTMLElement {
  const figure = el('figure');
  figure.append(el('figcaption', `${c.title}: ${c.timezone}${c.enabled ? '' : ' (login hours are off: every minute is open)'}`));
  const w = 7 * 60 + 40;
  const h = 96 * 3 + 30;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${String(w)} ${String(h)}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${c.title} in ${c.timezone}: ${c.days.map((d) => `${d.label} ${String(d.slots.filter((s) => s === 'open').length / 4)} h open`).join(', ')}`);
  const rect = (x: number, y: number, width: number, height: number, cls: string): SVGRectElement => {
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', String(x));
    r.setAttribute('y', String(y));
    r.setAttribute('width', String(width));
    r.setAttribute('height', String(height));
    r.setAttribute('class', cls);
    return r;
  };
  const label = (x: number, y: number, text: string, cls = 'label'): SVGTextElement => {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y));
    t.setAttribute('class', cls);
    t.textContent = text;
    return t;
  };
  for (let hour = 0; hour <= 24; hour += 6) svg.append(label(0, 24 + hour * 12, `${String(hour).padStart(2, '0')}:00`));
  c.days.forEach((d, i) => {
    const x = 40 + i * 60;
    svg.append(label(x + 16, 14, d.label));
    d.slots.forEach((s, k) => {
      svg.append(rect(x, 20 + k * 3, 56, 3, `slot ${s}`));
    });
  });
  for (const change of c.changes) {
    svg.append(rect(40 + change.day * 60, 19 + change.slot * 3, 56, 2, 'dst'));
    svg.append(label(40 + change.day * 60, 17 + change.slot * 3, change.text, 'dst-label'));
  }
  if (c.present !== undefined) svg.append(rect(38 + c.present.day * 60, 20 + c.present.slot * 3, 60, 2, 'present'));
  if (c.now !== undefined) svg.append(rect(38 + c.now.day * 60, 20 + c.now.slot * 3, 60, 2, 'now'));
  figure.append(svg);
  const legend = el('p', `Shaded: open. Red line: the what-if instant.${c.present === undefined ? '' : ' Blue line: now.'}${c.changes.length > 0 ? ` Clock change: ${c.changes.map((x) => `${c.days[x.day]?.label ?? ''} ${x.text}`).join(', ')}.` : ''}`, 'hint');
  figure.append(legend);
  return figure;
}

/** Shows a status line about the link; `error` styles it as a problem. */
function status(text: string, error = false): void {
  linkStatus.textContent = text;
  linkStatus.className = error ? 'error' : '';
}

/** Renders the analysis; a failure shows a message instead of breaking the page. */
function show(state: PlaygroundState): void {
  try {
    render(analyse(state, new Date().getTime()));
  } catch (err) {
    $('decision').replaceChildren(el('p', `The playground could not analyse this state: ${err instanceof Error ? err.message : String(err)}`, 'error'));
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
let linkTimer: ReturnType<typeof setTimeout> | undefined;
function update(): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const state = readState();
    show(state);
    clearTimeout(linkTimer);
    linkTimer = setTimeout(() => {
      void encodeState(state).then((fragment) => {
        if (fragment.length > MAX_FRAGMENT) {
          status(`This state is too large for a link (${String(fragment.length)} characters; at most ${String(MAX_FRAGMENT)}): the address bar keeps the last one that fitted.`, true);
          return;
        }
        history.replaceState(null, '', `#${fragment}`);
      });
    }, 150);
  }, 60);
}

for (const ex of EXAMPLES) {
  const b = el('button', ex.title);
  b.type = 'button';
  b.dataset['example'] = ex.id;
  b.addEventListener('click', () => {
    writeState(ex.state);
    status(`Loaded the example “${ex.title}”.`);
    update();
  });
  $('examples').append(b);
}

for (const t of [account, overrides, saved]) t.addEventListener('input', update);
form.addEventListener('input', update);
form.addEventListener('change', update);
form.addEventListener('submit', (e) => {
  e.preventDefault();
  show(readState());
  update();
  $('decision').focus();
});
$('decision').tabIndex = -1;
$('save').addEventListener('click', () => {
  saved.value = account.value;
  update();
});

async function start(): Promise<void> {
  if (location.hash.length > 1) {
    const decoded = await decodeState(location.hash);
    if (decoded.ok) {
      writeState(decoded.state);
      status('Loaded the state from the link.');
    } else {
      writeState(DEFAULT_STATE);
      status(`${decoded.message} Showing the first example instead.`, true);
    }
  } else writeState(DEFAULT_STATE);
  show(readState());
  document.body.dataset['ready'] = 'true';
}

void start();
window.addEventListener('hashchange', () => {
  void decodeState(location.hash).then((decoded) => {
    if (!decoded.ok) {
      status(`${decoded.message} The page keeps what it showed.`, true);
      return;
    }
    const now = readState();
    if (JSON.stringify(now) === JSON.stringify(decoded.state)) return;
    writeState(decoded.state);
    status('Loaded the state from the link.');
    show(decoded.state);
  });
});
