/**
 * The GPU rows of the compile issue: the seed problem (N = 400, Nvx = 8, 500 steps, 50 records) compiled with
 * jit on WebGPU at several batch sizes, every record read back, beside PyTorch on the same machine.
 *
 *   npm run bench:gpu -- [--B 4,1024,16384] [--reps 3] [--dawn vulkan] [--torch-device cuda] [--no-torch]
 *                        [--wasm] [--auto]
 *
 * In Node, WebGPU comes from Dawn (`--dawn`: vulkan on an NVIDIA server, opengles on Mesa). Prints one JSON line
 * per batch size: what ran (backend/executor, chunks), the first call (compilation included), the steady
 * state, PyTorch's time and the ratio; for B ≥ 4 the first four cases are checked against seed_E_f32.
 * `--wasm` times core's WebAssembly target on every core of the same machine beside it (the CPU side of the
 * crossover); `--auto` runs 'auto' there and says which engine it chose after measuring both.
 */

import type { Tensor } from '../core/index';
import { vmap } from '../core/index';
import { jit } from '../core/jit/index';
import { installNodeThreads } from '../core/jit/node-threads';
import { installNodeWebGpu } from '../core/jit/node-webgpu';
import { SEED_SPEC, seedCases, solve } from '../core/rte/index';
import { loadReference, relErr } from '../scripts/reference-data';
import { positiveInt, positiveInts, scriptArgs } from './args';
import { executorLabel } from './jit';
import { ratio } from './stats';
import { timeReps } from './timing';
import { runTorch } from './torch';

// strict: a mistyped flag is an error, not a silently ignored word
const USAGE =
  'usage: npm run bench:gpu -- [--B 4,1024,16384] [--reps 3] [--dawn vulkan|opengles] [--torch-device cuda|cpu] [--no-torch] [--wasm] [--auto]';
const args = scriptArgs(
  {
    B: { type: 'string', default: '4,1024,16384' },
    reps: { type: 'string', default: '3' },
    dawn: { type: 'string', default: 'vulkan' },
    'torch-device': { type: 'string', default: 'cuda' },
    'no-torch': { type: 'boolean', default: false },
    wasm: { type: 'boolean', default: false },
    auto: { type: 'boolean', default: false },
  },
  USAGE,
);
const sizes = positiveInts('B', args.B, USAGE);
const reps = positiveInt('reps', args.reps, USAGE);
const torchDevice = args['torch-device'];

const status = await installNodeWebGpu({ backend: args.dawn });
if (!status.installed) {
  console.error(`bench:gpu: no WebGPU here: ${status.reason}`);
  process.exit(2);
}
console.error(`bench:gpu: WebGPU adapter: ${status.adapter}`);
const threads = args.wasm || args.auto ? installNodeThreads() + 1 : 1;

const solveAll = vmap((t: Tensor, s: Tensor) => {
  const r = solve(SEED_SPEC, t, s);
  return [r.E, r.T];
});

for (const B of sizes) {
  const { Tini, sigma } = seedCases(
    SEED_SPEC.N,
    Array.from({ length: B }, (_, i) => i + 1),
    'float32',
  );
  const g = jit(solveAll, { backend: 'webgpu', strict: true });
  const t0 = performance.now();
  let [E] = (await g(Tini, sigma)) as Tensor[];
  const firstCallS = (performance.now() - t0) / 1000;
  const steady = await timeReps(
    async () => {
      [E] = (await g(Tini, sigma)) as Tensor[];
    },
    { reps, warmup: null }, // the first call above was the warm-up
  );
  const runS = steady.median_s;
  let errSeed: number | null = null;
  if (B >= 4)
    try {
      errSeed = relErr(E!.get('0:4'), loadReference('seed_E_f32'));
    } catch {
      errSeed = null; // no reference data on this machine
    }
  // one warm-up (the compiling call; for 'auto' also the measurement of both engines), then the median of reps
  const timed = async (f: (a: Tensor, b: Tensor) => Promise<unknown>) =>
    (await timeReps(() => f(Tini, sigma), { reps })).median_s;
  const wasmS = args.wasm
    ? await timed(jit(solveAll, { backend: 'wasm', threads: true, strict: true }))
    : null;
  let autoRan: string | null = null;
  let autoS: number | null = null;
  if (args.auto) {
    const a = jit(solveAll, { backend: 'auto' });
    autoS = await timed(a);
    autoRan = executorLabel(a.lastRun);
  }
  let torchS: number | null = null;
  if (!args['no-torch'])
    torchS = (await runTorch({ what: 'solve', B, dtype: 'float32', reps, device: torchDevice })).median_s;
  console.log(
    JSON.stringify({
      B,
      ran: executorLabel(g.lastRun),
      chunks: g.lastRun!.chunks,
      first_call_s: firstCallS,
      run_s: runS,
      times_s: steady.times_s,
      torch_s: torchS,
      torch_device: torchS === null ? null : torchDevice,
      ratio: ratio(torchS, runS),
      err_vs_seed_E_f32: errSeed,
      ...(args.wasm ? { wasm_s: wasmS, wasm_threads: threads, gpu_vs_wasm: ratio(wasmS, runS) } : {}),
      ...(args.auto ? { auto_ran: autoRan, auto_s: autoS } : {}),
      shape: E!.shape,
    }),
  );
}
process.exit(0);
