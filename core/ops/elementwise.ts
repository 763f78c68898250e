/** Elementwise ops: dtype promotion and scalar handling here; broadcasting is done by the primitives. */

import type { Primitive } from '../interpreter/primitive';
import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { type DType, isFloat, promoteTypes } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { DEFAULT_DTYPE, full } from './creation';

export type TensorLike = Tensor | number | boolean;

/** A lone number becomes a 0-d tensor of `like` (float64 by default). */
export function asTensor(x: TensorLike, like: DType = DEFAULT_DTYPE): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'boolean') return full([], +x, { dtype: like });
  if (typeof x !== 'number') throw new Error(`expected a tensor or a number, got ${typeof x}`);
  return full([], x, { dtype: like });
}

export function cast(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : bind1(P.cast, [x], { dtype });
}

/** The common dtype: tensors promote among themselves; numbers follow them unless they do not fit. */
export function resultDtype(xs: readonly TensorLike[]): DType {
  let dtype: DType | undefined;
  for (const x of xs) if (x instanceof Tensor) dtype = dtype ? promoteTypes(dtype, x.dtype) : x.dtype;
  if (!dtype) return DEFAULT_DTYPE;
  for (const x of xs) {
    if (typeof x !== 'number' || isFloat(dtype)) continue;
    dtype = Number.isInteger(x) ? promoteTypes(dtype, 'int32') : DEFAULT_DTYPE;
  }
  return dtype;
}

export function unify(xs: readonly TensorLike[]): Tensor[] {
  const d = resultDtype(xs);
  return xs.map((x) => cast(asTensor(x, d), d));
}

const floatOf = (d: DType): DType => (isFloat(d) ? d : DEFAULT_DTYPE);

function unaryOp(prim: Primitive<any>, needsFloat: boolean) {
  return (x: TensorLike): Tensor => {
    const t = asTensor(x);
    return bind1(prim, [needsFloat ? cast(t, floatOf(t.dtype)) : t], {});
  };
}

function binaryOp(prim: Primitive<any>, float = false) {
  return (x: TensorLike, y: TensorLike): Tensor => {
    const [a, b] = unify([x, y]);
    if (float && !isFloat(a!.dtype))
      return bind1(prim, [cast(a!, DEFAULT_DTYPE), cast(b!, DEFAULT_DTYPE)], {});
    return bind1(prim, [a!, b!], {});
  };
}

export const neg = unaryOp(P.neg, false);
export const abs = unaryOp(P.abs, false);
export const sign = unaryOp(P.sign, false);
export const sin = unaryOp(P.sin, true);
export const cos = unaryOp(P.cos, true);
export const tan = unaryOp(P.tan, true);
export const exp = unaryOp(P.exp, true);
export const log = unaryOp(P.log, true);
export const sqrt = unaryOp(P.sqrt, true);
export const tanh = unaryOp(P.tanh, true);
export const sigmoid = unaryOp(P.logistic, true);

export const add = binaryOp(P.add);
export const sub = binaryOp(P.sub);
export const mul = binaryOp(P.mul);
export const div = binaryOp(P.div, true);
export const maximum = binaryOp(P.maximum);
export const minimum = binaryOp(P.minimum);
export const lt = binaryOp(P.lt);
export const le = binaryOp(P.le);
export const gt = binaryOp(P.gt);
export const ge = binaryOp(P.ge);
export const eq = binaryOp(P.eq);
export const ne = binaryOp(P.ne);

/** x ** y; a number exponent becomes a parameter (exact integer powers, a simple derivative). */
export function pow(x: TensorLike, y: TensorLike): Tensor {
  if (typeof y === 'number') {
    const t = asTensor(x);
    if (y === 1) return t;
    return bind1(P.powScalar, [Number.isInteger(y) ? t : cast(t, floatOf(t.dtype))], { p: y });
  }
  return binaryOp(P.pow, true)(x, y);
}

export const square = (x: TensorLike) => pow(x, 2);

export function where(cond: TensorLike, x: TensorLike, y: TensorLike): Tensor {
  const c = asTensor(cond, 'bool');
  if (c.dtype !== 'bool') throw new Error(`where: the condition must be a bool tensor, got ${c.dtype}`);
  const [a, b] = unify([x, y]);
  return bind1(P.where, [c, a!, b!], {});
}

/**
 * torch.clamp: x limited to [lo, hi] (either bound may be null). As in PyTorch, the gradient w.r.t. x is 1 at a
 * bound and inside, 0 outside; a bound tensor gets the gradient where it is the result; with lo > hi every
 * entry is hi.
 */
export function clamp(x: TensorLike, lo: TensorLike | null = null, hi: TensorLike | null = null): Tensor {
  if (lo === null && hi === null)
    throw new Error('clamp: give at least one of lo and hi (null leaves a side open)');
  let out = asTensor(x);
  if (lo !== null) out = where(lt(out, lo), lo, out);
  if (hi !== null) out = where(gt(out, hi), hi, out);
  return out;
}

/** max(x, 0), with PyTorch's gradient 0 at x = 0 (where maximum(x, 0) would split it); NaN stays NaN. */
export function relu(x: TensorLike): Tensor {
  const t = asTensor(x);
  return where(le(t, 0), 0, t);
}
