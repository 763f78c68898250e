/**
 * A static audit of the desktop shell in the spirit of electronegativity's high-severity checks, run in CI
 * (the tool itself is run by hand: `npm run audit:electron`, see the README). It reads the sources, so a
 * regression in any file under electron/ or in the page's CSP fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSP } from '../../electron/security';

const root = join(import.meta.dirname, '..', '..');
const sources = readdirSync(join(root, 'electron'))
  .filter((f) => f.endsWith('.ts') && !f.startsWith('vite.'))
  .map((f) => ({ file: `electron/${f}`, text: readFileSync(join(root, 'electron', f), 'utf8') }));

const directives = (csp: string) =>
  Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0]!, d.slice(1)]),
  );

describe('electron security audit', () => {
  it.each([
    [/nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/, 'nodeIntegration enabled'],
    [/contextIsolation\s*:\s*false/, 'contextIsolation disabled'],
    [/sandbox\s*:\s*false/, 'sandbox disabled'],
    [/webSecurity\s*:\s*false/, 'webSecurity disabled'],
    [/allowRunningInsecureContent\s*:\s*true/, 'insecure content allowed'],
    [/experimentalFeatures\s*:\s*true/, 'experimental features enabled'],
    [/enableBlinkFeatures/, 'blink features enabled'],
    [/webviewTag\s*:\s*true/, 'webview tag enabled'],
    [/shell\.openExternal|openPath\(/, 'opening external URLs or paths'],
    [/loadURL\(\s*['"`]https?:/, 'loading remote content'],
    // 'wasm-unsafe-eval' (WebAssembly compilation only, for the compiled solver) is allowed; JS eval is not
    [/(?<!wasm-)unsafe-eval|unsafe-inline/, 'an unsafe CSP source'],
    [/allowpopups|nativeWindowOpen/, 'popups allowed'],
    [/exposeInMainWorld\([^)]*ipcRenderer\s*\)/, 'ipcRenderer exposed to the page'],
  ])('no source enables %s (%s)', (pattern) => {
    for (const { file, text } of sources) expect(text, file).not.toMatch(pattern);
  });

  it('every BrowserWindow is created with literal hardened webPreferences', () => {
    const creations = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/new BrowserWindow\(/g)].map((m) => ({
        file,
        body: text.slice(m.index, m.index + 1500),
      })),
    );
    expect(creations.length).toBeGreaterThan(0);
    for (const { body } of creations)
      for (const p of [
        /contextIsolation: true/,
        /sandbox: true/,
        /nodeIntegration: false/,
        /webSecurity: true/,
      ])
        expect(body).toMatch(p);
  });

  it('navigation, new windows, webviews and permissions are refused', () => {
    const all = sources.map((s) => s.text).join('\n');
    expect(all).toMatch(/on\('will-navigate'/);
    expect(all).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(all).toMatch(/on\('will-attach-webview'/);
    expect(all).toMatch(/setPermissionRequestHandler\(\(_wc, _permission, callback\) => callback\(false\)\)/);
    expect(all).toMatch(/app\.on\('web-contents-created'/);
  });

  it('IPC arguments are validated and the preload exposes only the typed API', () => {
    const ipc = sources.find((s) => s.file === 'electron/ipc.ts')!.text;
    expect(ipc.match(/ipcMain\.handle\(/g)).toHaveLength(3);
    expect(ipc.match(/checkSender\(deps, CHANNELS\./g)).toHaveLength(3);
    const preload = sources.find((s) => s.file === 'electron/preload.ts')!.text;
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).not.toMatch(/ipcRenderer\.send\(|require\(/);
  });

  it('the app:// handler sets the security headers on its responses, where onHeadersReceived never runs', () => {
    const main = sources.find((s) => s.file === 'electron/main.ts')!.text;
    expect(main).toMatch(/protocol\.handle\(APP_SCHEME, \(request\) => appResponse\(/);
    const protocol = sources.find((s) => s.file === 'electron/protocol.ts')!.text;
    for (const h of [
      'Content-Security-Policy',
      'X-Content-Type-Options',
      'Cross-Origin-Opener-Policy',
      'Cross-Origin-Embedder-Policy',
    ])
      expect(protocol).toContain(`'${h}'`);
  });

  it('fuses switch off what the app never uses, file:// privileges included', () => {
    const forge = readFileSync(join(root, 'forge.config.ts'), 'utf8');
    for (const fuse of [
      'RunAsNode',
      'EnableNodeOptionsEnvironmentVariable',
      'EnableNodeCliInspectArguments',
      'GrantFileProtocolExtraPrivileges',
    ])
      expect(forge).toMatch(new RegExp(`\\[FuseV1Options\\.${fuse}\\]: false`));
    expect(forge).toMatch(/\[FuseV1Options\.OnlyLoadAppFromAsar\]: true/);
  });

  it('the main-process and page CSPs are strict and agree', () => {
    const html = readFileSync(join(root, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const main = directives(CSP);
    const page = directives(meta!);
    for (const d of [main, page]) {
      expect(d['default-src']).toEqual(["'none'"]);
      // WebAssembly compilation (gpu.js's webasm kernels) but no JavaScript eval
      expect(d['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(d['object-src']).toEqual(["'none'"]);
      expect(d['base-uri']).toEqual(["'none'"]);
    }
    // frame-ancestors only works as a header, so only the main process sends it
    const { 'frame-ancestors': _fa, ...mainRest } = main;
    expect(page).toEqual(mainRest);
  });
});
