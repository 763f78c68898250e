/** Conversions between the worker API's plain arrays and core tensors. */
import { type Tensor, tensor } from '../../../../core/index';
import type { DType } from '../api';

export function vec(values: Float64Array, dtype: DType): Tensor {
  return tensor(values, { shape: [values.length], dtype: 'float64' }).to(dtype);
}

export function rows(list: Float64Array[], N: number, dtype: DType): Tensor {
  const flat = new Float64Array(list.length * N);
  list.forEach((r, i) => {
    flat.set(r, i * N);
  });
  return tensor(flat, { shape: [list.length, N], dtype: 'float64' }).to(dtype);
}

/** A tensor's values as float64 (a fresh array, safe to transfer). */
export function f64(t: Tensor): Float64Array {
  const a = t.toTypedArray();
  return a instanceof Float64Array ? a : Float64Array.from(a as ArrayLike<number>);
}

export function now(): number {
  return performance.now();
}
