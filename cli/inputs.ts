/** Case inputs for every command: [B, N] float tensors from .npy files or a preset, checked and cast. */
import { cast } from '../core/ops/elementwise';
import { expand, reshape } from '../core/ops/shape';
import { seedCases } from '../core/rte/index';
import type { DType } from '../core/tensor/dtype';
import { fmt } from '../core/tensor/shape';
import type { ConcreteTensor, Tensor } from '../core/tensor/tensor';
import { UsageError } from './errors';
import { readNpyFile } from './npy-files';

export type FloatDType = Extract<DType, 'float64' | 'float32'>;

/** Check a per-case field read from `--flag path`: [B, N] or [N] (one case), float, finite; returns [B, N]. */
function asCases(flag: string, path: string, x: ConcreteTensor, N: number): Tensor {
  const what = `--${flag} ${path}`;
  if (x.dtype !== 'float64' && x.dtype !== 'float32')
    throw new UsageError(`${what}: dtype ${x.dtype} is not allowed (allowed: float64, float32)`);
  const ok = (x.ndim === 1 || x.ndim === 2) && x.shape[x.ndim - 1] === N && x.size > 0;
  if (!ok)
    throw new UsageError(
      `${what}: shape ${fmt(x.shape)} does not fit the grid (allowed: [B,${N}] with B ≥ 1, or [${N}] for one case)`,
    );
  const bad = x.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const at = x.ndim === 2 ? `[${Math.floor(bad / N)}, ${bad % N}]` : `[${bad}]`;
    throw new UsageError(`${what}: holds ${x.data[bad]} at ${at}; every input value must be finite`);
  }
  return x.ndim === 1 ? reshape(x, [1, N]) : x;
}

export interface CaseFlags {
  tini?: string | undefined;
  sigma?: string | undefined;
  preset?: 'seed' | undefined;
}

/** Tini and sigma [B, N] in `dtype`, from --tini/--sigma or --preset. */
export function loadCases(flags: CaseFlags, N: number, dtype: FloatDType): { Tini: Tensor; sigma: Tensor } {
  const { tini, sigma, preset } = flags;
  if (preset !== undefined) {
    if (tini !== undefined || sigma !== undefined)
      throw new UsageError('--preset replaces --tini and --sigma: give either the preset or both files');
    return seedCases(N, [1, 2, 3, 4], dtype);
  }
  if (tini === undefined || sigma === undefined)
    throw new UsageError(
      `missing flag ${tini === undefined ? '--tini' : '--sigma'} (give --tini FILE.npy and --sigma FILE.npy, or --preset seed)`,
    );
  const T = asCases('tini', tini, readNpyFile('tini', tini), N);
  const s = asCases('sigma', sigma, readNpyFile('sigma', sigma), N);
  if (T.shape[0] !== s.shape[0])
    throw new UsageError(
      `--tini holds ${T.shape[0]} case(s) and --sigma ${s.shape[0]}: they must hold the same number of cases`,
    );
  return { Tini: cast(T, dtype), sigma: cast(s, dtype) };
}

/** A tangent direction from `--flag path`: [B, N] matching the cases, or [N] used for every case. */
export function loadDirection(flag: string, path: string, B: number, N: number, dtype: FloatDType): Tensor {
  const d = asCases(flag, path, readNpyFile(flag, path), N);
  if (d.shape[0] !== B && d.shape[0] !== 1)
    throw new UsageError(
      `--${flag} ${path}: holds ${d.shape[0]} case(s) but the inputs hold ${B} (allowed: [${B},${N}] or [${N}])`,
    );
  return cast(expand(d, [B, N]), dtype);
}
