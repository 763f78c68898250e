/**
 * The workbench's size budget: what a live solve may cost before any work starts. Sampling the profiles runs on
 * the page's thread and the solve in a worker; past these sizes the page would stall for seconds to minutes
 * and could run out of memory (N = 10^7 took 40–70 s and more than 4.5 GB), so such grids are refused up front
 * with the sizes named. Kept in one module so a budget computed by core can replace it.
 */

export interface BudgetInput {
  /** Cells. */
  N: number;
  /** Ordinates. */
  Nvx: number;
  /** Time steps and records, as core derives them from the grid. */
  Nt: number;
  R: number;
  /** Cases in the batch. */
  B: number;
  /** The eager path is ~20× slower than the compiled one, so it gets a smaller work budget. */
  eager?: boolean;
}

export const BUDGET = {
  /** Profile samples computed on the page's thread (B·N per field; ~1.4 µs each for the seed's formulas). */
  sampledCells: 500_000,
  /** Cell-ordinate updates of a compiled solve (B·Nt·N·Nvx; 2–3 ns each on WebAssembly: about 5 s). */
  compiledWork: 2e9,
  /** The same on the eager path (~150 ns each: about 8 s). */
  eagerWork: 5e7,
  /** Bytes of the results and the solver's state held at once. */
  workingBytes: 512 * 1024 ** 2,
} as const;

export interface Cost {
  sampledCells: number;
  work: number;
  /** E and T in float64, [B, R, N] each. */
  outputBytes: number;
  /** The outputs twice (the solver's tensors and the copies sent to the page) plus the state of one step. */
  workingBytes: number;
}

export function solveCost({ N, Nvx, Nt, R, B }: BudgetInput): Cost {
  const outputBytes = 2 * B * R * N * 8;
  return {
    sampledCells: B * N,
    work: B * Nt * N * Nvx,
    outputBytes,
    workingBytes: 2 * outputBytes + 4 * B * Nvx * (N + 2) * 8,
  };
}

const count = (n: number) => (n < 1e6 ? n.toLocaleString('en') : n.toExponential(1).replace('e+', 'e'));
const mib = (b: number) => `${(b / 1024 ** 2).toFixed(b < 1024 ** 2 ? 2 : 0)} MiB`;

/** Only the cells: what sampling on the page costs, checkable before core has derived the steps. */
export function checkSamplingBudget(N: number, B: number): string | null {
  const cells = B * N;
  return cells > BUDGET.sampledCells
    ? `${count(N)} cells × ${B} case(s) = ${count(cells)} samples per field is more than the workbench samples on the page (at most ${count(BUDGET.sampledCells)}): lower N, or run it with the CLI (npm run rte -- solve)`
    : null;
}

/** null when a live solve of this size fits the budget; otherwise one line naming the sizes and the limit. */
export function checkSolveBudget(input: BudgetInput): string | null {
  const sampling = checkSamplingBudget(input.N, input.B);
  if (sampling) return sampling;
  const cost = solveCost(input);
  const maxWork = input.eager ? BUDGET.eagerWork : BUDGET.compiledWork;
  if (cost.work > maxWork)
    return `${count(input.N)} cells × ${count(input.Nt)} steps × ${input.Nvx} ordinates × ${input.B} case(s) = ${count(cost.work)} updates is more than a live solve${input.eager ? ' on the eager path' : ''} runs (at most ${count(maxWork)}, a few seconds): lower N or t_end, raise CFL, or run it with the CLI`;
  if (cost.workingBytes > BUDGET.workingBytes)
    return `the results (${count(input.R)} records × ${count(input.N)} cells × ${input.B} case(s), E and T) need ${mib(cost.workingBytes)}, more than the workbench holds (at most ${mib(BUDGET.workingBytes)}): raise "every" or lower N or t_end`;
  return null;
}

/** Thrown by the solver worker when a request is over budget, before any array is allocated. */
export class BudgetError extends Error {
  override name = 'BudgetError';
}
