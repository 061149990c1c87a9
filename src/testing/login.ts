import fc from 'fast-check';
import type { LoginAttempt, LoginStep } from '../login/index.js';
import type { LoginMethod, SecondFactor } from '../policy/index.js';
import { loginHoursInstantArb } from './hours.js';
import { ipAddressArb } from './net.js';

const methods: LoginMethod[] = ['google', 'microsoft', 'password'];
const factors: SecondFactor[] = ['totp', 'sms', 'email'];
const steps: LoginStep[] = ['email_code', 'totp', 'sms', 'email'];

/**
 * A well-formed login attempt with a random method, a valid address in some spelling, an instant around DST
 * changes, and any steps verified or factors enrolled.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(loginAttemptArb(), (attempt) => {
 *   const decision = evaluateLogin(policy, attempt);
 *   if (decision.outcome !== 'allow') expect(myLoginRoute(attempt).session).toBeUndefined();
 * }));
 * ```
 */
export function loginAttemptArb(): fc.Arbitrary<LoginAttempt> {
  return fc.record(
    {
      method: fc.constantFrom(...methods),
      ip: ipAddressArb().map((a) => a.text),
      at: loginHoursInstantArb(),
      verified: fc.uniqueArray(fc.constantFrom(...steps)),
      enrolled: fc.uniqueArray(fc.constantFrom(...factors)),
      sso: fc.record({ mfa: fc.boolean() }),
    },
    { requiredKeys: ['method', 'ip', 'at'] },
  );
}
