/**
 * jit(vmap(solve)) on the seed problem (B = 4, N = 400, Nvx = 8, 500 steps, 50 records) on each gpu.js
 * backend available in Node, against PyTorch's float32 run (rel 1e-4, the reference README's float32
 * tolerance) and against core's eager float64 path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cast } from '../../core/index';
import { jit } from '../../core/jit/index';
import { type RteResult, rteGrid, solveBatch } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';
import { BACKENDS, expectRanOn } from './helpers';

const spec = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };
const Tini = loadReference('seed_Tini_f32');
const sigma = loadReference('seed_sigma_f32');
const solveAll = (t: Tensor, s: Tensor): RteResult => solveBatch(spec, t, s);

let eager64: RteResult;
beforeAll(() => {
  eager64 = solveAll(
    cast(loadReference('seed_Tini_f64'), 'float64'),
    cast(loadReference('seed_sigma_f64'), 'float64'),
  );
});

describe.each(BACKENDS)('jit(vmap(solve)) on the seed problem, %s', (backend) => {
  it('matches PyTorch float32 and eager float64 within 1e-4, with the whole loop in one pipeline', async () => {
    const g = jit(solveAll, { backend, strict: true, threads: false });
    const r: RteResult = await g(Tini, sigma);
    expectRanOn(g, backend);
    expect(r.E.shape).toEqual([4, 50, 400]);
    expect(r.E.dtype).toBe('float32');
    for (const [got, ref, e64] of [
      [r.E, 'seed_E_f32', eager64.E],
      [r.T, 'seed_T_f32', eager64.T],
      [r.sigmaRecord, 'seed_sigma_record_f32', eager64.sigmaRecord],
    ] as const) {
      expect(relErr(got, loadReference(ref))).toBeLessThan(1e-4);
      expect(relErr(got, e64)).toBeLessThan(1e-4);
    }
    const run = g.lastRun!;
    const { Nt, R } = rteGrid(spec);
    if (backend === 'wasm') {
      // One module: both loops inside it; per time step 4 kernels (T⁴, I with its circular ghosts, T, I0 = w·I)
      expect(run.phases).toBe(1);
      expect(run.kernels).toBeLessThanOrEqual(12);
      return;
    }
    // The time loop is one pipeline call; the records (read back once, stacked into flat arrays) are
    // assembled into E and T by a second one.
    expect(run.phases).toBe(2);
    // Fusion: per time step one kernel for I (upwind, relaxation, circular ghosts), T, T⁴ and I0 = w·I.
    expect(run.launches).toBeLessThanOrEqual(4 * Nt + R + 8);
    expect(run.kernels).toBeLessThanOrEqual(12);
  });
});
