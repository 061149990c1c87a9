// The workspace every example starts from: the settings a CRM admin would save on the
// "Security" screen, three staff members and two API keys.
import { createTotpEnrollment, type AccountPolicyInput } from 'staffgate';
import { Workspace, type WorkspaceOptions } from './workspace.js';

/** Ann's, Ben's and Sam's password in the demo. */
export const DEMO_PASSWORD = 'correct horse battery staple';

/** Office network (IPv4 and IPv6), working hours in London, 2FA with an authenticator app. */
export const DEMO_ACCOUNT: AccountPolicyInput = {
  loginMethods: ['password', 'google'],
  twoFactor: { required: true, methods: ['totp'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24', '2001:db8:100::/48'] },
  loginHours: {
    enabled: true,
    timezone: 'Europe/London',
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
  },
  api: { ipAllowlist: { enabled: true, allow: ['198.51.100.0/24'] } },
  mail: { excluded: ['ceo@acme.test', '@board.acme.test'] },
};

export interface DemoWorkspace {
  readonly workspace: Workspace;
  /** Ann's authenticator-app secret (her phone has it too). */
  readonly annTotpSecret: string;
  /** Tokens of the two API keys, shown once at creation as a real app would. */
  readonly apiTokens: { readonly read: string; readonly write: string };
}

/**
 * Ann has an authenticator app; Ben has not set one up yet; Sam works from customer sites and
 * has an override that lifts the IP lockdown for him until the end of March 2027.
 */
export async function createDemoWorkspace(options: WorkspaceOptions & { readonly anytime?: boolean } = {}): Promise<DemoWorkspace> {
  // `anytime` switches the login hours off, to try the runnable examples on a weekend.
  const account = options.anytime === true ? { ...DEMO_ACCOUNT, loginHours: { ...DEMO_ACCOUNT.loginHours, enabled: false } } : DEMO_ACCOUNT;
  const workspace = new Workspace(account, options);
  const ann = await workspace.addStaff('ann', 'ann@acme.test', DEMO_PASSWORD);
  await workspace.addStaff('ben', 'ben@acme.test', DEMO_PASSWORD);
  const sam = await workspace.addStaff('sam', 'sam@acme.test', DEMO_PASSWORD);
  const { secret } = createTotpEnrollment({ issuer: 'Example CRM', accountName: ann.email });
  ann.totp = { secret, lastUsedStep: null };
  sam.totp = { secret: createTotpEnrollment({ issuer: 'Example CRM', accountName: sam.email }).secret, lastUsedStep: null };
  workspace.addOverride({
    staffId: 'sam',
    reason: 'Field sales: signs in from customer sites',
    expiresAt: '2027-03-31T00:00:00Z',
    set: { ipLockdown: { enabled: false } },
  });
  const apiTokens = {
    read: workspace.issueApiKey(['orders:read'], { label: 'Reporting dashboard' }),
    write: workspace.issueApiKey(['orders:write'], { label: 'Shop order sync', allowIps: ['198.51.100.24'] }),
  };
  return { workspace, annTotpSecret: secret, apiTokens };
}

/**
 * The demo workspace for running an example by hand: codes are "e-mailed" to the console, and
 * DEMO_ANYTIME=1 lifts the login hours.
 */
export async function createConsoleDemo(): Promise<DemoWorkspace> {
  return createDemoWorkspace({
    anytime: process.env.DEMO_ANYTIME === '1',
    mailer: (m) => {
      console.log(`[mail to ${m.to}] ${m.subject}: ${m.code}`);
    },
  });
}

/** What an example prints when it starts: where it listens and how to sign in. */
export function printDemoWelcome(name: string, url: string, demo: DemoWorkspace): void {
  console.log(`${name} example on ${url} (office network 203.0.113.0/24, 08:00-18:00 London, Mon-Fri; DEMO_ANYTIME=1 lifts the hours)`);
  console.log(`Sign in as ann@acme.test / "${DEMO_PASSWORD}"; add her TOTP secret ${demo.annTotpSecret} to an authenticator app.`);
  console.log(`API key (orders:read; API allowlist 198.51.100.0/24): ${demo.apiTokens.read}`);
}
