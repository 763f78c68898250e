/**
 * Sparse mode: detect the global sparsity pattern of the Jacobian (a structural transform, no derivatives
 * evaluated), colour its columns, evaluate one JVP per colour (batched with vmap) and decompress. When no two
 * columns can share a colour (a full pattern, say) the core takes the plain dense path and says so.
 */
import { colorColumns, jacobianSparsity, sparseJacfwd } from '../../core/index';
import { timed } from '../command';
import type { JacobianMode } from './index';

export const sparseMode: JacobianMode = {
  name: 'sparse',
  help: 'sparse: detect the sparsity pattern, colour its columns, one tangent per colour (compressed jacfwd; dense when nothing compresses)',
  jacobian(f, x) {
    const [pattern, detectSeconds] = timed(() => jacobianSparsity(f)(x));
    const [coloring, colorSeconds] = timed(() => colorColumns(pattern));
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
