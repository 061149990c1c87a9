import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../playground/examples.js';
import { analyse, parseJson, weekChart } from '../../playground/model.js';
import { checkState, decodeState, encodeState, FACTORS, MAX_TEXT, METHODS, STEPS, type PlaygroundState } from '../../playground/state.js';

const stateArb: fc.Arbitrary<PlaygroundState> = fc.record({
  account: fc.string({ maxLength: 400 }),
  overrides: fc.string({ maxLength: 200 }),
  saved: fc.string({ maxLength: 200 }),
  whatIf: fc.record({
    staffId: fc.string({ maxLength: 20 }),
    roles: fc.string({ maxLength: 20 }),
    teams: fc.string({ maxLength: 20 }),
    method: fc.constantFrom(...METHODS),
    ip: fc.string({ maxLength: 40 }),
    at: fc.string({ maxLength: 30 }),
    verified: fc.subarray([...STEPS]),
    enrolled: fc.subarray([...FACTORS]),
  }),
});

describe('the playground link', () => {
  it('reproduces any state, also texts that are not JSON, in any script', async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, async (state) => {
        const fragment = await encodeState(state);
        expect(fragment).toMatch(/^s=[A-Za-z0-9_-]*$/);
        expect(await decodeState(`#${fragment}`)).toEqual({ ok: true, state });
      }),
      { numRuns: 100 },
    );
  });

  it('keeps every example, and compresses it', async () => {
    for (const e of EXAMPLES) {
      const fragment = await encodeState(e.state);
      expect(await decodeState(fragment)).toEqual({ ok: true, state: e.state });
      expect(fragment.length).toBeLessThan(JSON.stringify(e.state).length);
    }
  });

  it('never throws on a hostile fragment, and says what is wrong', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }).map((s) => `s=${s}`), fc.base64String().map((s) => `#s=${s.replace(/=+$/, '')}`)), async (fragment) => {
        const r = await decodeState(fragment);
        if (!r.ok) expect(r.message).toMatch(/^The link /);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['no state', '#about', 'holds no playground state'],
    ['not base64url', '#s=$$$', 'not base64url'],
    ['not deflate', '#s=AAAAAAAA', 'does not decompress'],
    ['too long', `#s=${'A'.repeat(400_001)}`, 'too long'],
  ])('%s', async (_name, fragment, message) => {
    const r = await decodeState(fragment);
    expect(r.ok ? '' : r.message).toContain(message);
  });

  it('reproduces the largest state the editors take, in characters that need several bytes', async () => {
    const wide = { ...EXAMPLES[0]!.state, account: 'é'.repeat(MAX_TEXT), overrides: '\u0001'.repeat(MAX_TEXT), saved: '東'.repeat(MAX_TEXT) } as PlaygroundState;
    const r = await decodeState(await encodeState(wide));
    expect(r.ok && r.state.account.length === MAX_TEXT && r.state.saved === wide.saved).toBe(true);
  });

  it('refuses a compressed bomb without inflating it all', async () => {
    const bomb = { ...EXAMPLES[0]!.state, account: ' '.repeat(MAX_TEXT * 24) } as PlaygroundState;
    const r = await decodeState(await encodeState(bomb));
    expect(r.ok ? '' : r.message).toContain('far too large');
  });

  it.each([
    ['not an object', [1, 2], 'not an object'],
    ['a text that is not a string', { ...EXAMPLES[0]!.state, account: 7 }, 'texts'],
    ['an unknown method', { ...EXAMPLES[0]!.state, whatIf: { ...EXAMPLES[0]!.state.whatIf, method: 'saml' } }, 'method'],
    ['an unknown step', { ...EXAMPLES[0]!.state, whatIf: { ...EXAMPLES[0]!.state.whatIf, verified: ['totp', 'password'] } }, 'verified'],
    ['a repeated factor', { ...EXAMPLES[0]!.state, whatIf: { ...EXAMPLES[0]!.state.whatIf, enrolled: ['totp', 'totp'] } }, 'enrolled'],
    ['an inherited field', Object.create({ account: '{}', overrides: '[]', saved: '{}', whatIf: EXAMPLES[0]!.state.whatIf }) as unknown, 'texts'],
  ])('a state of the wrong shape: %s', (_name, value, message) => {
    const r = checkState(value);
    expect(r.ok ? '' : r.message).toContain(message);
  });
});

