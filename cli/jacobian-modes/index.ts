/**
 * How `jacobian` computes J[i, j] = ∂out_i/∂x_j of a map R^N → R^N: one small module per mode, listed here.
 * A mode may add fields to the command's JSON report (e.g. how many passes it took).
 */
import type { Tensor } from '../../core/tensor/tensor';
import { forwardMode } from './fwd';
import { reverseMode } from './rev';

export interface JacobianMode {
  name: string;
  /** One line for --help. */
  help: string;
  jacobian(f: (x: Tensor) => Tensor, x: Tensor): { jacobian: Tensor; report?: Record<string, unknown> };
}

export const JACOBIAN_MODES = [forwardMode, reverseMode] as const satisfies readonly JacobianMode[];
export const MODE_NAMES = JACOBIAN_MODES.map((m) => m.name) as [string, ...string[]];

export function jacobianMode(name: string): JacobianMode {
  const mode = JACOBIAN_MODES.find((m) => m.name === name);
  if (!mode) throw new Error(`unknown Jacobian mode '${name}' (allowed: ${MODE_NAMES.join(', ')})`);
  return mode;
}
