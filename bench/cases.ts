/**
 * The benchmark rows. A row is one entry of the list `benchCases()` returns: how to run our side once, and
 * which peer measurement it is compared with. Later rows (compiled backends, sparse Jacobians) are one more
 * entry.
 */
import { currentBackend, grad, hessian, jacfwd, jacrev, sum, type Tensor, tensor, vmap } from '../core/index';
import type { JitOptions } from '../core/jit/index';
import { type RteSpec, SEED_SPEC, seedCases, sigmaOfTheta, solve, solveBatch } from '../core/rte/index';
import { compiledRunner } from './jit';
import type { LimitSpec } from './limit';
import type { TorchDType, TorchWhat } from './torch';

export interface BenchCase {
  name: string;
  /** One run of ours (eager core has computed its tensors on return; async backends return a promise). */
  ours: () => unknown;
  /** A cheaper run of the same code path for the JIT warm-up; the row itself when absent. */
  warmup?: () => unknown;
  /** The peer measurement to compare with (null: none), run in our dtype and, unless skipped, float32. */
  torch: { what: TorchWhat; B: number } | null;
  /**
   * The hand-written limit to compare with, in the row's dtype (../shared/bench/limit): the C solve of B cases
   * (and, for solve rows, its WebAssembly SIMD128 build, float32) or the C hand adjoint of Σ E_final; absent: none.
   */
  limit?: LimitSpec;
  /** Timed runs after the warm-up (the slow rows take one). */
  reps: number;
  /** The peer's timed runs, where fewer than ours (PyTorch takes 17–80 s for one 400×400 Jacobian). */
  peerReps?: number;
  /** Skipped by --quick. */
  slow: boolean;
  dtype: TorchDType;
  /** What ran, read after the timed runs (compiled rows: the executor gpu.js reported, e.g. webasm/fused-sync). */
  backend: () => string;
  /** Compiled rows: the first call's time (staging and compilation included), read after the warm-up. */
  firstCallS?: () => number | null;
  /** Drop what the row compiled (its WebAssembly memory), so later rows do not run beside it. */
  release?: () => void;
  /**
   * *_threads rows: the same function compiled for this thread alone, timed in the same rounds as the row
   * (threads_speedup); its first call is its own warm-up, outside the timed runs.
   */
  oneThread?: () => unknown;
}

