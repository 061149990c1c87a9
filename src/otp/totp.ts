import { createGuardrails, ScureBase32Plugin, generateURI, verifySync, type OTPGuardrails } from 'otplib';
import { requireOptionsObject, StaffgateError } from '../errors.js';
import { toEpochMs, type Instant } from '../instant.js';
import { randomBytes } from './bytes.js';

/** Seconds per TOTP time step (RFC 6238 default; what authenticator apps use). */
const PERIOD_SECONDS = 30;
const DEFAULT_WINDOW = 1;
const MAX_WINDOW = 10;
const DEFAULT_SECRET_BYTES = 20;
const MAX_SECRET_BYTES = 64;
/** RFC 4226 §4: a shared secret MUST be at least 128 bits. */
const MIN_SECRET_BYTES = 16;
/** 80-bit secrets, the length older Google Authenticator setups used. */
const LEGACY_MIN_SECRET_BYTES = 10;

const base32 = /* @__PURE__ */ new ScureBase32Plugin();
const defaultGuardrails: OTPGuardrails = /* @__PURE__ */ createGuardrails();
const legacyGuardrails: OTPGuardrails = /* @__PURE__ */ createGuardrails({ MIN_SECRET_BYTES: LEGACY_MIN_SECRET_BYTES });

const CODE_SHAPE = /^[0-9]{6}$/;
// ASCII base32 only: otplib upper-cases before decoding, and `'ı'.toUpperCase()` is `'I'`, so
// non-ASCII letters must be refused here, before they reach it.
const SECRET_SHAPE = /^[A-Za-z2-7]+=*$/;
// 64 bytes is 103 base32 characters, 104 with padding.
const MAX_SECRET_CHARS = 104;
// Characters that would break the `issuer:account` label of the key URI or a QR screen.
// eslint-disable-next-line no-control-regex
const LABEL_FORBIDDEN = /[:\u0000-\u001f\u007f-\u009f]/;
const MAX_LABEL_CHARS = 256;

/**
 * Input of {@link createTotpEnrollment}.
 *
 * @example
 * ```ts
 * const input: TotpEnrollmentInput = { issuer: 'Acme CRM', accountName: 'ann@acme.test' };
 * ```
 */
export interface TotpEnrollmentInput {
  /** Shown in the authenticator app above the code, e.g. the product or workspace name. No `:`. */
  issuer: string;
  /** Identifies the staff member in the app, usually their e-mail address. No `:`. */
  accountName: string;
  /** Random bytes in the secret, 20 (default, 160 bits as RFC 4226 recommends) to 64. */
  secretBytes?: number;
}

/**
 * Result of {@link createTotpEnrollment}: store `secret`, show `uri` as a QR code once.
 *
 * @example
 * ```ts
 * const { secret, uri }: TotpEnrollment = createTotpEnrollment({ issuer: 'Acme CRM', accountName: 'ann@acme.test' });
 * ```
 */
export interface TotpEnrollment {
  /** Base32 (RFC 4648, upper case, no padding) shared secret. Store it like a password hash's key: encrypted at rest. */
  secret: string;
  /** `otpauth://totp/Issuer:account?secret=…&issuer=Issuer`, the Key URI Format authenticator apps scan. */
  uri: string;
}

/**
 * Starts authenticator-app (TOTP) enrollment: a fresh random secret and the `otpauth://` URI
 * that Google Authenticator, Microsoft Authenticator, 1Password and similar apps read from a
 * QR code. Codes are 6 digits, SHA-1, 30-second steps — the parameters every app supports.
 *
 * Enrollment is complete only when the staff member types a code the app shows and
 * {@link verifyTotp} accepts it; store the secret and the returned step then.
 *
 * Throws {@link StaffgateError} `invalid_option` for an empty issuer or account name, one with
 * a `:` or control character, or an out-of-range `secretBytes`; `crypto_unavailable` when the
 * runtime has no `crypto.getRandomValues`.
 *
 * @example
 * ```ts
 * import { createTotpEnrollment } from 'staffgate/otp';
 *
 * const { secret, uri } = createTotpEnrollment({ issuer: 'Acme CRM', accountName: 'ann@acme.test' });
 * // uri: 'otpauth://totp/Acme%20CRM:ann%40acme.test?secret=…&issuer=Acme%20CRM'
 * // Render `uri` as a QR code; keep `secret` pending until the first code verifies.
 * ```
 */
export function createTotpEnrollment(input: TotpEnrollmentInput): TotpEnrollment {
  requireOptionsObject(input);
  const issuer = checkLabel(input.issuer, 'issuer');
  const accountName = checkLabel(input.accountName, 'accountName');
  const size: unknown = input.secretBytes ?? DEFAULT_SECRET_BYTES;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < DEFAULT_SECRET_BYTES || size > MAX_SECRET_BYTES) {
    throw new StaffgateError('invalid_option', `must be an integer from ${DEFAULT_SECRET_BYTES} to ${MAX_SECRET_BYTES}`, { path: ['secretBytes'] });
  }
  const secret = base32.encode(randomBytes(size));
  return { secret, uri: generateURI({ issuer, label: accountName, secret }) };
}

