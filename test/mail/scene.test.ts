import { describe, expect, it } from 'vitest';
import mailScenes from '../../examples/scenes/mail.js';
import type { Printer } from '../../examples/scenes/print.js';

// The demo scene runs against the real library; its decisions are the seed article's story.
describe('the mail demo scene', () => {
  const shown = new Map<string, unknown>();
  const scenes: string[] = [];
  const printer: Printer = {
    scene: (title) => scenes.push(title),
    say: () => undefined,
    show: (label, value) => shown.set(label, value),
  };
  mailScenes(printer);

  it('plays every scene', () => {
    expect(scenes).toHaveLength(6);
  });

  it('keeps the directors’ threads out and the spoofed display name in', () => {
    expect(shown.get('tracked')).toEqual(['Quote for 40 seats', 'Urgent wire transfer']);
    expect(shown.get('never tracked')).toEqual(['Board pack, confidential', 'Re: Quote for 40 seats']);
    expect(shown.get('Board pack, confidential')).toBe('not tracked: to jane.roe+board@acme.test matches jane.roe@acme.test');
  });

  it('counts the unreadable message', () => {
    expect(shown.get('result')).toEqual({ tracked: 0, excluded: 1, unparseable: 1 });
  });

  it('refuses the typos, each by index', () => {
    expect((shown.get('refused') as string[]).map((line) => line.slice(0, 3))).toEqual(['[1]', '[2]', '[3]']);
  });
});
