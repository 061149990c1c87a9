import { defineConfig } from 'tsup';

// One entry per capability so a host that only checks IPs or API keys loads neither luxon nor
// otplib. The root entry re-exports them all.
export const entries = {
  index: 'src/index.ts',
  testing: 'src/testing/index.ts',
} as const;

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['zod', 'luxon', 'ipaddr.js', 'otplib', 'fast-check'],
});
