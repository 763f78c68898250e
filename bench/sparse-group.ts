/**
 * The sparse-Jacobian group: ∂E(record 4)/∂σ on the seed problem (case k = 1), dense jacfwd (one pass per
 * column) against detection + colouring + compressed jacfwd (one pass per colour), measured in the same run.
 */
import {
  abs,
  amax,
  colorColumns,
  currentBackend,
  jacfwd,
  jacobianSparsity,
  sparseJacfwd,
  sub,
  type Tensor,
} from '../core/index';
import { recordOf, SEED_SPEC, seedCases } from '../core/rte/index';
import { sig } from './stats';

export interface SparseRow {
  name: string;
  backend: string;
  dtype: string;
  nnz: number;
  colors: number;
  passes_dense: number;
  passes_sparse: number;
  /** passes_dense / passes_sparse (goal ≥ 4.7). */
  pass_ratio: number | null;
  dense_s: number | null;
  detect_s: number | null;
  color_s: number | null;
  sparse_eval_s: number | null;
  /** dense_s / compressed evaluation (goal ≥ 4): the pattern and colouring are reused across evaluations. */
  time_ratio: number | null;
  /** dense_s / (detection + colouring + compressed evaluation): a one-off Jacobian. */
  time_ratio_first: number | null;
  /** detection time over the dense Jacobian's (goal < 0.1). */
  detect_over_dense: number | null;
  /** max |sparse − dense| / max |dense|. */
  rel_err: number | null;
}

const seconds = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const out = f();
  return [out, (performance.now() - t0) / 1000];
};

export function runSparseGroup(log: (m: string) => void = () => {}): SparseRow {
  const record = 4;
  const { Tini, sigma } = seedCases(SEED_SPEC.N, [1]);
  const e4 = recordOf(SEED_SPEC, 'E', record);
  const f = (s: Tensor) => e4(Tini.get(0), s);
  const s0 = sigma.get(0);
  // Warm up every path on a coarse grid so compiled code is not part of the timings.
  const small = { ...SEED_SPEC, N: 40 };
  const fs = (s: Tensor) => recordOf(small, 'E', record)(seedCases(40, [1]).Tini.get(0), s);
  sparseJacfwd(fs)(seedCases(40, [1]).sigma.get(0));
  jacfwd(fs)(seedCases(40, [1]).sigma.get(0));

  log(`sparse_E4: dense jacfwd (${SEED_SPEC.N} passes) ...`);
  const [dense, denseS] = seconds(() => jacfwd(f)(s0) as Tensor);
  log('sparse_E4: detection, colouring, compressed jacfwd ...');
  const [pattern, detectS] = seconds(() => jacobianSparsity(f)(s0));
  const [coloring, colorS] = seconds(() => colorColumns(pattern));
  const [sparse, evalS] = seconds(() => sparseJacfwd(f, { pattern, coloring })(s0));
  const total = detectS + colorS + evalS;
  return {
    name: 'sparse_E4',
    backend: currentBackend().name,
    dtype: 'float64',
    nnz: pattern.nnz,
    colors: coloring.count,
    passes_dense: SEED_SPEC.N,
    passes_sparse: sparse.passes,
    pass_ratio: sig(SEED_SPEC.N / sparse.passes),
    dense_s: sig(denseS, 4),
    detect_s: sig(detectS, 4),
    color_s: sig(colorS, 4),
    sparse_eval_s: sig(evalS, 4),
    time_ratio: sig(denseS / evalS),
    time_ratio_first: sig(denseS / total),
    detect_over_dense: sig(detectS / denseS),
    rel_err: sig(amax(abs(sub(sparse.toDense(), dense))).item() / amax(abs(dense)).item(), 3),
  };
}
