// Starting points from the help-centre scenarios: an office that locks sign-ins to its network,
// a road user with an exception, a Tokyo office on its own clock, and a night shift.
import type { PlaygroundState } from './state.js';

const json = (value: unknown): string => JSON.stringify(value, null, 2);

const officeHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' };
const office = {
  loginMethods: ['google', 'microsoft'],
  twoFactor: { required: true, methods: ['totp', 'email'] },
  ipLockdown: { enabled: true, allow: ['203.0.113.0/24'] },
  loginHours: { enabled: true, timezone: 'Europe/London', windows: [officeHours] },
  api: { maxKeyLifetimeDays: 365 },
};

export interface Example {
  readonly id: string;
  readonly title: string;
  readonly state: PlaygroundState;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'office',
    title: 'Office lockdown',
    state: {
      account: json(office),
      overrides: json([]),
      saved: json({ ...office, ipLockdown: { enabled: false, allow: [] } }),
      whatIf: { staffId: 'ada', roles: 'admin', teams: '', method: 'google', ip: '198.51.100.7', at: '2026-11-23T09:30:00Z', verified: ['totp'], enrolled: ['totp'] },
    },
  },
  {
    id: 'road',
    title: 'Road user',
    state: {
      account: json({
        ...office,
        layers: [{ id: 'sales-travel', reason: 'The sales team signs in from customer sites and hotels', appliesTo: { teams: ['sales'] }, set: { ipLockdown: { enabled: false } }, reviewBy: '2027-06-30T00:00:00Z' }],
      }),
      overrides: json([
        { staffId: 'sam', reason: 'Field sales: logs in from customer sites and hotels every day', expiresAt: '2027-03-31T00:00:00Z', reviewBy: '2026-11-15T00:00:00Z', set: { ipLockdown: { enabled: false } } },
      ]),
      saved: json(office),
      whatIf: { staffId: 'sam', roles: 'member', teams: 'sales', method: 'google', ip: '198.51.100.7', at: '2026-11-23T10:00:00Z', verified: ['email'], enrolled: ['email'] },
    },
  },
  {
    id: 'tokyo',
    title: 'Tokyo office',
    state: {
      account: json(office),
      overrides: json([{ staffId: 'kenji', reason: 'Works from the Tokyo office: office hours on Tokyo time', reviewBy: '2027-01-15T00:00:00Z', set: { loginHours: { timezone: 'Asia/Tokyo' }, ipLockdown: { allow: ['192.0.2.0/24'] } } }]),
      saved: json(office),
      whatIf: { staffId: 'kenji', roles: 'member', teams: 'apac', method: 'microsoft', ip: '192.0.2.40', at: '2026-11-24T01:00:00Z', verified: ['totp'], enrolled: ['totp'] },
    },
  },
  {
    id: 'night',
    title: 'Night shift',
    state: {
      account: json({
        ...office,
        layers: [
          {
            id: 'night-support',
            reason: 'Support covers the night, Monday to Friday, from the office',
            appliesTo: { teams: ['support-night'] },
            set: { loginHours: { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '22:00', end: '06:00' }] } },
            reviewBy: '2027-03-31T00:00:00Z',
          },
        ],
      }),
      overrides: json([]),
      saved: json(office),
      whatIf: { staffId: 'noor', roles: 'member', teams: 'support-night', method: 'google', ip: '203.0.113.50', at: '2026-11-24T02:30:00Z', verified: ['totp'], enrolled: ['totp'] },
    },
  },
];

export const DEFAULT_STATE: PlaygroundState = (EXAMPLES[0] as Example).state;
