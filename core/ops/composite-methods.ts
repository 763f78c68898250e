/** Tensor methods for the ops written as compositions (x.softmax(1), x.cumsum(0), ...), as torch has them. */
import { Tensor } from '../tensor/tensor';
import * as A from './argextrema';
import type { TensorLike } from './elementwise';
import * as E from './elementwise';
import type { Axes, ReduceOptions } from './reduce';
import * as C from './scans';
import * as S from './shape';
import * as X from './softmax';

declare module '../tensor/tensor' {
  interface Tensor {
    /** The method form of {@link clamp}. */
    clamp(lo?: TensorLike | null, hi?: TensorLike | null): Tensor;
    /** The method form of {@link relu}. */
    relu(): Tensor;
    /** The method form of {@link softmax}. */
    softmax(axis: number): Tensor;
    /** The method form of {@link logSoftmax}. */
    logSoftmax(axis: number): Tensor;
    /** The method form of {@link logsumexp}. */
    logsumexp(axes?: Axes, opts?: ReduceOptions): Tensor;
    /** The method form of {@link prod}. */
    prod(axes?: Axes, opts?: ReduceOptions): Tensor;
    /** The method form of {@link cumsum}. */
    cumsum(axis: number): Tensor;
    /** The method form of {@link cumprod}. */
    cumprod(axis: number): Tensor;
    /** The method form of {@link argmax}. */
    argmax(axis?: number, opts?: ReduceOptions): Tensor;
    /** The method form of {@link argmin}. */
    argmin(axis?: number, opts?: ReduceOptions): Tensor;
    /** The method form of {@link roll}. */
    roll(shifts: number | readonly number[], axes?: number | readonly number[]): Tensor;
  }
}

const T = Tensor.prototype;
T.clamp = function (lo, hi) {
  return E.clamp(this, lo, hi);
};
T.relu = function () {
  return E.relu(this);
};
T.softmax = function (axis) {
  return X.softmax(this, axis);
};
T.logSoftmax = function (axis) {
  return X.logSoftmax(this, axis);
};
T.logsumexp = function (axes, opts) {
  return X.logsumexp(this, axes, opts);
};
T.prod = function (axes, opts) {
  return C.prod(this, axes, opts);
};
T.cumsum = function (axis) {
  return C.cumsum(this, axis);
};
T.cumprod = function (axis) {
  return C.cumprod(this, axis);
};
T.argmax = function (axis, opts) {
  return A.argmax(this, axis, opts);
};
T.argmin = function (axis, opts) {
  return A.argmin(this, axis, opts);
};
T.roll = function (shifts, axes) {
  return S.roll(this, shifts, axes);
};
