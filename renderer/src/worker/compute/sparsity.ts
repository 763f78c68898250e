/**
 * Jacobian structure for the sparsity panel. The pattern and the column colouring come from core's sparse
 * module (structural sparsity detection, colouring, compressed jacfwd); the dense Jacobian is still computed for
 * the spy plot's values. If detection fails, the pattern falls back to the dense Jacobian's nonzeros with a
 * greedy colouring (`patternOf`, `colourColumns` below).
 */
import {
  type Coloring,
  colorColumns,
  jvp as coreJvp,
  jacobianSparsity,
  type SparsityPattern,
  type Tensor,
  tensor,
  vmap,
} from '../../../../core/index';
import { resolveRecord, solve } from '../../../../core/rte/index';
import { checkLiveDerivative } from '../../model/budget';
import type {
  CompressedRequest,
  JacobianRequest,
  PatternStats,
  ProgressCallback,
  RecordJacobianResult,
  SparsityResult,
} from '../api';
import { runCompiled } from './compiled';
import { gridKey, jacobian } from './derivatives';
import { checkCases, gridInfo } from './solve';
import { f64, now, vec } from './tensors';

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

/** Per-record structure of the whole run, per grid, output and input: structural, so computed once. */
const growthCache = new Map<string, PatternStats[]>();

export async function sparsity(req: JacobianRequest, onProgress?: ProgressCallback): Promise<SparsityResult> {
  const jac = await jacobian(req, onProgress);
  const { R, N, J } = jac;
  const key = `${gridKey(req.spec)}|${req.output}|${req.input}`;
  const known = growthCache.get(key);
  if (known) return { ...jac, stats: known, source: 'core-sparse', structureMs: 0 };
  const t0 = now();
  try {
    onProgress?.({ fraction: null, message: 'detecting the sparsity pattern' });
    const { f, x } = problem(req);
    const all = jacobianSparsity(f)(x); // rows: R·N outputs, columns: N inputs
    const stats = Array.from({ length: R }, (_, r) => {
      onProgress?.({ fraction: r / R, message: `structure of record ${r + 1}/${R} (once per grid)` });
      return statsOfCore(all.sliceRows(r * N, (r + 1) * N));
    });
    growthCache.set(key, stats);
    if (growthCache.size > PATTERNS_KEEP) growthCache.delete(growthCache.keys().next().value!);
    return { ...jac, stats, source: 'core-sparse', structureMs: now() - t0 };
  } catch {
    const stats = Array.from({ length: R }, (_, r) => statsOf(patternOf(J, N, r * N * N)));
    return { ...jac, stats, source: 'dense-nonzeros', structureMs: now() - t0 };
  }
}

/** The function of one input (sigma or Tini) whose Jacobian is asked for: all records. */
function problem(req: JacobianRequest) {
  const { spec, inputs, output, input, dtype } = req;
  gridInfo(spec);
  checkCases(spec, [inputs]);
  const Tini = vec(inputs.Tini, dtype);
  const sigma = vec(inputs.sigma, dtype);
  const f = (x: Tensor) => {
    const out = input === 'sigma' ? solve(spec, Tini, x) : solve(spec, x, sigma);
    return output === 'E' ? out.E : out.T;
  };
  return { f, x: input === 'sigma' ? sigma : Tini };
}

function statsOfCore(p: SparsityPattern): PatternStats {
  let bandwidth = 0;
  for (let i = 0; i < p.rows; i++)
    for (const j of p.row(i)) bandwidth = Math.max(bandwidth, circular(i, j, p.cols));
  // a full pattern needs every column its own colour: no graph to colour; otherwise one greedy pass in natural
  // order, straight from the rows (the growth plot's count; the live record's Jacobian tries every order and
  // refines for the fewest jvps)
  const colours =
    p.nnz === 0 ? 0 : p.isFull ? p.cols : colorColumns(p, { order: 'natural', refine: 0 }).count;
  return { nnz: p.nnz, bandwidth, colours };
}

/** Pattern and colouring of one record's Jacobian: structural, so one detection serves every input value. */
const recordPatterns = new Map<string, { pattern: SparsityPattern; coloring: Coloring; ms: number }>();
const PATTERNS_KEEP = 16;

/**
 * One record's Jacobian by compressed forward mode: core's sparsity detection and column colouring (cached per
 * grid, output, input and record), then one jvp per colour, vmapped and compiled, and decompressed to [N, N].
 */
export async function recordJacobian(req: CompressedRequest): Promise<RecordJacobianResult> {
  const { spec, inputs, output, input, dtype } = req;
  gridInfo(spec);
  checkCases(spec, [inputs]);
  const { N } = spec;
  const r = resolveRecord(spec, req.record);
  const job = { kind: 'jacobian', batch: 1, dtype, records: r + 1 } as const;
  // the upwind step reaches one cell each way, so a row of record r spans at most 2·steps + 1 cells: detection
  // carries index sets that wide, and the evaluation one tangent per colour (checked again once they are known)
  const steps = 1 + r * spec.every;
  checkLiveDerivative(spec, { ...job, columns: Math.min(N, 2 * steps + 1) });
  const f = (x: Tensor, other: Tensor) => {
    const out =
      input === 'sigma'
        ? solve(spec, other, x, { records: r + 1 })
        : solve(spec, x, other, { records: r + 1 });
    return (output === 'E' ? out.E : out.T).get(r);
  };
  const x = vec(input === 'sigma' ? inputs.sigma : inputs.Tini, 'float64');
  const other = vec(input === 'sigma' ? inputs.Tini : inputs.sigma, 'float64');
  const key = `${gridKey(spec)}|${output}|${input}|${r}`;
  let found = recordPatterns.get(key);
  if (!found) {
    const t = now();
    const pattern = jacobianSparsity((u: Tensor) => f(u, other))(x);
    found = { pattern, coloring: colorColumns(pattern), ms: now() - t };
    recordPatterns.set(key, found);
    if (recordPatterns.size > PATTERNS_KEEP) recordPatterns.delete(recordPatterns.keys().next().value!);
  }
  const { pattern, coloring } = found;
  const C = Math.max(1, coloring.count);
  checkLiveDerivative(spec, { ...job, columns: C });
  const seeds = new Float64Array(C * N);
  coloring.colors.forEach((c, j) => {
    seeds[c * N + j] = 1;
  });
  const t0 = now();
  const { result, ran } = await runCompiled(
    `cjac|${key}`,
    (xx: Tensor, oo: Tensor, S: Tensor) =>
      vmap((v: Tensor) => coreJvp((u: Tensor) => f(u, oo), [xx], [v])[1] as Tensor)(S),
    [x.to(dtype), other.to(dtype), tensor(seeds, { shape: [C, N], dtype: 'float64' }).to(dtype)],
  );
  const BT = f64(result as Tensor); // [C, N]: row c is J · (sum of the columns of colour c)
  const J = new Float64Array(N * N);
  let bandwidth = 0;
  for (let i = 0; i < N; i++)
    for (let k = pattern.rowPtr[i]!; k < pattern.rowPtr[i + 1]!; k++) {
      const j = pattern.colIdx[k]!;
      J[i * N + j] = BT[coloring.colors[j]! * N + i]!;
      bandwidth = Math.max(bandwidth, circular(i, j, N));
    }
  return {
    record: r,
    N,
    J,
    nnz: pattern.nnz,
    bandwidth,
    colours: coloring.count,
    ms: now() - t0,
    detectMs: found.ms,
    backend: ran,
    dtype,
  };
}
