import { describe, expect, it } from 'vitest';
import { grad, sum, tensor, vmap } from '../../core/index';
import { objectiveOf, probeCell, recordIndex, solve, sumFinalE, windowCells } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';
import { SMALL, TOL_F64 } from './setup';

const spec = SMALL.small_N32_V4!; // R = 2 records
const Tini = loadReference('small_N32_V4_Tini_f64');
const sigma = loadReference('small_N32_V4_sigma_f64');
const jac = loadReference('small_N32_V4_jac_Efinal_dsigma_f64'); // [4, N, N]
const gradSigma = (J: (T: Tensor, s: Tensor) => Tensor) => vmap(grad(J, { argnums: 1 }))(Tini, sigma);

describe('objectives shared by the CLI and the workbench', () => {
  it('sum-final-E is sumFinalE and its gradient matches the reference', () => {
    const J = objectiveOf(spec, { kind: 'sum-final-E' });
    expect(J(Tini.get(0), sigma.get(0)).item()).toBe(sumFinalE(spec)(Tini.get(0), sigma.get(0)).item());
    expect(relErr(gradSigma(J), loadReference('small_N32_V4_grad_sumEfinal_dsigma_f64'))).toBeLessThan(
      TOL_F64,
    );
  });

  it('probe-E reads the cell nearest x0: its gradient is that row of dE_final/dsigma', () => {
    const J = objectiveOf(spec, { kind: 'probe-E', x0: 0.5, record: -1 });
    expect(relErr(gradSigma(J), jac.get(':', 16))).toBeLessThan(TOL_F64);
  });

  it('window-energy is the sum over the window’s cells / N', () => {
    const J = objectiveOf(spec, { kind: 'window-energy', a: 0.25, b: 0.5, record: 1 });
    expect(relErr(gradSigma(J), sum(jac.get(':', '8:16'), [1]).mul(1 / 32))).toBeLessThan(TOL_F64);
  });

  it('mean-T is the mean of T at the record, and its gradient a central difference of it', () => {
    const J = objectiveOf(spec, { kind: 'mean-T', record: 1 });
    const [T0, s0] = [Tini.get(0), sigma.get(0)];
    const T = solve(spec, T0, s0).T.get(1);
    expect(J(T0, s0).item()).toBeCloseTo(T.mean().item(), 15);
    const g = grad(J, { argnums: 1 })(T0, s0).toTypedArray();
    const h = 1e-6;
    const bump = tensor(Float64Array.from({ length: 32 }, (_, i) => (i === 7 ? h : 0)));
    const fd = (J(T0, s0.add(bump)).item() - J(T0, s0.sub(bump)).item()) / (2 * h);
    expect(g[7]).toBeCloseTo(fd, 8);
  });

  it('checks the record, probe and window and says what is allowed', () => {
    expect(recordIndex(-1, 50)).toBe(49);
    expect(() => recordIndex(50, 50)).toThrow(
      /record 50 is out of range: this grid records R = 50 times \(0\.\.49/,
    );
    expect(() => recordIndex(1.5, 50)).toThrow(/record 1\.5 is out of range/);
    expect(() => objectiveOf(spec, { kind: 'mean-T', record: 2 })).toThrow(/record 2 is out of range/);
    expect(() => objectiveOf(spec, { kind: 'probe-E', x0: 1.2, record: 0 })).toThrow(
      /x0 must lie in \[0, 1\]/,
    );
    expect(probeCell(0.5, 10)).toBe(5);
    expect(probeCell(1, 10)).toBe(9);
    expect(windowCells(0.2, 0.4, 10)).toEqual([2, 4]);
    expect(() => windowCells(0.41, 0.44, 10)).toThrow(/holds no cell centre/);
    expect(() => windowCells(0.5, 0.2, 10)).toThrow(/needs finite a < b/);
  });
});