const cpu = () => currentBackend().name;
const range1 = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** E at the last record for case 0 (k = 1, as the peer's Tini[0]) as a function of sigma. */
function finalE(spec: RteSpec, dtype: TorchDType = 'float64') {
  const { Tini, sigma } = seedCases(spec.N, [1], dtype);
  const T0 = Tini.get(0);
  return { eFinal: (s: Tensor) => solve(spec, T0, s).E.get(-1), sigma0: sigma.get(0) };
}

function batch(B: number) {
  const { Tini, sigma } = seedCases(SEED_SPEC.N, range1(B));
  return () => solveBatch(SEED_SPEC, Tini, sigma);
}

/** The same computation on a 10× coarser grid: it compiles the same code path in a fraction of the time. */
const SMALL_SPEC: RteSpec = { ...SEED_SPEC, N: 40 };

function gradE(spec: RteSpec) {
  const { eFinal, sigma0 } = finalE(spec);
  return () => grad((s: Tensor) => sum(eFinal(s)))(sigma0);
}

function jacobian(jac: typeof jacfwd, spec: RteSpec) {
  const { eFinal, sigma0 } = finalE(spec);
  return () => jac(eFinal)(sigma0);
}

/**
 * A row compiled with `jit` (webasm: gpu.js's WebAssembly, float32; wasm: core's own WebAssembly target, in
 * the row's dtype). Its warm-up is the row itself, so that the first call (which compiles) is outside the
 * timed runs; its time is reported as first_call_s.
 */
function compiled<F extends (...args: any[]) => any>(
  name: string,
  f: F,
  args: Parameters<F>,
  opts: JitOptions,
  rest: Pick<BenchCase, 'torch' | 'reps' | 'peerReps' | 'slow' | 'limit'> & { dtype?: TorchDType },
): BenchCase {
  const r = compiledRunner(f, args, { backend: 'webasm', strict: true, ...opts });
  const one = opts.threads ? compiledRunner(f, args, { strict: true, ...opts, threads: false }) : null;
  const { dtype = 'float32', ...more } = rest;
  return {
    name,
    ours: r.run,
    dtype,
    backend: r.backend,
    firstCallS: r.firstCallS,
    release: () => {
      r.release();
      one?.release();
    },
    ...(one ? { oneThread: one.run } : {}),
    ...more,
  };
}

/** Core's WebAssembly target: the seed solves in float32 at three batch sizes, the derivatives in float64. */
function wasmRows(): BenchCase[] {
  const wasm = { backend: 'wasm' as const, threads: false };
  // vmap(solve) as the CLI and the workbench call it: jit runs it case by case on the program of one case
  const solveE = vmap((t: Tensor, s: Tensor) => {
    const r = solve(SEED_SPEC, t, s);
    return [r.E, r.T];
  });
  const solveRow = (B: number, dtype: TorchDType, reps: number, slow: boolean, threads = false) => {
    const c = seedCases(SEED_SPEC.N, range1(B), dtype);
    const suffix = `${dtype === 'float64' ? '_f64' : ''}${threads ? '_threads' : ''}`;
    return compiled(
      `solve_B${B}_wasm${suffix}`,
      solveE,
      [c.Tini, c.sigma],
      { ...wasm, threads },
      {
        torch: { what: 'solve', B },
        limit: { what: 'solve', B },
        reps,
        slow,
        dtype,
      },
    );
  };
  const { Tini } = seedCases(SEED_SPEC.N, [1]);
  const sigmaOf = sigmaOfTheta(SEED_SPEC.N);
  const T0 = Tini.get(0);
  const theta = tensor([1 + Math.sin(1), Math.sin(2)]);
  const f64 = { dtype: 'float64' as const, reps: 5, slow: false };
  // a B = 4 solve takes milliseconds: enough runs that one descheduling does not move the median
  const quickReps = 25;
  return [
    solveRow(4, 'float32', quickReps, false),
    solveRow(256, 'float32', 3, false),
    solveRow(256, 'float32', 3, false, true),
    solveRow(1024, 'float32', 3, true),
    solveRow(1024, 'float32', 3, true, true),
    solveRow(4, 'float64', quickReps, false),
    // the gradient in float64 (the reference path) and in float32 (the dtype of the solves and of the issue's
    // PyTorch and C figures)
    ...(['float64', 'float32'] as const).map((dtype) => {
      const g = finalE(SEED_SPEC, dtype);
      return compiled(
        `grad_wasm${dtype === 'float32' ? '_f32' : ''}`,
        grad((s: Tensor) => sum(g.eFinal(s))),
        [g.sigma0],
        wasm,
        { ...f64, dtype, torch: { what: 'grad', B: 1 }, limit: { what: 'grad', B: 1 } },
      );
    }),
    // the 400×400 Jacobians in float64 (the reference path) and float32 (the dtype of the solves above)
    ...(['float64', 'float32'] as const).flatMap((dtype) => {
      const jac = finalE(SEED_SPEC, dtype);
      return [false, true].flatMap((threads) =>
        (['jacfwd', 'jacrev'] as const).map((what) =>
          compiled(
            `${what}_400_wasm${dtype === 'float32' ? '_f32' : ''}${threads ? '_threads' : ''}`,
            (what === 'jacfwd' ? jacfwd : jacrev)(jac.eFinal),
            [jac.sigma0],
            { ...wasm, threads },
            // no row rests on a single run: the two-thread rows time one run in each of 3 rounds (with the
            // one-thread yardstick), the one-thread rows 3 runs; PyTorch's one run is the eager row's
            { ...f64, dtype, reps: threads ? 1 : 3, peerReps: 1, slow: true, torch: { what, B: 1 } },
          ),
        ),
      );
    }),
    // its two tangent rows: one after the other on this thread, or one per thread
    ...[false, true].map((threads) =>
      compiled(
        `hessian_theta_wasm${threads ? '_threads' : ''}`,
        hessian((th: Tensor) => sum(solve(SEED_SPEC, T0, sigmaOf(th)).E.get(-1))),
        [theta],
        { ...wasm, threads },
        { ...f64, torch: null },
      ),
    ),
  ];
}

function compiledRows(): BenchCase[] {
  const B4 = seedCases(SEED_SPEC.N, range1(4), 'float32');
  const B256 = seedCases(SEED_SPEC.N, range1(256), 'float32');
  // Both record arrays read back, as the eager rows and the peer have them.
  const solveE = (t: Tensor, s: Tensor) => {
    const r = solveBatch(SEED_SPEC, t, s);
    return [r.E, r.T];
  };
  const { eFinal, sigma0 } = finalE(SEED_SPEC, 'float32');
  const sync = { threads: false };
  return [
    // fused-sync: on the 2-core machine fused-threaded was slower at B = 4 (0.11 s vs 0.06 s) and B = 256
    // (3.7 s vs 3.0 s), measured in an earlier round.
    compiled('solve_B4_webasm', solveE, [B4.Tini, B4.sigma], sync, {
      torch: { what: 'solve', B: 4 },
      limit: { what: 'solve', B: 4 },
      reps: 5,
      slow: false,
    }),
    compiled('solve_B256_webasm', solveE, [B256.Tini, B256.sigma], sync, {
      torch: { what: 'solve', B: 256 },
      limit: { what: 'solve', B: 256 },
      reps: 3,
      slow: true,
    }),
    compiled(
      'grad_webasm',
      grad((s: Tensor) => sum(eFinal(s))),
      [sigma0],
      sync,
      {
        torch: { what: 'grad', B: 1 },
        limit: { what: 'grad', B: 1 },
        reps: 5,
        slow: false,
      },
    ),
    // The whole 400×400 Jacobian compiled at once: the first call took 7 s (jacfwd) and 25 s (jacrev) here.
    compiled('jacfwd_400_webasm', jacfwd(eFinal), [sigma0], sync, {
      torch: { what: 'jacfwd', B: 1 },
      reps: 1,
      slow: true,
    }),
    compiled('jacrev_400_webasm', jacrev(eFinal), [sigma0], sync, {
      torch: { what: 'jacrev', B: 1 },
      reps: 1,
      slow: true,
    }),
  ];
}

/** Inputs are built when the list is, outside the timed region; building them is cheap. */
export function benchCases(): BenchCase[] {
  // Each compiled row follows the eager row it compiles (NAME_webasm, NAME_wasm… after NAME); rows with no
  // eager counterpart (too slow uncompiled, or no peer) come last.
  const compiled = [...compiledRows(), ...wasmRows()];
  const eager = eagerRows();
  const after = (name: string) => compiled.filter((k) => k.name.startsWith(`${name}_`));
  const placed = new Set(eager.flatMap((c) => after(c.name)));
  return [...eager.flatMap((c) => [c, ...after(c.name)]), ...compiled.filter((k) => !placed.has(k))];
}

function eagerRows(): BenchCase[] {
  const row = { dtype: 'float64' as const, backend: cpu };
  return [
    {
      ...row,
      name: 'solve_B4',
      ours: batch(4),
      torch: { what: 'solve', B: 4 },
      limit: { what: 'solve', B: 4 },
      reps: 5,
      slow: false,
    },
    {
      ...row,
      name: 'solve_B256',
      ours: batch(256),
      torch: { what: 'solve', B: 256 },
      limit: { what: 'solve', B: 256 },
      reps: 3,
      slow: true,
    },
    {
      ...row,
      name: 'grad',
      ours: gradE(SEED_SPEC),
      torch: { what: 'grad', B: 1 },
      limit: { what: 'grad', B: 1 },
      reps: 5,
      slow: false,
    },
    {
      ...row,
      name: 'jacfwd_400',
      ours: jacobian(jacfwd, SEED_SPEC),
      warmup: jacobian(jacfwd, SMALL_SPEC),
      torch: { what: 'jacfwd', B: 1 },
      reps: 1,
      slow: true,
    },
    {
      ...row,
      name: 'jacrev_400',
      ours: jacobian(jacrev, SEED_SPEC),
      warmup: jacobian(jacrev, SMALL_SPEC),
      torch: { what: 'jacrev', B: 1 },
      reps: 1,
      slow: true,
    },
  ];
}
