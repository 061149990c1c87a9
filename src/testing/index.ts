// staffgate/testing: fast-check arbitraries for consumers' own property tests, valid and
// hostile, for every input type. Needs the peer dependency fast-check.
export * from './policy.js';
export * from './login.js';
export * from './net.js';
export * from './hours.js';
export * from './mail.js';
export * from './access.js';
export * from './otp.js';
export * from './apikeys.js';
export * from './governance.js';
export * from './laws.js';
