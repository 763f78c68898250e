/** Reductions over axes, with keepdim as in PyTorch. */

import type { Primitive } from '../interpreter/primitive';
import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { normalizeAxes, sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { cast, div } from './elementwise';
import { reshape } from './shape';

/** Options of the reductions. */
export interface ReduceOptions {
  /** Keep each reduced axis as size 1 (so the result broadcasts against the input). */
  keepdim?: boolean;
}
/** One axis or several (negative counts from the end). */
export type Axes = number | readonly number[];

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

/** torch.sum over `axes` (all by default); bool counts as int32. */
export const sum = reduceOp(P.sum, 'sum');
/** torch.amax: the largest entry over `axes`; tied entries share the gradient equally (as torch and JAX). */
export const amax = reduceOp(P.max, 'max');
/** torch.amin: the smallest entry over `axes`; tied entries share the gradient equally. */
export const amin = reduceOp(P.min, 'min');

/** torch.mean over `axes` (all by default). */
export function mean(x: Tensor, axes?: Axes, opts: ReduceOptions = {}): Tensor {
  const ax = normalizeAxes('mean', axes, x.ndim);
  return div(sum(x, ax, opts), sizeOf(ax.map((a) => x.shape[a]!)));
}
