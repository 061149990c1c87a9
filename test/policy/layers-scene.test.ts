import { expect, it } from 'vitest';
import layerScenes from '../../examples/scenes/layers.js';
import { consolePrinter } from '../../examples/scenes/print.js';

it('the demo scene shows one layer for a team, the order of layers and overrides, and the linter on layers', () => {
  const lines: string[] = [];
  layerScenes(consolePrinter((l) => lines.push(l)));
  const text = lines.join('\n');
  const line = (label: string): string => lines.find((l) => l.trimStart().startsWith(label)) ?? `(no line "${label}")`;
  expect(line('Lee (team sales), IP lockdown:')).toBe('  Lee (team sales), IP lockdown: off, from layer sales-travel');
  expect(line('Lee signs in from a hotel:')).toBe('  Lee signs in from a hotel: allow');
  expect(line('an office worker signs in from the hotel:')).toBe('  an office worker signs in from the hotel: deny');
  expect(line('a contractor at 19:30:')).toContain('deny: mon 2026-11-23 19:30 in Europe/London is outside the hours. [layer contractor-hours:');
  expect(text).toMatch(/"layer sales-travel \(weakening\)",\n\s+"layer admins-totp \(strengthening\)",\n\s+"layer contractor-hours \(strengthening\)",\n\s+"override of sam \(strengthening\)"/);
  expect(line('Sam’s IP lockdown:')).toBe('  Sam’s IP lockdown: on with 192.0.2.0/24, from sam’s override');
  expect(line('warning layer_weakens_admins:')).toContain('layers[3].set.ipLockdown.enabled');
  expect(lines.filter((l) => l.includes('warning layers_conflict: layers[4].set.ipLockdown.enabled'))).toHaveLength(1);
  expect(line('warning layers_conflict:')).toContain('3 layers set ipLockdown.enabled to different values ("sales-travel" to false, "admins-anywhere" to false, "support-office" to true)');
});
