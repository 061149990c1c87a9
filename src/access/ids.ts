// Identifier rules shared by role parsing (settings) and member checks (request time).
import { ID_FLAW_MESSAGES, idFlaw } from '../ids.js';

/**
 * A section id: a lowercase ASCII slug. One spelling per section is what makes "blocked
 * sections win" reliable: `Reports`, `reports ` and a Cyrillic `reроrts` are not `reports`,
 * so they are refused instead of silently failing to match a block.
 */
export const SECTION_ID = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

/** Member, group and owner ids are non-empty, well-formed text without control characters. */
export function isOpaqueId(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && idFlaw(value) === undefined;
}

/** The reason an id is refused, for messages; `undefined` when it is fine. */
export function opaqueIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${describe(value)}`;
  if (value === '') return 'must not be empty';
  const flaw = idFlaw(value);
  return flaw === undefined ? undefined : ID_FLAW_MESSAGES[flaw];
}

/** Section ids at request time: never throws, `false` for anything not a slug ({@link SECTION_ID}). */
export function isSectionId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    // after the first character also _ . : -
    if (!alnum && (i === 0 || (c !== 0x5f && c !== 0x2e && c !== 0x3a && c !== 0x2d))) return false;
  }
  return true;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
