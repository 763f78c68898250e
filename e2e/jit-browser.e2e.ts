/**
 * jit in Chromium: every reference case (test/jit/reference-cases.ts) compiled on WebGL2 and on WebGPU (both on
 * SwiftShader here), compared in Node with the PyTorch files at the float32 tolerance. Each case must have run
 * on the backend asked for (strict: no fallback), with the executor gpu.js uses there.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcreteTensor } from '../core/index';
import { type Served, serveStatic } from '../scripts/lib/static-server';
import { loadReference, relErr } from '../test/helpers/reference';
import { referenceCases, tolerance } from '../test/jit/reference-cases';
import type { CaseRun, WireArray } from './jit-page/wire';
import { openBrowser, type Session } from './support/browser';

const root = fileURLToPath(new URL('./jit-page', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/e2e-jit', import.meta.url));
const EXECUTOR = { webgl2: 'generic', webgpu: 'fused-encoder' } as const;
const BACKENDS = ['webgl2', 'webgpu'] as const;

let served: Served;
let session: Session;

beforeAll(async () => {
  await build({ root, base: './', logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' } });
  served = await serveStatic(outDir);
  session = await openBrowser({ webgpu: true });
  await session.page.goto(served.url);
  await session.page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await session?.close();
  await served?.close();
});

const wire = (file: string): WireArray => {
  const t = loadReference(file);
  return { shape: [...t.shape], data: Array.from(t.data as Float64Array) };
};

describe('core wasm threads in Chromium', () => {
  it('split a batch between the page and a Web Worker over shared memory (the page is cross-origin isolated)', async () => {
    const r = await session.page.evaluate(() => (globalThis as any).rteJit.threadsRun());
    expect(r).toEqual({ unavailable: null, started: 1, threads: 2, same: true });
  });
});

describe.each(BACKENDS)('every reference case compiled in Chromium on %s', (backend) => {
  it('the backend is available (gpu.js sees it)', async () => {
    const modes = await session.page.evaluate(() => (globalThis as any).rteJit.modes());
    expect(modes[backend], `Chromium offers no ${backend} here`).toBe(true);
  });

  for (const c of referenceCases())
    it(c.name, { timeout: 600_000 }, async () => {
      const files: Record<string, WireArray> = {};
      for (const input of c.inputs) if ('file' in input) files[input.file] = wire(input.file);
      const run: CaseRun = await session.page.evaluate(
        ([name, b, f]) => (globalThis as any).rteJit.runCase(name, b, f),
        [c.name, backend, files] as const,
      );
      expect(run.ran).toBe(backend);
      expect(run.fallbacks).toEqual([]);
      expect(run.executors.length).toBeGreaterThan(0);
      for (const e of run.executors) expect(e).toBe(`${backend}/${EXECUTOR[backend]}`);
      expect(run.outputs).toHaveLength(c.outputs.length);
      run.outputs.forEach((o, i) => {
        expect(o.dtype).toBe('float32');
        const got = new ConcreteTensor(Float64Array.from(o.data), o.shape, 'float64');
        const err = relErr(got, loadReference(c.outputs[i]!));
        expect(err, `${c.outputs[i]} on ${backend} (${run.seconds.toFixed(1)} s)`).toBeLessThan(tolerance(c));
      });
      console.log(`${backend}: ${c.name}: ${run.seconds.toFixed(2)} s`);
    });
});
