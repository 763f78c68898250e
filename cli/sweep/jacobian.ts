/**
 * Jacobians of a record in a sweep. Dense: jacfwd, [N, N] per case. Sparse: the pattern of a record on a fixed
 * grid does not depend on the case's values, so it is detected and coloured once per spec (as `rte jacobian
 * --mode sparse` does for one case); each case then runs one tangent per colour inside the compiled shard
 * program, and the host reads the pattern's values off the compressed product.
 */
import { jvp, type Tensor, tensor, vmap } from '../../core/index';
import { recordOf } from '../../core/rte/index';
import { forwardMode } from '../jacobian-modes/fwd';
import { type SparsePlan, sparsePlan } from '../jacobian-modes/sparse';
import type { Sweep, SweepJacobian } from './spec';

/** The record as a function of the differentiated input, the other input held at the case's value. */
function recordFunction(sweep: Sweep, j: SweepJacobian, Tini: Tensor, sigma: Tensor) {
  const out = recordOf(sweep.grid, j.output, j.recordIndex);
  return j.wrt === 'Tini' ? (x: Tensor) => out(x, sigma) : (x: Tensor) => out(Tini, x);
}

const plans = new WeakMap<Sweep, Map<string, SparsePlan>>();

/** The Jacobian's pattern and colouring, detected once per sweep (on case 0: any case gives the same). */
export function sweepSparsePlan(sweep: Sweep, j: SweepJacobian): SparsePlan {
  const byStem = plans.get(sweep) ?? new Map<string, SparsePlan>();
  plans.set(sweep, byStem);
  let plan = byStem.get(j.stem);
  if (!plan) {
    const { Tini, sigma } = sweep.inputs(0);
    const [t, s] = [tensor(Tini), tensor(sigma)];
    plan = sparsePlan(recordFunction(sweep, j, t, s), j.wrt === 'Tini' ? t : s);
    byStem.set(j.stem, plan);
  }
  return plan;
}

/** The pattern's entries as COO row and column indices (CSR order: by row, columns ascending). */
export function cooOf({ pattern }: SparsePlan): { rows: Int32Array; cols: Int32Array } {
  const rows = new Int32Array(pattern.nnz);
  for (let i = 0; i < pattern.rows; i++) rows.fill(i, pattern.rowPtr[i]!, pattern.rowPtr[i + 1]!);
  return { rows, cols: Int32Array.from(pattern.colIdx) };
}

/**
 * One case's traced Jacobian: dense [N, N], or sparse the compressed product [colours, N] (row c: J times
 * the seed of colour c), which {@link decompress} turns into the pattern's values.
 */
export function caseJacobian(sweep: Sweep, j: SweepJacobian, Tini: Tensor, sigma: Tensor): Tensor {
  const f = recordFunction(sweep, j, Tini, sigma);
  const x = j.wrt === 'Tini' ? Tini : sigma;
  if (j.layout === 'dense') return forwardMode.dense!(f)(x);
  const { coloring } = sweepSparsePlan(sweep, j);
  const N = sweep.grid.N;
  const seeds = new Float64Array(coloring.count * N);
  coloring.colors.forEach((c, col) => {
    seeds[c * N + col] = 1;
  });
  const tangents = tensor(seeds, { shape: [coloring.count, N], dtype: x.dtype });
  return vmap((v: Tensor) => (jvp(f, [x], [v]) as [Tensor, Tensor])[1])(tangents) as Tensor;
}

/**
 * The pattern's values, case by case, from compressed products [cases, colours, N]: J[i, col] is row i of the
 * product of col's colour (no other column of that colour reaches row i).
 */
export function decompress(
  plan: SparsePlan,
  compressed: Float64Array | Float32Array,
  cases: number,
): Float64Array | Float32Array {
  const { pattern, coloring } = plan;
  const per = coloring.count * pattern.rows;
  const out =
    compressed instanceof Float32Array
      ? new Float32Array(cases * pattern.nnz)
      : new Float64Array(cases * pattern.nnz);
  for (let c = 0; c < cases; c++)
    for (let i = 0; i < pattern.rows; i++)
      for (let k = pattern.rowPtr[i]!; k < pattern.rowPtr[i + 1]!; k++)
        out[c * pattern.nnz + k] =
          compressed[c * per + coloring.colors[pattern.colIdx[k]!]! * pattern.rows + i]!;
  return out;
}
