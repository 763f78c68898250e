/**
 * Jacobian structure for the sparsity panel. The pattern and the column colouring come from core's sparse
 * module (structural sparsity detection, colouring, compressed jacfwd); the dense Jacobian is still computed for
 * the spy plot's values. If detection fails, the pattern falls back to the dense Jacobian's nonzeros with a
 * greedy colouring (`patternOf`, `colourColumns` below).
 */
import {
  colorColumns,
  jacobianSparsity,
  SparsityPattern,
  sparseJacfwd,
  type Tensor,
} from '../../../../core/index';
import { solve } from '../../../../core/rte/index';
import type {
  CompressedRequest,
  CompressedResult,
  JacobianRequest,
  PatternStats,
  ProgressCallback,
  SparsityResult,
} from '../api';
import { columnsOf, jacobian } from './derivatives';
import { checkCases, gridInfo } from './solve';
import { now, vec } from './tensors';

/** Column lists of the nonzero rows of an N×N block (J is [.., N, N] row-major; offset picks the block). */
export interface Pattern {
  N: number;
  /** rowsOfCol[j] = the rows i with J[i, j] ≠ 0, ascending. */
  rowsOfCol: number[][];
}

export function patternOf(J: Float64Array, N: number, offset = 0, tol = 0): Pattern {
  const rowsOfCol: number[][] = Array.from({ length: N }, () => []);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) if (Math.abs(J[offset + i * N + j]!) > tol) rowsOfCol[j]!.push(i);
  return { N, rowsOfCol };
}

const circular = (i: number, j: number, N: number) => Math.min(Math.abs(i - j), N - Math.abs(i - j));

/** Greedy colouring: columns that share a nonzero row get different colours. Returns colour per column. */
export function colourColumns(p: Pattern): number[] {
  const { N, rowsOfCol } = p;
  const colsOfRow: number[][] = Array.from({ length: N }, () => []);
  rowsOfCol.forEach((rs, j) => {
    for (const i of rs) colsOfRow[i]!.push(j);
  });
  const colour = new Array<number>(N).fill(-1);
  for (let j = 0; j < N; j++) {
    const taken = new Set<number>();
    for (const i of rowsOfCol[j]!) for (const k of colsOfRow[i]!) if (colour[k]! >= 0) taken.add(colour[k]!);
    let c = 0;
    while (taken.has(c)) c++;
    colour[j] = c;
  }
  return colour;
}

export function statsOf(p: Pattern): PatternStats {
  let nnz = 0;
  let bandwidth = 0;
  p.rowsOfCol.forEach((rs, j) => {
    nnz += rs.length;
    for (const i of rs) bandwidth = Math.max(bandwidth, circular(i, j, p.N));
  });
  const colours = nnz === 0 ? 0 : Math.max(...colourColumns(p)) + 1;
  return { nnz, bandwidth, colours };
}

export async function sparsity(req: JacobianRequest, onProgress?: ProgressCallback): Promise<SparsityResult> {
  const jac = await jacobian(req, onProgress);
  const { R, N, J } = jac;
  try {
    onProgress?.({ fraction: null, message: 'detecting the sparsity pattern' });
    const { f, x } = problem(req);
    const all = jacobianSparsity(f)(x); // rows: R·N outputs, columns: N inputs
    const stats = Array.from({ length: R }, (_, r) => statsOfCore(recordPattern(all, r, N)));
    return { ...jac, stats, source: 'core-sparse' };
  } catch {
    const stats = Array.from({ length: R }, (_, r) => statsOf(patternOf(J, N, r * N * N)));
    return { ...jac, stats, source: 'dense-nonzeros' };
  }
}

/** The function of one input (sigma or Tini) whose Jacobian is asked for: all records, or one. */
function problem(req: JacobianRequest, record?: number) {
  const { spec, inputs, output, input, dtype } = req;
  gridInfo(spec);
  checkCases(spec, [inputs]);
  const Tini = vec(inputs.Tini, dtype);
  const sigma = vec(inputs.sigma, dtype);
  const f = (x: Tensor) => {
    const out = input === 'sigma' ? solve(spec, Tini, x) : solve(spec, x, sigma);
    const y = output === 'E' ? out.E : out.T;
    return record === undefined ? y : y.get(record);
  };
  return { f, x: input === 'sigma' ? sigma : Tini };
}

/** Rows r·N … (r+1)·N − 1 of a pattern over all records, as an N×N pattern. */
function recordPattern(all: SparsityPattern, r: number, N: number): SparsityPattern {
  const entries: [number, number][] = [];
  for (let i = 0; i < N; i++) for (const j of all.row(r * N + i)) entries.push([i, j]);
  return SparsityPattern.fromEntries(N, N, entries);
}

function statsOfCore(p: SparsityPattern): PatternStats {
  let bandwidth = 0;
  for (let i = 0; i < p.rows; i++)
    for (const j of p.row(i)) bandwidth = Math.max(bandwidth, circular(i, j, p.cols));
  return { nnz: p.nnz, bandwidth, colours: p.nnz === 0 ? 0 : colorColumns(p).count };
}

/** Evaluate one record's Jacobian with one jvp per colour (core's sparseJacfwd) and compare with the dense one. */
export function compressed(req: CompressedRequest, onProgress?: ProgressCallback): CompressedResult {
  const { spec, dtype, record } = req;
  const { R } = gridInfo(spec);
  const { N } = spec;
  if (!Number.isInteger(record) || record < 0 || record >= R)
    throw new Error(`record ${record} is out of range 0..${R - 1}`);
  const { f, x } = problem(req, record);

  onProgress?.({ fraction: 0, message: 'dense evaluation' });
  let t0 = now();
  const dense = columnsOf(identity(N), x, f, dtype); // [N (columns), N (rows)]
  const denseMs = now() - t0;

  onProgress?.({ fraction: 0.4, message: 'sparsity detection and colouring' });
  const pattern = jacobianSparsity(f)(x);
  const coloring = colorColumns(pattern);
  onProgress?.({ fraction: 0.5, message: `compressed evaluation, ${coloring.count} colours` });
  t0 = now();
  const sparse = sparseJacfwd(f, { pattern, coloring })(x);
  const ms = now() - t0;
  let maxAbsErr = 0;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++)
      maxAbsErr = Math.max(maxAbsErr, Math.abs(sparse.get(i, j) - dense[j * N + i]!));
  onProgress?.({ fraction: 1, message: 'done' });
  return { record, colours: sparse.passes, ms, maxAbsErr, denseMs };
}

function identity(N: number): Float64Array {
  const I = new Float64Array(N * N);
  for (let j = 0; j < N; j++) I[j * N + j] = 1;
  return I;
}
