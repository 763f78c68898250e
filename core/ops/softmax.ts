/**
 * softmax, logSoftmax and logsumexp written with core's ops (as JAX writes them), so every transform, the
 * sparsity detector and every jit target handle them through the ops they are made of.
 */

import { isFloat } from '../tensor/dtype';
import { normalizeAxes, normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { DEFAULT_DTYPE } from './creation';
import { add, asTensor, cast, div, eq, exp, log, sub, type TensorLike, where } from './elementwise';
import { type Axes, amax, type ReduceOptions, sum } from './reduce';
import { reshape } from './shape';

const floating = (x: TensorLike): Tensor => {
  const t = asTensor(x);
  return isFloat(t.dtype) ? t : cast(t, DEFAULT_DTYPE);
};

/**
 * The max along `axes` (kept as size-1 axes), or 0 where it is not finite: subtracting it keeps exp() from
 * overflowing and changes neither result nor derivative (an all −∞ slice then gives −∞, not NaN).
 */
function stableShift(x: Tensor, axes: readonly number[]): Tensor {
  const m = amax(x, axes, { keepdim: true });
  // m − m is 0 exactly when m is finite (written without an infinite literal, which WGSL cannot hold)
  return where(eq(sub(m, m), 0), m, 0);
}

/** torch.logsumexp: log Σ exp(x) over `axes` (all by default), computed without overflow. */
export function logsumexp(x: TensorLike, axes?: Axes, opts: ReduceOptions = {}): Tensor {
  const t = floating(x);
  const ax = normalizeAxes('logsumexp', axes, t.ndim);
  if (ax.some((a) => t.shape[a] === 0))
    throw new Error(`logsumexp: cannot reduce an empty axis of shape [${t.shape}]`);
  const shift = stableShift(t, ax);
  const out = add(log(sum(exp(sub(t, shift)), ax, { keepdim: true })), shift);
  return opts.keepdim
    ? out
    : reshape(
        out,
        t.shape.filter((_, i) => !ax.includes(i)),
      );
}

/** torch.softmax(x, axis): exp(x) / Σ exp(x) along one axis, with the max subtracted first. */
export function softmax(x: TensorLike, axis: number): Tensor {
  const t = floating(x);
  const a = normalizeAxis('softmax', axis, t.ndim);
  const e = exp(sub(t, stableShift(t, [a])));
  return div(e, sum(e, a, { keepdim: true }));
}

/** torch.log_softmax(x, axis): x − logsumexp(x) along one axis (accurate where softmax underflows). */
export function logSoftmax(x: TensorLike, axis: number): Tensor {
  const t = floating(x);
  const a = normalizeAxis('logSoftmax', axis, t.ndim);
  return sub(t, logsumexp(t, a, { keepdim: true }));
}
