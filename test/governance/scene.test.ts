import { expect, it } from 'vitest';
import governanceScenes from '../../examples/scenes/governance.js';
import { consolePrinter } from '../../examples/scenes/print.js';

it('the demo scene catches the risky change, offers report-only mode and lists the reviews', () => {
  const lines: string[] = [];
  governanceScenes(consolePrinter((l) => lines.push(l)));
  const text = lines.join('\n');
  const line = (label: string): string => lines.find((l) => l.trimStart().startsWith(label)) ?? `(no line "${label}")`;
  expect(line('safe:')).toBe('  safe: false');
  expect(text).toContain('blocking: Saving this would lock you out (ip_not_allowed).');
  expect(line('safe in report-only mode:')).toBe('  safe in report-only mode: true');
  expect(line('Ada signs in during the trial:')).toContain('allow; reported: ip_not_allowed (would deny)');
  expect(text).toMatch(/overdue: \[\n\s+"sam: /);
  expect(text).toMatch(/expired: \[\n\s+"ana: /);
  expect(line('warning override_weakens_admin:')).toContain('overrides[1].set.twoFactor.required');
  expect(line('weakening: ipLockdown.mode:')).toContain('enforce → report');
  expect(line('decision:')).toContain('deny');
});
