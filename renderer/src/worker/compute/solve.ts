/** Validation and batched solves: the live path of the workbench. */
import { RteSpecError, rteGrid, solveBatch } from '../../../../core/rte/index';
import type { GridInfo, GridSpec, ProgressCallback, SolveRequest, SolveResult, ValidateResult } from '../api';
import { f64, now, rows } from './tensors';

export const BACKEND = 'core eager (CPU)';

export function validate(spec: GridSpec): ValidateResult {
  try {
    const g = rteGrid(spec);
    return { ok: true, grid: { dx: g.dx, dt: g.dt, Nt: g.Nt, R: g.R } };
  } catch (e) {
    if (e instanceof RteSpecError) return { ok: false, message: e.message };
    throw e;
  }
}

export function gridInfo(spec: GridSpec): GridInfo {
  const g = rteGrid(spec);
  return { dx: g.dx, dt: g.dt, Nt: g.Nt, R: g.R };
}

/** Check every case has N finite samples before handing them to core, so the error names the case. */
export function checkCases(spec: GridSpec, cases: { Tini: Float64Array; sigma: Float64Array }[]): void {
  if (cases.length === 0) throw new RteSpecError('there are no cases to solve: add one');
  cases.forEach((c, b) => {
    for (const [name, v] of [
      ['Tini', c.Tini],
      ['sigma', c.sigma],
    ] as const) {
      if (v.length !== spec.N)
        throw new RteSpecError(`case ${b + 1}: ${name} has ${v.length} samples, the grid has N = ${spec.N}`);
      const bad = v.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new RteSpecError(`case ${b + 1}: ${name} is not finite at cell ${bad}`);
    }
  });
}

export function solveCases(req: SolveRequest, onProgress?: ProgressCallback): SolveResult {
  const { spec, cases, dtype } = req;
  const grid = gridInfo(spec);
  checkCases(spec, cases);
  onProgress?.({ fraction: null, message: `solving ${cases.length} case(s), ${grid.Nt} steps` });
  const t0 = now();
  const out = solveBatch(
    spec,
    rows(
      cases.map((c) => c.Tini),
      spec.N,
      dtype,
    ),
    rows(
      cases.map((c) => c.sigma),
      spec.N,
      dtype,
    ),
  );
  const E = f64(out.E);
  const T = f64(out.T);
  const ms = now() - t0;
  onProgress?.({ fraction: 1, message: 'done' });
  return { spec, B: cases.length, R: grid.R, N: spec.N, E, T, grid, ms, backend: BACKEND, dtype };
}
