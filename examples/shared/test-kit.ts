// Helpers for the examples' tests: a clock the test moves, the "phone" that shows TOTP codes,
// the mailbox the e-mailed code lands in, and JSON requests over real HTTP.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSync } from 'otplib';
import type { Workspace } from './workspace.js';

/** A clock that stands still until the test moves it. */
export class TestClock {
  private ms: number;
  constructor(at: string) {
    this.ms = Date.parse(at);
  }
  readonly now = (): number => this.ms;
  /** Moves to an ISO 8601 instant, a Date or epoch ms. */
  set(at: string | number | Date): void {
    this.ms = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Wednesday 11 June 2025, 10:00 in London: inside the demo's working hours. */
export const WORKING_HOURS = '2025-06-11T09:00:00Z';
/** Wednesday 11 June 2025, 20:00 in London: after hours. */
export const AFTER_HOURS = '2025-06-11T19:00:00Z';
/** In the office network of the demo. */
export const OFFICE_IP = '203.0.113.7';
/** A café: not in the allowlist. */
export const CAFE_IP = '198.18.0.9';
/** The shop server allowed to use the write API key. */
export const SHOP_SERVER_IP = '198.51.100.24';

/** What an authenticator app shows for this secret at this instant. */
export function totpCode(secret: string, atMs: number): string {
  return generateSync({ secret, epoch: Math.floor(atMs / 1000) });
}

/** The last code e-mailed to this address. */
export function lastCodeTo(ws: Workspace, email: string): string {
  for (let i = ws.outbox.length - 1; i >= 0; i--) {
    const message = ws.outbox[i]!;
    if (message.to === email) return message.code;
  }
  throw new Error(`no code was sent to ${email}`);
}

/** Starts a Node HTTP server on a free port of 127.0.0.1 and returns its base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Stops a server started with {@link listen}, dropping kept-alive connections. */
export async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.close((err) => {
      if (err === undefined) resolve();
      else reject(err);
    });
    server.closeAllConnections();
  });
}

/** A JSON reply: status, parsed body and the session cookie it set, if any. */
export interface JsonReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly cookie: string | undefined;
  readonly headers: Headers;
}

/** Sends a request with an optional JSON body and reads the JSON reply. */
export async function request(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonReply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(2000),
  });
  const text = await response.text();
  const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('sid=') && !c.includes('Max-Age=0'));
  return { status: response.status, body, cookie: setCookie?.split(';')[0], headers: response.headers };
}

/**
 * Walks a password login through the e-mailed code and the authenticator code, the way a
 * browser would, and returns every reply. Stops at the first reply that is not a challenge.
 */
export async function passwordLogin(
  baseUrl: string,
  ws: Workspace,
  input: {
    email: string;
    password: string;
    from: string;
    totpSecret?: () => string | undefined;
    now: () => number;
    /** Whether to complete a step the app asks for; default every step. */
    completes?: (step: 'email_code' | 'second_factor' | 'enroll') => boolean;
  },
): Promise<JsonReply[]> {
  const headers = { 'x-forwarded-for': input.from };
  const replies = [await request(`${baseUrl}/login`, { body: { email: input.email, password: input.password }, headers })];
  for (let i = 0; i < 4; i++) {
    const last = replies[replies.length - 1]!;
    if (last.body.outcome !== 'challenge') break;
    const step = last.body.step as 'email_code' | 'second_factor' | 'enroll';
    if (input.completes?.(step) === false) break;
    const attemptId = last.body.attemptId as string;
    let code: string;
    if (last.body.step === 'email_code') code = lastCodeTo(ws, input.email);
    else if (last.body.step === 'enroll') code = totpCode(new URL(last.body.otpauthUri as string).searchParams.get('secret') ?? '', input.now());
    else code = totpCode(input.totpSecret?.() ?? '', input.now());
    replies.push(await request(`${baseUrl}/login/code`, { body: { attemptId, code }, headers }));
  }
  return replies;
}
