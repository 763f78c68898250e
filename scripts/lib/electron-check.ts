/**
 * Can Electron run here? It needs its binary (the electron package downloads it on first use, which an offline
 * machine cannot) and, on Linux, a display. Never requires('electron'): that would start the download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronCheck = { ok: true; binary: string } | { ok: false; reason: string };

export function electronBinary(): string | null {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, readFileSync(pathFile, 'utf8'))
    : join(pkgDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(bin) ? bin : null;
}

export function checkElectron(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): ElectronCheck {
  if (env.RTE_WEB === '1') return { ok: false, reason: 'RTE_WEB=1 asks for the web mode' };
  const binary = electronBinary();
  if (!binary)
    return {
      ok: false,
      reason:
        'no Electron binary: the electron package downloads it on first use, and this machine cannot reach the download server (run `npx install-electron` where it can)',
    };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { ok: false, reason: 'no display: neither $DISPLAY nor $WAYLAND_DISPLAY is set' };
  return { ok: true, binary };
}
