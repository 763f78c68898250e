/**
 * Derivative programs compiled with jit on core's WebAssembly target, in the request's dtype, one per grid,
 * objective and kind (jit keeps the compiled program per input shapes inside). Where WebAssembly SIMD is
 * missing or a program cannot be compiled, the same function runs eagerly: results are identical up to
 * rounding, only slower; `ran` says which.
 */
import { type Jitted, jit, ranLabel, wasmAvailable } from '../../../../core/jit/index';

const programs = new Map<string, Jitted<(...a: any[]) => any>>();
const KEEP = 12;

export interface Ran<R> {
  result: R;
  /** ranLabel('wasm') or ranLabel('eager'). */
  ran: string;
}

/** Run `f(...args)` compiled (cached under `key`), else eagerly. */
export async function runCompiled<R>(key: string, f: (...a: any[]) => R, args: unknown[]): Promise<Ran<R>> {
  if (!wasmAvailable()) return { result: f(...args), ran: ranLabel('eager') };
  let g = programs.get(key);
  if (!g) {
    g = jit(f, { backend: 'wasm', strict: true });
    programs.set(key, g);
    if (programs.size > KEEP) programs.delete(programs.keys().next().value!);
  }
  try {
    return { result: (await g(...args)) as R, ran: ranLabel('wasm') };
  } catch {
    programs.delete(key);
    return { result: f(...args), ran: ranLabel('eager') };
  }
}
