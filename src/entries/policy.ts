// The `staffgate/policy` entry: the settings model and, as this entry always has, the
// governance built on it. It lives apart from src/policy/ so that the settings model itself
// never imports what sits above it (login, governance); see "Architecture" in docs/index.md.
export * from '../policy/index.js';
export * from '../governance/index.js';
