/**
 * Compressed Jacobians and Hessians: with a colouring of the sparsity pattern, one jvp (or vjp) per colour
 * instead of one per column (row), all colours in one vmap over the seed matrix, then decompression into CSR.
 * When every colour holds a single column the pattern gives nothing to compress: the result says `dense` and
 * comes from the plain basis (as jacfwd/jacrev compute it).
 */

import type { Argnums } from '../api/args';
import { eye, tensor, zerosLike } from '../ops/creation';
import { cast } from '../ops/elementwise';
import { cat, reshape, sliceAxis } from '../ops/shape';
import type { Tensor } from '../tensor/tensor';
import { jvpFlat } from '../transforms/jvp';
import { vjpFlat } from '../transforms/vjp';
import { materialize, vmapFlat } from '../transforms/vmap';
import { offsetsOf } from '../util/arrays';
import {
  type Coloring,
  colorColumns,
  colorRows,
  colorSymmetric,
  isColumnColoring,
  isStarColoring,
} from './coloring';
import { flatProblem, gradFlat, patternOf } from './detect';
import { SparseMatrix, type SparsityPattern } from './pattern';

/** How a {@link SparseJacobian} was evaluated: jvps (forward), vjps (reverse) or forward-over-reverse (hessian). */
export type SparseMode = 'forward' | 'reverse' | 'hessian';

/** A Jacobian (or Hessian) in CSR form, with how it was computed. */
export class SparseJacobian extends SparseMatrix {
  constructor(
    pattern: SparsityPattern,
    values: Float64Array,
    readonly mode: SparseMode,
    readonly coloring: Coloring,
    /** Every colour held one column (row): computed by the plain dense basis, nothing compressed. */
    readonly dense: boolean,
    /** jvp (forward, hessian) or vjp (reverse) directions evaluated: colours, or n when dense. */
    readonly passes: number,
  ) {
    super(pattern, values);
  }
}

/** Options of {@link sparseJacfwd}, {@link sparseJacrev} and {@link sparseHessian}. */
export interface SparseJacobianOptions {
  argnums?: Argnums;
  /** The pattern to use; detected when left out. */
  pattern?: SparsityPattern;
  /** Detect the pattern at the given point (enough for this one evaluation) instead of globally. */
  local?: boolean;
  /** A colouring of that pattern: column (jacfwd), row (jacrev), star or column (hessian); computed when left out. */
  coloring?: Coloring;
}

/** Cut a flat vector into pieces shaped (and typed) like `like`. */
function pieces(v: Tensor, like: readonly Tensor[]): Tensor[] {
  const offs = offsetsOf(like.map((x) => x.size));
  return like.map((x, i) => cast(reshape(sliceAxis(v, 0, offs[i]!, offs[i]! + x.size), x.shape), x.dtype));
}

/** One-hot rows: seed c has a 1 at every index of colour c; the identity when dense. */
function seedMatrix(colors: Int32Array, count: number, dense: boolean): Tensor {
  const n = colors.length;
  if (dense) return eye(n);
  const data = new Float64Array(count * n);
  colors.forEach((c, j) => {
    data[c * n + j] = 1;
  });
  return tensor(data, { shape: [count, n] });
}

/** vmap `fn` over the seed rows; its outputs flattened and joined: a [rows, total] array of numbers. */
function overSeeds(fn: (v: Tensor) => Tensor[], seeds: Tensor): Float64Array {
  const c = seeds.shape[0]!;
  const [outs, dims] = vmapFlat(([v]) => fn(v!), [seeds], [0], c);
  const rows = outs.map((o, i) => reshape(cast(materialize(o, dims[i]!, c), 'float64'), [c, -1]));
  const joined = rows.length === 1 ? rows[0]! : cat(rows, 1);
  return Float64Array.from(joined.concrete('sparse Jacobian').data);
}

function checkPattern(op: string, p: SparsityPattern, rows: number, cols: number): void {
  if (p.rows !== rows || p.cols !== cols)
    throw new Error(`${op}: the pattern is ${p.rows}×${p.cols} but the Jacobian is ${rows}×${cols}`);
}

function checkColoring(
  op: string,
  c: Coloring,
  kinds: readonly string[],
  length: number,
  valid: boolean,
): void {
  if (!kinds.includes(c.kind))
    throw new Error(`${op}: needs a ${kinds.join(' or ')} colouring, got a ${c.kind} one`);
  if (c.colors.length !== length)
    throw new Error(`${op}: the colouring colours ${c.colors.length} vertices, the pattern has ${length}`);
  if (!valid) throw new Error(`${op}: the colouring is not a valid ${c.kind} colouring of the pattern`);
}

