/**
 * prod, cumsum and cumprod as log-depth trees of slices, pads and mul/add: exact with zeros and negative
 * entries (no log/exp trick), differentiable through mul/add, and compiled like any other ops.
 */

import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { normalizeAxes, normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { full } from './creation';
import { add, asTensor, cast, mul, type TensorLike } from './elementwise';
import type { Axes, ReduceOptions } from './reduce';
import { pad, permute, reshape, sliceAxis } from './shape';

/** Bool entries count as int32, as sums do in PyTorch. */
const numeric = (x: TensorLike): Tensor => {
  const t = asTensor(x);
  return t.dtype === 'bool' ? cast(t, 'int32') : t;
};

/** torch.prod over `axes` (all by default): pairwise products, ⌈log₂ n⌉ levels. An empty axis gives 1. */
export function prod(x: TensorLike, axes?: Axes, opts: ReduceOptions = {}): Tensor {
  const t = numeric(x);
  const ax = normalizeAxes('prod', axes, t.ndim);
  const kept = [...t.shape.keys()].filter((i) => !ax.includes(i));
  const keptShape = kept.map((i) => t.shape[i]!);
  const n = ax.reduce((s, a) => s * t.shape[a]!, 1);
  let y: Tensor;
  if (n === 0) y = full(keptShape, 1, { dtype: t.dtype });
  else {
    // the reduced axes last, as one axis of n entries
    y = reshape(permute(t, [...kept, ...ax]), [...keptShape, n]);
    for (let k = n; k > 1; k = Math.ceil(k / 2)) {
      if (k % 2) y = pad(y, [0, 1], 'constant', 1);
      y = mul(sliceAxis(y, -1, 0, undefined, 2), sliceAxis(y, -1, 1, undefined, 2));
    }
    y = reshape(y, keptShape);
  }
  return opts.keepdim
    ? reshape(
        y,
        t.shape.map((d, i) => (ax.includes(i) ? 1 : d)),
      )
    : y;
}

/** y shifted by `d` entries towards higher indices along `axis`, the first `d` entries `fill`. */
function shifted(y: Tensor, axis: number, d: number, fill: number): Tensor {
  const lo = y.shape.map((_, i) => (i === axis ? d : 0));
  const zeros = y.shape.map(() => 0);
  return bind1(P.pad, [sliceAxis(y, axis, 0, y.shape[axis]! - d)], {
    lo,
    hi: zeros,
    interior: zeros,
    value: fill,
  });
}

/** Inclusive scan along one axis by doubling strides (Hillis–Steele): ⌈log₂ n⌉ passes of one op each. */
function inclusiveScan(
  op: string,
  x: TensorLike,
  axis: number,
  combine: typeof add,
  identity: number,
): Tensor {
  const t = numeric(x);
  if (t.ndim === 0) return t;
  const a = normalizeAxis(op, axis, t.ndim);
  const n = t.shape[a]!;
  let y = t;
  for (let d = 1; d < n; d *= 2) y = combine(y, shifted(y, a, d, identity));
  return y;
}

/** torch.cumsum(x, axis): running sums along one axis. */
export const cumsum = (x: TensorLike, axis: number): Tensor => inclusiveScan('cumsum', x, axis, add, 0);

/** torch.cumprod(x, axis): running products along one axis (exact with zeros, unlike exp(cumsum(log))). */
export const cumprod = (x: TensorLike, axis: number): Tensor => inclusiveScan('cumprod', x, axis, mul, 1);
