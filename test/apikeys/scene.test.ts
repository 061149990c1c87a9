import { expect, it } from 'vitest';
import apikeysScenes from '../../examples/scenes/apikeys.js';
import { consolePrinter } from '../../examples/scenes/print.js';

it('the demo scene plays the seed case: accepted from the shop server, refused from anywhere else', () => {
  const lines: string[] = [];
  apikeysScenes(consolePrinter((l) => lines.push(l)));
  const text = lines.join('\n');
  const line = (label: string): string => lines.find((l) => l.trimStart().startsWith(label)) ?? `(no line "${label}")`;
  expect(line('POST /orders from 198.51.100.24:')).toContain(': allow');
  expect(line('POST /orders from 192.0.2.66:')).toContain('ip_not_allowed [key]');
  expect(line('POST /orders from 192.0.2.66:')).toContain('ip_not_allowed [workspace]');
  expect(line('GET /contacts:')).toContain('scope_missing');
  expect(line('GET /deals from the office')).toContain('ip_not_allowed [workspace]');
  expect(line('old key, 2 days after rotation:')).toContain('key_expired');
  expect(line('new key after revocation:')).toContain('key_revoked');
  expect(line('a two-year key under a 365-day cap:')).toContain('key_lifetime_exceeded');
  // The demo never prints a whole token.
  expect(text).not.toMatch(/acme_[0-9A-Za-z]{12}_[0-9A-Za-z]{28}/);
});
