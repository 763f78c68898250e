/** The web mode end to end: solve and plot, formulas, drawing, exports, sessions, autosave. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { referenceDir, relErr } from '../test/helpers/reference';
import {
  ARTIFACTS,
  download,
  mapSum,
  openBrowser,
  openWorkbench,
  type Session,
  screenshot,
  waitForSolve,
} from './support/browser';
import { chooseFile, decodePng, parseCsv, parseSvg, readNpy } from './support/files';

const url = inject('baseUrl');
let s: Session;
let page: Page;

const reference = (name: string) => {
  const file = join(referenceDir(), `${name}.npy`);
  return existsSync(file) ? readNpy(readFileSync(file)) : null;
};

/** Relative error of the E map's sum (case k = 1 over t and x) against a reference file's first case. */
async function mapSumError(p: Page, file: string): Promise<number> {
  const ref = reference(file);
  if (!ref) return 0;
  const want = ref.data.subarray(0, 50 * 400).reduce((a, v) => a + v, 0);
  return Math.abs((await mapSum(p, 'map-E')) - want) / want;
}

async function setFormula(field: 'sigma' | 'Tini', text: string) {
  await page.getByTestId(`formula-${field}`).fill(text);
}

beforeAll(async () => {
  s = await openBrowser();
  page = s.page;
  await openWorkbench(page, url);
});

afterAll(async () => {
  await s?.close();
});

