import { describe, expect, it } from 'vitest';
import stateScenes from '../../examples/scenes/state.js';
import type { Printer } from '../../examples/scenes/print.js';

// The demo scene runs against the real library and the in-memory store.
describe('the state demo scene', async () => {
  const shown = new Map<string, unknown>();
  const scenes: string[] = [];
  const printer: Printer = {
    scene: (title) => scenes.push(title),
    say: () => undefined,
    show: (label, value) => shown.set(label, value),
  };
  await stateScenes(printer);

  it('plays both scenes', () => {
    expect(scenes).toHaveLength(2);
  });

  it('locks the guesser out and lets Ann in from the office', () => {
    expect(shown.get('the attacker’s thirteenth try')).toMatchObject({ outcome: 'deny', reasons: [{ code: 'locked_out' }] });
    expect(shown.get('Ann at the office, a minute later')).toMatchObject({ outcome: 'allow' });
  });

  it('accepts the double-submitted code once', () => {
    const results = [shown.get('server A'), shown.get('server B')] as { ok: boolean }[];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'code_already_used' });
  });
});
