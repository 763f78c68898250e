/**
 * Compile-time constants ("literals"): values the staged program closes over, and everything computed from
 * them alone (folded at compile time on the float64 CPU path). A kernel reads a literal as a number in its
 * source when the index is known, as a small select when few elements are reachable, and otherwise from an
 * uploaded array.
 */
import type { DType, TypedArray } from '../tensor/dtype';
import { type Shape, sizeOf, stridesOf } from '../tensor/shape';
import { ConcreteTensor } from '../tensor/tensor';

export interface Lit {
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
  /** The single value when every element is the same. */
  readonly splat: number | null;
  /** Per dimension: whether the value changes along it (a broadcast dimension does not). */
  readonly varying: readonly boolean[];
}

export function makeLit(t: ConcreteTensor): Lit {
  const { data, shape, dtype } = t;
  let splat: number | null = data.length > 0 ? data[0]! : 0;
  for (let i = 1; i < data.length; i++)
    if (!Object.is(data[i], splat)) {
      splat = null;
      break;
    }
  const st = stridesOf(shape);
  const varying = shape.map((n, d) => {
    if (splat !== null || n === 1) return false;
    const s = st[d]!;
    const block = s * n;
    for (let base = 0; base < data.length; base += block)
      for (let i = base; i < base + block - s; i++) if (!Object.is(data[i], data[i + s])) return true;
    return false;
  });
  return { data, shape, dtype, splat, varying };
}

/** A splat literal of any shape without allocating it. */
export function splatLit(value: number, shape: Shape, dtype: DType): Lit {
  return { data: new Float64Array([value]), shape, dtype, splat: value, varying: shape.map(() => false) };
}

export function litAt(l: Lit, idx: readonly number[]): number {
  if (l.splat !== null) return l.splat;
  const st = stridesOf(l.shape);
  let off = 0;
  idx.forEach((i, d) => {
    if (l.varying[d]) off += i * st[d]!;
  });
  return l.data[off]!;
}

/** The literal as a concrete tensor (a splat is expanded). */
export function litTensor(l: Lit): ConcreteTensor {
  if (l.splat === null || l.data.length === sizeOf(l.shape))
    return new ConcreteTensor(l.data, l.shape, l.dtype);
  const n = sizeOf(l.shape);
  const data =
    l.dtype === 'float32'
      ? new Float32Array(n)
      : l.dtype === 'int32'
        ? new Int32Array(n)
        : l.dtype === 'bool'
          ? new Uint8Array(n)
          : new Float64Array(n);
  data.fill(l.splat);
  return new ConcreteTensor(data, l.shape, l.dtype);
}

/** Literal number in kernel source: always written as a float (gpu.js types `2` as an integer). */
export function fnum(x: number): string {
  if (Number.isNaN(x)) return '(0.0 / 0.0)';
  if (x === Number.POSITIVE_INFINITY) return '(1.0 / 0.0)';
  if (x === Number.NEGATIVE_INFINITY) return '(-1.0 / 0.0)';
  if (Object.is(x, -0)) return '-0.0';
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toFixed(1);
  const s = String(x);
  if (s.includes('.')) return s;
  return s.replace(/^(-?\d+)(e)/, '$1.0$2');
}
