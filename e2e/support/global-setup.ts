/** Build the renderer once and serve it for every e2e file (RTE_E2E_URL points the tests elsewhere instead). */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { type Served, serveStatic } from '../../scripts/lib/static-server';

let served: Served | null = null;

export default async function setup(project: TestProject) {
  let url = process.env.RTE_E2E_URL;
  if (!url) {
    if (process.env.RTE_E2E_SKIP_BUILD !== '1')
      await build({
        configFile: fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url)),
        logLevel: 'warn',
      });
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
