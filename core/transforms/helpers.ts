/** Small pieces the rule tables share. */

import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { zeros } from '../ops/creation';
import { add, sub } from '../ops/elementwise';
import { reshape } from '../ops/shape';
import { isFloat } from '../tensor/dtype';
import { fmt, type Shape, shapesEqual } from '../tensor/shape';
import type { Aval, Tensor } from '../tensor/tensor';

/** A zero tangent/cotangent is `null` until a rule needs it as a tensor. */
export type Maybe = Tensor | null;

export const zerosOf = (a: Aval): Tensor => zeros(a.shape, { dtype: a.dtype });
export const instantiate = (t: Maybe, a: Aval): Tensor => t ?? zerosOf(a);
export const addMaybe = (a: Maybe, b: Maybe): Maybe => (a === null ? b : b === null ? a : add(a, b));
export const subMaybe = (a: Maybe, b: Maybe, bAval: Aval): Maybe =>
  b === null ? a : a === null ? sub(zerosOf(bAval), b) : sub(a, b);
export const isDifferentiable = (a: Aval): boolean => isFloat(a.dtype);

/** Sum a broadcast result back to `shape` (the cotangent rule of NumPy broadcasting). */
export function unbroadcast(ct: Tensor, shape: Shape): Tensor {
  if (shapesEqual(ct.shape, shape)) return ct;
  const lead = ct.ndim - shape.length;
  if (lead < 0) throw new Error(`unbroadcast: cannot reduce ${fmt(ct.shape)} to ${fmt(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < ct.ndim; i++)
    if (i < lead || (shape[i - lead] === 1 && ct.shape[i] !== 1)) axes.push(i);
  const summed = axes.length ? bind1(P.sum, [ct], { axes }) : ct;
  return reshape(summed, shape);
}

/** Broadcast a tangent to the output shape (when the other operand's tangent was zero). */
export function broadcastTo(t: Tensor, shape: Shape): Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  const r = reshape(t, [...Array(shape.length - t.ndim).fill(1), ...t.shape]);
  return bind1(P.expand, [r], { shape });
}

export const invertPerm = (perm: readonly number[]): number[] => {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
};
