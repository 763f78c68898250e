import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The dev server injects inline scripts (React refresh) and talks over a websocket, which the production CSP
 * forbids; relax the meta CSP for `vite serve` only. Builds keep index.html's strict policy untouched.
 */
function devCsp(): Plugin {
  return {
    name: 'rte-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:* ws://localhost:*"),
  };
}

const versionOf = (pkg: string) =>
  (
    JSON.parse(readFileSync(fileURLToPath(new URL(`../${pkg}/package.json`, import.meta.url)), 'utf8')) as {
      version: string;
    }
  ).version;

export default defineConfig({
  // versions for Help → About, read at build time
  define: {
    __RTE_VERSIONS__: JSON.stringify({
      app: versionOf('.'),
      gpujs: versionOf('node_modules/gpu.js'),
      mathjs: versionOf('node_modules/mathjs'),
    }),
  },
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs, so the same build loads over http://127.0.0.1 and Electron's app:// protocol.
  base: './',
  plugins: [react(), devCsp()],
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // zod ships comments Rollup cannot place; harmless, and not ours to fix
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1' },
});
