/** Elementwise ops: dtype promotion and scalar handling here; broadcasting is done by the primitives. */

import type { Primitive } from '../interpreter/primitive';
import { P } from '../interpreter/primitives';
import { bind1 } from '../interpreter/trace';
import { type DType, isFloat, promoteTypes } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { DEFAULT_DTYPE, full } from './creation';

/** What the ops accept: a tensor, or a number or boolean (a 0-d tensor of the other operand's dtype). */
export type TensorLike = Tensor | number | boolean;

/** A lone number becomes a 0-d tensor of `like` (float64 by default). */
export function asTensor(x: TensorLike, like: DType = DEFAULT_DTYPE): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'boolean') return full([], +x, { dtype: like });
  if (typeof x !== 'number') throw new Error(`expected a tensor or a number, got ${typeof x}`);
  return full([], x, { dtype: like });
}

/** x converted to `dtype` (torch `x.to(dtype)`); differentiable between floating dtypes. */
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

/** The operands as tensors of their common dtype ({@link resultDtype}). */
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

/** −x. */
export const neg = unaryOp(P.neg, false);
/** |x| (gradient sign(x), 0 at 0). */
export const abs = unaryOp(P.abs, false);
/** The sign of x: −1, 0 or 1 (zero gradient). */
export const sign = unaryOp(P.sign, false);
/** sin x (integers are promoted to float64, as every transcendental here). */
export const sin = unaryOp(P.sin, true);
/** cos x. */
export const cos = unaryOp(P.cos, true);
/** tan x. */
export const tan = unaryOp(P.tan, true);
/** eˣ. */
export const exp = unaryOp(P.exp, true);
/** The natural logarithm. */
export const log = unaryOp(P.log, true);
/** √x. */
export const sqrt = unaryOp(P.sqrt, true);
/** tanh x. */
export const tanh = unaryOp(P.tanh, true);
/** The logistic function 1 / (1 + e⁻ˣ) (torch.sigmoid). */
export const sigmoid = unaryOp(P.logistic, true);

/** x + y, broadcasting (NumPy rules) and promoting dtypes. */
export const add = binaryOp(P.add);
/** x − y, broadcasting. */
export const sub = binaryOp(P.sub);
/** x · y, broadcasting. */
export const mul = binaryOp(P.mul);
/** x / y, broadcasting; true division (integers give float64). */
export const div = binaryOp(P.div, true);
/** The elementwise larger of x and y; at a tie the gradient is split in halves (as JAX). */
export const maximum = binaryOp(P.maximum);
/** The elementwise smaller of x and y; at a tie the gradient is split in halves (as JAX). */
export const minimum = binaryOp(P.minimum);
/** x < y as a bool tensor. */
export const lt = binaryOp(P.lt);
/** x ≤ y as a bool tensor. */
export const le = binaryOp(P.le);
/** x > y as a bool tensor. */
export const gt = binaryOp(P.gt);
/** x ≥ y as a bool tensor. */
export const ge = binaryOp(P.ge);
/** x = y as a bool tensor. */
export const eq = binaryOp(P.eq);
/** x ≠ y as a bool tensor (true where x is NaN against itself). */
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

/** x². */
export const square = (x: TensorLike) => pow(x, 2);

/** torch.where: x where `cond` holds, else y (broadcasting all three); the gradient flows to the branch taken. */
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
