import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// The SPA is served by `madoguchi serve` from `dist/` (embedded in release builds).
// `npm run dev` proxies the API to a running `madoguchi serve` on the default address.
export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2020',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
