/** Sparse Jacobians: pattern detection, colouring, compressed evaluation, Matrix Market export. */

export {
  type Coloring,
  type ColoringKind,
  type ColoringOptions,
  colorColumns,
  colorRows,
  colorSymmetric,
  isColumnColoring,
  isStarColoring,
  type VertexOrder,
} from './coloring';
export {
  SparseJacobian,
  type SparseJacobianOptions,
  type SparseMode,
  sparseHessian,
  sparseJacfwd,
  sparseJacrev,
} from './compressed';
export { hessianSparsity, jacobianSparsity, type SparsityOptions } from './detect';
export { fromMatrixMarket, type MatrixMarketOptions, toMatrixMarket, toMatrixMarketBytes } from './mtx';
export { SparseMatrix, SparsityPattern } from './pattern';
