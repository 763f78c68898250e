/**
 * Scalar and vector functions of one case's inputs built on `solve`, shared by the CLI and the app: a chosen
 * record of E or T, the final E, and the seed's objective sum(E_final). Each is a plain function of
 * (Tini, sigma), so every transform (grad, jacfwd, jacrev, jvp, vmap) applies to it.
 */
import { sum } from '../ops/reduce';
import type { Tensor } from '../tensor/tensor';
import { type SolveOptions, solve } from './solver';
import { type RteSpec, RteSpecError, rteGrid } from './spec';

export type RteOutput = 'E' | 'T';
/** A record index (0 = step 0) or 'final' for the last record. */
export type RecordChoice = number | 'final';

/** The record index `choice` stands for on this grid; throws RteSpecError naming the allowed range. */
export function resolveRecord(spec: RteSpec, choice: RecordChoice, opts: SolveOptions = {}): number {
  const { R } = rteGrid(spec, opts);
  if (choice === 'final') return R - 1;
  if (!Number.isInteger(choice) || choice < 0 || choice >= R)
    throw new RteSpecError(
      `record ${choice} is out of range: this grid records R = ${R} steps (0..${R - 1})`,
    );
  return choice;
}

/** (Tini [N], sigma [N]) → output at one record [N]. */
export function recordOf(
  spec: RteSpec,
  output: RteOutput,
  choice: RecordChoice = 'final',
  opts: SolveOptions = {},
): (Tini: Tensor, sigma: Tensor) => Tensor {
  const r = resolveRecord(spec, choice, opts);
  // records after r cannot change it, so they are not computed
  const upTo = { ...opts, records: r + 1 };
  return (Tini, sigma) => solve(spec, Tini, sigma, upTo)[output].get(r);
}

/** E at the last record: (Tini [N], sigma [N]) → [N]. */
export const finalE = (spec: RteSpec, opts: SolveOptions = {}) => recordOf(spec, 'E', 'final', opts);

/** The seed's objective J = sum(E_final): (Tini [N], sigma [N]) → scalar. */
export function sumFinalE(spec: RteSpec, opts: SolveOptions = {}): (Tini: Tensor, sigma: Tensor) => Tensor {
  const eFinal = finalE(spec, opts);
  return (Tini, sigma) => sum(eFinal(Tini, sigma));
}

/**
 * The scalar objectives the workbench and the CLI offer. `record` counts from 0; a negative one counts from the
 * end (-1 = the final record).
 */
export type Objective =
  | { kind: 'sum-final-E' }
  | { kind: 'probe-E'; x0: number; record: number }
  | { kind: 'window-energy'; a: number; b: number; record: number }
  | { kind: 'mean-T'; record: number };

export type ObjectiveKind = Objective['kind'];
export const OBJECTIVE_KINDS = [
  'sum-final-E',
  'probe-E',
  'window-energy',
  'mean-T',
] as const satisfies readonly ObjectiveKind[];

/** Record `r` on a grid of R records (negative counts from the end); throws RteSpecError naming the range. */
export function recordIndex(r: number, R: number): number {
  const i = r < 0 ? R + r : r;
  if (!Number.isInteger(i) || i < 0 || i >= R)
    throw new RteSpecError(
      `record ${r} is out of range: this grid records R = ${R} times (0..${R - 1}, or -1 for the last)`,
    );
  return i;
}

/** The cell whose centre is nearest x0 (x0 in [0, 1]). */
export function probeCell(x0: number, N: number): number {
  if (!Number.isFinite(x0) || x0 < 0 || x0 > 1)
    throw new RteSpecError(`the probe x0 must lie in [0, 1] (got ${x0})`);
  return Math.min(N - 1, Math.max(0, Math.floor(x0 * N)));
}

/** Cells whose centres lie in [a, b]: [first, last + 1). */
export function windowCells(a: number, b: number, N: number): [number, number] {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b))
    throw new RteSpecError(`the window needs finite a < b (got [${a}, ${b}])`);
  const first = Math.max(0, Math.ceil(a * N - 0.5));
  const end = Math.min(N, Math.floor(b * N - 0.5) + 1);
  if (end <= first) throw new RteSpecError(`the window [${a}, ${b}] holds no cell centre on N = ${N}`);
  return [first, end];
}

export function describeObjective(o: Objective): string {
  switch (o.kind) {
    case 'sum-final-E':
      return 'Σᵢ E(xᵢ, t_final)';
    case 'probe-E':
      return `E(x₀ = ${o.x0}, record ${o.record})`;
    case 'window-energy':
      return `∫ E dx over [${o.a}, ${o.b}] at record ${o.record}`;
    case 'mean-T':
      return `mean T at record ${o.record}`;
  }
}

/**
 * The objective as a scalar function of (Tini [N], sigma [N]); every argument is checked here, so a bad record,
 * probe or window fails before anything is solved. Only the records up to the one it reads are computed.
 */
export function objectiveOf(
  spec: RteSpec,
  o: Objective,
  opts: SolveOptions = {},
): (Tini: Tensor, sigma: Tensor) => Tensor {
  const { R } = rteGrid(spec, opts);
  const { N } = spec;
  const upTo = (r: number) => ({ ...opts, records: r + 1 });
  switch (o.kind) {
    case 'sum-final-E':
      return sumFinalE(spec, opts);
    case 'probe-E': {
      const r = recordIndex(o.record, R);
      const i = probeCell(o.x0, N);
      return (Tini, sigma) => solve(spec, Tini, sigma, upTo(r)).E.get(r, i);
    }
    case 'window-energy': {
      const r = recordIndex(o.record, R);
      const [i0, i1] = windowCells(o.a, o.b, N);
      return (Tini, sigma) =>
        solve(spec, Tini, sigma, upTo(r))
          .E.get(r, `${i0}:${i1}`)
          .sum()
          .mul(1 / N);
    }
    case 'mean-T': {
      const r = recordIndex(o.record, R);
      return (Tini, sigma) => solve(spec, Tini, sigma, upTo(r)).T.get(r).mean();
    }
  }
}
