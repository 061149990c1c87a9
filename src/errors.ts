/**
 * The one error class staffgate throws. It is thrown only for the host's programming errors:
 * settings or options that are wrong. Input that arrives with a request never throws; it gets
 * a decision with a reason code instead.
 *
 * @example
 * ```ts
 * try {
 *   parseAccountPolicy(json);
 * } catch (err) {
 *   if (err instanceof StaffgateError && err.code === 'invalid_time_zone') {
 *     console.error(`${err.pathText}: ${err.message}`);
 *   }
 * }
 * ```
 */
export class StaffgateError extends Error {
  override readonly name = 'StaffgateError';
  /** Stable, closed code: `switch (err.code)` narrows. */
  readonly code: StaffgateErrorCode;
  /** Path of the offending field inside the input, e.g. `['ipLockdown', 'allow', 2]`. */
  readonly path: readonly (string | number)[];
  /** Every problem found when several fields are wrong at once (the first is `this`). */
  readonly issues: readonly StaffgateIssue[];

  constructor(
    code: StaffgateErrorCode,
    message: string,
    options: { path?: readonly (string | number)[]; issues?: readonly StaffgateIssue[]; cause?: unknown } = {},
  ) {
    const path = options.path ?? [];
    super(path.length > 0 ? `${formatPath(path)}: ${message}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = Object.freeze([...path]);
    this.issues = Object.freeze(options.issues ? [...options.issues] : [{ code, path: this.path, message }]);
  }

  /** The path as text: `ipLockdown.allow[2]`, or `(root)` for the whole input. */
  get pathText(): string {
    return formatPath(this.path);
  }

  /** Returns a copy whose path is prefixed, for errors raised by a nested compiler. */
  withPathPrefix(prefix: readonly (string | number)[]): StaffgateError {
    const issues = this.issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
    const first = issues[0];
    return new StaffgateError(this.code, first ? first.message : this.message, {
      path: [...prefix, ...this.path],
      issues,
      cause: this.cause,
    });
  }
}

/**
 * One problem in a settings value. A {@link StaffgateError} lists all of them in `issues`, so
 * an admin form can mark every bad field at once.
 *
 * @example
 * ```ts
 * const r = safeParseAccountPolicy(form);
 * const fieldErrors = r.ok ? {} : Object.fromEntries(r.error.issues.map((i: StaffgateIssue) => [i.path.join('.'), i.message]));
 * ```
 */
export interface StaffgateIssue {
  readonly code: StaffgateErrorCode;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Every code a {@link StaffgateError} can carry.
 *
 * - `invalid_settings`: a settings field has the wrong type or value (see the message).
 * - `invalid_ip_entry`: an allowlist entry is not an address, CIDR or range.
 * - `invalid_time_zone`: not an IANA time zone (fixed offsets, `local` and `system` are refused).
 * - `invalid_time_of_day`: not `HH:MM` from 00:00 to 24:00.
 * - `invalid_schedule`: a login-hours schedule that cannot be compiled.
 * - `invalid_instant`: an instant that is not a valid Date, ISO 8601 string with offset or epoch ms.
 * - `invalid_override`: a staff override that breaks a rule of its own (empty reason, dates).
 * - `invalid_role`: a role definition or member record that is wrong.
 * - `invalid_mail_entry`: a mail exclusion that is not an address or `@domain`.
 * - `invalid_secret`: a TOTP secret or key material that is malformed or too short.
 * - `invalid_option`: an option passed to a function is out of range.
 * - `key_lifetime_exceeded`: an API key's expiry is beyond the workspace's maximum.
 * - `crypto_unavailable`: the runtime has no `globalThis.crypto.getRandomValues`.
 *
 * @example
 * ```ts
 * const httpStatus = (code: StaffgateErrorCode): number => (code === 'crypto_unavailable' ? 500 : 422);
 * ```
 */
export type StaffgateErrorCode =
  | 'invalid_settings'
  | 'invalid_ip_entry'
  | 'invalid_time_zone'
  | 'invalid_time_of_day'
  | 'invalid_schedule'
  | 'invalid_instant'
  | 'invalid_override'
  | 'invalid_role'
  | 'invalid_mail_entry'
  | 'invalid_secret'
  | 'invalid_option'
  | 'key_lifetime_exceeded'
  | 'crypto_unavailable';

/**
 * Result of a `safe…` function: the value, or the error the throwing variant would throw.
 * Use the `safe…` variants where invalid settings are expected, e.g. validating an admin form.
 *
 * @example
 * ```ts
 * const r: SafeResult<AccountPolicy> = safeParseAccountPolicy(form);
 * if (r.ok) await saveSettings(r.value);
 * else res.status(422).json({ field: r.error.pathText, message: r.error.message });
 * ```
 */
export type SafeResult<T> = { ok: true; value: T } | { ok: false; error: StaffgateError };

/**
 * `true` when `value` is a {@link StaffgateError}, also across realms and duplicate installs
 * (where `instanceof` fails), e.g. in a host's error-handling middleware.
 *
 * @example
 * ```ts
 * app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
 *   if (isStaffgateError(err)) return res.status(422).json({ code: err.code, path: err.pathText, message: err.message });
 *   next(err);
 * });
 * ```
 */
export function isStaffgateError(value: unknown): value is StaffgateError {
  return value instanceof StaffgateError || (value instanceof Error && value.name === 'StaffgateError' && 'code' in value && 'path' in value);
}

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

/**
 * @internal Throws `invalid_option` (path: the root) unless `value` is an options object (not
 * null, not an array). Shared by the functions that take one; not exported from the package.
 */
export function requireOptionsObject(value: unknown): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StaffgateError('invalid_option', 'expected an options object', { path: [] });
  }
}
