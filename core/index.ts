/** core: tensors and composable function transforms (torch.func for TypeScript). */
import { cpuBackend } from './backend/cpu/index';
import { setBackend } from './interpreter/trace';
import './ops/methods';
import './ops/composite-methods';

setBackend(cpuBackend);

export type { Argnums } from './api/args';
export { type GradOptions, grad, type VjpOptions, valueAndGrad, vjp } from './api/grad';
export {
  type HessianOptions,
  hessian,
  type JacobianOptions,
  jacfwd,
  jacrev,
  valueGradHessian,
} from './api/jacobian';
export { type JvpOptions, jvp, linearize } from './api/jvp';
export { type Dims, type VmapOptions, vmap } from './api/vmap';
export { fori, type ScanOptions, scan } from './control/scan';
export type { Backend } from './interpreter/backend';
export type { Primitive } from './interpreter/primitive';
// the eager backend in use, and a way to wrap it (the benchmarks count and sample its primitive calls)
export { currentBackend, setBackend } from './interpreter/trace';
export {
  decodeNpy,
  encodeNpy,
  encodeNpyArray,
  type NpyArray,
  type NpyData,
  NpyError,
  type NpyHeader,
  type ParseOptions as NpyParseOptions,
  parseNpy,
  parseNpyHeader,
} from './io/npy';
export { type ClosedJaxpr, type Eqn, evalJaxpr, type Jaxpr, printJaxpr, type Var } from './ir/jaxpr';
export { makeJaxpr } from './ir/stage';
export { initLinear, type LinearParams, linear } from './nn/linear';
export * from './ops/argextrema';
export * from './ops/creation';
export { einsum } from './ops/einsum';
export * from './ops/elementwise';
export { gaussLegendre } from './ops/gauss';
export * from './ops/indexing';
export * from './ops/linalg';
export * from './ops/reduce';
export { cumprod, cumsum, prod } from './ops/scans';
export * from './ops/shape';
export { logSoftmax, logsumexp, softmax } from './ops/softmax';
export * from './sparse/index';
export type { DType, TypedArray } from './tensor/dtype';
export { fmt as formatShape, type Shape } from './tensor/shape';
export { type Aval, ConcreteTensor, type NestedArray, Tensor } from './tensor/tensor';
export type { BDim } from './transforms/vmap';
export { flatten as treeFlatten, type TreeDef, unflatten as treeUnflatten } from './util/pytree';
