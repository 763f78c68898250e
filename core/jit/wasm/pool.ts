/**
 * Threads for case-by-case runs: a pool's workers and the calling thread take the cases of a compiled program
 * from one shared queue, reading inputs from and writing outputs to shared memory. core holds only this
 * interface; hosts install one (node-threads.ts for Node's worker_threads). Without a pool, or for small
 * batches, cases run here.
 */
import type { WasmProgram } from './program';

export interface SharedCases {
  /** Each input's data (shared), and how many elements one case takes (0: shared by every case). */
  readonly inputs: readonly { readonly data: ArrayLike<number>; readonly per: number }[];
  /** Each output's data (shared), one case after another. */
  readonly outputs: readonly ArrayLike<number>[];
}

/**
 * The cases still to run: whichever thread is free takes the next one. Threads of unequal speed (a core busy
 * with other work, a virtual machine's slower CPU) then finish together, where equal shares fixed in advance
 * wait for the slowest thread; a worker that starts late leaves its cases to the others.
 */
export interface CaseQueue {
  /** One shared counter: the next case to take. */
  readonly next: Int32Array;
  /** One past the last case. */
  readonly end: number;
}

/** The next case for this thread, or null when every case has been taken. */
export function takeCase(queue: CaseQueue): number | null {
  const b = Atomics.add(queue.next, 0, 1);
  return b < queue.end ? b : null;
}

export interface CasePool {
  /** Worker threads available (besides the calling one). */
  readonly size: number;
  /** Typed arrays other threads can see. */
  shared(dtype: 'float32' | 'float64' | 'int32', length: number): Float32Array | Float64Array | Int32Array;
  /** Worker `w` takes cases from `queue` until none is left. */
  run(w: number, program: WasmProgram, cases: SharedCases, queue: CaseQueue): Promise<void>;
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
