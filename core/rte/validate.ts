/**
 * Physical validation of a case's inputs and of a finished run, in one place for the CLI and the workbench:
 * the temperature and the opacity are finite and ≥ 0 in every cell; and where a finished run's records first
 * stop being finite (overflow.ts locates the step and cell from there).
 */
import type { DType } from '../tensor/dtype';
import { RteSpecError } from './spec';

export type RteField = 'Tini' | 'sigma';

/** What each field must satisfy, as the messages say it. */
export const FIELD_RULES: Record<RteField, string> = {
  Tini: 'the initial temperature Tini must be finite and ≥ 0',
  sigma: 'the opacity sigma must be finite and ≥ 0',
};

/** About the largest temperature whose T⁴ is finite in a dtype: beyond it the solver's source term overflows. */
export const MAX_T: Record<Extract<DType, 'float64' | 'float32'>, number> = {
  float64: Number.MAX_VALUE ** 0.25,
  float32: 3.4028234663852886e38 ** 0.25,
};

/** A field's samples break its rule at `index` (flat), or the field is physical (null). */
export function firstUnphysical(values: ArrayLike<number>): number | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isFinite(v) && v >= 0)) return i;
  }
  return null;
}

/**
 * Check one field of a batch laid out as [B, N] (flat); `where(b, i)` says where a bad sample is in the
 * caller's terms (a file and index, a case name). Throws RteSpecError naming the value, where, and the rule.
 */
export function checkRteField(
  field: RteField,
  values: ArrayLike<number>,
  N: number,
  where: (caseIndex: number, cell: number) => string = (b, i) => `case ${b}, cell ${i}`,
): void {
  const bad = firstUnphysical(values);
  if (bad === null) return;
  throw new RteSpecError(
    `${field} is ${values[bad]} at ${where(Math.floor(bad / N), bad % N)}; ${FIELD_RULES[field]}`,
  );
}

/** Where a run's recorded state first stopped being finite. */
export interface NonFinite {
  output: string;
  caseIndex: number;
  record: number;
  /** The time step that record was taken after (record r follows step 1 + r·every). */
  step: number;
  cell: number;
  value: number;
}

/**
 * The earliest record (over every case and output) holding a non-finite value, in outputs laid out as
 * [B, R, N] (flat), or null when every value is finite.
 */
export function firstNonFinite(
  outputs: Record<string, ArrayLike<number>>,
  dims: { B: number; R: number; N: number; every: number },
): NonFinite | null {
  const { B, R, N, every } = dims;
  let found: NonFinite | null = null;
  for (const [output, data] of Object.entries(outputs))
    for (let b = 0; b < B; b++)
      for (let r = 0; r < (found ? found.record : R); r++) {
        const base = (b * R + r) * N;
        for (let i = 0; i < N; i++) {
          const value = data[base + i]!;
          if (Number.isFinite(value)) continue;
          found = { output, caseIndex: b, record: r, step: 1 + r * every, cell: i, value };
          break;
        }
      }
  return found;
}
