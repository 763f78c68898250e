/** Derivatives of one case's solve: gradient, jvp field, θ-hessian and (chunked, with progress) Jacobians. */
import {
  jvp as coreJvp,
  type Tensor,
  tensor,
  valueAndGrad,
  valueGradHessian,
  vmap,
} from '../../../../core/index';
import { objectiveOf, sigmaOfTheta, solve } from '../../../../core/rte/index';
import { checkLiveDerivative } from '../../model/budget';
import type {
  GradRequest,
  GradResult,
  HessianRequest,
  HessianResult,
  JacobianRequest,
  JacobianResult,
  JvpRequest,
  JvpResult,
  ProgressCallback,
} from '../api';
import { runCompiled } from './compiled';
import { checkCases, gridInfo } from './solve';
import { f64, now, rows, vec } from './tensors';

export const gridKey = (spec: { N: number; Nvx: number; CFL: number; tEnd: number; every: number }) =>
  `${spec.N}|${spec.Nvx}|${spec.CFL}|${spec.tEnd}|${spec.every}`;

/** The objective and its gradient w.r.t. Tini and sigma for every case at once: vmap(valueAndGrad). */
export async function gradient(req: GradRequest): Promise<GradResult> {
  const { spec, cases, objective, dtype } = req;
  gridInfo(spec);
  checkLiveDerivative(spec, { kind: 'grad', batch: cases.length, dtype });
  checkCases(spec, cases);
  const J = objectiveOf(spec, objective);
  const t0 = now();
  const { result, ran } = await runCompiled(
    `grad|${gridKey(spec)}|${JSON.stringify(objective)}`,
    (T: Tensor, s: Tensor) => vmap(valueAndGrad(J, { argnums: [0, 1] }))(T, s),
    [
      rows(
        cases.map((c) => c.Tini),
        spec.N,
        dtype,
      ),
      rows(
        cases.map((c) => c.sigma),
        spec.N,
        dtype,
      ),
    ],
  );
  const [value, [gT, gS]] = result as [Tensor, [Tensor, Tensor]];
  return {
    B: cases.length,
    N: spec.N,
    value: f64(value),
    dTini: f64(gT),
    dSigma: f64(gS),
    ms: now() - t0,
    backend: ran,
    dtype,
  };
}

export async function jvpField(req: JvpRequest): Promise<JvpResult> {
  const { spec, inputs, direction, dtype } = req;
  const grid = gridInfo(spec);
  const { R } = grid;
  checkLiveDerivative(spec, { kind: 'jvp', batch: 1, dtype });
  checkCases(spec, [inputs]);
  const zero = new Float64Array(spec.N);
  const t0 = now();
  const solveET = (Tini: Tensor, sigma: Tensor) => {
    const out = solve(spec, Tini, sigma);
    return [out.E, out.T];
  };
  const { result, ran } = await runCompiled(
    `jvp|${gridKey(spec)}`,
    (T: Tensor, s: Tensor, dT: Tensor, dS: Tensor) => coreJvp(solveET, [T, s], [dT, dS])[1],
    [
      vec(inputs.Tini, dtype),
      vec(inputs.sigma, dtype),
      vec(direction.Tini ?? zero, dtype),
      vec(direction.sigma ?? zero, dtype),
    ],
  );
  const [dE, dT] = result as [Tensor, Tensor];
  return { spec, grid, R, N: spec.N, dE: f64(dE), dT: f64(dT), ms: now() - t0, backend: ran, dtype };
}

/** Eigenvalues of a symmetric 2×2 matrix [a b; b d], ascending. */
export function eigenvalues2(a: number, b: number, d: number): [number, number] {
  const mean = (a + d) / 2;
  const radius = Math.hypot((a - d) / 2, b);
  return [mean - radius, mean + radius];
}

