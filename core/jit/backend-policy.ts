/**
 * What a backend choice means for a computation in a given dtype: one policy for the CLI and the workbench.
 *
 * - `eager`: core's uncompiled reference path, in the dtype asked for.
 * - `auto` with float64: core's wasm target (it keeps float64); where wasm cannot run the program, the eager
 *   reference, still in float64 (never gpu.js's float32).
 * - `auto` with float32: jit's own chain (a hardware GPU, else wasm, else gpu.js's webasm, cpu, then eager).
 * - anything else: compiled on that backend, jit falling back along its chain if it cannot run there.
 * gpu.js's targets compute in float32 whatever is asked (`computeDtype`); each host says how it tells the user
 * (the CLI refuses float64 with them, the workbench shows float32 beside the result).
 */
import { isFloat32Only, type JitBackend } from './backend-names';

export type BackendPlan =
  | { kind: 'eager' }
  /** `orEager`: only this backend, and the eager reference (same dtype) if it cannot run the program. */
  | { kind: 'compiled'; backend: Exclude<JitBackend, 'eager'>; orEager: boolean };

export function planBackend(choice: JitBackend, dtype: 'float32' | 'float64'): BackendPlan {
  if (choice === 'eager') return { kind: 'eager' };
  if (choice === 'auto' && dtype === 'float64') return { kind: 'compiled', backend: 'wasm', orEager: true };
  return { kind: 'compiled', backend: choice, orEager: false };
}

/** The dtype a backend computes in when `dtype` is asked for. */
export function computeDtype<D extends 'float32' | 'float64'>(backend: JitBackend, dtype: D): D | 'float32' {
  return isFloat32Only(backend) ? 'float32' : dtype;
}
