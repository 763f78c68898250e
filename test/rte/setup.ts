/** Shared grids and helpers for the solver's reference tests. */
import type { RteSpec } from '../../core/rte/index';
import { loadReference } from '../helpers/reference';

export const SEED: RteSpec = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };

/** The reference README's small grids, by tag. */
export const SMALL: Record<string, RteSpec> = {
  small_N32_V4: { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 },
  small_N48_V6: { N: 48, Nvx: 6, CFL: 0.8, tEnd: 0.3, every: 4 },
};

/** Tolerances stated in the reference README (relative: max|a-b| / max|b|). */
export const TOL_F64 = 1e-10;
export const TOL_F32 = 1e-4;

export const seedInputs = (tag: 'f64' | 'f32') => ({
  Tini: loadReference(`seed_Tini_${tag}`),
  sigma: loadReference(`seed_sigma_${tag}`),
});
