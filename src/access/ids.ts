// Identifier rules shared by role parsing (settings) and member checks (request time).

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
  if (flaw === 'control') return 'must not contain control characters';
  if (flaw === 'surrogate') return 'must be well-formed Unicode (lone surrogate)';
  return undefined;
}

// One pass, no regex: this runs for every id of every member on every request.
// C0 controls and DEL are refused (NUL cannot even be stored in a Postgres text column); so is a
// lone surrogate, which turns into U+FFFD when encoded as UTF-8, so two different ids would
// compare equal in the database and unequal in memory.
function idFlaw(value: string): 'control' | 'surrogate' | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return 'control';
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = value.charCodeAt(i + 1); // NaN past the end
      if (c >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) return 'surrogate';
      i += 1;
    }
  }
  return undefined;
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
