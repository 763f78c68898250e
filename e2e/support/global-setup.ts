/** Build the renderer once and serve it for every e2e file (RTE_E2E_URL points the tests elsewhere instead). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { type Served, serveStatic } from '../../scripts/lib/static-server';

let served: Served | null = null;

export default async function setup(project: TestProject) {
  let url = process.env.RTE_E2E_URL;
  if (!url) {
    if (process.env.RTE_E2E_SKIP_BUILD !== '1') await buildForProduction();
    served = await serveStatic(fileURLToPath(new URL('../../dist/renderer', import.meta.url)));
    url = served.url;
  }
  project.provide('baseUrl', url);
  return async () => {
    await served?.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * Vite replaces process.env.NODE_ENV by the environment's value when one is set, and the test runner sets 'test':
 * built as it is, the page would run React's development build (several times slower to render), and every
 * latency the e2e measures would be the development build's. Build with NODE_ENV=production, and check.
 */
async function buildForProduction(): Promise<void> {
  const outer = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url)),
      logLevel: 'warn',
      mode: 'production',
    });
  } finally {
    if (outer === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = outer;
  }
  const assets = fileURLToPath(new URL('../../dist/renderer/assets', import.meta.url));
  for (const file of readdirSync(assets).filter((f) => f.endsWith('.js')))
    if (readFileSync(join(assets, file), 'utf8').includes('jsxDEV'))
      throw new Error(
        `e2e build: ${file} holds React's development build (jsxDEV); the e2e must measure the production build`,
      );
}
