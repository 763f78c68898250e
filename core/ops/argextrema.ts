/**
 * argmax/argmin and max/min with indices, from comparisons against the extreme value and an index tensor (no
 * primitive of their own). As in PyTorch, the first index wins a tie and a NaN counts as the extreme; the
 * values of `max`/`min` are gathered at that index, so their gradient goes to it alone (amax/amin share it
 * among ties instead).
 */

import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { fmt, normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { arange } from './creation';
import { asTensor, eq, ne, type TensorLike, where } from './elementwise';
import { amax, amin, type ReduceOptions } from './reduce';
import { flatten, reshape, squeeze } from './shape';

type Extreme = typeof amax;

/** The first index of the extreme along `axis`, kept as a size-1 axis (int32). */
function firstExtremeIndex(op: string, x: Tensor, axis: number, extreme: Extreme): Tensor {
  const n = x.shape[axis]!;
  if (n === 0) throw new Error(`${op}: cannot reduce the empty axis ${axis} of shape ${fmt(x.shape)}`);
  const m = extreme(x, axis, { keepdim: true });
  const hit = where(ne(x, x), true, eq(x, m));
  const index = reshape(
    arange(n),
    x.shape.map((d, i) => (i === axis ? d : 1)),
  );
  return amin(where(hit, index, n), axis, { keepdim: true });
}

function argExtreme(op: string, extreme: Extreme) {
  return (x: TensorLike, axis?: number, opts: ReduceOptions = {}): Tensor => {
    const t = asTensor(x);
    if (axis === undefined) {
      // over all entries, as an index into the flattened tensor
      const i = squeeze(firstExtremeIndex(op, flatten(t), 0, extreme), 0);
      return opts.keepdim
        ? reshape(
            i,
            t.shape.map(() => 1),
          )
        : i;
    }
    if (t.ndim === 0) return asTensor(0, 'int32');
    const a = normalizeAxis(op, axis, t.ndim);
    const i = firstExtremeIndex(op, t, a, extreme);
    return opts.keepdim ? i : squeeze(i, a);
  };
}

/** torch.argmax: the index of the largest entry along `axis` (of the flattened tensor without one), int32. */
export const argmax = argExtreme('argmax', amax);
/** torch.argmin: the index of the smallest entry along `axis` (of the flattened tensor without one), int32. */
export const argmin = argExtreme('argmin', amin);

/** torch.max(x, dim) / torch.min(x, dim): the extreme values and their (first) indices. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

function extremeWithIndices(op: string, extreme: Extreme) {
  return (x: TensorLike, axis: number, opts: ReduceOptions = {}): ValuesIndices => {
    const t = asTensor(x);
    if (axis === undefined)
      throw new Error(
        `${op}: give the axis (${op}(x, axis) returns values and indices); for the ${op}imum of all entries use a${op}(x)`,
      );
    if (t.ndim === 0) return { values: t, indices: asTensor(0, 'int32') };
    const a = normalizeAxis(op, axis, t.ndim);
    const indices = firstExtremeIndex(op, t, a, extreme);
    const values = bind1(P.gather, [t, indices], { axis: a });
    return opts.keepdim ? { values, indices } : { values: squeeze(values, a), indices: squeeze(indices, a) };
  };
}

/** torch.max(x, axis, keepdim): `{ values, indices }`; the gradient of values reaches the index only. */
export const max = extremeWithIndices('max', amax);
/** torch.min(x, axis, keepdim): `{ values, indices }`; the gradient of values reaches the index only. */
export const min = extremeWithIndices('min', amin);