describe('the playground analysis', () => {
  it('reports a JSON syntax error with its line and column', () => {
    const r = parseJson('{\n  "a": 1,\n}', 'account policy');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ path: 'account policy', line: 3, column: 1 });
  });

  it('reports settings errors at their path, and a paste past the limit without parsing it', () => {
    const a = analyse({ ...EXAMPLES[0]!.state, account: JSON.stringify({ layers: [{ id: 'x', reason: 'r', appliesTo: {}, set: {} }] }) });
    expect(a.account.ok ? [] : a.account.issues.map((i) => i.path)).toEqual(['layers[0].appliesTo']);
    expect(a.whatIf.ok).toBe(false);
    const big = analyse({ ...EXAMPLES[0]!.state, overrides: `[${' '.repeat(MAX_TEXT)}]` });
    expect(big.overrides.ok ? '' : big.overrides.issues[0]?.message).toContain('is too large');
  });

  it('decides each example as its story says', () => {
    const outcomes = Object.fromEntries(EXAMPLES.map((e) => { const w = analyse(e.state).whatIf; return [e.id, w.ok ? w.simulation.decision.outcome : w.message]; }));
    expect(outcomes).toEqual({ office: 'deny', road: 'allow', tokyo: 'allow', night: 'allow' });
    const office = analyse(EXAMPLES[0]!.state);
    // The saved example has no lockdown; saving the lockdown would lock out Ada, who is at a café.
    expect(office.safety?.ok && office.safety.result.safe).toBe(false);
  });

  it.each(['+275760-09-12T00:00:00Z', '-271821-04-20T00:00:00Z', '2026-11-23T09:30:00', 'tomorrow'])('an instant it cannot show (%s) gets a message, not an exception', (at) => {
    const a = analyse({ ...EXAMPLES[0]!.state, whatIf: { ...EXAMPLES[0]!.state.whatIf, at } });
    expect(a.whatIf.ok ? '' : a.whatIf.message).toContain('is not an instant the playground can show');
    expect(a.charts).toHaveLength(1);
  });

  it('charts the person’s own zone where an override sets one', () => {
    const tokyo = analyse(EXAMPLES.find((e) => e.id === 'tokyo')!.state);
    expect(tokyo.charts.map((c) => c.timezone)).toEqual(['Europe/London', 'Asia/Tokyo']);
    expect(tokyo.charts[1]?.now).toEqual({ day: 1, slot: 40 }); // Tuesday 10:00 in Tokyo
  });

  it('marks the present instant when it falls in the week shown, and only then', () => {
    const state = EXAMPLES[0]!.state; // the what-if is on Monday 2026-11-23 09:30Z
    expect(analyse(state, Date.parse('2026-11-25T14:00:00Z')).charts[0]?.present).toEqual({ day: 2, slot: 56 });
    expect(analyse(state, Date.parse('2027-05-01T14:00:00Z')).charts[0]?.present).toBeUndefined();
    expect(analyse(state).charts[0]?.now).toEqual({ day: 0, slot: 38 });
  });

  it('marks a clock change and the hour it skips', () => {
    const week = weekChart('hours', true, 'Europe/London', [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }], Date.UTC(2026, 2, 27, 12));
    expect(week.changes).toEqual([{ day: 6, slot: 8, text: expect.stringMatching(/^GMT(\+0)? → GMT\+1$/) as string }]);
    expect(week.days[6]?.slots.slice(4, 8)).toEqual(['absent', 'absent', 'absent', 'absent']); // 01:00–02:00 on Sunday 29 March
    expect(week.days[5]?.slots.every((s) => s === 'open')).toBe(true);
  });
});
