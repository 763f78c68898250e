/**
 * Sparse mode: detect the global sparsity pattern of the Jacobian (a structural transform, no derivatives
 * evaluated), colour its columns, evaluate one JVP per colour (batched with vmap) and decompress. When no two
 * columns can share a colour (a full pattern, say) the core takes the plain dense path and says so.
 */
import {
  type Coloring,
  colorColumns,
  jacobianSparsity,
  type SparsityPattern,
  sparseJacfwd,
  type Tensor,
} from '../../core/index';
import { timed } from '../command';
import type { JacobianMode } from './index';

export interface SparsePlan {
  pattern: SparsityPattern;
  coloring: Coloring;
  detectSeconds: number;
  colorSeconds: number;
}

/**
 * The pattern of f's Jacobian at x, valid for every value of x (structural), and a column colouring of it:
 * what `jacobian --mode sparse` computes once per case and `sweep` once per spec.
 */
export function sparsePlan(f: (x: Tensor) => Tensor, x: Tensor): SparsePlan {
  const [pattern, detectSeconds] = timed(() => jacobianSparsity(f)(x));
  const [coloring, colorSeconds] = timed(() => colorColumns(pattern));
  return { pattern, coloring, detectSeconds, colorSeconds };
}

export const sparseMode: JacobianMode = {
  name: 'sparse',
  help: 'sparse: detect the sparsity pattern, colour its columns, one tangent per colour (compressed jacfwd; dense when nothing compresses)',
  jacobian(f, x) {
    const { pattern, coloring, detectSeconds, colorSeconds } = sparsePlan(f, x);
    const [J, evalSeconds] = timed(() => sparseJacfwd(f, { pattern, coloring })(x));
    return {
      jacobian: J.toDense(x.dtype),
      sparse: J,
      report: {
        nnz: pattern.nnz,
        colors: coloring.count,
        passes: J.passes,
        dense: J.dense,
        detect_seconds: detectSeconds,
        color_seconds: colorSeconds,
        eval_seconds: evalSeconds,
      },
    };
  },
};
