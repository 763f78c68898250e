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
