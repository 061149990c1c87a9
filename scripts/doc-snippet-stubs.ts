// Host-app things the documentation's code blocks use without defining them, for
// scripts/check-doc-snippets.mjs. A block names what it uses in its fence
// (```ts declare="db, policy"); each name is imported from here. Declarations only (nothing
// runs), typed with the library's own types or, for the framework recipes, with the examples'
// real code, so a block that misuses the library still fails. The check fails on a stub that
// no block declares, and on a stub that shadows a library export.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Request as ExpressRequest } from 'express';
import type { FastifyInstance } from 'fastify';
import type { Middleware } from 'koa';
import type {
  Access,
  AccountPolicy,
  ApiKeyRecord,
  CompiledLoginHours,
  EffectivePolicy,
  Instant,
  LoginChallenge,
  LoginDecision,
  LoginStep,
  MailExclusions,
  MailMessageAddresses,
  MemberRecord,
  OneTimeCodeChallenge,
  RoleDefinition,
  SecondFactor,
  StaffOverride,
} from 'staffgate';
import type { StaffgateState } from '../examples/koa/app.js';
import type { SessionRecord, Workspace } from '../examples/shared/workspace.js';
// The Fastify recipe relies on the example plugin's module augmentation (route `config`,
// `request.staffSession`): importing the module's types brings it in.
import type {} from '../examples/fastify/app.js';

// ---- Framework recipes (docs/integrations.md, docs/testing.md): the examples' real code.
export type { RequestHandler } from 'express';
export { default as Koa } from 'koa';
export { bearerToken, clearedSessionCookie, readCookie } from '../examples/shared/http.js';
export { clientIp as koaClientIp, loginCheck, sessionCheck, type StaffgateState } from '../examples/koa/app.js';
export { expect, it } from 'vitest';
/** The example workspace: stores, clock, policy per person. */
export declare const ws: Workspace;
/** Express: the client address of a request (a helper inside examples/express/app.ts). */
export declare function expressClientIp(req: ExpressRequest): string;
/** Express: the session found by the middleware, per request. */
export declare const sessions: WeakMap<ExpressRequest, SessionRecord>;
/** Fastify: an app with the example plugin registered. */
export declare const fastifyApp: FastifyInstance;
export declare function listOrders(): Promise<readonly { readonly id: string }[]>;
/** Koa: the signed-in routes. */
export declare const routes: Middleware<StaffgateState>;

// ---- Storage: one fake database with the calls the guides make.
/** An `api_keys` row as a Postgres driver returns it (docs/api-keys.md, "Storage schema"). */
export interface ApiKeyRow {
  id: string;
  workspace_id: string;
  prefix: string;
  secret_hash: string;
  label: string | null;
  scopes: string[];
  created_at: Date;
  expires_at: Date | null;
  allow_ips: string[] | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  last_used_ips: string[];
  rotated_from: string | null;
  replaced_by: string | null;
}
interface HostDb {
  getSecuritySettings(accountId: string): Promise<unknown>;
  getOverrides(staffId: string): Promise<unknown[]>;
  /** `findApiKey(id)`, or `findApiKey(workspaceId, id)` in the multi-workspace middleware recipe. */
  findApiKey(idOrWorkspaceId: string, id?: string): Promise<ApiKeyRecord | undefined>;
  saveApiKey(record: ApiKeyRecord): Promise<void>;
  updateApiKeyUse(id: string, use: Pick<ApiKeyRecord, 'lastUsedAt' | 'lastUsedIps'>): Promise<void>;
  insertApiKey(record: ApiKeyRecord): Promise<void>;
  transaction<T>(work: (tx: HostDb) => Promise<T>): Promise<T>;
  loadChallenge(attemptId: string): Promise<OneTimeCodeChallenge>;
  saveChallenge(attemptId: string, challenge: OneTimeCodeChallenge, options?: { readonly expect: OneTimeCodeChallenge }): Promise<void>;
  ensureStaff(staffId: string, fields: { readonly totpSecret: string }): Promise<void>;
}
export declare const db: HostDb;
/** node-postgres: `pool.query(text, values)`. */
export declare const pool: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
/** Prisma's raw query API. */
export declare const prisma: { $queryRawUnsafe(query: string, ...values: unknown[]): Promise<unknown> };
/** Cloudflare Workers KV (the part of @cloudflare/workers-types the guide uses). */
export interface KVNamespace {
  get<T>(key: string, type: 'json'): Promise<T | null>;
}
/** Deno (the part of Deno.serve the guide uses). */
export declare const Deno: {
  serve(handler: (request: Request, info: { readonly remoteAddr: { readonly hostname: string } }) => Response | Promise<Response>): unknown;
};

