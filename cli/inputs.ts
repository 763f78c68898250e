/**
 * Case inputs for every command: [B, N] float tensors from .npy files or a preset. Headers are checked first
 * (shape against the grid: `caseCount`), so the budget is known before any data is read; then the data is
 * read and checked (finite, and physical: Tini ≥ 0, sigma ≥ 0) and cast.
 */

import type { ConcreteTensor, DType, NpyHeader, Tensor } from '../core/index';
import { cast, expand, formatShape, reshape } from '../core/index';
import { checkRteField, seedCases } from '../core/rte/index';
import { UsageError } from './errors';
import { readNpyFile, readNpyHeader } from './npy-files';

export type FloatDType = Extract<DType, 'float64' | 'float32'>;

const PRESET_CASES = 4;

/** Refuse a per-case field's dtype or shape: [B, N] or [N] (one case), float. */
function checkLayout(what: string, x: { dtype: string; shape: readonly number[] }, N: number): void {
  if (x.dtype !== 'float64' && x.dtype !== 'float32')
    throw new UsageError(`${what}: dtype ${x.dtype} is not allowed (allowed: float64, float32)`);
  const ndim = x.shape.length;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const ok = (ndim === 1 || ndim === 2) && x.shape[ndim - 1] === N && size > 0;
  if (!ok)
    throw new UsageError(
      `${what}: shape ${formatShape(x.shape)} does not fit the grid (allowed: [B,${N}] with B ≥ 1, or [${N}] for one case)`,
    );
}

const casesIn = (shape: readonly number[]) => (shape.length === 2 ? shape[0]! : 1);

/** Check a per-case field read from `--flag path`: layout, every value finite; returns [B, N]. */
function asCases(flag: string, path: string, x: ConcreteTensor, N: number): Tensor {
  const what = `--${flag} ${path}`;
  checkLayout(what, x, N);
  const bad = x.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const at = x.ndim === 2 ? `[${Math.floor(bad / N)}, ${bad % N}]` : `[${bad}]`;
    throw new UsageError(`${what}: holds ${x.data[bad]} at ${at}; every input value must be finite`);
  }
  return x.ndim === 1 ? reshape(x, [1, N]) : x;
}

/** Read `--flag path` as cases of the grid: the header is checked before the data is read. */
function readCases(flag: string, path: string, N: number, maxBytes: number): Tensor {
  const what = `--${flag} ${path}`;
  const x = readNpyFile(flag, path, { maxBytes, checkHeader: (h: NpyHeader) => checkLayout(what, h, N) });
  return asCases(flag, path, x, N);
}

export interface CaseFlags {
  tini?: string | undefined;
  sigma?: string | undefined;
  preset?: 'seed' | undefined;
}

/** Which inputs the flags name; refuses a wrong combination. */
function files(flags: CaseFlags): { tini: string; sigma: string } | null {
  const { tini, sigma, preset } = flags;
  if (preset !== undefined) {
    if (tini !== undefined || sigma !== undefined)
      throw new UsageError('--preset replaces --tini and --sigma: give either the preset or both files');
    return null;
  }
  if (tini === undefined || sigma === undefined)
    throw new UsageError(
      `missing flag ${tini === undefined ? '--tini' : '--sigma'} (give --tini FILE.npy and --sigma FILE.npy, or --preset seed)`,
    );
  return { tini, sigma };
}

/** The number of cases, from the preset or the files' headers alone (their shapes checked against N). */
export function caseCount(flags: CaseFlags, N: number): number {
  const named = files(flags);
  if (!named) return PRESET_CASES;
  const counts = (['tini', 'sigma'] as const).map((flag) => {
    const path = named[flag];
    const header = readNpyHeader(flag, path);
    if (header) checkLayout(`--${flag} ${path}`, header, N);
    return header ? casesIn(header.shape) : 1;
  });
  return Math.max(...counts);
}

/** Tini and sigma [B, N] in `dtype`, from --tini/--sigma or --preset; each file at most `maxBytes`. */
export function loadCases(
  flags: CaseFlags,
  N: number,
  dtype: FloatDType,
  maxBytes: number,
): { Tini: Tensor; sigma: Tensor } {
  const named = files(flags);
  if (!named) return seedCases(N, [1, 2, 3, 4], dtype);
  const T = readCases('tini', named.tini, N, maxBytes);
  const s = readCases('sigma', named.sigma, N, maxBytes);
  if (T.shape[0] !== s.shape[0])
    throw new UsageError(
      `--tini holds ${T.shape[0]} case(s) and --sigma ${s.shape[0]}: they must hold the same number of cases`,
    );
  const tiniFile = `--tini ${named.tini}`;
  const sigmaFile = `--sigma ${named.sigma}`;
  checkRteField('Tini', T.concrete('Tini').data, N, (b, i) => `[${b}, ${i}] of ${tiniFile}`);
  checkRteField('sigma', s.concrete('sigma').data, N, (b, i) => `[${b}, ${i}] of ${sigmaFile}`);
  return { Tini: cast(T, dtype), sigma: cast(s, dtype) };
}

/** A tangent direction from `--flag path`: [B, N] matching the cases, or [N] used for every case. */
export function loadDirection(
  flag: string,
  path: string,
  B: number,
  N: number,
  dtype: FloatDType,
  maxBytes: number,
): Tensor {
  const d = readCases(flag, path, N, maxBytes);
  if (d.shape[0] !== B && d.shape[0] !== 1)
    throw new UsageError(
      `--${flag} ${path}: holds ${d.shape[0]} case(s) but the inputs hold ${B} (allowed: [${B},${N}] or [${N}])`,
    );
  return cast(expand(d, [B, N]), dtype);
}
