/** core: tensors and composable function transforms (torch.func for TypeScript). */
import { cpuBackend } from './backend/cpu/index';
import { setBackend } from './interpreter/trace';
import './ops/methods';

setBackend(cpuBackend);

export type { DType, TypedArray } from './tensor/dtype';
export type { Shape } from './tensor/shape';
export { Tensor, ConcreteTensor, type Aval, type NestedArray } from './tensor/tensor';
export * from './ops/creation';
export * from './ops/elementwise';
export * from './ops/reduce';
export * from './ops/shape';
export * from './ops/indexing';
export * from './ops/linalg';
export { gaussLegendre } from './ops/gauss';
export { scan, fori, type ScanOptions } from './control/scan';
export { linear, initLinear, type LinearParams } from './nn/linear';
export { vmap, type VmapOptions } from './api/vmap';
export { vjp, grad, valueAndGrad, type GradOptions } from './api/grad';
export { jvp, linearize, type JvpOptions } from './api/jvp';
export { jacfwd, jacrev, hessian, type JacobianOptions } from './api/jacobian';
export { makeJaxpr } from './ir/stage';
export { evalJaxpr, printJaxpr, type Jaxpr, type ClosedJaxpr } from './ir/jaxpr';
export { flatten as treeFlatten, unflatten as treeUnflatten } from './util/pytree';
