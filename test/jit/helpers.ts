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
export type DeviceBackend = 'wasm' | 'webgpu' | 'webasm' | 'cpu';
/** core's WebAssembly target, then gpu.js's backends. */
export const BACKENDS: readonly DeviceBackend[] = webgpu.installed
  ? ['wasm', 'webgpu', 'webasm', 'cpu']
  : ['wasm', 'webasm', 'cpu'];
/** gpu.js's backends only (what reports executors, and computes in float32). */
export const GPUJS_BACKENDS = BACKENDS.filter((b) => b !== 'wasm') as readonly Exclude<
  DeviceBackend,
  'wasm'
>[];

const EXECUTOR: Record<Exclude<DeviceBackend, 'wasm'>, string> = {
  webgpu: 'fused-encoder',
  webasm: 'fused-sync',
  cpu: 'generic',
};
/** Float64 programs compiled for wasm stay float64: they must agree with the eager path to rounding. */
export const WASM_F64_TOL = 1e-12;

/** The executor gpu.js must report for each backend (no silent degradation). */
export function expectRanOn(
  g: { lastRun: import('../../core/jit/index').JitRunInfo | null },
  b: DeviceBackend,
) {
  const run = g.lastRun!;
  expect(run, 'jit recorded no run').not.toBeNull();
  expect(run.backend).toBe(b);
  expect(run.fallbacks).toEqual([]);
  if (b === 'wasm') return;
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
      // gpu.js computes in float32; wasm in the program's dtype
      const exact = backend === 'wasm' && w.dtype === 'float64';
      expect(t.dtype).toBe(backend === 'wasm' ? w.dtype : 'float32');
      const err = relErr(t as Tensor, w as Tensor);
      expect(err, `output ${i}: relative error ${err}`).toBeLessThanOrEqual(exact ? WASM_F64_TOL : tol);
    }
  });
  return g;
}