export async function thetaHessian(req: HessianRequest): Promise<HessianResult> {
  const { spec, inputs, theta, depth, objective, dtype } = req;
  gridInfo(spec);
  checkLiveDerivative(spec, { kind: 'hessian', batch: 1, dtype, params: 2 });
  checkCases(spec, [inputs]);
  if (!(Number.isFinite(depth) && Math.abs(depth) < 1))
    throw new Error(`the modulation depth d must satisfy |d| < 1 (got ${depth})`);
  if (!(theta.every(Number.isFinite) && theta[0] !== 0))
    throw new Error(`θ must be finite with θ₀ ≠ 0 (got ${theta.join(', ')})`);
  const J = objectiveOf(spec, objective);
  const family = sigmaOfTheta(spec.N, depth);
  // σ(θ) = σ_case · s(θ) / s(θ*): the case's σ at θ*, the seed family when σ_case = s(θ*)
  const atStar = f64(family(tensor(Float64Array.from(theta), { shape: [2], dtype: 'float64' })));
  const scale = inputs.sigma.map((v, i) => v / atStar[i]!);
  const objectiveOfTheta = (T0: Tensor, k: Tensor) => (th: Tensor) => J(T0, family(th).mul(k));
  const th = tensor(Float64Array.from(theta), { shape: [2], dtype: 'float64' }).to(dtype);
  const t0 = now();
  const { result, ran } = await runCompiled(
    `hessian|${gridKey(spec)}|${depth}|${JSON.stringify(objective)}`,
    // forward over forward: two parameters, so about half the work of valueAndGrad beside hessian
    (T0: Tensor, k: Tensor, t: Tensor) => valueGradHessian(objectiveOfTheta(T0, k))(t),
    [vec(inputs.Tini, dtype), vec(scale, dtype), th],
  );
  const [value, g, Ht] = result as [Tensor, Tensor, Tensor];
  const H = f64(Ht);
  const gv = f64(g);
  return {
    names: ['amplitude θ₀', 'phase θ₁'],
    value: value.item(),
    grad: [gv[0]!, gv[1]!],
    hessian: [H[0]!, H[1]!, H[2]!, H[3]!],
    eigenvalues: eigenvalues2(H[0]!, (H[1]! + H[2]!) / 2, H[3]!),
    ms: now() - t0,
    backend: ran,
    dtype,
  };
}

/**
 * ∂out[r, i]/∂in[j] for every record: forward mode over chunks of basis columns (one vmapped jvp each), so a
 * long evaluation reports progress between chunks.
 */
export async function jacobian(req: JacobianRequest, onProgress?: ProgressCallback): Promise<JacobianResult> {
  const { spec, inputs, output, input, dtype } = req;
  const { R } = gridInfo(spec);
  const { N } = spec;
  const chunk = Math.max(1, Math.min(N, req.chunk ?? 16));
  // every record's N×N block, `chunk` tangent columns at a time
  checkLiveDerivative(spec, { kind: 'jacobian', batch: 1, dtype, tangents: chunk, jacobianRecords: R });
  checkCases(spec, [inputs]);
  const Tini = vec(inputs.Tini, dtype);
  const sigma = vec(inputs.sigma, dtype);
  // the other input is an argument too, so one compiled program serves every edit
  const fOf = (x: Tensor, other: Tensor) => {
    const out = input === 'sigma' ? solve(spec, other, x) : solve(spec, x, other);
    return output === 'E' ? out.E : out.T;
  };
  const x = input === 'sigma' ? sigma : Tini;
  const J = new Float64Array(R * N * N);
  const t0 = now();
  for (let j0 = 0; j0 < N; j0 += chunk) {
    const seeds = seedBasis(N, j0, Math.min(N, j0 + chunk));
    const V = tensor(seeds, { shape: [seeds.length / N, N], dtype: 'float64' }).to(dtype as 'float64');
    const { result } = await runCompiled(
      `jacobian|${gridKey(spec)}|${output}|${input}`,
      (xx: Tensor, other: Tensor, VV: Tensor) =>
        vmap((v: Tensor) => coreJvp((u: Tensor) => fOf(u, other), [xx], [v])[1] as Tensor)(VV),
      [x, input === 'sigma' ? Tini : sigma, V],
    );
    const cols = f64(result as Tensor); // [c, R, N]
    scatterColumns(J, cols, R, N, (c) => [j0 + c]);
    onProgress?.({
      fraction: Math.min(N, j0 + chunk) / N,
      message: `Jacobian columns ${Math.min(N, j0 + chunk)}/${N}`,
    });
  }
  return { R, N, J, ms: now() - t0 };
}

/** Rows e_j for j in [j0, j1) as a [j1 − j0, N] array. */
export function seedBasis(N: number, j0: number, j1: number): Float64Array {
  const s = new Float64Array((j1 - j0) * N);
  for (let j = j0; j < j1; j++) s[(j - j0) * N + j] = 1;
  return s;
}

/**
 * Write column values into J [R, N, N]: `cols` is [c, R, N]; `targets(c)` lists the input indices column c feeds
 * (one for dense seeds; for coloured seeds the rows are split among a colour's columns by the caller's rule).
 */
export function scatterColumns(
  J: Float64Array,
  cols: Float64Array,
  R: number,
  N: number,
  targets: (c: number) => number[],
): void {
  const c = cols.length / (R * N);
  for (let k = 0; k < c; k++)
    for (const j of targets(k))
      for (let r = 0; r < R; r++)
        for (let i = 0; i < N; i++) J[(r * N + i) * N + j] = cols[(k * R + r) * N + i]!;
}
