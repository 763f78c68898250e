/**
 * --backend: which engine runs the computation.
 *
 * - `eager`: core's uncompiled reference path, in the --dtype asked for (float64 by default, or float32).
 * - `wasm`: the whole computation compiled with `jit` to core's WebAssembly SIMD target, in --dtype (float64
 *   or float32): the fast CPU path.
 * - `webgpu`, `webasm`, `cpu`: compiled with `jit` to gpu.js kernels on that backend (`cpu` is gpu.js's plain
 *   JavaScript target, not the eager reference). gpu.js has no float64,
 *   so these compute in float32 and need `--dtype float32`; asking for float64 with them is a usage error
 *   (exit 2) rather than a silent change of precision. If the forced backend cannot compile or run the
 *   program, jit falls back along its chain with a note on stderr; the JSON line names what actually ran.
 * - `webgl2`: exists only in a browser; in Node it is a usage error (exit 2).
 * - `auto` (default): with --dtype float64, wasm (eager with a note if it cannot run the program); with
 *   float32, jit's own choice (a hardware WebGPU adapter, else wasm, else gpu.js's webasm, cpu, eager).
 */
import {
  type BackendPlan,
  computeDtype,
  planBackend as corePlan,
  JIT_BACKENDS,
  type JitBackend,
  JitBackendError,
  type JitRunInfo,
  jit,
  type RanBackend,
} from '../core/jit/index';
import { UsageError } from './errors';
import type { FloatDType } from './inputs';

export const BACKEND_CHOICES = JIT_BACKENDS;
export type BackendChoice = JitBackend;

export const BACKEND_HELP = 'which engine computes (see "backends" below)';

/** The --help section every command prints after its flags. */
export const BACKEND_NOTES: readonly string[] = [
  'backends (--backend; the JSON line names the one that actually ran, and the dtype):',
  "  eager   core's uncompiled reference path, in --dtype (float64 by default, or float32).",
  '  wasm    the whole computation compiled with jit to WebAssembly SIMD, in --dtype (float64 or float32).',
  '  webgpu, webasm, cpu',
  "          compiled with jit to gpu.js kernels (cpu: gpu.js's plain-JavaScript target, not the eager",
  '          reference). gpu.js has no float64, so these compute in float32 and',
  '          need --dtype float32: with float64 they are refused (exit 2) rather than silently run at lower',
  '          precision. If the backend cannot compile or run the program, jit falls back with a note on stderr.',
  '  webgl2  browser only: refused in Node (exit 2).',
  '  auto    (default) float64: wasm (eager with a note on stderr if it cannot run the program); float32: a',
  '          hardware WebGPU adapter, else wasm, else gpu.js webasm, cpu, eager.',
];

/** How a command runs: core's backend policy (one meaning of `auto` for the CLI and the workbench). */
export type Plan = BackendPlan;

/**
 * Check --backend against --dtype (cheap: before any file is read), then plan it by core's policy. Throws
 * UsageError (exit 2) where the CLI refuses what the policy would run: WebGL2 (browser only) and gpu.js's
 * float32-only targets asked for float64, refused rather than silently run at lower precision.
 */
export function planBackend(choice: BackendChoice, dtype: FloatDType): Plan {
  if (choice === 'webgl2')
    throw new UsageError(
      `--backend webgl2 is not available here: WebGL2 exists only in a browser, not in Node (use ${BACKEND_CHOICES.filter((b) => b !== 'webgl2').join(', ')})`,
    );
  if (computeDtype(choice, dtype) !== dtype)
    throw new UsageError(
      `--backend ${choice} computes in float32 (gpu.js has no float64): add --dtype float32, or use --backend wasm or eager for float64`,
    );
  return corePlan(choice, dtype);
}

/** A note on stderr (the one JSON line stays alone on stdout). */
export const note = (message: string): void => {
  process.stderr.write(`rte: note: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
};

/**
 * Run `f` on `args` through jit on the planned compiled backend: WebGPU is installed first where it is asked
 * for (Node needs Dawn's binding), fallbacks are noted on stderr, and the result comes with what actually ran.
 */
export async function runCompiled<A extends unknown[], R>(
  plan: Extract<Plan, { kind: 'compiled' }>,
  f: (...args: A) => R,
  args: A,
): Promise<{ result: R; ran: RanBackend; run: JitRunInfo | null }> {
  const { backend } = plan;
  if (backend === 'webgpu' || backend === 'auto') {
    const { installNodeWebGpu } = await import('../core/jit/node-webgpu');
    const status = await installNodeWebGpu();
    if (!status.installed && backend === 'webgpu') note(`WebGPU is unavailable: ${status.reason}`);
  }
  const g = jit(f, { backend, strict: plan.orEager, onFallback: (m) => note(`jit: ${m}`) });
  try {
    const result = (await g(...args)) as R;
    const run = g.lastRun!;
    if (run.backend === 'eager' && backend === 'auto')
      note(
        'no compiled backend could run this program; the result comes from the eager (CPU reference) path',
      );
    return { result, ran: run.backend, run };
  } catch (e) {
    if (!(plan.orEager && e instanceof JitBackendError)) throw e;
    note(`${e.message}; the result comes from the eager path`);
    return { result: f(...args), ran: 'eager', run: null };
  }
}
