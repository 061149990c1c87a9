import { expect, it } from 'vitest';
import playgroundScenes from '../../examples/scenes/playground.js';
import { consolePrinter } from '../../examples/scenes/print.js';

it('the demo scene decides the road user’s example, notices the exception the team layer made redundant, and round-trips its link', async () => {
  const lines: string[] = [];
  await playgroundScenes(consolePrinter((l) => lines.push(l)));
  const line = (label: string): string => lines.find((l) => l.trimStart().startsWith(label)) ?? `(no line "${label}")`;
  expect(line('decision:')).toBe('  decision: allow');
  expect(lines.join('\n')).toContain('"info override_no_effect overrides[0].set"');
  expect(line('link:')).toMatch(/#s=[A-Za-z0-9_-]{46}… \(\d+ characters for \d+ of state\)/);
  expect(line('the link reproduces the state:')).toBe('  the link reproduces the state: true');
  expect(line('a damaged link:')).toContain('The link is damaged');
});
