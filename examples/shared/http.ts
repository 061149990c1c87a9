// Small HTTP helpers the framework examples share: the session cookie and the Bearer token.
// No framework plugin is needed for either.

/** The session cookie's name. */
export const SESSION_COOKIE = 'sid';

/** Reads one cookie from a Cookie header, or `undefined`. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie value for a new session: not readable by scripts, not sent cross-site. */
export function sessionCookie(sessionId: string): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; Secure; SameSite=Strict`;
}

/** Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;
}

/** The token of an `Authorization: Bearer …` header, or `''` (which `verifyApiKey` refuses as `key_malformed`). */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer +(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? '';
}

/**
 * Whether a Content-Type header announces JSON. Read a body as JSON only then: a cross-site
 * form can POST `text/plain` or `application/x-www-form-urlencoded` text shaped like JSON
 * without a CORS preflight, and a parser that ignores the type would accept it (login CSRF).
 */
export function isJsonContentType(header: string | undefined): boolean {
  return /^application\/json[ \t]*(;|$)/i.test(header ?? '');
}

/** HTTP status for a refused API key: 401 when the key itself is the problem, 403 otherwise. */
export function apiKeyDenyStatus(codes: readonly string[]): 401 | 403 {
  return codes.some((c) => c.startsWith('key_')) ? 401 : 403;
}
