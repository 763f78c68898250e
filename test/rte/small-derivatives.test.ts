import { describe, expect, it } from 'vitest';
import { grad, hessian, jacfwd, jacrev, vmap } from '../../core/index';
import { finalE, sumFinalE } from '../../core/rte/objectives';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';
import { SMALL, TOL_F64 } from './setup';

// The reference README names the torch.func call behind each file; each test makes the same call.
for (const [tag, spec] of Object.entries(SMALL)) {
  describe(`${tag} derivatives against PyTorch`, () => {
    const Tini = loadReference(`${tag}_Tini_f64`);
    const sigma = loadReference(`${tag}_sigma_f64`);
    const eFinal = finalE(spec);
    const J = sumFinalE(spec);

    it('vmap(jacfwd(E_final, argnums=1))', () => {
      const jac = vmap(jacfwd(eFinal, { argnums: 1 }))(Tini, sigma);
      expect(relErr(jac, loadReference(`${tag}_jac_Efinal_dsigma_f64`))).toBeLessThan(TOL_F64);
    });

    it('vmap(jacrev(E_final, argnums=0))', () => {
      const jac = vmap(jacrev(eFinal, { argnums: 0 }))(Tini, sigma);
      expect(relErr(jac, loadReference(`${tag}_jac_Efinal_dTini_f64`))).toBeLessThan(TOL_F64);
    });

    it('vmap(grad(sum(E_final), argnums=1))', () => {
      const g = vmap(grad(J, { argnums: 1 }))(Tini, sigma);
      expect(relErr(g, loadReference(`${tag}_grad_sumEfinal_dsigma_f64`))).toBeLessThan(TOL_F64);
    });

    it('hessian(sum(E_final)) w.r.t. sigma, case k = 1', () => {
      const T0 = Tini.get(0);
      const H = hessian((s: Tensor) => J(T0, s))(sigma.get(0));
      expect(relErr(H, loadReference(`${tag}_hess_sumEfinal_dsigma_f64`))).toBeLessThan(TOL_F64);
    });
  });
}
