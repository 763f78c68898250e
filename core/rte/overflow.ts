/**
 * Overflow pinned to the step and cell where it began. The eager path solves record by record and stops at the
 * first record holding a non-finite value (solve-checked.ts); the compiled paths run whole (their hot loop has
 * no exit) and are checked after (checkRteRun). Either way the exact step comes from an eager replay, one step
 * at a time, from the last state known to be finite (the previous record's on the eager path, else the start).
 */
import { cast } from '../ops/elementwise';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { initialState, makeStep, type RteState } from './solver';
import { type RteGrid, type RteSpec, RteSpecError, rteGrid } from './spec';
import { firstNonFinite, MAX_T } from './validate';

export type FloatDType = Extract<DType, 'float64' | 'float32'>;

/** Where a run's state first stopped being finite. */
export interface OverflowSite {
  /** The quantities non-finite at `cell` in that step ('E', 'T', or 'I' for an ordinate's intensity alone). */
  quantities: string[];
  caseIndex: number;
  /** 0 is the initial state (T0⁴ already overflows), s ≥ 1 the state after step s. */
  step: number;
  t: number;
  /** The first cell that stopped being finite, its centre, and how many others did in the same step. */
  cell: number;
  x: number;
  otherCells: number;
  /** The last record whose values are all finite (−1: none). */
  lastFiniteRecord: number;
  /** The case's inputs at that cell. */
  Tini: number;
  sigma: number;
  dtype: FloatDType;
}

export class RteOverflowError extends RteSpecError {
  override name = 'RteOverflowError';
  constructor(
    readonly site: OverflowSite,
    caseName: (caseIndex: number) => string = (b) => `case ${b}`,
  ) {
    super(overflowSiteMessage(site, caseName));
  }
}

const g3 = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(3));

/** One line: what became non-finite, when and where, the inputs there, and what to change. */
export function overflowSiteMessage(
  s: OverflowSite,
  caseName: (caseIndex: number) => string = (b) => `case ${b}`,
): string {
  const when = s.step === 0 ? 'in the initial state (step 0, t = 0)' : `at step ${s.step} (t = ${g3(s.t)})`;
  const others = s.otherCells ? ` and ${s.otherCells} more` : '';
  const last = s.lastFiniteRecord < 0 ? 'no record is finite' : `last finite record ${s.lastFiniteRecord}`;
  return (
    `overflow: ${s.quantities.join(' and ')} became non-finite ${when}, cell ${s.cell} (x = ${g3(s.x)})${others} ` +
    `of ${caseName(s.caseIndex)}; ${last}. Inputs there: Tini = ${s.Tini}, sigma = ${s.sigma}; ` +
    `T⁴ overflows ${s.dtype} above T ≈ ${MAX_T[s.dtype].toPrecision(3)}, so lower Tini or sigma (or the time step)`
  );
}

/** The first non-finite cell of one case's state and what is non-finite there, or null. */
export function nonFiniteCell(
  s: RteState,
  N: number,
): { cell: number; quantities: string[]; cells: number } | null {
  const E = s.I0.concrete('I0').data;
  const T = s.T.concrete('T').data;
  const I = s.I.concrete('I').data;
  const rows = I.length / (N + 2);
  let first = -1;
  let cells = 0;
  let quantities: string[] = [];
  for (let i = 0; i < N; i++) {
    const here: string[] = [];
    if (!Number.isFinite(E[i + 1]!)) here.push('E');
    if (!Number.isFinite(T[i]!)) here.push('T');
    if (!here.length)
      for (let j = 0; j < rows; j++)
        if (!Number.isFinite(I[j * (N + 2) + i + 1]!)) {
          here.push('I');
          break;
        }
    if (!here.length) continue;
    cells++;
    if (first < 0) [first, quantities] = [i, here];
  }
  return first < 0 ? null : { cell: first, quantities, cells };
}

interface Replay {
  spec: RteSpec;
  grid: RteGrid;
  /** One case's inputs, [N], in the run's dtype. */
  Tini: Tensor;
  sigma: Tensor;
  caseIndex: number;
  dtype: FloatDType;
}

/**
 * Step one case eagerly from `state` (the state after step `fromStep`; null: the start, checked as step 0)
 * through step `toStep`, and return where its state first stops being finite, or null.
 */
