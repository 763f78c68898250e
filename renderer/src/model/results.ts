/** Shapes and slices of solve results, and their data exports. */
import { toCsv } from '../io/csv';
import type { GridInfo, GridSpec, SolveResult } from '../worker/api';
import type { CaseDef } from './presets';
import { centres } from './profile';

/** Record r holds the state after step r·every, i.e. at time (r·every + 1)·dt. */
export function recordTimes(spec: GridSpec, grid: GridInfo): Float64Array {
  return Float64Array.from({ length: grid.R }, (_, r) => (r * spec.every + 1) * grid.dt);
}

/** The [R, N] block of case b. */
export function caseField(values: Float64Array, b: number, R: number, N: number): Float64Array {
  return values.subarray(b * R * N, (b + 1) * R * N);
}

/** Row r of case b. */
export function caseRow(values: Float64Array, b: number, r: number, R: number, N: number): Float64Array {
  return values.subarray((b * R + r) * N, (b * R + r + 1) * N);
}

export function profilesCsv(res: SolveResult, cases: CaseDef[], r: number): string {
  const x = centres(res.N);
  const header = ['x', ...cases.flatMap((c) => [`E[${c.name}]`, `T[${c.name}]`])];
  const rows = Array.from(x, (xi, i) => [
    xi,
    ...cases.flatMap((_, b) => [
      caseRow(res.E, b, r, res.R, res.N)[i]!,
      caseRow(res.T, b, r, res.R, res.N)[i]!,
    ]),
  ]);
  return toCsv(header, rows);
}

export function resultsJson(res: SolveResult, spec: GridSpec, cases: CaseDef[], times: Float64Array): string {
  const nest = (v: Float64Array) =>
    cases.map((_, b) => Array.from({ length: res.R }, (_, r) => Array.from(caseRow(v, b, r, res.R, res.N))));
  return JSON.stringify({
    grid: spec,
    derived: res.grid,
    dtype: res.dtype,
    cases: cases.map((c) => c.name),
    x: Array.from(centres(res.N)),
    t: Array.from(times),
    shape: [res.B, res.R, res.N],
    E: nest(res.E),
    T: nest(res.T),
  });
}
