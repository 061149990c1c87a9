// Scopes: `read`, `write`, `<resource>:read`, `<resource>:write`. `write` implies `read`;
// a bare `read`/`write` covers every resource; a resource scope covers only its resource.

/** `orders`, `crm.orders`, `order_lines`, `web-hooks`: lowercase, starts with a letter. */
const SCOPE = /^(?:(read|write)|([a-z][a-z0-9_.-]{0,63}):(read|write))$/;

export interface ParsedScope {
  /** `null` for the bare `read` / `write`. */
  readonly resource: string | null;
  readonly action: 'read' | 'write';
}

// Endpoints ask for a handful of constant scopes: remember their parse (bounded).
const parsedScopes = new Map<string, ParsedScope | null>();
const MAX_CACHED_SCOPES = 512;

/** Parses a scope, or `null` when it is not one. Never throws. */
export function parseScope(scope: unknown): ParsedScope | null {
  if (typeof scope !== 'string' || scope.length > 70) return null;
  const cached = parsedScopes.get(scope);
  if (cached !== undefined) return cached;
  const m = SCOPE.exec(scope);
  let parsed: ParsedScope | null = null;
  if (m) {
    parsed = Object.freeze(
      m[1] !== undefined
        ? { resource: null, action: m[1] === 'write' ? 'write' : 'read' }
        : { resource: m[2] ?? null, action: m[3] === 'write' ? 'write' : 'read' },
    );
  }
  if (parsedScopes.size >= MAX_CACHED_SCOPES) parsedScopes.clear();
  parsedScopes.set(scope, parsed);
  return parsed;
}

/**
 * Whether `scope` is a well-formed API key scope: `read`, `write`, `<resource>:read` or
 * `<resource>:write` (resource: lowercase, starts with a letter, then `a-z 0-9 _ . -`, ≤ 64 chars).
 * Useful to validate an admin form before calling `generateApiKey`.
 *
 * @example
 * ```ts
 * isApiKeyScope('orders:write'); // true
 * isApiKeyScope('Orders:Write'); // false
 * ```
 */
export function isValidScope(scope: unknown): scope is string {
  return parseScope(scope) !== null;
}

/**
 * Whether the granted scopes cover the requested one. Granted entries that are not scopes
 * (a damaged record) grant nothing. Works on the raw strings so the hot path allocates nothing.
 */
export function scopesCover(granted: readonly unknown[], requested: ParsedScope): boolean {
  const { resource, action } = requested;
  for (const g of granted) {
    if (typeof g !== 'string') continue;
    if (g === 'write') return true;
    if (g === 'read') {
      if (action === 'read') return true;
      continue;
    }
    if (resource === null) continue; // a resource scope never covers the bare scope
    const colon = g.length - (g.endsWith(':write') ? 6 : g.endsWith(':read') ? 5 : 0);
    if (colon === g.length || colon !== resource.length || !g.startsWith(resource)) continue;
    if (g.charCodeAt(colon + 1) === 119 /* w */ || action === 'read') return true;
  }
  return false;
}
