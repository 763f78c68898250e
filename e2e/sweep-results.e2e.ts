/**
 * Sweep… → Open results…: a store written by `rte sweep run` is picked as a folder, its cases listed with their
 * parameters, and a picked case plotted with the values the store holds; a partial store shows its finished
 * shards only; a folder that is not a store is refused with a sentence.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { scratch } from '../test/cli/run-cli';
import { browsableSpec, rte, writeSpec } from '../test/cli/sweep/helpers';
import { mapSum, openBrowser, openWorkbench, type Session, screenshot } from './support/browser';
import { chooseFile } from './support/files';

const url = inject('baseUrl');
const tmp = scratch();
const store = tmp.file('results.zarr');
let s: Session;
let page: Page;

/** Wait until the element's text matches (the store is read asynchronously). */
const shows = (testId: string, text: RegExp) => page.getByTestId(testId).filter({ hasText: text }).waitFor();

/** Case c's E from the store's chunk bytes (float64, shard size 4, R × N values per case). */
function storedE(c: number, R: number, N: number): Float64Array {
  const bytes = readFileSync(join(store, 'E', `${Math.floor(c / 4)}.0.0`));
  const all = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  return all.slice((c % 4) * R * N, ((c % 4) + 1) * R * N);
}

beforeAll(async () => {
  const spec = writeSpec(tmp.file('spec.json'), browsableSpec());
  const r = await rte(['sweep', 'run', spec, '--out', store, '--workers', '1']);
  expect(r.code, r.stderr).toBe(0);
  s = await openBrowser();
  page = s.page;
  await openWorkbench(page, url);
  await page.getByRole('button', { name: 'Sweep…' }).click();
});

afterAll(async () => {
  await s?.close();
  tmp.cleanup();
});

describe('Sweep… → Open results…', () => {
  it('lists the cases of a store and plots the picked one with the stored values', async () => {
    await chooseFile(page, 'sweep-open-results', store);
    await shows('sweep-store-summary', /^6 of 6 cases finished \(2 of 2 shards\)\.$/);
    await expect(page.getByTestId('sweep-case-4').textContent()).resolves.toBe('40.22');
    await page.getByTestId('sweep-case-4').click();
    await page.locator('[data-testid="sweep-case-view"][data-case="4"]').waitFor();
    const R = Number(JSON.parse(readFileSync(join(store, 't', '.zarray'), 'utf8')).shape[0]);
    const want = storedE(4, R, 16).reduce((a, v) => a + v, 0);
    expect(Math.abs((await mapSum(page, 'sweep-map-E')) - want)).toBeLessThan(1e-9 * want);
    // a different case draws a different map
    expect(Math.abs(want - storedE(0, R, 16).reduce((a, v) => a + v, 0))).toBeGreaterThan(1e-3);
    await expect(page.getByTestId('sweep-plot-grad_sigma').locator('path').count()).resolves.toBeGreaterThan(
      0,
    );
    await expect(page.getByTestId('sweep-plot-jac_E_r1_sigma_vals').count()).resolves.toBe(1);
    await screenshot(page, 'sweep-results', '[data-testid="sweep-results"]');
    await page.getByTestId('sweep-results-close').click();
  });

  it('shows a partial store’s finished shards, and refuses a folder that is not a store', async () => {
    const partial = tmp.file('partial.zarr');
    cpSync(store, partial, { recursive: true });
    rmSync(join(partial, '.sweep', 'done', '1.json'));
    await chooseFile(page, 'sweep-open-results', partial);
    await shows(
      'sweep-store-summary',
      /^4 of 6 cases finished \(1 of 2 shards; 1 missing: not run yet or still running\)\.$/,
    );
    await expect(page.getByTestId('sweep-case-4').count()).resolves.toBe(0);
    await page.getByTestId('sweep-results-close').click();
    const plain = tmp.file('plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'notes.txt'), 'not a store');
    await chooseFile(page, 'sweep-open-results', plain);
    await shows('sweep-store-error', /^this folder is not a Zarr store/);
  });
});
