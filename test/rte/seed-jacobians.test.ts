import { describe, expect, it } from 'vitest';
import { jacfwd, jacrev } from '../../core/index';
import { finalE } from '../../core/rte/objectives';
import { loadReference, relErr } from '../helpers/reference';
import { SEED, seedInputs, TOL_F64 } from './setup';

// ∂E_final/∂σ for case k = 1 by both modes ([400, 400]; the README: "jacrev agrees to 4e-17").
// Full 400×400 Jacobians through 500 steps: minutes on a small shared machine, so a generous limit.
describe('seed Jacobian ∂E_final/∂sigma by forward and reverse mode', { timeout: 900_000 }, () => {
  const { Tini, sigma } = seedInputs('f64');
  const ref = loadReference('jac_Efinal_dsigma_f64');

  it('jacfwd', () => {
    const jac = jacfwd(finalE(SEED), { argnums: 1 })(Tini.get(0), sigma.get(0));
    expect(relErr(jac, ref)).toBeLessThan(TOL_F64);
  });

  it('jacrev (vmap of the checkpointed pullback, in chunks)', () => {
    const jac = jacrev(finalE(SEED), { argnums: 1, chunkSize: 100 })(Tini.get(0), sigma.get(0));
    expect(relErr(jac, ref)).toBeLessThan(TOL_F64);
  });
});