/** Forward-mode compressed Jacobian: J·S by one vmapped jvp over the colours, then J[i,j] = (J·S)[i, colour(j)]. */
export function sparseJacfwd(
  f: (...a: any[]) => any,
  opts: SparseJacobianOptions = {},
): (...args: any[]) => SparseJacobian {
  const op = 'sparseJacfwd';
  return (...args) => {
    const { leaves, flatF, n } = flatProblem(op, f, args, opts.argnums ?? 0);
    const pattern = opts.pattern ?? patternOf(flatF, leaves, !!opts.local);
    const coloring = opts.coloring ?? colorColumns(pattern);
    if (opts.coloring)
      checkColoring(
        op,
        coloring,
        ['column'],
        n,
        pattern.cols === n && isColumnColoring(pattern, coloring.colors),
      );
    const dense = coloring.count === n;
    const BT = overSeeds(
      (v) => {
        const [primals, tangents] = jvpFlat(flatF, leaves, pieces(v, leaves));
        return primals.map((p, i) => tangents[i] ?? zerosLike(p));
      },
      seedMatrix(coloring.colors, coloring.count, dense),
    );
    const m = BT.length / (dense ? n : Math.max(1, coloring.count));
    checkPattern(op, pattern, m, n);
    const values = new Float64Array(pattern.nnz);
    for (let i = 0; i < pattern.rows; i++)
      for (let k = pattern.rowPtr[i]!; k < pattern.rowPtr[i + 1]!; k++) {
        const j = pattern.colIdx[k]!;
        values[k] = BT[(dense ? j : coloring.colors[j]!) * m + i]!;
      }
    return new SparseJacobian(pattern, values, 'forward', coloring, dense, dense ? n : coloring.count);
  };
}

/** Reverse-mode compressed Jacobian: Sᵀ·J by one vmapped pullback over the row colours. */
export function sparseJacrev(
  f: (...a: any[]) => any,
  opts: SparseJacobianOptions = {},
): (...args: any[]) => SparseJacobian {
  const op = 'sparseJacrev';
  return (...args) => {
    const { leaves, flatF, n } = flatProblem(op, f, args, opts.argnums ?? 0);
    const [outs, pullback] = vjpFlat(flatF, leaves);
    const m = outs.reduce((s, o) => s + o.size, 0);
    const pattern = opts.pattern ?? patternOf(flatF, leaves, !!opts.local);
    checkPattern(op, pattern, m, n);
    const coloring = opts.coloring ?? colorRows(pattern);
    if (opts.coloring)
      checkColoring(op, coloring, ['row'], m, isColumnColoring(pattern.transpose(), coloring.colors));
    const dense = coloring.count === m;
    const B = overSeeds(
      (v) => pullback(pieces(v, outs)).map((g, i) => g ?? zerosLike(leaves[i]!)),
      seedMatrix(coloring.colors, coloring.count, dense),
    );
    const values = new Float64Array(pattern.nnz);
    for (let i = 0; i < m; i++) {
      const row = (dense ? i : coloring.colors[i]!) * n;
      for (let k = pattern.rowPtr[i]!; k < pattern.rowPtr[i + 1]!; k++)
        values[k] = B[row + pattern.colIdx[k]!]!;
    }
    return new SparseJacobian(pattern, values, 'reverse', coloring, dense, dense ? m : coloring.count);
  };
}

const fewer = (a: Coloring, b: Coloring) => (b.count < a.count ? b : a);

/**
 * Hessian of a scalar f: H·S by a vmapped jvp of the gradient (forward over reverse). A star colouring of the
 * symmetric pattern recovers H[i,j] at row i when j is the only one of its colour there, else as H[j,i]; a
 * column colouring recovers it directly. By default both are computed and the one with fewer colours is used.
 */
export function sparseHessian(
  f: (...a: any[]) => any,
  opts: SparseJacobianOptions = {},
): (...args: any[]) => SparseJacobian {
  const op = 'sparseHessian';
  return (...args) => {
    const { leaves, flatF, n } = flatProblem(op, f, args, opts.argnums ?? 0);
    const g = gradFlat(op, flatF);
    const given = opts.pattern ?? patternOf(g, leaves, !!opts.local);
    checkPattern(op, given, n, n);
    const pattern = given.union(given.transpose());
    const coloring = opts.coloring ?? fewer(colorSymmetric(pattern), colorColumns(pattern));
    if (opts.coloring)
      checkColoring(
        op,
        coloring,
        ['star', 'column'],
        n,
        coloring.kind === 'star'
          ? isStarColoring(pattern, coloring.colors)
          : isColumnColoring(pattern, coloring.colors),
      );
    const dense = coloring.count === n;
    const BT = overSeeds(
      (v) => {
        const [primals, tangents] = jvpFlat(g, leaves, pieces(v, leaves));
        return primals.map((p, i) => tangents[i] ?? zerosLike(p));
      },
      seedMatrix(coloring.colors, coloring.count, dense),
    );
    const colors = coloring.colors;
    const at = (c: number, i: number) => BT[c * n + i]!;
    const values = new Float64Array(pattern.nnz);
    const count = new Int32Array(Math.max(1, coloring.count));
    for (let i = 0; i < n; i++) {
      const row = pattern.row(i);
      const base = pattern.rowPtr[i]!;
      if (dense || coloring.kind === 'column') {
        row.forEach((j, k) => {
          values[base + k] = at(dense ? j : colors[j]!, i);
        });
        continue;
      }
      for (const j of row) count[colors[j]!]!++;
      row.forEach((j, k) => {
        values[base + k] = count[colors[j]!] === 1 ? at(colors[j]!, i) : at(colors[i]!, j);
      });
      for (const j of row) count[colors[j]!] = 0;
    }
    return new SparseJacobian(pattern, values, 'hessian', coloring, dense, dense ? n : coloring.count);
  };
}
