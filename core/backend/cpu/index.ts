/** The float64 reference backend: every first-order primitive as a loop over typed arrays. */
import type { Backend } from '../../interpreter/backend';
import type { ParamsOf, PrimName } from '../../interpreter/primitives';
import { allocate } from '../../tensor/dtype';
import { type Aval, ConcreteTensor } from '../../tensor/tensor';
import { binaryCode, mapBinary, mapUnary, mapWhere, negate } from './elementwise';
import * as K from './structural';

/** A kernel gets its inputs, its params, the output aval (already checked by the shape rule) and its name. */
type Kernel<N extends PrimName> = (
  xs: ConcreteTensor[],
  params: ParamsOf<N>,
  out: Aval,
  name: string,
) => ConcreteTensor;

const unary =
  (f: (x: number) => number): Kernel<any> =>
  ([x]) =>
    mapUnary(x!, f);
const binary =
  (f: (x: number, y: number) => number): Kernel<any> =>
  (xs, _params, out, name) =>
    mapBinary(xs[0]!, xs[1]!, out.shape, out.dtype, binaryCode[name] ?? 4, f);
const logistic = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const maxOf = (a: number, b: number) => (a > b || Number.isNaN(a) ? a : b);
const minOf = (a: number, b: number) => (a < b || Number.isNaN(a) ? a : b);

const kernels: { [N in Exclude<PrimName, 'scan'>]: Kernel<N> } = {
  neg: ([x]) => negate(x!),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  exp: unary(Math.exp),
  log: unary(Math.log),
  sqrt: unary(Math.sqrt),
  tanh: unary(Math.tanh),
  logistic: unary(logistic),
  abs: unary(Math.abs),
  sign: unary(Math.sign),
  powScalar: ([x], { p }) =>
    mapUnary(x!, p === 2 ? (v) => v * v : p === 4 ? (v) => v * v * (v * v) : (v) => v ** p),
  add: binary((a, b) => a + b),
  sub: binary((a, b) => a - b),
  mul: binary((a, b) => a * b),
  div: binary((a, b) => a / b),
  pow: binary((a, b) => a ** b),
  maximum: binary(maxOf),
  minimum: binary(minOf),
  lt: binary((a, b) => +(a < b)),
  le: binary((a, b) => +(a <= b)),
  gt: binary((a, b) => +(a > b)),
  ge: binary((a, b) => +(a >= b)),
  eq: binary((a, b) => +(a === b)),
  ne: binary((a, b) => +(a !== b)),
  where: (xs, _p, out) => mapWhere(xs[0]!, xs[1]!, xs[2]!, out.shape),
  cast: ([x], { dtype }) => {
    const out = allocate(dtype, x!.data.length);
    if (dtype === 'bool') for (let i = 0; i < out.length; i++) out[i] = +(x!.data[i] !== 0);
    else if (dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = Math.trunc(x!.data[i]!);
    else out.set(x!.data);
    return new ConcreteTensor(out, x!.shape, dtype);
  },
  sum: ([x], { axes }) => K.sum(x!, axes),
  max: ([x], { axes }) => K.reduce(x!, axes, Number.NEGATIVE_INFINITY, maxOf),
  min: ([x], { axes }) => K.reduce(x!, axes, Number.POSITIVE_INFINITY, minOf),
  reshape: ([x], { shape }) => new ConcreteTensor(x!.data, shape, x!.dtype),
  expand: ([x], { shape }) => K.expand(x!, shape),
  transpose: ([x], { perm }) => K.transpose(x!, perm),
  slice: (xs, params, out) => K.slice(xs[0]!, out.shape, params),
  pad: (xs, params, out) => K.pad(xs[0]!, out.shape, params),
  flip: ([x], { axes }) => K.flip(x!, axes),
  concat: (xs, params, out) => K.concat(xs, out.shape, params.axis),
  matmul: (xs) => K.matmul(xs[0]!, xs[1]!),
  gather: (xs, { axis }) => K.gather(xs[0]!, xs[1]!, axis),
  scatterAdd: (xs, { axis }) => K.scatterAdd(xs[0]!, xs[1]!, xs[2]!, axis),
};

export const cpuBackend: Backend = {
  name: 'cpu-float64',
  execute(prim, inputs, params) {
    const k = (kernels as Record<string, Kernel<any>>)[prim.name];
    if (!k) throw new Error(`the CPU backend has no kernel for primitive '${prim.name}'`);
    const [out] = prim.abstractEval(inputs, params);
    return [k(inputs, params, out!, prim.name)];
  },
};
