import { afterAll, describe, expect, it } from 'vitest';
import { matmul, rand, sum } from '../../core';
import { solveBatch } from '../../core/rte/index';
import { loadReference, relErr } from '../helpers/reference';
import { readNpy, reportOf, runCli, SMALL, scratch, smallInputs } from './run-cli';

const tmp = scratch();
afterAll(tmp.cleanup);

describe('rte grad', () => {
  it.each(['N32_V4', 'N48_V6'] as const)('sum-final-E w.r.t. sigma matches small_%s_grad at 1e-10', (tag) => {
    const out = tmp.file(`grad-${tag}`);
    const report = reportOf(
      runCli(['grad', ...smallInputs(tag), '--objective', 'sum-final-E', '--wrt', 'sigma', '--out', out]),
    );
    expect(report.shapes.grad).toEqual([4, SMALL[tag].N]);
    expect(
      relErr(readNpy(`${out}/grad.npy`), loadReference(`small_${tag}_grad_sumEfinal_dsigma_f64`)),
    ).toBeLessThan(1e-10);
  });

  it('w.r.t. Tini equals the column sums of the reference Jacobian dE_final/dTini', () => {
    const out = tmp.file('grad-Tini');
    reportOf(
      runCli(['grad', ...smallInputs('N32_V4'), '--objective', 'sum-final-E', '--wrt', 'Tini', '--out', out]),
    );
    const J = loadReference('small_N32_V4_jac_Efinal_dTini_f64'); // [4, N, N]
    const expected = sum(J, [1]); // grad_j = Σ_i ∂E_i/∂Tini_j
    expect(relErr(readNpy(`${out}/grad.npy`), expected)).toBeLessThan(1e-10);
  });
});

describe('rte grad: the workbench objectives', () => {
  it('probe-E at x0 = 0.5 is row 16 of the reference dE_final/dsigma, window-energy a sum of rows / N', () => {
    const J = loadReference('small_N32_V4_jac_Efinal_dsigma_f64'); // [4, N, N]
    const probe = tmp.file('grad-probe');
    const flags = ['grad', ...smallInputs('N32_V4'), '--wrt', 'sigma'];
    const report = reportOf(runCli([...flags, '--objective', 'probe-E', '--x0', '0.5', '--out', probe]));
    expect(report.objective_args).toEqual({ kind: 'probe-E', x0: 0.5, record: -1 });
    expect(relErr(readNpy(`${probe}/grad.npy`), J.get(':', 16))).toBeLessThan(1e-10);
    const window = tmp.file('grad-window');
    const args = ['--objective', 'window-energy', '--a', '0.25', '--b', '0.5', '--record', '1'];
    reportOf(runCli([...flags, ...args, '--out', window]));
    // centres in [0.25, 0.5] on N = 32: cells 8..15
    expect(relErr(readNpy(`${window}/grad.npy`), sum(J.get(':', '8:16'), [1]).mul(1 / 32))).toBeLessThan(
      1e-10,
    );
  });
});

describe('rte jacobian', () => {
  const cases = [
    ['N32_V4', 'sigma', 'fwd', 1],
    ['N32_V4', 'sigma', 'rev', 3],
    ['N32_V4', 'Tini', 'fwd', 0],
    ['N48_V6', 'Tini', 'rev', 2],
  ] as const;
  it.each(cases)(
    'small_%s E_final w.r.t. %s, mode %s, case %i matches the reference at 1e-10',
    (tag, wrt, mode, c) => {
      const out = tmp.file(`jac-${tag}-${wrt}-${mode}`);
      const args = ['--output', 'E', '--record', 'final', '--wrt', wrt, '--case', String(c), '--mode', mode];
      const report = reportOf(runCli(['jacobian', ...smallInputs(tag), ...args, '--out', out]));
      const N = SMALL[tag].N;
      expect(report).toMatchObject({ mode, case: c, shapes: { jacobian: [N, N] } });
      const J = readNpy(`${out}/jacobian.npy`);
      const ref = loadReference(`small_${tag}_jac_Efinal_d${wrt}_f64`).get(c);
      expect(relErr(J, ref)).toBeLessThan(1e-10);
    },
  );
});

describe('rte jvp', () => {
  const spec = SMALL.N32_V4;
  const Tini = loadReference('small_N32_V4_Tini_f64');
  const sigma = loadReference('small_N32_V4_sigma_f64');

  it.each(['sigma', 'Tini'] as const)(
    'w.r.t. %s matches central finite differences of the core solver',
    (wrt) => {
      const d = rand([4, 32], { seed: wrt === 'sigma' ? 11 : 12, low: -1, high: 1 });
      const out = tmp.file(`jvp-${wrt}`);
      const report = reportOf(
        runCli([
          'jvp',
          ...smallInputs('N32_V4'),
          '--wrt',
          wrt,
          '--direction',
          tmp.write(`d-${wrt}.npy`, d),
          '--out',
          out,
        ]),
      );
      const h = 1e-5;
      const at = (s: number) =>
        wrt === 'sigma'
          ? solveBatch(spec, Tini, sigma.add(d.mul(s)))
          : solveBatch(spec, Tini.add(d.mul(s)), sigma);
      const [plus, minus] = [at(h), at(-h)];
      const fdE = plus.E.sub(minus.E).div(2 * h);
      const fdT = plus.T.sub(minus.T).div(2 * h);
      expect(report.shapes.jvp_E).toEqual(fdE.shape);
      expect(relErr(readNpy(`${out}/jvp_E.npy`), fdE)).toBeLessThan(1e-7);
      expect(relErr(readNpy(`${out}/jvp_T.npy`), fdT)).toBeLessThan(1e-7);
    },
  );

  it('a direction [N] applies to every case; J·d from `jacobian` (output T, record 1) equals jvp_T there', () => {
    const d = rand([32], { seed: 5, low: -1, high: 1 });
    const dir = tmp.write('d-one.npy', d);
    const out = tmp.file('jvp-one');
    reportOf(runCli(['jvp', ...smallInputs('N32_V4'), '--wrt', 'Tini', '--direction', dir, '--out', out]));
    const jvpT = readNpy(`${out}/jvp_T.npy`); // [4, R, N]
    const jacOut = tmp.file('jac-T1');
    const flags = ['--output', 'T', '--record', '1', '--wrt', 'Tini', '--case', '2', '--mode', 'rev'];
    reportOf(runCli(['jacobian', ...smallInputs('N32_V4'), ...flags, '--out', jacOut]));
    const J = readNpy(`${jacOut}/jacobian.npy`);
    expect(relErr(jvpT.get(2, 1), matmul(J, d))).toBeLessThan(1e-12);
  });
});
