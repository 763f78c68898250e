/**
 * How `jacobian` computes J[i, j] = ∂out_i/∂x_j of a map R^N → R^N: one small module per mode, listed here.
 * Every mode returns the dense Jacobian (written as DIR/jacobian.npy); a mode may also return the Jacobian
 * in sparse form on its detected sparsity pattern (what `--pattern-out` writes) and add fields to the
 * command's JSON report (e.g. how many passes it took).
 */
import type { SparseMatrix, Tensor } from '../../core/index';
import { forwardMode } from './fwd';
import { reverseMode } from './rev';
import { sparseMode } from './sparse';

export interface JacobianResult {
  /** The Jacobian [N, N] in the input's dtype. */
  jacobian: Tensor;
  /**
   * The same Jacobian on its sparsity pattern as found by detection (never read off the values), when the
   * mode computed one; otherwise the command detects the pattern itself if `--pattern-out` asks for it.
   */
  sparse?: SparseMatrix;
  /** Extra fields for the JSON line. */
  report?: Record<string, unknown>;
}

export interface JacobianMode {
  name: string;
  /** One line for --help. */
  help: string;
  jacobian(f: (x: Tensor) => Tensor, x: Tensor): JacobianResult;
  /**
   * The dense Jacobian as one function of x, for the compiled backends to jit whole; absent when the mode
   * only runs eagerly.
   */
  dense?(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor;
}

export const JACOBIAN_MODES = [
  forwardMode,
  reverseMode,
  sparseMode,
] as const satisfies readonly JacobianMode[];
export const MODE_NAMES = JACOBIAN_MODES.map((m) => m.name) as [string, ...string[]];

export function jacobianMode(name: string): JacobianMode {
  const mode = JACOBIAN_MODES.find((m) => m.name === name);
  if (!mode) throw new Error(`unknown Jacobian mode '${name}' (allowed: ${MODE_NAMES.join(', ')})`);
  return mode;
}
