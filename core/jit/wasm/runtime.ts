/**
 * Running a compiled WebAssembly program: one instance with its own memory, constants written once, inputs
 * copied in and outputs copied out around each call of its `run` export (in the dtype the program computes).
 */
import { allocate, type DType } from '../../tensor/dtype';
import { sizeOf } from '../../tensor/shape';
import { ConcreteTensor } from '../../tensor/tensor';
import { engine, type Imports, type WasmMemory } from './engine';
import type { Region, WasmProgram } from './program';

type View = Float32Array | Float64Array | Int32Array;

function view(mem: WasmMemory, r: Region): View {
  const n = sizeOf(r.shape);
  if (r.dtype === 'float32') return new Float32Array(mem.buffer, r.addr, n);
  if (r.dtype === 'float64') return new Float64Array(mem.buffer, r.addr, n);
  return new Int32Array(mem.buffer, r.addr, n);
}

const MATH = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  pow: Math.pow,
};

/**
 * Compile and instantiate on this thread. The engine's asynchronous compile hands the module to background
 * threads and answers tens of milliseconds later on a busy machine (13–56 ms measured here for the seed solve's
 * 6.6 KB module), where compiling in place takes under a millisecond (a baseline compile; the engine still
 * optimises hot functions in the background). Null where the host refuses (a browser's main thread refuses
 * synchronous compiles of large modules): the caller compiles asynchronously then.
 */
function instantiateHere(bytes: Uint8Array<ArrayBuffer>, imports: Imports) {
  try {
    return new engine!.Instance(new engine!.Module(bytes), imports);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

export class WasmExecutable {
  private constructor(
    readonly program: WasmProgram,
    private readonly memory: WasmMemory,
    private readonly runFn: () => void,
  ) {}

  /** `mark` receives a profiled program's kernel calls (see WasmProgram.profiled). */
  static async create(program: WasmProgram, mark?: (line: number) => void): Promise<WasmExecutable> {
    if (!engine) throw new Error('jit wasm: this JavaScript engine has no WebAssembly');
    if (program.profiled && !mark) throw new Error('jit wasm: a profiled program needs a mark function');
    const imports: Imports = { Math: MATH };
    if (program.profiled) imports.profile = { mark };
    const instance =
      instantiateHere(program.bytes, imports) ?? (await engine.instantiate(program.bytes, imports)).instance;
    const memory = instance.exports.memory as WasmMemory;
    for (const c of program.consts) view(memory, c).set(c.data);
    return new WasmExecutable(program, memory, instance.exports.run as () => void);
  }

  /**
   * Run on flat input data (converted to the program's dtypes) and copy each output into `outputs[k]` at
   * element offset `at[k]`.
   */
  runInto(
    inputs: readonly ArrayLike<number>[],
    outputs: readonly { set(a: ArrayLike<number>, offset: number): void }[],
    at: readonly number[],
  ): void {
    const { program, memory } = this;
    program.inputs.forEach((r, i) => {
      view(memory, r).set(inputs[i]!);
    });
    this.runFn();
    program.outputs.forEach((r, k) => {
      outputs[k]!.set(view(memory, r), at[k]!);
    });
  }

  /** Run on one set of inputs (any float dtype is converted to the program's). */
  run(inputs: readonly ConcreteTensor[]): ConcreteTensor[] {
    const { program, memory } = this;
    program.inputs.forEach((r, i) => {
      view(memory, r).set(inputs[i]!.data);
    });
    this.runFn();
    return program.outputs.map((r) => {
      const v = view(memory, r);
      const data = allocate(r.dtype as DType, v.length);
      data.set(v);
      return new ConcreteTensor(data, r.shape, r.dtype);
    });
  }
}