// ---- Values a page made in an earlier block, or that the host has at hand.
export declare const at: Instant;
export declare const now: string;
export declare const accountId: string;
export declare const staffId: string;
export declare const clientIp: string;
export declare const account: AccountPolicy;
export declare const savedAccount: AccountPolicy;
export declare const editedAccount: AccountPolicy;
export declare const saved: AccountPolicy;
export declare const edited: AccountPolicy;
export declare const overrides: readonly StaffOverride[];
export declare const graceOverrides: readonly StaffOverride[];
export declare const trip: StaffOverride;
export declare function overridesOf(staffId: string): readonly StaffOverride[];
export declare const policy: EffectivePolicy;
export declare const settings: { effectivePolicy(workspaceId: string): Promise<EffectivePolicy> };
export declare const decision: LoginDecision;
export declare const hours: CompiledLoginHours;
export declare const exclusions: MailExclusions;
export declare const messages: readonly MailMessageAddresses[];
export declare const req: IncomingMessage;
export declare const socket: Socket;
export declare const headers: IncomingHttpHeaders;
/** The bearer token a request presented. */
export declare const presented: string;
export declare const oldRecord: ApiKeyRecord;
export declare const roles: readonly RoleDefinition[];
export declare const member: MemberRecord;
export declare const access: Access;
export declare const lee: Access;
export declare const bob: Access;
export declare const rita: Access;
/** docs/second-factor.md: a staff member's stored second-factor state. */
export declare const staffMember: { readonly email: string; readonly totpSecret: string; readonly totpLastStep: number | null };
/** docs/second-factor.md: the failure counter of the hard limit. */
export declare const staffAccount: { secondFactorFailures: number };
export declare const attempt: { readonly id: string; readonly verified: LoginStep[] };
export declare const typed: string;
export declare const secret: string;
export declare const code: string;
export declare const lastUsedStep: number | null;
export declare const session: { readonly completedSteps: readonly LoginStep[] };
export declare const user: { readonly secondFactors: readonly SecondFactor[] };
export declare const message: string;

// ---- Host functions the guides call.
export declare const log: { info(entry: Record<string, unknown>): void };
export declare function showOnce(token: string): void;
export declare function notify(staffId: string, text: string): void;
export declare function notifyAdmins(text: string): void;
export declare function sendMail(to: string, text: string): Promise<void>;
export declare function startSession(): void;
export declare function askFor(challenge: LoginChallenge): void;
export declare function refuse(messages: readonly string[]): void;
export declare function deny(reason: string): void;
export declare function endSession(reason: string): void;
export declare function warn(text: string): void;
/** docs/testing.md: the host's own helpers that the law checks exercise. */
export declare function clientIpOf(req: { socket: { remoteAddress: string }; headers: Record<string, string | undefined> }, trustedProxies: readonly string[]): string;
export declare function mySyncFilter(entries: readonly string[], messages: readonly MailMessageAddresses[]): MailMessageAddresses[];
export declare function myTotpStep(staffId: string, code: string, at: number): Promise<{ readonly ok: boolean }>;
export declare function auditEntryFor(entry: { readonly ip: string }): { readonly clientIp: string | null };
