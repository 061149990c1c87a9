/**
 * The rule for ids the host compares exactly (member, group and owner ids in staffgate/access,
 * `staffId` of overrides in staffgate/policy). Shared by both; never exported from the package.
 */

/**
 * What is wrong with an id, or `undefined`. One pass, no regex: it runs for every id of every
 * member on every request. C0 controls and DEL are refused (NUL cannot even be stored in a
 * Postgres text column); so is a lone surrogate, which turns into U+FFFD when encoded as UTF-8,
 * so two different ids would compare equal in the database and unequal in memory.
 */
export function idFlaw(value: string): 'control' | 'surrogate' | undefined {
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

/** The message for an {@link idFlaw}. */
export const ID_FLAW_MESSAGES = {
  control: 'must not contain control characters',
  surrogate: 'must be well-formed Unicode (lone surrogate)',
} as const;
