/**
 * The desktop app through Playwright's Electron driver. It needs an Electron binary and a display; where either
 * is missing (as on an offline CI machine) the suite prints why and is skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkElectron } from '../scripts/lib/electron-check';
import { screenshot } from './support/browser';

const check = checkElectron();
if (!check.ok) console.log(`SKIP electron e2e: ${check.reason}.`);

/** `electron-forge package` output: out/<name>-<platform>-<arch>/rte-workbench */
function packagedExecutable(): string {
  execFileSync('npx', ['electron-forge', 'package'], { stdio: 'inherit' });
  const dir = readdirSync('out').find((d) => d.startsWith('RTE Workbench-'));
  const exe = dir && join('out', dir, process.platform === 'win32' ? 'rte-workbench.exe' : 'rte-workbench');
  if (!exe || !existsSync(exe)) throw new Error('electron-forge package produced no executable under out/');
  return exe;
}

describe.skipIf(!check.ok)('desktop app (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    app = await _electron.launch({ executablePath: packagedExecutable() });
    page = await app.firstWindow();
    await page.getByTestId('map-E').waitFor({ timeout: 120_000 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('loads from app:// and solves the seed preset', async () => {
    expect(page.url()).toBe('app://workbench/index.html');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="map-E"]')?.getAttribute('data-sum'),
    );
    await screenshot(page, 'electron-window');
  });

  it('exposes only the typed preload API to the page', async () => {
    const api = await page.evaluate(() => ({
      keys: Object.keys((window as unknown as { rteDesktop: object }).rteDesktop).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(api).toEqual({
      keys: ['onMenuCommand', 'openFile', 'saveFile', 'versions'],
      require: 'undefined',
      process: 'undefined',
    });
    const versions = await page.evaluate(() =>
      (window as unknown as { rteDesktop: { versions(): Promise<object> } }).rteDesktop.versions(),
    );
    expect(versions).toHaveProperty('electron');
  });

  it('refuses navigation away from the app and new windows', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://workbench/index.html');
    await page.evaluate(() => window.open('https://example.com/'));
    await page.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
  });

  it('app:// responses carry the CSP and cross-origin isolation, and the worker cannot eval', async () => {
    const headers = await page.evaluate(async () => {
      const r = await fetch('/index.html');
      return {
        csp: r.headers.get('content-security-policy'),
        nosniff: r.headers.get('x-content-type-options'),
        isolated: self.crossOriginIsolated,
      };
    });
    expect(headers.csp).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
    expect(headers.nosniff).toBe('nosniff');
    expect(headers.isolated).toBe(true);
    // the solver worker probes `new Function('')`; under the CSP it throws, so gpu.js's JavaScript target is
    // reported unavailable and the solver select does not offer it
    await page.getByTestId('about-open').click();
    await expect
      .poll(() => page.getByTestId('about-jit-gpu-js-cpu').textContent())
      .toMatch(/^not available \(.*Content-Security-Policy forbids/);
    await page.getByTestId('about-close').click();
    expect(await page.locator('[data-testid="grid-backend"] option[value="cpu"]').isDisabled()).toBe(true);
  });

  it('has the File menu with session and export commands', async () => {
    const labels = await app.evaluate(({ Menu }) =>
      Menu.getApplicationMenu()
        ?.items.find((i) => i.label === 'File')
        ?.submenu?.items.map((i) => i.label)
        .filter(Boolean),
    );
    expect(labels).toEqual([
      'New',
      'Open session…',
      'Save session',
      'Save session as…',
      'Export figure…',
      'Export data…',
      'Quit',
    ]);
    const view = await app.evaluate(({ Menu }) =>
      Menu.getApplicationMenu()
        ?.items.find((i) => i.label === 'View')
        ?.submenu?.items.map((i) => i.role),
    );
    expect(view?.[0]).toBe('reload');
  });
});
