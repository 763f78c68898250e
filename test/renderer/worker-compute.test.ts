import { describe, expect, it } from 'vitest';
import { seedCase } from '../../core/rte/index';
import type { CaseInputs, GridSpec } from '../../renderer/src/worker/api';
import { gradient, jacobian, jvpField, thetaHessian } from '../../renderer/src/worker/compute/derivatives';
import { solveCases, validate } from '../../renderer/src/worker/compute/solve';
import {
  colourColumns,
  patternOf,
  recordJacobian,
  sparsity,
  statsOf,
} from '../../renderer/src/worker/compute/sparsity';
import { loadReference, relErr } from '../helpers/reference';

const small: GridSpec = { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 };
const seed = (N: number, k: number): CaseInputs => seedCase(N, k);
const values = (name: string) => Float64Array.from(loadReference(name).toTypedArray() as Float64Array);

describe('worker compute: solve', () => {
  it('validates grids with core’s messages', () => {
    expect(validate(small)).toEqual({ ok: true, grid: expect.objectContaining({ Nt: 10, R: 2 }) });
    const bad = validate({ ...small, Nvx: 3 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/Nvx must be a positive even integer/);
  });

  it('solves the small reference batch to 1e-10 on the eager path', async () => {
    const res = await solveCases({
      spec: small,
      cases: [1, 2, 3, 4].map((k) => seed(32, k)),
      dtype: 'float64',
      backend: 'eager',
    });
    expect([res.B, res.R, res.N]).toEqual([4, 2, 32]);
    expect(res.backend).toBe('eager (reference)');
    expect(relErr(res.E, values('small_N32_V4_E_f64'))).toBeLessThan(1e-10);
    expect(relErr(res.T, values('small_N32_V4_T_f64'))).toBeLessThan(1e-10);
  });

  it('solves it compiled on auto (core’s wasm here, in the chosen float64), and names the backend that ran', async () => {
    const cases = [1, 2, 3, 4].map((k) => seed(32, k));
    const res = await solveCases({ spec: small, cases, dtype: 'float64', backend: 'auto' });
    expect(res.backend).toBe('wasm (core)');
    expect(res.dtype).toBe('float64');
    expect(res.notes).toEqual([]);
    expect(relErr(res.E, values('small_N32_V4_E_f64'))).toBeLessThan(1e-10);
    const f32 = await solveCases({ spec: small, cases, dtype: 'float64', backend: 'webasm' });
    expect(f32.backend).toBe('webasm (gpu.js)');
    expect(f32.dtype).toBe('float32');
    expect(relErr(f32.E, values('small_N32_V4_E_f64'))).toBeLessThan(1e-4);
    // a second solve of the same grid reuses the compiled program
    const again = await solveCases({ spec: small, cases, dtype: 'float64', backend: 'auto' });
    expect(again.E).toEqual(res.E);
  });

  it('names the case whose input is not finite', async () => {
    const c = seed(32, 1);
    c.sigma[3] = Number.NaN;
    await expect(solveCases({ spec: small, cases: [seed(32, 2), c], dtype: 'float64' })).rejects.toThrow(
      /case 2: sigma is not finite at cell 3/,
    );
  });
});

describe('worker compute: overflow (issue 16)', () => {
  // case 2's sigma = 1e308: finite at first, the relaxation term overflows at step 2
  const cases = () => {
    const c = seed(32, 1);
    c.sigma.fill(1e308);
    return [seed(32, 2), c];
  };
  const line =
    /^overflow: E and T became non-finite at step 2 \(t = 0\.0500\), cell 0 \(x = 0\.0156\) and 26 more of case 2; last finite record 0\. Inputs there: Tini = [\d.]+, sigma = 1e\+308; T⁴ overflows float64/;

  it.each(['eager', 'auto'] as const)('is refused with its step and cell (%s)', async (backend) => {
    await expect(solveCases({ spec: small, cases: cases(), dtype: 'float64', backend })).rejects.toThrow(
      line,
    );
  });

  it('a float32 run is replayed in float32 (where T⁴ overflows much sooner)', async () => {
    const c = seed(32, 1);
    c.Tini[5] = 1e20;
    await expect(solveCases({ spec: small, cases: [c], dtype: 'float32', backend: 'eager' })).rejects.toThrow(
      /^overflow: E became non-finite in the initial state \(step 0, t = 0\), cell 5 .* of case 1;.* T⁴ overflows float32/,
    );
    // T⁴ = 1e80 is finite in float64: there the initial state is
    expect(Number.isFinite(1e20 ** 4)).toBe(true);
  });
});

describe('worker compute: derivatives', () => {
  it('gradient of sum(E_final) for every small case at once matches the reference (compiled vmap(grad))', async () => {
    const g = await gradient({
      spec: small,
      cases: [1, 2, 3, 4].map((k) => seed(32, k)),
      objective: { kind: 'sum-final-E' },
      dtype: 'float64',
    });
    expect([g.B, g.N, g.value.length]).toEqual([4, 32, 4]);
    expect(relErr(g.dSigma, values('small_N32_V4_grad_sumEfinal_dsigma_f64'))).toBeLessThan(1e-10);
    expect(g.backend).toBe('wasm (core)');
    expect(g.dtype).toBe('float64');
    const f32 = await gradient({
      spec: small,
      cases: [seed(32, 1)],
      objective: { kind: 'sum-final-E' },
      dtype: 'float32',
    });
    expect([f32.backend, f32.dtype]).toEqual(['wasm (core)', 'float32']);
    expect(relErr(f32.dSigma, values('small_N32_V4_grad_sumEfinal_dsigma_f64').subarray(0, 32))).toBeLessThan(
      1e-4,
    );
  });

  it('a bad record in the objective is refused with core’s message', async () => {
    const req = { spec: small, cases: [seed(32, 1)], dtype: 'float64' as const };
    await expect(gradient({ ...req, objective: { kind: 'mean-T', record: 5 } })).rejects.toThrow(
      /record 5 is out of range: this grid records R = 2 times/,
    );
  });

  it('chunked Jacobian of E_final matches the reference and reports progress', async () => {
    const ref = values('small_N32_V4_jac_Efinal_dsigma_f64').subarray(0, 32 * 32);
    const fractions: number[] = [];
    const jac = await jacobian(
      { spec: small, inputs: seed(32, 1), output: 'E', input: 'sigma', dtype: 'float64', chunk: 10 },
      (p) => fractions.push(p.fraction ?? -1),
    );
    expect(relErr(jac.J.subarray((jac.R - 1) * 32 * 32), ref)).toBeLessThan(1e-10);
    expect(fractions).toEqual([10 / 32, 20 / 32, 30 / 32, 1]);
  });

  it('jvp field equals a central finite difference', async () => {
    const inputs = seed(32, 2);
    const dir = Float64Array.from({ length: 32 }, (_, i) => Math.cos(i / 5));
    const res = await jvpField({ spec: small, inputs, direction: { sigma: dir }, dtype: 'float64' });
    expect(res.backend).toBe('wasm (core)');
    const h = 1e-6;
    const shifted = async (s: number) =>
      (
        await solveCases({
          spec: small,
          cases: [{ Tini: inputs.Tini, sigma: inputs.sigma.map((v, i) => v + s * dir[i]!) }],
          dtype: 'float64',
        })
      ).E;
    const [p, m] = [await shifted(h), await shifted(-h)];
    const fd = p.map((v, i) => (v - m[i]!) / (2 * h));
    expect(relErr(res.dE, fd)).toBeLessThan(1e-6);
  });

  it('θ-hessian’s family passes through the edited σ at θ*: J there is the objective of the case itself', async () => {
    const inputs = seed(32, 2);
    inputs.sigma = inputs.sigma.map((v, i) => v * (1 + 0.3 * Math.cos(i / 3))); // no longer in the seed's family
    const objective = { kind: 'mean-T', record: 1 } as const;
    const h = await thetaHessian({
      spec: small,
      inputs,
      theta: [1.3, 0.4],
      depth: 0.1,
      objective,
      dtype: 'float64',
    });
    const g = await gradient({ spec: small, cases: [inputs], objective, dtype: 'float64' });
    expect(h.value).toBeCloseTo(g.value[0]!, 13);
    // ∂J/∂θ₀ at θ* is ∇σJ · σ/θ₀* (σ scales with θ₀)
    const along = g.dSigma.reduce((a, d, i) => a + (d * inputs.sigma[i]!) / 1.3, 0);
    expect(h.grad[0]).toBeCloseTo(along, 12);
  });

  it('θ-hessian is symmetric and matches finite differences of the θ-gradient', async () => {
    const spec = { N: 16, Nvx: 4, CFL: 0.8, tEnd: 0.4, every: 4 };
    const { Tini } = seed(16, 1);
    // σ = s(θ) itself: then the family around it is the seed's s(·) whatever the anchor, so θ can move
    const family = (th: readonly number[]) =>
      Float64Array.from(
        { length: 16 },
        (_, i) => th[0]! * (1 + 0.1 * Math.sin((2 * Math.PI * (i + 0.5)) / 16 + th[1]!)),
      );
    const base = {
      spec,
      depth: 0.1,
      objective: { kind: 'sum-final-E' } as const,
      dtype: 'float64' as const,
    };
    const at = (theta: [number, number]) =>
      thetaHessian({ ...base, inputs: { Tini, sigma: family(theta) }, theta });
    const th: [number, number] = [1 + Math.sin(1), Math.sin(2)];
    const res = await at(th);
    expect(res.backend).toBe('wasm (core)');
    expect(res.hessian[1]).toBeCloseTo(res.hessian[2], 10);
    const [a, b, d] = [res.hessian[0], res.hessian[1], res.hessian[3]];
    for (const l of res.eigenvalues) expect((a - l) * (d - l) - b * b).toBeCloseTo(0, 6);
    expect(res.eigenvalues[0]).toBeLessThanOrEqual(res.eigenvalues[1]);
    const h = 1e-5;
    const gp = (await at([th[0] + h, th[1]])).grad;
    const gm = (await at([th[0] - h, th[1]])).grad;
    expect((gp[0] - gm[0]) / (2 * h)).toBeCloseTo(res.hessian[0], 5);
    expect((gp[1] - gm[1]) / (2 * h)).toBeCloseTo(res.hessian[2], 5);
  });
});

describe('worker compute: sparsity', () => {
  const spec: GridSpec = { N: 24, Nvx: 4, CFL: 0.8, tEnd: 0.5, every: 2 };

  it('is banded early, full late, and the colouring never shares a row', async () => {
    const res = await sparsity({ spec, inputs: seed(24, 1), output: 'E', input: 'sigma', dtype: 'float64' });
    expect(res.source).toBe('core-sparse');
    expect(res.R).toBe(Math.floor((Math.trunc(0.5 / (0.8 / 24)) - 1) / 2) + 1);
    // Record 1 follows 3 steps; the first step cannot feel sigma (I starts at equilibrium with T), and each
    // later step reaches one cell further: a periodic band of half-width 1.
    expect(res.stats[1]!.bandwidth).toBe(1);
    expect(res.stats[1]!.nnz).toBe(24 * 3);
    expect(res.stats[1]!.colours).toBeLessThanOrEqual(4);
    const last = res.stats.at(-1)!;
    expect(last.nnz).toBe(24 * 24);
    expect(last.colours).toBe(24);
    // core's structural pattern agrees with the dense Jacobian's nonzeros here
    for (let r = 0; r < res.R; r++)
      expect(statsOf(patternOf(res.J, 24, r * 24 * 24)).nnz).toBe(res.stats[r]!.nnz);
    const p = patternOf(res.J, 24, 1 * 24 * 24);
    const colour = colourColumns(p);
    for (let i = 0; i < 24; i++) {
      const cs = p.rowsOfCol.flatMap((rs, j) => (rs.includes(i) ? [colour[j]] : []));
      expect(new Set(cs).size).toBe(cs.length);
    }
  });

  it('statsOf measures circular bandwidth', () => {
    expect(statsOf({ N: 6, rowsOfCol: [[0, 5], [1], [2], [3], [4], [5, 0]] }).bandwidth).toBe(1);
  });

  it('one record by compressed jvps equals the dense record, with fewer jvps', async () => {
    const inputs = seed(24, 3);
    const base = { spec, inputs, output: 'E' as const, input: 'sigma' as const, dtype: 'float64' as const };
    const dense = await sparsity(base);
    const res = await recordJacobian({ ...base, record: 1 });
    expect(res.colours).toBeLessThan(24);
    expect(res.nnz).toBe(24 * 3);
    expect(res.bandwidth).toBe(1);
    expect(res.backend).toBe('wasm (core)');
    expect(relErr(res.J, dense.J.subarray(24 * 24, 2 * 24 * 24))).toBeLessThan(1e-12);
    await expect(recordJacobian({ ...base, record: 99 })).rejects.toThrow(/record 99 is out of range/);
  });
});
