/**
 * The live derivative panels' computations at the seed's scale (N = 400, 500 steps), compiled to core's
 * WebAssembly in float64, against the PyTorch references: what the panels draw is exactly these results.
 */
import { describe, expect, it } from 'vitest';
import { seedCase } from '../../core/rte/index';
import { DEFAULT_DERIV_SETTINGS, directionValues, thetaValues } from '../../renderer/src/model/derivSettings';
import type { GridSpec } from '../../renderer/src/worker/api';
import { gradient, jvpField, thetaHessian } from '../../renderer/src/worker/compute/derivatives';
import { recordJacobian } from '../../renderer/src/worker/compute/sparsity';
import { loadReference, relErr } from '../helpers/reference';

const SEED: GridSpec = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };
const cases = [1, 2, 3, 4].map((k) => seedCase(400, k));
const ref = (name: string) => loadReference(name).toTypedArray() as Float64Array;
const settings = DEFAULT_DERIV_SETTINGS;
const timings: Record<string, number> = {};

describe('live derivatives at N = 400 against the references (wasm, float64)', { timeout: 300_000 }, () => {
  it('vmap(grad) of Σ E_final for all four cases: case 1 equals grad_sumEfinal_* to 1e-10', async () => {
    const req = { spec: SEED, cases, objective: { kind: 'sum-final-E' } as const, dtype: 'float64' as const };
    await gradient(req); // compiles
    const g = await gradient(req);
    timings.gradient = g.ms;
    expect(g.backend).toBe('wasm (core)');
    expect(relErr(g.dSigma.subarray(0, 400), ref('grad_sumEfinal_dsigma_f64'))).toBeLessThan(1e-10);
    expect(relErr(g.dTini.subarray(0, 400), ref('grad_sumEfinal_dTini_f64'))).toBeLessThan(1e-10);
  });

  it('the jvp field along the default direction equals jvp_E_dtheta0_f64 to 1e-10', async () => {
    const direction = { sigma: directionValues(settings.dirText, 400) };
    const req = { spec: SEED, inputs: cases[0]!, direction, dtype: 'float64' as const };
    await jvpField(req);
    const res = await jvpField(req);
    timings.jvp = res.ms;
    expect(res.backend).toBe('wasm (core)');
    expect(relErr(res.dE, ref('jvp_E_dtheta0_f64'))).toBeLessThan(1e-10);
  });

  it('the θ-hessian around the seed’s σ equals hessian_sumEfinal_dtheta_f64 to 1e-10', async () => {
    const { theta, depth } = thetaValues(settings.theta);
    const req = {
      spec: SEED,
      inputs: cases[0]!,
      theta,
      depth,
      objective: { kind: 'sum-final-E' } as const,
      dtype: 'float64' as const,
    };
    await thetaHessian(req);
    const res = await thetaHessian(req);
    timings.hessian = res.ms;
    expect(relErr(res.hessian, ref('hessian_sumEfinal_dtheta_f64'))).toBeLessThan(1e-10);
  });

  it('record 4’s Jacobian by compressed jvps equals jac_E4_dsigma_f64 to 1e-12', async () => {
    const req = {
      spec: SEED,
      inputs: cases[0]!,
      output: 'E' as const,
      input: 'sigma' as const,
      dtype: 'float64' as const,
      record: 4,
    };
    await recordJacobian(req);
    const res = await recordJacobian(req);
    timings.jacobianRecord4 = res.ms;
    expect(res.colours).toBe(84);
    expect(res.nnz).toBe(31_600);
    expect(relErr(res.J, ref('jac_E4_dsigma_f64'))).toBeLessThan(1e-12);
    console.log(`compiled derivative timings at N = 400 (ms, second call): ${JSON.stringify(timings)}`);
  });
});
