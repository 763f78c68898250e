/**
 * `npm start`: the desktop app when Electron can run here; otherwise say why, build the renderer and serve the
 * same UI on http://127.0.0.1 (file dialogs become browser downloads and uploads).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { checkElectron } from './lib/electron-check';
import { serveStatic } from './lib/static-server';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = checkElectron();

if (check.ok) {
  console.log('Starting the desktop app (Electron Forge)…');
  const child = spawn('npx', ['electron-forge', 'start'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron cannot start: ${check.reason}.`);
  console.log('Serving the workbench in your browser instead (web mode).');
  await build({
    configFile: fileURLToPath(new URL('../renderer/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
  const port = Number(process.env.PORT ?? 5178);
  const served = await serveStatic(fileURLToPath(new URL('../dist/renderer', import.meta.url)), port).catch(
    async (e) => {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      console.log(`port ${port} is busy; using a free one`);
      return serveStatic(fileURLToPath(new URL('../dist/renderer', import.meta.url)), 0);
    },
  );
  console.log(`\n  RTE Workbench: ${served.url}\n  (Ctrl+C to stop)`);
  const stop = () => void served.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
