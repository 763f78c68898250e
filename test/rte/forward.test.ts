import { describe, expect, it } from 'vitest';
import { abs, amax, stack, sub, vmap } from '../../core/index';
import { seedCases, solve, solveBatch } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';
import { SEED, SMALL, seedInputs, TOL_F32, TOL_F64 } from './setup';

describe('forward solve against PyTorch', () => {
  it('seed run, float64: vmap(solve) E, T, sigma_record', () => {
    const { Tini, sigma } = seedInputs('f64');
    const out = solveBatch(SEED, Tini, sigma);
    expect(out.E.shape).toEqual([4, 50, 400]);
    expect(relErr(out.E, loadReference('seed_E_f64'))).toBeLessThan(TOL_F64);
    expect(relErr(out.T, loadReference('seed_T_f64'))).toBeLessThan(TOL_F64);
    expect(relErr(out.sigmaRecord, loadReference('seed_sigma_record_f64'))).toBeLessThan(TOL_F64);
  });

  it('seed run, float32 end to end', () => {
    const { Tini, sigma } = seedInputs('f32');
    const out = solveBatch(SEED, Tini, sigma);
    expect(out.E.dtype).toBe('float32');
    expect(relErr(out.E, loadReference('seed_E_f32'))).toBeLessThan(TOL_F32);
    expect(relErr(out.T, loadReference('seed_T_f32'))).toBeLessThan(TOL_F32);
    expect(relErr(out.sigmaRecord, loadReference('seed_sigma_record_f32'))).toBeLessThan(TOL_F32);
  });

  it('builds the seed inputs from their formulas', () => {
    const { Tini, sigma } = seedCases(400);
    expect(relErr(Tini, loadReference('seed_Tini_f64'))).toBeLessThan(1e-15);
    expect(relErr(sigma, loadReference('seed_sigma_f64'))).toBeLessThan(1e-15);
  });

  for (const [tag, spec] of Object.entries(SMALL)) {
    it(`${tag}: E and T`, () => {
      const out = solveBatch(spec, loadReference(`${tag}_Tini_f64`), loadReference(`${tag}_sigma_f64`));
      expect(relErr(out.E, loadReference(`${tag}_E_f64`))).toBeLessThan(TOL_F64);
      expect(relErr(out.T, loadReference(`${tag}_T_f64`))).toBeLessThan(TOL_F64);
    });
  }
});

describe('solver properties', () => {
  const spec = SMALL.small_N48_V6!;
  const Tini = loadReference('small_N48_V6_Tini_f64');
  const sigma = loadReference('small_N48_V6_sigma_f64');

  it('vmap(solve) equals solving each case alone', () => {
    const batched = solveBatch(spec, Tini, sigma);
    const alone = [0, 1, 2, 3].map((b) => solve(spec, Tini.get(b), sigma.get(b)));
    const diff = (a: Tensor, b: Tensor) => amax(abs(sub(a, b))).item();
    expect(diff(batched.E, stack(alone.map((o) => o.E)))).toBe(0);
    expect(diff(batched.T, stack(alone.map((o) => o.T)))).toBe(0);
  });

  it('conserves sum(E + cv·T) from record to record (periodic domain)', () => {
    const inputs = seedInputs('f64');
    const { E, T } = solveBatch(SEED, inputs.Tini, inputs.sigma);
    const total = E.add(T).sum(-1); // [B, R]
    const first = total.get(':', ':1');
    const drift = amax(abs(sub(total, first)).div(first)).item();
    expect(drift).toBeLessThan(1e-13);
    // and it is not trivially constant: E and T themselves change a lot
    expect(relErr(E.get(':', -1), E.get(':', 0))).toBeGreaterThan(1e-3);
  });

  it('records only what is asked (records option) without changing values', () => {
    const full = solve(spec, Tini.get(0), sigma.get(0));
    const part = solve(spec, Tini.get(0), sigma.get(0), { records: 3 });
    expect(part.E.shape).toEqual([3, 48]);
    expect(relErr(part.E, full.E.get(':3'))).toBe(0);
  });

  it('vmap over specs of cases is deterministic across batch layouts', () => {
    const swapped = vmap((t: Tensor, s: Tensor) => solve(spec, t, s).E, { inDims: [1, 1] })(
      Tini.transpose(),
      sigma.transpose(),
    );
    expect(relErr(swapped, solveBatch(spec, Tini, sigma).E)).toBe(0);
  });
});
