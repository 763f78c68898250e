/** Shared checks for jit tests: compiled results against the eager float64 path, with the backend asserted. */
import { expect } from 'vitest';
import '../../core/index';
import { type JitOptions, jit } from '../../core/jit/index';
import { installNodeWebGpu } from '../../core/jit/node-webgpu';
import type { ConcreteTensor, Tensor } from '../../core/tensor/tensor';
import { flatten } from '../../core/util/pytree';
import { relErr } from '../helpers/reference';

/**
 * WebGPU joins the matrix where Dawn's Node binding gives an adapter (here: Mesa llvmpipe through OpenGL ES;
 * needs apt libegl1 libgles2 libgl1-mesa-dri). RTE_REQUIRE_WEBGPU=1 makes its absence an error.
 */
export const webgpu = await installNodeWebGpu();
if (!webgpu.installed) {
  if (process.env.RTE_REQUIRE_WEBGPU === '1')
    throw new Error(`WebGPU is required but unavailable: ${webgpu.reason}`);
  console.log(`jit tests: webgpu not tested here (${webgpu.reason})`);
}
export type DeviceBackend = 'webgpu' | 'webasm' | 'cpu';
export const BACKENDS: readonly DeviceBackend[] = webgpu.installed
  ? ['webgpu', 'webasm', 'cpu']
  : ['webasm', 'cpu'];

const EXECUTOR: Record<DeviceBackend, string> = {
  webgpu: 'fused-encoder',
  webasm: 'fused-sync',
  cpu: 'generic',
};

/** The executor gpu.js must report for each backend (no silent degradation). */
export function expectRanOn(
  g: { lastRun: import('../../core/jit/index').JitRunInfo | null },
  b: DeviceBackend,
) {
  const run = g.lastRun!;
  expect(run, 'jit recorded no run').not.toBeNull();
  expect(run.backend).toBe(b);
  expect(run.fallbacks).toEqual([]);
  expect(run.executors.length).toBeGreaterThan(0);
  for (const e of run.executors) {
    expect(e.backend).toBe(b);
    expect(e.executorKind).toBe(EXECUTOR[b]);
  }
}

/**
 * Run `f` eagerly (the float64 reference) and compiled on `backend` (strict: no fallback), and compare every
 * output leaf: max|a−b| / max|b| ≤ tol. Returns the jitted function for further checks.
 */
export async function checkJit(
  f: (...args: any[]) => any,
  args: unknown[],
  backend: DeviceBackend,
  tol = 2e-6,
  opts: JitOptions = {},
) {
  const want = flatten(f(...args))[0] as ConcreteTensor[];
  const g = jit(f, { backend, strict: true, threads: false, ...opts });
  const got = flatten(await g(...args))[0] as ConcreteTensor[];
  expectRanOn(g, backend);
  expect(got.length).toBe(want.length);
  got.forEach((t, i) => {
    const w = want[i]!;
    expect(t.shape).toEqual(w.shape);
    if (w.dtype === 'int32' || w.dtype === 'bool') {
      expect(t.dtype).toBe(w.dtype);
      expect(Array.from(t.data)).toEqual(Array.from(w.data));
    } else {
      expect(t.dtype).toBe('float32');
      const err = relErr(t as Tensor, w as Tensor);
      expect(err, `output ${i}: relative error ${err}`).toBeLessThanOrEqual(tol);
    }
  });
  return g;
}
