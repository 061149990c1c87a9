// The playground's whole state, and its round trip through a link: JSON, deflate (the
// platform's CompressionStream, in every browser and in Node), base64url, in the fragment
// (`#s=…`), which browsers never send to a server. A fragment is hostile input: decoding it
// never throws, is bounded in size at every step, and checks the shape of what it finds.

export type Method = 'google' | 'microsoft' | 'password';
export const METHODS: readonly Method[] = ['google', 'microsoft', 'password'];
export const STEPS = ['email_code', 'totp', 'sms', 'email'] as const;
export const FACTORS = ['totp', 'sms', 'email'] as const;
export type Step = (typeof STEPS)[number];
export type Factor = (typeof FACTORS)[number];

/** Who signs in, how, from where and when, for the what-if. */
export interface WhatIf {
  readonly staffId: string;
  /** Comma-separated role ids. */
  readonly roles: string;
  /** Comma-separated team ids. */
  readonly teams: string;
  readonly method: Method;
  readonly ip: string;
  /** ISO 8601 with Z or an offset. */
  readonly at: string;
  readonly verified: readonly Step[];
  readonly enrolled: readonly Factor[];
}

/** The editors' texts as typed (so a link can hold invalid JSON too) and the what-if form. */
export interface PlaygroundState {
  readonly account: string;
  readonly overrides: string;
  /** The account policy as saved, for the change-safety check against the edited one. */
  readonly saved: string;
  readonly whatIf: WhatIf;
}

/** The largest editor text the playground takes; a bigger paste gets a message, not a parse. */
export const MAX_TEXT = 256 * 1024;
/** The longest fragment read, and the most bytes it may inflate to. */
export const MAX_FRAGMENT = 400_000;
// The most a state that the page accepts can take as JSON in UTF-8: three editors of MAX_TEXT
// characters, each character at most six bytes once escaped (`\u0000`), and the form.
const MAX_INFLATED = 3 * 6 * MAX_TEXT + 64 * 1024;

export type Decoded = { readonly ok: true; readonly state: PlaygroundState } | { readonly ok: false; readonly message: string };

/** The fragment (without `#`) that reproduces `state`. */
export async function encodeState(state: PlaygroundState): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  const packed = await transform(bytes, new CompressionStream('deflate-raw'), Number.POSITIVE_INFINITY);
  return `s=${toBase64Url(packed ?? new Uint8Array())}`;
}

/** The state in a fragment (with or without `#`), or why it cannot be read. Never throws. */
export async function decodeState(fragment: string): Promise<Decoded> {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > MAX_FRAGMENT) return { ok: false, message: `The link is too long (${String(text.length)} characters; at most ${String(MAX_FRAGMENT)}).` };
  if (!text.startsWith('s=')) return { ok: false, message: 'The link holds no playground state (it should end in #s=…).' };
  const bytes = fromBase64Url(text.slice(2));
  if (bytes === undefined) return { ok: false, message: 'The link is damaged: its state is not base64url text.' };
  const inflated = await transform(bytes, new DecompressionStream('deflate-raw'), MAX_INFLATED);
  if (inflated === undefined) return { ok: false, message: 'The link is damaged: its state does not decompress (or is far too large).' };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated));
  } catch {
    return { ok: false, message: 'The link is damaged: its state is not JSON.' };
  }
  return checkState(json);
}

/** The state in `value` when it has the playground's shape, else why not. */
export function checkState(value: unknown): Decoded {
  if (!isRecord(value)) return bad('the state is not an object');
  const account = text(value, 'account');
  const overrides = text(value, 'overrides');
  const saved = text(value, 'saved');
  if (account === undefined || overrides === undefined || saved === undefined) return bad('the editors’ texts are missing or too long');
  const w = value['whatIf'];
  if (!isRecord(w)) return bad('the what-if form is missing');
  const fields = ['staffId', 'roles', 'teams', 'ip', 'at'].map((k) => short(w, k));
  const [staffId, roles, teams, ip, at] = fields;
  if (staffId === undefined || roles === undefined || teams === undefined || ip === undefined || at === undefined) return bad('a what-if field is missing or too long');
  const method = w['method'];
  if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) return bad('the what-if method is not google, microsoft or password');
  const verified = list(w['verified'], STEPS);
  const enrolled = list(w['enrolled'], FACTORS);
  if (verified === undefined || enrolled === undefined) return bad('the verified steps or enrolled factors are not known ones');
  return { ok: true, state: { account, overrides, saved, whatIf: { staffId, roles, teams, method: method as Method, ip, at, verified, enrolled } } };
}

function bad(why: string): Decoded {
  return { ok: false, message: `The link is damaged: ${why}.` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(record: Record<string, unknown>, key: string): string | undefined {
  const v = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof v === 'string' && v.length <= MAX_TEXT ? v : undefined;
}

function short(record: Record<string, unknown>, key: string): string | undefined {
  const v = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof v === 'string' && v.length <= 200 ? v : undefined;
}

function list<T extends string>(value: unknown, known: readonly T[]): T[] | undefined {
  if (!Array.isArray(value) || value.length > known.length) return undefined;
  const out: T[] = [];
  for (const v of value as unknown[]) {
    if (typeof v !== 'string' || !(known as readonly string[]).includes(v) || out.includes(v as T)) return undefined;
    out.push(v as T);
  }
  return out;
}

/** Runs bytes through a (de)compression stream; `undefined` on a stream error or past `limit` bytes. */
async function transform(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array | undefined> {
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Errors surface on the reader; the writer's promises are only awaited so none goes unhandled.
  writer.write(bytes).catch(() => undefined);
  writer.close().catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63] ?? '';
  }
  return out;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const v = ALPHABET.indexOf(text.charAt(i));
    if (v < 0) return undefined;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >> bits) & 255;
    }
  }
  return out.slice(0, n);
}
