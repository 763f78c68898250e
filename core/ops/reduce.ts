/** Reductions over axes, with keepdim as in PyTorch. */

import type { Primitive } from '../interpreter/primitive';
import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { normalizeAxes, sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { cast, div } from './elementwise';
import { reshape } from './shape';

export interface ReduceOptions {
  keepdim?: boolean;
}
type Axes = number | readonly number[] | undefined;

function reduceOp(prim: Primitive<any>, name: string) {
  return (x: Tensor, axes?: Axes, opts: ReduceOptions = {}): Tensor => {
    const ax = normalizeAxes(name, axes, x.ndim);
    if (prim !== P.sum && ax.some((a) => x.shape[a] === 0))
      throw new Error(`${name}: cannot reduce an empty axis of shape [${x.shape}]`);
    const src = prim === P.sum && x.dtype === 'bool' ? cast(x, 'int32') : x;
    const out = ax.length ? bind1(prim, [src], { axes: ax }) : src;
    return opts.keepdim
      ? reshape(
          out,
          x.shape.map((d, i) => (ax.includes(i) ? 1 : d)),
        )
      : out;
  };
}

export const sum = reduceOp(P.sum, 'sum');
export const amax = reduceOp(P.max, 'max');
export const amin = reduceOp(P.min, 'min');

export function mean(x: Tensor, axes?: Axes, opts: ReduceOptions = {}): Tensor {
  const ax = normalizeAxes('mean', axes, x.ndim);
  return div(sum(x, ax, opts), sizeOf(ax.map((a) => x.shape[a]!)));
}
