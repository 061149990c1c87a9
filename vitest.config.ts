import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^staffgate$/, replacement: `${src}/index.ts` },
      { find: /^staffgate\/policy$/, replacement: `${src}/entries/policy.ts` },
      { find: /^staffgate\/(.*)$/, replacement: `${src}/$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
  },
});
