/** Overflow found during the run and located at its step and cell (core/rte/overflow.ts). */
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../../core/index';
import {
  checkRteRun,
  type OverflowSite,
  RteOverflowError,
  type RteSpec,
  RteSpecError,
  seedCases,
  solve,
  solveBatch,
  solveBatchChecked,
} from '../../core/rte/index';

const small: RteSpec = { N: 16, Nvx: 8, CFL: 0.8, tEnd: 0.5, every: 5 };
const rows = (...cases: number[][]) =>
  tensor(Float64Array.from(cases.flat()), { shape: [cases.length, cases[0]!.length], dtype: 'float64' });
const fill = (n: number, v: number, at: Record<number, number> = {}) =>
  Array.from({ length: n }, (_, i) => at[i] ?? v);

/**
 * Crafted so the step is known: sigma is 0 except at cell 7, where it is 1e308. Step 1 leaves cell 7 in
 * equilibrium (the relaxation term is sigma·(source − I) with I = source exactly), but it carries in the hot
 * cell 8's intensity; at step 2 that difference times dt·1e308 overflows, at cell 7 only.
 */
const crafted = { Tini: fill(16, 1, { 8: 10 }), sigma: fill(16, 0, { 7: 1e308 }) };

function siteOf(f: () => unknown): OverflowSite {
  try {
    f();
  } catch (e) {
    if (e instanceof RteOverflowError) return e.site;
    throw e;
  }
  throw new Error('no overflow reported');
}

const outputsOf = (r: { E: Tensor; T: Tensor }) => ({
  E: r.E.concrete('E').data,
  T: r.T.concrete('T').data,
});

describe('the eager path stops at the first non-finite record', () => {
  it('names the step and cell of the crafted case, replayed from the last finite record', () => {
    const Tini = rows(fill(16, 1), crafted.Tini);
    const sigma = rows(fill(16, 1), crafted.sigma);
    const site = siteOf(() => solveBatchChecked(small, Tini, sigma));
    expect(site).toMatchObject({ caseIndex: 1, step: 2, cell: 7, otherCells: 0, lastFiniteRecord: 0 });
    expect(site.quantities).toContain('E');
    expect(site.t).toBeCloseTo(2 * 0.05, 12);
    expect(site.x).toBeCloseTo(7.5 / 16, 12);
    expect(site.sigma).toBe(1e308);
    expect(() => solveBatchChecked(small, Tini, sigma)).toThrow(RteSpecError);
    expect(() => solveBatchChecked(small, Tini, sigma, { caseName: (b) => `case ${b + 1}` })).toThrow(
      /^overflow: E( and T)? became non-finite at step 2 \(t = 0\.100\), cell 7 \(x = 0\.469\) of case 2; last finite record 0\. Inputs there: Tini = 1, sigma = 1e\+308; T⁴ overflows float64/,
    );
  });

  it('a T0⁴ that overflows is found in the initial state (step 0)', () => {
    const site = siteOf(() => solveBatchChecked(small, rows(fill(16, 1, { 3: 1e78 })), rows(fill(16, 1))));
    expect(site).toMatchObject({ step: 0, t: 0, cell: 3, otherCells: 0, lastFiniteRecord: -1, Tini: 1e78 });
    expect(site.quantities).toEqual(['E']);
  });

  it('stops instead of computing the rest: 10⁶ steps would take minutes eagerly', () => {
    const long: RteSpec = { N: 16, Nvx: 4, CFL: 0.8, tEnd: 50_000, every: 1000 };
    const t0 = performance.now();
    const site = siteOf(() => solveBatchChecked(long, rows(crafted.Tini), rows(crafted.sigma)));
    expect(site).toMatchObject({ step: 2, cell: 7 });
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('computes the same numbers as solveBatch when the run stays finite', () => {
    const { Tini, sigma } = seedCases(small.N, [1, 2]);
    const a = solveBatch(small, Tini, sigma);
    const b = solveBatchChecked(small, Tini, sigma);
    expect(b.E.shape).toEqual(a.E.shape);
    expect(b.E.toTypedArray()).toEqual(a.E.toTypedArray());
    expect(b.T.toTypedArray()).toEqual(a.T.toTypedArray());
    expect(b.sigmaRecord.toTypedArray()).toEqual(a.sigmaRecord.toTypedArray());
  });
});

describe('a finished run checked after (the compiled paths)', () => {
  it('replays the case from the start to the same step and cell', () => {
    const Tini = rows(fill(16, 1), crafted.Tini);
    const sigma = rows(fill(16, 1), crafted.sigma);
    const outputs = outputsOf(solveBatch(small, Tini, sigma));
    const site = siteOf(() => checkRteRun(small, { Tini, sigma }, outputs, { dtype: 'float64' }));
    expect(site).toMatchObject({ caseIndex: 1, step: 2, cell: 7, otherCells: 0, lastFiniteRecord: 0 });
  });

  it('agrees with a run that records every step (a different code path: scan, not the replay)', () => {
    const spec: RteSpec = { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 };
    const { Tini, sigma: s } = seedCases(spec.N, [1]);
    const sigma = s.mul(0).add(1e308);
    const everyStep = solve({ ...spec, every: 1 }, Tini.get(0), sigma.get(0));
    const E = everyStep.E.toTypedArray();
    const T = everyStep.T.toTypedArray();
    const firstBad = [...E.keys()].find((k) => !Number.isFinite(E[k]!) || !Number.isFinite(T[k]!))!;
    // record q of an every-step run is the state after step 1 + q
    const oracle = { step: 1 + Math.floor(firstBad / spec.N), cell: firstBad % spec.N };
    const outputs = outputsOf(solveBatch(spec, Tini, sigma));
    const site = siteOf(() => checkRteRun(spec, { Tini, sigma }, outputs, { dtype: 'float64' }));
    expect({ step: site.step, cell: site.cell }).toEqual(oracle);
    expect(siteOf(() => solveBatchChecked(spec, Tini, sigma))).toEqual(site);
  });

  it('a replay over its limit names the record only; a finite run passes', () => {
    const Tini = rows(crafted.Tini);
    const sigma = rows(crafted.sigma);
    const outputs = outputsOf(solveBatch(small, Tini, sigma));
    expect(() =>
      checkRteRun(small, { Tini, sigma }, outputs, { dtype: 'float64', maxReplayUpdates: 0 }),
    ).toThrow(
      /^overflow: E became non-finite between steps 1 and 6 \(record 1\), cell 3 of case 0; T⁴ overflows/,
    );
    const { Tini: t, sigma: s } = seedCases(small.N, [1]);
    const fine = outputsOf(solveBatch(small, t, s));
    expect(() => checkRteRun(small, { Tini: t, sigma: s }, fine, { dtype: 'float64' })).not.toThrow();
  });
});
