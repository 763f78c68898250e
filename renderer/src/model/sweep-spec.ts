/**
 * A k-sweep of the workbench as a spec file for `rte sweep` (the CLI's sweep runner, local or on Slurm): the same
 * grid, the same formulas in x and k, and k over the same evenly spaced values, so a study started here runs on
 * a cluster unchanged. The file is the CLI's spec format (cli/sweep/spec-schema.ts).
 */
import { compileFormula, FormulaError, RteSpecError, rteGrid } from '../../../core/rte/index';
import type { GridSpec } from '../worker/api';
import type { Sweep } from './presets';

export type SpecExport = { ok: true; text: string } | { ok: false; error: string };

/** The spec as JSON text, or what stops it from being exported (a bad grid, formula or k range). */
export function sweepSpecText(grid: GridSpec, s: Sweep): SpecExport {
  try {
    rteGrid(grid);
    for (const [name, text] of [
      ['Tini', s.Tini],
      ['sigma', s.sigma],
    ] as const)
      try {
        compileFormula(text, ['x', 'k']);
      } catch (e) {
        if (e instanceof FormulaError) throw new FormulaError(`${name}: ${e.message}`);
        throw e;
      }
  } catch (e) {
    if (e instanceof FormulaError || e instanceof RteSpecError) return { ok: false, error: e.message };
    throw e;
  }
  if (![s.from, s.to].every(Number.isFinite) || !Number.isInteger(s.count) || s.count < 1)
    return { ok: false, error: 'k from/to must be numbers and the count a positive integer' };
  const spec = {
    grid: { N: grid.N, Nvx: grid.Nvx, CFL: grid.CFL, t_end: grid.tEnd, every: grid.every },
    Tini: s.Tini,
    sigma: s.sigma,
    space: { product: { k: { linspace: [s.from, s.to, s.count] } } },
    compute: ['solve'],
    dtype: 'float64',
    backend: 'wasm',
  };
  return { ok: true, text: `${JSON.stringify(spec, null, 2)}\n` };
}
