/**
 * Threads for case-by-case runs: a pool runs cases [lo, hi) of a compiled program on another thread, reading
 * inputs from and writing outputs to shared memory. core holds only this interface; hosts install one
 * (node-threads.ts for Node's worker_threads). Without a pool, or for small batches, cases run here.
 */
import type { WasmProgram } from './program';

export interface SharedCases {
  /** Each input's data (shared), and how many elements one case takes (0: shared by every case). */
  readonly inputs: readonly { readonly data: ArrayLike<number>; readonly per: number }[];
  /** Each output's data (shared), one case after another. */
  readonly outputs: readonly ArrayLike<number>[];
}

export interface CasePool {
  /** Worker threads available (besides the calling one). */
  readonly size: number;
  /** Typed arrays other threads can see. */
  shared(dtype: 'float32' | 'float64' | 'int32', length: number): Float32Array | Float64Array | Int32Array;
  /** Run cases [lo, hi) on worker `w`. */
  run(w: number, program: WasmProgram, cases: SharedCases, lo: number, hi: number): Promise<void>;
}

let pool: CasePool | null = null;

export function setCasePool(p: CasePool | null): void {
  pool = p;
}

export function casePool(): CasePool | null {
  return pool;
}

/** Threads a large enough batch runs on: the installed pool's workers and the calling thread. */
export const wasmThreads = (): number => (pool ? pool.size + 1 : 1);
