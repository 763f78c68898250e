import { describe, expect, it } from 'vitest';
import {
  colorColumns,
  jacfwd,
  jacobianSparsity,
  SparsityPattern,
  sparseJacfwd,
  type Tensor,
} from '../../core/index';
import { type RteSpec, seedCases, solve } from '../../core/rte/index';
import { loadReference, relErr } from '../helpers/reference';

const SEED: RteSpec = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };
// The same grid and step stopped after step 40 (Nt = 41, records 0..4): record 4 is the seed's record 4,
// at a tenth of the cost, for the numerical checks.
const TO_RECORD_4: RteSpec = { ...SEED, tEnd: 0.0821 };
const Tini = loadReference('seed_Tini_f64').get(0);
const sigma = loadReference('seed_sigma_f64').get(0);
const recordE = (spec: RteSpec, r: number) => (s: Tensor) => solve(spec, Tini, s).E.get(r);

/** Row i holds exactly the columns within `half` of i, wrapping around the periodic domain. */
function isPeriodicBand(p: SparsityPattern, half: number): boolean {
  const n = p.cols;
  for (let i = 0; i < p.rows; i++) {
    const want = new Set(Array.from({ length: 2 * half + 1 }, (_, d) => (i + d - half + n) % n));
    const row = [...p.row(i)];
    if (row.length !== want.size || !row.every((j) => want.has(j))) return false;
  }
  return true;
}

describe('seed problem: ∂E/∂σ (case k = 1)', () => {
  // one detection over every record of the full seed run: rows r·400 .. r·400+399 are record r
  const all = jacobianSparsity((s: Tensor) => solve(SEED, Tini, s).E)(sigma);
  const ref4 = loadReference('jac_E4_dsigma_f64');

  it('the shortened run reproduces record 4 of the seed run', () => {
    const E4 = recordE(TO_RECORD_4, 4)(sigma);
    expect(relErr(E4, loadReference('seed_E_f64').get(0, 4))).toBeLessThan(1e-12);
  });

  it('record 4: the detected pattern is the nonzero pattern of the reference, a periodic band of 79', () => {
    expect(all.shape).toEqual([50 * 400, 400]);
    const p4 = all.sliceRows(4 * 400, 5 * 400);
    expect(p4.equals(SparsityPattern.fromDense(ref4))).toBe(true);
    expect(p4.nnz).toBe(400 * 79);
    expect(isPeriodicBand(p4, 39)).toBe(true);
    // the shortened run and the local (value-following) variant see the same pattern
    expect(jacobianSparsity(recordE(TO_RECORD_4, 4))(sigma).equals(p4)).toBe(true);
    expect(jacobianSparsity(recordE(TO_RECORD_4, 4), { local: true })(sigma).equals(p4)).toBe(true);
  });

  it('record 4: at most 84 colours, and the compressed Jacobian equals the reference to 1e-12', () => {
    const p4 = all.sliceRows(4 * 400, 5 * 400);
    const coloring = colorColumns(p4);
    expect(coloring.count).toBeLessThanOrEqual(84);
    const J = sparseJacfwd(recordE(TO_RECORD_4, 4), { pattern: p4, coloring })(sigma);
    expect(J.dense).toBe(false);
    expect(J.passes).toBe(coloring.count);
    expect(relErr(J.toDense(), ref4)).toBeLessThan(1e-12);
  });

  it('final record: the pattern is full, the nonzero pattern of the reference; no colouring helps', () => {
    const last = all.sliceRows(49 * 400, 50 * 400);
    expect(last.isFull).toBe(true);
    expect(last.equals(SparsityPattern.fromDense(loadReference('jac_Efinal_dsigma_f64')))).toBe(true);
    expect(colorColumns(last).count).toBe(400);
  });
});

describe('full patterns are computed on the dense path', () => {
  it('final record of a saturated run (N = 40): dense, equal to jacfwd', () => {
    const spec: RteSpec = { N: 40, Nvx: 4, CFL: 0.8, tEnd: 1, every: 5 };
    const { Tini: T, sigma: s } = seedCases(40, [1]);
    const f = (x: Tensor) => solve(spec, T.get(0), x).E.get(-1);
    const J = sparseJacfwd(f)(s.get(0));
    expect(J.pattern.isFull).toBe(true);
    expect(J.dense).toBe(true);
    expect(J.passes).toBe(40);
    expect(relErr(J.toDense(), jacfwd(f)(s.get(0)) as Tensor)).toBeLessThan(1e-12);
  });
});

describe('small reference grids: final-record patterns and compressed Jacobians', () => {
  // N48: a periodic band of 31 on 48 columns: any two columns share a row, so it is dense for colouring
  const grids: [string, RteSpec, boolean][] = [
    ['small_N32_V4', { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 }, false],
    ['small_N48_V6', { N: 48, Nvx: 6, CFL: 0.8, tEnd: 0.3, every: 4 }, true],
  ];
  for (const [tag, spec, dense] of grids)
    it(tag, () => {
      const T = loadReference(`${tag}_Tini_f64`);
      const S = loadReference(`${tag}_sigma_f64`);
      const ref = loadReference(`${tag}_jac_Efinal_dsigma_f64`);
      for (let k = 0; k < 4; k++) {
        const f = (x: Tensor) => solve(spec, T.get(k), x).E.get(-1);
        const J = sparseJacfwd(f)(S.get(k));
        expect(J.pattern.equals(SparsityPattern.fromDense(ref.get(k)))).toBe(true);
        expect(J.dense).toBe(dense);
        if (!dense) expect(J.passes).toBeLessThan(spec.N);
        expect(relErr(J.toDense(), ref.get(k))).toBeLessThan(1e-12);
      }
    });
});
