/** What every command shares: the grid and input flags, and turning them into a checked problem. */
import { type RteGrid, type RteSpec, rteGrid } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { BACKEND_CHOICES, resolveBackend } from '../backend';
import { type FlagValues, filePath, finiteNumber, flag, integer, oneOf, toggle } from '../flags';
import { type FloatDType, loadCases } from '../inputs';
import { checkOutDir } from '../npy-files';

export const SOLVE_FLAGS = {
  N: flag('n', 'number of cells (≥ 3)', integer),
  nvx: flag('v', 'number of discrete ordinates (even)', integer),
  cfl: flag('c', 'dt/dx (≤ 1 unless --allow-unstable)', finiteNumber),
  't-end': flag('t', 'final time (> 0)', finiteNumber),
  every: flag('k', 'record E and T every k steps (≥ 1)', integer),
  tini: flag('FILE.npy', 'initial temperature, [B,N] or [N] (float64/float32)', filePath.optional()),
  sigma: flag('FILE.npy', 'opacity, same shape as --tini', filePath.optional()),
  preset: flag(
    'seed',
    "instead of --tini/--sigma: the seed's four cases on this grid",
    oneOf(['seed']).optional(),
  ),
  out: flag('DIR', 'output directory (created when the outputs are written)', filePath),
  dtype: flag(
    'float64|float32',
    'precision of the computation and the outputs',
    oneOf(['float64', 'float32']).default('float64'),
  ),
  'allow-unstable': toggle('allow CFL > 1'),
  backend: flag(
    'auto|eager',
    'auto: the fastest available; eager: the CPU reference path',
    oneOf(BACKEND_CHOICES).default('auto'),
  ),
};

export interface Problem {
  spec: RteSpec;
  grid: RteGrid;
  allowUnstable: boolean;
  dtype: FloatDType;
  backend: 'cpu';
  out: string;
  Tini: Tensor;
  sigma: Tensor;
  /** Number of cases. */
  B: number;
}

/** Check the grid first (cheap), then the output directory, then read and check the inputs. */
export function prepare(v: FlagValues<typeof SOLVE_FLAGS>): Problem {
  const spec: RteSpec = { N: v.N, Nvx: v.nvx, CFL: v.cfl, tEnd: v['t-end'], every: v.every };
  const allowUnstable = v['allow-unstable'];
  const grid = rteGrid(spec, { allowUnstable });
  checkOutDir(v.out);
  const { Tini, sigma } = loadCases(v, spec.N, v.dtype);
  return {
    spec,
    grid,
    allowUnstable,
    dtype: v.dtype,
    backend: resolveBackend(v.backend),
    out: v.out,
    Tini,
    sigma,
    B: Tini.shape[0]!,
  };
}
