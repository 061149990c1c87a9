import { StaffgateError } from '../errors.js';
import { TOKEN_FAILURE_MESSAGE, isValidPrefix, splitToken } from './token.js';

/**
 * Result of {@link parseApiKey}. The message never contains the token.
 *
 * @example
 * ```ts
 * const parsed: ParsedApiKey = parseApiKey(token);
 * if (parsed.ok) lookUp(parsed.id); else log.info(parsed.message);
 * ```
 */
export type ParsedApiKey =
  | { readonly ok: true; readonly id: string; readonly prefix: string }
  | { readonly ok: false; readonly reason: 'key_malformed'; readonly message: string };

/**
 * Checks a token offline (shape, alphabet, prefix, CRC-32 checksum) and returns its public id,
 * which is what you look the record up by. Typos, truncated and padded keys fail here without a
 * database round trip. It does not authenticate: only {@link verifyApiKey} does. Never throws
 * for the token; a bad `prefix` option throws `invalid_option`.
 *
 * @example
 * ```ts
 * const parsed = parseApiKey(token, { prefix: 'acme' });
 * if (!parsed.ok) return reply(401, parsed.reason);          // 'key_malformed'
 * const record = await db.findApiKey(parsed.id);
 * ```
 */
export function parseApiKey(token: string, options?: { readonly prefix?: string | undefined }): ParsedApiKey {
  const expected = options?.prefix;
  if (expected !== undefined && (typeof expected !== 'string' || !isValidPrefix(expected))) {
    throw new StaffgateError('invalid_option', 'expected 1–32 chars: lowercase letters, digits and single underscores, starting with a letter', {
      path: ['prefix'],
    });
  }
  const parts = splitToken(token, expected);
  if (typeof parts === 'string') return { ok: false, reason: 'key_malformed', message: TOKEN_FAILURE_MESSAGE[parts] };
  return { ok: true, id: parts.id, prefix: parts.prefix };
}
