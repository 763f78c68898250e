/**
 * The workbench's live limits: what a live solve may cost before any work starts. Sampling the profiles runs
 * on the page's thread and the solve in a worker; past these sizes the page would stall for seconds to minutes
 * and could run out of memory (N = 10^7 took 40–70 s and more than 4.5 GB), so such grids are refused up front
 * with the sizes named. The sizes themselves are core/rte's (estimateRteWork); this module holds only the
 * workbench's limits, smaller than the CLI's RTE_BUDGET, and the wording of what to change.
 */
import {
  checkRteBudget,
  estimateRteWork,
  formatBytes,
  RTE_BUDGET,
  type RteBudget,
  RteBudgetError,
  type RteJob,
  type RteSpec,
  type RteWorkEstimate,
} from '../../../core/rte/index';

/** Each live limit, named once. */
export const LIVE_BUDGET = {
  /** Profile samples computed on the page's thread (B·N per field; ~1.4 µs each for the seed's formulas). */
  sampledCells: 500_000,
  /** Working memory of a live solve: the solver's state, its records and the results sent to the page. */
  maxBytes: 512 * 1024 ** 2,
  /** Cell updates of a compiled solve (2–3 ns each on WebAssembly: about 5 s). */
  compiledCellUpdates: 2e9,
  /** The same on the eager path (~150 ns each: about 8 s). */
  eagerCellUpdates: 5e7,
} as const;

/** The live limits as core's budget for one solver path. */
export function liveBudget(eager: boolean): RteBudget {
  return {
    maxBytes: LIVE_BUDGET.maxBytes,
    maxCellUpdates: eager ? LIVE_BUDGET.eagerCellUpdates : LIVE_BUDGET.compiledCellUpdates,
  };
}

const count = (n: number) => (n < 1e6 ? n.toLocaleString('en') : n.toExponential(1).replace('e+', 'e'));
const cli = (command: string, flag: string, limit: string) =>
  `run it with the CLI, npm run rte -- ${command}, which allows ${limit} and more with ${flag}`;

/** What to change past a live limit, in core's sentence: the CLI takes larger budgets. */
function raise(eager: boolean, command = 'solve') {
  const work = cli(command, '--max-work', RTE_BUDGET.maxCellUpdates.toExponential(2).replace('e+', 'e'));
  return {
    memory: cli(command, '--max-memory', formatBytes(RTE_BUDGET.maxBytes)),
    work: eager ? `choose a compiled solver or ${work}` : work,
  };
}

/** Only the cells: what sampling on the page costs, checkable before the grid is known to be valid. */
export function checkSamplingBudget(N: number, B: number): string | null {
  const cells = B * N;
  return cells > LIVE_BUDGET.sampledCells
    ? `${count(N)} cells × ${B} case(s) = ${count(cells)} samples per field is more than the workbench samples on the page (at most ${count(LIVE_BUDGET.sampledCells)}): lower N, or run it with the CLI (npm run rte -- solve)`
    : null;
}

/**
 * Refuse a live solve of B cases on a valid grid beyond the live limits (RteBudgetError, one line naming the
 * sizes, the limit and what to change); returns core's estimate. Sized in float64: the page holds the results
 * in float64 whatever the solver's dtype.
 */
export function checkLiveSolve(spec: RteSpec, B: number, opts: { eager: boolean }): RteWorkEstimate {
  const sampling = checkSamplingBudget(spec.N, B);
  if (sampling) throw new RteBudgetError(sampling);
  const estimate = estimateRteWork(spec, { kind: 'solve', batch: B, dtype: 'float64' });
  checkRteBudget(estimate, liveBudget(opts.eager), raise(opts.eager));
  return estimate;
}

/** null when a live solve fits the live limits; otherwise the line saying why not. */
export function liveSolveProblem(spec: RteSpec, B: number, opts: { eager: boolean }): string | null {
  try {
    checkLiveSolve(spec, B, opts);
    return null;
  } catch (e) {
    if (e instanceof RteBudgetError) return e.message;
    throw e;
  }
}

/** The CLI command that computes each derivative job without the live limits. */
const DERIVATIVE_COMMAND: Record<RteJob['kind'], string> = {
  solve: 'solve',
  grad: 'grad',
  jvp: 'jvp',
  jacobian: 'jacobian',
  hessian: 'grad',
};

/**
 * Refuse a derivative job (gradient, jvp field, θ-hessian, Jacobians) beyond the live limits, sized by core as
 * the solve is: they run compiled in the worker, and one too large would hold every later request behind it.
 */
export function checkLiveDerivative(spec: RteSpec, job: RteJob): RteWorkEstimate {
  const estimate = estimateRteWork(spec, job);
  checkRteBudget(estimate, liveBudget(false), raise(false, DERIVATIVE_COMMAND[job.kind]));
  return estimate;
}
