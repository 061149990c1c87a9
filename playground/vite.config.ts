// Vite builds the playground from the library's source, as the browser build a host would
// bundle: the `staffgate` imports resolve to src/, so the page always runs this checkout.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const src = (path: string): string => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: [{ find: /^staffgate$/, replacement: src('index.ts') }] },
  build: { outDir: fileURLToPath(new URL('../playground-dist', import.meta.url)), emptyOutDir: true, target: 'es2022' },
  server: { open: false },
});
