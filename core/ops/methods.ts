/** Tensor methods (x.add(y), x.get(...), x.at(...).set(v)): thin aliases of the op functions. */
import type { DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from './elementwise';
import * as E from './elementwise';
import * as I from './indexing';
import * as L from './linalg';
import * as R from './reduce';
import * as S from './shape';

type Axes = R.Axes;

declare module '../tensor/tensor' {
  interface Tensor {
    /** The method form of {@link add}. */
    add(y: TensorLike): Tensor;
    /** The method form of {@link sub}. */
    sub(y: TensorLike): Tensor;
    /** The method form of {@link mul}. */
    mul(y: TensorLike): Tensor;
    /** The method form of {@link div}. */
    div(y: TensorLike): Tensor;
    /** The method form of {@link pow}. */
    pow(y: TensorLike): Tensor;
    /** The method form of {@link neg}. */
    neg(): Tensor;
    /** The method form of {@link abs}. */
    abs(): Tensor;
    /** The method form of {@link sin}. */
    sin(): Tensor;
    /** The method form of {@link cos}. */
    cos(): Tensor;
    /** The method form of {@link tan}. */
    tan(): Tensor;
    /** The method form of {@link exp}. */
    exp(): Tensor;
    /** The method form of {@link log}. */
    log(): Tensor;
    /** The method form of {@link sqrt}. */
    sqrt(): Tensor;
    /** The method form of {@link tanh}. */
    tanh(): Tensor;
    /** The method form of {@link sigmoid}. */
    sigmoid(): Tensor;
    /** The method form of {@link maximum}. */
    maximum(y: TensorLike): Tensor;
    /** The method form of {@link minimum}. */
    minimum(y: TensorLike): Tensor;
    /** The method form of {@link lt}. */
    lt(y: TensorLike): Tensor;
    /** The method form of {@link le}. */
    le(y: TensorLike): Tensor;
    /** The method form of {@link gt}. */
    gt(y: TensorLike): Tensor;
    /** The method form of {@link ge}. */
    ge(y: TensorLike): Tensor;
    /** The method form of {@link eq}. */
    eq(y: TensorLike): Tensor;
    /** The method form of {@link ne}. */
    ne(y: TensorLike): Tensor;
    /** The method form of {@link cast}. */
    to(dtype: DType): Tensor;
    /** The method form of {@link sum}. */
    sum(axes?: Axes, opts?: R.ReduceOptions): Tensor;
    /** The method form of {@link mean}. */
    mean(axes?: Axes, opts?: R.ReduceOptions): Tensor;
    /** The method form of {@link amax}. */
    amax(axes?: Axes, opts?: R.ReduceOptions): Tensor;
    /** The method form of {@link amin}. */
    amin(axes?: Axes, opts?: R.ReduceOptions): Tensor;
    /** The method form of {@link reshape}. */
    reshape(...shape: number[]): Tensor;
    /** The method form of {@link flatten}. */
    flatten(): Tensor;
    /** The method form of {@link expand}. */
    expand(...shape: number[]): Tensor;
    /** The method form of {@link permute}. */
    permute(...perm: number[]): Tensor;
    /** The method form of {@link transpose}. */
    transpose(a?: number, b?: number): Tensor;
    /** The method form of {@link movedim}. */
    movedim(from: number, to: number): Tensor;
    /** The method form of {@link squeeze}. */
    squeeze(axis?: number): Tensor;
    /** The method form of {@link unsqueeze}. */
    unsqueeze(axis: number): Tensor;
    /** The method form of {@link repeat}. */
    repeat(...counts: number[]): Tensor;
    /** The method form of {@link flip}. */
    flip(axes: Axes): Tensor;
    /** The method form of {@link get}. */
    get(...specs: I.IndexSpec[]): Tensor;
    /** The method form of {@link at}. */
    at(...specs: I.IndexSpec[]): I.IndexUpdate;
    /** The method form of {@link matmul}. */
    matmul(y: Tensor): Tensor;
  }
}

const T = Tensor.prototype;
T.add = function (y) {
  return E.add(this, y);
};
T.sub = function (y) {
  return E.sub(this, y);
};
T.mul = function (y) {
  return E.mul(this, y);
};
T.div = function (y) {
  return E.div(this, y);
};
T.pow = function (y) {
  return E.pow(this, y);
};
T.neg = function () {
  return E.neg(this);
};
T.abs = function () {
  return E.abs(this);
};
T.sin = function () {
  return E.sin(this);
};
T.cos = function () {
  return E.cos(this);
};
T.tan = function () {
  return E.tan(this);
};
T.exp = function () {
  return E.exp(this);
};
T.log = function () {
  return E.log(this);
};
T.sqrt = function () {
  return E.sqrt(this);
};
T.tanh = function () {
  return E.tanh(this);
};
T.sigmoid = function () {
  return E.sigmoid(this);
};
T.maximum = function (y) {
  return E.maximum(this, y);
};
T.minimum = function (y) {
  return E.minimum(this, y);
};
T.lt = function (y) {
  return E.lt(this, y);
};
T.le = function (y) {
  return E.le(this, y);
};
T.gt = function (y) {
  return E.gt(this, y);
};
T.ge = function (y) {
  return E.ge(this, y);
};
T.eq = function (y) {
  return E.eq(this, y);
};
T.ne = function (y) {
  return E.ne(this, y);
};
T.to = function (dtype) {
  return E.cast(this, dtype);
};
T.sum = function (axes, opts) {
  return R.sum(this, axes, opts);
};
T.mean = function (axes, opts) {
  return R.mean(this, axes, opts);
};
T.amax = function (axes, opts) {
  return R.amax(this, axes, opts);
};
T.amin = function (axes, opts) {
  return R.amin(this, axes, opts);
};
T.reshape = function (...shape) {
  return S.reshape(this, shape);
};
T.flatten = function () {
  return S.flatten(this);
};
T.expand = function (...shape) {
  return S.expand(this, shape);
};
T.permute = function (...perm) {
  return S.permute(this, perm);
};
T.transpose = function (a, b) {
  return S.transpose(this, a, b);
};
T.movedim = function (from, to) {
  return S.movedim(this, from, to);
};
T.squeeze = function (axis) {
  return S.squeeze(this, axis);
};
T.unsqueeze = function (axis) {
  return S.unsqueeze(this, axis);
};
T.repeat = function (...counts) {
  return S.repeat(this, ...counts);
};
T.flip = function (axes) {
  return S.flip(this, axes);
};
T.get = function (...specs) {
  return I.get(this, ...specs);
};
T.at = function (...specs) {
  return I.at(this, ...specs);
};
T.matmul = function (y) {
  return L.matmul(this, y);
};