function checkLabel(value: unknown, field: 'issuer' | 'accountName'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new StaffgateError('invalid_option', 'must be a non-empty string', { path: [field] });
  }
  if (value.length > MAX_LABEL_CHARS) {
    throw new StaffgateError('invalid_option', `must be at most ${MAX_LABEL_CHARS} characters`, { path: [field] });
  }
  if (LABEL_FORBIDDEN.test(value)) {
    throw new StaffgateError('invalid_option', 'must not contain ":" or control characters (the key URI label is "issuer:account")', {
      path: [field],
    });
  }
  return value;
}

/**
 * Input of {@link verifyTotp}.
 *
 * @example
 * ```ts
 * const input: TotpVerifyInput = { secret: member.totpSecret, code: '492039', at: now, lastUsedStep: member.totpLastStep };
 * ```
 */
export interface TotpVerifyInput {
  /** The staff member's base32 secret, as {@link createTotpEnrollment} returned it (case-insensitive, optional `=` padding). */
  secret: string;
  /** What the person typed: exactly six ASCII digits. Strip the space apps display (`123 456`) before calling. */
  code: string;
  /** The instant of the attempt: a Date, an ISO 8601 string with offset, or epoch ms. */
  at: Instant;
  /** The `step` of the last code this staff member used; omit (or `null`) before the first. */
  lastUsedStep?: number | null | undefined;
  /** Steps accepted either side of the current one, for clock drift: 0 to 10, default 1 (±30 s). */
  window?: number;
  /** Accept legacy 80- to 120-bit (10- to 15-byte) secrets from older enrollments. Default `false`. */
  acceptLegacySecrets?: boolean;
}

/**
 * Why {@link verifyTotp} refused a code.
 *
 * - `instant_invalid`: `at` is not a valid instant, or is before 1970.
 * - `code_malformed`: the code is not exactly six ASCII digits.
 * - `secret_invalid`: the stored secret is not base32 or is longer than 64 bytes.
 * - `secret_too_short`: the secret is under 16 bytes (or under 10 with `acceptLegacySecrets`).
 * - `last_used_step_invalid`: `lastUsedStep` is not a non-negative safe integer.
 * - `last_used_step_ahead`: `lastUsedStep` is later than any step the window allows at `at`
 *   (the clock went back, or the record is wrong); no code can be accepted.
 * - `code_replayed`: the code is right but its step is not after `lastUsedStep`.
 * - `code_invalid`: the code matches no step in the window.
 *
 * @example
 * ```ts
 * const r = verifyTotp(input);
 * if (!r.ok && r.reason === 'code_replayed') show('That code was already used. Wait for the next one.');
 * ```
 */
export type TotpReasonCode =
  | 'input_invalid'
  | 'instant_invalid'
  | 'code_malformed'
  | 'secret_invalid'
  | 'secret_too_short'
  | 'last_used_step_invalid'
  | 'last_used_step_ahead'
  | 'code_replayed'
  | 'code_invalid';

/**
 * Result of {@link verifyTotp}. On `ok`, store `step` and pass it back as `lastUsedStep`.
 *
 * @example
 * ```ts
 * const r: TotpVerification = verifyTotp(input);
 * if (r.ok) member.totpLastStep = r.step;
 * ```
 */
export type TotpVerification =
  | {
      ok: true;
      /** RFC 6238 time step of the code that matched: `floor(unixSeconds / 30)`. */
      step: number;
      /** `step` minus the step of `at`: positive when the phone's clock runs ahead. */
      drift: number;
    }
  | { ok: false; reason: TotpReasonCode };

/**
 * Checks an authenticator-app code (RFC 6238: 6 digits, SHA-1, 30 s) at the caller's instant,
 * accepting ±`window` steps (default 1) and never the same step twice: a code whose step is
 * not after `lastUsedStep` is refused as `code_replayed`.
 *
 * Never throws on request-time input: a malformed code, a bad or short secret, a bad `at` or
 * `lastUsedStep` — each is a refusal with a {@link TotpReasonCode}. Only a bad `window` or
 * `acceptLegacySecrets` (the host's own options) throws {@link StaffgateError} `invalid_option`.
 *
 * @example
 * ```ts
 * import { verifyTotp } from 'staffgate/otp';
 *
 * const result = verifyTotp({ secret: member.totpSecret, code: typed.replace(/ /g, ''), at: now,
 *                             lastUsedStep: member.totpLastStep });
 * if (result.ok) await db.saveTotpLastStep(member.id, result.step);   // makes the code single-use
 * else console.info('second factor refused:', result.reason);          // e.g. 'code_replayed'
 * ```
 */
export function verifyTotp(input: TotpVerifyInput): TotpVerification {
  if (typeof input !== 'object' || (input as unknown) === null) return refuse('input_invalid');
  try {
    return verify(input);
  } catch (err) {
    // Bad options are the host's error and keep their type; anything else came from reading
    // request data (a throwing getter, a proxy) and is refused.
    if (err instanceof StaffgateError) throw err;
    return refuse('input_invalid');
  }
}

