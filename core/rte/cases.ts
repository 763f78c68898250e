/** Input presets: the seed's cases and a few physically meaningful shapes. */
import { tensor } from '../ops/creation';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { cellCentres, type RteSpec } from './spec';

/** The seed's grid: 400 cells, 8 ordinates, CFL 0.8 to t = 1 (Nt = 500 steps), E and T every 10 steps. */
export const SEED_SPEC: RteSpec = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };

/** The seed's case k: Tini, sigma on the grid of N cells (L = 1). */
export function seedCase(N: number, k: number): { Tini: Float64Array; sigma: Float64Array } {
  const x = cellCentres(N);
  const amp = 1 + Math.sin(k);
  return {
    Tini: x.map((xi) => (1 + 0.1 * Math.sin(2 * Math.PI * xi + Math.sin(k))) * amp),
    sigma: x.map((xi) => (1 + 0.1 * Math.sin(2 * Math.PI * xi + Math.sin(k + 1))) * amp),
  };
}

/** The seed's batch (cases k = 1..4 by default) as [B, N] tensors. */
export function seedCases(N: number, ks: readonly number[] = [1, 2, 3, 4], dtype: DType = 'float64') {
  const cases = ks.map((k) => seedCase(N, k));
  const stackRows = (rows: Float64Array[]) => {
    const flat = new Float64Array(rows.length * N);
    rows.forEach((r, i) => {
      flat.set(r, i * N);
    });
    return tensor(flat, { shape: [rows.length, N], dtype });
  };
  return { Tini: stackRows(cases.map((c) => c.Tini)), sigma: stackRows(cases.map((c) => c.sigma)) };
}

/**
 * The reference's σ family on the cell centres of N cells: σ(x; θ) = θ0 · (1 + depth · sin(2πx + θ1)), amplitude
 * θ0 and phase θ1 (the hessian and jvp-field cases), in θ's dtype.
 */
export function sigmaOfTheta(N: number, depth = 0.1): (theta: Tensor) => Tensor {
  const x = tensor(cellCentres(N));
  return (th) =>
    x
      .to(th.dtype as DType)
      .mul(2 * Math.PI)
      .add(th.get(1))
      .sin()
      .mul(depth)
      .add(1)
      .mul(th.get(0));
}
