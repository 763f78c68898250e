/**
 * Reference data written by the seed's PyTorch solver (see ../shared/reference/README.md) and the README's relative
 * error: one home for the tests and the benchmarks (a Node-side development helper).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConcreteTensor, parseNpy, type Tensor } from '../core/index';

/** `../shared/reference` next to the repository, or $RTE_REFERENCE_DIR when set. */
export function referenceDir(): string {
  const override = process.env.RTE_REFERENCE_DIR;
  if (override) return resolve(override);
  return fileURLToPath(new URL('../../shared/reference', import.meta.url));
}

/** Load `name` (with or without `.npy`) from the reference directory. */
export function loadReference(name: string): ConcreteTensor {
  const file = resolve(referenceDir(), name.endsWith('.npy') ? name : `${name}.npy`);
  // Some reference arrays were saved column-major (numpy writes F-contiguous arrays that way).
  return parseNpy(readFileSync(file), file, { acceptFortranOrder: true });
}

type Values = Tensor | ArrayLike<number>;

const flat = (x: Values): { values: ArrayLike<number>; shape: readonly number[] } =>
  'concrete' in x ? { values: x.concrete('relErr').data, shape: x.shape } : { values: x, shape: [x.length] };

/**
 * max|a−b| / max|b|, the README's relative error. Shapes must match (throws otherwise); any NaN gives NaN so
 * a comparison against a tolerance fails.
 */
export function relErr(a: Values, b: Values): number {
  const A = flat(a);
  const B = flat(b);
  if (A.values.length !== B.values.length || A.shape.join(',') !== B.shape.join(','))
    throw new Error(`relErr: shapes differ ([${A.shape}] vs [${B.shape}])`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < A.values.length; i++) {
    const d = Math.abs(A.values[i]! - B.values[i]!);
    const s = Math.abs(B.values[i]!);
    if (Number.isNaN(d) || Number.isNaN(s)) return Number.NaN;
    diff = Math.max(diff, d);
    scale = Math.max(scale, s);
  }
  return scale === 0 ? (diff === 0 ? 0 : Number.POSITIVE_INFINITY) : diff / scale;
}
