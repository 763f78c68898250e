/**
 * Derivatives of the smooth elementwise primitives, written once: f'(x) from the input x and the output y.
 * Forward mode multiplies a tangent by them, reverse mode a cotangent.
 */
import { add, cos, div, mul, neg, pow, sign, sin, sub } from '../ops/elementwise';
import type { Tensor } from '../tensor/tensor';

export const unaryDerivative = {
  sin: (x: Tensor) => cos(x),
  cos: (x: Tensor) => neg(sin(x)),
  tan: (_x: Tensor, y: Tensor) => add(mul(y, y), 1),
  exp: (_x: Tensor, y: Tensor) => y,
  log: (x: Tensor) => div(1, x),
  sqrt: (_x: Tensor, y: Tensor) => div(0.5, y),
  tanh: (_x: Tensor, y: Tensor) => sub(1, mul(y, y)),
  logistic: (_x: Tensor, y: Tensor) => mul(y, sub(1, y)),
  abs: (x: Tensor) => sign(x),
} satisfies Record<string, (x: Tensor, y: Tensor) => Tensor>;

export type SmoothUnary = keyof typeof unaryDerivative;

/** d/dx x^p for a constant exponent. */
export const powScalarDerivative = (x: Tensor, p: number): Tensor =>
  p === 2 ? mul(x, 2) : mul(pow(x, p - 1), p);
