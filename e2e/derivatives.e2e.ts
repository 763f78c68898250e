/** Derivative panels end to end: Jacobian sparsity, the gradient against the CLI, the jvp field, the hessian. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { referenceDir, relErr } from '../test/helpers/reference';
import { download, mapSum, openBrowser, openWorkbench, type Session, screenshot } from './support/browser';
import { decodePng, readNpy } from './support/files';

const url = inject('baseUrl');
let s: Session;
let page: Page;

beforeAll(async () => {
  s = await openBrowser();
  page = s.page;
  await openWorkbench(page, url);
});

afterAll(async () => {
  await s?.close();
});

describe('Jacobian sparsity panel', () => {
  it('is banded for an early record and full for the final one', async () => {
    await page.getByTestId('tab-sparsity').click();
    expect(await page.getByTestId('deriv-N').inputValue()).toBe('64');
    await page.getByTestId('sparsity-run').click();
    await page.getByTestId('spy').waitFor({ timeout: 120_000 });
    const slider = page.getByTestId('jac-record');
    const R = Number(await slider.getAttribute('max')) + 1;
    expect(R).toBe(8); // N = 64, CFL 0.8, t_end 1, every 10: 80 steps, 8 records

    await slider.fill('1');
    await expect.poll(() => page.getByTestId('jac-record-label').textContent()).toBe('1 / 7');
    const bandwidth = Number(await page.getByTestId('stat-bandwidth').textContent());
    const nnz = Number((await page.getByTestId('stat-nnz').textContent())!.split(' ')[0]);
    // record 1 follows 11 steps; the first cannot feel sigma, each later one reaches one cell further
    expect(bandwidth).toBe(9);
    expect(nnz).toBe(64 * (2 * 9 + 1));
    expect(Number((await page.getByTestId('stat-colours').textContent())!.split(' ')[0])).toBeLessThan(64);
    expect(await page.getByTestId('stat-source').textContent()).toBe('core sparsity detection');
    await page.getByTestId('spy').hover({ position: { x: 192, y: 192 } });
    expect(await page.getByTestId('spy-readout').textContent()).toMatch(
      /∂E\(x_32 = 0\.5\d*\)\/∂σ\(x_32 = 0\.5\d*\) = /,
    );
    await screenshot(page, 'panel-sparsity-record1', '[data-testid="sparsity-panel"]');

    await page.getByTestId('compressed-run').click();
    await expect
      .poll(() => page.getByTestId('compressed-result').textContent(), { timeout: 120_000 })
      .toMatch(/record 1: dense \d+ ms \(64 jvps\), compressed \d+ ms \(\d+ jvps\), max \|difference\| /);

    await slider.fill(String(R - 1));
    await expect.poll(() => page.getByTestId('stat-nnz').textContent()).toMatch(/^4096 of 4096/);
    expect(Number(await page.getByTestId('stat-bandwidth').textContent())).toBe(32);
    await screenshot(page, 'panel-sparsity-final', '[data-testid="sparsity-panel"]');

    const J = readNpy((await download(page, () => page.getByTestId('export-jac-npy').click())).bytes);
    expect(J.shape).toEqual([8, 64, 64]);
    await decodePng(page, (await download(page, () => page.getByTestId('export-spy-png').click())).bytes);
  });
});

describe('Sensitivity panel', () => {
  it('shows a gradient that matches the CLI’s grad for the same inputs', async () => {
    await page.getByTestId('tab-sensitivity').click();
    await page.getByTestId('grad-run').click();
    await page.getByTestId('plot-grad').waitFor({ timeout: 120_000 });
    const g = JSON.parse(
      (await download(page, () => page.getByTestId('export-grad-json').click())).bytes.toString('utf8'),
    );
    expect(g.grid).toEqual({ N: 64, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 });
    expect(g.dSigma).toHaveLength(64);
    await screenshot(page, 'panel-sensitivity-gradient', '[data-testid="sensitivity-panel"]');

    // The same case (seed k = 1) on the same grid through the headless CLI.
    const out = mkdtempSync(join(tmpdir(), 'rte-cli-'));
    try {
      const grid = [
        '--preset',
        'seed',
        '--N',
        '64',
        '--nvx',
        '8',
        '--cfl',
        '0.8',
        '--t-end',
        '1',
        '--every',
        '10',
      ];
      for (const [wrt, key] of [
        ['sigma', 'dSigma'],
        ['Tini', 'dTini'],
      ] as const) {
        execFileSync(
          'npm',
          [
            'run',
            '--silent',
            'rte',
            '--',
            'grad',
            ...grid,
            '--objective',
            'sum-final-E',
            '--wrt',
            wrt,
            '--out',
            out,
          ],
          {
            stdio: 'pipe',
          },
        );
        const cli = readNpy(readFileSync(join(out, 'grad.npy')));
        expect(cli.shape).toEqual([4, 64]);
        expect(relErr(g[key], cli.data.subarray(0, 64))).toBeLessThan(1e-10);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('draws the jvp field of the seed’s θ₀ direction, matching the reference at N = 400', async () => {
    await page.getByTestId('deriv-N').fill('400');
    // the default direction is ∂σ/∂θ₀ of σ(θ) = θ₀(1 + 0.1 sin(2πx + θ₁)) at θ₁ = sin 2, as in the reference
    await page.getByTestId('jvp-run').click();
    await page.getByTestId('map-jvp').waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="map-jvp"]')?.getAttribute('data-sum') !== null,
    );
    const file = join(referenceDir(), 'jvp_E_dtheta0_f64.npy');
    if (existsSync(file)) {
      const ref = readNpy(readFileSync(file));
      const want = ref.data.reduce((a, v) => a + v, 0);
      expect(Math.abs((await mapSum(page, 'map-jvp')) - want) / Math.abs(want)).toBeLessThan(1e-9);
    }
    expect(await page.getByTestId('map-jvp').getAttribute('data-renderer')).toBe('webgl');
    await screenshot(page, 'panel-sensitivity-jvp', '[data-testid="map-jvp"]');
  });

  it('computes the θ-hessian as a symmetric 2×2 matrix', async () => {
    await page.getByTestId('deriv-N').fill('32');
    await page.getByTestId('hessian-run').click();
    const table = page.getByTestId('hessian-table');
    await table.waitFor({ timeout: 120_000 });
    const cells = (await table.locator('td').allTextContents()).map(Number);
    expect(cells).toHaveLength(4);
    expect(cells.every(Number.isFinite)).toBe(true);
    expect(cells[1]).toBe(cells[2]);
    await screenshot(page, 'panel-sensitivity-hessian', '[data-testid="hessian-table"]');
  });

  it('a long job can be cancelled', async () => {
    await page.getByTestId('tab-sparsity').click();
    await page.getByTestId('deriv-N').fill('400');
    await page.getByTestId('sparsity-run').click();
    await page.getByTestId('sparsity-job-cancel').click();
    await expect.poll(() => page.getByTestId('sparsity-job').textContent()).toContain('cancelled');
    // the worker was replaced: a new job runs
    await page.getByTestId('deriv-N').fill('16');
    await page.getByTestId('sparsity-run').click();
    await expect
      .poll(() => page.getByTestId('stat-nnz').textContent(), { timeout: 60_000 })
      .toMatch(/of 256/);
  });
});