export function replayToOverflow(
  r: Replay,
  from: { state: RteState; step: number } | null,
  toStep: number,
): OverflowSite | null {
  const { spec, grid, caseIndex, dtype } = r;
  const { N, every } = spec;
  const sig = cast(r.sigma, dtype);
  const step = makeStep(grid, spec.Nvx, sig, dtype);
  let s = from?.state ?? initialState(grid, spec.Nvx, cast(r.Tini, dtype), dtype);
  let k = from?.step ?? 0;
  const site = (bad: NonNullable<ReturnType<typeof nonFiniteCell>>): OverflowSite => {
    const dx = grid.L / N;
    return {
      quantities: bad.quantities,
      caseIndex,
      step: k,
      t: k * grid.dt,
      cell: bad.cell,
      x: (bad.cell + 0.5) * dx,
      otherCells: bad.cells - 1,
      // record q holds the state after step 1 + q·every
      lastFiniteRecord: k < 1 ? -1 : Math.floor((k - 2) / every),
      Tini: r.Tini.concrete('Tini').data[bad.cell]!,
      sigma: r.sigma.concrete('sigma').data[bad.cell]!,
      dtype,
    };
  };
  if (!from) {
    const bad = nonFiniteCell(s, N);
    if (bad) return site(bad);
  }
  while (k < toStep) {
    s = step(s);
    k++;
    const bad = nonFiniteCell(s, N);
    if (bad) return site(bad);
  }
  return null;
}

/**
 * Replay one case's whole run (to its last record's step) eagerly and return where its state first stops
 * being finite, or null when it stays finite or the replay would pass `maxReplayUpdates` cell updates: for
 * results that are not records (a gradient, a Jacobian) whose non-finite values may come from the solve.
 */
export function findOverflow(
  spec: RteSpec,
  inputs: { Tini: Tensor; sigma: Tensor },
  opts: { dtype: FloatDType; caseIndex?: number; allowUnstable?: boolean; maxReplayUpdates?: number },
): OverflowSite | null {
  const grid = rteGrid(spec, opts);
  const toStep = stepOfRecord(grid.R - 1, spec.every);
  if (toStep * spec.N * spec.Nvx > (opts.maxReplayUpdates ?? 2e8)) return null;
  const replay = { spec, grid, ...inputs, caseIndex: opts.caseIndex ?? 0, dtype: opts.dtype };
  return replayToOverflow(replay, null, toStep);
}

/** The step of record q. */
export const stepOfRecord = (q: number, every: number) => 1 + q * every;

/**
 * A compiled run's [B, R, N] outputs checked after the run: if a value is not finite, replay the case where it
 * first shows from the start, step by step, and throw RteOverflowError naming the step and cell. A replay
 * longer than `maxReplayUpdates` cell updates is not run: the error then names the record only.
 */
export function checkRteRun(
  spec: RteSpec,
  inputs: { Tini: Tensor; sigma: Tensor },
  outputs: Record<string, ArrayLike<number>>,
  opts: {
    dtype: FloatDType;
    allowUnstable?: boolean;
    caseName?: (caseIndex: number) => string;
    maxReplayUpdates?: number;
  },
): void {
  const grid = rteGrid(spec, opts);
  const B = inputs.Tini.shape[0]!;
  const R = Math.round((Object.values(outputs)[0]?.length ?? 0) / (B * spec.N));
  const at = firstNonFinite(outputs, { B, R, N: spec.N, every: spec.every });
  if (!at) return;
  const toStep = Math.min(grid.Nt, stepOfRecord(at.record, spec.every));
  const updates = toStep * spec.N * spec.Nvx;
  const replay = {
    spec,
    grid,
    Tini: inputs.Tini.get(at.caseIndex),
    sigma: inputs.sigma.get(at.caseIndex),
    caseIndex: at.caseIndex,
    dtype: opts.dtype,
  };
  const site = updates <= (opts.maxReplayUpdates ?? 2e8) ? replayToOverflow(replay, null, toStep) : null;
  if (site) throw new RteOverflowError(site, opts.caseName);
  const name = (opts.caseName ?? ((b: number) => `case ${b}`))(at.caseIndex);
  throw new RteSpecError(
    `overflow: ${at.output} became non-finite between steps ${at.record ? stepOfRecord(at.record - 1, spec.every) : 0} ` +
      `and ${at.step} (record ${at.record}), cell ${at.cell} of ${name}; T⁴ overflows ${opts.dtype} above ` +
      `T ≈ ${MAX_T[opts.dtype].toPrecision(3)}, so lower Tini or sigma (or the time step)`,
  );
}
