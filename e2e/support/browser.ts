/** Chromium for the e2e tests: the system browser, headless, a fresh profile per test file. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-results', 'e2e');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebGL through SwiftShader, since --disable-gpu leaves no hardware path
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (CSP violations show up here). */
  errors: string[];
  close(): Promise<void>;
}

/** WebGPU in headless Chromium: SwiftShader's Vulkan adapter (navigator.gpu needs a secure context: 127.0.0.1). */
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--ignore-gpu-blocklist'];

export async function openBrowser(opts: { webgpu?: boolean } = {}): Promise<Session> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (scripts/setup.sh installs it)`);
  const args = opts.webgpu ? [...FLAGS.filter((f) => f !== '--disable-gpu'), ...WEBGPU_FLAGS] : FLAGS;
  const profile = mkdtempSync(join(tmpdir(), 'rte-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    acceptDownloads: true,
    viewport: { width: 1500, height: 1100 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Load the workbench and wait for the seed preset's first picture. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('map-E').waitFor();
  await waitForSolve(page);
}

/** Wait until the maps show a solution of the current inputs (no solve running or pending). */
export async function waitForSolve(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="status-state"]')?.textContent === 'ready' &&
      document.querySelector('[data-testid="map-E"]')?.getAttribute('data-sum') !== null,
    null,
    { timeout: 120_000 },
  );
  // debounced edits start a solve a little later: make sure none is about to start
  await page.waitForTimeout(400);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="status-state"]')?.textContent === 'ready',
    null,
    {
      timeout: 120_000,
    },
  );
}

export async function mapSum(page: Page, id: string): Promise<number> {
  return Number(await page.getByTestId(id).getAttribute('data-sum'));
}

/** Run `action`, which should trigger a download; return the file's name and bytes. */
export async function download(
  page: Page,
  action: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), action()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

export async function screenshot(page: Page, name: string, selector?: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  if (selector) await page.locator(selector).first().screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  return path;
}