describe('web mode', () => {
  it('the seed preset solves and plots, matching the reference solution', async () => {
    await expect(page.getByTestId('case-item').count()).resolves.toBe(4);
    // WebGL is SwiftShader in these tests (--disable-gpu): the maps paint with the 2-D canvas (map-painters.e2e.ts)
    expect(await page.getByTestId('map-E').getAttribute('data-renderer')).toBe('canvas2d');
    // the live solver is compiled by default (jit, auto: core's WebAssembly here, the GPUs being software
    // ones), in the chosen dtype (float64 by default)
    expect(await page.getByTestId('status-backend').textContent()).toContain('wasm (core)');
    expect(await page.getByTestId('status-dtype').textContent()).toContain('float64');
    expect(await page.getByTestId('status-solve').textContent()).toMatch(/\d+ ms/);
    await page.waitForFunction(() =>
      /\d+ ms/.test(document.querySelector('[data-testid="status-edit"]')?.textContent ?? ''),
    );
    expect(await page.getByTestId('plot-E').locator('path').count()).toBe(4);
    // the E map shows case k = 1: its sum over (t, x) is that of the reference's first case
    expect(await mapSumError(page, 'seed_E_f32')).toBeLessThan(1e-4);
    await page.getByTestId('map-E-canvas').hover({ position: { x: 200, y: 100 } });
    expect(await page.getByTestId('map-E-readout').textContent()).toMatch(
      /^x = 0\.\d+, t = [\d.]+, E = [\d.]+/,
    );
    await screenshot(page, 'workbench-seed');
    await screenshot(page, 'panel-map-E', '[data-testid="map-E"]');
    await screenshot(page, 'panel-map-T', '[data-testid="map-T"]');
    await screenshot(page, 'panel-line-plots', '.lines');
    await screenshot(page, 'panel-editors', '.sidebar');
  });

  it('the eager float64 solver reproduces the float64 reference', async () => {
    await page.getByTestId('grid-backend').selectOption('eager');
    await page.getByTestId('grid-dtype').selectOption('float64');
    await waitForSolve(page);
    expect(await page.getByTestId('status-backend').textContent()).toContain('eager (reference)');
    expect(await page.getByTestId('status-dtype').textContent()).toContain('float64');
    expect(await mapSumError(page, 'seed_E_f64')).toBeLessThan(1e-10);
    await page.getByTestId('grid-backend').selectOption('auto');
    await waitForSolve(page);
    expect(await page.getByTestId('status-backend').textContent()).toContain('wasm (core)');
    expect(await mapSumError(page, 'seed_E_f64')).toBeLessThan(1e-10);
    await page.getByTestId('grid-backend').selectOption('webasm');
    await waitForSolve(page);
    expect(await page.getByTestId('status-backend').textContent()).toContain('webasm (gpu.js)');
    expect(await page.getByTestId('status-dtype').textContent()).toContain('float32');
    await page.getByTestId('grid-backend').selectOption('auto');
    await waitForSolve(page);
  });

  it('measures edit → picture for B = 4, N = 400 on the compiled solver', async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await setFormula('sigma', `(1 + 0.${i + 1}*sin(2*pi*x)) * (1 + sin(1))`);
      await waitForSolve(page);
      times.push(Number(/([\d.]+) ms/.exec((await page.getByTestId('status-edit').textContent()) ?? '')![1]));
    }
    const median = [...times].sort((a, b) => a - b)[2]!;
    console.log(
      `edit → picture (B=4, N=400, compiled, this machine): ${times.join(', ')} ms; median ${median} ms`,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'edit-to-picture.json'), JSON.stringify({ times, median }));
    // a shared CI machine is no place for a 100 ms assertion (the README gives the measured figure); this bound
    // only catches the live path leaving the compiled solver (the eager one takes well over a second here)
    expect(median).toBeLessThan(1000);
    expect(await page.getByTestId('status-backend').textContent()).toContain('wasm (core)');
    await setFormula('sigma', '(1 + 0.1*sin(2*pi*x + sin(k + 1))) * (1 + sin(k))'); // the seed's own
    await waitForSolve(page);
  });

  it('Help → About shows the versions and the compiled engines available', async () => {
    await page.getByTestId('about-open').click();
    const { version } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
    expect(await page.getByTestId('about-rte-workbench').textContent()).toBe(version);
    expect(await page.getByTestId('about-three-js').textContent()).toMatch(/^r\d+/);
    await expect.poll(() => page.getByTestId('about-jit-webassembly').textContent()).toMatch(/^available/);
    // the web-mode server sends COOP/COEP, so the solver worker splits batches over Web Workers
    expect(await page.getByTestId('about-jit-webassembly').textContent()).toMatch(
      /core, float64 and float32, \d+ threads for batches/,
    );
    expect(await page.getByTestId('about-jit-webassembly-gpu-js').textContent()).toMatch(/^available/);
    expect(await page.getByTestId('about-jit-webgl2').textContent()).toBe('available (software renderer)');
    // the page's CSP forbids eval, which gpu.js's JavaScript target needs: neither listed nor offered as usable
    expect(await page.getByTestId('about-jit-gpu-js-cpu').textContent()).toMatch(
      /^not available \(.*Content-Security-Policy forbids/,
    );
    expect(await page.locator('[data-testid="grid-backend"] option[value="cpu"]').isDisabled()).toBe(true);
    await screenshot(page, 'panel-about', '[data-testid="about"]');
    await page.getByTestId('about-close').click();
    expect(await page.getByTestId('about').count()).toBe(0);
  });

  it('the time scrubber moves the line plots', async () => {
    const before = await page.getByTestId('plot-E').locator('path').first().getAttribute('d');
    await page.getByTestId('time-slider').fill('49');
    await expect.poll(() => page.getByTestId('time-label').textContent()).toContain('record 49 / 49');
    expect(await page.getByTestId('plot-E').locator('path').first().getAttribute('d')).not.toBe(before);
    await page.getByTestId('play').click();
    await expect.poll(() => page.getByTestId('time-label').textContent()).toMatch(/record [0-9] \/ 49/); // wrapped round
    await page.getByTestId('play').click();
    const paused = await page.getByTestId('time-label').textContent();
    await page.waitForTimeout(400);
    expect(await page.getByTestId('time-label').textContent()).toBe(paused);
    await page.getByTestId('time-slider').fill('49');
  });

  it('exports download as valid PNG, SVG, NPY, CSV and JSON', async () => {
    const png = await download(page, () => page.getByTestId('export-map-E-png').click());
    expect(png.name).toBe('E-map.png');
    const size = await decodePng(page, png.bytes);
    expect(size.width).toBeGreaterThan(600);

    const svg = await download(page, () => page.getByTestId('export-map-T-svg').click());
    const mapSvg = await parseSvg(page, svg.bytes.toString('utf8'));
    expect(mapSvg).toMatchObject({ root: 'svg', namespace: 'http://www.w3.org/2000/svg', images: 1 });
    expect(mapSvg.texts).toBeGreaterThan(8);

    const lineSvg = await download(page, () => page.getByTestId('export-plot-E-svg').click());
    const lines = await parseSvg(page, lineSvg.bytes.toString('utf8'));
    expect(lines).toMatchObject({ root: 'svg', images: 0, paths: 4 }); // real vectors, one path per case
    await decodePng(page, (await download(page, () => page.getByTestId('export-plot-T-png').click())).bytes);

    const npy = await download(page, () => page.getByTestId('export-E-npy').click());
    const E = readNpy(npy.bytes);
    expect(E.shape).toEqual([4, 50, 400]);
    const ref = reference('seed_E_f32');
    if (ref) expect(relErr(E.data, ref.data)).toBeLessThan(1e-4);
    expect(
      readNpy((await download(page, () => page.getByTestId('export-T-npy').click())).bytes).shape,
    ).toEqual([4, 50, 400]);

    const csv = parseCsv(
      (await download(page, () => page.getByTestId('export-csv').click())).bytes.toString('utf8'),
    );
    expect(csv.header).toEqual([
      'x',
      'E[seed k=1]',
      'T[seed k=1]',
      'E[seed k=2]',
      'T[seed k=2]',
      'E[seed k=3]',
      'T[seed k=3]',
      'E[seed k=4]',
      'T[seed k=4]',
    ]);
    expect(csv.rows).toHaveLength(400);
    expect(csv.rows.every((r) => r.length === 9 && r.every(Number.isFinite))).toBe(true);
    // the CSV holds the chosen record (49, the last) of case 1
    expect(
      relErr(
        csv.rows.map((r) => r[1]!),
        E.data.subarray(49 * 400, 50 * 400),
      ),
    ).toBeLessThan(1e-12);

    const json = JSON.parse(
      (await download(page, () => page.getByTestId('export-json').click())).bytes.toString('utf8'),
    );
    expect(json.shape).toEqual([4, 50, 400]);
    expect(json.t).toHaveLength(50);

    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'export-E-map.png'), png.bytes);
    writeFileSync(join(ARTIFACTS, 'export-E-profiles.svg'), lineSvg.bytes);
  });

  it('editing sigma by formula updates the maps', async () => {
    const before = await mapSum(page, 'map-E');
    await setFormula('sigma', '20 * (1 + 0.5*sin(2*pi*x))');
    await waitForSolve(page);
    expect(await mapSum(page, 'map-E')).not.toBeCloseTo(before, 6);
    expect(page.getByTestId('formula-error-sigma')).toBeDefined();
    expect(await page.getByTestId('formula-error-sigma').count()).toBe(0);
    await screenshot(page, 'panel-map-E-edited', '[data-testid="map-E"]');
  });

  it('a bad formula shows an inline error and loses nothing', async () => {
    const E = await mapSum(page, 'map-E');
    const T = await mapSum(page, 'map-T');
    for (const [text, message] of [
      ['20 * (1 + 0.5*sin(2*pi*x)', /cannot parse/],
      ['20 * foo(x)', /unknown function "foo"/],
      ['x - 0.5', /sigma must be ≥ 0/],
    ] as const) {
      await setFormula('sigma', text);
      const err = page.getByTestId('formula-error-sigma');
      await expect.poll(() => err.textContent()).toMatch(message);
      expect(await err.textContent()).toContain('still using: 20 * (1 + 0.5*sin(2*pi*x))');
    }
    await screenshot(page, 'panel-formula-error', '[data-testid="profile-sigma"]');
    await page.waitForTimeout(500);
    expect(await mapSum(page, 'map-E')).toBe(E);
    expect(await mapSum(page, 'map-T')).toBe(T);
    expect(await page.getByTestId('case-item').count()).toBe(4);
    // the input keeps what was typed, so nothing the user wrote is lost either
    expect(await page.getByTestId('formula-sigma').inputValue()).toBe('x - 0.5');
    await setFormula('sigma', '20');
    await page.getByTestId('formula-error-sigma').waitFor({ state: 'detached' });
    await waitForSolve(page);
    expect(await mapSum(page, 'map-E')).not.toBe(E);
  });

  it('a case whose solve overflows is named with its step and cell; the picture and the panels stay', async () => {
    const E = await mapSum(page, 'map-E');
    const before = await page.getByTestId('formula-Tini').inputValue();
    // finite and ≥ 0, so the formula is taken; T⁴ overflows float64 in the initial state
    await setFormula('Tini', '1e300');
    await expect
      .poll(() => page.getByTestId('solve-error').textContent(), { timeout: 10_000 })
      .toMatch(
        /^overflow: E became non-finite in the initial state \(step 0, t = 0\), cell 0 \(x = 0\.00125\) and 399 more of case \d; no record is finite\. Inputs there: Tini = 1e\+300/,
      );
    expect(await mapSum(page, 'map-E')).toBe(E);
    expect(await page.getByTestId('case-item').count()).toBe(4);
    expect(await page.getByTestId('panel-error').count()).toBe(0);
    await screenshot(page, 'panel-overflow', '[data-testid="solve-error"]');
    await setFormula('Tini', before);
    await page.getByTestId('solve-error').waitFor({ state: 'detached' });
    expect(await mapSum(page, 'map-E')).toBe(E);
  });

  it('drawing a curve with the mouse changes the profile and the maps', async () => {
    const before = await mapSum(page, 'map-E');
    const pad = page.getByTestId('draw-sigma');
    const box = (await pad.boundingBox())!;
    // the plot area spans x from 40/300 to 292/300 of the pad; draw a bump over x ≈ 0.3…0.7
    const px = (x: number) => box.x + box.width * ((40 + x * 252) / 300);
    const py = (f: number) => box.y + box.height * ((8 + (1 - f) * 104) / 130);
    await page.mouse.move(px(0.3), py(0.7));
    await page.mouse.down();
    for (let k = 1; k <= 20; k++)
      await page.mouse.move(px(0.3 + (0.4 * k) / 20), py(0.7 + 0.25 * Math.sin((Math.PI * k) / 20)));
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('profile-sigma').textContent()).toContain('drawn curve');
    await waitForSolve(page);
    expect(await mapSum(page, 'map-E')).not.toBe(before);
    await screenshot(page, 'panel-drawn-sigma', '[data-testid="profile-sigma"]');
  });

  it('imports a profile from CSV, and explains a bad file without losing the profile', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const good = join(ARTIFACTS, 'sigma-import.csv');
    writeFileSync(
      good,
      `x,sigma\n${Array.from({ length: 50 }, (_, i) => `${(i + 0.5) / 50},${2 + Math.sin((2 * Math.PI * (i + 0.5)) / 50)}`).join('\n')}\n`,
    );
    const before = await mapSum(page, 'map-E');
    await chooseFile(page, 'import-sigma', good);
    await expect
      .poll(() => page.getByTestId('profile-sigma').textContent())
      .toContain('50 samples from sigma-import.csv');
    await waitForSolve(page);
    const imported = await mapSum(page, 'map-E');
    expect(imported).not.toBe(before);

    const bad = join(ARTIFACTS, 'bad-import.csv');
    writeFileSync(bad, 'x,sigma\n0.1,1\n0.2,oops\n0.3,1\n');
    await chooseFile(page, 'import-sigma', bad);
    await expect
      .poll(() => page.getByTestId('formula-error-sigma').textContent())
      .toMatch(
        /bad-import\.csv: line 3: "0\.2,oops" has no number in column 2 — still using: 50 samples from sigma-import\.csv/,
      );
    await page.waitForTimeout(400);
    expect(await mapSum(page, 'map-E')).toBe(imported);
  });

  it('a sweep over k generates cases', async () => {
    await page.getByRole('button', { name: 'Sweep…' }).click();
    const form = page.locator('form.sweep');
    await form.getByLabel('sigma(x, k)').fill('k * (1 + 0.1*sin(2*pi*x))');
    await form.getByLabel('Tini(x, k)').fill('1 + 0.1*k');
    await form.getByLabel('k from').fill('0.5');
    await form.getByLabel('to', { exact: true }).fill('2');
    await form.getByLabel('cases').fill('3');
    await form.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(() => page.getByTestId('case-item').count()).toBe(3);
    expect(
      await page.getByTestId('case-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).toEqual(['k=0.5', 'k=1.25', 'k=2']);
    await waitForSolve(page);
    expect(await page.getByTestId('plot-E').locator('path').count()).toBe(3);
    // the same sweep as a spec file for `rte sweep` (its parser is checked in test/renderer/sweep-spec.test.ts)
    const file = await download(page, () => form.getByTestId('sweep-export').click());
    expect(file.name).toBe('sweep.json');
    const spec = JSON.parse(file.bytes.toString('utf8'));
    expect(spec).toMatchObject({
      sigma: 'k * (1 + 0.1*sin(2*pi*x))',
      Tini: '1 + 0.1*k',
      space: { product: { k: { linspace: [0.5, 2, 3] } } },
    });
    expect(Object.keys(spec.grid)).toEqual(['N', 'Nvx', 'CFL', 't_end', 'every']);
    await screenshot(page, 'panel-sweep', '.cases');
  });

  it('the grid editor explains a bad grid and keeps the last valid one', async () => {
    const before = await mapSum(page, 'map-E');
    await page.getByTestId('grid-Nvx').fill('3');
    await expect
      .poll(() => page.getByTestId('grid-error').textContent())
      .toMatch(/Nvx must be a positive even integer/);
    expect(await mapSum(page, 'map-E')).toBe(before);
    await screenshot(page, 'panel-grid-error', '.grid-editor');
    await page.getByTestId('grid-Nvx').fill('8');
    await page.getByTestId('grid-info').waitFor();
  });

  it('a saved session reopens to the same state', async () => {
    await page.getByTestId('session-new').click();
    await waitForSolve(page);
    await page.getByTestId('grid-N').fill('200');
    await page.getByTestId('case-name').nth(1).fill('renamed case');
    await page.getByTestId('case-edit').nth(1).click();
    await setFormula('Tini', '1.5 + 0.2*cos(2*pi*x)');
    await page.getByTestId('time-slider').fill('7');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="grid-info"]')?.textContent?.includes('250 steps'),
    );
    await waitForSolve(page);
    const E = await mapSum(page, 'map-E');
    const saved = await download(page, () => page.getByTestId('session-save').click());
    const session = JSON.parse(saved.bytes.toString('utf8'));
    expect(session).toMatchObject({ format: 'rte-workbench-session', version: 1, grid: { N: 200 } });

    await page.getByTestId('session-new').click();
    await waitForSolve(page);
    expect(await page.getByTestId('grid-N').inputValue()).toBe('400');

    const file = join(ARTIFACTS, 'session.rte.json');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(file, saved.bytes);
    await chooseFile(page, 'session-open', file);
    await expect.poll(() => page.getByTestId('grid-N').inputValue()).toBe('200');
    await waitForSolve(page);
    expect(await page.getByTestId('case-name').nth(1).inputValue()).toBe('renamed case');
    expect(await page.getByTestId('formula-Tini').inputValue()).toBe('1.5 + 0.2*cos(2*pi*x)');
    expect(await page.getByTestId('time-label').textContent()).toContain('record 7 /');
    expect(await mapSum(page, 'map-E')).toBe(E);
    const again = JSON.parse(
      (await download(page, () => page.getByTestId('session-save').click())).bytes.toString('utf8'),
    );
    expect({ ...again, savedAt: '' }).toEqual({ ...session, savedAt: '' });
  });

  it('a broken session file is refused with a reason', async () => {
    const file = join(ARTIFACTS, 'broken.rte.json');
    writeFileSync(file, JSON.stringify({ format: 'rte-workbench-session', version: 1, grid: { N: 'many' } }));
    await chooseFile(page, 'session-open', file);
    await expect
      .poll(() => page.getByTestId('status-bar').textContent())
      .toMatch(/broken\.rte\.json: not a valid session file: .*grid\.N/);
    expect(await page.getByTestId('grid-N').inputValue()).toBe('200');
  });

  it('after a crash the autosave is offered and restores the session', async () => {
    await page.getByTestId('case-name').first().fill('before the crash');
    await page.waitForTimeout(800); // autosave is debounced
    // A crash never runs the clean-exit handler: emulate that by marking the window open again after it runs.
    await page.evaluate(() =>
      window.addEventListener('pagehide', () => {
        for (const key of Object.keys(localStorage))
          if (key.startsWith('rte-workbench:state:')) localStorage.setItem(key, 'open');
      }),
    );
    await page.reload();
    await page.getByTestId('restore-offer').waitFor();
    await screenshot(page, 'panel-restore-offer', '[data-testid="restore-offer"]');
    expect(await page.getByTestId('case-name').first().inputValue()).toBe('seed k=1');
    await page.getByTestId('restore-accept').click();
    await expect.poll(() => page.getByTestId('case-name').first().inputValue()).toBe('before the crash');
    await waitForSolve(page);
  });

  it('a reload during a long solve offers the autosave, which the fresh page does not overwrite', async () => {
    await page.getByTestId('case-name').first().fill('work before the reload');
    await page.getByTestId('grid-backend').selectOption('eager');
    await page.getByTestId('grid-N').fill('1000'); // several seconds on the eager path, within its budget
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="grid-info"]')?.textContent?.includes('1250 steps'),
    );
    await page.waitForFunction(
      () => document.querySelector('[data-testid="status-state"]')?.textContent === 'solving…',
    );
    await page.waitForTimeout(1500);
    await page.reload();
    await page.getByTestId('restore-offer').waitFor();
    await page.waitForTimeout(1000); // the fresh page's own autosave would have run by now
    await page.getByTestId('restore-accept').click();
    await expect
      .poll(() => page.getByTestId('case-name').first().inputValue())
      .toBe('work before the reload');
    expect(await page.getByTestId('grid-N').inputValue()).toBe('1000');
    // the restored long solve is stopped by hand; the grid goes back to the seed's
    await page.getByTestId('status-stop').click();
    await page.getByTestId('session-new').click();
    await waitForSolve(page);
  });

  it('a solve still running after 1.5 s is cancelled by the next edit', async () => {
    await page.getByTestId('grid-backend').selectOption('eager');
    await waitForSolve(page);
    await page.getByTestId('grid-N').fill('1000'); // 6–7 s on the eager path here
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="grid-info"]')?.textContent?.includes('1250 steps'),
    );
    await page.waitForFunction(
      () => document.querySelector('[data-testid="status-state"]')?.textContent === 'solving…',
    );
    await page.waitForTimeout(1700);
    // note whether the long solve's picture ever appears (it would, before the next one, were it not cancelled)
    await page.evaluate(() => {
      const w = window as unknown as { sawLong: boolean };
      w.sawLong = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="status-bar"]')?.textContent?.includes('N=1000'))
          w.sawLong = true;
      }).observe(document.querySelector('[data-testid="status-bar"]')!, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    const t0 = Date.now();
    await page.getByTestId('grid-N').fill('300');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="status-bar"]')?.textContent?.includes('N=300'),
    );
    const waited = Date.now() - t0;
    console.log(`picture of the next edit ${waited} ms after it, the long solve cancelled`);
    // without the cancel it would wait for the rest of the long solve (another 4–10 s here) and show it first
    expect(await page.evaluate(() => (window as unknown as { sawLong: boolean }).sawLong)).toBe(false);
    await page.getByTestId('grid-backend').selectOption('auto');
    await page.getByTestId('grid-N').fill('400');
    await waitForSolve(page);
  });

  it('two tabs autosave apart; a closed tab’s session is listed for recovery', async () => {
    const other = await s.context.newPage();
    await openWorkbench(other, url);
    await other.getByTestId('case-name').first().fill('from the second tab');
    await page.getByTestId('case-name').first().fill('from the first tab');
    await page.waitForTimeout(800);
    const saved = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('rte-workbench:autosave:'))
        .map((k) => JSON.parse(localStorage.getItem(k)!).cases[0].name)
        .sort(),
    );
    expect(saved).toEqual(expect.arrayContaining(['from the first tab', 'from the second tab']));
    await other.close({ runBeforeUnload: true });
    await page.getByTestId('session-recover').click();
    await expect
      .poll(() => page.getByTestId('recover-item').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('from the second tab')]));
    await screenshot(page, 'panel-recover', '[data-testid="recover"]');
    await page.getByTestId('recover-close').click();
  });

  it('a full local storage stops the autosave with a message, until there is room again', async () => {
    // fill it to the brim: big chunks first, then ever smaller ones
    const fill = () =>
      page.evaluate(() => {
        let i = Object.keys(localStorage).length;
        for (let size = 512 * 1024; size >= 1; size = Math.floor(size / 8))
          for (;;)
            try {
              localStorage.setItem(`junk:${i++}`, 'x'.repeat(size));
            } catch {
              break;
            }
      });
    await fill();
    // the first save makes room by dropping other windows' cleanly closed records; fill that room too
    await page.getByTestId('case-name').first().fill('first edit on a full storage');
    await page.waitForTimeout(800);
    await fill();
    await page
      .getByTestId('case-name')
      .first()
      .fill(`a long name ${'y'.repeat(150)}`);
    await expect
      .poll(() => page.getByTestId('autosave-error').textContent())
      .toMatch(
        /^autosave stopped: this browser's local storage has no room for the session \(\d+ KiB\)\. Save the session/,
      );
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('junk:')) localStorage.removeItem(k);
    });
    await page.getByTestId('case-name').first().fill('room again');
    await expect.poll(() => page.getByTestId('autosave-error').count()).toBe(0);
  });

  it('hostile session files are refused with a reason and the workbench stays usable', async () => {
    const saved = JSON.parse(
      (await download(page, () => page.getByTestId('session-save').click())).bytes.toString('utf8'),
    );
    const openText = async (name: string, text: string) => {
      const file = join(ARTIFACTS, name);
      writeFileSync(file, text);
      await chooseFile(page, 'session-open', file);
    };
    const status = () => page.getByTestId('status-bar').textContent();
    const proto = structuredClone(saved);
    await openText(
      'proto.rte.json',
      JSON.stringify(proto).replace(`"id":"${proto.cases[0].id}"`, '"id":"__proto__"'),
    );
    await expect
      .poll(status)
      .toMatch(/proto\.rte\.json: not a valid session file: cases\.0\.id: this case id is reserved/);
    expect(await page.getByTestId('case-item').count()).toBe(saved.cases.length);
    await openText('version.rte.json', JSON.stringify({ ...saved, version: '1' }));
    await expect.poll(status).toMatch(/"version" must be the number 1, but it is the text "1"/);
    // N = 10^7 from a file: refused before any sampling, so the page answers at once
    await openText('huge.rte.json', JSON.stringify({ ...saved, grid: { ...saved.grid, N: 10_000_000 } }));
    await expect
      .poll(() => page.getByTestId('solve-error').textContent(), { timeout: 5000 })
      .toMatch(/1\.0e7 cells × \d+ case\(s\) = .* samples per field is more than the workbench samples/);
    await page.getByTestId('session-new').click();
    await waitForSolve(page);
  });

  it('N = 10^7 typed in the grid editor is refused at once and the last grid stays', async () => {
    const before = await mapSum(page, 'map-E');
    const t0 = Date.now();
    await page.getByTestId('grid-N').fill('10000000');
    await expect.poll(() => page.getByTestId('grid-error').textContent()).toMatch(/1\.0e7 cells .* lower N/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await mapSum(page, 'map-E')).toBe(before);
    // within the samples, over the eager path's work limit by core's estimate: its sizes and the way out
    await page.getByTestId('grid-backend').selectOption('eager');
    await page.getByTestId('grid-every').fill('1000');
    await page.getByTestId('grid-N').fill('4000');
    await expect
      .poll(() => page.getByTestId('grid-error').textContent())
      .toMatch(/^this run is too long: .*over the work budget of 5\.00e7 \(.*choose a compiled solver/);
    expect(await mapSum(page, 'map-E')).toBe(before);
    await page.getByTestId('grid-backend').selectOption('auto');
    await page.getByTestId('grid-every').fill('10');
    await page.getByTestId('grid-N').fill('400');
    await page.getByTestId('grid-info').waitFor();
  });

  it('a case name is cut at 200 characters as typed, so the saved session opens again', async () => {
    await page.getByTestId('case-name').first().fill('n'.repeat(300));
    expect(await page.getByTestId('case-name').first().inputValue()).toHaveLength(200);
    const saved = await download(page, () => page.getByTestId('session-save').click());
    const file = join(ARTIFACTS, 'long-name.rte.json');
    writeFileSync(file, saved.bytes);
    await page.getByTestId('session-new').click();
    await chooseFile(page, 'session-open', file);
    await expect
      .poll(() => page.getByTestId('status-bar').textContent())
      .toMatch(/opened long-name\.rte\.json/);
    expect(await page.getByTestId('case-name').first().inputValue()).toBe('n'.repeat(200));
    await waitForSolve(page);
  });

  it('ran without CSP violations or page errors', () => {
    expect(s.errors).toEqual([]);
  });
});