function verify(input: TotpVerifyInput): TotpVerification {
  // Options are typed, but hosts in plain JS pass anything: read them as unknown.
  const window: unknown = input.window ?? DEFAULT_WINDOW;
  if (typeof window !== 'number' || !Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new StaffgateError('invalid_option', `must be an integer from 0 to ${MAX_WINDOW}`, { path: ['window'] });
  }
  const legacy: unknown = input.acceptLegacySecrets ?? false;
  if (typeof legacy !== 'boolean') {
    throw new StaffgateError('invalid_option', 'must be a boolean', { path: ['acceptLegacySecrets'] });
  }

  const ms = toEpochMs(input.at);
  if (!(ms >= 0)) return refuse('instant_invalid');
  const epoch = Math.floor(ms / 1000);
  const currentStep = Math.floor(epoch / PERIOD_SECONDS);

  // Read as unknown: this comes back from the host's storage and may be anything.
  const stored: unknown = input.lastUsedStep;
  let last: number | undefined;
  if (stored !== undefined && stored !== null) {
    if (typeof stored !== 'number' || !Number.isSafeInteger(stored) || stored < 0) return refuse('last_used_step_invalid');
    last = stored;
  }

  const secret: unknown = input.secret;
  if (typeof secret !== 'string') return refuse('secret_invalid');
  const secretBytes = base32ByteLength(secret);
  if (secretBytes < 0 || secretBytes > MAX_SECRET_BYTES) return refuse('secret_invalid');
  if (secretBytes < (legacy ? LEGACY_MIN_SECRET_BYTES : MIN_SECRET_BYTES)) return refuse('secret_too_short');

  const code: unknown = input.code;
  if (typeof code !== 'string' || !CODE_SHAPE.test(code)) return refuse('code_malformed');

  // otplib throws when afterTimeStep exceeds the last step it would try; no code could be
  // accepted then anyway, so say why instead.
  if (last !== undefined && last > currentStep + window) return refuse('last_used_step_ahead');

  // Object literals of a fixed shape: otplib reads a dozen options per call, and spreading
  // objects here made its property reads megamorphic, costing about 15 % per verification.
  const guardrails = legacy ? legacyGuardrails : defaultGuardrails;
  const tolerance = window * PERIOD_SECONDS;
  try {
    // Steps after `last` first: the common case (a fresh, right code) costs one otplib call
    // that skips the steps already used.
    const result =
      last === undefined
        ? verifySync({ secret, token: code, epoch, epochTolerance: tolerance, guardrails })
        : verifySync({ secret, token: code, epoch, epochTolerance: tolerance, guardrails, afterTimeStep: last });
    const step = matchedStep(result);
    if (step !== undefined) return { ok: true, step, drift: step - currentStep };
    // Then the steps that call skipped, `lowest..last`, to tell a replay from a wrong code:
    // centred on step `last` and looking back only, so each step of the window is hashed once
    // over both calls.
    const lowest = Math.max(0, currentStep - window);
    if (last !== undefined && last >= lowest) {
      const back = (last - lowest) * PERIOD_SECONDS;
      const older = verifySync({ secret, token: code, epoch: last * PERIOD_SECONDS, epochTolerance: [back, 0], guardrails });
      if (older.valid) return refuse('code_replayed');
    }
    return refuse('code_invalid');
  } catch (err) {
    return refuse(reasonForOtplibError(err));
  }
}

// otplib's result type is shared with HOTP, whose success has no `timeStep`; TOTP's always does.
function matchedStep(result: ReturnType<typeof verifySync>): number | undefined {
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** Decoded length in bytes of a base32 string, or -1 when it is not canonical base32. */
function base32ByteLength(secret: string): number {
  if (secret.length === 0 || secret.length > MAX_SECRET_CHARS || !SECRET_SHAPE.test(secret)) return -1;
  let chars = secret.length;
  while (secret.charCodeAt(chars - 1) === 61 /* = */) chars--;
  // Padding, when present, must complete the last 8-character group.
  if (chars !== secret.length && secret.length % 8 !== 0) return -1;
  const rest = chars % 8;
  if (rest === 1 || rest === 3 || rest === 6) return -1;
  return Math.floor((chars * 5) / 8);
}

// Safety net: the checks above keep otplib from throwing on input we know of; anything it
// still throws is mapped to a refusal, never let through and never rethrown.
function reasonForOtplibError(err: unknown): TotpReasonCode {
  const name = err instanceof Error ? err.name : '';
  if (name === 'SecretTooShortError') return 'secret_too_short';
  if (name === 'TokenLengthError' || name === 'TokenFormatError') return 'code_malformed';
  if (name === 'TimeNegativeError' || name === 'TimeNotFiniteError') return 'instant_invalid';
  if (name === 'AfterTimeStepRangeExceededError') return 'last_used_step_ahead';
  if (name.startsWith('AfterTimeStep')) return 'last_used_step_invalid';
  return 'secret_invalid';
}

function refuse(reason: TotpReasonCode): TotpVerification {
  return { ok: false, reason };
}
