import { describe, expect, it } from 'vitest';
import { grad, hessian, jacfwd, jvp, tensor } from '../../core/index';
import { sigmaOfTheta } from '../../core/rte/index';
import { recordOf, sumFinalE } from '../../core/rte/objectives';
import { solve } from '../../core/rte/solver';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';
import { SEED, seedInputs, TOL_F64 } from './setup';

// Case k = 1 (index 0) of the seed run, float64, as in the reference README.
const { Tini, sigma } = seedInputs('f64');
const T0 = Tini.get(0);
const s0 = sigma.get(0);
const J = sumFinalE(SEED);

// The full-size Jacobians run in child processes: see seed-jacobians.test.ts.
describe('seed derivatives against PyTorch (N = 400, 500 steps)', { timeout: 900_000 }, () => {
  it('grad of sum(E_final) w.r.t. Tini and sigma', () => {
    const [gT, gS] = grad(J, { argnums: [0, 1] })(T0, s0);
    expect(relErr(gT, loadReference('grad_sumEfinal_dTini_f64'))).toBeLessThan(TOL_F64);
    expect(relErr(gS, loadReference('grad_sumEfinal_dsigma_f64'))).toBeLessThan(TOL_F64);
  });

  it('Jacobian of record 4 w.r.t. sigma is banded and matches', () => {
    const e4 = recordOf(SEED, 'E', 4);
    const jac = jacfwd((s: Tensor) => e4(T0, s))(s0);
    expect(relErr(jac, loadReference('jac_E4_dsigma_f64'))).toBeLessThan(TOL_F64);
  });

  const sigmaOf = sigmaOfTheta(400);
  const theta = loadReference('theta_f64');

  it('jvp field ∂E(x,t)/∂θ0 for sigma(θ)', () => {
    const [, field] = jvp((th: Tensor) => solve(SEED, T0, sigmaOf(th)).E, [theta], [tensor([1, 0])]);
    expect(field.shape).toEqual([50, 400]);
    expect(relErr(field, loadReference('jvp_E_dtheta0_f64'))).toBeLessThan(TOL_F64);
  });

  it('hessian of sum(E_final) w.r.t. θ', () => {
    const H = hessian((th: Tensor) => J(T0, sigmaOf(th)))(theta);
    expect(relErr(H, loadReference('hessian_sumEfinal_dtheta_f64'))).toBeLessThan(TOL_F64);
  });
});
