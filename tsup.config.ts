import { defineConfig } from 'tsup';

// One entry per capability, so a host that only checks IPs or API keys loads neither luxon nor
// otplib; the root entry re-exports them all. Shared code is split into chunks, not copied.
const capabilities = ['login', 'net', 'hours', 'otp', 'access', 'apikeys', 'mail', 'governance', 'state', 'testing'] as const;

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      // The settings model and, as always, the governance on it (src/policy/ itself imports neither).
      policy: 'src/entries/policy.ts',
      ...Object.fromEntries(capabilities.map((c) => [c, `src/${c}/index.ts`])),
    },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: true,
    target: 'es2022',
    platform: 'neutral',
  },
  {
    // The `staffgate` command: Node only (it reads files), so it is built apart from the
    // runtime-neutral library and never imported by it.
    entry: { cli: 'cli/staffgate.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    clean: false,
    splitting: false,
    sourcemap: false,
  },
]);
