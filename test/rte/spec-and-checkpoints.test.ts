import { describe, expect, it } from 'vitest';
import { grad, zeros } from '../../core/index';
import { RteSpecError, rteGrid, solve } from '../../core/rte/index';
import { sumFinalE } from '../../core/rte/objectives';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';
import { SMALL } from './setup';

describe('reverse mode through the time loop', () => {
  const spec = SMALL.small_N48_V6!;
  const T0 = loadReference('small_N48_V6_Tini_f64').get(0);
  const s0 = loadReference('small_N48_V6_sigma_f64').get(0);
  const ref = loadReference('small_N48_V6_grad_sumEfinal_dsigma_f64').get(0);

  it('gives the same gradient with any number of checkpoints', () => {
    const g = (checkpoints?: number) => grad((s: Tensor) => sumFinalE(spec, { checkpoints })(T0, s))(s0);
    const plain = g(1);
    expect(relErr(plain, ref)).toBeLessThan(1e-10);
    for (const c of [2, 3, undefined, 1000]) expect(relErr(g(c), plain)).toBeLessThan(1e-13);
  });
});

describe('problem specification', () => {
  const base = { N: 40, Nvx: 4, CFL: 0.8, tEnd: 0.1, every: 2 };

  it('derives Nt = int(t_end / dt) and the record count as the reference does', () => {
    expect(rteGrid({ N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 })).toMatchObject({ Nt: 500, R: 50 });
    expect(rteGrid(SMALL.small_N32_V4!)).toMatchObject({ Nt: 10, R: 2 });
    expect(rteGrid(SMALL.small_N48_V6!).R).toBe(loadReference('small_N48_V6_E_f64').shape[1]);
  });

  it.each([
    [{ Nvx: 5 }, /Nvx must be a positive even integer/],
    [{ N: 2 }, /N must be an integer ≥ 3/],
    [{ CFL: 1.5 }, /CFL = 1.5 > 1 is unstable/],
    [{ tEnd: 0 }, /t_end must be a positive number/],
    [{ every: 0 }, /every .* must be a positive integer/],
    [{ tEnd: 1e-9 }, /shorter than one time step/],
    [{ CFL: 1e-300, tEnd: 1e300 }, /more than this solver runs/],
  ])('rejects %j clearly', (patch, message) => {
    expect(() => rteGrid({ ...base, ...patch })).toThrow(RteSpecError);
    expect(() => rteGrid({ ...base, ...patch })).toThrow(message);
  });

  it('runs CFL > 1 only when allowed', () => {
    expect(() => solve({ ...base, CFL: 1.2 }, zeros([40]).add(1), zeros([40]).add(1))).toThrow(/unstable/);
    const out = solve({ ...base, CFL: 1.2 }, zeros([40]).add(1), zeros([40]).add(1), { allowUnstable: true });
    expect(out.E.shape[1]).toBe(40);
  });

  it('names the expected input shape', () => {
    expect(() => solve(base, zeros([41]), zeros([40]))).toThrow(/Tini must have shape \[40\]/);
  });
});

describe('the unrolled loop (plain tape, as the seed runs)', () => {
  const spec = SMALL.small_N32_V4!;
  const T0 = loadReference('small_N32_V4_Tini_f64').get(0);
  const s0 = loadReference('small_N32_V4_sigma_f64').get(0);

  it('gives the same records and gradient as the scan loop', () => {
    const a = solve(spec, T0, s0, { loop: 'unrolled' });
    expect(relErr(a.E, loadReference('small_N32_V4_E_f64').get(0))).toBeLessThan(1e-13);
    const g = (loop: 'scan' | 'unrolled') => grad((s: Tensor) => sumFinalE(spec, { loop })(T0, s))(s0);
    expect(relErr(g('unrolled'), g('scan'))).toBeLessThan(1e-13);
  });
});
