/**
 * The maps' two painters: three.js (WebGL) and the 2-D canvas draw the same picture; `auto` picks the 2-D canvas
 * where WebGL is software-emulated (as in headless Chromium: SwiftShader) and says so in the status bar.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, openWorkbench, type Session } from './support/browser';

const url = inject('baseUrl');
let s: Session;
let page: Page;

beforeAll(async () => {
  s = await openBrowser();
  page = s.page;
});

afterAll(async () => {
  await s?.close();
});

/** RGBA at the centre of a spread of (record, cell) blocks of the E map, read back from whichever canvas. */
function blockColours(p: Page): Promise<number[]> {
  return p.evaluate(() => {
    const src = document.querySelector<HTMLCanvasElement>('[data-testid="map-E-canvas"]')!;
    const copy = document.createElement('canvas');
    copy.width = src.width;
    copy.height = src.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    const out: number[] = [];
    // 50 records × 400 cells on the seed grid; record 0 carries the time cursor, so start above it
    for (let r = 5; r < 50; r += 10)
      for (let i = 20; i < 400; i += 40) {
        const x = Math.floor(((i + 0.5) / 400) * copy.width);
        const y = copy.height - 1 - Math.floor(((r + 0.5) / 50) * copy.height);
        out.push(...ctx.getImageData(x, y, 1, 1).data);
      }
    return out;
  });
}

async function open(query: string): Promise<{ painter: string | null; status: string; colours: number[] }> {
  await openWorkbench(page, `${url}${query}`);
  return {
    painter: await page.getByTestId('map-E').getAttribute('data-renderer'),
    status: (await page.getByTestId('status-bar').textContent()) ?? '',
    colours: await blockColours(page),
  };
}

describe('map painters', () => {
  it('three.js and the 2-D canvas paint the same colours; auto takes the 2-D canvas on software WebGL', async () => {
    const webgl = await open('?maps=webgl');
    const canvas = await open('?maps=canvas2d');
    const auto = await open('');
    expect(webgl.painter).toBe('webgl');
    expect(canvas.painter).toBe('canvas2d');
    // these tests run Chromium with --disable-gpu: WebGL is SwiftShader, so auto paints with the 2-D canvas
    expect(auto.painter).toBe('canvas2d');
    expect(auto.status).toContain('maps: canvas2d (WebGL here is software: SwiftShader)');
    expect(webgl.status).toMatch(/maps: webgl(?! \()/);
    expect(webgl.colours).toHaveLength(5 * 10 * 4);
    // the picture is not flat (a blank canvas would match a blank canvas)
    expect(new Set(webgl.colours).size).toBeGreaterThan(20);
    const worst = Math.max(...webgl.colours.map((v, k) => Math.abs(v - canvas.colours[k]!)));
    expect(worst).toBeLessThanOrEqual(2);
    expect(auto.colours).toEqual(canvas.colours);
  });

  it('an unknown ?maps= is named in the status bar and auto is used', async () => {
    const r = await open('?maps=vulkan');
    expect(r.painter).toBe('canvas2d');
    expect(r.status).toContain('maps=vulkan is not one of auto, webgl, canvas2d: auto is used');
  });
});
