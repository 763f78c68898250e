/**
 * core's own CPU target for jit: staged programs compiled to one WebAssembly SIMD128 module each (stage →
 * fuse → kernels → loop nests → binary), computing in the program's dtype (float64 stays float64).
 */
import type { Jaxpr } from '../../ir/jaxpr';
import type { ConcreteTensor } from '../../tensor/tensor';
import { ModuleBuilder } from './encoder';
import { engine } from './engine';
import { lowerWasm, type WasmProgram } from './program';
import { WasmExecutable } from './runtime';

export { lowerWasm, type WasmProgram } from './program';
export { WasmExecutable } from './runtime';

let simd: boolean | null = null;

/** Whether this engine runs WebAssembly with SIMD128 (checked once by validating a one-instruction module). */
export function wasmAvailable(): boolean {
  if (simd === null) {
    try {
      const mb = new ModuleBuilder();
      mb.func([], [], 'run').f32(1).simd('f32x4.splat').op('drop');
      simd = engine?.validate(mb.encode()) === true;
    } catch {
      simd = false;
    }
  }
  return simd === true;
}

export async function compileWasm(jaxpr: Jaxpr, consts: readonly ConcreteTensor[]): Promise<WasmExecutable> {
  const program: WasmProgram = lowerWasm(jaxpr, consts);
  return WasmExecutable.create(program);
}
