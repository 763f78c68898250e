/**
 * Up-front sizes of a run, from the grid and the batch alone: cells, steps, output bytes, working memory and
 * work (cell updates), so a run that cannot fit is refused before any memory is taken or any step is run.
 * The figures are estimates on the safe side, not measurements; RTE_BUDGET says what is allowed by default.
 */
import type { DType } from '../tensor/dtype';
import { type RteSpec, RteSpecError, rteGrid } from './spec';

export type RteJobKind = 'solve' | 'grad' | 'jvp' | 'jacobian' | 'hessian';

export interface RteJob {
  kind: RteJobKind;
  /** Number of cases (a Jacobian is of one case). */
  batch: number;
  dtype: Extract<DType, 'float64' | 'float32'>;
  /** Records actually computed (a Jacobian of record r computes r + 1); all of the grid's by default. */
  records?: number;
  /** Jacobian: records in the result (every record's Jacobian: all of them); one by default. */
  jacobianRecords?: number;
  /** Jacobian: tangent columns carried at once (chunked or compressed forward mode); all N by default. */
  tangents?: number;
  /** Jacobian: tangent columns in all (compressed forward mode: one per colour); N by default. */
  columns?: number;
  /** Hessian: the parameters it is taken over (forward over reverse: one tangent each); 2 by default. */
  params?: number;
}

export interface RteWorkEstimate {
  cases: number;
  /** Cells over all cases: B·N. */
  cells: number;
  ordinates: number;
  /** Time steps run. */
  steps: number;
  records: number;
  /** Bytes of the results (every output file together). */
  outputBytes: number;
  /** Peak memory of the run, about: inputs, the state and its temporaries, records, results and their encoding. */
  workingBytes: number;
  /** Ordinate-cell updates: B · lanes · N · Nvx · steps (lanes: tangents or cotangents carried along). */
  cellUpdates: number;
}

export interface RteBudget {
  /** Working memory allowed, in bytes. */
  maxBytes: number;
  /** Cell updates allowed (about 1 ns each compiled, 10–20 ns eager). */
  maxCellUpdates: number;
}

/** The default budget: 4 GiB of memory, 10¹² cell updates (~20 minutes compiled, hours eager). */
export const RTE_BUDGET: RteBudget = { maxBytes: 4 * 2 ** 30, maxCellUpdates: 1e12 };

/** Live temporaries of one solver step, in states: the step's ops each materialise a state-sized array. */
const STEP_TEMPORARIES = 12;

export class RteBudgetError extends RteSpecError {
  override name = 'RteBudgetError';
}

/** Sizes of a job on a grid (the grid is checked first: RteSpecError for a bad one). */
export function estimateRteWork(
  spec: RteSpec,
  job: RteJob,
  opts: { allowUnstable?: boolean } = {},
): RteWorkEstimate {
  const g = rteGrid(spec, opts);
  const { N, Nvx, every } = spec;
  const B = job.batch;
  const R = Math.min(job.records ?? g.R, g.R);
  const steps = 1 + (R - 1) * every;
  const item = job.dtype === 'float32' ? 4 : 8;
  // tangents (jvp: one, Jacobian: one per input cell or per chunk, hessian: one per parameter) or
  // cotangents carried with the primal state: `lanes` of them in memory at once, `workLanes` in all
  const params = job.params ?? 2;
  const columns = Math.min(N, job.columns ?? N);
  const tangents = Math.min(columns, job.tangents ?? columns);
  const lanes = { solve: 1, grad: 1, jvp: 2, jacobian: tangents + 1, hessian: params + 1 }[job.kind];
  // each pass over `tangents` columns runs the primal too; the θ-hessian's value and gradient come along
  const passes = Math.ceil(columns / tangents);
  const workLanes = job.kind === 'jacobian' ? columns + passes : job.kind === 'hessian' ? params + 2 : lanes;
  const state = (Nvx * (N + 2) + 2 * N + 2) * item;
  const records = 2 * B * R * N * item * lanes;
  const outputBytes = {
    solve: 2 * B * R * N * item,
    jvp: 2 * B * R * N * item,
    grad: B * N * item,
    jacobian: Math.min(R, job.jacobianRecords ?? 1) * N * N * item,
    hessian: (params + 1) * params * item,
  }[job.kind];
  // reverse mode stores about 2·√length carries per loop level (records, steps per record)
  const reverseMode = job.kind === 'grad' || job.kind === 'hessian';
  const stored = reverseMode ? 2 * (Math.sqrt(R) + Math.sqrt(every)) + 2 : 0;
  const workingBytes =
    2 * B * N * item + B * lanes * state * (STEP_TEMPORARIES + stored) + records + 2 * outputBytes;
  const reverse = reverseMode ? 3 : 1;
  const cellUpdates = B * workLanes * N * Nvx * steps * reverse;
  return {
    cases: B,
    cells: B * N,
    ordinates: Nvx,
    steps,
    records: R,
    outputBytes,
    workingBytes,
    cellUpdates,
  };
}

/** Bytes for people: 6.4 GB, 512 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v >= 100 ? Math.round(v) : v.toPrecision(3)} ${units[u]}`;
}

const count = (n: number) => (n < 1e6 ? String(n) : n.toExponential(2).replace('e+', 'e'));

/**
 * Refuse a job beyond the budget: one sentence naming its sizes, the budget, and how to raise it
 * (`raise.memory` / `raise.work`, in the caller's terms: a flag, a setting).
 */
export function checkRteBudget(
  e: RteWorkEstimate,
  budget: RteBudget = RTE_BUDGET,
  raise: { memory: string; work: string } = {
    memory: 'raise the memory budget',
    work: 'raise the work budget',
  },
): void {
  const sizes =
    `${e.cases} case(s) × ${count(e.cells / e.cases)} cells × ${count(e.ordinates)} ordinates, ${count(e.steps)} steps, ${count(e.records)} records: ` +
    `outputs ${formatBytes(e.outputBytes)}, working memory about ${formatBytes(e.workingBytes)}`;
  if (!(e.workingBytes <= budget.maxBytes))
    throw new RteBudgetError(
      `this run is too large: ${sizes}, over the memory budget of ${formatBytes(budget.maxBytes)} ` +
        `(use fewer cells, ordinates, cases or records — a larger every —, or ${raise.memory})`,
    );
  if (!(e.cellUpdates <= budget.maxCellUpdates))
    throw new RteBudgetError(
      `this run is too long: ${sizes}, ${count(e.cellUpdates)} cell updates, over the work budget of ` +
        `${count(budget.maxCellUpdates)} (use fewer cells, ordinates, cases or steps, or ${raise.work})`,
    );
}

/** Estimate a job and refuse it beyond the budget, in one call; returns the estimate. */
export function checkRteJob(
  spec: RteSpec,
  job: RteJob,
  opts: {
    allowUnstable?: boolean;
    budget?: RteBudget;
    raise?: { memory: string; work: string };
  } = {},
): RteWorkEstimate {
  const estimate = estimateRteWork(spec, job, opts);
  checkRteBudget(estimate, opts.budget, opts.raise);
  return estimate;
}
